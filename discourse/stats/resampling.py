"""The bootstrap over documents (Efron & Tibshirani 1993): one resampling engine for every analysis.

Keyness's text-level bootstrap test and topic prevalence intervals both
resample documents with replacement. A replicate is a row of *draw counts*
(how often each of the ``n`` documents is drawn: a Multinomial(n, 1/n) row), so
any statistic that is a weighted sum over documents becomes one matrix product
per block of replicates; blocks bound memory at ``block x n`` weights.
"""
from __future__ import annotations

from typing import Iterator

import numpy as np

__all__ = ["BLOCK", "bootstrap_weights", "bootstrap_means", "bootstrap_p_value", "percentile_interval"]

BLOCK = 250  # replicates per block


def bootstrap_weights(n: int, n_boot: int, rng: np.random.Generator, block: int = BLOCK) -> Iterator[np.ndarray]:
    """Blocks of bootstrap draw counts, each a ``(b, n)`` float array whose rows sum to ``n``.

    Row ``r`` counts how often each document is drawn when ``n`` documents are
    drawn uniformly with replacement (``rng.integers``, then one ``bincount``
    per block); ``b`` is ``block`` except for the last block.
    """
    for lo in range(0, n_boot, block):
        b = min(block, n_boot - lo)
        draws = rng.integers(0, n, size=(b, n)) + (np.arange(b) * n)[:, None]
        yield np.bincount(draws.ravel(), minlength=b * n).reshape(b, n).astype(float)


def bootstrap_means(x: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Bootstrap replicates (``n_boot`` x columns) of the column means of ``x`` (rows resampled)."""
    n = len(x)
    return np.vstack([w @ x / n for w in bootstrap_weights(n, n_boot, rng)])


def bootstrap_p_value(n_le: np.ndarray, n_ge: np.ndarray, n_boot: int) -> np.ndarray:
    """Two-sided bootstrap p-value ``min(1, 2 (min(k_≤, k_≥) + 1) / (n_boot + 1))``.

    ``k_≤`` and ``k_≥`` count the replicates at or below and at or above the null
    value; the +1 correction (Davison & Hinkley 1997) keeps p above 0.
    """
    return np.minimum(1.0, 2 * (np.minimum(n_le, n_ge) + 1) / (n_boot + 1))


def percentile_interval(replicates: np.ndarray, ci: float) -> tuple[np.ndarray, np.ndarray]:
    """The percentile interval (Efron & Tibshirani 1993) of ``replicates`` (rows) at level ``ci``."""
    lo, hi = np.quantile(replicates, [(1 - ci) / 2, (1 + ci) / 2], axis=0)
    return lo, hi
