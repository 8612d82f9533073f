"""Every methods sentence the notebooks print says the numbers that were computed, on corpora of different shapes.

For each notebook, the analyses it runs (with the defaults of its parameters
cell) are run on the two-article sample (one document per outlet) and on a
corpus of many documents per group: the 124 presidential speeches grouped by
party (01-04; parties of 1 to 60 speeches) and the synthetic three-outlet
corpus (05, whose topic sweep would take minutes on the speeches). The numbers
in the paragraph are checked against counts made here, from the token stream
or the tables, not read back from ``attrs``: the tests behind a correction, the
lines a concordance shows, the units and terms a topic model used; a p-value or
interval that cannot exist (one document per group) is never claimed.
"""
from __future__ import annotations

import re
import warnings
from pathlib import Path

import nbformat
import numpy as np
import pytest

import discourse as dc
from discourse.collocates import collocates, compare_collocates
from discourse.kwic import kwic
from discourse.overview import audit_summary, comparison_groups, resolve_node
from discourse.topics import (choose_k, coherence, estimate_effect, fit_lda, prepare_corpus, prevalence_difference,
                              topic_prevalence, topic_terms, units_for_k)

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def parameters(stem: str) -> dict:
    """The defaults of a notebook's parameters cell (so the test follows the notebook)."""
    nb = nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    values: dict = {}
    exec(cell.source, {}, values)
    return values


def paragraph(results, tokens=None, corpus=None) -> str:
    return dc.methods_paragraph(results, tokens=tokens, corpus=corpus)[0]


def n(x) -> str:
    return f"{x:,}"


@pytest.fixture(scope="module", params=["sample", "speeches"])
def data(request):
    """(name, corpus, cleaned, tokens, group) for a two-document and a 124-document corpus."""
    if request.param == "sample":
        corpus, group = dc.read_corpus(dc.sample_corpus_path()), "outlet"
    else:
        corpus, group = dc.load_speeches(), "party"
    cleaned = dc.clean(corpus)
    return request.param, corpus, cleaned, dc.tokenize(cleaned), group


def _groups(tokens, group, p):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return comparison_groups(tokens, group, p["target"], p["reference"])


def _hits(tokens, terms) -> int:
    """Tokens of the node's terms, counted on the stream."""
    ids = [tokens.term_id(t) for t in terms if t in set(tokens.vocab)]
    return int(np.isin(tokens.ids, ids).sum())


# --------------------------------------------------------------------------- 01 and 02
def test_quick_start_and_cleaning(data):
    name, corpus, cleaned, tokens, group = data
    p = parameters("01_quick_start")
    text = paragraph([dc.frequencies(tokens, by=group, top=p["top_n"])], tokens=tokens, corpus=corpus)
    assert f"The corpus comprises {n(len(tokens.texts))} documents, {n(len(tokens.ids))} tokens counted" in text
    assert f"{n(len(set(tokens.ids.tolist())))} distinct terms" in text
    assert f"Frequencies by {group} " in text
    removed = audit_summary(cleaned, by=group)
    text = paragraph([removed])
    assert f"Cleaning removed {n(len(cleaned.audit))} spans ({n(int((cleaned.audit['end'] - cleaned.audit['start']).sum()))} characters)" in text
    assert int(removed["spans"].sum()) == len(cleaned.audit)


