"""Analyses on degenerate input (issue 11): a clear message naming the cause, never a numpy/pandas internal error.

Hostile corpora of our own: one document, only stop words, only punctuation and
numbers, no parsable date, an empty selection, a target group or a node that
is absent, a ``min_freq`` no term reaches, an ``n`` longer than every sentence,
more topics than documents. The rule, one wording each in
:mod:`discourse.validation`:

- a call that cannot mean anything (an empty corpus, no counted token, a
  grouping that puts no document in a group, an absent group, a comparison with
  one group or an absent node, more topics than units) raises ``ValueError``
  whose message starts with the function and names the cause;
- a valid call whose result is a listing of nothing (the collocates, lines,
  positions or n-grams of an absent word; a frequency threshold nothing
  reaches) returns the empty table with its usual columns and an
  :class:`~discourse.validation.EmptyResultWarning` that says why;
- plots, methods paragraphs and exports of an empty table work (a plot says
  "no ... in the table").
"""
import re
import warnings

import matplotlib
import pandas as pd
import pytest

import discourse as dc
from discourse import plots
from discourse import EmptyResultWarning

matplotlib.use("Agg")

TEXT_A = "Moscow said the talks with Washington went well. The minister said the talks would continue next week."
TEXT_B = "Washington said the talks with Moscow failed. The spokesman said sanctions would follow at once."
EMPTY = ("the corpus is empty (0 documents); was it made by a selection (select(), Tokens.select()) "
         "that matched no document?")
# the fixture's dates: "" (no date), "n/a" and "unknown" (unparsable); grouping.group_labels counts them
WHY = "1 without a date, 2 unparsable, implausible or ambiguous"
ADVICE = "name the date column with date_column=..., state its format with date_format=..., or group by a metadata column"
NO_DATE = f"by='year' groups documents by the year of their 'date', but none of the 3 documents has a parsable date ({WHY}); {ADVICE}"


# Counts of the normal corpus (TEXT_A, TEXT_B twice each), computed here without the package: words are runs of
# letters (the texts have no number, hyphen or apostrophe), sentences end with ".".
_WORDS = [re.findall(r"[a-z]+", t.lower()) for t in (TEXT_A, TEXT_B)]
_SENTENCES = [re.findall(r"[a-z]+", s.lower()) for t in (TEXT_A, TEXT_B) for s in t.split(".")]
N = 2 * sum(map(len, _WORDS))                                                   # 64 tokens
TOP = 2 * max(sum(w.count(x) for w in _WORDS) for x in set(_WORDS[0] + _WORDS[1]))  # "the": 10
_BIGRAMS = [" ".join(p) for s in _SENTENCES for p in zip(s, s[1:])]
TOP2 = 2 * max(_BIGRAMS.count(b) for b in _BIGRAMS)                             # "the talks": 6
SENT, DOC = max(map(len, _SENTENCES)), max(map(len, _WORDS))                    # 9 and 17


def corpus(texts, outlets, dates=None):
    return dc.Corpus.from_records([{"id": f"d{i}", "text": t, "outlet": o, "date": dates[i] if dates else "2021-12-10"}
                                   for i, (t, o) in enumerate(zip(texts, outlets))])


@pytest.fixture(scope="module")
def normal():
    """Four documents, two outlets: TEXT_A and TEXT_B twice each (counts in :func:`test_the_counts_in_the_messages`)."""
    return dc.tokenize(corpus([TEXT_A, TEXT_B, TEXT_B, TEXT_A], ["A", "B", "A", "B"]))


@pytest.fixture(scope="module")
def empty():
    c = corpus([TEXT_A, TEXT_B], ["A", "B"]).select(outlet="Nope")
    assert len(c) == 0
    return dc.tokenize(c)


@pytest.fixture(scope="module")
def no_dates():
    return dc.tokenize(corpus([TEXT_A, TEXT_B, TEXT_A], ["A", "B", "A"], dates=["n/a", "unknown", ""]))


@pytest.fixture(scope="module")
def one_doc():
    return dc.tokenize(corpus([TEXT_A], ["A"]))


