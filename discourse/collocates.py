"""Collocates of a node (word, phrase, regex or term group), per group, and across outlets.

Window-based ("surface") co-occurrence (Evert 2008, sect. 3.2) computed on the
shared token stream: node hits come from :mod:`discourse.query`, windows and
co-occurrence counts from :mod:`discourse.cooccurrence` (offset arrays masked at
document, and optionally sentence, boundaries; collocate frequencies are the
shared document-term matrix summed by group). Nothing is re-tokenised. The counts
are made partition by partition (:mod:`discourse.partitions`: an on-disk store, a
cluster; an in-memory :class:`~discourse.tokens.Tokens` is one partition) and added,
so every result equals the in-memory one.

Contingency table (Evert 2008), per group, for node ``n`` and collocate ``c``::

                 c        not c
    window     O11        O12       | R1  (window tokens; or node frequency, see ``expected``)
    elsewhere  O21        O22       | R2 = N - R1
               C1 = f(c)  C2        | N   (tokens in the group)

    E11 = R1 * C1 / N

Example: how two outlets frame Russia
-------------------------------------
>>> import discourse as dc
>>> from discourse.collocates import collocates, compare_collocates
>>> tokens = dc.load_sample()
>>> russia = ["Russia", "Russian", "Moscow", "Kremlin", "Putin"]
>>> table = collocates(tokens, russia, by="outlet", min_freq=1, min_coll_freq=1)
>>> table.attrs["cpn"]
'logDice(none), L5-R5, C1-NC1; English stop words removed'
>>> diff = compare_collocates(tokens, russia, groups=("TFI Post", "RT"), left=2, right=2, min_coll_freq=1)
>>> diff.set_index("collocate").loc[["aggression", "concerns"], "side"].tolist()
['TFI Post', 'RT']

Span: L5-R5 is the usual default for lexical collocation; attributive framing lives
inside the noun phrase, which the span L2-R2 covers: a premodifier ("Russian aggression",
head noun at R1), a possessor ("Russia 's concerns", head at R2 because the clitic 's is
a token) and a postmodifier ("concerns of Russia", head at L2). It leaves out the
clause-level neighbours a wider span brings in (Evert 2008, sect. 3.2 on span size). In
the two-article sample each of these collocates co-occurs once: G2 is not significant and
the conservative Log Ratio is 0, so the contrast there is a description, not evidence.
Read the lines behind any collocate with ``kwic(tokens, node, near=collocate)``.

References
----------
Brezina, V., McEnery, T. & Wattam, S. (2015). Collocations in context: A new perspective on
    collocation networks. International Journal of Corpus Linguistics 20(2), 139-173.
Church, K. W. & Hanks, P. (1990). Word association norms, mutual information, and lexicography.
    Computational Linguistics 16(1), 22-29.
Dunning, T. (1993). Accurate methods for the statistics of surprise and coincidence.
    Computational Linguistics 19(1), 61-74.
Ellis, N. C. (2007). Language acquisition as rational contingency learning. Applied Linguistics 27(1).
Evert, S. (2008). Corpora and collocations. In Lüdeling & Kytö (eds.), Corpus Linguistics:
    An International Handbook, vol. 2, 1212-1248. Berlin: de Gruyter.
Gries, S. Th. (2013). 50-something years of work on collocations. IJCL 18(1), 137-165.
Hardie, A. (2014). Log Ratio: an informal introduction. CASS blog, Lancaster University.
Rychlý, P. (2008). A lexicographer-friendly association score. Proc. RASLAN 2008, 6-9.
"""
from __future__ import annotations

from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd
from scipy.stats import chi2

from .compat import with_compat
from .cooccurrence import window_counts
from .display import AnnotatedFrame
from .grouping import doc_codes, group_labels, two_group_codes
from .partitions import Partitioned, term_totals
from .query import Query
from .stats.association import collocation_measures, keyness_measures
from .stats.multiple import METHODS as CORRECTIONS, after_correction, significance
from .stopwords import set_aside_rows, set_aside_terms, stopword_label, stopword_set
from .tokens import Tokens
from .validation import (absent_query, check_choice, check_count, check_fraction, check_group, check_min_freq,
                         check_span, check_threshold, check_tokens, check_two_groups, warn_empty)

