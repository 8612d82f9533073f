"""Group labels: one outlet read as one group whatever its invisible characters, spaces, width or aliases."""
import json
import warnings

import pandas as pd
import pytest

import discourse as dc
from discourse.group_labels import normalise_label

# (outlet as written, a word of its text): six spellings of RT, an alias, a case variant
HOSTILE = [("RT", "alpha"), ("RT ", "beta"), (" RT", "gamma"), ("R\u200bT", "delta"), ("\uff32\uff34", "epsilon"),
           ("RT\u00a0", "zeta"), ("Fox Online News", "eta"), ("rt", "theta"), ("Fox News", "iota")]
ALIASES = {"Fox Online News": "Fox News"}


def _write(path, rows, column="outlet"):
    with open(path, "w", encoding="utf-8") as f:
        for i, (label, word) in enumerate(rows):
            f.write(json.dumps({"id": f"d{i}", column: label, "text": f"Russia said {word} about NATO."}) + "\n")
    return path


def _read(path, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # label normalisation is reported, not warned
        return dc.read_corpus(path, **kw)


@pytest.fixture
def hostile(tmp_path):
    return _write(tmp_path / "hostile.jsonl", HOSTILE)


def _groups(corpus):
    table = dc.frequencies(dc.tokenize(corpus), by="outlet", terms=["russia"])
    return table.set_index("group")["freq"].to_dict()


@pytest.mark.parametrize("raw, label", [("RT ", "RT"), (" RT", "RT"), ("R\u200bT", "RT"), ("\uff32\uff34", "RT"),
                                        ("RT\u00a0", "RT"), ("\u202eRT\u202c", "RT"), ("R\ufeffT", "RT"),
                                        ("Fox\t \u2009News", "Fox News"), ("Fox\u00adNews", "FoxNews"),
                                        ("rt", "rt"), (None, None), (3, 3)])
def test_normalise_label(raw, label):
    assert normalise_label(raw) == label


def test_hostile_outlets_are_one_group_and_case_variant_is_reported_not_merged(hostile):
    corpus = _read(hostile, aliases=ALIASES)
    assert _groups(corpus) == {"Fox News": 2, "RT": 6, "rt": 1}
    rows = corpus.report.labels.to_dict("records")
    assert rows == [
        {"column": "outlet", "variant": "RT ", "label": "RT", "documents": 1, "step": "normalised"},
        {"column": "outlet", "variant": " RT", "label": "RT", "documents": 1, "step": "normalised"},
        {"column": "outlet", "variant": "R\u200bT", "label": "RT", "documents": 1, "step": "normalised"},
        {"column": "outlet", "variant": "\uff32\uff34", "label": "RT", "documents": 1, "step": "normalised"},
        {"column": "outlet", "variant": "RT\u00a0", "label": "RT", "documents": 1, "step": "normalised"},
        {"column": "outlet", "variant": "Fox Online News", "label": "Fox News", "documents": 1, "step": "alias"},
        {"column": "outlet", "variant": "RT", "label": "RT", "documents": 6, "step": "case variant, not merged"},
        {"column": "outlet", "variant": "rt", "label": "rt", "documents": 1, "step": "case variant, not merged"}]
    assert corpus.report.notes == [
        "aliases: 'Fox Online News' -> 'Fox News'",
        "outlet: 'RT ' (1), ' RT' (1), 'R\\u200bT' (1), '\uff32\uff34' (1), 'RT\\xa0' (1) read as 'RT'",
        "outlet: 'Fox Online News' (1) read as 'Fox News'",
        "outlet: case variants 'RT' (6), 'rt' (1) kept apart (pass case_merge=True to merge them)"]
    # nothing lost: the value as read is kept beside the label
    assert corpus.metadata["outlet_raw"].tolist() == [o for o, _ in HOSTILE]
    assert corpus.metadata.columns.tolist()[:2] == ["outlet", "outlet_raw"]
    assert corpus.params["aliases"] == ALIASES and corpus.params["case_merge"] is False
    assert corpus.params["group_columns"] == ["outlet"]


def test_case_merge_merges_to_the_most_frequent_spelling(hostile):
    corpus = _read(hostile, case_merge=True)
    assert _groups(corpus) == {"Fox News": 1, "Fox Online News": 1, "RT": 7}
    case = corpus.report.labels.query("step == 'case'").to_dict("records")
    assert case == [{"column": "outlet", "variant": "rt", "label": "RT", "documents": 1, "step": "case"}]
    assert "outlet: case variants 'RT' (6), 'rt' (1) merged as 'RT' (case_merge=True)" in corpus.report.notes
    assert corpus.metadata.loc["d7", ["outlet", "outlet_raw"]].tolist() == ["RT", "rt"]
    assert corpus.params["case_merge"] is True


def test_case_merge_tie_keeps_the_first_read(tmp_path):
    corpus = _read(_write(tmp_path / "tie.jsonl", [("bbc", "a"), ("BBC", "b")]), case_merge=True)
    assert _groups(corpus) == {"bbc": 2}
    assert corpus.metadata["outlet_raw"].tolist() == ["bbc", "BBC"]


def test_alias_keys_are_normalised_and_applied_after_normalisation(tmp_path):
    rows = [("Fox\u200b Online  News ", "a"), ("Fox News", "b")]
    corpus = _read(_write(tmp_path / "a.jsonl", rows), aliases={" Fox Online News": "Fox News"})
    assert _groups(corpus) == {"Fox News": 2}
    assert corpus.report.labels.to_dict("records") == [
        {"column": "outlet", "variant": "Fox\u200b Online  News ", "label": "Fox News", "documents": 1,
         "step": "alias"}]


def test_clean_labels_are_read_exactly_as_before(tmp_path):
    corpus = _read(_write(tmp_path / "clean.jsonl", [("RT", "a"), ("BBC", "b"), ("RT", "c")]))
    assert "outlet_raw" not in corpus.metadata.columns
    assert corpus.report.labels.empty and corpus.report.notes == []
    assert corpus.metadata["outlet"].tolist() == ["RT", "BBC", "RT"]
    sample = dc.read_corpus(dc.sample_corpus_path())
    assert sample.report.labels.empty and "outlet_raw" not in sample.metadata.columns


def test_other_group_columns_and_a_renamed_outlet_column(tmp_path):
    path = tmp_path / "t.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for i, (src, party) in enumerate([("AP ", "Democratic"), ("AP", "Democratic\u200b")]):
            f.write(json.dumps({"id": str(i), "source": src, "party": party, "text": "words here"}) + "\n")
    corpus = _read(path, outlet_column="source", group_columns=["outlet", "party"])
    assert corpus.metadata[["outlet", "party"]].values.tolist() == [["AP", "Democratic"], ["AP", "Democratic"]]
    assert corpus.report.labels[["column", "variant"]].values.tolist() == [["outlet", "AP "],
                                                                          ["party", "Democratic\u200b"]]
    assert corpus.metadata["party_raw"].tolist() == ["Democratic", "Democratic\u200b"]


def test_missing_values_and_an_existing_raw_column(tmp_path):
    path = tmp_path / "m.csv"
    pd.DataFrame({"id": ["a", "b", "c"], "outlet": ["RT ", "", "RT"], "outlet_raw": ["x", "y", "z"],
                  "text": ["one text", "two text", "three text"]}).to_csv(path, index=False)
    corpus = _read(path)
    assert corpus.metadata["outlet"].tolist()[::2] == ["RT", "RT"] and pd.isna(corpus.metadata["outlet"].iloc[1])
    assert corpus.metadata["outlet_raw"].tolist() == ["x", "y", "z"]  # the user's column is left alone
    assert "outlet: values as read not kept in 'outlet_raw', a column of that name exists" in corpus.report.notes
    assert corpus.report.labels["variant"].tolist() == ["RT "]


@pytest.mark.parametrize("kw, message", [
    ({"aliases": ["Fox"]}, "aliases must be a mapping of label -> label"),
    ({"aliases": {"Fox": 3}}, "aliases must map a label to a label (both strings), not 'Fox': 3"),
    ({"case_merge": "yes"}, "case_merge must be True or False, not 'yes'"),
    ({"group_columns": 3}, "group_columns must be a column name or a list of distinct column names, not 3")])
def test_bad_options(hostile, kw, message):
    with pytest.raises(ValueError) as e:
        dc.read_corpus(hostile, **kw)
    assert message in str(e.value)


def test_a_missing_group_column_is_named(hostile):
    with pytest.raises(KeyError, match="no metadata column 'party'.*named in group_columns"):
        dc.read_corpus(hostile, group_columns=["outlet", "party"])


def test_aliases_and_case_merge_are_recorded_in_provenance(hostile):
    corpus = _read(hostile, aliases=ALIASES, case_merge=True)
    prov = dc.provenance({"by": "outlet"}, corpus=corpus)
    assert prov.parameters == {"by": "outlet", "aliases": ALIASES, "case_merge": True}
    assert dc.provenance({"by": "outlet"}, corpus=_read(hostile)).parameters == {"by": "outlet"}
