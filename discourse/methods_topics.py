"""Methods sentences of the topic-model results (:mod:`discourse.topics`), for :mod:`discourse.methods`.

Each describer reads a result's ``.attrs`` (or a model's ``params``) and says
what was computed with the numbers recorded there: the units and vocabulary
actually used, and, where an interval or p-value could not be estimated (one
document per group, no residual degree of freedom), that it could not.
"""
from __future__ import annotations

from typing import Any, Mapping

from .wording import STOP_LIST_NAMES, correction_clause, fmt

__all__ = ["TOPIC_DESCRIBERS"]


def _describe_topics(a: Mapping) -> tuple[str, list[str]]:
    k, seed, passes = a.get("n_topics", a.get("k")), a.get("seed"), a.get("passes")
    units, n_units = a.get("units"), a.get("n_units")
    keys = ["blei2003", "rehurek2010", "hoffman2010"]
    count = f"{n_units:,} " if n_units is not None else ""
    text = ("Topics were modelled with latent Dirichlet allocation (Blei et al. 2003) in gensim "
            "(Řehůřek & Sojka 2010; online variational Bayes, Hoffman et al. 2010)"
            + (f", K = {k}" if k is not None else "")
            + (f", on {count}{units}s as modelling units" if isinstance(units, str) else
               f", on {count}chunks of about {units} tokens" if units is not None else ""))
    if a.get("n_documents") is not None and str(a.get("units_rule", "")).startswith("paragraphs"):
        text += (f" (the {a['n_documents']:,} documents being too few for K = {k}, fewer than five per topic; "
                 "topic shares are aggregated back to documents)")
    vocab = []
    if a.get("min_df") is not None:
        vocab.append(f"terms in at least {a['min_df']:,} units")
    if a.get("max_df") is not None:
        vocab.append(f"in at most {fmt(a['max_df'] * 100)}% of units")
    adapted = [{"min_df": "minimum", "max_df": "maximum"}[x] for x in a.get("adapted") or []]
    if adapted and vocab:
        vocab[-1] += (f" (the {' and '.join(adapted)} set from the number of units: no filter below 10 units, "
                      "else at least two units as in stm, 0.5% of the units above 400, at most gensim's five, "
                      "and at most half of the units as gensim; Roberts, Stewart & Tingley 2019; Maier et al. 2018)")
        keys += ["roberts2019", "maier2018"]
    if a.get("n_terms") is not None:
        vocab.append(f"{a['n_terms']:,} terms kept")
    if a.get("stopwords"):
        stop = str(a["stopwords"])
        vocab.append(f"{STOP_LIST_NAMES.get(stop, stop + ' stop words')} removed")
    if vocab:
        text += " (vocabulary: " + ", ".join(vocab) + ")"
    run = [f"{passes} passes" if passes is not None else "",
           f"{a['init']} initialisation" if a.get("init") else "",
           f"random seed {seed}" if seed is not None else ""]
    run = [r for r in run if r]
    return text + ("; " + ", ".join(run) if run else "") + ".", keys


def _describe_topic_terms(a: Mapping) -> tuple[str, list[str]]:
    return (f"Each topic is shown by its {a.get('n', 10)} most relevant terms, relevance = \u03bb log \u03c6 + "
            f"(1 \u2212 \u03bb) log lift with \u03bb = {fmt(a.get('lambda', 0.6))} (Sievert & Shirley 2014).",
            ["sievert2014"])


def _describe_coherence(a: Mapping) -> tuple[str, list[str]]:
    return (f"Topic coherence ({a.get('coherence', 'c_npmi')}) was computed on each topic's top "
            f"{a.get('topn', 10)} terms with gensim's CoherenceModel (Röder et al. 2015).", ["roder2015"])


def _no_inference(groups: Any) -> str:
    """"RT has one document", "RT and TFI Post have one document each"."""
    groups = list(groups or [])
    return " and ".join(groups) + (" has one document" if len(groups) == 1 else " have one document each")


