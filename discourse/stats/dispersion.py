"""Dispersion measures: how evenly a term is spread over the parts of a corpus.

All measures are computed for every term (column) at once from a sparse parts x
terms count matrix, so unequal part sizes are handled throughout; ARF is
computed from a token stream (positions), not from parts.

Notation (Gries 2008): ``n`` parts; part ``i`` has ``N_i`` tokens and the share
``s_i = N_i / sum N``; the term occurs ``v_i`` times in part ``i`` and
``f = sum v_i`` times in all; ``p_i = v_i / N_i`` is its relative frequency in
part ``i``.

References
----------
Carroll, J. B. (1970). An alternative to Juilland's usage coefficient for lexical frequencies. ETS.
Gries, S. Th. (2008). Dispersions and adjusted frequencies in corpora. IJCL 13(4), 403-437.
Gries, S. Th. (2020). Analyzing dispersion. In Paquot & Gries (eds.), A practical handbook of corpus linguistics.
Juilland, A., Brodin, D. & Davidovitch, C. (1970). Frequency dictionary of French words.
Egbert, J., Burch, B. & Biber, D. (2020). Lexical dispersion and corpus design. IJCL 25(1), 89-115.
Lijffijt, J. & Gries, S. Th. (2012). Correction to Gries (2008). IJCL 17(1), 147-149.
Rosengren, I. (1971). The quantitative concept of language and its relation to the structure
of frequency dictionaries. Études de linguistique appliquée 1, 103-127.
Savický, P. & Hlaváčová, J. (2002). Measures of word commonness. J. Quant. Linguistics 9(3), 215-231.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import scipy.sparse as sp

from ..validation import check_choice
from .arrays import Segments

__all__ = ["MEASURES", "SD", "DP_NORM", "DIRECTION", "PART_SIZES", "dp_from_entries", "gries_dp",
           "dispersion_measures", "conventions", "arf"]

MEASURES = ("range", "juilland_d", "carroll_d2", "rosengren_s", "dp", "dp_norm")
SD = ("population", "sample")
DP_NORM = ("min_part", "equal_parts", "occupied")
DIRECTION = ("native", "evenness", "unevenness")
PART_SIZES = ("actual", "equal")


def _entries(counts, sizes):
    """Validated non-zero entries (column, part, count) of a parts x terms matrix; empty parts dropped."""
    sizes = np.asarray(sizes, dtype=float)
    m = sp.csc_matrix(counts, dtype=float)
    if m.shape[0] != len(sizes):
        raise ValueError(f"counts has {m.shape[0]} parts but sizes has {len(sizes)}")
    if np.any(sizes < 0) or np.any(np.asarray(m.sum(axis=1)).ravel() > sizes + 1e-9):
        raise ValueError("part sizes must be non-negative and at least the counts in each part")
    keep = sizes > 0
    if not keep.all():
        m, sizes = m[np.flatnonzero(keep)], sizes[keep]
    m.eliminate_zeros()
    s = sizes / sizes.sum() if len(sizes) else sizes
    seg = Segments(None, m.shape[1], np.diff(m.indptr))
    return m, sizes, s, seg, m.indices, m.data, seg.sum(m.data)


def dp_from_entries(sums: Callable[[np.ndarray], Any], v: np.ndarray, f_entry: np.ndarray,
                    share: np.ndarray) -> np.ndarray:
    """Gries' (2008) DP from the non-zero entries of a parts x terms matrix: the one DP of the package.

    ``DP = 0.5 * sum_i |v_i / f - s_i|``. Parts where the term is absent
    contribute ``|0 - s_i| = s_i``, i.e. 1 minus the shares of the parts where it
    occurs, so only non-zero entries are visited:
    ``DP = 0.5 * (sum_{v_i > 0} |v_i / f - s_i| + 1 - sum_{v_i > 0} s_i)``.

    ``v``, ``f_entry`` and ``share`` give each entry's count, its term's
    frequency ``f`` and its part's share ``s_i``; ``sums`` adds a value per entry
    up by term (``Segments.sum``; or a two-sided sum, such as
    :meth:`discourse.stats.tests.ColumnSplit.sums`, for two corpora at once).
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        dev = np.abs(v / f_entry - share)
    return 0.5 * (np.asarray(sums(dev)) + 1 - np.asarray(sums(share)))


def _dp(seg: Segments, row, v, f, s) -> np.ndarray:
    return dp_from_entries(seg.sum, v, np.repeat(f, seg.nnz), s[row])


