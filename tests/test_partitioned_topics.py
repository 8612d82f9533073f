"""Topic models by partitions: on any split of the corpus, the units, counts, fitted model and every table
equal those of the whole corpus in memory, and the rows reach gensim one partition at a time."""
from __future__ import annotations

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from gensim.models import LdaModel

import discourse.cluster as cluster
from discourse.partitions import SplitTokens
from discourse.topics import (choose_k, coherence, document_topics, estimate_effect, fit_lda, load_topic_model,
                              prepare_corpus, prevalence_difference, representative_documents, topic_prevalence,
                              topic_terms)
from discourse.topics.units import UnitSource, UnitStream

FIT = dict(seed=1, passes=3, chunksize=40)  # small chunks: several online updates, some across partitions


def _splits(tokens):
    """One partition, three, and three with an empty one in the middle."""
    n = tokens.n_docs
    return {"1": SplitTokens(tokens, 1), "3": SplitTokens(tokens, 3),
            "empty": SplitTokens(tokens, bounds=[0, n // 3, n // 3, n])}


@pytest.fixture(scope="module")
def corpora(sample, synth):
    return {"sample": sample, "synthetic": synth}


@pytest.fixture(scope="module")
def models(corpora):
    """(whole, {split name: model}) for each corpus, K = 3 on the sample's paragraphs, K = 4 on the synthetic."""
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # small corpora: the size warnings are tested elsewhere
        for name, tokens in corpora.items():
            k = 3 if name == "sample" else 4
            out[name] = (fit_lda(tokens, k, **FIT),
                         {s: fit_lda(split, k, **FIT) for s, split in _splits(tokens).items()})
    return out


def _same_corpus(a, b):
    assert b.partitioned and b.bow is None and b.texts is None  # rows stay in the partitions
    assert a.vocab.equals(b.vocab)
    pd.testing.assert_frame_equal(a.units, b.units)
    assert np.array_equal(a.unit_doc, b.unit_doc)
    assert (a.bow != b.rows()).nnz == 0 and b.rows().dtype == a.bow.dtype
    assert np.array_equal(a.term_freq, b.term_freq) and np.array_equal(a.term_df, b.term_df)
    assert a.unit_texts() == b.unit_texts()
    assert {k: v for k, v in b.params.items() if k != "partitions"} == a.params
    assert a.dictionary().dfs == b.dictionary().dfs and a.dictionary().cfs == b.dictionary().cfs


@pytest.mark.parametrize("split", ["1", "3", "empty"])
@pytest.mark.parametrize("name", ["sample", "synthetic"])
def test_topic_corpus_on_a_split_equals_the_whole(corpora, name, split):
    tokens = corpora[name]
    whole = prepare_corpus(tokens, units="paragraph")
    part = prepare_corpus(_splits(tokens)[split], units="paragraph")
    _same_corpus(whole, part)
    assert part.params["partitions"] == _splits(tokens)[split].n_partitions
    assert whole.params["n_units"] > tokens.n_docs  # paragraphs: several units per document


@pytest.mark.parametrize("options", [dict(units="document"), dict(units=40),
                                     dict(phrases=True, phrase_min_count=2, phrase_threshold=0.5),
                                     dict(phrases=True, units="paragraph", phrase_min_count=2, phrase_threshold=0.5,
                                          min_df=1, max_df=1.0)],
                         ids=["documents", "chunks", "phrases", "phrases-paragraphs"])
def test_every_kind_of_unit_on_a_split_equals_the_whole(synth, options):
    whole = prepare_corpus(synth, **options)
    _same_corpus(whole, prepare_corpus(_splits(synth)["empty"], **options))
    if options.get("phrases"):  # phrases were found, and numbered in order of first appearance as in one pass
        assert any("_" in t for t in whole.vocab)


@pytest.mark.parametrize("split", ["1", "3", "empty"])
@pytest.mark.parametrize("name", ["sample", "synthetic"])
def test_fitted_model_and_tables_on_a_split_equal_the_whole(models, name, split):
    whole, splits = models[name]
    m = splits[split]
    assert m.params["streamed"] and not whole.params["streamed"]
    assert whole.params["units"] == m.params["units"] == ("paragraph" if name == "sample" else "document")
    # same seed, same unit order, same chunks of units: the same model, to the last bit
    assert np.array_equal(whole.topic_word, m.topic_word)
    assert np.array_equal(whole.gamma, m.gamma)
    assert whole.labels == m.labels
    pd.testing.assert_frame_equal(topic_terms(whole), topic_terms(m))
    pd.testing.assert_frame_equal(document_topics(whole), document_topics(m))
    pd.testing.assert_frame_equal(document_topics(whole, level="unit"), document_topics(m, level="unit"))
    for level in ("document", "unit"):  # passages are read from the partitions that hold them
        pd.testing.assert_frame_equal(representative_documents(whole, level=level),
                                      representative_documents(m, level=level))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        by_outlet = topic_prevalence(m, "outlet", n_boot=200)
        pd.testing.assert_frame_equal(topic_prevalence(whole, "outlet", n_boot=200), by_outlet)
        a, b = sorted(by_outlet["group"].unique())[:2]
        pd.testing.assert_frame_equal(prevalence_difference(whole, a, b, n_boot=200),
                                      prevalence_difference(m, a, b, n_boot=200))
        pd.testing.assert_frame_equal(coherence(whole, ("c_npmi", "u_mass"), max_units=40),
                                      coherence(m, ("c_npmi", "u_mass"), max_units=40))
        pd.testing.assert_frame_equal(estimate_effect(whole, "outlet", n_sims=5),
                                      estimate_effect(m, "outlet", n_sims=5))
    assert by_outlet["group"].nunique() >= 2


def test_rows_reach_gensim_one_partition_at_a_time(synth, monkeypatch):
    """The fit never holds the corpus' bags-of-words: gensim gets a stream that reads one partition per
    call, every pass; with ``init_units`` below the number of units, the k-means start gathers a sample only."""
    split = SplitTokens(synth, 4)
    reads, gathered, streams = [], [], []
    real_map, real_gather, real_update = SplitTokens.map, UnitSource.gather, LdaModel.update

    def spy_map(self, func, *args, partitions=None, client=None):
        reads.append((func.__name__, args[1] if len(args) > 1 else None, partitions))
        return real_map(self, func, *args, partitions=partitions, client=client)

    def spy_gather(self, rows=None):
        gathered.append(self.offsets[-1] if rows is None else len(rows))
        return real_gather(self, rows)

    def spy_update(self, corpus, *args, **kwargs):
        streams.append(corpus)
        return real_update(self, corpus, *args, **kwargs)

    monkeypatch.setattr(SplitTokens, "map", spy_map)
    monkeypatch.setattr(UnitSource, "gather", spy_gather)
    monkeypatch.setattr(LdaModel, "update", spy_update)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = fit_lda(split, 4, init_units=40, **FIT)
        whole = fit_lda(synth, 4, init_units=40, **FIT)
    assert isinstance(streams[0], UnitStream) and len(streams[0]) == m.corpus.n_units
    rows_reads = [p for f, want, p in reads if f == "unit_bow" and want == "rows"]
    assert rows_reads and all(p is not None and len(p) == 1 for p in rows_reads)  # one partition per read
    # each of the 3 passes and the final inference reads the 4 partitions (k-means: only its sample's partitions)
    assert len(rows_reads) >= 4 * (FIT["passes"] + 1)
    assert gathered and max(gathered) == 40 < m.corpus.n_units
    # sampling the k-means start is the same on the whole corpus: the models still agree
    assert m.params["init_units"] == 40
    assert np.array_equal(whole.topic_word, m.topic_word) and np.array_equal(whole.gamma, m.gamma)


def test_maps_survive_pickling_for_workers(synth, monkeypatch):
    """Every map function and its arguments are picklable (they travel to Dask workers): a client that
    pickles what it is sent and runs it gives the same corpus and model."""
    sent = []

    def pickling_map(client, load, ks, func, args):
        load, func, args = pickle.loads(pickle.dumps((load, func, args)))
        sent.append(func.__name__)
        return [func(*load(k), *args) for k in ks]

    monkeypatch.setattr(cluster, "dask_map", pickling_map)
    # the fake client holds nothing: partitions are loaded where the map runs, not scattered first
    monkeypatch.setattr(cluster, "scatter_parts", lambda client, split, load, ks: load)
    whole = fit_lda(synth, 4, **FIT, phrases=True, phrase_min_count=2, phrase_threshold=0.5)
    with cluster.use_client(object()):
        m = fit_lda(SplitTokens(synth, 3), 4, **FIT, phrases=True, phrase_min_count=2, phrase_threshold=0.5)
        reps = representative_documents(m)
    assert {"_phrase_vocab", "unit_counts", "unit_bow", "_texts"} <= set(sent)
    assert np.array_equal(whole.topic_word, m.topic_word)
    pd.testing.assert_frame_equal(representative_documents(whole), reps)


def test_choose_k_on_a_split_equals_the_whole(synth):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kw = dict(ks=(3,), seeds=(0, 1), passes=1, max_units=40)
        whole = choose_k(synth, **kw)
        split = choose_k(SplitTokens(synth, 3), **kw)
    pd.testing.assert_frame_equal(whole, split)
    assert split["perplexity"].notna().all()


def test_saved_model_of_a_split_is_self_contained(models, synth, tmp_path):
    whole, splits = models["synthetic"]
    m = splits["3"]
    m.save(tmp_path / "m")
    back = load_topic_model(tmp_path / "m", synth)  # the split's fingerprint is the corpus'
    assert not back.corpus.partitioned and (back.corpus.bow != whole.corpus.bow).nnz == 0
    assert back.corpus.texts == list(synth.texts)
    pd.testing.assert_frame_equal(representative_documents(back), representative_documents(whole))
    pd.testing.assert_frame_equal(topic_terms(back), topic_terms(whole))
