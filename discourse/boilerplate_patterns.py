r"""Pass 3 of :func:`discourse.detect_boilerplate`: the spans an outlet's recurring shingles cover, as patterns.

A task (:func:`chunk_occurrences`) takes a chunk of one outlet's documents with the token streams pass 1
made of them (:meth:`~discourse.boilerplate_shingles.LineStreams.arrays`: nothing is tokenized or hashed
again), marks the tokens covered by the outlet's candidate shingles and groups the runs of covered
tokens within a line by their token sequence. Everything a run contributes is local to its document
(a shingle never crosses a line), so the chunks of an outlet are independent: :func:`merge_occurrences`
sums them in document order (the first occurrence of a sequence in the outlet stays first) and
:func:`pattern_rows` makes the rows, which are therefore those of the outlet's documents taken at once.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Any, Iterable, Sequence

import numpy as np

from .boilerplate_shingles import LineStreams, token_offsets

__all__ = ["chunk_occurrences", "merge_occurrences", "pattern_rows"]

_DIGITS = re.compile(r"\d+")


def chunk_occurrences(texts: list[str], arrays: dict, cand_h: np.ndarray, cand_else: np.ndarray, n: int,
                      edge_lines: int) -> dict[tuple, list]:
    """A chunk's runs of covered tokens by token sequence (a task: module level, picklable).

    Returns ``{sequence: [documents, runs filling their line, runs, Counter of positions, largest share
    elsewhere, (document, line start, first token in the line, tokens) of the first run]}``, in order of
    first occurrence; documents are positions in the chunk.
    """
    s = LineStreams.from_arrays(texts, arrays)
    feat = s.features(n)
    h = feat["h"]
    hit = np.isin(h, cand_h)
    order = np.argsort(cand_h)
    values = np.nan_to_num(cand_else[order][np.searchsorted(cand_h[order], h[hit])].astype(float), nan=0.0)
    starts, lens = feat["start"][hit], feat["len"][hit]
    cover = np.zeros(len(s.ids) + 1, dtype=np.int64)
    np.add.at(cover, starts, 1)
    np.add.at(cover, starts + lens, -1)
    covered = np.cumsum(cover)[:-1] > 0
    worst = np.zeros(len(s.ids))  # largest share elsewhere of a shingle covering each token
    for j in range(n):  # a shingle covers at most n tokens: one vector operation per offset
        inside = lens > j
        np.maximum.at(worst, starts[inside] + j, values[inside])
    tok_line = np.repeat(np.arange(len(s.line_ptr) - 1), np.diff(s.line_ptr))
    # a run starts at a covered token whose predecessor is uncovered or on another line
    prev_same = np.r_[False, (tok_line[1:] == tok_line[:-1]) & covered[:-1]]
    run_start = np.flatnonzero(covered & ~prev_same)
    next_same = np.r_[(tok_line[1:] == tok_line[:-1]) & covered[1:], False]
    run_end = np.flatnonzero(covered & ~next_same) + 1
    occ: dict[tuple, list] = {}
    for a, b in zip(run_start.tolist(), run_end.tolist()):
        line = int(tok_line[a])
        d = int(s.line_doc[line])
        key = tuple(s.ids[a:b].tolist())
        lo, hi = int(s.line_ptr[line]), int(s.line_ptr[line + 1])
        rel, total = line - int(s.doc_line[d]), int(s.doc_line[d + 1] - s.doc_line[d])
        pos = "header" if rel < edge_lines else "footer" if rel >= total - edge_lines else "inline"
        e = occ.get(key)
        if e is None:
            occ[key] = e = [set(), 0, 0, Counter(), 0.0, (d, s.line_start[line], a - lo, b - a)]
        e[0].add(d)
        e[1] += a == lo and b == hi
        e[2] += 1
        e[3][pos] += 1
        e[4] = max(e[4], float(worst[a:b].max()))
    for e in occ.values():
        e[0] = len(e[0])
    return occ


def merge_occurrences(chunks: Iterable[tuple[dict, Sequence]]) -> dict[tuple, list]:
    """The occurrences of an outlet's chunks (in document order, each with the outlet positions of its
    documents) summed; a sequence's first run is that of the first chunk holding it, in outlet positions."""
    merged: dict[tuple, list] = {}
    for occ, positions in chunks:
        for key, (docs, whole, runs, where, worst, first) in occ.items():
            e = merged.get(key)
            if e is None:
                merged[key] = [docs, whole, runs, where, worst, (positions[first[0]], *first[1:])]
            else:
                e[0] += docs
                e[1] += whole
                e[2] += runs
                e[3].update(where)  # keeps the positions' order of first occurrence (ties of most_common)
                e[4] = max(e[4], worst)
    return merged


def pattern_rows(merged: dict[tuple, list], texts: Sequence[str], doc_ids: Sequence, name: Any, n_o: int,
                 elsewhere: bool, min_docs: int, params: dict) -> list[dict]:
    """One outlet's pattern rows (the sequences in at least ``min_docs`` documents); ``texts`` and ``doc_ids``
    are indexed by the positions :func:`merge_occurrences` gives (the text of a first run is read there)."""
    normalised = params["numbers"] == "normalised"
    rows = []
    for docs, whole_runs, runs, where, worst, (d0, begin, first, count) in merged.values():
        if docs < min_docs:
            continue
        text0 = texts[d0]
        starts, ends = token_offsets(text0, begin, first, count)
        text = text0[starts[0]:ends[-1]]
        whole = whole_runs * 2 >= runs
        body = _regex(text0, starts, ends, normalised)
        rows.append({"outlet": name, "text": _DIGITS.sub("#", text) if normalised else text,
                     "pattern": (r"(?im)^[ \t]*" + body + r"[ \t]*$") if whole else "(?i)" + body,
                     "kind": "line" if whole else "span", "position": where.most_common(1)[0][0],
                     "documents": docs, "share": round(docs / n_o, 4),
                     "share_elsewhere": round(worst, 4) if elsewhere else np.nan,
                     "example": doc_ids[d0], "accept": True})
    return rows


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
