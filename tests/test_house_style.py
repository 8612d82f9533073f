"""House style is not framing: acronyms, case-kept acronyms, dotted abbreviations, sentence ends, the house-style list.

Every expected term below is written out by hand from the input text.
"""
import numpy as np
import pandas as pd
import pytest

import discourse as dc
from discourse.collocates import collocates, compare_collocates
from discourse.query import find
from discourse.stopwords import house_style, house_style_terms


def terms(text, **kw):
    return dc.tokenize([text], **kw).doc_tokens(0)


def sentences(text, **kw):
    return dc.tokenize([text], **kw).nltk().sents()


# --------------------------------------------------------------------------- tokenizer
def test_cnn_us_is_the_acronym_and_us_the_pronoun():
    assert terms("US officials told us that the U.S. would act.") == [
        "US", "officials", "told", "us", "that", "the", "US", "would", "act"]
    # the pronoun at a sentence start stays the pronoun: only the all-caps surface is the acronym
    assert terms("Us and them. Tell us.") == ["us", "and", "them", "tell", "us"]


def test_dotted_and_plain_acronyms_are_one_term():
    assert terms("the F.B.I. and the FBI, the U.N. and the UN, the U.K. and the UK") == [
        "the", "fbi", "and", "the", "fbi", "the", "UN", "and", "the", "UN", "the", "uk", "and", "the", "uk"]
    # acronyms="keep": the dotted spelling is a term of its own, as in AntConc and quanteda
    assert terms("the F.B.I. and the FBI", acronyms="keep") == ["the", "f.b.i.", "and", "the", "fbi"]
    # keep_case=(): everything is lowercased, so the acronym folds into the pronoun (the old behaviour)
    assert terms("US officials told us", keep_case=()) == ["us", "officials", "told", "us"]
    assert terms("US officials told us", keep_case=None) == ["us", "officials", "told", "us"]


def test_frequencies_count_us_and_u_s_together_and_apart_from_us():
    t = dc.tokenize(["US officials told us the U.S. and the F.B.I. agree.", "The FBI told us: US first."])
    f = dc.frequencies(t).set_index("term")["freq"]
    # by hand: US, U.S., US -> 3; us, us -> 2; F.B.I., FBI -> 2
    assert (f["US"], f["us"], f["fbi"]) == (3, 2, 2)
    assert "u.s." not in f.index and "f.b.i." not in f.index


def test_abbreviations_with_internal_dots_stay_whole():
    assert terms("non-U.S. firms, U.S.-led talks, e.g. at 9 a.m. or 5 p.m., i.e. late") == [
        "non-US", "firms", "US-led", "talks", "e.g.", "at", "9", "a.m.", "or", "5", "p.m.", "i.e.", "late"]
    # split hyphens: the prefix and the acronym are two tokens, the acronym still whole
    assert terms("non-U.S. firms", hyphens="split") == ["non", "US", "firms"]
    # lower-case dotted abbreviations keep their dots even with folding: a.m. is not the verb "am"
    assert terms("I am here at 9 a.m.") == ["i", "am", "here", "at", "9", "a.m."]


def test_sentence_ends_after_dotted_abbreviations():
    assert sentences("Mr. Biden said. He left.") == [["Mr", "Biden", "said"], ["He", "left"]]
    # a.m. ends the sentence when a capitalised function word follows; not before a date or a name
    assert sentences("They met at 9 a.m. The talks ended at 5 p.m. on Tuesday.") == [
        ["They", "met", "at", "9", "a.m."], ["The", "talks", "ended", "at", "5", "p.m.", "on", "Tuesday"]]
    assert sentences("They met at 9 a.m. Tuesday.") == [["They", "met", "at", "9", "a.m.", "Tuesday"]]
    # U.S. at a sentence end before a capitalised word, and inside a name
    assert sentences("Troops left the U.S. They flew home.") == [["Troops", "left", "the", "U.S."],
                                                                ["They", "flew", "home"]]
    assert sentences("The U.S. Senate voted.") == [["The", "U.S.", "Senate", "voted"]]
    # the full stop of an abbreviation such as Inc. ends the sentence before a starter, too
    assert sentences("He works for Acme Inc. The firm grew.") == [["He", "works", "for", "Acme", "Inc"],
                                                                  ["The", "firm", "grew"]]
    # a line break after an abbreviation still ends the sentence
    assert sentences("Smith Jr\nNext line") == [["Smith", "Jr"], ["Next", "line"]]


def test_case_kept_acronyms_are_not_stop_words_and_not_lemmatised():
    assert terms("The U.N. told us and the WHO agreed", stopwords="english") == ["UN", "told", "WHO", "agreed"]
    # simplemma would turn WHO into "who" and IS into "be"
    assert terms("WHO says IS fighters were seen", lemmatize="en") == ["WHO", "say", "IS", "fighter", "be", "see"]


