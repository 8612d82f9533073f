"""Tests of concordances (discourse.kwic): lines, sorting, filters, sampling, escaping."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from nltk.text import ConcordanceIndex

import discourse as dc
from discourse.kwic import Concordance, kwic

RUSSIA = ["Russia", "Russian", "Moscow", "Kremlin", "Putin"]


def test_lines_against_nltk_concordance_index(synth):
    # NLTK's ConcordanceIndex over each document's word list gives the node offsets; the
    # context words of our line are the counted tokens around it (punctuation aside).
    word = synth.vocab[synth.ids[50]]
    res = kwic(synth, word, window=4)
    expected = []
    for d, toks in enumerate(synth):
        expected += [(synth.doc_ids[d], off) for off in ConcordanceIndex(toks).offsets(word)]
    assert list(zip(res["doc_id"], res["position"])) == expected
    for _, row in res.head(20).iterrows():
        d = synth.doc_ids.index(row["doc_id"])
        toks, p = synth.doc_tokens(d), row["position"]
        assert synth.texts[d][row["start"]:row["end"]].lower() == word
        assert row["left"].lower().replace(",", "").replace(".", "").replace("?", "").split() == toks[max(0, p - 4):p]
        assert row["right"].lower().replace(",", "").replace(".", "").replace("?", "").split() == toks[p + 1:p + 5]


def test_sample_lines_show_text_as_written(sample):
    res = kwic(sample, "Russia's", by="outlet")
    assert list(res.columns) == ["doc_id", "group", "left", "node", "right", "term", "position", "start", "end"]
    # the integers are held as int32 while lines are joined (kwic_lines.join_lines): the columns are int64
    assert [str(res[c].dtype) for c in ("position", "start", "end")] == ["int64"] * 3
    assert (res["end"] > res["start"]).all()
    assert res["node"].str.replace("\u2019", "'").eq("Russia's").all()
    rt = res[res.group == "RT"].iloc[0]
    assert rt["left"].endswith("to discuss") and rt["right"].startswith("concerns about NATO")


@pytest.mark.parametrize("keys", ["R1", ["L1", "L2"], ["node", "R2"]])
def test_sort_by_context_positions(sample, keys):
    res = kwic(sample, RUSSIA, sort=keys, by="outlet")
    vocab = sample.vocab.to_numpy()

    def term(row, key):
        d = sample.doc_ids.index(row["doc_id"])
        toks = list(vocab[sample.ids[sample.doc_ptr[d]:sample.doc_ptr[d + 1]]])
        p = row["position"]
        if key == "node":
            return toks[p]
        k = int(key[1:])
        q = p - k if key[0] == "L" else p + k
        return toks[q] if (0 <= q < len(toks) and abs(q - p) <= 5) else ""

    keys = [keys] if isinstance(keys, str) else keys
    got = [(r["group"], *[term(r, k) for k in keys], sample.doc_ptr[sample.doc_ids.index(r["doc_id"])] + r["position"])
           for _, r in res.iterrows()]
    assert got == sorted(got)


def test_filter_and_seeded_sample(synth):
    full = kwic(synth, "the", where={"outlet": ["Outlet A", "Outlet B"]}, by="outlet")
    assert set(full["group"]) == {"Outlet A", "Outlet B"}
    assert len(full) == len(kwic(synth, "the", where="outlet != 'Outlet C'"))
    one = kwic(synth, "the", where={"outlet": ["Outlet A", "Outlet B"]}, by="outlet", sample=25, seed=7)
    again = kwic(synth, "the", where={"outlet": ["Outlet A", "Outlet B"]}, by="outlet", sample=25, seed=7)
    other = kwic(synth, "the", where={"outlet": ["Outlet A", "Outlet B"]}, by="outlet", sample=25, seed=8)
    pd.testing.assert_frame_equal(one, again)
    assert len(one) == 25 and not one.equals(other)
    key = ["doc_id", "position"]
    assert set(map(tuple, one[key].to_numpy())) <= set(map(tuple, full[key].to_numpy()))
    assert one.attrs["seed"] == 7 and one.attrs["hits"] == len(full) and "seed 7" in one.attrs["note"]


def test_sentence_bounded_context(synth):
    res = kwic(synth, "the", window=8, sentence=True)
    for _, row in res.head(30).iterrows():
        d = synth.doc_ids.index(row["doc_id"])
        p = synth.doc_ptr[d] + row["position"]
        n_left, n_right = len(row["left"].split()), len(row["right"].split())
        sents = synth.sent[p - n_left:p + n_right + 1]
        assert (sents == synth.sent[p]).all()
        assert "." not in row["left"] and "?" not in row["left"]


def test_html_escapes_untrusted_text():
    records = [{"id": "d1", "outlet": "<i>Evil</i> News", "title": "t",
                "text": "Before <script>alert('x')</script> the Kremlin said <b>no</b> & left."}]
    tokens = dc.tokenize(dc.Corpus.from_records(records))
    res = kwic(tokens, "kremlin", window=6, by="outlet")
    out = res._repr_html_()
    assert "<script>" not in out and "<b>no</b>" not in out and "<i>Evil</i>" not in out
    assert "&lt;script&gt;" in out and "&lt;b&gt;no&lt;/b&gt;" in out and "&lt;i&gt;Evil&lt;/i&gt;" in out
    assert "<mark><b>Kremlin</b></mark>" in out
    assert isinstance(res, Concordance) and isinstance(res[res.group != ""], Concordance)


def test_metadata_replaced_after_a_query_is_read_again():
    tokens = dc.load_sample()
    assert set(kwic(tokens, "nato", by="outlet")["group"]) == {"RT", "TFI Post"}
    tokens.metadata["outlet"] = ["A", "B"]
    assert set(kwic(tokens, "nato", by="outlet")["group"]) == {"A", "B"}


def test_empty_result_and_validation(sample):
    res = kwic(sample, "xylophone")
    assert len(res) == 0 and "left" in res.columns
    assert isinstance(res._repr_html_(), str)
    with pytest.raises(ValueError, match="sort"):
        kwic(sample, "russia", sort="X3")
    with pytest.raises(ValueError):
        kwic(sample, "russia", window=-1)
    with pytest.raises(KeyError):
        kwic(sample, "russia", by="nope")
    with pytest.raises(KeyError):
        kwic(sample, "russia", where={"nope": 1})


def test_lines_behind_a_collocate(sample):
    # the evidence for "aggression" as a collocate of the Russia group (corpus facts of the brief):
    # at distance +1 in TFI Post ("confronting Russian aggression"), +4 in RT ("warned Moscow that
    # any military aggression")
    near3 = kwic(sample, RUSSIA, by="outlet", near="aggression", near_window=3)
    assert list(zip(near3["group"], near3["node"])) == [("TFI Post", "Russian")]
    near5 = kwic(sample, RUSSIA, by="outlet", near="aggression", near_window=(0, 5))
    assert list(zip(near5["group"], near5["node"])) == [("RT", "Moscow"), ("TFI Post", "Russian")]
    assert near5.attrs["near"] == "aggression" and near5.attrs["hits"] == 2
    assert len(kwic(sample, RUSSIA, near="aggression", near_window=(5, 0))) == 0
    concerns = kwic(sample, RUSSIA, by="outlet", near="concerns", near_window=3)
    assert concerns["group"].tolist() == ["RT"] and concerns["right"].iloc[0].startswith("’s concerns")


def test_phrase_node_spans_its_tokens(sample):
    res = kwic(sample, "military aggression", window=3)
    assert len(res) == 2
    assert res["node"].str.lower().eq("military aggression").all()
    assert np.array_equal(res["end"] - res["start"], [len("military aggression")] * 2)


def test_one_grouping_column_name_across_results(sample, synth):
    # frequencies, collocates, ngrams, query_positions and kwic all call the by= value "group"
    from discourse.kwic import query_positions

    results = [dc.frequencies(sample, by="outlet"), dc.dispersion(sample, by="outlet"),
               dc.collocates(sample, RUSSIA, by="outlet", min_freq=1),
               dc.ngrams(sample, 2, by="outlet"), query_positions(sample, RUSSIA, by="outlet"),
               kwic(sample, RUSSIA, by="outlet")]
    for res in results:
        assert "group" in res.columns and "outlet" not in res.columns, res.attrs["analysis"]
        assert set(res["group"]) == {"RT", "TFI Post"} and res.attrs["by"] == "outlet"
    lines = kwic(synth, "the", by="month", show=["outlet", "title"])
    assert list(lines.columns[:4]) == ["doc_id", "group", "outlet", "title"]
    months = dc.group_labels(synth.metadata, "month")
    assert (lines["group"].to_numpy() == months.loc[lines["doc_id"]].to_numpy()).all()
    assert lines["group"].is_monotonic_increasing  # lines are grouped
    assert (lines["outlet"].to_numpy() == synth.metadata["outlet"].loc[lines["doc_id"]].to_numpy()).all()
    with pytest.raises(TypeError, match="show="):
        kwic(sample, "russia", by=["outlet", "title"])
    with pytest.raises(KeyError, match="no metadata column"):
        kwic(sample, "russia", show="colour")


def test_a_sample_larger_than_the_hits_is_not_called_a_sample(sample):
    lines = kwic(sample, RUSSIA, by="outlet", sample=40, seed=0)
    assert lines.attrs["hits"] == lines.attrs["lines"] == len(lines) == 35
    assert lines.attrs["sampled"] is False and "sample" not in lines.attrs["note"]
    drawn = kwic(sample, RUSSIA, by="outlet", sample=10, seed=0)
    assert drawn.attrs["sampled"] is True and drawn.attrs["lines"] == 10 and "random sample" in drawn.attrs["note"]