MEASURES = {  # column -> name in the collocation parameters notation (Brezina et al. 2015)
    "freq": "Freq", "mi": "MI", "mi3": "MI3", "t_score": "T-score", "z_score": "Z-score",
    "z_score_yates": "Z-score (Yates)", "z_berry_rogghe": "Z-score (Berry-Rogghe)", "log_likelihood": "LL",
    "log_dice": "logDice", "min_sensitivity": "MS", "mi_log_f": "MI.log-f",
    "delta_p_coll_given_node": "ΔP(collocate|node)", "delta_p_node_given_coll": "ΔP(node|collocate)",
}

COUNTS = ("tokens", "pairs", "pairs_scaled")

__all__ = ["MEASURES", "COUNTS", "collocates", "compare_collocates", "collocation_parameters"]


def _check_options(measure: str, expected: str, count: str) -> None:
    check_choice("measure", measure, MEASURES)
    check_choice("expected", expected, ("window", "node"))
    check_choice("count", count, COUNTS)


def collocation_parameters(measure: str, threshold: float | None, left: int, right: int,
                           min_freq: int, min_coll_freq: int, filter: str = "no filter") -> str:
    """Collocation parameters notation (CPN; Brezina et al. 2015), e.g. ``logDice(5), L5-R5, C5-NC3; no filter``.

    Statistic (threshold), span, minimum collocate frequency C and minimum
    collocation frequency NC, then filters. The numeric statistic ids of the
    paper's table are not used; the statistic is named.
    """
    cut = "none" if threshold is None else f"{threshold:g}"
    return f"{MEASURES[measure]}({cut}), L{left}-R{right}, C{min_freq}-NC{min_coll_freq}; {filter}"