def _describe_prevalence(a: Mapping) -> tuple[str, list[str]]:
    ci = fmt(a.get("ci", 0.95) * 100)
    seed = a.get("bootstrap_seed", a.get("seed"))
    boot = f"{a.get('n_boot', 2000):,} bootstrap replicates over documents, seed {seed}"
    if a.get("analysis") == "topic prevalence difference":
        single = [g for g, n in (a.get("n_docs") or {}).items() if n < 2]
        head = f"Differences in mean topic share between {a.get('a')} and {a.get('b')}"
        if single:
            return (f"{head} are reported as differences of the documents' shares only: {_no_inference(single)}, "
                    f"so no interval or p-value could be estimated (a bootstrap over one document "
                    "has no spread).", [])
        keys = ["davison1997"]
        text = (f"{head} are given with {ci}% percentile intervals and bootstrap p-values ({boot}; Davison & "
                "Hinkley 1997)") + correction_clause(a, keys, " over the topics")
        return text + f", a difference counting as significant at adjusted p < {fmt(a.get('alpha', 0.05))}.", keys
    text = f"Topic prevalence by {a.get('by', 'group')} is the mean topic share of the group's documents"
    single, n_docs = list(a.get("no_interval") or []), a.get("n_docs") or {}
    if n_docs and len(single) == len(n_docs):
        return (text + f"; every group has one document, so no interval could be estimated (a bootstrap over one "
                "document has no spread).", [])
    text += f", with {ci}% percentile bootstrap intervals ({boot}; Efron & Tibshirani 1993)"
    if single:
        text += f"; {_no_inference(single)} and no interval"
    return text + ".", ["efron1993"]


def _describe_effects(a: Mapping) -> tuple[str, list[str]]:
    """The topic-prevalence regression of :func:`discourse.topics.estimate_effect`."""
    cov = a.get("covariates") or ["the covariates"]
    cov = fmt(cov if isinstance(cov, (list, tuple)) else [cov])
    ci = fmt(float(a.get("ci", 0.95)) * 100)
    docs = f" of {a['n_docs']:,} documents" if a.get("n_docs") is not None else ""
    seed = f" (seed {a['simulation_seed']})" if a.get("simulation_seed") is not None else ""
    keys = ["roberts2014", "roberts2019", "tanner1996"]
    text = (f"Topic prevalence was related to {cov} by regressing each topic's document shares{docs} on the "
            "covariates (categorical ones treatment-coded against a reference level) by ordinary least squares, "
            "propagating the uncertainty of the estimated topic shares by the method of composition (Tanner 1996): "
            f"{a.get('n_sims', 25)} simulations{seed} each draw the shares from the model's "
            "variational posterior, refit the regression and draw its coefficients, in the manner of stm's "
            "estimateEffect (Roberts et al. 2014; Roberts, Stewart & Tingley 2019)")
    if a.get("residual_df") == 0:
        return (text + "; with as many documents as coefficients no residual degree of freedom is left, so the "
                "estimates describe the documents and no standard error, p-value or interval could be "
                "estimated.", keys)
    text += (f"; estimates and standard errors are the draws' means and standard deviations, with {ci}% intervals "
             "from their quantiles")
    if a.get("correction") is not None:
        text += correction_clause(a, keys, " of each term over the topics", "term")
    if a.get("no_inference"):
        one = len(a["no_inference"]) == 1
        text += (f"; {fmt(a['no_inference'])} {'rests' if one else 'rest'} on one document and "
                 f"{'has' if one else 'have'} no standard error")
    return text + ".", keys


def _describe_choose_k(a: Mapping) -> tuple[str, list[str]]:
    """The sweep over K of :func:`discourse.topics.choose_k`."""
    holdout = a.get("holdout")
    held = f" of the {fmt(float(holdout) * 100)}% of units held out" if holdout is not None else ""
    return (f"The number of topics was explored over K = {fmt(a.get('ks', []))} with seeds "
            f"{fmt(a.get('seeds', []))}, scoring topic coherence ({a.get('coherence', 'c_npmi')}; Röder et al. "
            f"2015), perplexity{held} (Hoffman et al. 2010) and stability across seeds, the mean cosine "
            "similarity of Hungarian-matched topics (Greene, O'Callaghan & Cunningham 2014).",
            ["roder2015", "hoffman2010", "greene2014"])


TOPIC_DESCRIBERS = {
    "topics": _describe_topics,
    "topic terms": _describe_topic_terms,
    "coherence": _describe_coherence,
    "topic prevalence": _describe_prevalence,
    "topic prevalence difference": _describe_prevalence,
    "topic prevalence regression": _describe_effects,
    "choose k": _describe_choose_k,
}
