"""Keyness: which terms an outlet over- or under-uses compared with a reference.

:func:`keyness_measures` computes every measure for all terms at once from two
frequency vectors; :func:`keyness` takes :class:`~discourse.tokens.Tokens`,
compares one group (e.g. an outlet) with another group, with all the rest,
pairwise, or with an external reference frequency table, adds document
frequencies, dispersion (Gries' DP) and text-level tests (Lijffijt et al. 2016)
and returns a tidy table.

Notation: ``a``, ``b`` the term's frequency in the target and reference corpus;
``n_a``, ``n_b`` their sizes in tokens; ``N = n_a + n_b``; expected frequencies
``E_a = n_a (a + b) / N`` and ``E_b = n_b (a + b) / N``.
"""
from __future__ import annotations

import warnings
from functools import lru_cache
from itertools import combinations
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy import special, stats

from .dispersion import _check, _Segments
from .frequency import group_matrix
from .multiple import adjust_pvalues
from .tokens import Tokens

_LL_CELLS = ("rayson", "dunning")
_YATES = ("always", "small", "never")
_ZERO = ("replace", "add", "none")
_CI = ("poisson", "binomial")
_PRIOR = ("corpus", "uniform")
_VARIANCE = ("approx", "full")
_ABSENT = ("drop", "nan")
_KEEP = ("significant", "all")
TEXT_TESTS = ("welch", "mann_whitney", "bootstrap")
SORT_KEYS = ("log_ratio", "log_ratio_conservative", "log_likelihood", "percent_diff", "odds_ratio",
             "simple_maths", "log_odds_z", "bic")


# --------------------------------------------------------------------------- measures
def _g2(a, b, n_a, n_b, ll_cells: str = "rayson") -> np.ndarray:
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
    for name, value, allowed in (("ll_cells", ll_cells, _LL_CELLS), ("yates", yates, _YATES), ("zero", zero, _ZERO),
                                 ("ci_method", ci_method, _CI), ("lor_variance", lor_variance, _VARIANCE)):
        _check(name, value, allowed)
    if not 0 < confidence < 1:
        raise ValueError("confidence must lie strictly between 0 and 1")
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
        g2 = _g2(a, b, n_a, n_b, ll_cells)
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
        ell = np.where(e_min > 1, g2 / (N * np.log(e_min)), np.nan)
        alpha = np.full(a.shape, 0.01) if prior is None else np.asarray(prior, dtype=float)
        alpha0 = float(alpha.sum())
        rest_a, rest_b = n_a + alpha0 - a - alpha, n_b + alpha0 - b - alpha
        delta = np.log(a + alpha) - np.log(rest_a) - np.log(b + alpha) + np.log(rest_b)
        lor_var = 1 / (a + alpha) + 1 / (b + alpha)
        if lor_variance == "full":
            lor_var = lor_var + 1 / rest_a + 1 / rest_b
        out = {
            "expected_target": e_a, "expected_reference": e_b,
            "log_likelihood": sign * g2, "p_value": special.erfc(np.sqrt(g2 / 2)),  # chi2(1) survival function, exact and fast
            "chi2": chi2, "chi2_yates": chi2_y,
            "log_ratio": lr, "log_ratio_ci_low": low, "log_ratio_ci_high": high,
            "log_ratio_conservative": conservative, "percent_diff": pct,
            "bic": g2 - np.log(N), "ell": ell, "odds_ratio": odds,
            "simple_maths": (pm_a + simple_maths_n) / (pm_b + simple_maths_n),
            "log_odds_dirichlet": delta, "log_odds_z": delta / np.sqrt(lor_var),
        }
    for key, val in out.items():
        out[key] = np.where(absent, np.nan, val)
    return out


# --------------------------------------------------------------------------- text-level tests
class _Split:
    """Non-zero entries of candidate columns, sorted by column, with a target/reference flag.

    ``colsum(x)`` sums ``x`` per column over the column segments
    (:class:`discourse.dispersion._Segments`); ``sums(x)`` gives the target's
    and the reference's sums (the latter as total minus target);
    ``pick(a_t, a_r)`` gathers a per-column value of each entry's own side with
    a single index.
    """

    def __init__(self, col: np.ndarray, is_t: np.ndarray, k: int, nnz: np.ndarray | None = None) -> None:
        self.col, self.is_t, self.k = col, is_t, k
        self._seg = _Segments(col, k, nnz)
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


