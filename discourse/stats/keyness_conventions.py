"""Peers' conventions of the two-corpus keyness measures, which :func:`~discourse.stats.association.keyness_measures`
switches between.

Each function is one convention, named for the tool and source it reproduces (the option values are
listed in ``keyness_measures``). Notation as there: the term's table is ``a`` (target), ``b``
(reference), ``c = n_a - a``, ``d = n_b - b``; ``E`` the expected cells under independence.
quanteda.textstats 0.97.3 is read from ``src/keyness.cpp`` at commit
``9fc27080decb093d45aeb018255c1528da9780a4`` (github.com/quanteda/quanteda.textstats).
"""
from __future__ import annotations

import numpy as np
from scipy import special, stats

from ..validation import check_choice, check_weight

__all__ = ["YATES", "LL_CORRECTIONS", "WILLIAMS", "SIGNS", "TESTS", "P_TAILS", "ODDS_RATIOS", "ZERO",
           "PCT_SCALES", "UNDEFINED", "check_conventions", "yates_rule", "williams_q", "g2_cells", "p_from",
           "zero_adjusted",
           "odds_sample", "percent_diff", "fill_undefined"]

YATES = ("always", "small", "never", "quanteda")
LL_CORRECTIONS = ("none", "yates", "williams")
WILLIAMS = ("divide", "quanteda")
SIGNS = ("rate", "quanteda")
TESTS = ("log_likelihood", "chi2", "chi2_yates", "chi2_williams", "pmi", "fisher")
P_TAILS = ("sf", "complement")
ODDS_RATIOS = ("sample", "conditional", "conditional_r")
ZERO = ("replace", "add", "walter", "none", "signed_inf")
PCT_SCALES = ("per_million", "per_token")
UNDEFINED = ("nan", "zero", "formula")


def check_conventions(*, yates: str, zero: str, ll_correction: str, williams: str, log_epsilon: float, sign: str,
                      test: str, p_tail: str, odds_ratio: str, pct_diff_scale: str, undefined: str) -> None:
    """Check the peers' convention options (at the public entry, before any counting)."""
    for name, value, allowed in (("yates", yates, YATES), ("zero", zero, ZERO),
                                 ("ll_correction", ll_correction, LL_CORRECTIONS),
                                 ("williams", williams, WILLIAMS), ("sign", sign, SIGNS), ("test", test, TESTS),
                                 ("p_tail", p_tail, P_TAILS), ("odds_ratio", odds_ratio, ODDS_RATIOS),
                                 ("pct_diff_scale", pct_diff_scale, PCT_SCALES), ("undefined", undefined, UNDEFINED)):
        check_choice(name, value, allowed)
    check_weight("log_epsilon", log_epsilon)


def yates_rule(rule: str, a, b, c, d, expected: list[np.ndarray]) -> np.ndarray:
    """Where the Yates correction applies: every table, Cochran's rule (some ``E < 5``), never, or quanteda's rule.

    quanteda (``keyness.cpp``, ``yates_correction``): only when ``|ad - bc| >= N/2`` *and* some
    expected cell is below 5 — the first condition keeps the corrected ``|ad - bc| - N/2`` from
    going negative, which a textbook (Yates 1934) correction caps at 0 instead.
    """
    small = np.minimum.reduce(expected) < 5
    if rule == "always":
        return np.ones(np.shape(a), bool)
    if rule == "small":
        return small
    if rule == "never":
        return np.zeros(np.shape(a), bool)
    n = a + b + c + d
    return (np.abs(a * d - b * c) >= n / 2) & small


def williams_q(a, b, c, d, style: str) -> np.ndarray:
    """Williams' (1976) correction factor ``q = 1 + (N/R1 + N/R2 - 1)(N/C1 + N/C2 - 1) / (6N)`` of a 2x2 table.

    ``style="quanteda"``: 1 when any cell is 0 (``keyness.cpp``, ``williams_correction``); the textbook
    factor (``"divide"``) is defined for any table with non-zero margins.
    """
    n = a + b + c + d
    with np.errstate(divide="ignore", invalid="ignore"):
        q = 1 + (n / (a + b) + n / (c + d) - 1) * (n / (a + c) + n / (b + d) - 1) / (6 * n)
    return np.where(a * b * c * d == 0, 1.0, q) if style == "quanteda" else q


def g2_cells(a, b, c, d, expected: list[np.ndarray], *, cells: int, shift: np.ndarray, epsilon: float) -> np.ndarray:
    """``2 sum O ln(O/E + epsilon)`` over the term's two cells (Rayson & Garside 2000) or all four (Dunning 1993).

    The textbook sum, with two of quanteda's conventions (``keyness.cpp``, ``lr_lambda``): ``shift``
    moves every cell by that amount towards independence (a Yates-style continuity correction of G2:
    ``a - δ, b + δ, c + δ, d - δ`` when ``ad > bc``, the other way otherwise; the margins and ``E`` are
    unchanged), and ``epsilon`` is added inside the logarithm (quanteda: 1e-9, which adds about
    ``2 epsilon N`` to every G2 and makes it ``2 N ln(1 + epsilon)``, not 0, for equal rates). A zero
    cell contributes 0; a cell shifted below 0 gives NaN, as in quanteda.
    """
    positive = a * d - b * c > 0
    step = np.where(positive, -shift, shift)
    observed = [a + step, b - step, c - step, d + step][:cells]
    total = 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        for o, e in zip(observed, expected[:cells]):
            total = total + np.where(o == 0, 0.0, o * np.log(o / e + epsilon))
    return 2 * total


