"""The methods paragraph: generated from the ``.attrs`` of result tables, with full references.

Each analysis describes itself by ``attrs["analysis"]`` and its parameters;
:func:`methods_paragraph` names each statistic, gives its parameters and cites
its source, ready to be adapted for a paper's methods section. Built only from
what the results record about themselves, it cannot drift from what was computed.
"""
from __future__ import annotations

import numbers
from typing import Any, Callable, Iterable, Mapping

import pandas as pd

from .corpus import corpus_hash

__all__ = ["REFERENCES", "DESCRIBERS", "methods_paragraph"]

REFERENCES = {
    "dunning1993": "Dunning, T. (1993). Accurate methods for the statistics of surprise and coincidence. "
                   "Computational Linguistics, 19(1), 61-74.",
    "rayson2000": "Rayson, P., & Garside, R. (2000). Comparing corpora using frequency profiling. "
                  "In Proceedings of the Workshop on Comparing Corpora (ACL 2000), 1-6.",
    "hardie2014": "Hardie, A. (2014). Log Ratio: an informal introduction. ESRC Centre for "
                  "Corpus Approaches to Social Science (CASS), Lancaster University.",
    "gabrielatos2018": "Gabrielatos, C. (2018). Keyness analysis: nature, metrics and techniques. "
                       "In C. Taylor & A. Marchi (Eds.), Corpus Approaches to Discourse (pp. 225-258). Routledge.",
    "lijffijt2016": "Lijffijt, J., Nevalainen, T., Säily, T., Papapetrou, P., Puolamäki, K., & Mannila, H. (2016). "
                    "Significance testing of word frequencies in corpora. Digital Scholarship in the Humanities, "
                    "31(2), 374-397.",
    "brezina2015": "Brezina, V., McEnery, T., & Wattam, S. (2015). Collocations in context: a new "
                   "perspective on collocation networks. International Journal of Corpus Linguistics, "
                   "20(2), 139-173.",
    "church1990": "Church, K. W., & Hanks, P. (1990). Word association norms, mutual information, "
                  "and lexicography. Computational Linguistics, 16(1), 22-29.",
    "rychly2008": "Rychlý, P. (2008). A lexicographer-friendly association score. In Proceedings of Recent "
                  "Advances in Slavonic Natural Language Processing (RASLAN 2008), 6-9.",
    "sievert2014": "Sievert, C., & Shirley, K. (2014). LDAvis: a method for visualizing and interpreting topics. "
                   "In Proceedings of the Workshop on Interactive Language Learning, Visualization, and "
                   "Interfaces, 63-70.",
    "efron1993": "Efron, B., & Tibshirani, R. J. (1993). An Introduction to the Bootstrap. Chapman & Hall.",
    "davison1997": "Davison, A. C., & Hinkley, D. V. (1997). Bootstrap Methods and their Application. "
                   "Cambridge University Press.",
    "evert2008": "Evert, S. (2008). Corpora and collocations. In A. Lüdeling & M. Kytö (Eds.), "
                 "Corpus Linguistics: An International Handbook (Vol. 2, pp. 1212-1248). De Gruyter.",
    "gries2008": "Gries, S. Th. (2008). Dispersions and adjusted frequencies in corpora. "
                 "International Journal of Corpus Linguistics, 13(4), 403-437.",
    "juilland1970": "Juilland, A., Brodin, D., & Davidovitch, C. (1970). Frequency Dictionary of French Words. "
                    "Mouton.",
    "carroll1970": "Carroll, J. B. (1970). An alternative to Juilland's usage coefficient for lexical frequencies "
                   "and a proposal for a standard frequency index (SFI). ETS Research Bulletin, 1970(2), i-15.",
    "rosengren1971": "Rosengren, I. (1971). The quantitative concept of language and its relation to the "
                     "structure of frequency dictionaries. Études de linguistique appliquée, 1, 103-127.",
    "lijffijt2012": "Lijffijt, J., & Gries, S. Th. (2012). Correction to Stefan Th. Gries' \"Dispersions and "
                    "adjusted frequencies in corpora\". International Journal of Corpus Linguistics, 17(1), 147-149.",
    "savicky2002": "Savický, P., & Hlaváčová, J. (2002). Measures of word commonness. Journal of Quantitative "
                   "Linguistics, 9(3), 215-231.",
    "roberts2014": "Roberts, M. E., Stewart, B. M., Tingley, D., Lucas, C., Leder-Luis, J., Gadarian, S. K., "
                   "Albertson, B., & Rand, D. G. (2014). Structural topic models for open-ended survey responses. "
                   "American Journal of Political Science, 58(4), 1064-1082.",
    "roberts2019": "Roberts, M. E., Stewart, B. M., & Tingley, D. (2019). stm: An R package for structural topic "
                   "models. Journal of Statistical Software, 91(2), 1-40.",
    "tanner1996": "Tanner, M. A. (1996). Tools for Statistical Inference: Methods for the Exploration of Posterior "
                  "Distributions and Likelihood Functions (3rd ed.). Springer.",
    "greene2014": "Greene, D., O'Callaghan, D., & Cunningham, P. (2014). How many topics? Stability analysis for "
                  "topic models. In Machine Learning and Knowledge Discovery in Databases (ECML PKDD 2014), "
                  "LNCS 8724, 498-513. Springer.",
    "sinclair1991": "Sinclair, J. (1991). Corpus, Concordance, Collocation. Oxford University Press.",
    "blei2003": "Blei, D. M., Ng, A. Y., & Jordan, M. I. (2003). Latent Dirichlet allocation. "
                "Journal of Machine Learning Research, 3, 993-1022.",
    "hoffman2010": "Hoffman, M., Bach, F., & Blei, D. (2010). Online learning for latent Dirichlet "
                   "allocation. Advances in Neural Information Processing Systems 23, 856-864.",
    "roder2015": "Röder, M., Both, A., & Hinneburg, A. (2015). Exploring the space of topic coherence "
                 "measures. In Proceedings of WSDM 2015, 399-408.",
    "rehurek2010": "Řehůřek, R., & Sojka, P. (2010). Software framework for topic modelling with large "
                   "corpora. In Proceedings of the LREC 2010 Workshop on New Challenges for NLP Frameworks, 45-50.",
    "barbaresi2021": "Barbaresi, A. (2021). Trafilatura: a web scraping library and command-line tool for "
                     "text discovery and extraction. In Proceedings of ACL-IJCNLP 2021: System Demonstrations, 122-131.",
    "manning2008": "Manning, C. D., Raghavan, P., & Schütze, H. (2008). Introduction to Information "
                   "Retrieval. Cambridge University Press.",
}


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return str(value)