def _entries(y_t: sp.spmatrix, y_r: sp.spmatrix) -> tuple[_Split, np.ndarray, int, int]:
    """The stacked non-zero entries of two document x term matrices."""
    y = sp.vstack([sp.csr_matrix(y_t, dtype=float), sp.csr_matrix(y_r, dtype=float)], format="csc")
    y.eliminate_zeros()
    col = np.repeat(np.arange(y.shape[1]), np.diff(y.indptr))
    return _Split(col, y.indices < y_t.shape[0], y.shape[1]), y.data, y_t.shape[0], y_r.shape[0]


def _welch(split: _Split, val: np.ndarray, n1: int, n2: int) -> tuple[np.ndarray, np.ndarray]:
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
    return _welch(*_entries(y_t, y_r))


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


class _Ranks:
    """Mann–Whitney ranks of the non-zero entries of some columns among ``n`` documents.

    Zeros are one tie group per column with the lowest ranks; only non-zero
    values are sorted, once, so that several comparisons over the same
    documents (each outlet against the rest) share the sort.
    """

    def __init__(self, col: np.ndarray, val: np.ndarray, k: int, n: int, max_length: int | None = None,
                 nnz: np.ndarray | None = None) -> None:
        self.seg = _Segments(col, k, nnz)  # sorting within columns keeps the column segments
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


