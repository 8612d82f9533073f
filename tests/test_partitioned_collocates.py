"""Collocates, compare_collocates and n-grams by partitions: any split of the corpus gives the whole's result.

The reference is the unsplit in-memory corpus (one partition): the same analysis on
``SplitTokens(tokens, n)`` for n in (1, 2, 5) and on a split with an empty partition must
give the same table, counts exactly and floats within 1e-12 relative, with the same
``attrs``. ``SplitTokens`` has no token stream of its own (no ``ids``, ``dtm``, ``sent``), so
these also prove that the analyses read tokens only inside their map functions.
"""
from __future__ import annotations

import pickle
import sys
import warnings

import numpy as np
import pandas as pd
import pytest

from discourse.collocates import MEASURES, collocates, compare_collocates
from discourse.cooccurrence import window_part
from discourse.keyed import merge_keyed, unique_inverse
from discourse.ngrams import ngrams
from discourse.partitions import SplitTokens
from discourse.validation import EmptyResultWarning

NODE = ["the", "of"]  # frequent in the synthetic corpus: windows in every document and outlet
RUSSIA = ["Russia", "Russian", "Moscow", "Kremlin", "Putin"]


def _splits(tokens):
    """Splits in 1, 2 and 5 partitions, and one with an empty partition in the middle."""
    yield from (SplitTokens(tokens, n) for n in (1, 2, 5))
    yield SplitTokens(tokens, bounds=[0, 1, 1, tokens.n_docs])


def _assert_same(split: pd.DataFrame, whole: pd.DataFrame) -> None:
    """Counts, labels and flags exactly equal; floats within 1e-12 relative; the same attrs."""
    assert list(split.columns) == list(whole.columns) and split.dtypes.equals(whole.dtypes)
    floats = [c for c in whole.columns if whole[c].dtype.kind == "f"]
    exact = [c for c in whole.columns if c not in floats]
    pd.testing.assert_frame_equal(split[exact], whole[exact], check_exact=True)
    pd.testing.assert_frame_equal(split[floats], whole[floats], check_exact=False, rtol=1e-12, atol=0)
    assert split.attrs == whole.attrs


def _same_on_every_split(analysis, tokens, *args, **kw) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # by="date": documents without a date, warned alike
        whole = analysis(tokens, *args, **kw)
        for split in _splits(tokens):
            _assert_same(analysis(split, *args, **kw), whole)
    return whole


# --------------------------------------------------------------------------- collocates
@pytest.mark.parametrize("measure", list(MEASURES))
def test_collocates_every_measure_by_outlet(synth, measure):
    whole = _same_on_every_split(collocates, synth, NODE, by="outlet", measure=measure, min_freq=1, min_coll_freq=1)
    assert whole["group"].nunique() == 3 and whole.attrs["measure"] == measure


@pytest.mark.parametrize("options", [
    dict(left=5, right=5),
    dict(left=3, right=1, sentence=True),                     # asymmetric and sentence-bounded
    dict(left=0, right=2, sentence=True, count="pairs"),      # right-only span, one count per (hit, token)
    dict(left=4, right=0, expected="node", exclude_node=False),
    dict(by="date", left=2, right=3, top=10),                 # many groups
    dict(by="outlet", threshold=7.0, stopwords=None),
], ids=["L5-R5", "L3-R1-sentence", "L0-R2-pairs", "L4-R0-node", "by-date-top", "threshold"])
def test_collocates_on_a_split_equal_the_whole(synth, options):
    whole = _same_on_every_split(collocates, synth, NODE, min_freq=1, min_coll_freq=1, **options)
    assert len(whole) > 0


def test_collocates_regex_and_phrase_nodes(synth):
    assert len(_same_on_every_split(collocates, synth, r"th.*", regex=True, min_freq=1, min_coll_freq=1))
    phrase = " ".join(synth.vocab[synth.ids[100:102]])  # a phrase that occurs (two consecutive tokens)
    assert len(_same_on_every_split(collocates, synth, phrase, left=2, right=2, min_freq=1, min_coll_freq=1))


def test_collocates_on_the_sample(sample):
    whole = _same_on_every_split(collocates, sample, RUSSIA, by="outlet", min_freq=1, min_coll_freq=1)
    assert set(whole["group"]) == {"RT", "TFI Post"}
    _same_on_every_split(collocates, sample, RUSSIA, left=2, right=2, sentence=True, min_freq=1, min_coll_freq=1)


def test_sparse_counting_path_on_a_split(synth, monkeypatch):
    dense = _same_on_every_split(collocates, synth, NODE, by="date", min_freq=1, min_coll_freq=1)
    monkeypatch.setattr(sys.modules["discourse.cooccurrence"], "DENSE_CELLS", 0)  # counts through a sort
    sparse = _same_on_every_split(collocates, synth, NODE, by="date", min_freq=1, min_coll_freq=1)
    _assert_same(sparse, dense)


def test_absent_node_warns_alike_on_a_split(synth):
    for tokens in [synth, *_splits(synth)]:
        with pytest.warns(EmptyResultWarning, match="node 'xylophone' does not occur"):
            assert collocates(tokens, "xylophone").empty
        with pytest.raises(ValueError, match="does not occur"):
            compare_collocates(tokens, "xylophone", groups=("Outlet A", "Outlet B"))


