"""``read_corpus(..., dedup=None)``: news-archive exports are de-duplicated on reading, other input is not.

Checked on the bundled synthetic exports (:mod:`discourse.datasets.archives`, with planted exact
duplicates, versions and syndicated copies) against the independent route of reading every document
(``dedup=False``) and running :func:`discourse.dedup` on its default tokens.
"""
import hashlib
import json
import pickle
import warnings

import pandas as pd
import pytest

import discourse as dc
from discourse.cli import main
from discourse.datasets.archives import PLANTED, write_news_exports
from discourse.readers.dedup_step import NEWS_FORMATS, news_export_count

AUDIT_COLUMNS = ["cluster", "doc_id", "outlet", "kind", "action", "reference", "similarity", "jaccard", "tokens",
                 "syndicated", "wire"]


def _read(path, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dc.DiscourseReadWarning)  # the skipped abstracts are asserted via the report
        return dc.read_corpus(path, **kw)


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    folder = write_news_exports(tmp_path_factory.mktemp("exports"))
    return folder, _read(folder, outlets=True), _read(folder, outlets=True, dedup=False)


def test_news_exports_are_deduplicated_on_reading(exports):
    _, corpus, every = exports
    result = corpus.dedup
    assert result is not None and list(result.audit.columns) == AUDIT_COLUMNS
    assert result.summary() == "18 documents read, 16 kept, 2 removed (1 exact, 1 version), 3 syndicated"
    # the independent route: every document read, tokenized with the defaults, dc.dedup
    expected = dc.dedup(dc.tokenize(every))
    pd.testing.assert_frame_equal(result.audit, expected.audit)
    assert corpus.ids == list(expected.tokens.metadata.index)   # the kept documents, in the order read
    assert corpus.ids == [i for i in every.ids if i in set(corpus.ids)]
    assert list(corpus.texts) == [every[i].text for i in corpus.ids]
    for column in ("syndicated", "wire", "dup_cluster"):
        assert corpus.metadata[column].tolist() == expected.tokens.metadata[column].tolist()
    assert corpus.metadata["syndicated"].sum() == 3 and corpus.metadata["dup_cluster"].dtype == "Int64"
    # the planted exact duplicate and the older version are gone; the syndicated copies are kept, marked
    removed = set(every.ids) - set(corpus.ids)
    assert len(removed) == 2
    assert set(result.audit.loc[result.audit.action == "removed", "kind"]) == {"exact", "version"}
    assert len(PLANTED["syndicated"]) == int(corpus.metadata["syndicated"].sum())


def test_reconciliation_given_read_kept_removed(exports):
    _, corpus, every = exports
    rec = corpus.dedup.reconciliation.set_index(["stage", "kind"])["documents"]
    frame = corpus.report.frame
    n_read, n_skipped = int((frame.action == "read").sum()), int((frame.action == "skipped").sum())
    assert rec[("read", "")] == n_read == len(every) == 18   # documents read = those the read report read
    assert rec[("kept", "")] == len(corpus) == 16
    assert rec[("read", "")] == rec[("kept", "")] + rec.xs("removed").sum()
    assert n_read + n_skipped == len(frame[frame.action != "warning"]) == 21   # given = read + skipped
    params = corpus.params["dedup"]
    assert params["documents_read"] == params["documents_kept"] + sum(params["removed"].values())
    assert params["removed"] == {"exact": 1, "near": 0, "version": 1, "syndicated": 0}
    assert params["mode"] == "auto: news-archive exports (18 of 18 documents)" and params["options"] == {}
    assert (params["threshold"], params["shingle"], params["seed"], params["keep"]) == (0.8, 5, 1, "first")
    json.dumps(params)   # recorded as plain values (as a params sidecar writes them)
    assert corpus.report.notes[-1] == ("de-duplicated: 18 documents read, 16 kept, 2 removed (1 exact, 1 version), "
                                       "3 syndicated; auto: news-archive exports (18 of 18 documents)")


def _digests(corpus):
    """A hash of each document's token sequence (the default tokenizer), by document id."""
    t = dc.tokenize(corpus)
    return pd.Series([hashlib.sha256(t.ids[t.doc_ptr[d]:t.doc_ptr[d + 1]].tobytes()).hexdigest()
                      for d in range(len(t.doc_ptr) - 1)], index=corpus.ids)


