"""Recurring lines: the lines that recur across the documents of one group (an outlet's boilerplate).

:func:`recurring_lines` counts, for every group, in how many of its distinct documents each stripped
line occurs. It runs as two passes of tasks over chunks of a group's documents (module-level
functions of a list of texts: in this process or in worker processes, :func:`discourse.workers.ordered_map`),
as the boilerplate detector's passes do (:mod:`discourse.boilerplate_shingles`):

1. :func:`line_doc_freq`: a 64-bit hash of every distinct line of each document
   (:func:`pandas.util.hash_array`, fixed key: the same in every process, unlike Python's ``hash``),
   and how many of the chunk's documents hold each; the chunks of a group are summed and the hashes
   held by at least the threshold are the candidates;
2. :func:`candidate_line_counts`: the lines themselves whose hash is a candidate, counted exactly.

A hash is held by at least as many documents as any line with that hash, so the candidates include
every recurring line, and the exact count of pass 2 drops the lines that only share a hash: the
result is the exact set of lines at or above the threshold, however the documents are chunked and
wherever the tasks run.
"""
from __future__ import annotations

from collections import Counter
from concurrent.futures import Executor
from itertools import groupby, repeat
from typing import Any, Sequence

import numpy as np
import pandas as pd

from .boilerplate_shingles import merge_doc_freq
from .corpus import Corpus
from .normalisation import text_digests, texts_at
from .workers import ordered_map

__all__ = ["recurring_lines", "line_doc_freq", "candidate_line_counts"]

_CHUNK = 1000  # documents a task
_AHEAD = 4     # tasks in flight with an executor


def recurring_lines(corpus: Corpus, group: str = "outlet", min_docs: int = 3, min_share: float = 0.5,
                    min_chars: int = 3, *, executor: Executor | None = None) -> dict[Any, set[str]]:
    """Lines that recur across documents of one group: boilerplate.

    A line (stripped, at least ``min_chars`` characters) is boilerplate for a
    group when it occurs in at least ``max(min_docs, min_share * n_docs)`` of the
    group's documents. Groups with fewer than ``min_docs`` documents yield none,
    so a one-article outlet never loses text to this rule. Identical documents
    count once (``n_docs`` is the number of distinct texts), so copies of one
    article are not emptied as each other's boilerplate. ``executor`` (e.g. a
    ``ProcessPoolExecutor``; ``build_store`` passes its workers) runs the counting
    tasks, 1,000 documents each; the lines are the same either way.
    """
    if group not in corpus.metadata.columns:
        return {}
    groups = [(key, positions) for key, positions in corpus.metadata.groupby(group, dropna=True).indices.items()
              if len(positions) >= min_docs]
    if not groups:
        return {}
    texts = corpus.texts
    digests = text_digests(texts, executor)
    kept = []  # (group, its distinct documents: identical texts count once, threshold)
    for key, positions in groups:
        distinct = list({digests[i]: i for i in positions}.values())
        if len(distinct) >= min_docs:
            kept.append((key, distinct, max(min_docs, min_share * len(distinct))))

    def run(fn: Any, chunks: list, *iterables: Any) -> Any:
        return ordered_map(fn, (texts_at(texts, p) for _, p in chunks), *iterables, executor=executor, ahead=_AHEAD)

    def chunked(which: list) -> list:
        return [(g, docs[k:k + _CHUNK]) for g, docs in which for k in range(0, len(docs), _CHUNK)]

    # pass 1: the candidate hashes of each group (its chunks are consecutive)
    chunks = chunked([(g, docs) for g, (_, docs, _) in enumerate(kept)])
    candidates = {}
    for g, parts in groupby(zip((g for g, _ in chunks), run(line_doc_freq, chunks, repeat(min_chars))), key=lambda x: x[0]):
        h, n = merge_doc_freq([part for _, part in parts])
        if (n >= kept[g][2]).any():
            candidates[g] = h[n >= kept[g][2]]
    # pass 2: the candidate lines counted exactly
    chunks = chunked([(g, kept[g][1]) for g in candidates])
    found: dict[Any, set[str]] = {}
    counted = run(candidate_line_counts, chunks, (candidates[g] for g, _ in chunks), repeat(min_chars))
    for g, parts in groupby(zip((g for g, _ in chunks), counted), key=lambda x: x[0]):
        counts: Counter = Counter()
        for _, part in parts:
            counts.update(part)
        lines = {ln for ln, c in counts.items() if c >= kept[g][2]}
        if lines:
            found[kept[g][0]] = lines
    return found


def _doc_lines(texts: Sequence[str], min_chars: int) -> list[str]:
    """The distinct stripped lines (at least ``min_chars`` characters) of each text, one after another."""
    out: list[str] = []
    for text in texts:
        out += {ln for ln in map(str.strip, text.splitlines()) if len(ln) >= min_chars}
    return out


def _hashes(lines: list[str]) -> np.ndarray:
    if not lines:
        return np.zeros(0, np.uint64)
    # categorize=False: the lines are mostly distinct, factorising them first costs more than it saves
    return pd.util.hash_array(np.array(lines, dtype=object), categorize=False)


def line_doc_freq(texts: Sequence[str], min_chars: int) -> tuple[np.ndarray, np.ndarray]:
    """Pass 1 (a chunk of one group's distinct texts): the sorted distinct hashes of their lines and how many
    texts hold each."""
    h, n = np.unique(_hashes(_doc_lines(texts, min_chars)), return_counts=True)
    return h, n.astype(np.int64)


def candidate_line_counts(texts: Sequence[str], candidates: np.ndarray, min_chars: int) -> dict[str, int]:
    """Pass 2 (a chunk of one group's distinct texts): how many of them hold each line whose hash is a candidate."""
    lines = _doc_lines(texts, min_chars)
    keep = np.isin(_hashes(lines), candidates)
    return dict(Counter(ln for ln, k in zip(lines, keep.tolist()) if k))