def _tokenizer_sentence(params: Mapping[str, Any]) -> str:
    if not params:
        return ""
    parts = ["lowercased" if params.get("lowercase", True) else "case kept"]
    if params.get("acronyms"):
        parts.append("dotted acronyms folded, F.B.I. = FBI" if params["acronyms"] == "fold"
                     else "dotted acronyms kept as written")
    if params.get("keep_case") and params.get("lowercase", True):
        parts.append(f"the all-caps acronyms {', '.join(params['keep_case'])} kept apart from the lower-case "
                     "function words (US ≠ us)")
    poss = params.get("possessives", "split")
    parts.append({"split": "possessive 's split off as a separate token",
                  "keep": "possessive 's kept attached", "drop": "possessive 's dropped"}.get(poss, str(poss)))
    parts.append("hyphenated words kept whole" if params.get("hyphens", "keep") == "keep"
                 else "hyphenated words split")
    parts.append(f"punctuation {'dropped' if params.get('punctuation', 'drop') == 'drop' else 'counted'}")
    parts.append(f"numbers {'dropped' if params.get('numbers') == 'drop' else 'counted'}")
    stop = params.get("stopwords")
    parts.append("stop words kept" if stop is None else f"stop words removed ({stop})")
    lem = params.get("lemmatize")
    parts.append(f"lemmatised with simplemma ({lem})" if lem else "word forms (not lemmas) counted")
    return "Texts were tokenized with a rule-based tokenizer (" + "; ".join(parts) + ")."


_HOUSE_STYLE = "house-style terms (honorifics, abbreviated titles, said/says, agency tags, page furniture)"
_STOP_NAMES = {"english": "English stop words (gensim)", "house_style": _HOUSE_STYLE,
               "english+house_style": f"English stop words (gensim) and {_HOUSE_STYLE}"}


def _set_aside(a: Mapping) -> str:
    """The clause for ``set_aside=``: which terms were left out of the listing (not of the counts)."""
    aside = a.get("set_aside") or {}
    which = _HOUSE_STYLE if aside.get("list") == "house_style" else "listed terms"
    rows = aside.get("rows", 0)
    return (f" {len(aside['terms'])} {which} were set aside from the listing ({rows} row{'s' * (rows != 1)}) but "
            "kept in the counts, so no statistic changed." if aside else "")


