"""Frequency tables by metadata group, checked by hand and against the token stream."""
import numpy as np
import pandas as pd
import pytest

import discourse as dc


def _tiny():
    corpus = dc.Corpus(
        ["NATO talks. NATO allies.", "Russia talks.", "NATO and Russia", "Moscow"],
        pd.DataFrame({"outlet": ["A", "A", "B", None]}, index=["d1", "d2", "d3", "d4"]))
    return dc.tokenize(corpus)


def test_frequency_columns_by_hand():
    f = dc.frequencies(_tiny(), by="outlet").set_index(["group", "term"])
    # outlet A: 6 tokens (nato talks nato allies russia talks), 2 documents
    assert f.loc[("A", "nato"), "freq"] == 2
    assert f.loc[("A", "nato"), "per_million"] == 2 / 6 * 1e6
    assert f.loc[("A", "talks"), "doc_freq"] == 2 and f.loc[("A", "talks"), "range"] == 1.0
    assert f.loc[("A", "nato"), "doc_freq"] == 1 and f.loc[("A", "nato"), "range"] == 0.5
    assert f.loc[("B", "and"), "per_million"] == 1 / 3 * 1e6
    # the document with no outlet is in no group; ranks share the lowest rank on ties
    assert "moscow" not in f.index.get_level_values("term")
    assert f.loc[("A", "nato"), "rank"] == 1 and f.loc[("A", "talks"), "rank"] == 1
    assert f.loc[("A", "allies"), "rank"] == 3


def test_ungrouped_table_sums_to_the_stream():
    t = dc.load_sample()
    f = dc.frequencies(t)
    assert f["freq"].sum() == t.n_tokens
    counts = np.bincount(t.ids, minlength=len(t.vocab))
    assert dict(zip(f["term"], f["freq"])) == {t.vocab[i]: int(c) for i, c in enumerate(counts) if c}
    assert f.attrs["by"] is None and f.attrs["tokenizer"]["possessives"] == "split"


def test_grouped_table_options_and_attrs():
    t = dc.load_sample()
    f = dc.frequencies(t, by="outlet", top=5)
    assert set(f["group"]) == {"RT", "TFI Post"}
    assert (f.groupby("group")["rank"].max() <= 5).all()
    assert f.attrs["group_documents"] == {"RT": 1, "TFI Post": 1}
    rt_tokens = f.attrs["group_tokens"]["RT"]
    assert rt_tokens == int(t.dtm[t.doc_ids.index("rt_2021-12-10_nato_biden")].sum())
    g = dc.frequencies(t, by="outlet", terms=["russia", "moscow"], min_freq=2)
    assert set(g["term"]) <= {"russia", "moscow"} and (g["freq"] >= 2).all()
    assert len(g) == 4


def test_grouping_by_a_period_of_date_works_for_every_analysis():
    corpus = dc.Corpus(
        ["NATO talks.", "NATO allies.", "Russia talks.", "Moscow"],
        pd.DataFrame({"outlet": ["A", "A", "B", "B"], "date": ["2021-12-10", "2021-12-30", "2022-01-05", None]},
                     index=["d1", "d2", "d3", "d4"]))
    t = dc.tokenize(corpus)
    f = dc.frequencies(t, by="month").set_index(["group", "term"])
    assert set(f.index.get_level_values("group")) == {"2021-12", "2022-01"}  # undated d4 is in no group
    assert f.loc[("2021-12", "nato"), "freq"] == 2 and f.loc[("2022-01", "talks"), "doc_freq"] == 1
    with pytest.warns(UserWarning, match="need at least 2 documents per side"):
        k = dc.keyness(t, target="2021-12", reference="2022-01", by="month", keep="all")
    assert set(k["term"]) >= {"nato", "talks"}
    assert dc.group_labels(t.metadata, "year").tolist()[:3] == ["2021", "2021", "2022"]
