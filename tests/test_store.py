"""The on-disk store: what it holds equals the in-memory tokens; open, fingerprint, options, append, bad input."""
import json
import time
import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

import discourse as dc
from discourse.cleaning import detections
from discourse.datasets import make_news_corpus
from discourse.partitions import SplitTokens, is_partitioned, map_partitions, stacked_columns
from discourse.token_counter import TokenCounter, concat_batches


@pytest.fixture(scope="module")
def news():
    """A synthetic three-outlet corpus as read, and its cleaned tokens in memory."""
    corpus = dc.Corpus.from_records(make_news_corpus(30_000, seed=3).records)
    return corpus, dc.tokenize(dc.clean(corpus))


@pytest.fixture(scope="module")
def news_store(news, tmp_path_factory):
    return dc.build_store(news[0], tmp_path_factory.mktemp("store") / "news.store", partition_docs=7)


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory):
    return dc.build_store(dc.sample_corpus_path(), tmp_path_factory.mktemp("store") / "sample.store",
                          partition_docs=1)


def reassembled(store):
    """The store's partitions put back together: the arrays of one in-memory Tokens."""
    parts = [store.partition(k) for k in range(store.n_partitions)]
    cat = (lambda name: np.concatenate([np.asarray(getattr(p, name)) for p in parts]))
    doc_ptr = np.r_[0, np.cumsum(np.concatenate([p.doc_lengths for p in parts]))]
    return {"ids": cat("ids"), "sent": cat("sent"), "starts": cat("starts"), "ends": cat("ends"), "doc_ptr": doc_ptr,
            "dtm": sp.vstack([p.dtm for p in parts], format="csr"), "texts": [t for p in parts for t in p.texts],
            "metadata": pd.concat([p.metadata for p in parts]), "reasons": np.vstack([p.reason_counts for p in parts])}


def assert_store_equals(store, tokens, skip_params=()):
    got = reassembled(store)
    for name in ("ids", "sent", "starts", "ends", "doc_ptr"):
        assert np.array_equal(got[name], getattr(tokens, name)), name
    assert got["dtm"].shape == tokens.dtm.shape and (got["dtm"] != tokens.dtm).nnz == 0
    assert got["texts"] == list(tokens.texts)
    assert np.array_equal(got["reasons"], tokens.reason_counts)
    pd.testing.assert_frame_equal(got["metadata"], tokens.metadata)
    pd.testing.assert_frame_equal(store.metadata, tokens.metadata)
    assert store.vocab.equals(tokens.vocab) and store.vocab.dtype == tokens.vocab.dtype
    pd.testing.assert_frame_equal(store.types, tokens.types)
    pd.testing.assert_frame_equal(store.reconciliation, tokens.reconciliation)
    if tokens.audit is None:
        assert store.audit is None
    else:
        pd.testing.assert_frame_equal(store.audit, tokens.audit)
    assert {k: v for k, v in store.params.items() if k not in skip_params} == \
        {k: v for k, v in tokens.params.items() if k not in skip_params}
    assert np.array_equal(store.doc_ptr, tokens.doc_ptr) and store.n_tokens == tokens.n_tokens
    assert store.doc_ids == tokens.doc_ids


def test_store_holds_the_in_memory_tokens_of_a_synthetic_corpus(news, news_store):
    corpus, tokens = news
    assert news_store.n_partitions == 8 and list(np.diff(news_store.bounds)) == [7] * 7 + [1]
    assert tokens.audit is not None and len(tokens.audit)  # cleaning removed something: the audit is compared
    assert_store_equals(news_store, tokens)
    assert is_partitioned(news_store)


def test_store_of_the_sample_read_from_its_path(sample_store, sample):
    assert_store_equals(sample_store, sample)
    assert sample_store.manifest_hash() == sample.manifest_hash()
    pd.testing.assert_frame_equal(sample_store.report.frame, sample._corpus.report.frame)
    assert sample_store.report.notes == sample._corpus.report.notes