def _describe_frequencies(a: Mapping) -> tuple[str, list[str]]:
    by = a.get("by")
    grouped = f" by {by}" if by else ""
    return (f"Frequencies{grouped} are reported as raw counts, as normalised frequencies per million "
            "tokens, and with range (the share of documents containing a term).", [])


def _describe_keyness(a: Mapping) -> tuple[str, list[str]]:
    target, ref = a.get("target"), a.get("reference")
    target = "each group in turn" if target is None else _fmt(target)
    ref = {"rest": "the rest of the corpus", "pairwise": "each other group"}.get(str(ref), _fmt(ref))
    text = (f"Keywords of {target} against {ref} (groups defined by {a.get('by', 'outlet')}) were identified "
            "with the log-likelihood statistic G\u00b2 (Dunning 1993; Rayson & Garside 2000) as evidence of a "
            "difference and Log Ratio, the binary log of the ratio of relative frequencies, as effect size "
            "(Hardie 2014)")
    correction = a.get("correction")
    if correction and correction != "none":
        names = {"sidak": "Šidák", "bonferroni": "Bonferroni", "holm": "Holm", "bh": "Benjamini-Hochberg"}
        text += f"; p-values were adjusted for multiple comparisons ({names.get(correction, correction)})"
    if a.get("keep") == "all":
        text += (f"; all terms with a combined frequency of at least {a.get('min_freq', 1)} are reported "
                 f"(a descriptive ranking), with significance at \u03b1 = {_fmt(a.get('alpha', 0.05))} marked")
    else:
        text += f"; terms with adjusted p < {_fmt(a.get('alpha', 0.05))} were retained as keywords"
    text += f", ranked by {str(a.get('sort_by', 'log_ratio')).replace('_', ' ')}. "
    text += "Dispersion over documents is given by Gries's DP (Gries 2008)"
    keys = ["dunning1993", "rayson2000", "hardie2014", "gries2008"]
    if a.get("text_tests") and not a.get("notes"):
        text += (", and text-level tests on per-document relative frequencies (Lijffijt et al. 2016) "
                 "check that a difference is not carried by a few documents")
        keys.append("lijffijt2016")
    return text + "." + _set_aside(a), keys


_MEASURE_NAMES = {"log_dice": "logDice (Rychlý 2008)", "mi": "mutual information (Church & Hanks 1990)",
                  "mi3": "MI3", "t_score": "t-score", "z_score": "z-score", "log_likelihood": "log-likelihood"}


def _window(a: Mapping) -> str:
    left, right = a.get("left"), a.get("right")
    return f"L{left}-R{right}" if left is not None and right is not None else "a symmetric"


def _describe_collocates(a: Mapping) -> tuple[str, list[str]]:
    node = _fmt(a.get("node", a.get("nodes")))
    measure = str(a.get("measure", "log_dice"))
    cpn = f" (collocation parameters, Brezina et al. 2015: {a['cpn']})" if a.get("cpn") else ""
    window = f"an {_window(a)} window" + (", stopping at sentence boundaries" if a.get("sentence") else "")
    if a.get("analysis") == "collocate_comparison":
        text = (f"The collocates of {node} in {a.get('group_a')} and in {a.get('group_b')} were contrasted{cpn}: "
                f"in {window}, by the share of the node's window tokens each collocate takes, tested with the "
                "log-likelihood G\u00b2 (Dunning 1993) with Log Ratio as effect size (Hardie 2014), alongside "
                f"{_MEASURE_NAMES.get(measure, measure)} in each group.")
        keys = ["brezina2015", "dunning1993", "hardie2014"]
    else:
        per = f", separately for each {a['by']}," if a.get("by") else ""
        text = (f"Collocates of {node} were retrieved{per} in {window} and ranked by "
                f"{_MEASURE_NAMES.get(measure, measure)}{cpn}; MI (Church & Hanks 1990), t-score, "
                "log-likelihood and logDice are all reported (Evert 2008).")
        keys = ["church1990", "evert2008", "brezina2015"]
    if measure == "log_dice":
        keys.append("rychly2008")
    return text + _set_aside(a), keys


def _describe_kwic(a: Mapping) -> tuple[str, list[str]]:
    node = a.get("query", a.get("node"))
    text = f"Concordance lines (KWIC; Sinclair 1991) of {_fmt(node)} show context {_window(a)}"
    if a.get("sort"):
        text += f", sorted by {_fmt(a['sort'])}"
    if a.get("sample") is not None:
        text += f"; a random sample of {a['sample']} of {a.get('hits', 'the')} lines was drawn (seed {a.get('seed')})"
    return text + ".", ["sinclair1991"]


