"""Keyness and dispersion by partitions: on any split of the corpus they equal the unsplit results.

Counts exactly, floating-point statistics within 1e-12 relative (the partial sums
of a split add the same numbers in another order), for every keyness mode and
every ``parts`` option of dispersion, on the sample corpus and on a synthetic
multi-outlet corpus (:func:`discourse.datasets.make_news_corpus`).
"""
import warnings

import numpy as np
import pandas as pd
import pytest

import discourse as dc
from discourse.datasets import make_news_corpus
from discourse.dispersion import dispersion
from discourse.keyness import keyness
from discourse.partitions import SplitTokens

SPLITS = ["1", "2", "5", "empty"]


@pytest.fixture(scope="module")
def news():
    sc = make_news_corpus(60_000, n_outlets=3, seed=11)
    return dc.tokenize(dc.clean(dc.Corpus.from_records(sc.records)))


@pytest.fixture(scope="module")
def sample():
    return dc.load_sample()


def _split(tokens, how):
    if how == "empty":  # an empty first partition and an empty one in the middle
        n = tokens.n_docs
        return SplitTokens(tokens, bounds=[0, 0, n // 2, n // 2, n])
    return SplitTokens(tokens, int(how))


def _quiet(func, *args, **kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.simplefilter("ignore", ResourceWarning)  # other tests' sockets and files, collected meanwhile
        out = func(*args, **kwargs)
    return out, sorted(str(w.message) for w in caught)


def assert_same(whole, tokens, how, func, **kwargs):
    """``func`` on the split equals ``whole``: the same columns, dtypes, counts; floats within 1e-12 (keyness: exactly)."""
    (expected, w_expected), (got, w_got) = whole, _quiet(func, _split(tokens, how), **kwargs)
    assert w_got == w_expected  # the same warnings, once each
    assert len(expected) > 0
    # keyness adds integer counts only, so it is exact; dispersion's sums of floats over partitions: 1e-12
    pd.testing.assert_frame_equal(got, expected, check_exact=func is keyness, rtol=1e-12, atol=0)
    ints = [c for c in expected.columns if pd.api.types.is_integer_dtype(expected[c])]
    assert got[ints].equals(expected[ints])  # counts exactly
    assert got.attrs == expected.attrs


KEYNESS_NEWS = {
    "rest_all_tests": dict(text_tests=("welch", "mann_whitney", "bootstrap"), n_boot=60),
    "rest_keep_all": dict(keep="all", text_terms="all"),
    "target_vs_group": dict(target="Outlet A", reference="Outlet B", keep="all",
                            text_tests=("welch", "mann_whitney", "bootstrap"), n_boot=40, seed=3),
    "pairwise": dict(reference="pairwise", keep="all"),
    "target_pairwise": dict(target="Outlet B", reference="pairwise"),
    "merged_target": dict(target=["Outlet A", "Outlet C"], reference="rest", content_only=True),
    "by_month": dict(by="month", target="2021-01", keep="all"),
    "by_month_each": dict(by="month", min_freq=5, absent="nan"),
    "uniform_prior": dict(dirichlet_prior="uniform", correction="bh", set_aside="house_style"),
}


@pytest.mark.parametrize("how", SPLITS)
def test_keyness_external_reference_on_a_split(news, how):
    rest = dc.frequencies(news.select(news.metadata["outlet"] != "Outlet A")).set_index("term")["freq"]
    table = pd.concat([rest, pd.Series({"zzqx": 40.0})])  # a term the corpus never uses
    for kwargs in (dict(target="Outlet A", reference=table, keep="all"),
                   dict(reference=table, reference_size=5e6, dirichlet_prior="uniform")):
        assert_same(_quiet(keyness, news, **kwargs), news, how, keyness, **kwargs)


@pytest.mark.parametrize("how", SPLITS)
def test_keyness_on_the_sample_corpus_split(sample, how):
    for kwargs in (dict(target="RT", keep="all"), dict(), dict(reference="pairwise", text_tests=())):
        assert_same(_quiet(keyness, sample, **kwargs), sample, how, keyness, **kwargs)


def test_keyness_split_really_maps_over_the_partitions(news, monkeypatch):
    """The split is analysed partition by partition (a SplitTokens has no ``dtm``/``ids``: nothing else could work)."""
    calls = []
    split = SplitTokens(news, 3)
    original = split.map

    def counting(func, *args, **kwargs):
        calls.append(func.__name__)
        return original(func, *args, **kwargs)

    monkeypatch.setattr(split, "map", counting)
    keyness(split, keep="all")
    assert not hasattr(split, "dtm") and not hasattr(split, "ids")
    assert "group_freq" in calls and "_columns" in calls


DISPERSION = {
    "documents": dict(),
    "documents_by_outlet": dict(by="outlet"),
    "documents_conventions": dict(by="outlet", sd="sample", dp_norm="equal_parts", direction="evenness"),
    "chunks": dict(by="outlet", parts=250),  # chunks straddle the partitions
    "chunks_whole": dict(parts=1000, min_freq=3),
    "column": dict(by="outlet", parts="month"),
    "by_period": dict(by="month", parts="outlet", terms=["the", "said", "of"]),
}


CASES = [(keyness, name) for name in KEYNESS_NEWS] + [(dispersion, name) for name in DISPERSION]
_WHOLE: dict = {}


@pytest.mark.parametrize("how", SPLITS)
@pytest.mark.parametrize("func, case", CASES, ids=[f"{f.__name__}-{c}" for f, c in CASES])
def test_split_equals_the_whole(news, func, case, how):
    """Every keyness mode and every dispersion ``parts`` on 1, 2, 5 partitions and with empty ones."""
    kwargs = (KEYNESS_NEWS if func is keyness else DISPERSION)[case]
    if (func, case) not in _WHOLE:
        _WHOLE[func, case] = _quiet(func, news, **kwargs)
    assert_same(_WHOLE[func, case], news, how, func, **kwargs)


@pytest.mark.parametrize("how", SPLITS)
def test_dispersion_on_the_sample_corpus_split(sample, how):
    for kwargs in (dict(), dict(by="outlet"), dict(parts=100), dict(by="outlet", parts=64), dict(parts="outlet")):
        assert_same(_quiet(dispersion, sample, **kwargs), sample, how, dispersion, **kwargs)


def test_dispersion_sums_equal_the_measures_on_the_whole_matrix(news):
    """Independent route: the partitioned sums against :func:`dispersion_measures` on each outlet's rows of the
    whole DTM, and :func:`arf` on its token stream (the pre-partition computation)."""
    from discourse.stats.dispersion import arf, dispersion_measures

    d = dispersion(SplitTokens(news, 4), by="outlet")
    outlets = news.metadata["outlet"].to_numpy()
    for outlet in sorted(set(outlets)):
        docs = np.flatnonzero(outlets == outlet)
        m = dispersion_measures(news.dtm[docs], news.doc_lengths[docs])
        stream = news.ids[np.repeat(outlets == outlet, news.doc_lengths)]
        m["arf"] = arf(stream, len(news.vocab))
        got = d[d.group == outlet]
        ids = news.vocab.get_indexer(got["term"])
        assert (got["freq"].to_numpy() == m["freq"][ids]).all() and (got["range"].to_numpy() == m["range"][ids]).all()
        for col in ("juilland_d", "carroll_d2", "rosengren_s", "dp", "dp_norm", "arf"):
            np.testing.assert_allclose(got[col].to_numpy(), m[col][ids], rtol=1e-12, atol=0, err_msg=col)


def test_dispersion_validation_is_unchanged(news):
    with pytest.raises(ValueError, match="positive number of tokens"):
        dispersion(SplitTokens(news, 2), parts=0)
    with pytest.raises(ValueError, match="parts must be"):
        dispersion(SplitTokens(news, 2), parts=2.5)


class _ShippedSplit(SplitTokens):
    """A split whose map sends the function, its arguments and the partial results through pickle, as a Dask
    worker would receive and return them (module-level functions, small picklable arguments)."""

    def map(self, func, *args, partitions=None, client=None):
        import pickle

        func, args = pickle.loads(pickle.dumps((func, args)))
        ks = range(self.n_partitions) if partitions is None else sorted(set(partitions))
        return [pickle.loads(pickle.dumps(func(self.partition(k), int(self.bounds[k]), *args))) for k in ks]


@pytest.mark.parametrize("func, kwargs", [
    (keyness, dict(text_tests=("welch", "mann_whitney", "bootstrap"), n_boot=30)),
    (keyness, dict(target="Outlet A", reference="pairwise", keep="all")),
    (dispersion, dict(by="outlet")), (dispersion, dict(by="outlet", parts=300)),
    (dispersion, dict(parts="month"))])
def test_map_steps_survive_being_sent_to_a_worker(news, func, kwargs):
    expected, _ = _quiet(func, news, **kwargs)
    got, _ = _quiet(func, _ShippedSplit(news, 3), **kwargs)
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12, atol=0)


@pytest.fixture(scope="module")
def gappy():
    """Documents without a date (in no month) and without text (no tokens): parts of size 0, groups with gaps."""
    records = [dict(r) for r in make_news_corpus(40_000, seed=5).records]
    for i, r in enumerate(records):
        r["date"] = None if i % 4 == 0 else r["date"]
        r["text"] = "" if i % 7 == 0 else r["text"]
    tokens = dc.tokenize(dc.Corpus.from_records(records))
    assert (tokens.doc_lengths == 0).sum() > 5
    return tokens


@pytest.mark.parametrize("how", SPLITS)
def test_documents_without_tokens_or_dates_on_a_split(gappy, how):
    for func, kwargs in ((dispersion, dict(by="outlet", parts="month")), (dispersion, dict(by="month")),
                         (dispersion, dict(by="month", parts=100)), (keyness, dict(by="month", keep="all")),
                         (keyness, dict(target="Outlet A", text_tests=("welch", "bootstrap"), n_boot=30))):
        assert_same(_quiet(func, gappy, **kwargs), gappy, how, func, **kwargs)


@pytest.mark.parametrize("case", sorted(KEYNESS_NEWS))
def test_document_columns_in_small_chunks_equal_one_chunk(news, case, monkeypatch):
    """The listed terms' columns are gathered a chunk of terms at a time (bounded memory at 100M tokens):
    chunks of a few hundred occurrences give exactly the table of one chunk, with every text-level test."""
    import discourse.keyness_docs as kd

    kwargs = KEYNESS_NEWS[case]
    whole = _quiet(keyness, news, **kwargs)
    monkeypatch.setattr(kd, "_ENTRIES_AT_ONCE", 300)
    calls = []
    original = kd.TermColumns
    monkeypatch.setattr(kd, "TermColumns", lambda tokens, cols: calls.append(len(cols)) or original(tokens, cols))
    chunked = _quiet(keyness, _split(news, "2"), **kwargs)
    assert chunked[1] == whole[1]  # the same notes, once each
    pd.testing.assert_frame_equal(chunked[0], whole[0], check_exact=True)
    assert chunked[0].attrs == whole[0].attrs
    assert len(calls) > 1  # several chunks were gathered


def test_document_columns_with_an_external_reference_in_chunks(news, monkeypatch):
    import discourse.keyness_docs as kd

    rest = dc.frequencies(news.select(news.metadata["outlet"] != "Outlet A")).set_index("term")["freq"]
    table = pd.concat([rest, pd.Series({"zzqx": 40.0})])
    kwargs = dict(target="Outlet A", reference=table, keep="all")
    whole = _quiet(keyness, news, **kwargs)
    monkeypatch.setattr(kd, "_ENTRIES_AT_ONCE", 300)
    pd.testing.assert_frame_equal(_quiet(keyness, news, **kwargs)[0], whole[0], check_exact=True)