def p_from(stat: np.ndarray, tail: str) -> np.ndarray:
    """p-value of ``|stat|`` on chi-square(1): the survival function (exact in the far tail) or ``1 - cdf``.

    ``"complement"`` is quanteda's ``1 - pchisq(abs(stat), 1)`` (``R/textstat_keyness.R``), which is 0
    for statistics above about 75 and loses relative precision below p = 1e-8; ``"sf"`` is
    ``erfc(sqrt(stat/2))``.
    """
    stat = np.abs(stat)
    if tail == "complement":
        return 1 - stats.chi2.cdf(stat, 1)
    return special.erfc(np.sqrt(stat / 2))


def zero_adjusted(a, b, n_a: float, n_b: float, zero: str, zero_value: float):
    """Frequencies and corpus sizes of Log Ratio (and the sample odds ratio) under a zero convention.

    - ``"replace"``: a zero frequency becomes ``zero_value`` (Hardie 2014; CQPweb 3.2 ``keywords-ui.php``
      replaces a zero reference frequency by 0.5).
    - ``"add"``: ``zero_value`` added to both frequencies of every term.
    - ``"walter"``: 0.5 added to both frequencies *and* both corpus sizes, Walter's (1975) almost
      unbiased estimate of the log relative risk (Evert's ``corpora`` package, ``.LogRatio`` in its
      ``keyness()``: ``log2((f1 + 0.5)/(N1 + 0.5)) - log2((f2 + 0.5)/(N2 + 0.5))``).
    - ``"none"`` and ``"signed_inf"``: unchanged (a zero gives ±inf; see :func:`odds_sample`).
    """
    if zero == "replace":
        return np.where(a == 0, zero_value, a), np.where(b == 0, zero_value, b), n_a, n_b
    if zero == "add":
        return a + zero_value, b + zero_value, n_a, n_b
    if zero == "walter":
        return a + 0.5, b + 0.5, n_a + 0.5, n_b + 0.5
    return a, b, n_a, n_b


def _signed_inf(a, b, value: np.ndarray) -> np.ndarray:
    """Wordless 3.x (``wl_measures_effect_size.py``): ``-inf`` when only the target count is 0, ``+inf`` when only
    the reference's."""
    return np.where((a == 0) & (b > 0), -np.inf, np.where((a > 0) & (b == 0), np.inf, value))


def odds_sample(a, b, n_a: float, n_b: float, az, bz, zero: str) -> np.ndarray:
    """The sample odds ratio ``(a/c) / (b/d)`` with the zero convention of Log Ratio.

    ``"walter"`` adds 0.5 to all four cells (the Haldane 1956 / Anscombe 1956 estimator, the odds-ratio
    counterpart of Walter's correction); ``"signed_inf"`` is Wordless's ±inf for a one-sided zero.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        if zero == "walter":
            return (az / (n_a - a + 0.5)) / (bz / (n_b - b + 0.5))
        odds = (az / (n_a - az)) / (bz / (n_b - bz))
    return _signed_inf(a, b, odds) if zero == "signed_inf" else odds


def percent_diff(a, b, n_a: float, n_b: float, zero_value: float | None, scale: str, zero: str) -> np.ndarray:
    """%DIFF ``100 (f_a - f_b) / f_b`` (Gabrielatos & Marchi 2012) with a zero reference frequency.

    ``scale="per_million"`` (default): ``f`` per million, a zero ``f_b`` replaced by ``zero_value`` in
    both places (so the value is ``1e6`` times that of the per-token rule); ``"per_token"``: ``f`` per
    token, a zero ``f_b`` replaced by ``zero_value`` in the denominator only — the KeynessMeasures R
    package (Macanović, ``perc_diff_calculator`` in ``R/measure_calculators.R``, commit
    ``680b83cc241903e35ec184aa1c244b4d6280699b``: ``zero_freq_adjustment <- 1e-18``).
    ``zero_value=None``: no replacement (``inf``). ``zero="signed_inf"``: Wordless's ±inf.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        if scale == "per_token":
            f_a, f_b = a / n_a, b / n_b
            denominator = f_b if zero_value is None else np.where(b == 0, zero_value, f_b)
            pct = (f_a - f_b) * 100 / denominator
        else:
            f_a, f_b = a / n_a * 1e6, b / n_b * 1e6
            f_b = f_b if zero_value is None else np.where(b == 0, zero_value, f_b)
            pct = (f_a - f_b) / f_b * 100
    return _signed_inf(a, b, pct) if zero == "signed_inf" else pct


def fill_undefined(out: dict[str, np.ndarray], absent: np.ndarray, undefined: str) -> dict[str, np.ndarray]:
    """The measures of a term absent from both corpora (``a = b = 0``).

    - ``"nan"`` (default): NaN everywhere (no evidence either way).
    - ``"zero"``: every measure 0 and ``p_value`` 1 (Wordless 3.x: ``numpy_divide`` and ``numpy_log``
      return 0 where undefined, and its tests give ``chi2.sf(0, 1)``).
    - ``"formula"``: what each formula gives, as the UCREL log-likelihood wizard reports it: G2 = 0,
      chi-square 0, p = 1, BIC = ``-ln N``, simple maths 1, Log Ratio and the log-odds under their
      smoothing (0.5 for zero, a Dirichlet prior), %DIFF -100 with a replaced zero; ELL is
      ``G2 / (N ln E_min)`` also when ``E_min <= 1`` (``-0`` here); what stays undefined (``0/0``)
      is NaN.
    """
    if undefined == "formula":
        for key in ("chi2", "chi2_yates", "chi2_williams"):
            out[key] = np.where(absent, 0.0, out[key])
        return out
    for key, val in out.items():
        fill = 1.0 if (undefined == "zero" and key == "p_value") else (0.0 if undefined == "zero" else np.nan)
        out[key] = np.where(absent, fill, val)
    return out