# dispersion measures (discourse.dispersion columns), in the order they are named
_DISPERSION_MEASURES = (
    ("range", "range (parts containing the term)", []),
    ("juilland_d", "Juilland's D (Juilland, Brodin & Davidovitch 1970; on relative frequencies, as Gries 2008 "
                   "adapts it to parts of unequal size)", ["juilland1970"]),
    ("carroll_d2", "Carroll's D2 (Carroll 1970)", ["carroll1970"]),
    ("rosengren_s", "Rosengren's S (Rosengren 1971)", ["rosengren1971"]),
    ("dp", "Gries's DP (Gries 2008)", ["gries2008"]),
    ("dp_norm", "DPnorm", ["gries2008"]),
    ("arf", "the average reduced frequency ARF over the token stream (Savický & Hlaváčová 2002)", ["savicky2002"]),
)


def _describe_dispersion(a: Mapping) -> tuple[str, list[str]]:
    """Which parts and which measures: from ``attrs`` and the table's columns (``_columns``)."""
    parts = a.get("parts", "documents")
    if isinstance(parts, numbers.Real) and not isinstance(parts, bool):
        where = (f"over consecutive chunks of {int(parts):,} tokens of the token stream (equal-sized parts; "
                 "the last chunk shorter)")
    elif parts in (None, "documents"):
        where = "over documents (parts of unequal size)"
    else:
        where = f"over the values of {parts} (each value one part)"
    by = a.get("by")
    where += f", separately for each {by}" if by else ""
    columns = a.get("_columns")
    present = [m for m in _DISPERSION_MEASURES if columns is None or m[0] in columns]
    names, keys = [], []
    for col, name, refs in present:
        if col == "juilland_d" and a.get("sd") == "sample":
            name += " with the sample standard deviation"
        if col == "dp_norm":
            name += (" (DP divided by 1 \u2212 1/n, exact for equal-sized parts; Gries 2008)"
                     if a.get("dp_norm") == "equal_parts" else
                     " (DP divided by its maximum 1 \u2212 min s\u1d62 for parts of unequal size; "
                     "Lijffijt & Gries 2012)")
            refs = refs + (["lijffijt2012"] if a.get("dp_norm") != "equal_parts" else [])
        names.append(name)
        keys += [k for k in refs if k not in keys]
    if not names:
        return f"Dispersion was measured {where}.", []
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    text = f"Dispersion was measured {where}, with {listed}"
    flipped = [label for col, label in (("dp", "DP"), ("dp_norm", "DPnorm")) if any(m[0] == col for m in present)]
    if a.get("direction") == "evenness" and flipped:
        text += (f"; {' and '.join(flipped)} {'is' if len(flipped) == 1 else 'are'} reported as 1 \u2212 the "
                 "value so that higher always means more even")
    return text + ".", keys


def _describe_topics(a: Mapping) -> tuple[str, list[str]]:
    k, seed, passes = a.get("n_topics", a.get("k")), a.get("seed"), a.get("passes")
    units = a.get("units")
    text = ("Topics were modelled with latent Dirichlet allocation (Blei et al. 2003) in gensim "
            "(Řehůřek & Sojka 2010; online variational Bayes, Hoffman et al. 2010)"
            + (f", K = {k}" if k is not None else "")
            + (f", on {units}s as modelling units" if isinstance(units, str) else
               f", on chunks of about {units} tokens" if units is not None else ""))
    vocab = []
    if a.get("min_df") is not None:
        vocab.append(f"terms in at least {a['min_df']} units")
    if a.get("max_df") is not None:
        vocab.append(f"in at most {_fmt(a['max_df'] * 100)}% of units")
    if a.get("stopwords"):
        vocab.append(f"{_STOP_NAMES.get(a['stopwords'], str(a['stopwords']) + ' stop words')} removed")
    if vocab:
        text += " (vocabulary: " + ", ".join(vocab) + ")"
    run = [f"{passes} passes" if passes is not None else "",
           f"{a['init']} initialisation" if a.get("init") else "",
           f"random seed {seed}" if seed is not None else ""]
    run = [r for r in run if r]
    return text + ("; " + ", ".join(run) if run else "") + ".", ["blei2003", "rehurek2010", "hoffman2010"]