# --------------------------------------------------------------------------- public API
@with_compat("collocates")
def collocates(
    tokens: Tokens | Partitioned,
    node: Query,
    *,
    left: int = 5,
    right: int = 5,
    sentence: bool = False,
    by: str | None = None,
    measure: str = "log_dice",
    threshold: float | None = None,
    min_freq: int = 5,
    min_coll_freq: int = 3,
    expected: str = "window",
    count: str = "tokens",
    exclude_node: bool = True,
    regex: bool = False,
    stopwords: str | Iterable[str] | None = "english",
    top: int | None = None,
    alpha: float = 0.05,
    correction: str = "sidak",
    set_aside: str | Iterable[str] | None = None,
    _compat: dict | None = None,
) -> pd.DataFrame:
    """Collocates of a node in a window, with association measures, per group.

    Parameters
    ----------
    tokens : Tokens or a partitioned corpus (a store, :class:`~discourse.partitions.SplitTokens`)
    node : str, compiled regex or list of them
        Word, phrase, wildcard, regex or term group (see :mod:`discourse.query`),
        e.g. ``["Russia", "Russian", "Moscow", "Kremlin", "Putin"]``.
    left, right : int
        Window span to the left and right of the node (default 5 and 5, the
        usual L5-R5; a phrase node's window starts at its first and last token).
    sentence : bool
        Stop windows at sentence boundaries (they always stop at document boundaries).
    by : str, optional
        Metadata column: collocates computed separately per group (e.g. ``"outlet"``);
        every statistic then uses the group's own N, node and collocate frequencies.
    measure : str
        Statistic to rank and threshold by (default ``"log_dice"``, Sketch Engine's default);
        one of :data:`MEASURES`. All measures are always reported.
    threshold : float, optional
        Keep collocates whose ``measure`` is at least this.
    min_freq : int
        Minimum frequency of the collocate in the (group's) corpus, C (default 5).
    min_coll_freq : int
        Minimum co-occurrence frequency with the node, NC (default 3; the
        Sketch Engine defaults are C5 and NC3).
    expected : {"window", "node"}
        Row total R1 of the contingency table. ``"window"`` (default; Evert 2008's
        surface co-occurrence): the number of tokens in the node's windows, so
        ``E11 = R1 * C1 / N`` grows with the span. ``"node"``: the node frequency,
        ``E11 = f(node) * f(coll) / N`` as in Sketch Engine and #LancsBox, which
        does not correct for the span (MI is then higher by about log2 of the span;
        table cells that would be negative, O11 > f(node), are set to 0).
        With ``"node"`` the measures are Sketch Engine's, on f_A, f_B, f_AB and N without
        the span ("Statistics used in Sketch Engine", 2015; Rychlý 2008), and WordSmith's MI and T.
    count : {"tokens", "pairs", "pairs_scaled"}
        ``"tokens"`` (default): a token in overlapping windows of two hits is
        counted once (Evert 2008); ``"pairs"``: once per hit (WordSmith's collocate counts);
        ``"pairs_scaled"``: once per hit, and every measure takes ``O11 = pairs / (left + right)``
        (``freq`` stays the pair count): NLTK 3.x's ``BigramCollocationFinder.from_words(words,
        window_size=w)`` (``nltk/collocations.py``, ``score_ngram`` divides by ``window_size - 1``;
        Church & Hanks 1990), reproduced with ``left=0, right=w-1, expected="node",
        exclude_node=False`` on one document (NLTK's windows run across documents).
    compat : {"quanteda", "wordsmith", "cqpweb", "sketchengine", "wordless"}, optional
        Set every option above that the caller did not pass to the values of one tool
        (:data:`discourse.compat.PRESETS`, tabulated in ``docs/conventions.md``); recorded in
        ``attrs["params"]["compat"]``.
    exclude_node : bool
        Do not count the node's own tokens as collocates (default True; with a
        term group, "Moscow" next to "Russia" is not a collocate of the group).
    regex : bool
        Treat a string node as regular expressions (one per whitespace-separated slot).
    stopwords : "english", None or iterable of str
        Leave these out of the collocate list (the "filter" of the CPN). Default
        ``"english"`` (:func:`discourse.stopwords.english_stopwords`): function
        words otherwise fill the top of every list and network (Brezina et al.
        2015 filter them the same way). They still count as window tokens and as
        tests of the correction, so no statistic changes; ``None`` lists them.
    top : int, optional
        Keep the ``top`` collocates per group.
    alpha, correction : float, {"sidak", "bonferroni", "holm", "bh", "none"}
        ``significant`` = the G2 p-value adjusted for the group's candidates
        (those passing C and NC, stop words included; default Šidák, as
        :func:`discourse.keyness.keyness`) is below ``alpha``.
    set_aside : None, "house_style" or iterable of str
        Collocates left out of the listing (before ranking) but not out of the counts, so no
        statistic changes (default None); ``"house_style"``: :func:`discourse.stopwords.house_style_terms`
        (``mr``, ``said``, agency tags...). Recorded in ``attrs["set_aside"]``.

    Returns
    -------
    DataFrame
        One row per (group, collocate): ``group``, ``collocate``, ``freq`` (O11),
        ``freq_left``, ``freq_right``, ``mean_distance`` (signed: -1 = L1, +2 = R2; with
        overlapping windows, to the nearest node), ``doc_freq`` (documents where they co-occur:
        a collocation from one article only is weak evidence), ``coll_freq`` (C1), ``node_freq``,
        ``window_tokens`` (tokens in the windows), ``expected`` (E11), ``mi``
        ``= log2(O11/E11)``, ``mi3 = log2(O11^3/E11)``, ``t_score = (O11-E11)/sqrt(O11)``,
        ``z_score = (O11-E11)/sqrt(E11)``, ``z_score_yates`` (CQPweb's), ``z_berry_rogghe``
        (WordSmith's z), ``log_likelihood`` (G2 = 2 sum O ln(O/E) over the 2x2 table, negative
        for O11 < E11), ``log_dice = 14 + log2(2 O11 / (f(node) + C1))``, ``min_sensitivity``,
        ``mi_log_f`` (Sketch Engine's; all in :func:`discourse.stats.association.collocation_measures`),
        ``delta_p_coll_given_node = O11/R1 - O21/R2``,
        ``delta_p_node_given_coll = O11/C1 - O12/C2``, ``p_value`` (G2 on one df),
        ``p_adjusted``, ``significant``, ``rank`` (by ``measure`` within group).
        ``attrs`` holds every parameter, the tests per group (``n_tests``) and,
        under ``cpn`` and ``note``, the collocation parameters notation (Brezina et al. 2015).
    """
    check_span(left, right)
    _check_options(measure, expected, count)
    check_count("min_freq", min_freq)
    check_count("min_coll_freq", min_coll_freq)
    check_count("top", top, optional=True)
    check_fraction("alpha", alpha)
    check_choice("correction", correction, CORRECTIONS)
    aside = set_aside_terms(set_aside)
    check_tokens("collocates", tokens, by, group_labels(tokens.metadata, by))
    check_min_freq("collocates", "min_freq", min_freq, term_totals(tokens), "collocate")
    labels, codes = doc_codes(tokens, by)
    k = window_counts(tokens, node, regex, codes, len(labels), left, right, sentence, exclude_node,
                      _window_count(count))
    if not k["hits"]:  # a listing of nothing: empty, with the cause (compare_collocates, a comparison, refuses)
        warn_empty(absent_query("collocates", "node", k["query"], tokens.n_tokens))
    out = _table(tokens, k, labels, expected, count, left + right)
    out = out[(out["coll_freq"] >= min_freq) & (out["freq"] >= min_coll_freq)].copy()
    out["p_value"] = chi2.sf(np.abs(out["log_likelihood"].to_numpy()), 1)  # G2 ~ chi2(1) (Dunning 1993)
    out["p_adjusted"], out["significant"] = significance(out["p_value"].to_numpy(), correction, alpha,
                                                         out["group"].to_numpy(dtype=str))
    n_tests = out["group"].astype(str).value_counts().to_dict()
    out, filt = _filter(out, stopwords, sentence)
    out, aside = set_aside_rows(out, "collocate", aside)
    if threshold is not None:
        check_threshold("collocates", threshold, measure, out[measure])
        out = out[out[measure] >= threshold]
    out = out.sort_values(["group", measure, "freq", "collocate"], ascending=[True, False, False, True],
                          kind="stable")
    out["rank"] = out.groupby("group", sort=False).cumcount() + 1
    if top is not None:
        out = out[out["rank"] <= top]
    out = AnnotatedFrame(out.reset_index(drop=True))
    cpn = collocation_parameters(measure, threshold, left, right, min_freq, min_coll_freq, filt)
    out.attrs = {
        "analysis": "collocates", "node": k["query"], "node_terms": k["terms"], "cpn": cpn,
        "note": f"Collocates of {k['query']}: {cpn}", "measure": measure, "threshold": threshold,
        "left": left, "right": right, "sentence": sentence, "by": by, "min_freq": min_freq,
        "min_coll_freq": min_coll_freq, "expected": expected, "count": count, "exclude_node": exclude_node,
        "stopwords": stopword_label(stopwords), "alpha": alpha, "correction": correction, "n_tests": n_tests,
        "set_aside": aside, "params": {"compat": _compat},
        "group_tokens": dict(zip(map(str, labels), k["n"].astype(int).tolist())),
        "node_freq": dict(zip(map(str, labels), k["node"].astype(int).tolist())),
        "window_tokens": dict(zip(map(str, labels), k["window"].astype(int).tolist())),
        "tokenizer": dict(tokens.params),
    }
    return out


