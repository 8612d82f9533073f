"""Per-outlet boilerplate: recurring spans found by word n-gram shingles, reviewed, saved as a profile.

An outlet's furniture (video and gallery chrome, copyright lines, credit lines,
"... contributed to this report") recurs in a large share of that outlet's
documents and rarely in other outlets'. Following the shingle approach of
boilerplate detection (Broder 1997 for shingles; Kohlschütter, Fankhauser &
Nejdl 2010 and Pomikálek 2011 for recurring-block removal), a span is
boilerplate for outlet ``o`` when it is covered by word ``n``-grams whose
document frequency satisfies

    df_o(g) / N_o >= min_share   and   df_¬o(g) / N_¬o <= max_elsewhere

(``N_o`` distinct documents of the outlet, ``N_¬o`` of all other outlets).
Shingles do not cross line breaks; a line shorter than ``n`` tokens is one
shingle, and the first and last 2..n-1 tokens of every line are shingles too,
so short furniture ("Hide Caption 3 of 43", "Jane Roe contributed to this
report.") is found. With ``numbers="normalised"`` every run of digits is one
placeholder, so "Copyright 2021" and "Copyright 2023" are one pattern.
Contiguous covered tokens of a line are merged into one span; identical spans
form a pattern with an RE2 expression matching its variants.

:func:`detect_boilerplate` returns the patterns for review (column ``accept``);
:func:`save_profile` writes the accepted ones as a cleaning profile
(``discourse/data/cleaning.yaml`` format, loadable by :func:`load_profiles`);
:func:`boilerplate_rules` adds them to a configuration for
:func:`discourse.clean` (``boilerplate=``), which removes every match with an
audit row (rule ``boilerplate:<outlet>:<id>``).
"""
from __future__ import annotations

import tempfile
from concurrent.futures import Executor
from importlib import resources
from itertools import groupby, repeat
from pathlib import Path
from typing import Mapping

import numpy as np
import pandas as pd

from .cleaning_rules import load_profiles
from .corpus import Corpus
from .safe_yaml import load_yaml
from .boilerplate_patterns import chunk_occurrences, merge_occurrences, pattern_rows
from .boilerplate_shingles import merge_doc_freq, shingle_chunk, union_doc_freq
from .normalisation import text_digests, texts_at
from .validation import check_choice, check_count, check_fraction
from .workers import ordered_map

_AHEAD = 4     # tasks in flight with an executor: both cores busy, memory of a few chunks
_CHUNK = 500   # documents of an outlet a task in passes 1 and 3 (tasks small enough to share out evenly)

__all__ = ["PATTERN_COLUMNS", "detect_boilerplate", "boilerplate_rules", "save_profile", "starter_profiles"]

PATTERN_COLUMNS = ["outlet", "id", "rule", "text", "pattern", "kind", "position", "documents", "share",
                   "share_elsewhere", "example", "accept"]


