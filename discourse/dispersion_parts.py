"""Dispersion by partitions: what each partition of the corpus contributes, and how the parts add up.

:func:`discourse.dispersion.dispersion` never holds the corpus' token stream or
document-term matrix: every measure is a sum over corpus parts (documents,
chunks of the stream, values of a column), so each partition adds its share
(a *map*, :func:`discourse.partitions.map_partitions`) and the shares are summed
(a *merge*), as groups x terms tables (the size of the result).

* Documents as parts (Gries 2008): a document lies in one partition, so its
  ``v_i`` is complete there. Pass 1 sums ``f = sum v_i``, the range and
  ``sum p_i`` (``p_i = v_i / N_i``) by group and term; pass 2, given them, sums
  the per-part terms of every measure (``(p_i - mean p)^2``, ``q_i log2 q_i`` with
  ``q_i = p_i / sum p``, ``sqrt(s_i v_i)``, ``|v_i / f - s_i|``, ``s_i``), which
  :func:`measures_from_sums` turns into the measures of
  :func:`discourse.stats.dispersion.dispersion_measures`; with ``equal=True`` (the equal-part
  forms) ``v_i`` and ``1 / n`` stand for ``p_i`` and ``s_i``. The largest ``1 - s_i`` by term
  (DPnorm's denominator after Egbert et al. 2020) is merged by maximum, not sum.
* Chunks of a group's stream and values of a column (:func:`part_rows`) may
  straddle partitions: each partition counts its tokens into the global part rows
  (parts x terms counts), summed exactly before any measure is taken.
* ARF (Savický & Hlaváčová 2002) sums ``min(d_k, w)`` over the gaps between a
  term's occurrences in the group's stream, ``w = N / f``: each partition sums
  its inner gaps and reports its first and last occurrence (positions in the
  group's stream); :func:`merge_arf` adds the gaps across partitions and the
  cyclic one, ``x_1 + N - x_f``.
"""
from __future__ import annotations

from typing import Any

from functools import reduce

import numpy as np
import scipy.sparse as sp

from .partitions import merge_sum
from .stats.dispersion import conventions
from .tokens import Tokens

__all__ = ["Layout", "part_rows", "first_pass", "second_pass", "merge_second", "merge_arf",
           "measures_from_sums"]


class Layout:
    """Where every document's tokens lie in its group's stream, computed once from ``doc_lengths``.

    ``codes`` (group of every document, -1: none), ``lengths``, ``offsets`` (position
    of each document's first token in its group's stream), ``sizes`` (tokens per
    group, ``N``), ``n_parts`` (non-empty documents per group), ``n_terms``.
    """

    def __init__(self, codes: np.ndarray, lengths: np.ndarray, n_groups: int, n_terms: int) -> None:
        self.codes, self.lengths = np.asarray(codes, np.int64), np.asarray(lengths, np.int64)
        self.n_groups, self.n_terms = n_groups, n_terms
        ok = np.flatnonzero(self.codes >= 0)
        self.sizes = np.bincount(self.codes[ok], self.lengths[ok], minlength=n_groups).astype(np.int64)
        self.n_parts = np.bincount(self.codes[ok], self.lengths[ok] > 0, minlength=n_groups).astype(np.int64)
        shortest = np.full(n_groups, np.inf)
        nonempty = ok[self.lengths[ok] > 0]
        np.minimum.at(shortest, self.codes[nonempty], self.lengths[nonempty])
        with np.errstate(divide="ignore", invalid="ignore"):
            self.s_min = shortest / self.sizes  # the smallest share s_i of each group (DPnorm's 1 - min s_i)
        order = ok[np.argsort(self.codes[ok], kind="stable")]  # documents by group, in corpus order
        ends = np.cumsum(self.lengths[order])
        group_start = np.r_[0, np.cumsum(self.sizes)[:-1]]
        self.offsets = np.zeros(len(self.codes), np.int64)
        self.offsets[order] = ends - self.lengths[order] - group_start[self.codes[order]]