def gries_dp(counts: sp.spmatrix | np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Gries' (2008) DP of every column: ``0.5 * sum_i |v_i / f - s_i|`` (0 = even, 1 - min s_i = all in one part).

    The one measure of :func:`dispersion_measures`, for when only DP is wanted
    (keyness reports it for both corpora). NaN for terms with ``f = 0``.
    """
    m, _, s, seg, row, v, f = _entries(counts, sizes)
    return np.where(f == 0, np.nan, _dp(seg, row, v, f, s))


def conventions(out: dict[str, np.ndarray], clamp_d: bool, direction: str) -> dict[str, np.ndarray]:
    """Juilland's D clamped at 0 (``clamp_d``), every measure turned to ``direction`` (:func:`dispersion_measures`)."""
    if clamp_d:
        out["juilland_d"] = np.where(np.isnan(out["juilland_d"]), np.nan, np.maximum(out["juilland_d"], 0.0))
    flip = {"evenness": ("dp", "dp_norm"), "unevenness": ("juilland_d", "carroll_d2", "rosengren_s")}
    for name in flip.get(direction, ()):
        out[name] = 1 - out[name]
    return out


def dispersion_measures(counts: sp.spmatrix | np.ndarray, sizes: np.ndarray, *, sd: str = "population",
                        dp_norm: str = "min_part", direction: str = "native", part_sizes: str = "actual",
                        clamp_d: bool = False) -> dict[str, np.ndarray]:
    """Parts-based dispersion of every term (column) of a parts x terms count matrix.

    Parameters
    ----------
    counts : sparse matrix or ndarray, shape (n_parts, n_terms)
        ``v_i`` of each term in each part.
    sizes : ndarray, shape (n_parts,)
        Tokens ``N_i`` in each part (parts of size 0 are ignored).
    sd : {"population", "sample"}
        Standard deviation used in Juilland's D. Gries (2008) and his R code use
        the population SD (divide by ``n``, default); ``"sample"`` divides by ``n - 1``.
    dp_norm : {"min_part", "equal_parts"}
        Denominator of DPnorm: ``1 - min(s_i)``, the maximum DP for parts of
        unequal size (Lijffijt & Gries 2012, default), or ``1 - 1/n``, exact
        only for equal-sized parts (Gries 2008), or ``1 - min(s_i)`` over the parts where
        the term occurs (``"occupied"``; Egbert, Burch & Biber 2020), the default of tlda's
        ``disp_DP(formula = "egbert_etal_2020")`` (Sönning, ``R/disp_DP.R``, github.com/lsoenning/tlda
        at bad3a6d), where ``"min_part"`` is its ``"lijffit_gries_2012"`` and DP its ``"gries_2008"``.
    direction : {"native", "evenness", "unevenness"}
        ``"native"`` keeps each measure's published scale (D, D2, S: 1 = perfectly
        even; DP, DPnorm: 0 = perfectly even). ``"evenness"`` reports ``1 - DP``
        and ``1 - DPnorm`` so that every measure reads "higher = more even"
        (as recommended by Gries 2020; tlda's ``directionality = "conventional"``);
        ``"unevenness"`` reports ``1 - D``, ``1 - D2`` and ``1 - S`` so that every measure reads
        "0 = even" (Gries 2008's scale; tlda's ``directionality = "gries"``).
    part_sizes : {"actual", "equal"}
        ``"actual"`` (default): the forms for parts of unequal size (Gries 2008: relative
        frequencies ``p_i = v_i / N_i`` in D and D2, shares ``s_i`` in S and DP). ``"equal"``:
        the original equal-part forms on raw counts, as if every part had the same size
        (``p_i = v_i``, ``s_i = 1 / n``: Juilland et al. 1970, Carroll 1970, Rosengren 1971's
        ``S = (sum sqrt(v_i))^2 / (n f)``, DP with ``1 / n``), as Wordless 3.x computes them
        (``wordless/wl_measures/wl_measures_dispersion.py``, github.com/BLKSerene/Wordless at
        c03b2f4: ``numpy.std`` is the population SD) on its equal sub-sections; the same
        values as ``"actual"`` when the parts are of equal size.
    clamp_d : bool
        Report a negative Juilland's D (possible with ``sd="sample"``) as 0, as Wordless
        does (``max(0, d)``); default False.

    Returns
    -------
    dict of ndarray
        ``freq`` (f), ``range`` (parts with ``v_i > 0``), ``range_prop``
        (range / n) and:

        - ``juilland_d`` = ``1 - V / sqrt(n - 1)``, ``V = sd(p) / mean(p)`` (Juilland et al. 1970;
          with relative frequencies ``p_i`` for unequal parts, Gries 2008);
        - ``carroll_d2`` = ``H / log2(n)`` with ``H = -sum q_i log2 q_i`` and ``q_i = p_i / sum p``
          (Carroll 1970);
        - ``rosengren_s`` = ``(sum sqrt(s_i v_i))^2 / f`` (Rosengren 1971; the numerator is his
          adjusted frequency AF);
        - ``dp`` = ``0.5 * sum |v_i / f - s_i|`` (Gries 2008);
        - ``dp_norm`` = DP divided by the ``dp_norm`` denominator.

        Terms with ``f = 0`` get NaN; D and D2 are NaN when ``n < 2``.
    """
    check_choice("sd", sd, SD)
    check_choice("dp_norm", dp_norm, DP_NORM)
    check_choice("direction", direction, DIRECTION)
    check_choice("part_sizes", part_sizes, PART_SIZES)
    m, sizes, s, seg, row, v, f = _entries(counts, sizes)
    n, n_terms = m.shape
    if part_sizes == "equal":  # the equal-part forms: raw counts, shares 1 / n
        sizes, s = np.ones(n), np.full(n, 1 / max(n, 1))
    rng = seg.nnz.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = v / sizes[row]
        sum_p = seg.sum(p)
        mean_p = sum_p / n
        # sum of squared deviations over all n parts: nonzero parts + (n - range) zeros
        ss = seg.sum((p - np.repeat(mean_p, seg.nnz)) ** 2) + (n - rng) * mean_p ** 2
        sdev = np.sqrt(ss / (n if sd == "population" else n - 1))
        juilland = 1 - (sdev / mean_p) / np.sqrt(n - 1)
        q = p / np.repeat(sum_p, seg.nnz)
        entropy = 0.0 - seg.sum(q * np.log2(q))  # 0.0 - x: no negative zero
        carroll = entropy / np.log2(n)
        rosengren = seg.sum(np.sqrt(s[row] * v)) ** 2 / f
        dp = _dp(seg, row, v, f, s)
        denom = {"min_part": 1 - s.min(initial=1.0), "equal_parts": 1 - 1 / n,
                 "occupied": seg.max(1 - s[row])}[dp_norm]  # 1 - min s_i over the parts with the term
        dpn = dp / denom
    absent = f == 0
    few = np.full(n_terms, n < 2)
    out = {"freq": f, "range": rng, "range_prop": rng / max(n, 1),
           "juilland_d": np.where(absent | few, np.nan, juilland),
           "carroll_d2": np.where(absent | few, np.nan, carroll),
           "rosengren_s": np.where(absent, np.nan, rosengren),
           "dp": np.where(absent, np.nan, dp), "dp_norm": np.where(absent | few, np.nan, dpn)}
    return conventions(out, clamp_d, direction)


def arf(ids: np.ndarray, n_terms: int) -> np.ndarray:
    """Average reduced frequency of every term in a token stream (Savický & Hlaváčová 2002).

    With ``N`` tokens, a term of frequency ``f`` at positions ``x_1 < ... < x_f``,
    window ``w = N / f`` and cyclic gaps ``d_1 = x_1 + N - x_f``, ``d_k = x_k - x_{k-1}``:
    ``ARF = (1 / w) * sum_k min(d_k, w)``. ARF lies in ``[1, f]``; it equals ``f``
    for perfectly regular spacing and ``1 + (f - 1) / w`` (close to 1) when all occurrences are adjacent.

    Parameters
    ----------
    ids : ndarray of int
        Term id of every token, in text order.
    n_terms : int
        Size of the vocabulary (length of the result).

    Returns
    -------
    ndarray of float
        ARF by term id; NaN for terms that do not occur.
    """
    ids = np.asarray(ids)
    N = len(ids)
    out = np.full(n_terms, np.nan)
    if N == 0:
        return out
    freq = np.bincount(ids, minlength=n_terms)
    # positions grouped by term, increasing within a term: one sort of unique int64 keys (term * N + position)
    key = ids.astype(np.int64) * N + np.arange(N)
    key.sort()
    pos = key % N
    present = freq > 0
    starts = np.r_[0, np.cumsum(freq)[:-1]][present]  # first occurrence of each present term
    ends = starts + freq[present] - 1
    gap = np.empty(N, dtype=float)
    gap[1:] = np.diff(pos)
    gap[starts] = pos[starts] + N - pos[ends]  # cyclic gap: first occurrence after wrapping around
    window = np.repeat(N / freq[present], freq[present])
    sums = np.add.reduceat(np.minimum(gap, window), starts)
    out[present] = sums / (N / freq[present])
    return out
