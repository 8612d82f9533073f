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

from .citations import REFERENCES
from .corpus import corpus_hash
from .methods_strata import STRATA_DESCRIBERS, describe_stratified_keyness
from .methods_stories import STORY_DESCRIBERS
from .methods_topics import TOPIC_DESCRIBERS
from .ranking import SORT_NAMES
from .wording import HOUSE_STYLE, correction_clause, fmt, window_span

__all__ = ["REFERENCES", "DESCRIBERS", "methods_paragraph"]

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


def _set_aside(a: Mapping) -> str:
    """The clause for ``set_aside=``: which terms were left out of the listing (not of the counts)."""
    aside = a.get("set_aside") or {}
    which = HOUSE_STYLE if aside.get("list") == "house_style" else "listed terms"
    rows = aside.get("rows", 0)
    return (f" {len(aside['terms'])} {which} were set aside from the listing ({rows} row{'s' * (rows != 1)}) but "
            "kept in the counts, so no statistic changed." if aside else "")


def _describe_frequencies(a: Mapping) -> tuple[str, list[str]]:
    by = a.get("by")
    grouped = f" by {by}" if by else ""
    return (f"Frequencies{grouped} are reported as raw counts, as normalised frequencies per million "
            "tokens, and with range (the share of documents containing a term).", [])


_KEYNESS_TESTS = {"chi2": "Pearson's chi-square", "chi2_yates": "chi-square with Yates' continuity correction",
                  "chi2_williams": "chi-square with Williams' correction",
                  "pmi": "pointwise mutual information (its p-value as chi-square of |PMI|, as in quanteda)",
                  "fisher": "Fisher's exact test"}
_PEERS = {"quanteda": "quanteda.textstats' textstat_keyness", "wordsmith": "WordSmith Tools' KeyWords",
          "cqpweb": "CQPweb", "sketchengine": "Sketch Engine", "wordless": "Wordless"}


def _describe_keyness(a: Mapping) -> tuple[str, list[str]]:
    if a.get("strata"):
        return describe_stratified_keyness(a)
    target, ref = a.get("target"), a.get("reference")
    target = "each group in turn" if target is None else fmt(target)
    ref = {"rest": "the rest of the corpus", "pairwise": "each other group"}.get(str(ref), fmt(ref))
    keys = ["dunning1993", "rayson2000", "hardie2014"]
    evidence = ("the log-likelihood statistic G\u00b2 (Dunning 1993; Rayson & Garside 2000)"
                if a.get("test", "log_likelihood") == "log_likelihood" else _KEYNESS_TESTS[a["test"]])
    text = (f"Keywords of {target} against {ref} (groups defined by {a.get('by', 'outlet')}) were identified "
            f"with {evidence} as evidence of a "
            "difference and Log Ratio, the binary log of the ratio of relative frequencies, as effect size "
            "(Hardie 2014)") + correction_clause(a, keys)

    alpha, sort_by = fmt(a.get("alpha", 0.05)), SORT_NAMES.get(str(a.get("sort_by", "log_ratio")), a.get("sort_by"))
    fell = list(a.get("fallback_used") or [])
    if a.get("keep") == "all":
        text += (f"; all terms with a combined frequency of at least {a.get('min_freq', 1)} are reported "
                 f"(a descriptive ranking), with significance at \u03b1 = {alpha} marked, ranked by {sort_by}")
    elif fell:
        n_pairs = len(a.get("sizes") or fell)
        where = "" if n_pairs == 1 else " in any comparison" if len(fell) == n_pairs else f" in {', '.join(fell)}"
        text += (f"; no term reached adjusted p < {alpha}{where}, so the {a.get('fallback')} terms per direction "
                 f"with the largest {sort_by} are listed as a description, not as keywords")
    else:
        text += f"; terms with adjusted p < {alpha} were retained as keywords, ranked by {sort_by}"
    if a.get("content_only"):
        text += "; stop words (gensim's English list) are left out of the list, not of the tests"
    text += ". Dispersion over documents is given by Gries's DP (Gries 2008)"
    keys.append("gries2008")
    skipped = [n for n in a.get("notes") or [] if str(n).startswith("text-level tests")]
    if a.get("text_tests") and not skipped:
        text += (", and text-level tests on per-document relative frequencies (Lijffijt et al. 2016) "
                 "check that a difference is not carried by a few documents")
        keys.append("lijffijt2016")
    elif skipped:
        text += (f"; the text-level tests of Lijffijt et al. (2016) could not be computed: they need at least "
                 f"{a.get('text_min_docs', 2)} documents per side")
        keys.append("lijffijt2016")
    peer = ((a.get("params") or {}).get("compat") or {}).get("tool")
    if peer:  # the statistics follow another tool's conventions: say which, so a reader can redo them there
        text += (f". The statistics follow the conventions of {_PEERS.get(peer, peer)} (the compat=\"{peer}\" "
                 "preset of discourse; the options it set are recorded with the results)")
    return text + "." + _set_aside(a), keys