def test_every_normalisation_is_listed_and_offsets_show_the_surface():
    text = "The F.B.I. met US and U.S. officials; the FBI told us."
    t = dc.tokenize([text])
    types = t.types.set_index("surface")
    assert types.loc[["F.B.I.", "FBI"], "term"].tolist() == ["fbi", "fbi"]
    assert types.loc[["US", "U.S.", "us"], "term"].tolist() == ["US", "US", "us"]
    merged = t.types.groupby("term")["surface"].unique()
    assert sorted(merged["fbi"]) == ["F.B.I.", "FBI"]
    # terms change, surfaces do not: the offsets point at the text as written
    surfaces = [text[s:e] for s, e in zip(t.starts, t.ends)]
    assert surfaces == ["The", "F.B.I.", "met", "US", "and", "U.S.", "officials", "the", "FBI", "told", "us"]
    # reconciliation still holds: read = counted + dropped (the ; and . are punctuation)
    rec = t.reconciliation.set_index("reason")["tokens"]
    assert rec["all tokens in the cleaned text"] == 13 == rec["counted"] + rec["punctuation"]
    assert rec["counted"] == t.n_tokens == 11
    assert t.params["acronyms"] == "fold" and t.params["keep_case"] == ["IS", "IT", "UN", "US", "WHO"]


def test_options_are_validated():
    with pytest.raises(ValueError, match="acronyms must be one of"):
        dc.tokenize(["x"], acronyms="drop")
    with pytest.raises(TypeError, match=r"for one word say \['US'\]"):
        dc.tokenize(["x"], keep_case="US")
    with pytest.raises(TypeError, match="must hold words"):
        dc.tokenize(["x"], keep_case=["US", 1])


# --------------------------------------------------------------------------- queries and concordances
def test_a_query_word_is_normalised_like_the_corpus():
    t = dc.tokenize(["The F.B.I. met US officials; the FBI told us. The U.S. agreed."])
    assert find(t, "F.B.I.").start.tolist() == find(t, "FBI").start.tolist() == [1, 6]
    assert find(t, "US").start.tolist() == find(t, "U.S.").start.tolist() == [3, 10]
    assert find(t, "us").start.tolist() == [8]
    lines = dc.kwic(t, ["US", "FBI"], window=1)
    # node as written, term as counted: the case and spelling variants group by term
    assert lines["node"].tolist() == ["F.B.I.", "US", "FBI", "U.S."]
    assert lines["term"].tolist() == ["fbi", "US", "fbi", "US"]
    assert lines.groupby("term").size().to_dict() == {"US": 2, "fbi": 2}
    phrase = dc.kwic(t, "the FBI", window=1)
    assert phrase["node"].tolist() == ["The F.B.I.", "the FBI"] and phrase["term"].tolist() == ["the fbi"] * 2
    assert "<td>fbi</td>" not in lines.to_kwic_html()  # the term is no metadata column of the HTML view


# --------------------------------------------------------------------------- the house-style list
def test_house_style_list_is_a_short_editable_file(tmp_path):
    groups = house_style()
    assert set(groups) == {"honorifics", "titles", "attribution", "agencies", "furniture"}
    assert {"mr", "mrs", "ms"} <= set(groups["honorifics"]) and set(groups["attribution"]) == {"said", "says"}
    everything = house_style_terms()
    assert len(everything) == sum(map(len, groups.values())) < 60
    assert everything == dc.house_style_terms()
    mine = tmp_path / "mine.yaml"
    mine.write_text("honorifics: [mr]\nmine: [spokesperson]\n", encoding="utf-8")
    assert house_style_terms(mine) == {"mr", "spokesperson"}
    bad = tmp_path / "bad.yaml"
    bad.write_text("- mr\n", encoding="utf-8")
    with pytest.raises(ValueError, match="maps each category to a list"):
        house_style_terms(bad)


@pytest.fixture(scope="module")
def styled():
    """Two outlets telling the same story: the Times with courtesy titles and "said", the Wire without."""
    times = ["Mr. Smith said the F.B.I. agents met US officials on {}. Mrs. Jones said talks on {} went well. "
             "Ms. Lee said the border plan is firm.",
             "Mr. Brown said the U.S. would act on {}. Ms. Lee said the {} vote is due. Mr. Smith said so."]
    wire = ["Smith told reporters the FBI agents met U.S. officials on {}. Jones called talks on {} a success. "
            "Lee described the border plan as firm.",
            "Brown warned the US would act on {}. Lee expects the {} vote. Smith agreed."]
    topics = ["trade", "tariffs", "migration", "energy", "security", "health", "budget", "climate", "housing",
              "taxes"]
    records = []
    for outlet, texts in (("Times", times), ("Wire", wire)):
        for i, topic in enumerate(topics):
            records.append({"id": f"{outlet}{i}", "outlet": outlet,
                            "text": texts[i % 2].format(topic, topics[(i + 3) % len(topics)])})
    return dc.tokenize(dc.Corpus.from_records(records))