def test_analyses_on_the_store_equal_in_memory(news, news_store):
    _, tokens = news
    assert dc.frequencies(news_store, by="outlet").equals(dc.frequencies(tokens, by="outlet"))
    assert dc.frequencies(news_store).equals(dc.frequencies(tokens))
    cols = [tokens.term_id("the"), 5, 17]
    assert (stacked_columns(news_store, cols) != tokens.dtm[:, cols]).nnz == 0
    firsts = map_partitions(news_store, _first)
    assert firsts == [(int(b), int(n)) for b, n in zip(news_store.bounds[:-1], np.diff(news_store.bounds))]
    assert news_store.map(_first, partitions=[2, 0, 2]) == [firsts[0], firsts[2]]  # in partition order, once each


def _first(part, first):
    return first, part.n_docs


def test_inverted_index_names_the_partitions_and_positions_of_a_term(news, news_store):
    _, tokens = news
    split = SplitTokens(tokens, bounds=news_store.bounds)
    for term in ("the", tokens.vocab[100], tokens.vocab[-1]):
        t = tokens.term_id(term)
        assert list(news_store.term_partitions([t])) == list(split.term_partitions([t]))
        for k in news_store.term_partitions([t]):
            part = news_store.partition(k)
            assert np.array_equal(news_store.positions(k, [t]), np.flatnonzero(np.asarray(part.ids) == t))
    two = [tokens.term_id("the"), 100]
    part = news_store.partition(0)
    assert np.array_equal(news_store.positions(0, two), np.flatnonzero(np.isin(part.ids, two)))
    assert len(news_store.term_partitions([])) == 0 and len(news_store.term_partitions([-1])) == 0
    assert len(news_store.positions(0, [10 ** 9])) == 0


def test_open_is_fast_and_reads_no_partition(news_store):
    start = time.perf_counter()
    store = dc.open_store(news_store.path)
    assert time.perf_counter() - start < 1.0
    assert store.n_docs == news_store.n_docs and "8 partitions" in repr(store)
    assert "tokenization parameters" in store._repr_html_()


def test_fingerprint_and_every_option_are_recorded(news, news_store):
    corpus, tokens = news
    manifest = json.loads((news_store.path / "store.json").read_text())
    assert manifest["format"] == "discourse-store" and manifest["format_version"] == 3
    assert manifest["fingerprint"] == corpus.manifest_hash() == news_store.manifest_hash() == tokens.manifest_hash()
    # the fingerprint is recomputable from the stored raw-text digests (how an append updates it)
    from discourse.store.record import stored_digests

    digests, _ = stored_digests(news_store.path, news_store.n_partitions)
    assert dc.corpus.fingerprint(news_store.metadata, digests=digests) == corpus.manifest_hash()
    opts = manifest["options"]
    assert opts["partition_docs"] == 7 and opts["tokenize"]["lowercase"] is True
    assert opts["clean"]["min_share"] == 0.5 and opts["clean"]["profiles"] == "default"
    assert manifest["bounds"] == news_store.bounds.tolist() and manifest["n_tokens"] == tokens.n_tokens
    assert [h["action"] for h in manifest["history"]] == ["build"]


def test_tokenize_options_and_no_cleaning(news, tmp_path):
    corpus, _ = news
    store = dc.build_store(corpus, tmp_path / "s", partition_docs=20, clean=False,
                           tokenize={"stopwords": "english", "punctuation": "keep"})
    assert_store_equals(store, dc.tokenize(corpus, stopwords="english", punctuation="keep"))
    assert store.options["clean"] is False


def test_a_cleaned_corpus_is_stored_as_it_is(news, tmp_path):
    corpus, tokens = news
    cleaned = dc.clean(corpus)
    assert_store_equals(dc.build_store(cleaned, tmp_path / "s", partition_docs=11), tokens)
    with pytest.raises(ValueError, match="cleaned already"):
        dc.build_store(cleaned, tmp_path / "t", clean={"min_docs": 2})