_MEASURE_NAMES = {"log_dice": "logDice (Rychlý 2008)", "mi": "mutual information (Church & Hanks 1990)",
                  "mi3": "MI3", "t_score": "t-score", "z_score": "z-score", "log_likelihood": "log-likelihood"}


def _describe_collocates(a: Mapping) -> tuple[str, list[str]]:
    node = fmt(a.get("node", a.get("nodes")))
    measure = str(a.get("measure", "log_dice"))
    cpn = f" (collocation parameters, Brezina et al. 2015: {a['cpn']})" if a.get("cpn") else ""
    window = f"an {window_span(a)} window" + (", stopping at sentence boundaries" if a.get("sentence") else "")
    if a.get("analysis") == "collocate_comparison":
        keys = ["brezina2015", "dunning1993", "hardie2014"]
        text = (f"The collocates of {node} in {a.get('group_a')} and in {a.get('group_b')} were contrasted{cpn}: "
                f"in {window}, by the share of the node's window tokens each collocate takes, tested with the "
                "log-likelihood G\u00b2 (Dunning 1993) with Log Ratio as effect size (Hardie 2014), alongside "
                f"{_MEASURE_NAMES.get(measure, measure)} in each group")
    else:
        keys = ["church1990", "evert2008", "brezina2015"]
        per = f", separately for each {a['by']}," if a.get("by") else ""
        text = (f"Collocates of {node} were retrieved{per} in {window} and ranked by "
                f"{_MEASURE_NAMES.get(measure, measure)}{cpn}; MI (Church & Hanks 1990), t-score, "
                "log-likelihood and logDice are all reported (Evert 2008)")
    if a.get("correction") is not None:
        per = " within each group" if a.get("analysis") != "collocate_comparison" and a.get("by") else ""
        text += correction_clause(a, keys, per, "group" if per else "comparison")
        text += f", a collocate counting as significant at adjusted p < {fmt(a.get('alpha', 0.05))}"
    stop = a.get("stopwords")
    if stop:
        what = "gensim's English stop words" if stop == "english" else f"a list of {stop}"
        text += (f"; {what} are left out of the listing but counted in the windows and the tests, so they "
                 "change no statistic")
    if a.get("expected") == "node":
        text += "; expected frequencies are f(node) f(collocate) / N, without the span"
    if a.get("count") in ("pairs", "pairs_scaled"):
        text += ("; a token in the windows of several hits is counted once per hit"
                 + (", and the measures take that count divided by the span (NLTK's window convention, "
                    "Church & Hanks 1990)" if a.get("count") == "pairs_scaled" else ""))
    if measure == "log_dice":
        keys.append("rychly2008")
    return text + _compat_clause(a) + "." + _set_aside(a), keys


def _compat_clause(a: Mapping) -> str:
    """The peer whose conventions a ``compat=`` preset set (``attrs["params"]["compat"]``), if any."""
    compat = (a.get("params") or {}).get("compat") or {}
    names = {"wordsmith": "WordSmith Tools", "cqpweb": "CQPweb", "sketchengine": "Sketch Engine",
             "wordless": "Wordless"}
    tool = names.get(compat.get("tool"), compat.get("tool"))
    return f", following the conventions of {tool} (compat preset)" if compat.get("options") else ""