def part_rows(layout: Layout, parts: Any, part_codes: np.ndarray | None = None) -> dict:
    """Global rows of the parts (chunks of ``parts`` tokens, or the (group, value) pairs of a column's
    ``part_codes``): the row of each document (column) or each group's first chunk row, the rows of each
    group and their sizes, in the order of :func:`discourse.dispersion.dispersion`'s parts."""
    g = layout.n_groups
    if part_codes is None:  # equal-size chunks of each group's stream; the last is shorter
        size = int(parts)
        n_chunks = -(-layout.sizes // size)
        base = np.r_[0, np.cumsum(n_chunks)].astype(np.int64)
        sizes = np.full(int(base[-1]), size, np.int64)
        last = base[1:][n_chunks > 0] - 1
        sizes[last] = layout.sizes[n_chunks > 0] - size * (n_chunks[n_chunks > 0] - 1)
        return {"chunk": size, "base": base, "n_rows": int(base[-1]), "sizes": sizes}
    ok = (layout.codes >= 0) & (part_codes >= 0)
    n_values = int(part_codes.max(initial=-1)) + 1
    key = layout.codes * n_values + part_codes
    rows = np.unique(key[ok])  # (group, value) pairs that occur, by group then value
    row_of_doc = np.full(len(key), -1, np.int64)
    row_of_doc[ok] = np.searchsorted(rows, key[ok])
    sizes = np.bincount(row_of_doc[ok], layout.lengths[ok], minlength=len(rows)).astype(np.int64)
    base = np.searchsorted(rows // max(n_values, 1), np.arange(g + 1))
    return {"chunk": None, "doc_rows": row_of_doc, "base": base, "n_rows": len(rows), "sizes": sizes}


def _entries(part: Tokens, first: int, codes: np.ndarray):
    """Non-zero entries of the partition's DTM whose document has a group: (group, term, count, document)."""
    m = part.dtm.tocsr()
    doc = np.repeat(np.arange(first, first + part.n_docs), np.diff(m.indptr))
    c = codes[doc]
    keep = c >= 0
    return c[keep], m.indices[keep].astype(np.int64), m.data[keep].astype(np.int64), doc[keep]


def _stream(part: Tokens, first: int, layout: Layout):
    """The partition's tokens whose document has a group: (group, term, position in the group's stream)."""
    lengths = np.asarray(part.doc_lengths, np.int64)
    docs = slice(first, first + part.n_docs)
    c = np.repeat(layout.codes[docs], lengths)
    # position in the group's stream = the document's offset there + the position in the document
    pos = np.repeat(layout.offsets[docs] - np.asarray(part.doc_ptr[:-1], np.int64), lengths) + np.arange(len(c))
    keep = c >= 0
    return c[keep], np.asarray(part.ids, np.int64)[keep], pos[keep]


class _Keyed:
    """Values keyed by ``row * n_terms + term``, sorted once (stably: stream order within a key) and summed by key."""

    def __init__(self, rows: np.ndarray, terms: np.ndarray, shape: tuple[int, int]) -> None:
        self.shape = shape
        key, n = rows * shape[1] + terms, len(rows)
        if shape[0] * shape[1] * max(n, 1) < 2 ** 62:  # one sort of unique int64s (key, index): much faster
            both = np.sort(key * n + np.arange(n))
            self.order, key = both % n, both // n
        else:
            self.order = np.argsort(key, kind="stable")
            key = key[self.order]
        if len(key):
            self.start = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
            self.ends = np.r_[self.start[1:], len(key)] - 1
        else:
            self.start = self.ends = np.zeros(0, np.int64)
        self.keys, self.runs = key[self.start], self.ends - self.start + 1

    def sum(self, values: np.ndarray, presorted: bool = False, ufunc: np.ufunc = np.add) -> np.ndarray:
        values = np.asarray(values) if presorted else np.asarray(values)[self.order]
        return ufunc.reduceat(values, self.start) if len(values) else values[:0]

    def table(self, data: np.ndarray) -> sp.csr_matrix:
        """A rows x terms CSR matrix of one value per key (keys sorted: built directly)."""
        rows = self.keys // self.shape[1]
        indptr = np.r_[0, np.cumsum(np.bincount(rows, minlength=self.shape[0]))]
        return sp.csr_matrix((data, self.keys % self.shape[1], indptr), shape=self.shape)

    def lookup(self, table: sp.csr_matrix) -> np.ndarray:
        """The value of ``table`` (a non-zero entry) at every key."""
        t = table.tocsr()
        t.sort_indices()
        keys = np.repeat(np.arange(t.shape[0], dtype=np.int64), np.diff(t.indptr)) * t.shape[1] + t.indices
        return t.data[np.searchsorted(keys, self.keys)]


def first_pass(part: Tokens, first: int, layout: Layout, rows: dict | None) -> tuple:
    """Pass 1 of one partition: ``f``, range and ``sum p`` by group and term; the counts of the part rows."""
    shape = (layout.n_groups, layout.n_terms)
    c, w, v, doc = _entries(part, first, layout.codes)
    k = _Keyed(c, w, shape)
    out = (k.table(k.sum(v)), k.table(k.runs), k.table(k.sum(v / layout.lengths[doc])))
    if rows is None:
        return out
    shape = (rows["n_rows"], layout.n_terms)
    if rows["chunk"] is None:  # the documents' (group, value) rows
        r = rows["doc_rows"][doc]
        keep = r >= 0
        k = _Keyed(r[keep], w[keep], shape)
        return out + (k.table(k.sum(v[keep])),)
    c, w, pos = _stream(part, first, layout)  # each token's chunk of its group's stream
    k = _Keyed(rows["base"][c] + pos // rows["chunk"], w, shape)
    return out + (k.table(k.runs),)


def second_pass(part: Tokens, first: int, layout: Layout, freq: sp.csr_matrix, sum_p: sp.csr_matrix | None,
                equal: bool = False) -> tuple:
    """Pass 2 of one partition, given the corpus' ``f`` (and ``sum p``; ``f`` when ``equal``) by group and term.

    The per-part terms of the document measures summed by group and term (when
    ``sum_p`` is given: documents are the parts), and the ARF pieces: for every
    (group, term) here, its key ``group * n_terms + term``, first and last position
    in the group's stream and the sum of ``min(gap, w)`` over the gaps inside.
    """
    shape = (layout.n_groups, layout.n_terms)
    sums = None
    if sum_p is not None:
        c, w, v, doc = _entries(part, first, layout.codes)
        k = _Keyed(c, w, shape)
        c, v, doc = c[k.order], v[k.order], doc[k.order]
        f, total_p = np.repeat(k.lookup(freq), k.runs).astype(float), np.repeat(k.lookup(sum_p), k.runs)
        p = v.astype(float) if equal else v / layout.lengths[doc]
        q = p / total_p
        s = 1 / layout.n_parts[c] if equal else layout.lengths[doc] / layout.sizes[c]
        terms = ((p - total_p / layout.n_parts[c]) ** 2, q * np.log2(q), np.sqrt(s * v), np.abs(v / f - s), s)
        sums = tuple(k.table(k.sum(x, presorted=True)) for x in terms)
        sums += (k.table(k.sum(1 - s, presorted=True, ufunc=np.maximum)),)
    c, w, pos = _stream(part, first, layout)
    k = _Keyed(c, w, shape)
    pos = pos[k.order]
    window = np.repeat(layout.sizes[k.keys // shape[1]] / k.lookup(freq), k.runs)
    gap = np.zeros(len(pos))
    gap[1:] = np.minimum(np.diff(pos), window[1:])
    gap[k.start] = 0.0  # the gap into a term's first occurrence here is added by merge_arf
    return sums, (k.keys, pos[k.start], pos[k.ends], k.sum(gap, presorted=True))


def merge_second(results: list) -> tuple:
    """The partitions' pass-2 results added: the summed tables (or None) and the ARF pieces in order."""
    sums = [r[0] for r in results if r[0] is not None]
    total = None
    if sums:  # the last table, the largest 1 - s_i, by maximum (all entries are >= 0)
        total = merge_sum([x[:-1] for x in sums]) + (reduce(lambda a, b: a.maximum(b), [x[-1] for x in sums]).tocsr(),)
    pieces = [np.concatenate([r[1][i] for r in results]) for i in range(4)]
    return total, pieces


def merge_arf(pieces: list, layout: Layout, freq: sp.csr_matrix) -> sp.csr_matrix:
    """ARF by group and term (Savický & Hlaváčová 2002): ``(1 / w) * sum_k min(d_k, w)``, ``w = N / f``.

    Adds each partition's inner gaps, the gaps between a term's last occurrence in
    one partition and its first in the next that has it, and the cyclic gap
    ``x_1 + N - x_f``; a groups x terms table (absent terms: no entry).
    """
    key, lo, hi, inner = pieces
    V = layout.n_terms
    k = _Keyed(key // V, key % V, (layout.n_groups, V))  # partitions in order within a key
    lo, hi, inner = lo[k.order], hi[k.order], inner[k.order]
    window = layout.sizes[k.keys // V] / k.lookup(freq)
    cross = np.zeros(len(lo))
    cross[1:] = np.minimum(lo[1:] - hi[:-1], np.repeat(window, k.runs)[1:])
    cross[k.start] = 0.0
    cyclic = np.minimum(lo[k.start] + layout.sizes[k.keys // V] - hi[k.ends], window)
    return k.table((cyclic + k.sum(inner + cross, presorted=True)) / window)


def measures_from_sums(freq: np.ndarray, rng: np.ndarray, sum_p: np.ndarray, sums: tuple, n: int, s_min: float,
                       sd: str, dp_norm: str, direction: str, clamp_d: bool = False) -> dict[str, np.ndarray]:
    """The measures of :func:`discourse.stats.dispersion.dispersion_measures` from their sums over the parts.

    ``sums`` are, by term, the sums over the parts where it occurs of ``(p_i - mean p)^2``,
    ``q_i log2 q_i``, ``sqrt(s_i v_i)``, ``|v_i / f - s_i|`` and ``s_i``; a part where the term
    is absent adds ``mean p^2`` to the squares (added here) and ``s_i`` to DP (``1 - sum s_i``):
    Juilland's ``D = 1 - (sd(p) / mean p) / sqrt(n - 1)``, Carroll's ``D2 = -sum q log2 q / log2 n``,
    Rosengren's ``S = (sum sqrt(s_i v_i))^2 / f``, Gries' ``DP = 0.5 * sum |v_i / f - s_i|`` and DPnorm.
    The last sum is the largest ``1 - s_i`` (``dp_norm="occupied"``); ``clamp_d`` and ``direction`` as in
    :func:`discourse.stats.dispersion.conventions`. Terms with ``f = 0``: NaN.
    """
    squares, qlogq, roots, dev, share, occupied = sums
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_p = sum_p / n
        ss = squares + (n - rng) * mean_p ** 2
        sdev = np.sqrt(ss / (n if sd == "population" else n - 1))
        juilland = 1 - (sdev / mean_p) / np.sqrt(n - 1)
        carroll = (0.0 - qlogq) / np.log2(n)
        rosengren = roots ** 2 / freq
        dp = 0.5 * (dev + 1 - share)
        dpn = dp / {"min_part": 1 - s_min, "equal_parts": 1 - 1 / n, "occupied": occupied}[dp_norm]
    absent, few = freq == 0, n < 2
    out = {"freq": freq, "range": rng, "range_prop": rng / max(n, 1),
           "juilland_d": np.where(absent | few, np.nan, juilland), "carroll_d2": np.where(absent | few, np.nan, carroll),
           "rosengren_s": np.where(absent, np.nan, rosengren), "dp": np.where(absent, np.nan, dp),
           "dp_norm": np.where(absent | few, np.nan, dpn)}
    return conventions(out, clamp_d, direction)
