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

import re
from array import array
from collections import Counter, defaultdict
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import pandas as pd

from .cleaning_rules import load_profiles
from .corpus import Corpus
from .safe_yaml import load_yaml
from .dedup_shingles import shingle_hashes
from .text_store import text_digest
from .validation import check_choice, check_count, check_fraction

_BATCH = 2000  # documents shingled at a time when counting the candidates' frequency in the whole sample

__all__ = ["PATTERN_COLUMNS", "detect_boilerplate", "boilerplate_rules", "save_profile", "starter_profiles"]

PATTERN_COLUMNS = ["outlet", "id", "rule", "text", "pattern", "kind", "position", "documents", "share",
                   "share_elsewhere", "example", "accept"]
_TOKEN = re.compile(r"\w+|[^\w\s]")
_DIGITS = re.compile(r"\d+")
_EDGE_MULT = np.uint64(0xC2B2AE3D27D4EB4F)
_NUM = "\x00#"  # the placeholder token of a run of digits


def detect_boilerplate(corpus: Corpus, by: str = "outlet", *, n: int = 8, min_share: float = 0.2,
                       max_elsewhere: float = 0.02, min_docs: int = 3, numbers: str = "normalised",
                       edge_lines: int = 3, sample: int | None = 2000, seed: int = 0) -> pd.DataFrame:
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
        document. The detector works an outlet at a time (and counts the other outlets' documents in
        batches of 2,000), so its memory is that of ``sample`` documents, whatever the corpus and the
        number of outlets.
    seed : int
        Seed of the sample (recorded in ``.attrs``).

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
    for i, o in enumerate(outlets):
        if o is None or (isinstance(o, float) and np.isnan(o)) or o is pd.NA:
            continue
        key = text_digest(corpus.texts[i])
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
    shingles = _Shingler(corpus, n, numbers == "normalised")
    # pass 1, an outlet at a time: the shingles in at least max(min_docs, min_share * N_o) of its documents
    found = []
    for c, positions in enumerate(members):
        h, df = _doc_freq(*shingles.of(positions)[1:])
        need = max(min_docs, np.ceil(min_share * n_docs[c] - 1e-9))
        found.append((h[df >= need], df[df >= need]))
    union = np.unique(np.concatenate([h for h, _ in found]))
    if not len(union):
        return empty
    # pass 2, a batch of documents at a time: the document frequency of those shingles in the whole sample
    df_all = np.zeros(len(union), np.int64)
    for b in range(0, len(docs), _BATCH):
        _, h, d = shingles.of(docs[b:b + _BATCH])
        keep = np.isin(h, union)
        hu, _ = _doc_freq(h[keep], d[keep], counts=False)
        df_all += np.bincount(np.searchsorted(union, hu), minlength=len(union))
    # pass 3, an outlet at a time: its recurring shingles rare elsewhere, the tokens they cover, the patterns
    rows: list[dict] = []
    for c, positions in enumerate(members):
        h, df = found[c]
        others = len(docs) - n_docs[c]
        share_else = (df_all[np.searchsorted(union, h)] - df) / others if others else np.full(len(h), np.nan)
        ok = ~(share_else > max_elsewhere)
        if ok.any():
            rows += _outlet_patterns(shingles, positions, h[ok], share_else[ok], names[c], int(n_docs[c]),
                                     others > 0, corpus, min_docs, edge_lines, params)
    return _table(rows, params)


def _outlet_codes(values: list) -> tuple[list, np.ndarray]:
    codes, names = pd.factorize(pd.Series(values, dtype=object))
    return list(names), np.asarray(codes)