def _describe_kwic(a: Mapping) -> tuple[str, list[str]]:
    node = a.get("query", a.get("node"))
    text = f"Concordance lines (KWIC; Sinclair 1991) of {fmt(node)} show context {window_span(a)}"
    if a.get("sort"):
        text += f", sorted by {fmt(a['sort'])}"
    hits, lines, sample = a.get("hits"), a.get("lines"), a.get("sample")
    sampled = a.get("sampled", sample is not None and hits is not None and sample < hits)
    if sampled:
        text += (f"; a random sample of {lines if lines is not None else sample:,} of the {hits:,} lines was "
                 f"drawn (seed {a.get('seed')})")
    elif hits is not None:
        text += f"; all {hits:,} lines are shown" + (
            f" (fewer than the {sample:,} a sample would have drawn)" if sample is not None and sample > hits else "")
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
        if col == "juilland_d" and a.get("part_sizes") == "equal":
            name = "Juilland's D (Juilland, Brodin & Davidovitch 1970; on raw counts)"
        if col == "juilland_d" and a.get("sd") == "sample":
            name += " with the sample standard deviation"
        if col == "juilland_d" and a.get("clamp_d"):
            name += ", negative values set to 0"
        if col == "dp_norm":
            name += {"equal_parts": " (DP divided by 1 \u2212 1/n, exact for equal-sized parts; Gries 2008)",
                     "occupied": " (DP divided by 1 \u2212 min s\u1d62 over the parts where the term occurs; "
                                 "Egbert, Burch & Biber 2020)"}.get(
                a.get("dp_norm"), " (DP divided by its maximum 1 \u2212 min s\u1d62 for parts of unequal size; "
                                  "Lijffijt & Gries 2012)")
            refs = refs + {"equal_parts": [], "occupied": ["egbert2020"]}.get(a.get("dp_norm"), ["lijffijt2012"])
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
    if a.get("direction") == "unevenness":
        text += "; D, D2 and S are reported as 1 \u2212 the value so that 0 always means perfectly even"
    if a.get("part_sizes") == "equal":
        text += "; every part is weighted equally (raw counts, shares 1/n: the forms for equal-sized parts)"
    return text + _compat_clause(a) + ".", keys


def _describe_ngrams(a: Mapping) -> tuple[str, list[str]]:
    n = a.get("n", a.get("size"))
    within = ("within sentences" if a.get("sentence", True)
              else "within documents, across sentence boundaries")
    text = f"Contiguous n-grams{f' (n = {fmt(n)})' if n is not None else ''} were counted {within}"
    if a.get("by"):
        text += f", separately for each {a['by']}"
    if a.get("containing") is not None:
        slot = a.get("position")
        text += (f", keeping the clusters containing {fmt(a['containing'])}"
                 + (f" at position {int(slot) + 1}" if slot is not None else ""))
    if a.get("min_freq") is not None:
        text += f", occurring at least {a['min_freq']} times"
    keys: list[str] = []
    if a.get("keyness"):
        text += ("; each group's n-grams were compared with all other groups by log-likelihood G\u00b2 "
                 "(Dunning 1993) and Log Ratio (Hardie 2014), with the groups' n-gram totals as sizes")
        keys = ["dunning1993", "hardie2014"]
        if a.get("correction") is not None:
            text += correction_clause(a, keys, " within each group", "group")
    return text + ".", keys


def _describe_audit(a: Mapping) -> tuple[str, list[str]]:
    spans, chars = a.get("spans"), a.get("characters_removed")
    if spans is None:
        return "", []
    return f"Cleaning removed {spans:,} spans ({chars:,} characters), each listed with its rule in the audit.", []


_KEEP_WORDS = {"first": "the first in corpus order", "longest": "the longest", "earliest": "the earliest",
               "latest": "the latest", "all": "every document (copies marked, none removed)"}


def _keep_words(policy: Any) -> str:
    if isinstance(policy, Mapping):
        column, prefs = next(iter(policy.items()))
        return f"the one whose {column} came first in the order {fmt(list(prefs))}"
    return _KEEP_WORDS.get(str(policy), str(policy))