def test_kept_corpus_has_no_exact_duplicate_texts(exports):
    folder, corpus, every = exports
    assert _digests(every).duplicated().sum() == 3   # planted: the exact copy, and the AP story run by 3 outlets
    kept = _digests(corpus)
    meta = corpus.metadata
    assert not kept.groupby(meta["outlet"]).apply(lambda d: d.duplicated().any()).any()   # none within an outlet
    copies = kept.duplicated(keep=False)   # across outlets: only the syndicated copies, kept and marked
    assert copies.sum() == 3 and meta.loc[copies[copies].index, "syndicated"].all()
    once = _read(folder, dedup={"syndicated": "remove"})   # syndicated copy kept once overall
    assert not _digests(once).duplicated().any() and len(once) == 14
    assert len(set(once.texts)) == len(once)


def test_read_warning_unchanged_and_no_new_warning(exports):
    folder = exports[0]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        dc.read_corpus(folder, outlets=True)
    assert [type(w.message) for w in caught] == [dc.DiscourseReadWarning]
    assert str(caught[0].message).startswith("18 documents read, 3 skipped, 0 warnings (see corpus.report)")


def test_dedup_false_keeps_every_document(exports):
    _, corpus, every = exports
    assert len(every) == 18 and every.dedup is None and "dedup" not in every.params
    assert every.report.notes[-1] == "not de-duplicated: dedup=False"
    assert "syndicated" not in every.metadata.columns


def test_a_dict_passes_options_to_dedup(exports):
    folder = exports[0]
    marked = _read(folder, dedup={"keep": "all", "versions": "all"})   # keep everything, mark the copies
    assert len(marked) == 18 and (marked.dedup.audit["action"] != "removed").all()
    assert marked.dedup.audit.attrs["marked"] > 0 and marked.params["dedup"]["options"] == {"keep": "all",
                                                                                            "versions": "all"}
    assert marked.metadata["dup_cluster"].notna().sum() == len(marked.dedup.audit) == 7
    assert marked.report.notes[-1].endswith("; dedup={'keep': 'all', 'versions': 'all'}")
    # versions still "latest": the older version goes, and so does the exact copy (same headline: a version too)
    keep_all = _read(folder, dedup={"keep": "all"})
    assert keep_all.dedup.audit.attrs["keep"] == "all" and keep_all.dedup.audit.attrs["versions"] == "latest"
    assert len(keep_all) == 16 and keep_all.dedup.audit.attrs["marked"] == 3   # the syndicated copies
    low = _read(folder, dedup={"threshold": 0.5, "seed": 3})
    assert (low.params["dedup"]["threshold"], low.params["dedup"]["seed"]) == (0.5, 3)


@pytest.mark.parametrize("value, message", [
    ("x", "dedup must be None (auto), True, False or a dict of discourse.dedup options, not 'x'"),
    (1, "dedup must be None (auto), True, False or a dict of discourse.dedup options, not 1"),
    ({"thresh": 0.7}, "unknown dedup option ['thresh']; choose from ['threshold'"),
    ({"threshold": 2}, "threshold must lie strictly between 0 and 1, not 2"),
])
def test_bad_dedup_values_are_refused(exports, value, message):
    with pytest.raises(ValueError) as err:
        _read(exports[0], dedup=value)
    assert str(err.value).startswith(message)


def test_the_result_keeps_no_tokens_but_everything_else(exports):
    _, corpus, _ = exports
    result = corpus.dedup
    assert result.source is None
    with pytest.raises(ValueError, match=r"keeps no tokens .*tokenize the corpus for them, dc.tokenize\(corpus\)"):
        result.tokens
    assert len(result.documents) == 18 and result.kept.sum() == 16
    share = result.syndication_share("outlet")
    assert share.set_index("outlet").loc["(all)", "syndicated_documents"] == 3