def detect_boilerplate(corpus: Corpus, by: str = "outlet", *, n: int = 8, min_share: float = 0.2,
                       max_elsewhere: float = 0.02, min_docs: int = 3, numbers: str = "normalised",
                       edge_lines: int = 3, sample: int | None = 2000, seed: int = 0,
                       executor: Executor | None = None) -> pd.DataFrame:
    """Spans that recur in many documents of one outlet and rarely elsewhere, one row per pattern.

    Parameters
    ----------
    corpus : Corpus
    by : str
        Metadata column of the outlet (documents without a value are not searched).
    n : int
        Shingle length in word tokens (default 8; punctuation marks are tokens).
    min_share : float
        Share of the outlet's distinct documents a shingle must occur in (default 0.2);
        at least ``min_docs`` documents, so an outlet with fewer has no boilerplate.
    max_elsewhere : float
        Largest share of the other outlets' documents it may occur in (default 0.02). A
        span common to all outlets is therefore not any one outlet's boilerplate (it is
        not listed; write a general rule for it). With one outlet only, no
        ``max_elsewhere`` test is possible and ``share_elsewhere`` is NaN: lines shared by
        the whole corpus and its commonest line endings ("said.") may then be listed, so
        review the table (``accept``) before removing.
    min_docs : int
        Fewest documents of a pattern and of an outlet (default 3).
    numbers : {"normalised", "exact"}
        ``"normalised"``: every run of digits matches every other (years, "3 of 43").
    edge_lines : int
        A span in the first ``edge_lines`` lines is a ``header``, in the last a ``footer``,
        else ``inline`` (column ``position``: the most common one of its occurrences).
    sample : int or None
        Distinct documents per outlet searched at most (default 2000, drawn at random with ``seed``;
        ``None``: all). Shares are then estimated on the sample: a shingle in a share ``p`` of an
        outlet's documents is seen in ``min_share`` of a 2000-document sample unless ``p`` is within
        a few points of it (binomial standard error at most 0.011), and the removal rules apply to every
        document. The detector shingles 500 documents at a time and merges an outlet's counts before
        the next outlet's, so its memory is that of ``sample`` documents, whatever the corpus and the
        number of outlets.
    seed : int
        Seed of the sample (recorded in ``.attrs``).
    executor : concurrent.futures.Executor, optional
        Runs the tasks of passes 1 and 3 (500 documents of an outlet each; four in flight), e.g. a
        ``ProcessPoolExecutor`` to use every core (``build_store`` passes its workers); default: in
        this process. The patterns are the same either way. Each sampled document is tokenized and
        shingled once: pass 1 returns its chunk's token streams, kept in a temporary folder (a few
        bytes a token) for pass 3, and pass 2 sums pass 1's counts (no text read again).

    Returns
    -------
    DataFrame
        One row per pattern: ``outlet``, ``id`` (1.. within the outlet), ``rule``
        (``boilerplate:<outlet>:<id>``), ``text`` (readable, digits as ``#``), ``pattern``
        (RE2, case-insensitive), ``kind`` (``line`` when the span fills its lines, else
        ``span``), ``position``, ``documents``, ``share``, ``share_elsewhere`` (the largest of
        its shingles), ``example`` (a doc_id) and ``accept`` (True; set False to reject).
        Identical documents count once. Parameters in ``.attrs["boilerplate"]``.
    """
    check_count("n", n, minimum=2)
    check_fraction("min_share", min_share)
    check_fraction("max_elsewhere", max_elsewhere)
    check_count("min_docs", min_docs, minimum=1)
    check_count("edge_lines", edge_lines, minimum=0)
    check_choice("numbers", numbers, ("normalised", "exact"))
    if sample is not None:
        check_count("sample", sample, minimum=1)
    check_count("seed", seed)
    params = {"by": by, "n": n, "min_share": min_share, "max_elsewhere": max_elsewhere, "min_docs": min_docs,
              "numbers": numbers, "edge_lines": edge_lines, "sample": sample, "seed": seed}
    empty = pd.DataFrame([], columns=PATTERN_COLUMNS)
    empty.attrs["boilerplate"] = params
    if by not in corpus.metadata.columns or not len(corpus.texts):
        return empty
    outlets = corpus.metadata[by].tolist()
    seen: set = set()
    docs = []  # distinct texts with an outlet: identical copies count once
    digests = text_digests(corpus.texts, executor)  # (computed once for both detectors in discourse.clean)
    for i, o in enumerate(outlets):
        if o is None or (isinstance(o, float) and np.isnan(o)) or o is pd.NA:
            continue
        key = digests[i]
        if key not in seen:
            seen.add(key)
            docs.append(i)
    if not docs:  # no document has an outlet
        return empty
    docs, params["documents_distinct"] = _sample(docs, outlets, sample, seed), len(docs)
    params["documents_sampled"] = len(docs)
    names, codes = _outlet_codes([outlets[i] for i in docs])
    n_docs = np.bincount(codes, minlength=len(names))
    members = [[docs[j] for j in np.flatnonzero(codes == c)] for c in range(len(names))]
    norm = numbers == "normalised"
    def run(fn, *iterables):
        return ordered_map(fn, *iterables, executor=executor, ahead=_AHEAD)

    def texts(positions: list) -> list[str]:  # compact (bytes) for a worker, which normalises them
        return texts_at(corpus.texts, positions)

    # pass 1, a chunk of an outlet's documents a task: the shingles in at least
    # max(min_docs, min_share * N_o) of the outlet's documents (chunks' counts summed). Each chunk's token
    # streams and each outlet's counts are kept on disk (bounded memory) for passes 2 and 3, so that a
    # document is tokenized and hashed once
    chunks = [(c, p[k:k + _CHUNK]) for c, p in enumerate(members) for k in range(0, len(p), _CHUNK)]
    with tempfile.TemporaryDirectory(prefix="discourse-boilerplate-") as tmp:
        kept = _Kept(Path(tmp))
        counted = run(shingle_chunk, (texts(p) for _, p in chunks), repeat(n), repeat(norm))
        found = []
        for c, parts in groupby(zip(enumerate(c for c, _ in chunks), counted), key=lambda x: x[0][1]):
            counts = []
            for (j, _), (h, df, arrays) in parts:
                kept.put(("streams", j), arrays)
                counts.append((h, df))
            h, df = merge_doc_freq(counts)  # an outlet's chunks are consecutive
            kept.put(("counts", c), {"h": h, "df": df})
            need = max(min_docs, np.ceil(min_share * n_docs[c] - 1e-9))
            found.append((h[df >= need], df[df >= need]))
            del counts, h, df
        union = np.unique(np.concatenate([h for h, _ in found]))
        if not len(union):
            return _table([], params)
        # pass 2 from pass 1's counts: the document frequency of those shingles in the whole sample
        df_all = np.zeros(len(union), np.int64)
        for c in range(len(names)):
            got = kept.get(("counts", c))
            df_all += union_doc_freq(got["h"], got["df"], union)
        # pass 3, a chunk a task (both cores, whatever the number of outlets): the tokens an outlet's
        # recurring shingles rare elsewhere cover, merged into spans and patterns
        cand = {}
        for c in range(len(names)):
            h, df = found[c]
            others = len(docs) - n_docs[c]
            share_else = (df_all[np.searchsorted(union, h)] - df) / others if others else np.full(len(h), np.nan)
            ok = ~(share_else > max_elsewhere)
            if ok.any():
                cand[c] = (h[ok], share_else[ok])
        tasks = [(j, c, p) for j, (c, p) in enumerate(chunks) if c in cand]
        occurrences = run(chunk_occurrences, (texts(p) for _, _, p in tasks),
                          (kept.get(("streams", j)) for j, _, _ in tasks), (cand[c][0] for _, c, _ in tasks),
                          (cand[c][1] for _, c, _ in tasks), repeat(n), repeat(edge_lines))
        rows: list[dict] = []
        texts_all, ids = corpus.texts, corpus.ids  # (ids: a list made on each access)
        for c, parts in groupby(zip((c for _, c, _ in tasks), occurrences, (p for _, _, p in tasks)),
                                key=lambda x: x[0]):
            merged = merge_occurrences((occ, p) for _, occ, p in parts)
            rows += pattern_rows(merged, texts_all, ids, names[c], int(n_docs[c]), len(docs) > n_docs[c],
                                 min_docs, params)
    return _table(rows, params)