def raises(message, call, *args, **kw):
    with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
        call(*args, **kw)


def warns(message, call, *args, **kw):
    """The call's result, asserting it raised exactly one EmptyResultWarning with ``message``."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = call(*args, **kw)
    got = [str(w.message) for w in caught if issubclass(w.category, EmptyResultWarning)]
    assert got == [message]
    return result


ANALYSES = {  # every analysis of Tokens, with arguments that work on the normal corpus
    "frequencies": lambda t, **kw: dc.frequencies(t, **kw),
    "dispersion": lambda t, **kw: dc.dispersion(t, **kw),
    "keyness": lambda t, **kw: dc.keyness(t, "A", **kw),
    "collocates": lambda t, **kw: dc.collocates(t, "said", **kw),
    "compare_collocates": lambda t, **kw: dc.compare_collocates(t, "said", **kw),
    "kwic": lambda t, **kw: dc.kwic(t, "said", **kw),
    "query_positions": lambda t, **kw: dc.query_positions(t, "said", **kw),
    "ngrams": lambda t, **kw: dc.ngrams(t, **kw),
    "prepare_corpus": lambda t, **kw: dc.prepare_corpus(t, **kw),
}


# -- a corpus with nothing in it -----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ANALYSES)
def test_an_empty_selection_is_named(empty, name):
    raises(f"{name}: {EMPTY}", ANALYSES[name], empty)


def test_fit_lda_on_an_empty_selection_names_it(empty):
    raises(f"prepare_corpus: {EMPTY}", dc.fit_lda, empty, k=2)


@pytest.mark.parametrize("texts, options, cause", [
    (["the and of the a", "a the of", "of the"], {"stopwords": "english"},
     "3 documents, 10 tokens read, all dropped (stopword: 10)"),
    (["... 123 , 456 !!!", "2021 -- 7.5 %", "?? 1 2 3"], {"numbers": "drop"},
     # one token per punctuation character (12), the numbers 123 456 2021 7.5 1 2 3 (7)
     "3 documents, 19 tokens read, all dropped (punctuation: 12, number: 7)"),
    (["", "   ", "\n\n"], {}, "3 documents, no token in the text"),
])
@pytest.mark.parametrize("name", ["frequencies", "dispersion", "keyness", "collocates", "kwic", "ngrams"])
def test_no_counted_token_names_what_dropped_them(texts, options, cause, name):
    tokens = dc.tokenize(corpus(texts, ["A", "B", "A"]), **options)
    raises(f"{name}: the corpus has no counted tokens: {cause}", ANALYSES[name], tokens)


def test_only_stop_words_counted_by_default_still_work_and_topics_say_too_little_text():
    """Stop words are counted unless asked (the tokenizer's default): the analyses run; LDA's filter leaves nothing."""
    tokens = dc.tokenize(corpus(["the and of the a", "a the of and", "of the a"], ["A", "B", "A"]))
    freq = dc.frequencies(tokens)
    assert dict(zip(freq.term, freq.freq)) == {"the": 4, "a": 3, "of": 3, "and": 2}
    with pytest.raises(ValueError, match=r"^too little text to fit 2 topics: 0 terms and 0 tokens after the "
                                         r"vocabulary filters"):
        dc.fit_lda(tokens, k=2, min_df=1)


# -- groups: absent, one, none (no parsable date) ------------------------------------------------------------------

@pytest.mark.parametrize("name, call", [
    ("frequencies", lambda t: dc.frequencies(t, by="year")),
    ("dispersion", lambda t: dc.dispersion(t, by="year")),
    ("keyness", lambda t: dc.keyness(t, "2021", by="year")),
    ("collocates", lambda t: dc.collocates(t, "said", by="year")),
    ("compare_collocates", lambda t: dc.compare_collocates(t, "said", by="year")),
    ("kwic", lambda t: dc.kwic(t, "said", by="year")),
    ("query_positions", lambda t: dc.query_positions(t, "said", by="year")),
    ("ngrams", lambda t: dc.ngrams(t, by="year")),
])
def test_no_parsable_date_names_the_date_cause(no_dates, name, call):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a date parser's own warning (another part of issue 11) is not asserted here
        raises(f"{name}: {NO_DATE}", call, no_dates)


def test_topic_prevalence_and_effects_without_dates_name_the_date_cause(no_dates):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = dc.fit_lda(no_dates, k=2, units="document", min_df=1, passes=1, iterations=5)
        raises(f"topic_prevalence: {NO_DATE}", dc.topic_prevalence, model, by="year")
        raises(f"prevalence_difference: {NO_DATE}", dc.prevalence_difference, model, "2021", "2022", by="year")
        raises(f"estimate_effect: covariate='year' groups documents by the year of their 'date', but none of the 3 "
               f"documents has a parsable date ({WHY}); {ADVICE}", dc.estimate_effect, model, "year")
        raises("prevalence_difference: b group 'Nope' not found in column 'outlet'; groups are: ['A', 'B']",
               dc.prevalence_difference, model, "A", "Nope")


def test_a_column_empty_for_every_document_is_named():
    tokens = dc.tokenize(dc.Corpus.from_records([{"text": TEXT_A, "outlet": "A", "section": None},
                                                 {"text": TEXT_B, "outlet": "B", "section": None}]))
    raises("frequencies: by='section' puts no document in a group: the column 'section' is empty for all "
           "2 documents", dc.frequencies, tokens, by="section")
    raises("dispersion: parts='section' puts no document in a group: the column 'section' is empty for all "
           "2 documents", dc.dispersion, tokens, parts="section")


@pytest.mark.parametrize("call, message", [
    (lambda t: dc.keyness(t, target="Nope"),
     "keyness: target group 'Nope' not found in column 'outlet'; groups are: ['A', 'B']"),
    (lambda t: dc.keyness(t, target="A", reference="Nope"),
     "keyness: reference group 'Nope' not found in column 'outlet'; groups are: ['A', 'B']"),
    (lambda t: dc.keyness(t, target="2021-12-10", reference="pairwise", by="date"),
     "keyness: by='date' has 1 group (['2021-12-10']); a comparison needs at least 2"),
    (lambda t: dc.keyness(t, reference=["A", "B"]),
     "keyness: nothing to compare: every group of 'outlet' (['A', 'B']) is the reference"),
    (lambda t: dc.compare_collocates(t, "said", target="Nope"),
     "compare_collocates: target group 'Nope' not found in column 'outlet'; groups are: ['A', 'B']"),
    (lambda t: dc.compare_collocates(t, "said", groups=("A", "Nope")),
     "compare_collocates: second group 'Nope' not found in column 'outlet'; groups are: ['A', 'B']"),
    (lambda t: dc.compare_collocates(t, "zzz"),
     f"compare_collocates: node 'zzz' does not occur in the corpus (0 of {N} tokens)"),
])
def test_absent_groups_and_nodes_of_a_comparison_are_named(normal, call, message):
    raises(message, call, normal)


@pytest.mark.parametrize("call, message", [
    (lambda t: dc.keyness(t, "A"), "keyness: by='outlet' has 1 group (['A']); a comparison needs at least 2"),
    (lambda t: dc.keyness(t), "keyness: by='outlet' has 1 group (['A']); a comparison needs at least 2"),
    (lambda t: dc.compare_collocates(t, "said"),
     "compare_collocates: by='outlet' has 1 group (['A']); a comparison needs at least 2"),
    (lambda t: dc.fit_lda(t, k=2, min_df=1, units="document"),
     "fit_lda: 2 topics but only 1 document to model; choose k <= 1 or smaller units (units='paragraph' or a "
     "chunk size)"),
])
def test_one_document_comparisons_and_topics_are_named(one_doc, call, message):
    raises(message, call, one_doc)


def test_one_document_listings_work(one_doc):
    freq = dc.frequencies(one_doc)
    assert freq.set_index("term").loc["said", "freq"] == 2 and freq["doc_freq"].eq(1).all()
    assert len(dc.kwic(one_doc, "talks")) == 2
    assert len(dc.ngrams(one_doc, 2, min_freq=2)) == 2  # "said the" and "the talks"


def test_a_lone_string_for_terms_is_refused(normal):
    with pytest.raises(TypeError, match=r"^terms must be a list or set of words, not 'said'; for one word say "
                                        r"\['said'\]$"):
        dc.frequencies(normal, terms="said")  # it once counted the letters s, a, i, d


def test_dispersion_of_a_group_of_one_document_says_which_measures_are_undefined(normal, one_doc):
    tokens = dc.tokenize(corpus([TEXT_A, TEXT_B, TEXT_A], ["A", "B", "A"]))
    with pytest.warns(UserWarning, match=r"^dispersion: 1 group \(\['B'\]\) has a single part: juilland_d, "
                                         r"carroll_d2, dp_norm are undefined there \(NaN\); use more documents or "
                                         r"parts=<tokens per chunk>$"):
        res = dc.dispersion(tokens, by="outlet")
    b = res[res.group == "B"]
    assert b[["juilland_d", "carroll_d2", "dp_norm"]].isna().all().all() and (b["parts"] == 1).all()
    assert res[res.group == "A"]["juilland_d"].notna().all()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dc.dispersion(one_doc, parts=5)  # five-token chunks: several parts, no warning


def test_more_topics_than_documents_is_named(normal):
    raises("fit_lda: 5 topics but only 4 documents to model; choose k <= 4 or smaller units (units='paragraph' "
           "or a chunk size)", dc.fit_lda, normal, k=5, min_df=1, units="document")


def test_choose_k_names_a_k_above_the_training_units_before_fitting(normal):
    raises("choose_k: 5 topics but only 3 training documents to model; choose k <= 3 or smaller units "
           "(units='paragraph' or a chunk size)", dc.choose_k, normal, ks=(2, 5), seeds=(0,),
           prepare={"min_df": 1, "units": "document"})  # 4 documents, 1 held out


def test_a_one_document_group_gets_no_text_level_tests_and_says_so():
    tokens = dc.tokenize(corpus([TEXT_A, TEXT_B, TEXT_B + " Again."], ["A", "B", "B"]))
    with pytest.warns(UserWarning, match=r"^text-level tests \(welch, mann_whitney\) not computed for A vs rest: "
                                         r"they need at least 2 documents per side"):
        res = dc.keyness(tokens, "A", keep="all")
    assert res["welch_p"].isna().all() and res["mann_whitney_p"].isna().all()


# -- valid calls with an empty result: the table, its columns, and why ------------------------------------------

@pytest.mark.parametrize("name, call, message", [
    ("collocates", lambda t: dc.collocates(t, "zzz"),
     f"collocates: node 'zzz' does not occur in the corpus (0 of {N} tokens); the result is empty"),
    ("kwic", lambda t: dc.kwic(t, "zzz"),
     f"kwic: query 'zzz' does not occur in the corpus (0 of {N} tokens); the result is empty"),
    ("query_positions", lambda t: dc.query_positions(t, ["zzz", "yyy"]),
     f"query_positions: query '{{zzz, yyy}}' does not occur in the corpus (0 of {N} tokens); the result is empty"),
    ("ngrams", lambda t: dc.ngrams(t, containing="zzz"),
     f"ngrams: containing= 'zzz' does not occur in the corpus (0 of {N} tokens); the result is empty"),
    ("frequencies", lambda t: dc.frequencies(t, min_freq=1000),
     f"frequencies: no term reaches min_freq=1,000 (the most frequent occurs {TOP} times); the result is empty"),
    ("dispersion", lambda t: dc.dispersion(t, min_freq=1000),
     f"dispersion: no term reaches min_freq=1,000 (the most frequent occurs {TOP} times); the result is empty"),
    ("collocates", lambda t: dc.collocates(t, "said", min_freq=1000),
     f"collocates: no collocate reaches min_freq=1,000 (the most frequent occurs {TOP} times); the result is empty"),
    ("ngrams", lambda t: dc.ngrams(t, 2, min_freq=1000),
     f"ngrams: no 2-gram reaches min_freq=1,000 (the most frequent occurs {TOP2} times); the result is empty"),
    ("frequencies", lambda t: dc.frequencies(t, terms=["zzz", "yyy"]),
     f"frequencies: none of the terms ['zzz', 'yyy'] occurs in the corpus (0 of {N} tokens); the result is empty"),
    ("dispersion", lambda t: dc.dispersion(t, terms={"zzz"}),
     f"dispersion: none of the terms ['zzz'] occurs in the corpus (0 of {N} tokens); the result is empty"),
    ("kwic", lambda t: dc.kwic(t, "said", where={"outlet": "Nope"}),
     "kwic: where={'outlet': 'Nope'} selects none of the 4 documents; the result is empty"),
    ("query_positions", lambda t: dc.query_positions(t, "said", where="outlet == 'Nope'"),
     "query_positions: where=\"outlet == 'Nope'\" selects none of the 4 documents; the result is empty"),
    ("collocates", lambda t: dc.collocates(t, "said", threshold=100.0, min_freq=1, min_coll_freq=1),
     # logDice is at most 14 (Rychlý 2008)
     "collocates: no collocate reaches threshold=100 of log_dice (the highest is 13.8); the result is empty"),
    ("ngrams", lambda t: dc.ngrams(t, 12, min_freq=1),
     f"ngrams: n=12 is longer than every sentence (the longest has {SENT} tokens); the result is empty"),
    ("ngrams", lambda t: dc.ngrams(t, 40, min_freq=1, sentence=False),
     f"ngrams: n=40 is longer than every document (the longest has {DOC} tokens); the result is empty"),
])
def test_an_empty_listing_has_its_columns_and_says_why(normal, name, call, message):
    result = warns(message, call, normal)
    assert result.empty
    reference = {"collocates": lambda: dc.collocates(normal, "said"), "kwic": lambda: dc.kwic(normal, "said"),
                 "query_positions": lambda: dc.query_positions(normal, "said"),
                 "ngrams": lambda: dc.ngrams(normal, 2, min_freq=1), "frequencies": lambda: dc.frequencies(normal),
                 "dispersion": lambda: dc.dispersion(normal)}[name]()
    assert len(reference) and list(result.columns) == list(reference.columns)


def test_keyness_with_a_min_freq_no_term_reaches_says_so_first(normal):
    with pytest.warns(UserWarning) as record:
        res = dc.keyness(normal, "A", min_freq=1000)
    assert res.empty and list(res.columns) == list(dc.keyness(normal, "A", keep="all").columns)
    assert str(record[0].message) == (f"keyness: no term reaches min_freq=1,000 (the most frequent occurs {TOP} "
                                      "times); the result is empty")


def test_the_counts_in_the_messages(normal):
    """The package's own counts agree with the independent ones the messages above are built from."""
    freq = dc.frequencies(normal)
    assert (normal.n_tokens, freq["freq"].max()) == (N, TOP) == (64, 10)
    assert (dc.ngrams(normal, 2, min_freq=1)["freq"].max(), SENT, DOC) == (TOP2, 9, 17) == (6, 9, 17)


# -- views of an empty result -------------------------------------------------------------------------------------

def test_plots_methods_and_exports_of_an_empty_result_work(normal, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EmptyResultWarning)
        freq = dc.frequencies(normal, min_freq=1000)
        key = dc.keyness(normal, "A", min_freq=1000, fallback=0)
        coll = dc.collocates(normal, "zzz")
        pos = dc.query_positions(normal, "zzz")
    texts = lambda ax: [t.get_text() for t in ax.texts]  # noqa: E731
    assert texts(plots.top_terms(freq)) == ["no terms in the table"]
    assert texts(plots.collocation_network(coll)) == ["no collocates to link"]
    assert plots.keyness_bars(key).texts and plots.dispersion_plot(pos) is not None
    paragraph, _ = dc.methods_paragraph([freq], tokens=normal)
    assert f"{N} tokens counted" in paragraph
    path = dc.export(freq, tmp_path / "freq.csv")
    assert pd.read_csv(path).columns.tolist() == list(freq.columns) and len(pd.read_csv(path)) == 0