def test_the_attribute_survives_selection_cleaning_and_pickling(exports):
    _, corpus, _ = exports
    subset = corpus.select(outlet="Fox News")
    assert subset.dedup is corpus.dedup and len(subset) < len(corpus)   # documented: how the corpus was read
    assert corpus.take([0, 1]).dedup is corpus.dedup
    assert corpus.take(corpus.metadata["syndicated"].to_numpy()).ids == list(
        corpus.metadata.index[corpus.metadata["syndicated"]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert dc.clean(corpus).dedup is corpus.dedup
    back = pickle.loads(pickle.dumps(corpus))
    assert back.dedup.summary() == corpus.dedup.summary() and back.ids == corpus.ids
    pd.testing.assert_frame_equal(back.dedup.audit, corpus.dedup.audit)


def test_summary_and_html_show_the_dedup_line(exports):
    _, corpus, every = exports
    line = "de-duplicated on reading: 18 documents read, 16 kept, 2 removed (1 exact, 1 version), 3 syndicated"
    assert corpus.summary().endswith("; " + line) and line in corpus._repr_html_()
    assert "de-duplicated" not in every.summary() and "de-duplicated on reading" not in every._repr_html_()


def test_methods_paragraph_states_the_dedup_of_reading(exports):
    _, corpus, _ = exports
    tokens = dc.tokenize(corpus)
    assert tokens.params["dedup"] == corpus.params["dedup"]
    sentence = "Of 18 documents read, 16 were kept and 2 removed (1 exact duplicates, 0 near duplicates"
    for text, refs in (dc.methods_paragraph(tokens=tokens), dc.methods_paragraph(corpus=corpus),
                       dc.methods_paragraph([corpus.dedup.audit], tokens=tokens, corpus=corpus)):
        assert text.count(sentence) == 1 and any("Broder" in r for r in refs)
    prov = dc.provenance({"seed": 0}, results=[dc.frequencies(tokens)], tokens=tokens, corpus=corpus)
    assert sentence in prov.methods


def test_plain_input_is_read_as_before(tmp_path):
    table = pd.DataFrame({"id": ["a", "b", "c"], "outlet": ["RT", "RT", "TFI Post"],
                          "text": ["The same text twice.", "The same text twice.", "Another text."]})
    path = tmp_path / "news.csv"
    table.to_csv(path, index=False)
    auto = dc.read_corpus(path)
    assert auto.dedup is None and auto.ids == ["a", "b", "c"] and "dedup" not in auto.params
    assert auto.report.notes == [] and list(auto.metadata.columns) == ["outlet"]
    assert not auto.summary().count("de-duplicated")
    forced = dc.read_corpus(path, dedup=True)   # on request: the exact copy goes
    assert forced.ids == ["a", "c"] and forced.dedup.audit.attrs["removed"]["exact"] == 1
    assert forced.report.notes[-1].endswith("; dedup=True")
    sample = dc.read_corpus(dc.sample_corpus_path())   # the sample folder: no news-archive export, nothing changes
    assert sample.dedup is None and "dedup" not in sample.params and len(sample) == 2
    assert not any("dedup" in n for n in sample.report.notes)


def test_a_table_written_from_exports_is_not_deduplicated_again(exports, tmp_path):
    _, corpus, _ = exports
    frame = corpus.metadata.reset_index().rename(columns={"doc_id": "id"}).assign(text=list(corpus.texts))
    path = tmp_path / "kept.jsonl"
    frame.drop(columns=["dup_cluster"]).to_json(path, orient="records", lines=True)
    again = _read(path)
    assert news_export_count(again) == len(again) == 16 and again.dedup is None
    assert again.report.notes[-1].startswith("not de-duplicated: auto: a jsonl table whose source_format names "
                                             "news archives (16 documents)")


def test_news_formats_cover_what_the_readers_write():
    assert {f.split("-")[0] for f in ("nexis-docx", "nexis-rtf", "nexis-txt", "factiva-rtf", "factiva-html",
                                      "proquest-txt", "mediacloud-csv", "gdelt-csv", "newsapi-json")} \
        == set(NEWS_FORMATS)


def test_the_dedup_subcommand_audits_every_document_read(exports, tmp_path):
    audit_path = tmp_path / "audit.csv"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert main(["dedup", str(exports[0]), "-o", str(audit_path), "-q"]) == 0
    params = json.loads((tmp_path / "audit.params.json").read_text(encoding="utf-8"))
    assert params["documents_read"] == 18 and params["documents_kept"] == 16   # not de-duplicated on reading first