def _describe_topic_terms(a: Mapping) -> tuple[str, list[str]]:
    return (f"Each topic is shown by its {a.get('n', 10)} most relevant terms, relevance = \u03bb log \u03c6 + "
            f"(1 \u2212 \u03bb) log lift with \u03bb = {_fmt(a.get('lambda', 0.6))} (Sievert & Shirley 2014).",
            ["sievert2014"])


def _describe_coherence(a: Mapping) -> tuple[str, list[str]]:
    return (f"Topic coherence ({a.get('coherence', 'c_npmi')}) was computed on each topic's top "
            f"{a.get('topn', 10)} terms with gensim's CoherenceModel (Röder et al. 2015).", ["roder2015"])


def _describe_prevalence(a: Mapping) -> tuple[str, list[str]]:
    ci = _fmt(a.get("ci", 0.95) * 100)
    boot = f"{a.get('n_boot', 2000)} bootstrap replicates over documents, seed {a.get('bootstrap_seed', a.get('seed'))}"
    if a.get("analysis") == "topic prevalence difference":
        return (f"Differences in mean topic share between {a.get('a')} and {a.get('b')} are given with {ci}% "
                f"percentile intervals and bootstrap p-values ({boot}; Davison & Hinkley 1997).", ["davison1997"])
    return (f"Topic prevalence by {a.get('by', 'group')} is the mean topic share of the group's documents, with "
            f"{ci}% percentile bootstrap intervals ({boot}; Efron & Tibshirani 1993).", ["efron1993"])


def _describe_effects(a: Mapping) -> tuple[str, list[str]]:
    """The topic-prevalence regression of :func:`discourse.topics.estimate_effect`."""
    cov = a.get("covariates") or ["the covariates"]
    cov = _fmt(cov if isinstance(cov, (list, tuple)) else [cov])
    ci = _fmt(float(a.get("ci", 0.95)) * 100)
    docs = f" of {a['n_docs']:,} documents" if a.get("n_docs") is not None else ""
    seed = f" (seed {a['simulation_seed']})" if a.get("simulation_seed") is not None else ""
    return (f"Topic prevalence was related to {cov} by regressing each topic's document shares{docs} on the "
            "covariates (categorical ones treatment-coded against a reference level) by ordinary least squares, "
            "propagating the uncertainty of the estimated topic shares by the method of composition (Tanner 1996): "
            f"{a.get('n_sims', 25)} simulations{seed} each draw the shares from the model's "
            "variational posterior, refit the regression and draw its coefficients, in the manner of stm's "
            "estimateEffect (Roberts et al. 2014; Roberts, Stewart & Tingley 2019); estimates and standard "
            f"errors are the draws' means and standard deviations, with {ci}% intervals from their quantiles.",
            ["roberts2014", "roberts2019", "tanner1996"])


def _describe_choose_k(a: Mapping) -> tuple[str, list[str]]:
    """The sweep over K of :func:`discourse.topics.choose_k`."""
    holdout = a.get("holdout")
    held = f" of the {_fmt(float(holdout) * 100)}% of units held out" if holdout is not None else ""
    return (f"The number of topics was explored over K = {_fmt(a.get('ks', []))} with seeds "
            f"{_fmt(a.get('seeds', []))}, scoring topic coherence ({a.get('coherence', 'c_npmi')}; Röder et al. "
            f"2015), perplexity{held} (Hoffman et al. 2010) and stability across seeds, the mean cosine "
            "similarity of Hungarian-matched topics (Greene, O'Callaghan & Cunningham 2014).",
            ["roder2015", "hoffman2010", "greene2014"])


def _describe_ngrams(a: Mapping) -> tuple[str, list[str]]:
    n = a.get("n", a.get("size"))
    within = ("within sentences" if a.get("sentence", True)
              else "within documents, across sentence boundaries")
    text = f"Contiguous n-grams{f' (n = {_fmt(n)})' if n is not None else ''} were counted {within}"
    if a.get("by"):
        text += f", separately for each {a['by']}"
    if a.get("containing") is not None:
        slot = a.get("position")
        text += (f", keeping the clusters containing {_fmt(a['containing'])}"
                 + (f" at position {int(slot) + 1}" if slot is not None else ""))
    if a.get("min_freq") is not None:
        text += f", occurring at least {a['min_freq']} times"
    keys: list[str] = []
    if a.get("keyness"):
        text += ("; each group's n-grams were compared with all other groups by log-likelihood G\u00b2 "
                 "(Dunning 1993) and Log Ratio (Hardie 2014), with the groups' n-gram totals as sizes")
        keys = ["dunning1993", "hardie2014"]
    return text + ".", keys


