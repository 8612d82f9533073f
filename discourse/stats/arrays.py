"""Array building blocks shared by the statistics: per-column sums over sorted entries, unique integers."""
from __future__ import annotations

import numpy as np

__all__ = ["Segments", "unique_ints"]


class Segments:
    """Per-column sums (and maxima) for entries sorted by column: ``np.add.reduceat`` over the column segments.

    Give the column of each entry (``col``) or the number of entries per column
    (``nnz``). About ten times faster than a weighted ``np.bincount`` (no index
    cast, sequential reads).
    """

    def __init__(self, col: np.ndarray | None, k: int, nnz: np.ndarray | None = None) -> None:
        self.k = k
        self.nnz = np.bincount(col, minlength=k) if nnz is None else np.asarray(nnz).astype(np.int64)
        self._nonempty = self.nnz > 0
        self._starts = np.r_[0, np.cumsum(self.nnz)[:-1]][self._nonempty]

    def sum(self, x: np.ndarray) -> np.ndarray:
        """Sum of ``x`` (one value per entry) in each column."""
        out = np.zeros(self.k)
        if len(x):
            out[self._nonempty] = np.add.reduceat(x, self._starts)
        return out

    def max(self, x: np.ndarray) -> np.ndarray:
        """Largest ``x`` in each column (0 for a column without entries)."""
        out = np.zeros(self.k)
        if len(x):
            out[self._nonempty] = np.maximum.reduceat(x, self._starts)
        return out


def unique_ints(a: np.ndarray, return_counts: bool = False):
    """Sorted unique values of a 1-D integer array (and their counts), like ``np.unique``.

    By sorting (numpy's SIMD sort): numpy >= 2.3's hash-based ``np.unique`` takes
    seconds on millions of int64 values where this takes tens of milliseconds.
    """
    s = np.sort(np.asarray(a).ravel())
    first = np.flatnonzero(np.r_[True, s[1:] != s[:-1]]) if len(s) else np.zeros(0, np.int64)
    if not return_counts:
        return s[first]
    return s[first], np.diff(np.r_[first, len(s)])
