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

__all__ = ["LL_CELLS", "YATES", "ZERO", "CI_METHODS", "LOR_VARIANCE", "g2", "keyness_measures",
           "log_likelihood_2x2", "collocation_measures"]

LL_CELLS = ("rayson", "dunning")
YATES = ("always", "small", "never")
ZERO = ("replace", "add", "none")
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
                     prior: np.ndarray | None = None, lor_variance: str = "approx") -> dict[str, np.ndarray]:
    """All two-corpus keyness measures for vectors of term frequencies.

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
        ``scipy.stats.chi2_contingency(..., lambda_="log-likelihood")``), which
        adds the cells ``n_a - a`` and ``n_b - b``. Computed as the sum of
        ``O ln(O/E) - O + E`` (:func:`scipy.special.kl_div`), which equals the
        textbook sum because ``O - E`` sums to 0, and is exact at ``O = 0`` and stable
        for very large counts.
    yates : {"always", "small", "never"}
        When the Yates continuity correction enters ``chi2_yates``: for every term
        (as :func:`scipy.stats.chi2_contingency` does for 2x2 tables; default),
        only when an expected frequency is below 5 (Cochran's rule), or never.
        The correction is ``|O - E| -> max(|O - E| - 0.5, 0)`` (Yates 1934, capped
        at 0 as in scipy).
    zero : {"replace", "add", "none"}
        Zero frequencies in Log Ratio and the odds ratio: a zero becomes
        ``zero_value`` (0.5, as Hardie 2014 proposes; default), ``zero_value`` is added
        to both frequencies of every term (additive smoothing), or nothing is done
        (a zero gives ±inf).
    zero_value : float
        The 0.5 above.
    confidence : float
        Level of the Log Ratio confidence interval.
    ci_method : {"poisson", "binomial"}
        Standard error of ``ln`` of the ratio of relative frequencies:
        ``sqrt(1/a + 1/b)`` (counts as Poisson; default) or
        ``sqrt(1/a - 1/n_a + 1/b - 1/n_b)`` (Katz et al. 1978, for the
        binomial risk ratio), with zero-adjusted ``a``, ``b``.
    pct_diff_zero : float or None
        %DIFF with a zero reference frequency: the normalised reference
        frequency (per million) is replaced by this very small number, so the
        value is finite but huge (the practice Gabrielatos & Marchi 2012
        describe; 1e-18 here, default), or ``None`` for ``inf``.
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

    Returns
    -------
    dict of ndarray
        - ``expected_target``, ``expected_reference``: ``E_a``, ``E_b``.
        - ``log_likelihood``: G2, signed: positive when ``a/n_a > b/n_b`` (overuse
          in the target), negative for underuse; ``p_value`` = ``chi2.sf(|G2|, 1)``.
        - ``chi2``: Pearson's chi-square of the 2x2 table ``sum (O - E)^2 / E``;
          ``chi2_yates``: with the Yates correction (per ``yates``).
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
        - ``odds_ratio``: ``(a / (n_a - a)) / (b / (n_b - b))`` (zero-adjusted like Log Ratio).
        - ``simple_maths``: ``(pm_a + N) / (pm_b + N)`` with per-million frequencies
          (Kilgarriff 2009).
        - ``log_odds_dirichlet``: ``delta = ln((a+α)/(n_a+α_0-a-α)) - ln((b+α)/(n_b+α_0-b-α))``
          and ``log_odds_z = delta / sqrt(var)`` (Monroe, Colaresi & Quinn 2008).

        A term with ``a = b = 0`` gets NaN everywhere.
    """
    for name, value, allowed in (("ll_cells", ll_cells, LL_CELLS), ("yates", yates, YATES), ("zero", zero, ZERO),
                                 ("ci_method", ci_method, CI_METHODS), ("lor_variance", lor_variance, LOR_VARIANCE)):
        check_choice(name, value, allowed)
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
        ll = g2(a, b, n_a, n_b, ll_cells)
        sign = np.sign(a / n_a - b / n_b)
        inv_e = 1 / e_a + 1 / e_b + 1 / (n_a - e_a) + 1 / (n_b - e_b)
        dev = np.abs(a - e_a)
        chi2 = dev ** 2 * inv_e
        corrected = np.maximum(dev - 0.5, 0) ** 2 * inv_e
        if yates == "always":
            chi2_y = corrected
        elif yates == "small":
            small = np.minimum.reduce([e_a, e_b, n_a - e_a, n_b - e_b]) < 5
            chi2_y = np.where(small, corrected, chi2)
        else:
            chi2_y = chi2
        # Log Ratio, its CI and the odds ratio, with the chosen zero convention
        if zero == "replace":
            az, bz = np.where(a == 0, zero_value, a), np.where(b == 0, zero_value, b)
        elif zero == "add":
            az, bz = a + zero_value, b + zero_value
        else:
            az, bz = a, b
        lr = np.log2((az / n_a) / (bz / n_b))
        var = 1 / az + 1 / bz if ci_method == "poisson" else 1 / az - 1 / n_a + 1 / bz - 1 / n_b
        half = stats.norm.ppf(0.5 + confidence / 2) * np.sqrt(var) / np.log(2)
        low, high = lr - half, lr + half
        conservative = np.where(low > 0, low, np.where(high < 0, high, 0.0))
        conservative = np.where(np.isnan(low) | np.isnan(high), np.nan, conservative)
        odds = (az / (n_a - az)) / (bz / (n_b - bz))
        pm_a, pm_b = a / n_a * 1e6, b / n_b * 1e6
        pm_b_pct = pm_b if pct_diff_zero is None else np.where(b == 0, pct_diff_zero, pm_b)
        pct = (pm_a - pm_b_pct) / pm_b_pct * 100
        e_min = np.minimum(e_a, e_b)
        ell = np.where(e_min > 1, ll / (N * np.log(e_min)), np.nan)
        alpha = np.full(a.shape, 0.01) if prior is None else np.asarray(prior, dtype=float)
        alpha0 = float(alpha.sum())
        rest_a, rest_b = n_a + alpha0 - a - alpha, n_b + alpha0 - b - alpha
        delta = np.log(a + alpha) - np.log(rest_a) - np.log(b + alpha) + np.log(rest_b)
        lor_var = 1 / (a + alpha) + 1 / (b + alpha)
        if lor_variance == "full":
            lor_var = lor_var + 1 / rest_a + 1 / rest_b
        out = {
            "expected_target": e_a, "expected_reference": e_b,
            "log_likelihood": sign * ll, "p_value": special.erfc(np.sqrt(ll / 2)),  # chi2(1) survival function, exact and fast
            "chi2": chi2, "chi2_yates": chi2_y,
            "log_ratio": lr, "log_ratio_ci_low": low, "log_ratio_ci_high": high,
            "log_ratio_conservative": conservative, "percent_diff": pct,
            "bic": ll - np.log(N), "ell": ell, "odds_ratio": odds,
            "simple_maths": (pm_a + simple_maths_n) / (pm_b + simple_maths_n),
            "log_odds_dirichlet": delta, "log_odds_z": delta / np.sqrt(lor_var),
        }
    for key, val in out.items():
        out[key] = np.where(absent, np.nan, val)
    return out



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