# --------------------------------------------------------------------------- compare_collocates
@pytest.mark.parametrize("options", [
    dict(groups=("Outlet A", "Outlet B")),
    dict(target="Outlet C", left=3, right=1, sentence=True),
    dict(groups=("Outlet B", "Outlet C"), measure="mi", count="pairs", expected="node", correction="bh"),
], ids=["A-vs-B", "C-vs-rest-sentence", "mi-pairs-node"])
def test_compare_collocates_on_a_split_equal_the_whole(synth, options):
    whole = _same_on_every_split(compare_collocates, synth, NODE, **options)
    assert len(whole) > 0 and set(whole["side"]) <= {*options.get("groups", ()), options.get("target"), "rest"}


def test_compare_collocates_on_the_sample(sample):
    whole = _same_on_every_split(compare_collocates, sample, RUSSIA, groups=("TFI Post", "RT"), left=2, right=2,
                                 min_coll_freq=1)
    assert {"aggression", "concerns"} <= set(whole["collocate"])


# --------------------------------------------------------------------------- n-grams
@pytest.mark.parametrize("options", [
    dict(n=2),
    dict(n=1, sentence=False),
    dict(n=3, by="outlet"),
    dict(n=2, by="date", sentence=False, min_freq=1),
    dict(n=6, by="outlet", min_freq=1),                          # 2,141^6 > 2^62: rows of ids, not one key
    dict(n=3, containing=NODE, by="outlet"),
    dict(n=3, containing="the", position=0, top=5),
    dict(n=2, containing=r"th.*", regex=True, by="outlet", correction="holm"),
], ids=["bigrams", "unigrams-unbounded", "trigrams-by-outlet", "by-date", "wide-encoding", "clusters",
        "clusters-on-left-top", "regex-clusters"])
def test_ngrams_on_a_split_equal_the_whole(synth, options):
    whole = _same_on_every_split(ngrams, synth, **options)
    assert len(whole) > 0


def test_ngrams_on_the_sample(sample):
    whole = _same_on_every_split(ngrams, sample, 3, by="outlet", min_freq=1)
    assert set(whole["group"]) == {"RT", "TFI Post"} and "log_likelihood" in whole.columns
    assert len(_same_on_every_split(ngrams, sample, 2, containing=RUSSIA, min_freq=1))


def test_ngrams_say_why_nothing_is_counted_on_a_split(synth):
    longest = int(np.unique(synth.sent, return_counts=True)[1].max())
    for tokens in [synth, *_splits(synth)]:
        with pytest.warns(EmptyResultWarning, match=f"longer than every sentence .the longest has {longest} tokens"):
            assert ngrams(tokens, longest + 1).empty
        with pytest.warns(EmptyResultWarning, match="containing= 'xylophone' does not occur"):
            assert ngrams(tokens, 2, containing="xylophone").empty


# --------------------------------------------------------------------------- the map and merge steps
class _Shipped(SplitTokens):
    """A split whose map sends the function, its arguments and the partial results through pickle,
    as a Dask worker would (a lambda, a closure or an unpicklable partial result fails here)."""

    def map(self, func, *args, partitions=None, client=None):
        func, args = pickle.loads(pickle.dumps((func, args)))
        return pickle.loads(pickle.dumps(super().map(func, *args, partitions=partitions)))


def test_map_steps_survive_shipping_to_workers(synth):
    shipped = _Shipped(synth, 3)
    for analysis, args, kw in [(collocates, (NODE,), dict(by="outlet", min_freq=1, min_coll_freq=1)),
                               (compare_collocates, (NODE,), dict(target="Outlet A")),
                               (ngrams, (3,), dict(by="outlet", containing=NODE))]:
        whole = analysis(synth, *args, **kw)
        assert len(whole) > 0
        _assert_same(analysis(shipped, *args, **kw), whole)


def test_partial_results_are_small(synth):
    codes = np.zeros(synth.n_docs, np.int64)
    part = window_part(synth, 0, NODE, False, codes, 1, 5, 5, False, True, "tokens")
    # what travels is one value per nonzero (group, collocate) pair and per group, not the partition's tokens
    assert len(part["keys"]) < len(synth.vocab) and part["coll"].shape == (1, len(synth.vocab))
    assert all(len(part[k]) == len(part["keys"]) for k in ("o", "left", "dist", "docs"))
    assert part["o"].sum() == part["window"].sum() and part["hits"] == part["node"].sum() > 0


def test_merge_keyed_adds_equal_keys_as_np_unique_would():
    rng = np.random.default_rng(0)
    keys = [rng.integers(0, 50, 200), np.zeros(0, np.int64), rng.integers(0, 50, 30)]
    vals = [rng.integers(0, 9, len(k)) for k in keys]
    uniq, total = merge_keyed(keys, vals)
    every = np.concatenate(keys)
    expected_keys, inverse = np.unique(every, return_inverse=True)
    np.testing.assert_array_equal(uniq, expected_keys)
    np.testing.assert_array_equal(total, np.bincount(inverse, weights=np.concatenate(vals)).astype(np.int64))
    assert total.dtype == np.int64  # counts stay exact integers
    np.testing.assert_array_equal(unique_inverse(every)[1], inverse)
