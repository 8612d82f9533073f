"""Stratified keyness: the target and reference compared within each stratum (story) both sides cover.

:func:`stratified_keyness` is what :func:`discourse.keyness.keyness` runs with
``strata=`` (e.g. ``strata="story"``). Pooled keyness mixes two things: *which*
stories an outlet covers (agenda) and *how* it words them (framing). Comparing
within strata keeps only the second: per term one 2x2 table per stratum (the
term's count against the other tokens, target against reference), pooled by
Mantel & Haenszel (1959) with the Robins–Breslow–Greenland (1986) interval and
the Cochran–Mantel–Haenszel test (formulas in :mod:`discourse.stats.stratified`),
plus how many strata lean each way, a sign test and a Wilcoxon signed-rank test
over strata. The counts are groups x strata x terms, a map over the corpus'
partitions and a sum (:func:`discourse.keyness_sides.group_freq`), so a store
or a :class:`~discourse.partitions.SplitTokens` gives the result of the whole corpus.
"""
from __future__ import annotations

import warnings
from itertools import combinations
from typing import Any, Iterable

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy import stats

from .grouping import group_labels
from .keyness_sides import as_list, group_freq
from .partitions import map_partitions, merge_sum
from .ranking import order_keywords, top_by_effect
from .stats.multiple import after_correction, significance
from .stats.stratified import mantel_haenszel, sign_test
from .stopwords import english_stopwords, set_aside_rows
from .validation import check_grouping, check_group, check_rest, missing_column_error

__all__ = ["stratified_keyness", "strata_counts", "check_strata", "wilcoxon_over_strata", "STRATA_COLUMNS"]

STRATA_COLUMNS = ["target", "reference", "term", "direction", "freq_target", "freq_reference",
                  "per_million_target", "per_million_reference", "n_strata", "strata_present", "strata_target",
                  "strata_reference", "strata_tie", "mh_odds_ratio", "mh_log_odds_ratio", "mh_log_odds_se",
                  "mh_log_odds_ci_low", "mh_log_odds_ci_high", "mh_odds_ratio_ci_low", "mh_odds_ratio_ci_high",
                  "cmh_statistic", "cmh_p_value", "p_adjusted", "significant", "sign_test_p", "wilcoxon_statistic",
                  "wilcoxon_p"]


def check_strata(function: str, tokens: Any, strata: str, by: Any) -> pd.Series:
    """The stratum of every document (missing = none), after the checks of ``strata``."""
    if not isinstance(strata, str):
        raise TypeError(f"{function}: strata must name a metadata column (e.g. 'story'), not {strata!r}")
    if strata not in tokens.metadata.columns:
        raise missing_column_error(strata, tokens.metadata.columns)
    if strata == by:
        raise ValueError(f"{function}: strata={strata!r} is also by={by!r}: the strata must be another column "
                         "than the groups compared within them")
    labels = group_labels(tokens.metadata, strata)  # warns of the documents in no stratum
    check_grouping(function, labels, strata, tokens.metadata.columns, name="strata")
    return labels


def strata_counts(tokens: Any, by: str, strata: str) -> tuple[list, list, sp.csr_matrix, int]:
    """Term counts by (group, stratum): ``(groups, strata labels, counts, documents without a stratum)``.

    ``counts`` is (groups x strata) x terms, row ``g * S + s``, summed over the partitions.
    Documents with no ``by`` or no ``strata`` value are in no row.
    """
    g_codes, groups = pd.factorize(group_labels(tokens.metadata, by, warn=False), sort=True)
    s_codes, labels = pd.factorize(group_labels(tokens.metadata, strata, warn=False).astype("string"), sort=True)
    ok = (g_codes >= 0) & (s_codes >= 0)
    n_s = len(labels)
    rows = (g_codes * n_s + s_codes)[ok]
    m = sp.csr_matrix((np.ones(ok.sum(), np.int32), (rows, np.flatnonzero(ok))),
                      shape=(len(groups) * n_s, tokens.n_docs))
    counts = merge_sum(map_partitions(tokens, group_freq, m)).tocsr()
    return list(groups), list(labels), counts, int((s_codes < 0).sum())


def _pairs(groups: list, target: Any, reference: Any, by: str) -> list[tuple[list, list, str]]:
    """(target labels, reference labels, reference name) of every comparison."""
    if isinstance(reference, (pd.Series, pd.DataFrame, dict)) or (isinstance(reference, str) and reference == "wordfreq"):
        raise ValueError("keyness: strata= compares groups of the corpus within its strata; an external "
                         "reference has no strata")
    targets = [[g] for g in groups] if target is None else [as_list(target)]
    for labs in targets:
        for x in labs:
            check_group("keyness", x, groups, by, "target")
    if isinstance(reference, str) and reference == "pairwise":
        if target is None:
            return [([x], [y], str(y)) for x, y in combinations(groups, 2)]
        return [(targets[0], [y], str(y)) for y in groups if y not in targets[0]]
    if isinstance(reference, str) and reference == "rest":
        out = []
        for labs in targets:
            others = [x for x in groups if x not in labs]
            check_rest("keyness", labs, others, groups, by)
            out.append((labs, others, "rest"))
        return out
    refs = as_list(reference)
    for x in refs:
        check_group("keyness", x, groups, by, "reference")
    if target is not None and set(targets[0]) & set(refs):
        raise ValueError(f"target {targets[0]} and reference {refs} overlap")
    return [(labs, refs, "+".join(map(str, refs))) for labs in targets if not set(labs) & set(refs)]


