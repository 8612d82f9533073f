"""Stratified 2x2 tables: Mantel–Haenszel pooling, the Cochran–Mantel–Haenszel test, and rate decomposition.

One 2x2 table per stratum ``k`` (a story) and term: ``a_k`` the term's count in
the target side, ``b_k`` the target's other tokens, ``c_k`` and ``d_k`` the same
in the reference side, ``n_k = a_k + b_k + c_k + d_k``. Every sum below runs
over strata; a stratum where the term is absent from both sides (``a_k = c_k =
0``) adds 0 to each of them, so the sums are taken over the non-zero entries of
the strata x terms counts only (:func:`mantel_haenszel`, vectorised over terms
with :func:`numpy.bincount`).

- Mantel & Haenszel (1959) pooled odds ratio (Agresti 2013, §6.3.5):
  ``OR_MH = sum(a_k d_k / n_k) / sum(b_k c_k / n_k)``.
- Its log's variance, Robins, Breslow & Greenland (1986), consistent both for
  many sparse strata and for few large ones, with ``P = (a+d)/n``, ``Q = (b+c)/n``,
  ``R = a d / n``, ``S = b c / n``:
  ``Var(log OR_MH) = sum(P R) / (2 (sum R)^2) + sum(P S + Q R) / (2 sum R sum S)
  + sum(Q S) / (2 (sum S)^2)`` — as statsmodels' ``StratifiedTable.logodds_pooled_se``.
- Cochran–Mantel–Haenszel test of a common odds ratio of 1 (Mantel & Haenszel
  1959; Agresti 2013, §6.3.2): ``X2 = (|sum(a_k - E a_k)| - cc)^2 / sum Var(a_k)``
  with ``E a_k = (a_k+b_k)(a_k+c_k)/n_k`` and ``Var(a_k) = (a_k+b_k)(c_k+d_k)
  (a_k+c_k)(b_k+d_k) / (n_k^2 (n_k - 1))``, on 1 degree of freedom; ``cc = 0.5``
  with the continuity correction (default without, as statsmodels'
  ``test_null_odds``; the corrected ``|.| - 0.5`` is floored at 0).

Zero cells: OR_MH is defined as long as one stratum has ``a d > 0`` and one has
``b c > 0``. A term with ``b c = 0`` in every stratum (absent from the reference
in all of them) has ``OR_MH = inf`` (0 with ``a d = 0`` everywhere; NaN when
both), and its variance is undefined: the CI is NaN, never a made-up number.
"""
from __future__ import annotations

import numpy as np
from scipy import stats

__all__ = ["mantel_haenszel", "sign_test", "kitagawa"]


def mantel_haenszel(strata: np.ndarray, terms: np.ndarray, a: np.ndarray, c: np.ndarray,
                    n_target: np.ndarray, n_reference: np.ndarray, n_terms: int, *,
                    confidence: float = 0.95, correction: bool = False) -> dict[str, np.ndarray]:
    """MH pooled odds ratio, its RBG confidence interval and the CMH test, for every term at once.

    Parameters
    ----------
    strata, terms : int arrays
        Stratum and term of each entry (a term present in a stratum, on either side).
    a, c : arrays
        The term's count in the target and in the reference side of that stratum.
    n_target, n_reference : arrays, one per stratum
        Tokens of each side in each stratum (every stratum has both > 0).
    n_terms : int
        Number of terms (the length of the outputs).
    confidence : float
        Coverage of the normal-approximation interval of ``log OR_MH``.
    correction : bool
        Continuity correction of the CMH statistic (default False, as statsmodels).

    Returns
    -------
    dict of arrays (one value per term)
        ``odds_ratio``, ``log_odds_ratio``, ``log_odds_se``, ``log_odds_ci_low``/``_high``,
        ``odds_ratio_ci_low``/``_high``, ``cmh`` (X2), ``cmh_p``, ``lean_target``,
        ``lean_reference`` (strata with ``a d > b c`` / ``a d < b c``), ``present``
        (strata where the term occurs).
    """
    a, c = np.asarray(a, float), np.asarray(c, float)
    nt, nr = np.asarray(n_target, float)[strata], np.asarray(n_reference, float)[strata]
    n = nt + nr
    b, d = nt - a, nr - c
    r, s = a * d / n, b * c / n
    p = (a + d) / n
    q = 1 - p

    def total(w):
        return np.bincount(terms, weights=w, minlength=n_terms)

    sr, ss = total(r), total(s)
    with np.errstate(divide="ignore", invalid="ignore"):
        odds = sr / ss
        log_odds = np.log(odds)
        var = (total(p * r) / sr ** 2 + total(p * s + q * r) / (sr * ss) + total(q * s) / ss ** 2) / 2
        se = np.where((sr > 0) & (ss > 0), np.sqrt(var), np.nan)
    z = stats.norm.ppf(0.5 + confidence / 2)
    low, high = log_odds - z * se, log_odds + z * se
    dev = np.abs(total(a - nt * (a + c) / n))
    if correction:
        dev = np.maximum(dev - 0.5, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        x2 = dev ** 2 / total(nt * nr * (a + c) * (b + d) / (n ** 2 * (n - 1)))
    lean = np.sign(a * d - b * c)
    return {"odds_ratio": odds, "log_odds_ratio": log_odds, "log_odds_se": se, "log_odds_ci_low": low,
            "log_odds_ci_high": high, "odds_ratio_ci_low": np.exp(low), "odds_ratio_ci_high": np.exp(high),
            "cmh": x2, "cmh_p": stats.chi2.sf(x2, 1),
            "lean_target": total(lean > 0).astype(np.int64), "lean_reference": total(lean < 0).astype(np.int64),
            "present": total(np.ones_like(a)).astype(np.int64)}


def sign_test(k: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Two-sided exact sign test: ``k`` of ``m`` strata lean one way, against a fair coin (ties left out).

    With ``p = 1/2`` the binomial is symmetric, so :func:`scipy.stats.binomtest`'s
    two-sided p-value (the probability of outcomes no likelier than ``k``) is
    ``min(1, 2 P(X <= min(k, m - k)))``; vectorised here. NaN where ``m = 0``.
    """
    k, m = np.asarray(k), np.asarray(m)
    p = np.minimum(1.0, 2 * stats.binom.cdf(np.minimum(k, m - k), m, 0.5))
    return np.where(m > 0, p, np.nan)


def kitagawa(w_t: np.ndarray, r_t: np.ndarray, w_r: np.ndarray, r_r: np.ndarray) -> dict[str, float]:
    """Kitagawa's (1955) decomposition of a difference of weighted means into composition and rate effects.

    With weights (shares) ``w`` summing to 1 on each side and rates ``r`` over the
    same strata, ``sum(w_t r_t) - sum(w_r r_r) = composition + rate`` where
    ``composition = sum((w_t - w_r) (r_t + r_r) / 2)`` and
    ``rate = sum((r_t - r_r) (w_t + w_r) / 2)``: the symmetric (midpoint) weights
    of Kitagawa (1955) and Das Gupta (1993, the two-factor case), so the parts add
    up to the difference exactly and do not depend on which side is the standard.
    Returns the parts per stratum (arrays) and their sums (``composition``, ``rate``).
    """
    comp = (w_t - w_r) * (r_t + r_r) / 2
    rate = (r_t - r_r) * (w_t + w_r) / 2
    return {"composition_by_stratum": comp, "rate_by_stratum": rate,
            "composition": float(comp.sum()), "rate": float(rate.sum())}
