"""Keyness: which terms an outlet over- or under-uses compared with a reference.

:func:`keyness` takes :class:`~discourse.tokens.Tokens`, compares one group
(e.g. an outlet) with another group, with all the rest, pairwise, or with an
external reference frequency table, and returns a tidy table. It selects the
counts; the statistics are in :mod:`discourse.stats`: the 2x2 measures
(:func:`~discourse.stats.association.keyness_measures`), Gries' DP over
documents (:func:`~discourse.stats.dispersion.dp_from_entries`, both sides at once), the text-level tests
of Lijffijt et al. (2016) (:mod:`discourse.stats.tests`) and the
multiple-comparison adjustment (:func:`~discourse.stats.multiple.adjust_pvalues`).
External references are read by :mod:`discourse.references`. The counts come from a
map over the corpus' partitions (:mod:`discourse.keyness_sides`): groups x terms
frequencies, and the document-term columns of the listed terms only for the
document-level columns, so a store or a :class:`~discourse.partitions.SplitTokens`
gives the results of the whole corpus.
"""
from __future__ import annotations

import warnings
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd

from .compat import with_compat
from .grouping import group_labels
from .keyness_docs import doc_columns
from .keyness_sides import comparisons
from .keyness_strata import stratified_keyness
from .ranking import SORT_KEYS, SORT_NAMES, order_keywords, top_by_effect
from .stats.association import keyness_measures
from .stats.keyness_conventions import check_conventions
from .stats.multiple import after_correction, significance
from .stopwords import english_stopwords
from .stopwords import set_aside_rows, set_aside_terms
from .tokens import Tokens
from .validation import (check_choice, check_choices, check_count, check_fraction, check_min_freq, check_pairs,
                         check_tokens)

__all__ = ["keyness", "TEXT_TESTS", "SORT_KEYS"]


_PRIOR = ("corpus", "uniform")
_ABSENT = ("drop", "nan")
_KEEP = ("significant", "all")
_CORRECTIONS = ("sidak", "bonferroni", "holm", "bh", "by", "none")
TEXT_TESTS = ("welch", "mann_whitney", "bootstrap")

_COLUMNS = ["target", "reference", "term", "direction", "freq_target", "freq_reference", "per_million_target",
            "per_million_reference", "doc_freq_target", "doc_freq_reference", "range_target", "range_reference",
            "dp_target", "dp_reference", "log_likelihood", "p_value", "p_adjusted", "significant", "log_ratio",
            "log_ratio_ci_low", "log_ratio_ci_high", "log_ratio_conservative", "chi2", "chi2_yates",
            "chi2_williams", "pmi", "percent_diff", "bic", "ell", "odds_ratio", "simple_maths", "log_odds_dirichlet",
            "log_odds_z", "welch_t", "welch_p", "mann_whitney_u", "mann_whitney_p", "bootstrap_p", "expected_target",
            "expected_reference"]


def _prior(kind, prior_size, background: np.ndarray) -> np.ndarray:
    """Monroe et al.'s Dirichlet prior alpha_w for every term."""
    if not isinstance(kind, str):
        alpha = np.asarray(kind, dtype=float)
        if alpha.shape != background.shape or np.any(alpha <= 0):
            raise ValueError(f"a custom prior needs one positive value per term ({background.shape[0]})")
        return alpha
    check_choice("dirichlet_prior", kind, _PRIOR)
    if kind == "uniform":
        return np.full(background.shape, 0.01 if prior_size is None else prior_size / len(background))
    # informative: background counts (+0.01 so no alpha is 0), rescaled to alpha_0 = prior_size if given
    alpha = background + 0.01
    return alpha if prior_size is None else alpha / alpha.sum() * prior_size