@pytest.mark.parametrize("cut", [7, 23])
def test_append_gives_the_store_of_the_whole_corpus(news, tmp_path, cut):
    corpus, _ = news
    a, b = corpus.take(range(cut)), corpus.take(range(cut, len(corpus)))
    whole = dc.build_store(corpus, tmp_path / "whole", partition_docs=7, clean=False)
    store = dc.build_store(a, tmp_path / "parts", partition_docs=7, clean=False)
    store.append(b)
    assert store.n_docs == len(corpus) and store.history[-1]["action"] == "append"
    assert_store_equals(store, dc.tokenize(corpus))
    assert store.vocab.equals(whole.vocab)  # the same vocabulary order as a store of the whole corpus
    assert dc.frequencies(store, by="outlet").equals(dc.frequencies(whole, by="outlet"))
    assert store.manifest_hash() == corpus.manifest_hash() == whole.manifest_hash()
    reopened = dc.open_store(store.path)
    t = reopened.term_id(reopened.vocab[-1])
    assert list(reopened.term_partitions([t])) == list(whole.term_partitions([t]))


def test_a_path_is_appended_as_the_build_read_its_path(tmp_path):
    records = make_news_corpus(30_000, seed=3).records
    for name, rows in (("a.jsonl", records[:30]), ("b.jsonl", records[30:]), ("all.jsonl", records)):
        (tmp_path / name).write_text("".join(json.dumps(r) + "\n" for r in rows))
    store = dc.build_store(tmp_path / "a.jsonl", tmp_path / "s", read={"dedup": True}, clean=False, partition_docs=9)
    assert store.options["read"] == {"dedup": True} and store.options["read_params"]["format"] == "jsonl"
    store.append(tmp_path / "b.jsonl")  # read with dedup=True too: the same metadata columns
    whole = dc.tokenize(dc.read_corpus(tmp_path / "all.jsonl", dedup=True))
    # the read de-duplication params are those of the build's reading (A), the rest that of the whole
    assert_store_equals(store, whole, skip_params=("dedup",))
    assert store.manifest_hash() == whole.manifest_hash()
    assert store.params["dedup"]["documents_read"] == 30
    assert len(store.report.frame) == 50 and sum("de-duplicated" in n for n in store.report.notes) == 2


def test_append_cleans_with_the_detections_of_the_build(news, tmp_path):
    corpus, _ = news
    a, b = corpus.take(range(30)), corpus.take(range(30, len(corpus)))
    store = dc.build_store(a, tmp_path / "s", partition_docs=10)
    lines, patterns = detections(a)
    store.append(b)
    cleaned_b = dc.clean(b, recurring=lines, boilerplate=patterns if patterns is not None else False)
    texts = [t for k in range(store.n_partitions) for t in store.partition(k).texts]
    assert texts[30:] == list(cleaned_b.texts)
    new_audit = store.audit[store.audit.doc_id.isin(b.ids)].reset_index(drop=True)
    pd.testing.assert_frame_equal(new_audit, cleaned_b.audit)
    recon = store.reconciliation.set_index("stage")["tokens"]
    removed = store.reconciliation.loc[store.reconciliation.stage == "removed by cleaning", "tokens"].sum()
    assert recon["raw"] == removed + recon["read"]
    assert store.n_tokens == sum(store.partition(k).n_tokens for k in range(store.n_partitions))


def test_duplicate_ids_on_append_are_an_error(news, news_store, tmp_path):
    corpus, _ = news
    store = dc.build_store(corpus.take(range(10)), tmp_path / "s", clean=False)
    with pytest.raises(ValueError, match="already in the store"):
        store.append(corpus.take(range(5, 12)))
    assert store.n_docs == 10 and dc.open_store(store.path).n_docs == 10  # nothing was written
    (store.path / "partitions" / "00001").mkdir()  # as an append that failed half-way leaves it
    store.append(corpus.take(range(10, 12)))
    assert dc.open_store(store.path).n_docs == 12 and store.n_partitions == 2