def _doc_freq(h: np.ndarray, d: np.ndarray, counts: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """The distinct shingles of ``h`` (occurring in documents ``d``), sorted, with the number of documents each
    occurs in; with ``counts=False``, the shingle of every distinct (document, shingle) pair (no counts)."""
    order = np.lexsort((h, d))
    hs, ds = h[order], d[order]
    first = np.r_[True, (hs[1:] != hs[:-1]) | (ds[1:] != ds[:-1])] if len(hs) else np.zeros(0, bool)
    hu = hs[first]
    del order, hs, ds, first
    if not counts:
        return hu, np.zeros(0, np.int64)
    hu.sort()
    starts = np.flatnonzero(np.r_[True, hu[1:] != hu[:-1]]) if len(hu) else np.zeros(0, np.int64)
    return hu[starts], np.diff(np.r_[starts, len(hu)])


def _outlet_patterns(shingles: "_Shingler", positions: list, cand_h: np.ndarray, cand_else: np.ndarray, name: Any,
                     n_o: int, elsewhere: bool, corpus: Corpus, min_docs: int, edge_lines: int, params: dict) -> list:
    """The pattern rows of one outlet: the tokens its recurring shingles cover, merged into spans."""
    s, h, _ = shingles.of(positions)
    feat = shingles.features
    hit = np.isin(h, cand_h)
    order = np.argsort(cand_h)
    values = np.nan_to_num(cand_else[order][np.searchsorted(cand_h[order], h[hit])].astype(float), nan=0.0)
    starts, lens = feat["start"][hit], feat["len"][hit]
    cover = np.zeros(len(s.ids) + 1, dtype=np.int64)
    np.add.at(cover, starts, 1)
    np.add.at(cover, starts + lens, -1)
    covered = np.cumsum(cover)[:-1] > 0
    worst = np.zeros(len(s.ids))  # largest share elsewhere of a shingle covering each token
    for j in range(params["n"]):  # a shingle covers at most n tokens: one vector operation per offset
        inside = lens > j
        np.maximum.at(worst, starts[inside] + j, values[inside])
    return _patterns(s, covered, worst, name, n_o, positions, corpus, min_docs, edge_lines, params, elsewhere)


class _Shingler:
    """Shingles of a set of documents (their line streams in one shared type vocabulary, so that hashes agree
    between outlets and batches): ``of(positions)`` -> (streams, hash of each shingle, its document position)."""

    def __init__(self, corpus: Corpus, n: int, normalise_numbers: bool) -> None:
        self.corpus, self.n, self.normalise = corpus, n, normalise_numbers
        self.types: dict[str, int] = {_NUM: 0}
        self.features: dict[str, np.ndarray] = {}

    def of(self, positions: list) -> tuple["_Streams", np.ndarray, np.ndarray]:
        s = _Streams([self.corpus.texts[i] for i in positions], self.normalise, self.types)
        self.features = s.features(self.n)
        return s, self.features["h"], s.line_doc[self.features["line"]]


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


def _patterns(s: "_Streams", covered: np.ndarray, worst: np.ndarray, name: Any, n_o: int, docs: list,
              corpus: Corpus, min_docs: int, edge_lines: int, params: dict, elsewhere: bool) -> list[dict]:
    """One outlet's runs of covered tokens within a line, grouped by their token sequence into patterns."""
    tok_line = np.repeat(np.arange(len(s.line_ptr) - 1), np.diff(s.line_ptr))
    # a run starts at a covered token whose predecessor is uncovered or on another line
    prev_same = np.r_[False, (tok_line[1:] == tok_line[:-1]) & covered[:-1]]
    run_start = np.flatnonzero(covered & ~prev_same)
    next_same = np.r_[(tok_line[1:] == tok_line[:-1]) & covered[1:], False]
    run_end = np.flatnonzero(covered & ~next_same) + 1
    occ: dict[tuple, list] = defaultdict(list)
    for a, b in zip(run_start.tolist(), run_end.tolist()):
        line = int(tok_line[a])
        d = int(s.line_doc[line])
        key = tuple(s.ids[a:b].tolist())
        lo, hi = int(s.line_ptr[line]), int(s.line_ptr[line + 1])
        rel, total = line - int(s.doc_line[d]), int(s.doc_line[d + 1] - s.doc_line[d])
        pos = "header" if rel < edge_lines else "footer" if rel >= total - edge_lines else "inline"
        occ[key].append((d, pos, a == lo and b == hi, a, b, float(worst[a:b].max()), line))
    rows = []
    for toks, hits in occ.items():
        documents = len({h[0] for h in hits})
        if documents < min_docs:
            continue
        d0, _, _, a, b = hits[0][:5]
        starts, ends = s.offsets(hits[0][6], a, b)
        text = s.texts[d0][starts[0]:ends[-1]]
        whole = sum(h[2] for h in hits) * 2 >= len(hits)
        body = _regex(s.texts[d0], starts, ends, params["numbers"] == "normalised")
        rows.append({"outlet": name, "text": _DIGITS.sub("#", text) if params["numbers"] == "normalised"
                     else text, "pattern": (r"(?im)^[ \t]*" + body + r"[ \t]*$") if whole else "(?i)" + body,
                     "kind": "line" if whole else "span",
                     "position": Counter(h[1] for h in hits).most_common(1)[0][0], "documents": documents,
                     "share": round(documents / n_o, 4),
                     "share_elsewhere": round(max(h[5] for h in hits), 4) if elsewhere else np.nan,
                     "example": corpus.ids[docs[d0]], "accept": True})
    return rows


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


def _regex(text: str, starts: list, ends: list, normalised: bool) -> str:
    """An RE2 expression for the token sequence: words escaped, digits ``\\d+``, white space between words."""
    parts = []
    for k, (a, b) in enumerate(zip(starts, ends)):
        tok = text[a:b]
        if k:
            word = tok[0].isalnum() or tok[0] == "_"
            prev = text[ends[k - 1] - 1]
            parts.append(r"\s+" if word and (prev.isalnum() or prev == "_") else r"\s*")
        parts.append(r"\d+" if normalised and tok.isdigit() else re.escape(tok))
    body = "".join(parts)
    first, last = text[starts[0]], text[ends[-1] - 1]
    return (r"\b" if first.isalnum() else "") + body + (r"\b" if last.isalnum() else "")


class _Streams:
    """Every token of every line of the texts: normalised ids, character offsets, line and document pointers."""

    def __init__(self, texts: list[str], normalise_numbers: bool, types: dict[str, int] | None = None) -> None:
        self.texts = texts
        # tokens found by findall (C speed) a line at a time; their character offsets are found
        # again only for the few spans reported (:meth:`offsets`). Each token is stored as the id of its
        # type in ``types`` (shared between the streams of one detection: 8 bytes a token, not a str)
        types = {} if types is None else types
        type_id = types.setdefault
        ids = array("q")
        line_ptr, line_start, line_doc, doc_line = [0], [], [], [0]
        for d, text in enumerate(texts):
            pos = 0
            for line in text.split("\n"):
                found = _TOKEN.findall(line)
                if found:
                    words = map(str.casefold, found)
                    if normalise_numbers:  # every run of digits is one token type
                        words = (_NUM if w.isdigit() else w for w in words)
                    ids.extend(type_id(w, len(types)) for w in words)
                    line_ptr.append(len(ids))
                    line_start.append(pos)
                    line_doc.append(d)
                pos += len(line) + 1
            doc_line.append(len(line_doc))
        codes = np.frombuffer(ids, dtype=np.int64) if len(ids) else np.zeros(0, np.int64)
        self.ids = np.asarray(codes, dtype=np.int64)
        self.line_ptr = np.asarray(line_ptr, dtype=np.int64)
        self.line_start = line_start
        self.line_doc = np.asarray(line_doc, dtype=np.int64)
        self.doc_line = np.asarray(doc_line, dtype=np.int64)

    def offsets(self, line: int, a: int, b: int) -> tuple[list[int], list[int]]:
        """Character offsets (in the document) of tokens ``a:b`` (stream positions) of ``line``."""
        text = self.texts[int(self.line_doc[line])]
        begin = self.line_start[line]
        end = text.find("\n", begin)
        found = list(_TOKEN.finditer(text, begin, len(text) if end < 0 else end))
        first = a - int(self.line_ptr[line])
        chosen = found[first:first + b - a]
        return [m.start() for m in chosen], [m.end() for m in chosen]

    def features(self, n: int) -> dict[str, np.ndarray]:
        """Shingles of every line (hash, line, first token, length): its ``n``-grams (the line itself when
        shorter) and its first and last 2..n-1 tokens."""
        lengths = np.diff(self.line_ptr)
        hashes, offsets = shingle_hashes(self.ids, self.line_ptr, n)
        counts = np.diff(offsets.astype(np.int64))
        line = np.repeat(np.arange(len(lengths)), counts)
        first = np.arange(len(hashes)) - np.repeat(offsets[:-1].astype(np.int64), counts)
        h, ln, st, lens = [hashes], [line], [self.line_ptr[line] + first], [np.minimum(lengths[line], n)]
        for k in range(2, n):
            lines = np.flatnonzero(lengths > k)
            for tag, begin in ((1, self.line_ptr[lines]), (2, self.line_ptr[lines + 1] - k)):
                x = np.full(len(lines), np.uint64(tag * 1_000_003 + k))
                for j in range(k):
                    x = x * _EDGE_MULT + self.ids[begin + j].astype(np.uint64) + np.uint64(7)
                h.append(x ^ (x >> np.uint64(29)))
                ln.append(lines)
                st.append(begin)
                lens.append(np.full(len(lines), k))
        return {"h": np.concatenate(h), "line": np.concatenate(ln), "start": np.concatenate(st),
                "len": np.concatenate(lens)}


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