def _describe_dedup(a: Mapping) -> tuple[str, list[str]]:
    rm = a.get("removed", {})
    syn = ("marked as syndicated and kept, one copy per outlet" if a.get("syndicated") == "mark"
           else "kept once overall")
    text = (f"Duplicates were detected on the token stream: exact duplicates by a hash of each document's token "
            f"sequence, near duplicates by MinHash (Broder 1997) over word {a.get('shingle')}-gram shingles with "
            f"{a.get('num_perm')} permutations (seed {a.get('seed')}) and locality-sensitive hashing "
            f"({a.get('bands')} bands of {a.get('rows')} rows; Leskovec, Rajaraman & Ullman 2014), pairs with an "
            f"estimated Jaccard similarity of at least {fmt(a.get('threshold'))} forming clusters, and versions as "
            f"documents of one outlet with the same URL or headline and a Jaccard similarity of at least "
            f"{fmt(a.get('version_threshold'))}. Of each cluster {_keep_words(a.get('keep'))} was kept, of each "
            f"version cluster {_keep_words(a.get('versions'))}; clusters spanning two or more outlets were treated "
            f"as syndicated copy ({syn}). Of {a.get('documents_read', 0):,} documents read, "
            f"{a.get('documents_kept', 0):,} were kept and {sum(rm.values()):,} removed ({rm.get('exact', 0):,} "
            f"exact duplicates, {rm.get('near', 0):,} near duplicates, {rm.get('version', 0):,} other versions, "
            f"{rm.get('syndicated', 0):,} syndicated copies); {a.get('syndicated_documents', 0):,} documents "
            "were syndicated.")
    return text, ["broder1997", "leskovec2014"]


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
    **TOPIC_DESCRIBERS,
    **STRATA_DESCRIBERS,
    "ngrams": _describe_ngrams,
    "dedup": _describe_dedup,
    **STORY_DESCRIBERS,
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
    seen: set[str] = set()
    dedup = params.pop("dedup", None) or (getattr(corpus, "params", {}) or {}).get("dedup")
    if dedup:  # read_corpus de-duplicated the corpus (its audit's attrs): said once, also when the audit is a result
        text, refs = _describe_dedup(dedup)
        seen.add(text)
        sentences.append(text)
        keys += [k for k in refs if k not in keys]
    if cleaning:
        rec = (f"recurring lines shared by at least {cleaning.get('min_docs')} documents of one "
               f"{cleaning.get('group')} also removed" if cleaning.get("recurring") else "no recurring-line removal")
        bp = cleaning.get("boilerplate_params") or {}
        if bp:  # detected per outlet (Broder 1997 shingles): its thresholds
            rec += (f"; recurring spans of {bp.get('by')} boilerplate removed ({cleaning.get('boilerplate_patterns')} "
                    f"patterns of word {bp.get('n')}-gram shingles in at least {bp.get('min_share'):.0%} of one "
                    f"{bp.get('by')}'s documents and at most {bp.get('max_elsewhere'):.0%} of the other documents, "
                    f"numbers {bp.get('numbers')}"
                    + (f"; detected on a seeded sample of at most {bp['sample']:,} documents per {bp.get('by')}, "
                       f"{bp.get('documents_sampled', 0):,} of {bp.get('documents_distinct', 0):,} distinct documents"
                       if bp.get("sample") and bp.get("documents_sampled") != bp.get("documents_distinct") else "")
                    + ")")
        elif cleaning.get("boilerplate_patterns") is not None:
            rec += f"; {cleaning.get('boilerplate_patterns')} reviewed boilerplate patterns removed"
        sentences.append("Site chrome was removed with transparent rule-based cleaning profiles "
                         f"({cleaning.get('profiles')}; {rec}); every removed span is listed in the cleaning audit.")
    if params:
        sentences.append(_tokenizer_sentence(params))
    for res in results:
        attrs = dict(res.attrs) if isinstance(res, pd.DataFrame) else dict(res)
        if isinstance(res, pd.DataFrame):
            attrs["_columns"] = list(map(str, res.columns))  # what the table reports (e.g. which measures)
        name = _analysis_name(attrs)
        if name is None:
            continue
        text, refs = (DESCRIBERS[name](attrs) if name in DESCRIBERS else (
            f"The {name.replace('_', ' ')} analysis used "
            + ", ".join(f"{k} = {fmt(v)}" for k, v in attrs.items()
                        if k != "analysis" and not k.startswith("_")
                        and isinstance(v, (str, int, float, bool, list, tuple))) + ".", []))
        if not text or text in seen:
            continue
        seen.add(text)
        sentences.append(text)
        keys += [k for k in refs if k not in keys]
    return " ".join(s for s in sentences if s), [REFERENCES[k] for k in keys]