def _side(counts: sp.csr_matrix, groups: list, labs: list, n_s: int) -> sp.csr_matrix:
    rows = [groups.index(x) for x in labs]
    return sum((counts[k * n_s:(k + 1) * n_s] for k in rows[1:]), counts[rows[0] * n_s:(rows[0] + 1) * n_s])


def _entries(t: sp.csr_matrix, r: sp.csr_matrix, n_terms: int):
    """(stratum, term, a, c) of every (stratum, term) where the term occurs on either side."""
    t, r = t.tocoo(), r.tocoo()
    kt, kr = t.row.astype(np.int64) * n_terms + t.col, r.row.astype(np.int64) * n_terms + r.col
    keys = np.union1d(kt, kr)
    a, c = np.zeros(len(keys)), np.zeros(len(keys))
    a[np.searchsorted(keys, kt)] = t.data
    c[np.searchsorted(keys, kr)] = r.data
    return keys // n_terms, keys % n_terms, a, c


def wilcoxon_over_strata(t: sp.csr_matrix, r: sp.csr_matrix, n_t: np.ndarray, n_r: np.ndarray,
                         cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Wilcoxon signed-rank test (Wilcoxon 1945) of the per-stratum log ratios of the terms ``cols``.

    Per stratum ``log2((a / n_t) / (c / n_r))`` with a zero count replaced by 0.5
    (Hardie's 2014 Log Ratio convention, keyness' ``zero="replace"``); strata where
    the term is absent from both sides are left out (:func:`scipy.stats.wilcoxon` with
    its default method for the strata left: exact for a few without ties, a permutation
    or normal approximation otherwise), vectorised over the terms present in the same
    number of strata. NaN for a term in no stratum. Computed for the rows listed only.
    """
    if not len(cols):
        return np.zeros(0), np.zeros(0)
    a, c = t[:, cols].toarray().astype(float), r[:, cols].toarray().astype(float)
    ratio = np.log2((np.where(a > 0, a, 0.5) / n_t[:, None]) / (np.where(c > 0, c, 0.5) / n_r[:, None]))
    present = (a > 0) | (c > 0)
    n = present.sum(axis=0)
    stat, p = np.full(len(cols), np.nan), np.full(len(cols), np.nan)
    for k in np.unique(n[n > 0]):  # terms in k strata: one (k x terms) array each, tested at once
        these = np.flatnonzero(n == k)
        sub, keep = ratio[:, these].T, present[:, these].T
        vals = sub[keep].reshape(len(these), k).T
        with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
            warnings.simplefilter("ignore")  # a term in one stratum: scipy's small-sample note, p = 1
            res = stats.wilcoxon(vals, axis=0)
        stat[these], p[these] = res.statistic, res.pvalue
    return stat, p


def stratified_keyness(tokens: Any, target: Any, reference: Any, *, by: str, strata: str, correction: str,
                       alpha: float, keep: str, fallback: int, content_only: bool, min_freq: int,
                       confidence: float, cmh_correction: bool, aside: Iterable[str] | None,
                       notes: list[str]) -> pd.DataFrame:
    """Keyness within strata (see :func:`discourse.keyness.keyness`, ``strata=``); the entry has checked the options."""
    check_strata("keyness", tokens, strata, by)
    groups, labels, counts, no_stratum = strata_counts(tokens, by, strata)
    n_s, terms = len(labels), tokens.vocab.to_numpy()
    n_v = len(terms)
    listable = (~np.isin(terms, np.asarray(sorted(english_stopwords()), dtype=object)) if content_only
                else np.ones(n_v, bool))
    frames, info, n_tests, fell_back = [], {}, {}, {}
    for t_labs, r_labs, r_name in _pairs(groups, target, reference, by):
        t, r = _side(counts, groups, t_labs, n_s), _side(counts, groups, r_labs, n_s)
        n_t, n_r = np.asarray(t.sum(axis=1)).ravel(), np.asarray(r.sum(axis=1)).ravel()
        used = (n_t > 0) & (n_r > 0)
        name = f"{'+'.join(map(str, t_labs))} vs {r_name}"
        info[name] = {"used": [labels[k] for k in np.flatnonzero(used)],
                      "target_only": [labels[k] for k in np.flatnonzero((n_t > 0) & (n_r == 0))],
                      "reference_only": [labels[k] for k in np.flatnonzero((n_t == 0) & (n_r > 0))],
                      "tokens_target": int(n_t[used].sum()), "tokens_reference": int(n_r[used].sum())}
        if not used.any():
            raise ValueError(f"keyness: no stratum of {strata!r} has tokens of both {name.replace(' vs ', ' and ')}"
                             f" ({len(info[name]['target_only'])} strata have the target only, "
                             f"{len(info[name]['reference_only'])} the reference only)")
        t, r, n_t, n_r = t[used], r[used], n_t[used], n_r[used]
        s_k, v_k, a, c = _entries(t, r, n_v)
        m = mantel_haenszel(s_k, v_k, a, c, n_t, n_r, n_v, confidence=confidence, correction=cmh_correction)
        f_t, f_r = np.bincount(v_k, a, n_v), np.bincount(v_k, c, n_v)
        tested = (f_t + f_r) >= max(min_freq, 1)
        p_adj, sig = significance(np.where(tested, m["cmh_p"], np.nan), correction, alpha)
        n_tests[name] = int(tested.sum())
        cols = np.flatnonzero((tested if keep == "all" else sig) & listable)
        if keep == "significant" and not len(cols) and fallback:
            cols = top_by_effect(m["log_odds_ratio"], np.sign(np.nan_to_num(m["log_odds_ratio"])), terms,
                                 tested & listable, "log_ratio", fallback)
            fell_back[name] = (f"{name}: none significant within strata at \u03b1={alpha:g} "
                               f"{after_correction(correction)} ({n_tests[name]:,} tests); showing the top "
                               f"{fallback} per direction by the Mantel\u2013Haenszel log odds ratio")
        w_stat, w_p = wilcoxon_over_strata(t, r, n_t, n_r, cols)
        lor = m["log_odds_ratio"][cols]
        frame = pd.DataFrame({
            "target": "+".join(map(str, t_labs)), "reference": r_name, "term": terms[cols],
            "direction": np.where(lor > 0, "over", np.where(lor < 0, "under", "equal")),
            "freq_target": f_t[cols].astype(np.int64), "freq_reference": f_r[cols].astype(np.int64),
            "per_million_target": f_t[cols] / n_t.sum() * 1e6, "per_million_reference": f_r[cols] / n_r.sum() * 1e6,
            "n_strata": int(used.sum()), "strata_present": m["present"][cols],
            "strata_target": m["lean_target"][cols], "strata_reference": m["lean_reference"][cols],
            "strata_tie": int(used.sum()) - m["lean_target"][cols] - m["lean_reference"][cols],
            "mh_odds_ratio": m["odds_ratio"][cols], "mh_log_odds_ratio": lor, "mh_log_odds_se": m["log_odds_se"][cols],
            "mh_log_odds_ci_low": m["log_odds_ci_low"][cols], "mh_log_odds_ci_high": m["log_odds_ci_high"][cols],
            "mh_odds_ratio_ci_low": m["odds_ratio_ci_low"][cols], "mh_odds_ratio_ci_high": m["odds_ratio_ci_high"][cols],
            "cmh_statistic": m["cmh"][cols], "cmh_p_value": m["cmh_p"][cols], "p_adjusted": p_adj[cols],
            "significant": sig[cols],
            "sign_test_p": sign_test(m["lean_target"][cols], (m["lean_target"] + m["lean_reference"])[cols]),
            "wilcoxon_statistic": w_stat, "wilcoxon_p": w_p})
        frames.append(order_keywords(frame[STRATA_COLUMNS], "mh_log_odds_ratio"))
    notes[:0] = list(fell_back.values())
    out = pd.concat(frames, ignore_index=True)
    out, aside = set_aside_rows(out, "term", aside)
    out.attrs = {"strata": strata, "strata_used": {k: v["used"] for k, v in info.items()},
                 "strata_dropped": {k: {"target_only": v["target_only"], "reference_only": v["reference_only"]}
                                    for k, v in info.items()},
                 "n_strata": {k: {"used": len(v["used"]), "target_only": len(v["target_only"]),
                                  "reference_only": len(v["reference_only"])} for k, v in info.items()},
                 "n_strata_total": n_s, "docs_without_stratum": no_stratum,
                 "sizes": {k: {"target": v["tokens_target"], "reference": v["tokens_reference"]}
                           for k, v in info.items()},
                 "groups": list(map(str, groups)), "n_tests": n_tests, "fallback_used": list(fell_back),
                 "cmh_correction": cmh_correction, "set_aside": aside,
                 "wilcoxon_smoothing": "zero counts replaced by 0.5 in the per-stratum Log Ratio"}
    if fell_back:
        out.attrs["note"] = "; ".join(fell_back.values())
    return out
