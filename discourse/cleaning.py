"""Rule-based cleaning with an audit of every removed span.

Site chrome (icon sprites, share buttons, podcast players, cross-links, repeated
headlines) must not reach the statistics, and a researcher must be able to say
in a methods section exactly what was removed. So cleaning is

* rule-based and transparent: named rules and per-outlet profiles in a plain
  YAML file (``discourse/data/cleaning.yaml``; pass your own copy);
* corpus-aware: :func:`recurring_lines` finds lines that recur across many
  documents of one outlet (boilerplate no single-document rule would catch);
* non-destructive: ``corpus.raw`` keeps the texts as read, and ``corpus.audit``
  lists every removed span (document, rule, offsets into the raw text, text, and
  the ``replacement`` put in its place: usually ``""``);
* safe: line endings and invisible characters are normalised before any rule
  runs, a removal never glues two words together, and a rule that takes more than
  ``max_removed`` of a document, a document emptied, or identical documents are
  warned about (:mod:`discourse.normalisation`).

The cleaned text is the raw text with every audited span replaced by its
``replacement``, then Unicode NFC-normalised; token offsets refer to it.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from pathlib import Path
from concurrent.futures import Executor
from typing import Any, Iterator, Mapping

import numpy as np
import pandas as pd

from .corpus import Corpus
from .normalisation import (CleaningWarning, NormalisedTexts, normalise_texts, removal_checks,
                            separate_words, to_raw)
from .boilerplate import boilerplate_rules, detect_boilerplate
from .cleaning_rules import KINDS, PATTERN_KINDS, compile_rule, load_profiles
from .recurring import recurring_lines
from .text_store import TextStore, TextStoreBuilder
from .validation import check_fraction

__all__ = ["CleaningWarning", "AUDIT_COLUMNS", "KINDS", "load_profiles", "compile_rule", "clean", "recurring_lines",
           "detections"]

AUDIT_COLUMNS = ["doc_id", "rule", "start", "end", "text", "replacement"]
_CONTENT = re.compile(r"(?:[^\W_][^\n]*){3}")  # a line with at least three letters/digits


_BATCH = 1000  # documents cleaned at a time (their str copies, normalised views and audit rows)


def clean(
    corpus: Corpus,
    profiles: str | Path | Mapping = "default",
    *,
    recurring: bool | Mapping = True,
    group: str = "outlet",
    min_docs: int = 3,
    min_share: float = 0.5,
    normalize: str | None = "NFC",
    max_removed: float = 0.5,
    boilerplate: bool | pd.DataFrame = True,
) -> Corpus:
    """Remove site chrome by named rules and recurring boilerplate; audit every removal.

    Parameters
    ----------
    corpus : Corpus
    profiles : "default", path or dict
        Rule definitions and per-outlet profiles (see ``discourse/data/cleaning.yaml``).
    recurring : bool or dict
        Also remove lines that recur across documents of one ``group`` (see
        :func:`recurring_lines`); rule name ``recurring_line``. A dict (``{group value: lines}``,
        as :func:`recurring_lines` or :func:`detections` returns it) gives lines found beforehand,
        e.g. on a whole corpus cleaned in batches (``params["cleaning"]["recurring"]`` is then
        ``"precomputed"``).
    group, min_docs, min_share :
        Passed to :func:`recurring_lines`.
    normalize : str or None
        Unicode normal form applied to the cleaned text (default NFC).
    max_removed : float
        Share of a document's characters above which one rule's removal warns
        (:class:`CleaningWarning`, listed in ``params["cleaning"]["heavy_removals"]``).
        A document emptied by cleaning is kept (empty), warned about and listed in
        ``params["cleaning"]["emptied"]``; identical documents are listed in
        ``params["cleaning"]["duplicates"]`` and counted once by :func:`recurring_lines`.

    boilerplate : bool or DataFrame
        ``True`` (default): also remove the spans :func:`discourse.detect_boilerplate` finds per
        ``group`` with its defaults (word 8-gram shingles in at least 20% of one outlet's documents
        and at most 2% of the others', numbers normalised; searched on at most 2,000 documents an
        outlet, seeded, so memory stays bounded); a DataFrame: the accepted rows (``accept``) of
        its patterns, reviewed; ``False``: none. Rules ``boilerplate:<group>:<id>``, each removal
        an audit row; where a named rule or a recurring line covers the same text, that rule is
        audited. The patterns found are counted in ``params["cleaning"]``; list them with
        :func:`discourse.detect_boilerplate` to review, and save the reviewed ones as a profile.

    Notes
    -----
    Before any rule runs, ``\r\n`` and lone ``\r`` become ``\n`` and invisible
    characters (zero-width, soft hyphen, BOM, bidi controls) are removed, each an
    audit row (rules ``normalise:*``; see :mod:`discourse.normalisation`). A removed
    span between two non-space characters is replaced by one space.

    Returns
    -------
    Corpus
        Cleaned texts; ``raw`` holds the texts as read; ``audit`` is a DataFrame
        with one row per removed span: ``doc_id``, ``rule``, ``start``, ``end``
        (offsets into the raw text), ``text`` and ``replacement``.
    """
    check_fraction("max_removed", max_removed)
    config = load_profiles(profiles)
    raw = corpus.raw if corpus.raw is not None else corpus.texts
    boiler, patterns = detections(corpus, recurring=recurring, boilerplate=boilerplate, group=group,
                                  min_docs=min_docs, min_share=min_share)
    if patterns is not None:
        config = boilerplate_rules(config, patterns, group)
        detected = {"boilerplate_patterns": int(patterns["accept"].astype(bool).sum()),
                    "boilerplate_params": dict(patterns.attrs.get("boilerplate", {}))}
    else:
        detected = {}
    # profiles depend only on the matched columns: one compiled matcher per combination
    match_cols = sorted({c for p in config["profiles"].values() for c in (p.get("match") or {})})
    matchers: dict[tuple, _Matcher] = {}
    texts = TextStoreBuilder() if isinstance(raw, TextStore) else []
    audits, per_doc, ids = [], [], corpus.ids
    for start in range(0, len(raw), _BATCH):  # a batch of documents at a time: bounded extra memory
        positions = range(start, min(start + _BATCH, len(raw)))
        rows = corpus.metadata.iloc[start:positions.stop].to_dict("records")
        keys = [tuple(row.get(c) for c in match_cols) for row in rows]
        for k, row in zip(keys, rows):
            if k not in matchers:
                matchers[k] = _Matcher(_rules_for(row, config))
        used = {name for k in set(keys) for name, _, _ in matchers[k].rules}
        batch = [raw[i] for i in positions]
        views = normalise_texts(batch)  # position -> (normalised text, normalisation spans, raw offsets)
        skips = _prefilter([views[j][0] if j in views else t for j, t in enumerate(batch)],
                           {n: r for n, r in config["rules"].items() if n in used})
        audit = []
        for j, (text, row) in enumerate(zip(batch, rows)):
            doc_id = ids[start + j]
            view, steps, offsets = views[j] if j in views else (text, [], None)
            spans = matchers[keys[j]].spans(view, row, skips[j] if skips else frozenset())
            lines = boiler.get(row.get(group))
            if lines:
                spans += [(s, e, "recurring_line") for s, e in _line_spans(view, lines)]
            # where spans overlap the earlier-listed rule keeps the overlap: named rules, recurring lines, then
            # the detected boilerplate (a recurring line is audited as one, whichever detector also found it)
            spans.sort(key=lambda span: span[2].startswith("boilerplate:"))
            # rules first: where a rule removes a character a normalisation replaced, the removal wins
            kept, removed = _apply(text, [(s, e, r, "") for s, e, r in to_raw(spans, offsets)] + steps)
            texts.append(unicodedata.normalize(normalize, kept) if normalize else kept)
            audit += [(doc_id, rule, s, e, text[s:e], rep) for s, e, rule, rep in removed]
            per_doc.append(_removed_chars(removed))
        if audit:
            audits.append(pd.DataFrame(audit, columns=AUDIT_COLUMNS))
    texts = texts.finish() if isinstance(texts, TextStoreBuilder) else texts
    audit_df = (pd.concat(audits, ignore_index=True) if audits else pd.DataFrame([], columns=AUDIT_COLUMNS))
    audit_df = audit_df.astype({"start": "int64", "end": "int64"})
    params = {"profiles": profiles if isinstance(profiles, (str, Path)) else "custom",
              "recurring": recurring if isinstance(recurring, bool) else "precomputed", "group": group, "min_docs": min_docs,
              "min_share": min_share, "boilerplate": boilerplate if isinstance(boilerplate, bool) else "reviewed",
              "normalize": normalize, "max_removed": max_removed,
              **detected, **removal_checks(ids, raw, texts, per_doc, max_removed)}
    return replace(corpus, texts=texts, raw=raw if isinstance(raw, TextStore) else list(raw), audit=audit_df,
                   params={**corpus.params, "cleaning": params})


def detections(corpus: Corpus, *, recurring: bool | Mapping = True, boilerplate: bool | pd.DataFrame = True,
               group: str = "outlet", min_docs: int = 3, min_share: float = 0.5,
               executor: Executor | None = None) -> tuple[dict, pd.DataFrame | None]:
    """What :func:`clean` detects on the whole corpus: ``(recurring lines by group, boilerplate patterns or None)``.

    Both detectors look at the normalised raw texts of all documents (``detect_boilerplate`` on a
    seeded sample per outlet). Passing the two back to :func:`clean` (``recurring=``, ``boilerplate=``)
    cleans any batch of the corpus exactly as cleaning the whole corpus does, so a store is built batch
    by batch (:func:`discourse.build_store`). A dict or DataFrame given here is returned as it is.
    ``executor`` runs both detectors' tasks (``detect_boilerplate(executor=)``, ``recurring_lines(executor=)``);
    the texts' digests (identical texts count once) are computed once, for both.
    """
    raw = corpus.raw if corpus.raw is not None else corpus.texts
    # normalised on access (in the worker, for a task): the corpus is never copied whole
    norm = Corpus(NormalisedTexts(raw), corpus.metadata)
    if boilerplate is True:
        patterns = detect_boilerplate(norm, group, executor=executor)
    else:
        patterns = None if boilerplate is False else boilerplate
    if isinstance(recurring, Mapping):
        lines = {k: set(v) for k, v in recurring.items()}
    else:
        lines = recurring_lines(norm, group, min_docs, min_share, executor=executor) if recurring else {}
    return lines, patterns


def _removed_chars(removed: list) -> tuple:
    """A document's removals as one (0, characters, rule, "") a rule: all :func:`removal_checks` needs,
    in a fraction of the memory of every span kept for every document until the end."""
    if not removed:
        return ()
    chars: dict[str, int] = {}
    for s, e, rule, _ in removed:
        chars[rule] = chars.get(rule, 0) + e - s
    return tuple((0, n, rule, "") for rule, n in chars.items())


def _rules_for(row: dict, config: dict) -> list[tuple[str, dict]]:
    names: list[str] = []
    for prof in config["profiles"].values():
        match = prof.get("match") or {}
        if all(row.get(col) in (v if isinstance(v, list) else [v]) for col, v in match.items()):
            names += [n for n in prof.get("rules", []) if n not in names]
    return [(n, config["rules"][n]) for n in names]


def _prefilter(texts: list[str], rules: dict, min_docs: int = 200) -> list[frozenset[str]]:
    """For each document, the pattern rules that cannot match it, decided for all texts at once.

    Runs the pattern in polars (Rust's regex engine, linear-time like RE2,
    multi-threaded), so the per-document RE2 scan is needed only where there is
    a match. Patterns using syntax Rust lacks are not prefiltered.
    """
    if len(texts) < min_docs:
        return []
    import polars as pl

    series = pl.Series(texts, dtype=pl.String)
    names, hits = [], []
    for name, rule in rules.items():
        if rule["kind"] not in PATTERN_KINDS:
            continue
        try:
            hits.append(series.str.contains("(?m)" + _rust_ascii(rule["pattern"])).fill_null(False).to_numpy())
        except Exception:  # not valid in Rust's dialect: scan every document instead
            continue
        names.append(name)
    if not names:
        return []
    patterns, row_of = np.unique(np.column_stack(hits), axis=0, return_inverse=True)
    sets = [frozenset(n for n, hit in zip(names, p) if not hit) for p in patterns]
    return [sets[r] for r in row_of.ravel()]


# RE2's \b \d \s \w are ASCII; Rust's are Unicode: the prefilter must not say
# "cannot match" where RE2 would match, so it gets RE2's meaning spelled out
_ASCII_CLASSES = {"b": "(?-u:\\b)", "B": "(?-u:\\B)", "d": "[0-9]", "D": "[^0-9]", "s": "[\\t\\n\\f\\r ]",
                  "S": "[^\\t\\n\\f\\r ]", "w": "[0-9A-Za-z_]", "W": "[^0-9A-Za-z_]"}


def _rust_ascii(pattern: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ASCII_CLASSES.get(m.group(1), m.group()), pattern, flags=re.S)


def _line_spans(text: str, lines: set[str]) -> list[tuple[int, int]]:
    """Spans of the whole lines of ``text`` that read (stripped) as one of ``lines``.

    Found with ``str.find`` (C speed) rather than by walking every line.
    """
    spans = []
    for line in lines:
        pos = text.find(line)
        while pos != -1:
            start = text.rfind("\n", 0, pos) + 1
            end = text.find("\n", pos + len(line))
            end = len(text) if end == -1 else end + 1
            if not text[start:pos].strip() and not text[pos + len(line):end].strip():
                spans.append((start, end))
            pos = text.find(line, pos + len(line))
    return spans


def _lines(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, line) for every line, its line break included."""
    pos = 0
    for line in text.splitlines(keepends=True):
        yield pos, pos + len(line), line
        pos += len(line)