def _describe_audit(a: Mapping) -> tuple[str, list[str]]:
    spans, chars = a.get("spans"), a.get("characters_removed")
    if spans is None:
        return "", []
    return f"Cleaning removed {spans:,} spans ({chars:,} characters), each listed with its rule in the audit.", []


DESCRIBERS: dict[str, Callable[[Mapping], tuple[str, list[str]]]] = {
    "cleaning_audit": _describe_audit,
    "documents": lambda a: ("", []),  # the corpus sentence already gives the sizes
    "frequencies": _describe_frequencies,
    "keyness": _describe_keyness,
    "collocates": _describe_collocates,
    "collocate_comparison": _describe_collocates,
    "kwic": _describe_kwic,
    "concordance": _describe_kwic,
    "dispersion": _describe_dispersion,
    "topics": _describe_topics,
    "topic terms": _describe_topic_terms,
    "coherence": _describe_coherence,
    "topic prevalence": _describe_prevalence,
    "topic prevalence difference": _describe_prevalence,
    "topic prevalence regression": _describe_effects,
    "choose k": _describe_choose_k,
    "ngrams": _describe_ngrams,
}


def _analysis_name(attrs: Mapping) -> str | None:
    name = attrs.get("analysis") or attrs.get("method")
    if name is None:
        return None
    name = str(name).lower()
    if name in DESCRIBERS:
        return name
    for key in DESCRIBERS:  # "topic_model" -> topics, "collocates_by_outlet" -> collocates
        if name.startswith(key.rstrip("s")):
            return key
    return name


def methods_paragraph(results: Iterable[pd.DataFrame | Mapping] = (), *, tokens: Any = None,
                      corpus: Any = None) -> tuple[str, list[str]]:
    """A methods paragraph generated from result attributes, and its reference list.

    Parameters
    ----------
    results : iterable of DataFrame (or attrs dicts)
        Result tables; each describes itself by ``attrs["analysis"]`` and its
        parameters (a table's columns are passed along too, so that e.g. only
        the dispersion measures it reports are named). Unknown analyses are
        named with their parameters.
    tokens : Tokens, optional
        Adds the corpus size and the tokenizer settings.
    corpus : Corpus, optional
        Adds the cleaning settings (when ``tokens`` does not carry them).

    Returns
    -------
    (paragraph, references) : str and list of str
        The references are full citations of every source named in the paragraph.
    """
    sentences: list[str] = []
    keys: list[str] = []
    data = tokens if tokens is not None else corpus
    if data is not None and hasattr(data, "metadata"):
        size = f"{len(data.metadata):,} documents"
        if hasattr(data, "n_tokens"):
            size += f", {data.n_tokens:,} tokens counted and {len(data.vocab):,} distinct terms"
        fingerprint = corpus_hash(corpus if corpus is not None else data)
        sentences.append(f"The corpus comprises {size} (SHA-256 fingerprint {fingerprint[:12]}).")
    params = dict(getattr(tokens, "params", {}) or {})
    cleaning = params.pop("cleaning", None) or (getattr(corpus, "params", {}) or {}).get("cleaning")
    if cleaning:
        rec = (f"recurring lines shared by at least {cleaning.get('min_docs')} documents of one "
               f"{cleaning.get('group')} also removed" if cleaning.get("recurring") else "no recurring-line removal")
        sentences.append("Site chrome was removed with transparent rule-based cleaning profiles "
                         f"({cleaning.get('profiles')}; {rec}); every removed span is listed in the cleaning audit.")
    if params:
        sentences.append(_tokenizer_sentence(params))
    seen: set[str] = set()
    for res in results:
        attrs = dict(res.attrs) if isinstance(res, pd.DataFrame) else dict(res)
        if isinstance(res, pd.DataFrame):
            attrs["_columns"] = list(map(str, res.columns))  # what the table reports (e.g. which measures)
        name = _analysis_name(attrs)
        if name is None:
            continue
        text, refs = (DESCRIBERS[name](attrs) if name in DESCRIBERS else (
            f"The {name.replace('_', ' ')} analysis used "
            + ", ".join(f"{k} = {_fmt(v)}" for k, v in attrs.items()
                        if k != "analysis" and not k.startswith("_")
                        and isinstance(v, (str, int, float, bool, list, tuple))) + ".", []))
        if not text or text in seen:
            continue
        seen.add(text)
        sentences.append(text)
        keys += [k for k in refs if k not in keys]
    return " ".join(s for s in sentences if s), [REFERENCES[k] for k in keys]