def _window_count(count: str) -> str:
    return "pairs" if count == "pairs_scaled" else count


def _table(tokens: Tokens, k: dict, labels: list, expected: str, count: str, span: int) -> pd.DataFrame:
    r, c = k["row"], k["col"]
    node = k["node"][r]
    r1 = k["window"][r] if expected == "window" else node
    o = k["o"] / span if count == "pairs_scaled" else k["o"].astype(float)  # NLTK: pairs / (window - 1)
    stats = collocation_measures(o, r1, k["c1"].astype(float), k["n"][r], node, span)
    out = pd.DataFrame({
        "group": np.asarray(labels, dtype=object)[r], "collocate": tokens.vocab.to_numpy()[c],
        "freq": k["o"], "freq_left": k["left"], "freq_right": k["right"],
        "mean_distance": k["distance"], "doc_freq": k["docs"],
        "coll_freq": k["c1"].astype(np.int64),
        "node_freq": node.astype(np.int64), "window_tokens": k["window"][r].astype(np.int64), **stats,
    })
    return out


def compare_collocates(
    tokens: Tokens | Partitioned, node: Query, *, by: str = "outlet", groups: Sequence[Any] | None = None, target: Any = None,
    left: int = 5, right: int = 5, sentence: bool = False, measure: str = "log_dice", min_freq: int = 1,
    min_coll_freq: int = 2, expected: str = "window", count: str = "tokens", exclude_node: bool = True,
    regex: bool = False, stopwords: str | Iterable[str] | None = "english", alpha: float = 0.05,
    correction: str = "sidak", set_aside: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """How a node's collocates differ between two groups (a word sketch difference across outlets).

    Compares group A with group B: ``groups=(A, B)`` for two outlets, or
    ``target=A`` for A against all other documents ("rest"). With exactly two
    groups in ``by`` and neither argument, those two are compared.

    For each collocate, its co-occurrence frequency with the node and its
    association (``measure``) in each group, and a test of whether its share of
    the node's window tokens differs: the 2x2 table ``[[O_A, W_A - O_A], [O_B,
    W_B - O_B]]`` (``W`` = window tokens of the group) gives the signed
    log-likelihood G2 (Dunning 1993; positive = larger share in A) with its
    chi-square(1) p-value, and the effect size Log Ratio (Hardie 2014)
    ``log2((O_A / W_A) / (O_B / W_B))``, a zero count replaced by 0.5, with its
    conservative form (the bound of its ``1 - alpha`` confidence interval nearest 0,
    0 when the interval includes 0), computed by :func:`discourse.stats.association.keyness_measures`.
    With a zero count and windows of very different sizes the smoothed Log Ratio can
    point the other way than the shares: ``side`` and the sign of G2 follow the
    observed shares; read the frequencies.

    Parameters
    ----------
    min_freq, min_coll_freq : int
        Minimum collocate frequency (C) and co-occurrence frequency (NC) in A and B
        together (defaults 1 and 2: a contrast needs at least two co-occurrences).
    alpha : float
        Significance level for the ``significant`` column (adjusted p < alpha).
    correction : {"sidak", "bonferroni", "holm", "bh", "none"}
        Adjustment of the G2 p-values for multiple comparisons over the compared
        collocates (those passing C and NC, stop words included), as in
        :func:`discourse.keyness.keyness` (default Šidák).
    Other parameters as in :func:`collocates` (``stopwords="english"`` by default:
    function words are left out of the listing, not of the windows or the tests).

    Returns
    -------
    DataFrame
        One row per collocate: ``collocate``, ``freq_a``, ``freq_b``, ``doc_freq_a``,
        ``doc_freq_b`` (documents where it co-occurs with the node), ``coll_freq_a``,
        ``coll_freq_b``, ``share_a``, ``share_b`` (per 1,000 window tokens),
        ``<measure>_a``, ``<measure>_b`` (NaN where absent), ``difference``
        (``<measure>_a - <measure>_b``; absent side counts as the other side's
        minimum), ``log_ratio``, ``log_ratio_conservative``, ``log_likelihood``
        (signed G2), ``p_value``, ``p_adjusted``,
        ``significant``, ``side`` (label of the group with the larger share) and
        ``distribution`` (``"<A> only"``, ``"<B> only"`` or ``"shared"``). Sorted from
        the most A-typical to the most B-typical (signed G2). Group labels,
        sizes and every parameter are in ``attrs``.
    """
    check_span(left, right)
    _check_options(measure, expected, count)
    check_count("min_freq", min_freq)
    check_count("min_coll_freq", min_coll_freq)
    check_fraction("alpha", alpha)
    check_choice("correction", correction, CORRECTIONS)
    aside = set_aside_terms(set_aside)
    check_tokens("compare_collocates", tokens, by, group_labels(tokens.metadata, by))
    names = doc_codes(tokens, by)[0]
    check_two_groups("compare_collocates", names, by)
    for role, g in [("target", target)] if target is not None else zip(("first", "second"), groups or ()):
        check_group("compare_collocates", g, names, by, role)
    label_a, label_b, codes = two_group_codes(tokens, by, groups, target)
    k = window_counts(tokens, node, regex, codes, 2, left, right, sentence, exclude_node, _window_count(count))
    if not k["hits"]:
        raise ValueError(absent_query("compare_collocates", "node", k["query"], tokens.n_tokens))
    per = _table(tokens, k, [label_a, label_b], expected, count, left + right)
    wide = per.pivot(index="collocate", columns="group")
    a, b = (lambda col: wide[(col, label_a)] if (col, label_a) in wide.columns else pd.Series(np.nan, wide.index),
            lambda col: wide[(col, label_b)] if (col, label_b) in wide.columns else pd.Series(np.nan, wide.index))
    fa, fb = a("freq").fillna(0).to_numpy(float), b("freq").fillna(0).to_numpy(float)
    coll_ids = tokens.vocab.get_indexer(wide.index)
    ca = np.asarray(k["c"][0, coll_ids].todense()).ravel() if len(coll_ids) else np.zeros(0)
    cb = np.asarray(k["c"][1, coll_ids].todense()).ravel() if len(coll_ids) else np.zeros(0)
    wa, wb = k["window"]
    ma, mb = a(measure).to_numpy(float), b(measure).to_numpy(float)
    fill = np.nanmin(np.r_[ma, mb]) if len(ma) and np.isfinite(np.r_[ma, mb]).any() else 0.0
    for label, w in ((label_a, wa), (label_b, wb)):
        if w == 0:
            raise ValueError(f"compare_collocates: node {k['query']!r} has no window tokens in group {label!r} "
                             f"({int(k['node'][int(label != label_a)])} occurrences there): nothing to compare")
    # the keyness machinery on window shares: 4-cell G2 (Dunning 1993), Log Ratio with its CI
    key = keyness_measures(fa, fb, wa, wb, ll_cells="dunning", confidence=1 - alpha)
    out = pd.DataFrame({
        "collocate": wide.index.to_numpy(), "freq_a": fa.astype(np.int64), "freq_b": fb.astype(np.int64),
        "doc_freq_a": a("doc_freq").fillna(0).to_numpy(np.int64),
        "doc_freq_b": b("doc_freq").fillna(0).to_numpy(np.int64),
        "coll_freq_a": ca.astype(np.int64), "coll_freq_b": cb.astype(np.int64),
        "share_a": fa / max(wa, 1) * 1000, "share_b": fb / max(wb, 1) * 1000,
        f"{measure}_a": ma, f"{measure}_b": mb,
        "difference": np.where(np.isnan(ma), fill, ma) - np.where(np.isnan(mb), fill, mb),
        "log_ratio": key["log_ratio"], "log_ratio_conservative": key["log_ratio_conservative"],
        "log_likelihood": key["log_likelihood"], "p_value": key["p_value"],
        "side": np.where(fa / max(wa, 1) >= fb / max(wb, 1), str(label_a), str(label_b)),
        "distribution": np.where(fb == 0, f"{label_a} only", np.where(fa == 0, f"{label_b} only", "shared")),
    })
    out = out[((out["coll_freq_a"] + out["coll_freq_b"]) >= min_freq)
              & ((out["freq_a"] + out["freq_b"]) >= min_coll_freq)].copy()
    p_adjusted, significant = significance(out["p_value"].to_numpy(), correction, alpha)
    out.insert(out.columns.get_loc("p_value") + 1, "p_adjusted", p_adjusted)
    out.insert(out.columns.get_loc("p_adjusted") + 1, "significant", significant)
    n_tests = len(out)
    out, filt = _filter(out, stopwords, sentence)
    out, aside = set_aside_rows(out, "collocate", aside)
    out = out.sort_values(["log_likelihood", "freq_a", "collocate"], ascending=[False, False, True], kind="stable")
    out = AnnotatedFrame(out.reset_index(drop=True))
    cpn = collocation_parameters(measure, None, left, right, min_freq, min_coll_freq, filt)
    out.attrs = {
        "analysis": "collocate_comparison", "node": k["query"], "node_terms": k["terms"], "cpn": cpn,
        "note": f"Collocates of {k['query']}, {label_a} (a) vs {label_b} (b): {cpn}; "
                f"test: log-likelihood G2 on window shares ({n_tests:,} tests, {after_correction(correction)}), "
                f"effect: Log Ratio",
        "group_a": str(label_a), "group_b": str(label_b), "by": by, "measure": measure,
        "left": left, "right": right, "sentence": sentence, "min_freq": min_freq,
        "min_coll_freq": min_coll_freq, "expected": expected, "count": count,
        "exclude_node": exclude_node, "stopwords": stopword_label(stopwords), "alpha": alpha,
        "correction": correction, "n_tests": n_tests, "set_aside": aside,
        "group_tokens": {str(label_a): int(k["n"][0]), str(label_b): int(k["n"][1])},
        "node_freq": {str(label_a): int(k["node"][0]), str(label_b): int(k["node"][1])},
        "window_tokens": {str(label_a): int(wa), str(label_b): int(wb)},
        "tokenizer": dict(tokens.params),
    }
    return out


def _filter(out: pd.DataFrame, stopwords, sentence: bool) -> tuple[pd.DataFrame, str]:
    """Drop stop-word collocates from the listing; the CPN filter text."""
    notes = ["sentence-bounded"] if sentence else []
    stop = stopword_set(stopwords)
    if stopwords is not None:
        notes.append("English stop words removed" if isinstance(stopwords, str) else f"{len(stop)} stop words removed")
        out = out[~out["collocate"].isin(stop)]
    return out, "; ".join(notes) or "no filter"
