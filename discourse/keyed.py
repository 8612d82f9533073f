"""Counts keyed by integers (``group * n_terms + term``, n-gram numbers): merged across partitions.

An analysis that counts sparse (key, value) pairs in every partition (window
co-occurrences per group and collocate, n-grams per group) merges the partial
results by adding the values of equal keys. :func:`merge_keyed` does that with
one stable sort (no keys x anything grid), keeping each value's dtype, so integer
counts stay exact and the result is what one count over the whole corpus gives.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

__all__ = ["merge_keyed", "unique_inverse"]


def _sorted(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The stable sort order of ``keys``, the sorted keys and where each run of equal keys starts."""
    order = np.argsort(keys, kind="stable")
    s = keys[order]
    starts = np.flatnonzero(np.r_[True, s[1:] != s[:-1]]) if len(s) else np.zeros(0, np.int64)
    return order, s, starts


def unique_inverse(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique keys and each key's index among them (``np.unique(keys, return_inverse=True)``, by one sort)."""
    keys = np.asarray(keys, dtype=np.int64).ravel()
    order, s, starts = _sorted(keys)
    run = np.zeros(len(s), np.int64)
    run[starts[1:]] = 1
    inverse = np.empty(len(s), np.int64)
    inverse[order] = np.cumsum(run)
    return s[starts], inverse


def merge_keyed(keys: Sequence[np.ndarray], *values: Sequence[np.ndarray]) -> tuple[np.ndarray, ...]:
    """``(unique_keys, summed_values...)``: the partial counts of every partition added key by key.

    ``keys[k]`` are partition ``k``'s keys (unique within the partition or not) and
    ``values[j][k]`` the ``j``-th quantity for them (same length). Sums keep the
    dtype (int64 counts stay exact integers); the keys come out sorted.
    """
    if not len(keys):
        raise ValueError("no partial results to merge")
    order, s, starts = _sorted(np.concatenate([np.asarray(k, dtype=np.int64).ravel() for k in keys]))
    out = [s[starts]]
    for parts in values:
        x = np.concatenate([np.asarray(p).ravel() for p in parts])[order]
        out.append(np.add.reduceat(x, starts) if len(x) else x)
    return tuple(out)