class _Kept:
    """Arrays kept on disk between the passes (one ``.npz`` a key, read back once and removed)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _file(self, key: tuple) -> Path:
        return self.folder / ("-".join(map(str, key)) + ".npz")

    def put(self, key: tuple, arrays: dict) -> None:
        np.savez(self._file(key), **arrays)

    def get(self, key: tuple) -> dict:
        f = self._file(key)
        with np.load(f) as z:
            out = {k: z[k] for k in z.files}
        f.unlink()
        return out


def _outlet_codes(values: list) -> tuple[list, np.ndarray]:
    codes, names = pd.factorize(pd.Series(values, dtype=object))
    return list(names), np.asarray(codes)


def _sample(docs: list[int], outlets: list, sample: int | None, seed: int) -> list[int]:
    """At most ``sample`` of each outlet's distinct documents, at random (seeded), in corpus order."""
    if sample is None:
        return docs
    codes = pd.factorize(pd.Series([outlets[i] for i in docs], dtype=object))[0]
    if np.bincount(codes).max() <= sample:
        return docs
    rng = np.random.default_rng(seed)
    keep = np.zeros(len(docs), dtype=bool)
    for c in range(codes.max() + 1):
        members = np.flatnonzero(codes == c)
        keep[members if len(members) <= sample else rng.choice(members, sample, replace=False)] = True
    return [d for d, k in zip(docs, keep) if k]