def _mann_whitney(split: _Split, val: np.ndarray, n1: int, n2: int,
                  max_length: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    ranks = _Ranks(split.col, val, split.k, n1 + n2, max_length, split.nnz_t + split.nnz_r)
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
    return _mann_whitney(*_entries(y_t, y_r))


def bootstrap_test(c_t: sp.spmatrix, len_t: np.ndarray, c_r: sp.spmatrix, len_r: np.ndarray,
                   n_boot: int = 1000, seed: int = 0) -> np.ndarray:
    """Bootstrap test over documents (Lijffijt et al. 2016) for every column.

    Each replicate resamples the documents of each corpus with replacement and
    recomputes the term's relative frequency ``sum v / sum N`` in both. With
    ``k_≤`` replicates where the target frequency is at most the reference one
    (and ``k_≥`` at least), the two-sided p-value is
    ``min(1, 2 min(k_≤ + 1, k_≥ + 1) / (n_boot + 1))`` (Davison & Hinkley 1997's
    +1 correction, so p is never 0). Vectorised: a replicates x documents
    matrix of draw counts times the sparse counts; the random generator is
    ``numpy.random.default_rng(seed)``.
    """
    rng = np.random.default_rng(seed)

    def replicate_freqs(counts, lengths):
        d = counts.shape[0]
        # weights = how often each document is drawn in each replicate (a multinomial(d, 1/d) row)
        draws = rng.integers(0, d, size=(n_boot, d)) + (np.arange(n_boot) * d)[:, None]
        w = np.bincount(draws.ravel(), minlength=n_boot * d).reshape(n_boot, d).astype(float)
        sums = np.asarray((sp.csr_matrix(counts, dtype=float).T @ w.T).T)
        return sums / (w @ np.asarray(lengths, dtype=float))[:, None]

    f_t, f_r = replicate_freqs(c_t, len_t), replicate_freqs(c_r, len_r)
    le = (f_t <= f_r).sum(axis=0)
    ge = (f_t >= f_r).sum(axis=0)
    return np.minimum(1.0, 2 * (np.minimum(le, ge) + 1) / (n_boot + 1))


# --------------------------------------------------------------------------- keyness over Tokens
_COLUMNS = ["target", "reference", "term", "direction", "freq_target", "freq_reference", "per_million_target",
            "per_million_reference", "doc_freq_target", "doc_freq_reference", "range_target", "range_reference",
            "dp_target", "dp_reference", "log_likelihood", "p_value", "p_adjusted", "significant", "log_ratio",
            "log_ratio_ci_low", "log_ratio_ci_high", "log_ratio_conservative", "chi2", "chi2_yates",
            "percent_diff", "bic", "ell", "odds_ratio", "simple_maths", "log_odds_dirichlet", "log_odds_z",
            "welch_t", "welch_p", "mann_whitney_u", "mann_whitney_p", "bootstrap_p", "expected_target",
            "expected_reference"]


class _Side:
    """One side of a comparison: a name, term frequencies, tokens and (for groups of the corpus) documents."""

    def __init__(self, name: str, freq: np.ndarray, size: float, docs: np.ndarray | None = None) -> None:
        self.name, self.freq, self.size, self.docs = name, freq, float(size), docs


def _as_list(x) -> list:
    return list(x) if isinstance(x, (list, tuple, set, np.ndarray, pd.Index)) else [x]


def _external_table(reference, reference_size) -> tuple[pd.Series, float]:
    """term -> frequency from a Series, a one-numeric-column DataFrame or a term/freq DataFrame."""
    if isinstance(reference, pd.DataFrame):
        if {"term", "freq"} <= set(reference.columns):
            reference = reference.set_index("term")["freq"]
        else:
            num = reference.select_dtypes("number")
            if num.shape[1] != 1:
                raise ValueError("a reference DataFrame needs columns 'term' and 'freq', or terms as index "
                                 "and exactly one numeric column")
            reference = num.iloc[:, 0]
    ref = pd.Series(reference, dtype=float)
    if ref.isna().any() or (ref < 0).any():
        raise ValueError("reference frequencies must be non-negative numbers")
    ref.index = ref.index.astype(str)
    ref = ref.groupby(level=0).sum()
    total = float(ref.sum()) if reference_size is None else float(reference_size)
    if total <= 0 or total < ref.sum() - 1e-6:
        raise ValueError(f"reference_size ({total:g}) must be positive and at least the sum of the "
                         f"reference frequencies ({ref.sum():g})")
    return ref, total


@lru_cache(maxsize=4)
def _wordfreq_table(possessives: str) -> pd.Series:
    """wordfreq's English proportions (Speer 2022), with possessives treated like our tokenizer's option."""
    try:
        import wordfreq
    except ImportError as err:
        raise ImportError("reference='wordfreq' needs the optional package wordfreq (pip install wordfreq); "
                          "it ships its data and works offline") from err
    ref = pd.Series(wordfreq.get_frequency_dict("en", wordlist="large"), dtype=float)
    # wordfreq keeps "russia's" whole; our default splits it into "russia" + "'s" (or drops the clitic)
    clitic = ref.index.str.endswith("'s") & (ref.index.str.len() > 2)
    if possessives in ("split", "drop") and clitic.any():
        moved = ref[clitic]
        base = pd.Series(moved.to_numpy(), index=moved.index.str[:-2])
        ref = pd.concat([ref[~clitic], base]).groupby(level=0).sum()
        if possessives == "split":
            ref["'s"] = ref.get("'s", 0.0) + moved.sum()
    return ref / ref.sum()


def _wordfreq_reference(reference_size: float | None, params: dict) -> tuple[pd.Series, float]:
    size = 1e9 if reference_size is None else float(reference_size)
    if not params.get("lowercase", True):
        warnings.warn("wordfreq's list is lowercase; the corpus was tokenized with lowercase=False", stacklevel=3)
    return _wordfreq_table(params.get("possessives", "split")) * size, size


def _comparisons(tokens: Tokens, by: str | None, target, reference, reference_size):
    """Resolve target/reference into pairs of :class:`_Side`, plus the vocabulary and background counts."""
    labels, g = group_matrix(tokens, by)
    freq = (g @ tokens.dtm).toarray().astype(float)  # groups x terms (document frequencies: per listed term, later)
    vocab = tokens.vocab.to_numpy()
    index = {lab: k for k, lab in enumerate(labels)}

    def side(labs: list) -> _Side:
        missing = [x for x in labs if x not in index]
        if missing:
            raise ValueError(f"no group {missing[0]!r} in {by!r}; groups are {labels}")
        rows = [index[x] for x in labs]
        docs = np.unique(np.concatenate([g[k].indices for k in rows]))
        f = freq[rows].sum(axis=0)
        return _Side("+".join(map(str, labs)), f, f.sum(), docs)

    targets = [[lab] for lab in labels] if target is None else [_as_list(target)]
    if isinstance(reference, Mapping):
        reference = pd.Series(reference, dtype=float)
    external = isinstance(reference, (pd.Series, pd.DataFrame)) or (isinstance(reference, str) and reference == "wordfreq")
    if external:
        ref, total = (_wordfreq_reference(reference_size, tokens.params) if isinstance(reference, str)
                      else _external_table(reference, reference_size))
        extra = ref.index[~ref.index.isin(vocab)]
        terms = np.concatenate([vocab, extra.to_numpy(dtype=object)])
        b = ref.reindex(terms, fill_value=0.0).to_numpy()
        pad = np.zeros(len(extra))
        pairs = []
        for labs in targets:
            t = side(labs)
            t.freq = np.r_[t.freq, pad]
            pairs.append((t, _Side("wordfreq" if isinstance(reference, str) else "reference", b, total)))
        return pairs, terms, labels, None
    if isinstance(reference, str) and reference == "pairwise":
        if target is None:
            pairs = [(side([x]), side([y])) for x, y in combinations(labels, 2)]
        else:
            pairs = [(side(targets[0]), side([y])) for y in labels if y not in targets[0]]
    elif isinstance(reference, str) and reference == "rest":
        pairs = []
        for labs in targets:
            others = [x for x in labels if x not in labs]
            if not others:
                raise ValueError(f"'rest' is empty: {by!r} has no group besides {labs}")
            r = side(others)
            r.name = "rest"
            pairs.append((side(labs), r))
    else:
        refs = _as_list(reference)
        if target is None:  # every other group against this reference
            targets = [labs for labs in targets if not set(labs) & set(refs)]
        elif set(targets[0]) & set(refs):
            raise ValueError(f"target {targets[0]} and reference {refs} overlap")
        pairs = [(side(labs), side(refs)) for labs in targets]
    return pairs, vocab, labels, freq.sum(axis=0)


def _prior(kind, prior_size, background: np.ndarray) -> np.ndarray:
    """Monroe et al.'s Dirichlet prior alpha_w for every term."""
    if not isinstance(kind, str):
        alpha = np.asarray(kind, dtype=float)
        if alpha.shape != background.shape or np.any(alpha <= 0):
            raise ValueError(f"a custom prior needs one positive value per term ({background.shape[0]})")
        return alpha
    _check("dirichlet_prior", kind, _PRIOR)
    if kind == "uniform":
        return np.full(background.shape, 0.01 if prior_size is None else prior_size / len(background))
    # informative: background counts (+0.01 so no alpha is 0), rescaled to alpha_0 = prior_size if given
    alpha = background + 0.01
    return alpha if prior_size is None else alpha / alpha.sum() * prior_size


def _doc_level(tokens: Tokens, csc: sp.csc_matrix | None, t: _Side, r: _Side, cols: np.ndarray, n_vocab: int,
               tests: Sequence[str], min_docs: int, n_boot: int, seed: int, notes: list[str],
               shared: tuple | None = None) -> dict[str, np.ndarray]:
    """Document frequency, DP and text-level tests of the terms ``cols`` (ids beyond the vocabulary: 0 / NaN).

    Works on the non-zero entries of the candidate columns of the DTM, each
    document labelled target, reference or neither, so that nothing is copied per side.
    """
    k = len(cols)
    names = ("doc_freq_target", "doc_freq_reference", "dp_target", "dp_reference", "welch_t", "welch_p",
             "mann_whitney_u", "mann_whitney_p", "bootstrap_p")
    out = {c: np.full(k, np.nan) for c in names}
    inside = cols < n_vocab
    lengths = tokens.doc_lengths
    sides = [(name, s) for name, s in (("target", t), ("reference", r)) if s.docs is not None]
    n_docs = {name: int(np.count_nonzero(lengths[s.docs])) for name, s in sides}
    can_test = bool(tests) and len(sides) == 2
    if can_test and min(n_docs.values()) < min_docs:
        can_test = False
        notes.append(f"text-level tests ({', '.join(tests)}) not computed for {t.name} vs {r.name}: they need at "
                     f"least {min_docs} documents per side, and there are {n_docs['target']} and {n_docs['reference']}")
    if k == 0 or not sides:
        return out
    sub = csc[:, cols[inside]]
    kin = sub.shape[1]
    nnz = np.diff(sub.indptr)
    col = np.repeat(np.arange(kin), nnz)
    row, v = sub.indices, sub.data.astype(float)
    label = np.full(tokens.n_docs, -1, np.int8)
    for code, (_, side) in enumerate(sides):
        label[side.docs] = code
    lab = label[row]
    if lab.min(initial=0) < 0:  # documents of neither side (pairwise comparisons): leave them out
        keep = lab >= 0
        col, row, v, lab = col[keep], row[keep], v[keep], lab[keep]
        nnz = None
    split = _Split(col, lab == 0, kin, nnz)
    len_e = lengths[row].astype(float)
    # Gries' DP of both sides at once: s_i = N_i / N_side, f = the side's frequency
    size_t, size_r = (max(int(lengths[side.docs].sum()), 1) if side.docs is not None else 1 for side in (t, r))
    f_t, f_r = split.sums(v)
    share = len_e / split.pick(np.full(kin, float(size_t)), np.full(kin, float(size_r)))
    with np.errstate(divide="ignore", invalid="ignore"):
        dev_t, dev_r = split.sums(np.abs(v / split.pick(f_t, f_r) - share))
    share_t, share_r = split.sums(share)
    per_side = {"target": (split.nnz_t, f_t, dev_t, share_t), "reference": (split.nnz_r, f_r, dev_r, share_r)}
    for name, _ in sides:
        df_, f, dev, sh = per_side[name]
        out[f"doc_freq_{name}"][~inside] = 0
        out[f"doc_freq_{name}"][inside] = df_
        out[f"dp_{name}"][inside] = np.where(f == 0, np.nan, 0.5 * (dev + 1 - sh))
    if not can_test:
        return out
    y = v / len_e  # relative frequencies, by division (2/147 == 4/294 exactly)
    args = (split, y, n_docs["target"], n_docs["reference"])
    if "welch" in tests:
        out["welch_t"][inside], out["welch_p"][inside] = _welch(*args)
    if "mann_whitney" in tests:
        if shared is not None:  # ranks sorted once for all comparisons over these documents
            ranks, union_cols, union_rows = shared
            in_target = np.zeros(tokens.n_docs, bool)
            in_target[t.docs] = True
            u, p = ranks.test(in_target[union_rows], n_docs["target"])
            pos = np.searchsorted(union_cols, cols[inside])
            out["mann_whitney_u"][inside], out["mann_whitney_p"][inside] = u[pos], p[pos]
        else:
            out["mann_whitney_u"][inside], out["mann_whitney_p"][inside] = _mann_whitney(*args, int(lengths.max()))
    if "bootstrap" in tests:
        mats = []
        for code, (_, side) in enumerate(sides):
            docs = side.docs[lengths[side.docs] > 0]
            local = np.full(tokens.n_docs, -1)
            local[docs] = np.arange(len(docs))
            m = lab == code
            mats += [sp.csr_matrix((v[m], (local[row[m]], col[m])), shape=(len(docs), kin)), lengths[docs]]
        out["bootstrap_p"][inside] = bootstrap_test(*mats, n_boot=n_boot, seed=seed)
    return out


def _shared_ranks(tokens: Tokens, csc: sp.csc_matrix, pairs: list, col_sets: list[np.ndarray],
                  n_vocab: int) -> tuple | None:
    """Mann–Whitney ranks for the union of the candidate terms when all comparisons cover the same documents.

    That is the case of each group against the rest: the ranks of a term
    among all documents do not depend on which group is the target, so they
    are sorted once instead of once per group.
    """
    if len(pairs) < 2 or any(t.docs is None or r.docs is None for t, r in pairs):
        return None
    docs = np.union1d(pairs[0][0].docs, pairs[0][1].docs)
    if any(not np.array_equal(np.union1d(t.docs, r.docs), docs) for t, r in pairs[1:]):
        return None
    lengths = tokens.doc_lengths
    union_cols = np.unique(np.concatenate(col_sets))
    union_cols = union_cols[union_cols < n_vocab]
    if not len(union_cols):  # no candidate terms (e.g. nothing significant): nothing to rank
        return None
    sub = csc[:, union_cols]
    nnz = np.diff(sub.indptr)
    col, row, v = np.repeat(np.arange(len(union_cols)), nnz), sub.indices, sub.data.astype(float)
    member = np.zeros(tokens.n_docs, bool)
    member[docs[lengths[docs] > 0]] = True
    if not member[row].all():
        keep = member[row]
        col, row, v, nnz = col[keep], row[keep], v[keep], None
    ranks = _Ranks(col, v / lengths[row], len(union_cols), int(member.sum()), int(lengths.max()), nnz)
    return ranks, union_cols, row


def _sorted(frame: pd.DataFrame, sort_by: str) -> pd.DataFrame:
    """Overuse first (largest effect first), then underuse (strongest first), then the rest."""
    rank = frame["direction"].map({"over": 0, "under": 1}).fillna(2).to_numpy()
    val = frame[sort_by].to_numpy(dtype=float)
    key = np.where(rank == 0, -val, val if sort_by != "bic" else -val)
    key = np.where(np.isnan(key), np.inf, key)
    order = np.lexsort((frame["term"].to_numpy(dtype=str), key, rank))
    return frame.iloc[order]


def keyness(tokens: Tokens, target: Any = None, reference: Any = "rest", *, by: str | None = "outlet",
            reference_size: float | None = None, correction: str = "sidak", alpha: float = 0.05,
            keep: str = "significant", sort_by: str = "log_ratio", min_freq: int = 1, absent: str = "drop",
            ll_cells: str = "rayson", yates: str = "always", zero: str = "replace", zero_value: float = 0.5,
            confidence: float = 0.95, ci_method: str = "poisson", pct_diff_zero: float | None = 1e-18,
            simple_maths_n: float = 1.0, dirichlet_prior: Any = "corpus", prior_size: float | None = None,
            lor_variance: str = "approx", text_tests: Sequence[str] = ("welch", "mann_whitney"), text_terms: str = "listed",
            text_min_docs: int = 2, n_boot: int = 1000, seed: int = 0) -> pd.DataFrame:
    """Keywords: terms over- and under-used by a target corpus compared with a reference.

    The default list follows Hardie (2014): terms are filtered on significance of
    the log-likelihood test after adjusting for multiple comparisons, then
    ranked by effect size (Log Ratio); overused (positive) keywords come first,
    then underused (negative) keywords, strongest first.

    Parameters
    ----------
    tokens : Tokens
    target : group label, list of labels or None
        The target corpus: documents whose ``by`` value is ``target`` (a list
        merges groups). ``None``: every group in turn (one tidy table).
    reference : "rest", "pairwise", group label(s), Series/DataFrame or "wordfreq"
        ``"rest"`` (default): all other groups; ``"pairwise"``: each other group
        separately (with ``target=None``, every unordered pair once — swap
        target and reference by flipping signs); a label or list of labels;
        an external word-count table (Series or dict term -> frequency, a DataFrame with
        ``term`` and ``freq`` columns, or terms as index and one numeric column);
        ``"wordfreq"``: general English from the optional package ``wordfreq``
        (Speer 2022; offline), scaled to ``reference_size`` tokens (default 1e9, a
        nominal size: its significance values are nominal, effect sizes are not);
        ``'s`` forms are split or dropped as the tokenizer's ``possessives``, but
        wordfreq splits hyphenated words, so tokenize with ``hyphens="split"``
        (else every hyphenated term looks key). An external table must be
        tokenised like the corpus for the comparison to be fair.
    by : str or None
        Metadata column that defines the groups (default ``"outlet"``).
    reference_size : float, optional
        Tokens in the external reference corpus (default: the sum of its table;
        give the true size if the table is truncated, e.g. a top-10,000 list).
    correction : {"sidak", "bonferroni", "holm", "bh", "none"}
        Multiple-comparison adjustment of the log-likelihood p-values over the
        terms of each comparison (:func:`discourse.multiple.adjust_pvalues`).
        Default Šidák, a family-wise correction (Hardie 2014 filters keywords on a
        significance threshold corrected for the number of tests).
    alpha : float
        Significance level for ``significant`` (adjusted p < alpha).
    keep : {"significant", "all"}
        Return only significant terms (the keyword list, default) or all terms.
    sort_by : str
        Effect size that ranks the list: ``log_ratio`` (default), ``log_ratio_conservative``,
        ``log_likelihood``, ``percent_diff``, ``odds_ratio``, ``simple_maths``, ``log_odds_z``, ``bic``.
    min_freq : int
        Test only terms with ``a + b >= min_freq`` (fewer tests, milder adjustment).
    absent : {"drop", "nan"}
        A term absent from both corpora (possible with pairwise or external
        references) is dropped (default; not a candidate) or kept with NaN measures.
    ll_cells, yates, zero, zero_value, confidence, ci_method, pct_diff_zero, simple_maths_n, lor_variance
        Conventions of the measures; see :func:`keyness_measures`.
    dirichlet_prior : {"corpus", "uniform"} or array
        Prior of Monroe et al.'s (2008) log-odds: ``"corpus"`` (informative,
        default): ``alpha_w`` = the term's count in the whole corpus (for an
        external reference, target + reference) plus 0.01, rescaled to sum to
        ``prior_size`` if given, else used as counts, as in Monroe et al.'s
        informative prior and common implementations; ``"uniform"``: 0.01 per term (or
        ``prior_size / V``); or one value per term.
    prior_size : float, optional
        ``alpha_0``, the strength of the prior.
    text_tests : sequence of {"welch", "mann_whitney", "bootstrap"}
        Text-level tests (Lijffijt et al. 2016) on per-document relative
        frequencies, which respect that a word's occurrences cluster in
        documents: Welch's t (:func:`welch_test`) and Mann–Whitney U
        (:func:`mann_whitney_test`) by default; add ``"bootstrap"`` for the
        bootstrap over documents (:func:`bootstrap_test`), which costs
        ``n_boot`` x the non-zero counts of the listed terms (for 3 outlets on
        10M tokens about 1.8 s of CPU, against 0.3 s for everything else; see
        ``benchmarks/bench_keyness.py``). Empty: none. p-values are not adjusted.
    text_terms : {"listed", "all"}
        Compute DP and the text-level tests for the rows returned (default) or
        for all terms even when ``keep="significant"`` would drop them. (This
        keeps a large-corpus call fast; the rows not returned are not lost.)
    text_min_docs : int
        Minimum documents per side for the text-level tests; with fewer, their
        columns are NaN and a warning (also in ``attrs["notes"]``) says why.
    n_boot : int
        Bootstrap replicates; ``seed`` seeds them.

    Returns
    -------
    DataFrame
        One row per (target, reference, term): ``direction`` ("over", "under", or
        "equal"), ``freq_*``, ``per_million_*``, ``doc_freq_*``, ``range_*`` (share of
        documents), ``dp_*`` (Gries' DP over documents; NaN for an external
        reference), ``p_adjusted``, ``significant``, the measures of
        :func:`keyness_measures` and the text-level columns ``welch_t``, ``welch_p``,
        ``mann_whitney_u``, ``mann_whitney_p``, ``bootstrap_p``. All parameters, the
        corpus sizes and notes are in ``.attrs``.
    """
    _check("correction", correction, ("sidak", "bonferroni", "holm", "bh", "none"))
    _check("keep", keep, _KEEP)
    _check("sort_by", sort_by, SORT_KEYS)
    _check("absent", absent, _ABSENT)
    _check("text_terms", text_terms, ("listed", "all"))
    bad = [x for x in text_tests if x not in TEXT_TESTS]
    if bad:
        raise ValueError(f"unknown text_tests {bad}; choose from {list(TEXT_TESTS)}")
    if not 0 < alpha < 1:
        raise ValueError("alpha must lie strictly between 0 and 1")
    if n_boot < 1 or text_min_docs < 2 or min_freq < 0:
        raise ValueError("n_boot must be >= 1, text_min_docs >= 2 and min_freq >= 0")
    if tokens.n_tokens == 0:
        raise ValueError("the corpus has no tokens")
    pairs, terms, labels, background = _comparisons(tokens, by, target, reference, reference_size)
    if not pairs:
        raise ValueError("nothing to compare")
    options = dict(ll_cells=ll_cells, yates=yates, zero=zero, zero_value=zero_value, confidence=confidence,
                   ci_method=ci_method, pct_diff_zero=pct_diff_zero, simple_maths_n=simple_maths_n,
                   lor_variance=lor_variance)
    n_vocab = len(tokens.vocab)
    csc = tokens.dtm.tocsc() if any(t.docs is not None for t, _ in pairs) else None
    notes: list[str] = []
    frames = []
    selected = []
    for t, r in pairs:
        if t.size == 0 or r.size == 0:
            raise ValueError(f"{t.name if t.size == 0 else r.name} has no tokens")
        bg = t.freq + r.freq if background is None else background
        m = keyness_measures(t.freq, r.freq, t.size, r.size, prior=_prior(dirichlet_prior, prior_size, bg), **options)
        total = t.freq + r.freq
        tested = (total >= max(min_freq, 1))
        m["p_adjusted"] = np.full(len(total), np.nan)
        m["p_adjusted"][tested] = adjust_pvalues(m["p_value"][tested], correction)
        m["significant"] = m["p_adjusted"] < alpha
        rows = tested if keep == "all" else m["significant"]
        if keep == "all" and absent == "nan":
            rows = tested | (total == 0)
        cols = np.flatnonzero(rows)
        doc_cols = cols if text_terms == "listed" else np.union1d(cols, np.flatnonzero(tested))
        selected.append((m, cols, doc_cols))
    shared = (_shared_ranks(tokens, csc, pairs, [d for _, _, d in selected], n_vocab)
              if "mann_whitney" in text_tests else None)
    for (t, r), (m, cols, doc_cols) in zip(pairs, selected):
        doc = _doc_level(tokens, csc, t, r, doc_cols, n_vocab, list(text_tests), text_min_docs, n_boot, seed, notes,
                         shared)
        pos = np.searchsorted(doc_cols, cols)
        frame = {key: val[cols] for key, val in m.items()}
        frame.update({key: val[pos] if len(doc_cols) else val for key, val in doc.items()})
        sign = np.sign(m["log_likelihood"][cols])
        frame.update(target=t.name, reference=r.name, term=terms[cols],
                     direction=np.where(sign > 0, "over", np.where(sign < 0, "under", "equal")),
                     freq_target=t.freq[cols].astype(np.int64),  # counts of the corpus; an external table may be fractional
                     freq_reference=r.freq[cols] if r.docs is None else r.freq[cols].astype(np.int64),
                     per_million_target=t.freq[cols] / t.size * 1e6,
                     per_million_reference=r.freq[cols] / r.size * 1e6)
        for name, s in (("target", t), ("reference", r)):
            frame[f"range_{name}"] = frame[f"doc_freq_{name}"] / (len(s.docs) if s.docs is not None else np.nan)
        frames.append(_sorted(pd.DataFrame(frame)[_COLUMNS], sort_by))
    for note in notes:
        warnings.warn(note, stacklevel=2)
    out = pd.concat(frames, ignore_index=True)
    out["direction"] = out["direction"].astype(str)
    out.attrs = {"analysis": "keyness", "by": by, "target": target, "reference":
                 reference if isinstance(reference, (str, int, float, list, tuple)) else "external table",
                 "groups": list(map(str, labels)),
                 "sizes": {f"{t.name} vs {r.name}": {"target": t.size, "reference": r.size} for t, r in pairs},
                 "reference_size": reference_size, "correction": correction, "alpha": alpha, "keep": keep,
                 "sort_by": sort_by, "min_freq": min_freq, "absent": absent, **options,
                 "dirichlet_prior": dirichlet_prior if isinstance(dirichlet_prior, str) else "custom",
                 "prior_size": prior_size, "text_tests": list(text_tests), "text_terms": text_terms,
                 "text_min_docs": text_min_docs, "n_boot": n_boot, "seed": seed, "notes": notes,
                 "tokenizer": dict(tokens.params)}
    return out
