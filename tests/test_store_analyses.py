"""Every analysis gives the same table in memory, on the on-disk store, and on the store through a 2-worker
Dask LocalCluster (issue: "tests assert equality (in-memory vs store vs LocalCluster) on the sample and on a
synthetic multi-outlet corpus"). Counts exactly; floating-point columns within 1e-12 relative."""
import warnings

import pandas as pd
import pytest
from distributed import Client, LocalCluster

import discourse as dc
from discourse.cluster import use_client
from discourse.datasets import make_news_corpus
from discourse.stopwords import english_stopwords
from discourse.topics import fit_lda, topic_prevalence, topic_terms


@pytest.fixture(scope="module")
def client():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      scheduler_kwargs={"dashboard_address": ":0"}) as cluster, \
            Client(cluster, set_as_default=False) as c:
        yield c


def _synthetic():
    return dc.Corpus.from_records(make_news_corpus(40_000, n_outlets=3, seed=11).records)


def _sample():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return dc.read_corpus(dc.sample_corpus_path())


@pytest.fixture(scope="module", params=["synthetic", "sample"])
def routes(request, tmp_path_factory):
    """(in-memory Tokens, the store of the same corpus in several partitions, a node word, two outlets)."""
    corpus = _synthetic() if request.param == "synthetic" else _sample()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tokens = dc.tokenize(dc.clean(corpus))
        store = dc.build_store(corpus, tmp_path_factory.mktemp("s") / "c.store",
                               partition_docs=max(1, len(corpus) // 4 + 1) if request.param == "sample" else 9)
    assert store.n_partitions > 1
    freq = dc.frequencies(tokens).sort_values("rank")
    words = freq[freq["term"].str.fullmatch(r"[a-z]{5,}") & ~freq["term"].isin(english_stopwords())]
    node = words["term"].iloc[0]  # the most frequent content word: collocates pass the default thresholds
    outlets = sorted(tokens.metadata["outlet"].unique())[:2]
    return tokens, store, node, outlets


ANALYSES = {
    "frequencies": lambda t, node, o: dc.frequencies(t, by="outlet"),
    "keyness": lambda t, node, o: dc.keyness(t, o[0], "rest", by="outlet", keep="all", seed=3),
    "keyness_text_tests": lambda t, node, o: dc.keyness(t, o[0], o[1], by="outlet", keep="all", min_freq=3,
                                                        seed=3, text_tests=("welch", "mann_whitney", "bootstrap"),
                                                        text_terms="all", n_boot=50),
    "dispersion": lambda t, node, o: dc.dispersion(t, by="outlet"),
    "collocates": lambda t, node, o: dc.collocates(t, node, by="outlet"),
    "compare_collocates": lambda t, node, o: dc.compare_collocates(t, node, by="outlet", groups=tuple(o)),
    "ngrams": lambda t, node, o: dc.ngrams(t, 2, by="outlet"),
    "kwic": lambda t, node, o: dc.kwic(t, node, by="outlet"),
    "topic_terms": lambda t, node, o: topic_terms(fit_lda(t, 3, passes=2, iterations=20, seed=5)),
    "topic_prevalence": lambda t, node, o: topic_prevalence(fit_lda(t, 3, passes=2, iterations=20, seed=5),
                                                            "outlet", n_boot=100),
}


def _same(a: pd.DataFrame, b: pd.DataFrame, name: str) -> None:
    assert len(a), f"{name}: an empty table proves nothing"
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), check_exact=False,
                                  rtol=1e-12, atol=0, obj=name)


@pytest.mark.parametrize("name", sorted(ANALYSES))
def test_store_and_cluster_equal_memory(routes, client, name):
    tokens, store, node, outlets = routes
    run = ANALYSES[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = run(tokens, node, outlets)
        _same(expected, run(store, node, outlets), f"{name} on the store")
        with use_client(client):
            _same(expected, run(store, node, outlets), f"{name} on the store through the cluster")