def test_bad_paths_and_stores_give_clear_errors(news, news_store, tmp_path):
    corpus, _ = news
    with pytest.raises(FileExistsError, match="already exists; pass overwrite=True"):
        dc.build_store(corpus, news_store.path)
    other = tmp_path / "notes"
    other.mkdir()
    (other / "keep.txt").write_text("mine")
    with pytest.raises(FileExistsError, match="not a discourse store"):
        dc.build_store(corpus, other, overwrite=True)
    assert (other / "keep.txt").read_text() == "mine"
    with pytest.raises(ValueError, match="is not a discourse store: it has no store.json"):
        dc.open_store(other)
    with pytest.raises(ValueError, match="no such directory"):
        dc.open_store(tmp_path / "missing")
    broken = dc.build_store(corpus.take(range(4)), tmp_path / "broken", clean=False).path
    (broken / "store.json").write_text("{not json")
    with pytest.raises(ValueError, match="store.json is corrupt"):
        dc.open_store(broken)
    again = dc.build_store(corpus.take(range(4)), broken, clean=False, overwrite=True)  # a store is replaced
    assert again.n_docs == 4
    with pytest.raises(ValueError, match="partition_docs must be an integer >= 1"):
        dc.build_store(corpus, tmp_path / "x", partition_docs=0)
    with pytest.raises(TypeError, match="unknown options"):
        dc.build_store(corpus, tmp_path / "x", clean={"min_dox": 2})
    with pytest.raises(ValueError, match="possessives must be one of"):
        dc.build_store(corpus, tmp_path / "x", tokenize={"possessives": "nope"})
    assert not (tmp_path / "x").exists()


def test_token_counter_in_batches_and_restored_equals_tokenize(news):
    _, tokens = news
    texts = list(tokens.texts)
    counter = TokenCounter()
    first = [counter.add(texts[i:i + 3]) for i in range(0, 21, 3)]  # documents 0-20
    later = TokenCounter.restore(counter.state())  # as a store appending does
    rest = [later.add(texts[i:i + 5]) for i in range(21, len(texts), 5)]
    counted = concat_batches(first + rest, len(later.terms))
    assert np.array_equal(counted.ids, tokens.ids) and np.array_equal(counted.sent, tokens.sent)
    assert (counted.dtm != tokens.dtm).nnz == 0 and later.vocab.equals(tokens.vocab)
    pd.testing.assert_frame_equal(later.types, tokens.types)
    assert np.array_equal(counted.reasons, tokens.reason_counts)


def test_cleaning_in_batches_with_corpus_wide_detections_equals_cleaning_whole(news):
    corpus, _ = news
    whole = dc.clean(corpus)
    lines, patterns = detections(corpus)
    assert lines  # the synthetic outlets have recurring lines: the test would show a batch missing them
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dc.CleaningWarning)
        parts = [dc.clean(corpus.take(range(i, min(i + 9, len(corpus)))), recurring=lines, boilerplate=patterns)
                 for i in range(0, len(corpus), 9)]
    assert [t for p in parts for t in p.texts] == list(whole.texts)
    audit = pd.concat([p.audit for p in parts], ignore_index=True)
    pd.testing.assert_frame_equal(audit, whole.audit)
    assert parts[0].params["cleaning"]["recurring"] == "precomputed"


def test_the_notebook_view_escapes_the_store_name(news, tmp_path):
    store = dc.build_store(news[0].take(range(3)), tmp_path / "<b>news$", clean=False)
    html = store._repr_html_()
    assert "&lt;b&gt;news$" in html and "<b>news" not in html


def test_an_append_that_fails_leaves_the_store_as_it_was(news, tmp_path, monkeypatch):
    import discourse.store.record as record

    corpus, _ = news
    store = dc.build_store(corpus.take(range(20)), tmp_path / "s", partition_docs=7, clean=False)
    before = (len(store.vocab), store.n_partitions, len(store.report.frame))

    def fail(path, manifest):
        raise RuntimeError("disk full")

    monkeypatch.setattr(record, "write_manifest", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        store.append(corpus.take(range(20, len(corpus))))
    monkeypatch.undo()
    again = dc.open_store(store.path)
    assert (len(again.vocab), again.n_partitions, len(again.report.frame)) == before
    assert_store_equals(again, dc.tokenize(corpus.take(range(20))))
    again.append(corpus.take(range(20, len(corpus))))  # and the next append succeeds
    assert_store_equals(again, dc.tokenize(corpus))
    assert len(list(again.path.glob("tables-*"))) == 1