# --------------------------------------------------------------------------- 03
def test_keyness(data):
    name, _, _, tokens, group = data
    p = parameters("03_keyness")
    target, reference = _groups(tokens, group, p)
    freq = dc.frequencies(tokens, by=group)
    both = freq[freq["group"].isin([target, reference])].groupby("term")["freq"].sum()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ranking = dc.keyness(tokens, target, reference, by=group, keep="all", min_freq=p["min_freq"],
                             alpha=p["alpha"], seed=p["seed"])
        keywords = dc.keyness(tokens, target, reference, by=group, alpha=p["alpha"], seed=p["seed"])
    text = paragraph([ranking])
    assert f"(Šidák 1967; {n(int((both >= p['min_freq']).sum()))} tests)" in text
    assert f"combined frequency of at least {p['min_freq']} " in text and f"α = {p['alpha']:g}" in text
    text = paragraph([keywords])
    assert f"(Šidák 1967; {n(len(both))} tests)" in text  # min_freq 1: every term of the two groups
    single = min(tokens.metadata[group].value_counts()[[target, reference]]) < 2
    if name == "sample":  # 402 tests, none significant: the largest effects, said to be a description
        assert not keywords["significant"].any() and len(keywords) == 40
        assert "no term reached adjusted p < 0.05, so the 20 terms per direction with the largest Log Ratio are " \
               "listed as a description, not as keywords" in text
        assert "retained as keywords" not in text
    else:
        assert keywords["significant"].all() and len(keywords) > 0
        assert "terms with adjusted p < 0.05 were retained as keywords" in text and "description" not in text
    assert ("could not be computed: they need at least 2 documents per side" in text) == single
    assert ("check that a difference is not carried by a few documents" in text) == (not single)


# --------------------------------------------------------------------------- 04
def test_framing(data):
    name, _, _, tokens, group = data
    p = parameters("04_framing")
    target, reference = _groups(tokens, group, p)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        node = resolve_node(tokens, p["node"], by=group, groups=[target, reference])
    terms = [node] if isinstance(node, str) else node
    by_outlet = collocates(tokens, node, by=group, left=p["left"], right=p["right"], measure=p["measure"],
                           min_freq=p["min_freq"], min_coll_freq=p["min_coll_freq"], top=p["top_n"])
    contrast = compare_collocates(tokens, node, by=group, groups=(target, reference), left=p["left"],
                                  right=p["right"], measure=p["measure"])
    lines = kwic(tokens, node, (p["left"], p["right"]), by=group, sort="R1", sample=p["kwic_lines"], seed=p["seed"])
    text = paragraph([by_outlet, contrast, lines])
    # the tests behind each correction: every candidate collocate, function words included
    every = collocates(tokens, node, by=group, left=p["left"], right=p["right"], min_freq=p["min_freq"],
                       min_coll_freq=p["min_coll_freq"], stopwords=None)
    sizes = sorted(every.groupby("group").size().tolist())
    per_group = f"{n(sizes[0])} tests" if sizes[0] == sizes[-1] and len(sizes) == 1 else (
        f"{n(sizes[0])} tests per group" if sizes[0] == sizes[-1] else f"{n(sizes[0])} to {n(sizes[-1])} tests per group")
    assert f"within each group (Šidák 1967; {per_group})" in text
    m = len(compare_collocates(tokens, node, by=group, groups=(target, reference), left=p["left"], right=p["right"],
                               stopwords=None))
    assert f"(Šidák 1967; {n(m)} tests), a collocate counting as significant at adjusted p < 0.05" in text
    assert f"C{p['min_freq']}-NC{p['min_coll_freq']}; English stop words removed" in text
    hits = _hits(tokens, terms)
    assert lines.attrs["hits"] == hits
    if hits > p["kwic_lines"]:
        assert f"a random sample of {p['kwic_lines']} of the {n(hits)} lines was drawn (seed {p['seed']})" in text
    else:  # the sample: 35 lines, all shown; never "a random sample of 40 of 35 lines"
        assert f"all {n(hits)} lines are shown (fewer than the {p['kwic_lines']} a sample would have drawn)" in text
        assert "random sample" not in text
    assert name != "sample" or hits == 35


# --------------------------------------------------------------------------- 05
@pytest.fixture(scope="module", params=["sample", "synthetic"])
def topic_data(request, synth):
    if request.param == "sample":
        return request.param, dc.load_sample(), "outlet"
    return request.param, synth, "outlet"