def test_topic_model_default_vocabulary_leaves_out_house_style(styled):
    default = dc.prepare_corpus(styled, min_df=1, max_df=1.0)
    vocab = set(default.vocab)
    assert not {"mr", "ms", "mrs", "said"} & vocab
    assert {"US", "fbi", "officials", "border"} <= vocab       # the acronym is no stop word
    assert default.params["stopwords"] == "english+house_style"
    assert default.params["n_stopwords"] == len(dc.english_stopwords() | house_style_terms())
    english = set(dc.prepare_corpus(styled, min_df=1, max_df=1.0, stopwords="english").vocab)
    assert {"mr", "ms", "mrs", "said"} <= english and english - vocab == {"mr", "ms", "mrs", "said"}


def test_keyness_set_aside_leaves_the_statistics_alone(styled):
    full = dc.keyness(styled, "Times", keep="all")
    aside = dc.keyness(styled, "Times", keep="all", set_aside="house_style")
    assert {"mr", "ms", "mrs", "said"} <= set(full["term"])
    assert not set(aside["term"]) & house_style_terms()
    # the other rows are exactly those of the call without set_aside: counts, p-values, their adjustment
    expected = full[~full["term"].isin(house_style_terms())].reset_index(drop=True)
    pd.testing.assert_frame_equal(aside, expected)
    assert aside.attrs["set_aside"]["list"] == "house_style"
    assert aside.attrs["set_aside"]["rows"] == len(full) - len(aside) == 4
    assert full.attrs["set_aside"] is None
    # the house-style terms lead the keyword list of the Times without set_aside
    top = dc.keyness(styled, "Times")
    assert top["term"].tolist() == ["said", "mr", "is", "ms"]  # three of the four keywords are house style
    listing = dc.keyness(styled, "Times", set_aside="house_style")
    assert listing["term"].tolist() == ["is"]
    pd.testing.assert_frame_equal(listing, top[top["term"] == "is"].reset_index(drop=True))
    paragraph, _ = dc.methods_paragraph([aside], tokens=styled)
    assert "set aside from the listing (4 rows) but kept in the counts" in paragraph
    assert "dotted acronyms folded" in paragraph and "US \u2260 us" in paragraph
    with pytest.raises(ValueError, match="set_aside must be one of"):
        dc.keyness(styled, "Times", set_aside="house")


def test_collocates_set_aside_keeps_ranks_of_a_listing_and_statistics(styled):
    full = collocates(styled, "Smith", min_freq=1, min_coll_freq=1)
    aside = collocates(styled, "Smith", min_freq=1, min_coll_freq=1, set_aside="house_style")
    assert {"mr", "said"} <= set(full["collocate"]) and not {"mr", "said"} & set(aside["collocate"])
    cols = ["freq", "coll_freq", "node_freq", "window_tokens", "expected", "mi", "log_likelihood", "log_dice"]
    kept = full[~full["collocate"].isin(house_style_terms())].set_index("collocate")[cols]
    pd.testing.assert_frame_equal(aside.set_index("collocate")[cols], kept)
    assert aside["rank"].tolist() == list(range(1, len(aside) + 1))   # ranks of the listing
    assert aside.attrs["set_aside"]["rows"] == len(full) - len(aside)
    # a custom list: "US" with capitals sets aside the acronym only, never the pronoun
    us = collocates(styled, "officials", min_freq=1, min_coll_freq=1, set_aside=["US"])
    assert "US" not in set(us["collocate"]) and us.attrs["set_aside"] == {"list": "custom", "terms": ["US"],
                                                                         "rows": 1}
    comp_full = compare_collocates(styled, "Smith", groups=("Times", "Wire"), min_coll_freq=1)
    comp = compare_collocates(styled, "Smith", groups=("Times", "Wire"), min_coll_freq=1, set_aside="house_style")
    assert "said" in set(comp_full["collocate"]) and "said" not in set(comp["collocate"])
    expected = comp_full[~comp_full["collocate"].isin(house_style_terms())].reset_index(drop=True)
    pd.testing.assert_frame_equal(comp.reset_index(drop=True), expected, check_frame_type=False)
    assert "set aside from the listing" in dc.methods_paragraph([comp])[0]


def test_lowercase_entries_match_every_case_variant():
    t = dc.tokenize(["Mr Smith said so. MR Brown said no."], lowercase=False)
    res = collocates(t, "Smith", min_freq=1, min_coll_freq=1, set_aside=["mr", "said"])
    assert not {"Mr", "said"} & set(res["collocate"])
    assert np.isin(["Mr", "said"], collocates(t, "Smith", min_freq=1, min_coll_freq=1)["collocate"]).all()
