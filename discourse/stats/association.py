"""Association measures of 2x2 frequency tables: keyness (two corpora) and collocation (node x collocate).

Keyness and collocation share these measures, and the package has one G2
(:func:`g2`). Notation for two corpora: ``a``, ``b`` the term's frequency in the
target and reference corpus; ``n_a``, ``n_b`` their sizes in tokens;
``N = n_a + n_b``; expected frequencies ``E_a = n_a (a + b) / N`` and
``E_b = n_b (a + b) / N``. For collocations, Evert (2008)'s ``O11``, ``R1``,
``C1``, ``N`` and ``E11 = R1 C1 / N``.
"""
from __future__ import annotations

import numpy as np
from scipy import special, stats

from ..validation import check_choice, check_fraction
from . import keyness_conventions as kc
from .exact import conditional_odds_ratio, fisher_exact_p

__all__ = ["LL_CELLS", "YATES", "ZERO", "CI_METHODS", "LOR_VARIANCE", "g2", "keyness_measures",
           "log_likelihood_2x2", "collocation_measures"]

LL_CELLS = ("rayson", "dunning")
YATES = kc.YATES
ZERO = kc.ZERO
CI_METHODS = ("poisson", "binomial")
LOR_VARIANCE = ("approx", "full")


def g2(a, b, n_a, n_b, ll_cells: str = "rayson") -> np.ndarray:
    """Unsigned log-likelihood G2 of two frequencies in two corpora: the package's one G2.

    ``a`` of ``n_a`` tokens against ``b`` of ``n_b`` (arrays broadcast, so every
    term may have its own corpus sizes, as in a collocate's 2x2 table). ``ll_cells``
    as in :func:`keyness_measures`: ``"rayson"`` sums the two cells of the term
    (Rayson & Garside 2000), ``"dunning"`` all four cells of the 2x2 table
    (Dunning 1993), each cell as ``O ln(O/E) - O + E`` (:func:`scipy.special.kl_div`:
    exact at ``O = 0``; the ``- O + E`` terms cancel over the table). Clipped at 0.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        n = n_a + n_b
        e_a, e_b = n_a * (a + b) / n, n_b * (a + b) / n
        cells = special.kl_div(a, e_a) + special.kl_div(b, e_b)
        if ll_cells == "dunning":
            cells = cells + special.kl_div(n_a - a, n_a - e_a) + special.kl_div(n_b - b, n_b - e_b)
        return np.maximum(2 * cells, 0.0)


def keyness_measures(a: np.ndarray, b: np.ndarray, n_a: float, n_b: float, *, ll_cells: str = "rayson",
                     yates: str = "always", zero: str = "replace", zero_value: float = 0.5,
                     confidence: float = 0.95, ci_method: str = "poisson",
                     pct_diff_zero: float | None = 1e-18, simple_maths_n: float = 1.0,
                     prior: np.ndarray | None = None, lor_variance: str = "approx", ll_correction: str = "none",
                     williams: str = "divide", log_epsilon: float = 0.0, sign: str = "rate",
                     test: str = "log_likelihood", p_tail: str = "sf", odds_ratio: str = "sample",
                     pct_diff_scale: str = "per_million", undefined: str = "nan") -> dict[str, np.ndarray]:
    """All two-corpus keyness measures for vectors of term frequencies.

    Every convention on which tools disagree is an option; the defaults are this package's, and
    ``docs/conventions.md`` tabulates which tool uses which value (the ``compat=`` presets of
    :func:`discourse.keyness` set them per tool). Helpers and sources: :mod:`discourse.stats.keyness_conventions`.

    Parameters
    ----------
    a, b : array_like
        Frequency of each term in the target and in the reference corpus.
    n_a, n_b : float
        Tokens in the target and reference corpus.
    ll_cells : {"rayson", "dunning"}
        Log-likelihood summed over the two cells of the term,
        ``G2 = 2 (a ln(a/E_a) + b ln(b/E_b))`` (Rayson & Garside 2000; the UCREL
        log-likelihood wizard, WordSmith, AntConc; default), or over all four
        cells of the 2x2 table (Dunning 1993; the G-test of
        ``scipy.stats.chi2_contingency(..., lambda_="log-likelihood")``; CQPweb, Wordless, quanteda,
        Evert's ``corpora``), which adds the cells ``n_a - a`` and ``n_b - b``. Computed as the sum of
        ``O ln(O/E) - O + E`` (:func:`scipy.special.kl_div`), which equals the
        textbook sum because ``O - E`` sums to 0, and is exact at ``O = 0`` and stable
        for very large counts.
    yates : {"always", "small", "never", "quanteda"}
        When the Yates continuity correction enters ``chi2_yates`` (and G2 with ``ll_correction="yates"``):
        for every term (as :func:`scipy.stats.chi2_contingency` does for 2x2 tables; default),
        only when an expected frequency is below 5 (Cochran's rule), never, or quanteda.textstats'
        rule (``textstat_keyness``'s default ``correction``: only when ``|ad - bc| >= N/2`` and an
        expected frequency is below 5, :func:`~discourse.stats.keyness_conventions.yates_rule`).
        The correction is ``|O - E| -> max(|O - E| - 0.5, 0)`` (Yates 1934, capped at 0 as in scipy).
    zero : {"replace", "add", "walter", "none", "signed_inf"}
        Zero frequencies in Log Ratio and the sample odds ratio: a zero becomes ``zero_value`` (0.5, as
        Hardie 2014 proposes and CQPweb does; default), ``zero_value`` is added to both frequencies of
        every term, 0.5 is added to both frequencies and both corpus sizes (Walter 1975; Evert's
        ``corpora``), nothing is done (a zero gives ±inf), or ±inf for Log Ratio, the odds ratio and
        %DIFF by the side that is 0 (Wordless); :func:`~discourse.stats.keyness_conventions.zero_adjusted`.
    zero_value : float
        The 0.5 above.
    confidence : float
        Level of the Log Ratio confidence interval.
    ci_method : {"poisson", "binomial"}
        Standard error of ``ln`` of the ratio of relative frequencies:
        ``sqrt(1/a + 1/b)`` (counts as Poisson; default) or
        ``sqrt(1/a - 1/n_a + 1/b - 1/n_b)`` (Katz et al. 1978, for the
        binomial risk ratio; CQPweb's interval), with zero-adjusted ``a``, ``b``.
    pct_diff_zero : float or None
        %DIFF with a zero reference frequency: that frequency is replaced by this very small number,
        so the value is finite but huge (the practice Gabrielatos & Marchi 2012 describe; 1e-18 here,
        default), or ``None`` for ``inf``.
    simple_maths_n : float
        Kilgarriff's smoothing constant N (Sketch Engine's default 1; Kilgarriff
        2009 discusses 1, 10, 100, 1000: larger N favours commoner words).
    prior : array_like, optional
        Dirichlet prior ``alpha_w`` for each term of Monroe et al.'s log-odds
        (default: 0.01 for every term, their uninformative prior). Its sum over
        the whole vocabulary is ``alpha_0``; pass :func:`keyness`'s ``prior`` options
        for an informative prior.
    lor_variance : {"approx", "full"}
        Variance of Monroe et al.'s log-odds: ``1/(a + alpha_w) + 1/(b + alpha_w)``
        (their approximation, default) or with the two complementary terms
        ``1/(n_a + alpha_0 - a - alpha_w) + 1/(n_b + alpha_0 - b - alpha_w)`` added.
    ll_correction : {"none", "yates", "williams"}
        Correction of G2: none (default); the Yates-style shift of all four cells by 0.5 towards
        independence where ``yates`` applies (quanteda's default for ``measure = "lr"``); or division
        by Williams' (1976) ``q`` (:func:`~discourse.stats.keyness_conventions.williams_q`). Any
        correction, or ``log_epsilon > 0``, computes G2 as the textbook sum
        (:func:`~discourse.stats.keyness_conventions.g2_cells`).
    williams : {"divide", "quanteda"}
        Williams' ``q`` in ``chi2_williams`` and ``ll_correction="williams"``: the textbook
        statistic ``/ q`` (default), or quanteda.textstats' implementation (``keyness.cpp``), which
        *multiplies* chi-square by ``q`` (``den = ... / q``; the textbook divides), divides G2 by ``q``,
        and takes ``q = 1`` when any cell is 0.
    log_epsilon : float
        Added inside the logarithms of G2 and ``pmi`` (default 0; quanteda adds 1e-9, so a zero
        target count gives ``pmi = ln(1e-9)`` and equal rates a G2 of about ``2e-9 N``).
    sign : {"rate", "quanteda"}
        ``log_likelihood`` is positive when ``a/n_a > b/n_b``, negative when below and 0 when equal,
        and the chi-square columns are unsigned (default); or quanteda's convention: G2 and every
        chi-square column signed ``+`` when ``a > E_a`` and ``-`` otherwise, so equal rates give
        ``-0.0`` (and, with ``log_epsilon``, a small negative G2).
    test : {"log_likelihood", "chi2", "chi2_yates", "chi2_williams", "pmi", "fisher"}
        The statistic whose chi-square(1) p-value is ``p_value`` (and so ``significant``): G2
        (default), a chi-square column, ``|pmi|`` (quanteda's p for ``measure = "pmi"``, an odd but
        implemented use), or Fisher's exact test (two-sided, R's rule;
        :func:`~discourse.stats.exact.fisher_exact_p`).
    p_tail : {"sf", "complement"}
        p as the survival function (default; exact far in the tail) or ``1 - cdf`` (quanteda's
        ``1 - pchisq(abs(stat), 1)``; 0 above a statistic of about 75).
    odds_ratio : {"sample", "conditional", "conditional_r"}
        ``odds_ratio``: the sample odds ratio with the zero convention (default); the conditional
        maximum-likelihood estimate (Cornfield 1956; scipy's ``odds_ratio(kind="conditional")``,
        :func:`~discourse.stats.exact.conditional_odds_ratio`: finite with one zero cell, 0 or inf at
        the ends of the support); or that estimate stopped where R's ``fisher.test()`` stops its root
        finder (about four significant digits; quanteda's ``measure = "exact"``). Neither conditional
        form uses ``zero``.
    pct_diff_scale : {"per_million", "per_token"}
        Where ``pct_diff_zero`` replaces a zero reference frequency: per million (default) or per token
        (the KeynessMeasures R package), a value ``10^6`` times smaller;
        :func:`~discourse.stats.keyness_conventions.percent_diff`.
    undefined : {"nan", "zero", "formula"}
        The measures of a term with ``a = b = 0``: NaN (default), 0 with p = 1 (Wordless), or each
        formula's value (the UCREL wizard: G2 = 0, BIC = ``-ln N``, simple maths = 1, the log-odds
        under the prior; ELL is then computed also when ``E_min <= 1``);
        :func:`~discourse.stats.keyness_conventions.fill_undefined`.

    Returns
    -------
    dict of ndarray
        - ``expected_target``, ``expected_reference``: ``E_a``, ``E_b``.
        - ``log_likelihood``: G2, signed (per ``sign``); ``p_value``: see ``test``.
        - ``chi2``: Pearson's chi-square of the 2x2 table ``sum (O - E)^2 / E``;
          ``chi2_yates``: with the Yates correction (per ``yates``); ``chi2_williams``: with Williams'
          ``q`` (per ``williams``).
        - ``pmi``: ``ln(a / E_a + log_epsilon)``, pointwise mutual information of the term and the
          target corpus (Church & Hanks 1990, natural log as quanteda; -inf for ``a = 0``).
        - ``log_ratio``: ``log2((a/n_a) / (b/n_b))`` (Hardie 2014), each doubling = 1;
          ``log_ratio_ci_low``/``_high``: ``log_ratio ± z se / ln 2``;
          ``log_ratio_conservative``: the bound nearest 0, or 0 when the interval
          includes 0 (Hardie 2014's "conservative Log Ratio").
        - ``percent_diff``: ``100 (a/n_a - b/n_b) / (b/n_b)`` with normalised
          frequencies (Gabrielatos & Marchi 2012).
        - ``bic``: ``|G2| - ln N`` (Wilson 2013; one degree of freedom): > 2 positive,
          > 6 strong, > 10 very strong evidence against "no difference".
        - ``ell``: ``|G2| / (N ln E_min)`` with ``E_min = min(E_a, E_b)`` (Johnston,
          Berry & Zhang 2006); NaN when ``E_min <= 1`` (undefined there).
        - ``odds_ratio``: ``(a / (n_a - a)) / (b / (n_b - b))`` (zero-adjusted like Log Ratio), or per ``odds_ratio``.
        - ``simple_maths``: ``(pm_a + N) / (pm_b + N)`` with per-million frequencies
          (Kilgarriff 2009).
        - ``log_odds_dirichlet``: ``delta = ln((a+α)/(n_a+α_0-a-α)) - ln((b+α)/(n_b+α_0-b-α))``
          and ``log_odds_z = delta / sqrt(var)`` (Monroe, Colaresi & Quinn 2008).

        A term with ``a = b = 0`` gets NaN everywhere (see ``undefined``).
    """
    for name, value, allowed in (("ll_cells", ll_cells, LL_CELLS), ("ci_method", ci_method, CI_METHODS),
                                 ("lor_variance", lor_variance, LOR_VARIANCE)):
        check_choice(name, value, allowed)
    kc.check_conventions(yates=yates, zero=zero, ll_correction=ll_correction, williams=williams,
                         log_epsilon=log_epsilon, sign=sign, test=test, p_tail=p_tail, odds_ratio=odds_ratio,
                         pct_diff_scale=pct_diff_scale, undefined=undefined)
    check_fraction("confidence", confidence)
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    n_a, n_b = float(n_a), float(n_b)
    if a.shape != b.shape:
        raise ValueError("a and b must have the same shape")
    if n_a <= 0 or n_b <= 0:
        raise ValueError("both corpora must contain tokens")
    if np.any(a < 0) or np.any(b < 0) or np.any(a > n_a) or np.any(b > n_b):
        raise ValueError("frequencies must lie between 0 and the corpus size")
    N = n_a + n_b
    absent = (a + b) == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        e_a, e_b = n_a * (a + b) / N, n_b * (a + b) / N
        c, d = n_a - a, n_b - b
        expected = [e_a, e_b, n_a - e_a, n_b - e_b]
        corrects = kc.yates_rule(yates, a, b, c, d, expected)
        if ll_correction == "none" and log_epsilon == 0:
            ll = g2(a, b, n_a, n_b, ll_cells)
        else:
            shift = np.where(corrects, 0.5, 0.0) if ll_correction == "yates" else np.zeros(a.shape)
            ll = kc.g2_cells(a, b, c, d, expected, cells=4 if ll_cells == "dunning" else 2, shift=shift,
                             epsilon=log_epsilon)
        q = kc.williams_q(a, b, c, d, williams)
        if ll_correction == "williams":
            ll = ll / q
        inv_e = 1 / e_a + 1 / e_b + 1 / (n_a - e_a) + 1 / (n_b - e_b)
        dev = np.abs(a - e_a)
        chi2 = dev ** 2 * inv_e
        chi2_y = np.where(corrects, np.maximum(dev - 0.5, 0) ** 2 * inv_e, chi2)
        chi2_w = chi2 * q if williams == "quanteda" else chi2 / q
        pmi = np.log(a / e_a + log_epsilon)
        if sign == "quanteda":  # keyness.cpp: (a > E ? 1.0 : -1.0), so equal rates give -0.0
            signs = np.where(a > e_a, 1.0, -1.0)
            signed_ll, chi2, chi2_y, chi2_w = (signs * v for v in (ll, chi2, chi2_y, chi2_w))
        else:
            signed_ll = np.sign(a / n_a - b / n_b) * ll
        # Log Ratio, its CI and the odds ratio, with the chosen zero convention
        az, bz, na_z, nb_z = kc.zero_adjusted(a, b, n_a, n_b, zero, zero_value)
        lr = np.log2((az / na_z) / (bz / nb_z))
        if zero == "signed_inf":
            lr = np.where((a == 0) & (b > 0), -np.inf, np.where((a > 0) & (b == 0), np.inf, lr))
        var = 1 / az + 1 / bz if ci_method == "poisson" else 1 / az - 1 / na_z + 1 / bz - 1 / nb_z
        half = stats.norm.ppf(0.5 + confidence / 2) * np.sqrt(var) / np.log(2)
        low, high = lr - half, lr + half
        conservative = np.where(low > 0, low, np.where(high < 0, high, 0.0))
        conservative = np.where(np.isnan(low) | np.isnan(high), np.nan, conservative)
        if odds_ratio == "sample":
            odds = kc.odds_sample(a, b, n_a, n_b, az, bz, zero)
        else:
            odds = conditional_odds_ratio(a, c, b, d, method="exact" if odds_ratio == "conditional" else "r")
        pm_a, pm_b = a / n_a * 1e6, b / n_b * 1e6
        pct = kc.percent_diff(a, b, n_a, n_b, pct_diff_zero, pct_diff_scale, zero)
        e_min = np.minimum(e_a, e_b)
        ell = ll / (N * np.log(e_min))
        ell = ell if undefined == "formula" else np.where(e_min > 1, ell, np.nan)
        alpha = np.full(a.shape, 0.01) if prior is None else np.asarray(prior, dtype=float)
        alpha0 = float(alpha.sum())
        rest_a, rest_b = n_a + alpha0 - a - alpha, n_b + alpha0 - b - alpha
        delta = np.log(a + alpha) - np.log(rest_a) - np.log(b + alpha) + np.log(rest_b)
        lor_var = 1 / (a + alpha) + 1 / (b + alpha)
        if lor_variance == "full":
            lor_var = lor_var + 1 / rest_a + 1 / rest_b
        out = {
            "expected_target": e_a, "expected_reference": e_b,
            "log_likelihood": signed_ll, "p_value": np.full(a.shape, np.nan),
            "chi2": chi2, "chi2_yates": chi2_y, "chi2_williams": chi2_w, "pmi": pmi,
            "log_ratio": lr, "log_ratio_ci_low": low, "log_ratio_ci_high": high,
            "log_ratio_conservative": conservative, "percent_diff": pct,
            "bic": ll - np.log(N), "ell": ell, "odds_ratio": odds,
            "simple_maths": (pm_a + simple_maths_n) / (pm_b + simple_maths_n),
            "log_odds_dirichlet": delta, "log_odds_z": delta / np.sqrt(lor_var),
        }
        if test == "fisher":
            out["p_value"] = fisher_exact_p(a, c, b, d)
        else:  # chi2(1) survival function of the statistic (erfc: exact and fast)
            out["p_value"] = kc.p_from(ll if test == "log_likelihood" else out[test], p_tail)
    return kc.fill_undefined(out, absent, undefined)


def log_likelihood_2x2(o11, o12, o21, o22) -> np.ndarray:
    """Signed log-likelihood G2 (Dunning 1993) of 2x2 tables, vectorised.

    ``G2 = 2 * sum_ij O_ij ln(O_ij / E_ij)`` with ``E_ij = R_i C_j / N``;
    negative when ``O11 < E11`` (repulsion; the one-sided form of Evert 2008).
    The four-cell G2 itself is :func:`g2` with ``ll_cells="dunning"``
    (the row ``[O11, O12]`` against ``[O21, O22]``), the one G2 of the package, which
    :func:`discourse.collocates.compare_collocates` also reaches through :func:`keyness_measures`.
    """
    o11, o12, o21, o22 = (np.asarray(x, float) for x in (o11, o12, o21, o22))
    r1, r2 = o11 + o12, o21 + o22
    g2_ = g2(o11, o21, r1, r2, "dunning")
    with np.errstate(divide="ignore", invalid="ignore"):
        sign = np.sign(o11 - r1 * (o11 + o21) / (r1 + r2))
    return g2_ * np.where(sign == 0, 1, sign)


def _yates(dev: np.ndarray) -> np.ndarray:
    """CQPweb's continuity correction of ``|O - E|``: less 0.5, or halved when at most 0.5."""
    return np.where(dev > 0.5, dev - 0.5, dev / 2)


def collocation_measures(o, r1, c1, n, f_node, span=1) -> dict[str, np.ndarray]:
    """Every collocation measure from ``O11``, ``R1``, ``C1``, ``N`` (arrays) and the node frequency (Evert 2008).

    ``expected`` E11, ``mi`` ``log2(O11/E11)`` (Church & Hanks 1990), ``mi3``
    ``log2(O11^3/E11)`` (Daille 1994), ``t_score`` ``(O11-E11)/sqrt(O11)`` (Church et al.
    1991), ``z_score`` ``(O11-E11)/sqrt(E11)`` (Dennis 1965), ``log_likelihood`` (signed
    four-cell G2, Dunning 1993), ``log_dice`` ``14 + log2(2 O11 / (f(node) + C1))`` (Rychlý
    2008), ``delta_p_coll_given_node`` ``O11/R1 - O21/R2`` and ``delta_p_node_given_coll``
    ``O11/C1 - O12/C2`` (Ellis 2007; Gries 2013); and, on the node frequency rather than ``R1``,
    Sketch Engine's ``min_sensitivity`` ``min(O11/C1, O11/f(node))`` (Pedersen 1998) and
    ``mi_log_f`` ``MI * ln(O11 + 1)`` (Kilgarriff & Tugwell 2001; "Statistics used in Sketch
    Engine", 2015); ``z_score_yates``, CQPweb's z with a continuity correction, ``|O11 - E11|``
    less 0.5, or halved when at most 0.5 (CQPweb 3.1 ``lib/colloc-lib.inc.php``, statistic 3);
    and ``z_berry_rogghe``, WordSmith's z (Berry-Rogghe 1973; WordSmith Tools 8 manual, "Formulae"):
    ``P = C1 / (N - f(node))``, ``E = P f(node) S``, ``z = (O11 - E) / sqrt(E (1 - P))`` with
    ``S = span``, the number of window positions (left + right).
    """
    e = r1 * c1 / n
    o12, o21 = np.maximum(r1 - o, 0), np.maximum(c1 - o, 0)
    o22 = np.maximum(n - r1 - c1 + o, 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        mi = np.log2(o / e)
        p_br = c1 / (n - f_node)                                    # Berry-Rogghe 1973
        e_br = p_br * f_node * span
        return {
            "expected": e,
            "mi": mi,                                               # Church & Hanks 1990
            "mi3": np.log2(o ** 3 / e),                             # Daille 1994
            "t_score": (o - e) / np.sqrt(o),                        # Church et al. 1991
            "z_score": (o - e) / np.sqrt(e),                        # Dennis 1965
            "z_score_yates": np.sign(o - e) * _yates(np.abs(o - e)) / np.sqrt(e),  # CQPweb >= 3.0.8
            "z_berry_rogghe": (o - e_br) / np.sqrt(e_br * (1 - p_br)),
            "log_likelihood": log_likelihood_2x2(o, o12, o21, o22),  # Dunning 1993
            "log_dice": 14 + np.log2(2 * o / (f_node + c1)),         # Rychlý 2008
            "min_sensitivity": np.minimum(o / c1, o / f_node),       # Pedersen 1998
            "mi_log_f": mi * np.log(o + 1),                          # Kilgarriff & Tugwell 2001
            "delta_p_coll_given_node": o / r1 - o21 / (n - r1),      # Ellis 2007; Gries 2013
            "delta_p_node_given_coll": o / c1 - o12 / (n - c1),
        }