@with_compat("keyness")
def keyness(tokens: Tokens, target: Any = None, reference: Any = "rest", *, by: str | None = "outlet",
            reference_size: float | None = None, correction: str = "sidak", alpha: float = 0.05,
            keep: str = "significant", sort_by: str = "log_ratio", fallback: int = 20, content_only: bool = False,
            min_freq: int = 1, absent: str = "drop",
            ll_cells: str = "rayson", yates: str = "always", zero: str = "replace", zero_value: float = 0.5,
            confidence: float = 0.95, ci_method: str = "poisson", pct_diff_zero: float | None = 1e-18,
            simple_maths_n: float = 1.0, dirichlet_prior: Any = "corpus", prior_size: float | None = None,
            lor_variance: str = "approx", ll_correction: str = "none", williams: str = "divide",
            log_epsilon: float = 0.0, sign: str = "rate", test: str = "log_likelihood", p_tail: str = "sf",
            odds_ratio: str = "sample", pct_diff_scale: str = "per_million", undefined: str = "nan",
            text_tests: Sequence[str] = ("welch", "mann_whitney"), text_terms: str = "listed",
            text_min_docs: int = 2, n_boot: int = 1000, seed: int = 0,
            set_aside: str | Iterable[str] | None = None, strata: str | None = None,
            cmh_correction: bool = False, _compat: dict | None = None) -> pd.DataFrame:
    """Keywords: terms over- and under-used by a target corpus compared with a reference.

    The default list follows Hardie (2014): terms are filtered on significance of
    the log-likelihood test after adjusting for multiple comparisons, then
    ranked by effect size (Log Ratio); overused (positive) keywords come first,
    then underused (negative) keywords, strongest first.

    Parameters
    ----------
    tokens : Tokens or a partitioned corpus
        (a store, :class:`~discourse.partitions.SplitTokens`: analysed a partition at a time).
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
    correction : {"sidak", "bonferroni", "holm", "bh", "by", "none"}
        Multiple-comparison adjustment of the log-likelihood p-values over the
        terms of each comparison (:func:`discourse.stats.multiple.adjust_pvalues`).
        Default Šidák, a family-wise correction (Hardie 2014 filters keywords on a
        significance threshold corrected for the number of tests).
    alpha : float
        Significance level for ``significant`` (adjusted p < alpha).
    keep : {"significant", "all"}
        Return only significant terms (the keyword list, default; see ``fallback``
        when there are none) or all tested terms (a descriptive ranking).
    sort_by : str
        Effect size that ranks the list: ``log_ratio`` (default), ``log_ratio_conservative``,
        ``log_likelihood``, ``percent_diff``, ``odds_ratio``, ``simple_maths``, ``log_odds_z``, ``bic``.
    fallback : int
        With ``keep="significant"``, a comparison in which no listed term is
        significant (a corpus too small for any term to pass the corrected
        threshold) shows its top ``fallback`` terms per direction by ``sort_by``
        instead of no rows, all with ``significant=False``, and says so in a
        warning, ``attrs["note"]`` and ``attrs["notes"]`` ("none significant at
        α=0.05 after Šidák correction (m tests); showing the top 20 per
        direction by Log Ratio"). Default 20; 0 returns the empty list.
    content_only : bool
        Leave stop words (:func:`discourse.stopwords.english_stopwords`) out of
        the listing (default False: function-word keyness is a finding). They
        are still tested and counted in the correction's ``m``.
    min_freq : int
        Test only terms with ``a + b >= min_freq`` (fewer tests, milder adjustment).
    absent : {"drop", "nan"}
        A term absent from both corpora (possible with pairwise or external
        references) is dropped (default; not a candidate) or kept with NaN measures.
    ll_cells, yates, zero, zero_value, confidence, ci_method, pct_diff_zero, simple_maths_n, lor_variance
        Conventions of the measures; see :func:`discourse.stats.association.keyness_measures`.
    ll_correction, williams, log_epsilon, sign, test, p_tail, odds_ratio, pct_diff_scale, undefined
        Peers' conventions (quanteda, WordSmith, CQPweb, Sketch Engine, Wordless, Evert's ``corpora``,
        KeynessMeasures), each documented in :func:`~discourse.stats.association.keyness_measures`;
        the defaults keep this package's measures. ``test`` picks the statistic behind ``p_value``
        and ``significant`` (default the log-likelihood); ``undefined`` the measures of a term absent
        from both sides (kept with ``absent="nan"``). ``docs/conventions.md`` tabulates them per tool.
    compat : {"quanteda", "wordsmith", "cqpweb", "sketchengine", "wordless"}, optional
        Set every option above (and ``keep``, ``correction``, ``alpha``, ``sort_by`` where the tool
        fixes them) to one tool's values at once (:mod:`discourse.compat`); options passed explicitly
        win. Recorded in ``attrs["params"]["compat"]``.
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
        documents: Welch's t (:func:`discourse.stats.tests.welch_test`) and Mann–Whitney U
        (:func:`discourse.stats.tests.mann_whitney_test`) by default; add ``"bootstrap"`` for the
        bootstrap over documents (:func:`discourse.stats.tests.bootstrap_test`), which costs
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
    set_aside : None, "house_style" or iterable of str
        Terms left out of the listing but not out of the counts: every statistic,
        p-value and its adjustment is that of the call without it (default None).
        ``"house_style"``: :func:`discourse.stopwords.house_style_terms` (honorifics
        ``mr``/``ms``/``mrs``, ``said``, agency tags...; copy and edit
        ``discourse/data/house_style.yaml``). Recorded in ``attrs["set_aside"]``.
    strata : str, optional
        A metadata column (e.g. ``"story"``): compare target and reference *within*
        each stratum both sides cover (at least one token each; the others are
        dropped and counted in ``attrs``), so that a keyword is not an artefact of
        which stories a side covers. Per term, one 2x2 table per stratum (the term
        against the other tokens, target against reference), pooled by Mantel &
        Haenszel (1959): ``OR_MH = sum(a d / n) / sum(b c / n)``, its log with the
        Robins, Breslow & Greenland (1986) interval, the Cochran–Mantel–Haenszel
        test (Agresti 2013, §6.3), the strata where the term leans each way, a
        sign test and a Wilcoxon signed-rank test over strata
        (:mod:`discourse.keyness_strata`, formulas in :mod:`discourse.stats.stratified`).
        ``correction``, ``alpha``, ``keep``, ``fallback``, ``content_only``, ``min_freq``,
        ``confidence`` and ``set_aside`` apply (to the CMH p-values); rows are
        ordered by the MH log odds ratio, and the other measures' options and the
        text-level tests do not apply. Default None: pooled keyness.
    cmh_correction : bool
        Continuity correction of the CMH statistic (default False, as statsmodels'
        ``StratifiedTable.test_null_odds``).

    Returns
    -------
    DataFrame
        One row per (target, reference, term): ``direction`` ("over", "under", or
        "equal"), ``freq_*``, ``per_million_*``, ``doc_freq_*``, ``range_*`` (share of
        documents), ``dp_*`` (Gries' DP over documents; NaN for an external
        reference), ``p_adjusted``, ``significant`` (adjusted p < alpha), the measures of
        :func:`~discourse.stats.association.keyness_measures` and the text-level columns ``welch_t``, ``welch_p``,
        ``mann_whitney_u``, ``mann_whitney_p``, ``bootstrap_p``. All parameters, the
        corpus sizes, the number of tests of each comparison (``n_tests``, the ``m``
        of the correction), the comparisons shown by ``fallback`` (``fallback_used``;
        their notes in ``note``) and all notes (``notes``) are in ``.attrs``.
    """
    check_choice("correction", correction, _CORRECTIONS)
    check_choice("keep", keep, _KEEP)
    check_choice("sort_by", sort_by, SORT_KEYS)
    check_choice("absent", absent, _ABSENT)
    check_choice("text_terms", text_terms, ("listed", "all"))
    check_choices("text_tests", text_tests, TEXT_TESTS)
    check_fraction("alpha", alpha)
    check_count("n_boot", n_boot, minimum=1)
    check_count("text_min_docs", text_min_docs, minimum=2)
    check_count("min_freq", min_freq)
    check_count("fallback", fallback)
    check_conventions(yates=yates, zero=zero, ll_correction=ll_correction, williams=williams, log_epsilon=log_epsilon,
                      sign=sign, test=test, p_tail=p_tail, odds_ratio=odds_ratio, pct_diff_scale=pct_diff_scale,
                      undefined=undefined)
    aside = set_aside_terms(set_aside)
    check_tokens("keyness", tokens, by, group_labels(tokens.metadata, by))
    if strata is not None:
        return _within_strata(tokens, target, reference, by=by, strata=strata, correction=correction, alpha=alpha,
                              keep=keep, fallback=fallback, content_only=content_only, min_freq=min_freq,
                              confidence=confidence, cmh_correction=cmh_correction, aside=aside, sort_by=sort_by,
                              compat=_compat)
    pairs, terms, labels, background = comparisons(tokens, by, target, reference, reference_size)
    check_pairs("keyness", pairs, labels, by)
    if background is not None:  # an external reference adds its own counts to every term's total
        check_min_freq("keyness", "min_freq", min_freq, background)
    options = dict(ll_cells=ll_cells, yates=yates, zero=zero, zero_value=zero_value, confidence=confidence,
                   ci_method=ci_method, pct_diff_zero=pct_diff_zero, simple_maths_n=simple_maths_n,
                   lor_variance=lor_variance, ll_correction=ll_correction, williams=williams,
                   log_epsilon=log_epsilon, sign=sign, test=test, p_tail=p_tail, odds_ratio=odds_ratio,
                   pct_diff_scale=pct_diff_scale, undefined=undefined)
    n_vocab = len(tokens.vocab)
    notes: list[str] = []
    frames, selected, n_tests, fell_back = [], [], {}, {}
    listable = ~np.isin(terms, np.asarray(sorted(english_stopwords()), dtype=object)) if content_only else True
    for t, r in pairs:
        if t.size == 0 or r.size == 0:
            raise ValueError(f"{t.name if t.size == 0 else r.name} has no tokens")
        bg = t.freq + r.freq if background is None else background
        m = keyness_measures(t.freq, r.freq, t.size, r.size, prior=_prior(dirichlet_prior, prior_size, bg), **options)
        rate_sign = np.sign(t.freq / t.size - r.freq / r.size)  # the direction, whatever sign convention G2 has
        total = t.freq + r.freq
        tested = (total >= max(min_freq, 1))
        m["p_adjusted"], m["significant"] = significance(np.where(tested, m["p_value"], np.nan), correction, alpha)
        name = f"{t.name} vs {r.name}"
        n_tests[name] = int(tested.sum())
        rows = tested if keep == "all" else m["significant"]
        if keep == "all" and absent == "nan":
            rows = tested | (total == 0)
        cols = np.flatnonzero(rows & listable)
        if keep == "significant" and not len(cols) and fallback:  # describe the largest effects instead
            cols = top_by_effect(m[sort_by], rate_sign, terms, tested & listable, sort_by, fallback)
            what = "no content word" if m["significant"].any() else "none"
            fell_back[name] = (f"{name}: {what} significant at \u03b1={alpha:g} {after_correction(correction)} "
                               f"({n_tests[name]:,} tests); showing the top {fallback} per direction by "
                               f"{SORT_NAMES[sort_by]} (not keywords: a description; keep='all' lists every term)")
        doc_cols = cols if text_terms == "listed" else np.union1d(cols, np.flatnonzero(tested))
        selected.append((m, cols, doc_cols, rate_sign))
    docs = doc_columns(tokens, pairs, [d for _, _, d, _ in selected], n_vocab, list(text_tests), text_min_docs,
                        n_boot, seed, notes)
    for (t, r), (m, cols, doc_cols, rate_sign), doc in zip(pairs, selected, docs):
        pos = np.searchsorted(doc_cols, cols)
        frame = {key: val[cols] for key, val in m.items()}
        frame.update({key: val[pos] if len(doc_cols) else val for key, val in doc.items()})
        direction = rate_sign[cols]
        frame.update(target=t.name, reference=r.name, term=terms[cols],
                     direction=np.where(direction > 0, "over", np.where(direction < 0, "under", "equal")),
                     freq_target=t.freq[cols].astype(np.int64),  # counts of the corpus; an external table may be fractional
                     freq_reference=r.freq[cols] if r.docs is None else r.freq[cols].astype(np.int64),
                     per_million_target=t.freq[cols] / t.size * 1e6,
                     per_million_reference=r.freq[cols] / r.size * 1e6)
        for name, s in (("target", t), ("reference", r)):
            frame[f"range_{name}"] = frame[f"doc_freq_{name}"] / (len(s.docs) if s.docs is not None else np.nan)
        frames.append(order_keywords(pd.DataFrame(frame)[_COLUMNS], sort_by))
    notes = list(fell_back.values()) + notes
    for note in notes:
        warnings.warn(note, stacklevel=2)
    out = pd.concat(frames, ignore_index=True)
    out["direction"] = out["direction"].astype(str)
    out, aside = set_aside_rows(out, "term", aside)  # out of the listing only: the statistics stand
    out.attrs = {"analysis": "keyness", "by": by, "target": target, "reference":
                 reference if isinstance(reference, (str, int, float, list, tuple)) else "external table",
                 "groups": list(map(str, labels)),
                 "sizes": {f"{t.name} vs {r.name}": {"target": t.size, "reference": r.size} for t, r in pairs},
                 "reference_size": reference_size, "correction": correction, "alpha": alpha, "keep": keep,
                 "n_tests": n_tests, "sort_by": sort_by, "fallback": fallback, "fallback_used": list(fell_back),
                 "content_only": content_only, "min_freq": min_freq, "absent": absent, **options,
                 "dirichlet_prior": dirichlet_prior if isinstance(dirichlet_prior, str) else "custom",
                 "prior_size": prior_size, "text_tests": list(text_tests), "text_terms": text_terms,
                 "text_min_docs": text_min_docs, "n_boot": n_boot, "seed": seed, "notes": notes,
                 "set_aside": aside, "params": {"compat": _compat},
                 "tokenizer": dict(tokens.params)}
    if fell_back:
        out.attrs["note"] = "; ".join(fell_back.values())
    return out


def _within_strata(tokens: Any, target: Any, reference: Any, *, sort_by: str, compat: dict | None,
                   **options: Any) -> pd.DataFrame:
    """``keyness(..., strata=...)``: :func:`discourse.keyness_strata.stratified_keyness`, its notes and attrs."""
    if sort_by != "log_ratio":
        raise ValueError(f"keyness: with strata= the rows are ordered by the Mantel\u2013Haenszel log odds ratio; "
                         f"sort_by={sort_by!r} does not apply")
    check_fraction("confidence", options["confidence"])
    notes: list[str] = []
    out = stratified_keyness(tokens, target, reference, notes=notes, **options)
    for note in notes:
        warnings.warn(note, stacklevel=3)
    out.attrs = {"analysis": "keyness", "by": options["by"], "target": target, "reference": reference,
                 "correction": options["correction"], "alpha": options["alpha"], "keep": options["keep"],
                 "fallback": options["fallback"], "content_only": options["content_only"],
                 "min_freq": options["min_freq"], "confidence": options["confidence"], **out.attrs,
                 "notes": notes, "params": {"compat": compat}, "tokenizer": dict(tokens.params)}
    return out

