"""Adjusted p-values for multiple comparisons (one test per term).

A keyword list tests thousands of terms at once; at ``alpha = 0.05`` about one
term in twenty would pass by chance alone. These adjustments control either the
family-wise error rate (Bonferroni, Šidák, Holm) or the false discovery rate
(Benjamini–Hochberg; Benjamini–Yekutieli under any dependence). Missing p-values (NaN) are ignored: they are neither
adjusted nor counted in the number of tests ``m``. The corrections themselves
are statsmodels' :func:`~statsmodels.stats.multitest.multipletests` (Seabold &
Perktold 2010); ``tests/test_keyness.py`` checks them against hand computations
and :func:`scipy.stats.false_discovery_control`.
"""
from __future__ import annotations

import numpy as np

from ..validation import check_choice

__all__ = ["METHODS", "METHOD_NAMES", "adjust_pvalues", "adjust_within", "significance", "after_correction"]

_STATSMODELS = {"bonferroni": "bonferroni", "sidak": "sidak", "holm": "holm", "bh": "fdr_bh", "by": "fdr_by"}
METHODS = ("bonferroni", "sidak", "holm", "bh", "by", "none")
_ALIASES = {"fdr_bh": "bh", "benjamini-hochberg": "bh", "fdr_by": "by", "benjamini-yekutieli": "by", "šidák": "sidak",
            None: "none"}
METHOD_NAMES = {"bonferroni": "Bonferroni", "sidak": "Šidák", "holm": "Holm", "bh": "Benjamini–Hochberg",
                "by": "Benjamini–Yekutieli", "none": "no"}  # as named in tables' notes and methods paragraphs


def adjust_pvalues(p: np.ndarray, method: str | None = "holm") -> np.ndarray:
    """Adjust p-values for multiple comparisons.

    Parameters
    ----------
    p : array_like
        Raw p-values; NaN entries are left NaN and not counted.
    method : {"bonferroni", "sidak", "holm", "bh", "by", "none"}
        With ``m`` tests and ``p_(1) <= ... <= p_(m)`` the sorted p-values:

        - ``"bonferroni"`` (Bonferroni 1936; Dunn 1961): ``min(1, m p)``.
        - ``"sidak"`` (Šidák 1967): ``1 - (1 - p)^m`` (computed as ``-expm1(m log1p(-p))``).
        - ``"holm"`` (Holm 1979, step-down): ``max_{j<=i} min(1, (m - j + 1) p_(j))``.
        - ``"bh"`` (Benjamini & Hochberg 1995, step-up false discovery rate):
          ``min_{j>=i} min(1, m p_(j) / j)``; the same as
          :func:`scipy.stats.false_discovery_control` with ``method="bh"``.
        - ``"by"`` (Benjamini & Yekutieli 2001, Theorem 1.3): the BH step-up with ``m`` replaced
          by ``m c(m)``, ``c(m) = sum_{i=1}^m 1/i``, which controls the false discovery rate under
          any dependence between the tests (terms of one corpus are not independent);
          ``min_{j>=i} min(1, m c(m) p_(j) / j)``, statsmodels' ``method="fdr_by"`` and R's
          ``p.adjust(method = "BY")``.
        - ``"none"``: unadjusted.

    Returns
    -------
    ndarray of float
        Adjusted p-values in the input order.
    """
    method = _ALIASES.get(method, method)
    check_choice("method", method, METHODS)
    p = np.asarray(p, dtype=float)
    if np.any((p < 0) | (p > 1)):
        raise ValueError("p-values must lie in [0, 1]")
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if not ok.any() or method == "none":
        out[ok] = p[ok]
        return out
    from statsmodels.stats.multitest import multipletests  # imported on first use: it is slow to import

    # Bonferroni and Šidák adjust each p-value on its own: no sort needed (is_sorted skips it)
    order_free = method in ("bonferroni", "sidak")
    with np.errstate(divide="ignore"):  # Šidák's log1p(-p) is -inf at p = 1 (its adjusted value is 1)
        out[ok] = multipletests(p[ok], method=_STATSMODELS[method], is_sorted=order_free)[1]
    return out


def adjust_within(p: np.ndarray, families: np.ndarray, method: str | None = "holm") -> np.ndarray:
    """:func:`adjust_pvalues` separately within each family (e.g. the terms of one group or comparison).

    ``families`` labels every p-value; each family is one set of simultaneous
    tests, so ``m`` is the number of non-NaN p-values in that family.
    """
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    codes = np.unique(np.asarray(families), return_inverse=True)[1].reshape(p.shape)
    for code in np.unique(codes):
        sel = codes == code
        out[sel] = adjust_pvalues(p[sel], method)
    return out


def significance(p: np.ndarray, method: str | None, alpha: float,
                 families: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Adjusted p-values and the flag ``significant`` = adjusted p < ``alpha`` (False where p is NaN).

    Every ``significant`` column of the package is this flag, so it always
    rests on the corrected p-value (within ``families`` when given).
    """
    adj = adjust_pvalues(p, method) if families is None else adjust_within(p, families, method)
    with np.errstate(invalid="ignore"):
        return adj, adj < alpha


def after_correction(method: str | None) -> str:
    """``"after Šidák correction"``, ``"after Holm correction"`` … or ``"without correction"`` (notes, methods)."""
    method = _ALIASES.get(method, method)
    return "without correction" if method == "none" else f"after {METHOD_NAMES.get(method, method)} correction"
