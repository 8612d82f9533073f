"""Text-level tests (Lijffijt et al. 2016) on every column of two sparse document x term matrices.

Per-document relative frequencies respect that a word's occurrences cluster in
documents, which token-level tests (G2, chi-square) ignore. Each test runs on
the non-zero entries only: the zeros of a column enter the sums in closed
form, or as one tie group in the ranks.
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy import special

from .arrays import Segments
from .resampling import bootstrap_p_value, bootstrap_weights

__all__ = ["ColumnSplit", "Ranks", "stacked_entries", "welch_split", "welch_test", "mann_whitney_split",
           "mann_whitney_test", "bootstrap_test"]


class ColumnSplit:
    """Non-zero entries of candidate columns, sorted by column, with a target/reference flag.

    ``colsum(x)`` sums ``x`` per column over the column segments
    (:class:`~discourse.stats.arrays.Segments`); ``sums(x)`` gives the target's
    and the reference's sums (the latter as total minus target);
    ``pick(a_t, a_r)`` gathers a per-column value of each entry's own side with
    a single index.
    """

    def __init__(self, col: np.ndarray, is_t: np.ndarray, k: int, nnz: np.ndarray | None = None) -> None:
        self.col, self.is_t, self.k = col, is_t, k
        self._seg = Segments(col, k, nnz)
        self.colsum = self._seg.sum
        self.w = is_t.astype(float)
        self.nnz_t = self.colsum(self.w)
        self.nnz_r = self._seg.nnz - self.nnz_t
        self._flat = np.where(is_t, col + k, col)  # index into [reference values..., target values...]

    def sums(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        target = self.colsum(x * self.w)
        return target, self.colsum(x) - target

    def pick(self, a_t: np.ndarray, a_r: np.ndarray) -> np.ndarray:
        return np.concatenate([a_r, a_t])[self._flat]


def stacked_entries(y_t: sp.spmatrix, y_r: sp.spmatrix) -> tuple[ColumnSplit, np.ndarray, int, int]:
    """The stacked non-zero entries of two document x term matrices."""
    y = sp.vstack([sp.csr_matrix(y_t, dtype=float), sp.csr_matrix(y_r, dtype=float)], format="csc")
    y.eliminate_zeros()
    col = np.repeat(np.arange(y.shape[1]), np.diff(y.indptr))
    return ColumnSplit(col, y.indices < y_t.shape[0], y.shape[1]), y.data, y_t.shape[0], y_r.shape[0]


def welch_split(split: ColumnSplit, val: np.ndarray, n1: int, n2: int) -> tuple[np.ndarray, np.ndarray]:
    sum_t, sum_r = split.sums(val)
    m1, m2 = sum_t / n1, sum_r / n2
    ss_t, ss_r = split.sums((val - split.pick(m1, m2)) ** 2)
    # sums of squares around each side's mean: its non-zero values plus its zeros (n - nnz) * mean^2
    ss1 = ss_t + (n1 - split.nnz_t) * m1 ** 2
    ss2 = ss_r + (n2 - split.nnz_r) * m2 ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        q1, q2 = ss1 / (n1 - 1) / n1, ss2 / (n2 - 1) / n2
        t = (m1 - m2) / np.sqrt(q1 + q2)
        df = (q1 + q2) ** 2 / (q1 ** 2 / (n1 - 1) + q2 ** 2 / (n2 - 1))
        p = 2 * special.stdtr(df, -np.abs(t))  # Student t CDF, as a ufunc
    return t, p


def welch_test(y_t: sp.spmatrix, y_r: sp.spmatrix) -> tuple[np.ndarray, np.ndarray]:
    """Welch's unequal-variance t-test (Welch 1947) on every column of two document x term matrices.

    ``t = (m_1 - m_2) / sqrt(v_1/n_1 + v_2/n_2)`` with sample variances, Welch–Satterthwaite
    degrees of freedom, two-sided p-value; as :func:`scipy.stats.ttest_ind` with ``equal_var=False``.
    Computed from the non-zero entries only (zeros enter the sums in closed form).
    """
    return welch_split(*stacked_entries(y_t, y_r))


def _within_column_order(val: np.ndarray, col: np.ndarray, max_length: int | None = None
                         ) -> tuple[np.ndarray, np.ndarray]:
    """Order of positive values by column, then value, and the sorted keys ``col + val / (2 max)``.

    One float sort instead of a lexsort. Equal values give equal keys, so ties
    stay ties. Different values could merge into one key by rounding; for
    relative frequencies ``v / N`` with ``N <= max_length`` two different values
    differ by at least ``1 / max_length^2``, and when that gap dwarfs the
    spacing of floats near the largest key no check is needed; otherwise merged
    keys are detected and an exact lexsort is used.
    """
    if not len(val):
        return np.zeros(0, np.intp), np.zeros(0)
    scale = 0.5 / val.max()
    key = col + val * scale
    order = np.argsort(key)
    k = key[order]
    safe = max_length is not None and scale / max_length ** 2 > 1e3 * np.spacing(float(col.max()) + 1)
    if not safe and np.any((k[1:] == k[:-1]) & (val[order][1:] != val[order][:-1])):
        order = np.lexsort((val, col))
        v, c = val[order], col[order]
        return order, np.cumsum(np.r_[0, (v[1:] != v[:-1]) | (c[1:] != c[:-1])]).astype(float)
    return order, k


class Ranks:
    """Mann–Whitney ranks of the non-zero entries of some columns among ``n`` documents.

    Zeros are one tie group per column with the lowest ranks; only non-zero
    values are sorted, once, so that several comparisons over the same
    documents (each outlet against the rest) share the sort.
    """

    def __init__(self, col: np.ndarray, val: np.ndarray, k: int, n: int, max_length: int | None = None,
                 nnz: np.ndarray | None = None) -> None:
        self.seg = Segments(col, k, nnz)  # sorting within columns keeps the column segments
        self.order, key = _within_column_order(val, col, max_length)
        starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])  # first entry of each tie group
        size = np.diff(np.r_[starts, len(key)])
        c_group = col[self.order[starts]]
        first = starts - np.r_[0, np.cumsum(self.seg.nnz)[:-1]][c_group]  # position among the column's non-zeros
        self.n, self.z = n, n - self.seg.nnz  # zeros per column
        self.rank = np.repeat(self.z[c_group] + first + (size + 1) / 2, size)  # average rank, sorted order
        self.ties = np.bincount(c_group, size.astype(float) ** 3 - size, k) + self.z.astype(float) ** 3 - self.z

    def test(self, is_t: np.ndarray, n1: int) -> tuple[np.ndarray, np.ndarray]:
        """U of the target and the two-sided p-value; ``is_t`` flags target entries (original order)."""
        n, n2, z = self.n, self.n - n1, self.z
        w = is_t[self.order].astype(float)
        r1 = self.seg.sum(self.rank * w) + (n1 - self.seg.sum(w)) * (z + 1) / 2
        u1 = r1 - n1 * (n1 + 1) / 2
        with np.errstate(divide="ignore", invalid="ignore"):
            sigma = np.sqrt(n1 * n2 / 12 * ((n + 1) - self.ties / (n * (n - 1))))
            zval = (np.maximum(u1, n1 * n2 - u1) - n1 * n2 / 2 - 0.5) / sigma
            p = np.minimum(1.0, 2 * special.ndtr(-zval))
        return u1, p


def mann_whitney_split(split: ColumnSplit, val: np.ndarray, n1: int, n2: int,
                  max_length: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    ranks = Ranks(split.col, val, split.k, n1 + n2, max_length, split.nnz_t + split.nnz_r)
    return ranks.test(split.is_t, n1)


def mann_whitney_test(y_t: sp.spmatrix, y_r: sp.spmatrix) -> tuple[np.ndarray, np.ndarray]:
    """Mann–Whitney U test (Mann & Whitney 1947) on every column of two document x term matrices.

    Ranks exploit sparsity: the zeros of a column are one tie group with the
    average rank ``(z + 1) / 2``; only non-zero values are sorted (values must be
    non-negative, as relative frequencies are). Returns ``U`` of the target
    (``R_1 - n_1 (n_1 + 1) / 2``) and the two-sided p-value of the normal
    approximation with tie and continuity correction,
    ``z = (max(U_1, U_2) - n_1 n_2 / 2 - 0.5) / sigma``,
    ``sigma^2 = n_1 n_2 / 12 ((n + 1) - sum(t^3 - t) / (n (n - 1)))`` — the same as
    :func:`scipy.stats.mannwhitneyu` with ``method="asymptotic"``.
    """
    return mann_whitney_split(*stacked_entries(y_t, y_r))


def bootstrap_test(c_t: sp.spmatrix, len_t: np.ndarray, c_r: sp.spmatrix, len_r: np.ndarray,
                   n_boot: int = 1000, seed: int = 0) -> np.ndarray:
    """Bootstrap test over documents (Lijffijt et al. 2016) for every column.

    Each replicate resamples the documents of each corpus with replacement and
    recomputes the term's relative frequency ``sum v / sum N`` in both. With
    ``k_≤`` replicates where the target frequency is at most the reference one
    (and ``k_≥`` at least), the two-sided p-value is
    ``min(1, 2 min(k_≤ + 1, k_≥ + 1) / (n_boot + 1))`` (Davison & Hinkley 1997's
    +1 correction, so p is never 0; :func:`~discourse.stats.resampling.bootstrap_p_value`).
    Vectorised: blocks of replicates x documents draw counts
    (:func:`~discourse.stats.resampling.bootstrap_weights`) times the sparse counts;
    the random generator is ``numpy.random.default_rng(seed)``.
    """
    rng = np.random.default_rng(seed)

    def replicate_freqs(counts, lengths):
        counts = sp.csr_matrix(counts, dtype=float)
        lengths = np.asarray(lengths, dtype=float)
        blocks = [np.asarray((counts.T @ w.T).T) / (w @ lengths)[:, None]
                  for w in bootstrap_weights(counts.shape[0], n_boot, rng)]
        return np.vstack(blocks)

    f_t, f_r = replicate_freqs(c_t, len_t), replicate_freqs(c_r, len_r)
    return bootstrap_p_value((f_t <= f_r).sum(axis=0), (f_t >= f_r).sum(axis=0), n_boot)