def _whole_lines(text: str, rx: Any, name: str) -> list[tuple[int, int, str]]:
    """The lines a ``line`` rule matches, whole and with their line break.

    The pattern need not match the whole line: ``^Read more:`` removes the line
    "Read more: our podcast", not only its first ten characters.
    """
    out: list[tuple[int, int, str]] = []
    for m in rx.finditer(text):
        if not m.group().strip():
            continue
        start = text.rfind("\n", 0, m.start()) + 1
        end = m.end() if m.group().endswith("\n") else text.find("\n", m.end())
        end = len(text) if end < 0 else end + (not m.group().endswith("\n"))
        if not out or start >= out[-1][1]:
            out.append((start, end, name))
    return out


class _Matcher:
    """The rules of one profile combination, each compiled once."""

    def __init__(self, rules: list[tuple[str, dict]]) -> None:
        # RE2 (linear time): a user's rule cannot hang on a hostile document
        self.rules = []
        for name, rule in rules:
            pattern = rule.get("pattern") if rule["kind"] in PATTERN_KINDS else None
            rx = compile_rule(pattern, rule["kind"] == "line") if pattern is not None else None
            self.rules.append((name, rule, rx))

    def spans(self, text: str, row: dict, skip: set[str] = frozenset()) -> list[tuple[int, int, str]]:
        """Spans to remove; rules in ``skip`` are known not to match this text."""
        spans: list[tuple[int, int, str]] = []
        for name, rule, rx in self.rules:
            if name in skip:
                continue
            kind = rule["kind"]
            if kind == "line":
                spans += _whole_lines(text, rx, name)
            elif kind == "span":
                spans += [(m.start(), m.end(), name) for m in rx.finditer(text) if m.end() > m.start()]
            elif kind == "block":
                m = rx.search(text)
                if m:
                    spans.append((m.start(), len(text), name))
            elif kind == "title":
                title = row.get("title")
                key = title.strip().casefold() if isinstance(title, str) else ""
                if key and key in text.casefold():
                    spans += [(s, e, name) for s, e, line in _lines(text) if line.strip().casefold() == key]
            elif kind == "duplicate":
                lines = [ln for ln in map(str.strip, text.splitlines()) if ln]
                if len(set(lines)) == len(lines):  # the common case: nothing repeated
                    continue
                seen: set[str] = set()
                for s, e, line in _lines(text):
                    line = line.strip()
                    if line in seen and _CONTENT.search(line):
                        spans.append((s, e, name))
                    seen.add(line)
        return spans


def _apply(text: str, spans: list[tuple[int, int, str, str]]) -> tuple[str, list]:
    """Replace spans (start, end, rule, replacement); where spans overlap, the earlier-listed rule keeps the overlap.

    Returns the kept text and the disjoint sorted rows.
    """
    removed: list[tuple[int, int, str, str]] = []
    for s, e, rule, rep in spans:
        pieces = [(s, e)]
        for ts, te, _, _ in removed:  # subtract what earlier rules took
            pieces = [p for a, b in pieces for p in ((a, min(b, ts)), (max(a, te), b)) if p[1] > p[0]]
        removed += [(a, b, rule, rep) for a, b in pieces]
    removed.sort()
    removed = separate_words(text, removed)
    out, pos = [], 0
    for s, e, _, rep in removed:
        out.append(text[pos:s])
        out.append(rep)
        pos = e
    out.append(text[pos:])
    return "".join(out), removed
