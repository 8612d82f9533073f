"""Adjusted p-values for multiple comparisons (one test per term).

A keyword list tests thousands of terms at once; at ``alpha = 0.05`` about one
term in twenty would pass by chance alone. These adjustments control either the
family-wise error rate (Bonferroni, Šidák, Holm) or the false discovery rate
(Benjamini–Hochberg). Missing p-values (NaN) are ignored: they are neither
adjusted nor counted in the number of tests ``m``.
"""
from __future__ import annotations

import numpy as np

METHODS = ("bonferroni", "sidak", "holm", "bh", "none")
_ALIASES = {"fdr_bh": "bh", "benjamini-hochberg": "bh", "šidák": "sidak", None: "none"}


def adjust_pvalues(p: np.ndarray, method: str | None = "holm") -> np.ndarray:
    """Adjust p-values for multiple comparisons.

    Parameters
    ----------
    p : array_like
        Raw p-values; NaN entries are left NaN and not counted.
    method : {"bonferroni", "sidak", "holm", "bh", "none"}
        With ``m`` tests and ``p_(1) <= ... <= p_(m)`` the sorted p-values:

        - ``"bonferroni"`` (Bonferroni 1936; Dunn 1961): ``min(1, m p)``.
        - ``"sidak"`` (Šidák 1967): ``1 - (1 - p)^m`` (computed as ``-expm1(m log1p(-p))``).
        - ``"holm"`` (Holm 1979, step-down): ``max_{j<=i} min(1, (m - j + 1) p_(j))``.
        - ``"bh"`` (Benjamini & Hochberg 1995, step-up false discovery rate):
          ``min_{j>=i} min(1, m p_(j) / j)``; the same as
          :func:`scipy.stats.false_discovery_control` with ``method="bh"``.
        - ``"none"``: unadjusted.

    Returns
    -------
    ndarray of float
        Adjusted p-values in the input order.
    """
    method = _ALIASES.get(method, method)
    if method not in METHODS:
        raise ValueError(f"method must be one of {list(METHODS)}, not {method!r}")
    p = np.asarray(p, dtype=float)
    if np.any((p < 0) | (p > 1)):
        raise ValueError("p-values must lie in [0, 1]")
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    q = p[ok]
    m = q.size
    if m == 0 or method == "none":
        out[ok] = q
        return out
    if method == "bonferroni":
        adj = np.minimum(1.0, q * m)
    elif method == "sidak":
        adj = -np.expm1(m * np.log1p(-q))
    else:
        order = np.argsort(q, kind="stable")
        ranked = q[order]
        i = np.arange(1, m + 1)
        if method == "holm":
            steps = np.maximum.accumulate(np.minimum(1.0, (m - i + 1) * ranked))
        else:  # bh
            steps = np.minimum.accumulate(np.minimum(1.0, m * ranked / i)[::-1])[::-1]
        adj = np.empty(m)
        adj[order] = steps
    out[ok] = adj
    return out