def _table(rows: list[dict], params: dict) -> pd.DataFrame:
    """The pattern rows of every outlet as one table: by outlet, most documents first, ids 1.. per outlet."""
    if not rows:
        out = pd.DataFrame([], columns=PATTERN_COLUMNS)
    else:
        out = pd.DataFrame(rows).sort_values(["outlet", "documents", "text"], ascending=[True, False, True],
                                             key=lambda c: c.astype(str) if c.name == "outlet" else c)
        out["id"] = out.groupby("outlet", sort=False).cumcount() + 1
        out["rule"] = [f"boilerplate:{o}:{i}" for o, i in zip(out["outlet"], out["id"])]
        out = out[PATTERN_COLUMNS].reset_index(drop=True)
    out.attrs["boilerplate"] = params
    return out


def boilerplate_rules(config: Mapping, patterns: pd.DataFrame, by: str = "outlet") -> dict:
    """``config`` (as :func:`load_profiles` returns it) with the accepted patterns added as rules and profiles.

    Each accepted row becomes a rule named by its ``rule`` column (kind ``line`` or
    ``span``) in the profile ``boilerplate:<outlet>`` matching ``by == outlet``.
    """
    rules, profiles = dict(config["rules"]), dict(config["profiles"])
    accepted = patterns[patterns["accept"].astype(bool)] if "accept" in patterns.columns else patterns
    for outlet, rows in accepted.groupby("outlet", sort=False):
        for r in rows.itertuples():
            rules[r.rule] = {"kind": r.kind, "pattern": r.pattern, "description": f"boilerplate: {r.text}"}
        profiles[f"boilerplate:{outlet}"] = {"match": {by: outlet}, "rules": list(rows["rule"])}
    return {"rules": rules, "profiles": profiles}


def save_profile(patterns: pd.DataFrame, path: str | Path, by: str = "outlet") -> Path:
    """Write the accepted patterns (``accept`` True) as a cleaning profile YAML; load it with
    :func:`discourse.load_profiles` or pass it to :func:`discourse.clean` as ``profiles``."""
    import yaml

    config = boilerplate_rules({"rules": {}, "profiles": {}}, patterns, by)
    path = Path(path)
    header = ("# Boilerplate patterns detected by discourse.detect_boilerplate and reviewed.\n"
              "# Patterns are RE2; a `line` rule removes the whole line.\n")
    path.write_text(header + yaml.safe_dump(config, sort_keys=False, allow_unicode=True), "utf-8")
    return path


def starter_profiles(with_default: bool = True) -> dict:
    """The shipped starter profiles (``discourse/data/boilerplate_starter.yaml``: video and gallery chrome,
    wire credit lines, "contributed to this report", copyright lines with a year), checked by
    :func:`load_profiles`; with ``with_default`` merged into the default profiles, for :func:`discourse.clean`."""
    text = resources.files("discourse").joinpath("data/boilerplate_starter.yaml").read_text("utf-8")
    starter = load_profiles(load_yaml(text, name="discourse/data/boilerplate_starter.yaml"))
    if not with_default:
        return starter
    base = load_profiles("default")
    return load_profiles({"rules": {**base["rules"], **starter["rules"]},
                          "profiles": {**base["profiles"], **starter["profiles"]}})