def test_topics(topic_data):
    name, tokens, group = topic_data
    p = parameters("05_topics")
    target, reference = _groups(tokens, group, {"target": p["target"], "reference": p["reference"]})
    ks = p["k_values"] or sorted({max(2, p["n_topics"] - 2), p["n_topics"], p["n_topics"] + 2})
    prepare = dict(units=p["units"], min_df=p["min_df"])
    passes = 2  # not the notebook's 10: no number checked here depends on it, and it keeps the sweep quick
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sweep = choose_k(tokens, ks, seeds=p["k_seeds"], passes=passes, prepare=prepare)
        model = fit_lda(tokens, k=p["n_topics"], seed=p["seed"], passes=passes, **prepare)
        prevalence = topic_prevalence(model, by=group, seed=p["seed"])
        difference = prevalence_difference(model, target, reference, by=group, seed=p["seed"])
    units = units_for_k(tokens, max(ks), **prepare)
    text = paragraph([sweep, model.params, topic_terms(model, n=p["n_terms"]), coherence(model), prevalence,
                      difference])
    assert f"K = {', '.join(map(str, ks))} with seeds {', '.join(map(str, p['k_seeds']))}" in text
    assert f"{passes} passes, kmeans initialisation, random seed {p['seed']}" in text
    assert f"K = {p['n_topics']}, on {n(units.n_units)} {units.params['units']}s as modelling units" in text
    assert f"terms in at least {p['min_df']} units, in at most 50% of units (the maximum set from" in text
    assert f"{n(model.corpus.bow.shape[1])} terms kept" in text and f"its {p['n_terms']} most relevant" in text
    docs = tokens.metadata[group].value_counts()
    if name == "sample":  # one document per outlet: no interval, no p-value, and the paragraph says so
        assert prevalence[["ci_low", "ci_high"]].isna().all().all() and difference["p_value"].isna().all()
        assert "every group has one document, so no interval could be estimated" in text
        assert (f"{target} and {reference} have one document each, so no interval or p-value could be estimated"
                in text)
        assert "bootstrap p-values" not in text and "percentile bootstrap intervals" not in text
        assert "0.000999" not in text
    else:
        assert (docs >= 2).all() and difference["p_value"].notna().all()
        assert "with 95% percentile bootstrap intervals (2,000 bootstrap replicates over documents, seed 0" in text
        assert (f"95% percentile intervals and bootstrap p-values (2,000 bootstrap replicates over documents, seed 0; "
                f"Davison & Hinkley 1997); p-values were adjusted for multiple comparisons over the topics "
                f"(Šidák 1967; {p['n_topics']} tests)") in text


def test_readme_topic_model_and_a_group_of_one_among_many():
    # the README's fit_lda(tokens, k=20, seed=0) on the sample, and the speeches by party (Federalist: one speech)
    sample = dc.load_sample()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = fit_lda(sample, k=20, seed=0)
    text = paragraph([model.params])
    paragraphs = prepare_corpus(sample, units="paragraph").n_units
    assert (f"K = 20, on {paragraphs} paragraphs as modelling units (the 2 documents being too few for K = 20, "
            "fewer than five per topic") in text
    assert "terms in at least 2 units, in at most 50% of units (the minimum and maximum set from the number" in text
    speeches = dc.tokenize(dc.clean(dc.load_speeches()))
    docs = speeches.metadata["party"].value_counts()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = fit_lda(speeches, k=4, seed=0, passes=2)
        prev = topic_prevalence(m, by="party", n_boot=200)
        effects = estimate_effect(m, "party", n_sims=5)
    text = paragraph([m.params, prev, effects])
    units = prepare_corpus(speeches)
    assert f"K = 4, on {n(len(speeches.texts))} documents as modelling units" in text
    assert f"terms in at least {units.params['min_df']} units" in text and units.params["min_df"] == 2
    lone = sorted(docs[docs < 2].index)
    assert lone == ["Federalist"]
    assert "with 95% percentile bootstrap intervals (200 bootstrap replicates" in text
    assert "; Federalist has one document and no interval." in text
    assert f"of {n(len(speeches.texts))} documents on the covariates" in text
    assert "party[T.Federalist] rests on one document and has no standard error" in text
    assert re.search(r"\(Šidák 1967; 4 tests per term\)", text)
