"""The document-level columns of :func:`discourse.keyness.keyness`: document frequency, Gries' DP and the
text-level tests (Lijffijt et al. 2016) of the listed terms.

They need each listed term's count in every document: :func:`doc_columns` gathers those columns from
every partition (:class:`~discourse.keyness_sides.TermColumns`) a chunk of terms at a time, so memory is
that of one chunk's entries; every statistic is a function of one term's column.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import scipy.sparse as sp

from .keyness_sides import Side, TermColumns
from .stats.dispersion import dp_from_entries
from .stats.tests import ColumnSplit, Ranks, bootstrap_test, mann_whitney_split, welch_split
from .tokens import Tokens

__all__ = ["doc_columns"]

_ENTRIES_AT_ONCE = 4_000_000  # occurrences of the terms whose columns are gathered at once (~0.5 GB of entries)


def _doc_level(tokens: Tokens, csc: TermColumns | None, t: Side, r: Side, cols: np.ndarray, n_vocab: int,
               tests: Sequence[str], min_docs: int, n_boot: int, seed: int, notes: list[str],
               shared: tuple | None = None) -> dict[str, np.ndarray]:
    """Document frequency, DP and text-level tests of the terms ``cols`` (ids beyond the vocabulary: 0 / NaN).

    Works on the non-zero entries of the candidate columns of the DTM, each
    document labelled target, reference or neither, so that nothing is copied
    per side but the entries themselves.
    """
    k = len(cols)
    names = ("doc_freq_target", "doc_freq_reference", "dp_target", "dp_reference", "welch_t", "welch_p",
             "mann_whitney_u", "mann_whitney_p", "bootstrap_p")
    out = {c: np.full(k, np.nan) for c in names}
    inside = cols < n_vocab
    lengths = tokens.doc_lengths
    sides = [(name, s) for name, s in (("target", t), ("reference", r)) if s.docs is not None]
    n_docs = {name: int(np.count_nonzero(lengths[s.docs])) for name, s in sides}
    can_test = bool(tests) and len(sides) == 2
    if can_test and min(n_docs.values()) < min_docs:
        can_test = False
        notes.append(f"text-level tests ({', '.join(tests)}) not computed for {t.name} vs {r.name}: they need at "
                     f"least {min_docs} documents per side, and there are {n_docs['target']} and {n_docs['reference']}")
    if k == 0 or not sides:
        return out
    sub = csc[cols[inside]]
    kin = sub.shape[1]
    nnz = np.diff(sub.indptr)
    col = np.repeat(np.arange(kin), nnz)
    row, v = sub.indices, sub.data.astype(float)
    label = np.full(tokens.n_docs, -1, np.int8)
    for code, (_, side) in enumerate(sides):
        label[side.docs] = code
    lab = label[row]
    if lab.min(initial=0) < 0:  # documents of neither side (pairwise comparisons): leave them out
        keep = lab >= 0
        col, row, v, lab = col[keep], row[keep], v[keep], lab[keep]
        nnz = None
    split = ColumnSplit(col, lab == 0, kin, nnz)
    len_e = lengths[row].astype(float)
    # Gries' DP of both sides at once: s_i = N_i / N_side, f = the side's frequency
    size_t, size_r = (max(int(lengths[side.docs].sum()), 1) if side.docs is not None else 1 for side in (t, r))
    f_t, f_r = split.sums(v)
    share = len_e / split.pick(np.full(kin, float(size_t)), np.full(kin, float(size_r)))
    dp = dict(zip(("target", "reference"), dp_from_entries(split.sums, v, split.pick(f_t, f_r), share)))
    per_side = {"target": (split.nnz_t, f_t), "reference": (split.nnz_r, f_r)}
    for name, _ in sides:
        doc_freq, f = per_side[name]
        out[f"doc_freq_{name}"][~inside] = 0
        out[f"doc_freq_{name}"][inside] = doc_freq
        out[f"dp_{name}"][inside] = np.where(f == 0, np.nan, dp[name])
    if not can_test:
        return out
    y = v / len_e  # relative frequencies, by division (2/147 == 4/294 exactly)
    args = (split, y, n_docs["target"], n_docs["reference"])
    if "welch" in tests:
        out["welch_t"][inside], out["welch_p"][inside] = welch_split(*args)
    if "mann_whitney" in tests:
        if shared is not None:  # ranks sorted once for all comparisons over these documents
            ranks, union_cols, union_rows = shared
            in_target = np.zeros(tokens.n_docs, bool)
            in_target[t.docs] = True
            u, p = ranks.test(in_target[union_rows], n_docs["target"])
            pos = np.searchsorted(union_cols, cols[inside])
            out["mann_whitney_u"][inside], out["mann_whitney_p"][inside] = u[pos], p[pos]
        else:
            out["mann_whitney_u"][inside], out["mann_whitney_p"][inside] = mann_whitney_split(*args, int(lengths.max()))
    if "bootstrap" in tests:
        mats = []
        for code, (_, side) in enumerate(sides):
            docs = side.docs[lengths[side.docs] > 0]
            local = np.full(tokens.n_docs, -1)
            local[docs] = np.arange(len(docs))
            m = lab == code
            mats += [sp.csr_matrix((v[m], (local[row[m]], col[m])), shape=(len(docs), kin)), lengths[docs]]
        out["bootstrap_p"][inside] = bootstrap_test(*mats, n_boot=n_boot, seed=seed)
    return out


def doc_columns(tokens: Any, pairs: list, doc_sets: list[np.ndarray], n_vocab: int, tests: list, min_docs: int,
                 n_boot: int, seed: int, notes: list[str]) -> list[dict[str, np.ndarray]]:
    """The document-level columns of every comparison, the listed terms' columns gathered a chunk of terms at a time.

    A chunk holds terms of at most :data:`_ENTRIES_AT_ONCE` occurrences (a bound on their entries in the
    document-term matrix), so memory is that of one chunk's entries, not of every listed term's (at 100M
    tokens the significant terms of a comparison are most of the vocabulary). Every statistic is a
    function of one term's column, so the chunks give the values of one pass.
    """
    if not any(t.docs is not None for t, _ in pairs):
        return [_doc_level(tokens, None, t, r, d, n_vocab, tests, min_docs, n_boot, seed, notes)
                for (t, r), d in zip(pairs, doc_sets)]
    wanted = np.unique(np.concatenate(doc_sets + [np.zeros(0, np.int64)]))
    wanted = wanted[wanted < n_vocab]
    occurrences = np.zeros(n_vocab)
    for t, r in pairs:
        occurrences = np.maximum(occurrences, t.freq[:n_vocab] + r.freq[:n_vocab])
    chunk_of = (np.cumsum(occurrences[wanted]) - 1) // _ENTRIES_AT_ONCE if len(wanted) else np.zeros(0)
    bounds = np.r_[0, np.flatnonzero(np.diff(chunk_of)) + 1, len(wanted)] if len(wanted) else np.array([0, 0])
    out = [{} for _ in pairs]
    for k in range(len(bounds) - 1):
        chunk = wanted[bounds[k]:bounds[k + 1]]
        csc = TermColumns(tokens, chunk)
        # terms beyond the vocabulary (an external reference's) go with the first chunk
        picks = [np.isin(d, chunk) | ((d >= n_vocab) & (k == 0)) for d in doc_sets]
        shared = (_shared_ranks(tokens, csc, pairs, [d[p] for d, p in zip(doc_sets, picks)], n_vocab)
                  if "mann_whitney" in tests else None)
        for j, ((t, r), d, pick) in enumerate(zip(pairs, doc_sets, picks)):
            part = _doc_level(tokens, csc, t, r, d[pick], n_vocab, tests, min_docs, n_boot, seed,
                              notes if k == 0 else [], shared)  # a note once, not once a chunk
            for name, values in part.items():
                out[j].setdefault(name, np.full(len(d), np.nan))[pick] = values
        del csc, shared
    return out


def _shared_ranks(tokens: Tokens, csc: TermColumns, pairs: list, col_sets: list[np.ndarray],
                  n_vocab: int) -> tuple | None:
    """Mann–Whitney ranks for the union of the candidate terms when all comparisons cover the same documents.

    That is the case of each group against the rest: the ranks of a term
    among all documents do not depend on which group is the target, so they
    are sorted once instead of once per group.
    """
    if len(pairs) < 2 or any(t.docs is None or r.docs is None for t, r in pairs):
        return None
    docs = np.union1d(pairs[0][0].docs, pairs[0][1].docs)
    if any(not np.array_equal(np.union1d(t.docs, r.docs), docs) for t, r in pairs[1:]):
        return None
    lengths = tokens.doc_lengths
    union_cols = np.unique(np.concatenate(col_sets))
    union_cols = union_cols[union_cols < n_vocab]
    if not len(union_cols):  # no candidate terms (e.g. nothing significant): nothing to rank
        return None
    sub = csc[union_cols]
    nnz = np.diff(sub.indptr)
    col, row, v = np.repeat(np.arange(len(union_cols)), nnz), sub.indices, sub.data.astype(float)
    member = np.zeros(tokens.n_docs, bool)
    member[docs[lengths[docs] > 0]] = True
    if not member[row].all():
        keep = member[row]
        col, row, v, nnz = col[keep], row[keep], v[keep], None
    ranks = Ranks(col, v / lengths[row], len(union_cols), int(member.sum()), int(lengths.max()), nnz)
    return ranks, union_cols, row
