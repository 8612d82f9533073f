"""The bucketed merge of n-gram counts (discourse.ngram_buckets): equal to the unsplit count, bounded, tidy.

The partitions' (n-gram, group) counts are spilled to hash buckets in a temporary folder and
combined one bucket at a time. With buckets forced small (several buckets on the synthetic
corpus), ``ngrams`` on ``SplitTokens(tokens, n)`` for n in (1, 2, 5) and on a split with an
empty partition equals the unsplit in-memory result exactly (floats within 1e-12 relative);
the folder is gone afterwards, also when a partition fails.
"""
from __future__ import annotations

import importlib
import os
import tempfile
import warnings

import numpy as np
import pandas as pd
import pytest

from discourse.ngram_buckets import Buckets, combine, gram_columns, gram_rows
from discourse.ngrams import ngrams
from discourse.partitions import SplitTokens

nb = importlib.import_module("discourse.ngram_buckets")
ng = importlib.import_module("discourse.ngrams")  # the module (the package's ngrams is the function)


@pytest.fixture
def small_buckets(monkeypatch, tmp_path):
    """Buckets of a few KiB in a folder of the test's own, and a record of the buckets each merge used."""
    used: list[int] = []
    real = nb.Buckets.read

    def read(self, k):
        if k == 0:
            used.append(self.n_buckets)
        return real(self, k)

    monkeypatch.setattr(nb, "BUCKET_BYTES", 4096)
    monkeypatch.setattr(nb, "SPILL_DIR", str(tmp_path))
    monkeypatch.setattr(nb.Buckets, "read", read)
    return tmp_path, used


def _splits(tokens):
    yield from (SplitTokens(tokens, n) for n in (1, 2, 5))
    yield SplitTokens(tokens, bounds=[0, 1, 1, tokens.n_docs])


@pytest.mark.parametrize("options", [
    dict(n=1, min_freq=1),
    dict(n=2, by="outlet"),
    dict(n=3, by="outlet", min_freq=1),
    dict(n=2, by="outlet", min_freq=5, top=20),
    dict(n=3, containing=["the", "of"], by="outlet"),
    dict(n=6, by="outlet", min_freq=1),  # wide key: one int32 column per term
], ids=["unigrams", "bigrams-by-outlet", "trigrams-min1", "min-freq-5-top", "clusters", "wide"])
def test_bucketed_merge_equals_the_unsplit_count(synth, small_buckets, options):
    folder, used = small_buckets
    whole = ngrams(synth, **options)
    assert used == [1]  # one partition: its counts are the one bucket, nothing written
    assert len(whole) > 0
    for split in _splits(synth):
        used.clear()
        got = ngrams(split, **options)
        floats = [c for c in whole.columns if whole[c].dtype.kind == "f"]
        exact = [c for c in whole.columns if c not in floats]
        assert got.dtypes.equals(whole.dtypes) and got.attrs == whole.attrs
        pd.testing.assert_frame_equal(got[exact], whole[exact], check_exact=True)
        pd.testing.assert_frame_equal(got[floats], whole[floats], check_exact=False, rtol=1e-12, atol=0)
        assert used and (used[0] > 1 if split.n_partitions > 1 else used[0] == 1)
        assert os.listdir(folder) == []  # the bucket folder is removed


def test_min_freq_above_every_count_warns_alike(synth, small_buckets):
    with warnings.catch_warnings(record=True) as whole:
        warnings.simplefilter("always")
        warnings.simplefilter("ignore", ResourceWarning)
        assert ngrams(synth, 2, min_freq=10 ** 6).empty
    with warnings.catch_warnings(record=True) as split:
        warnings.simplefilter("always")
        warnings.simplefilter("ignore", ResourceWarning)  # other tests' sockets and files, collected meanwhile
        assert ngrams(SplitTokens(synth, 5), 2, min_freq=10 ** 6).empty
    assert [str(w.message) for w in split] == [str(w.message) for w in whole]
    assert "no 2-gram reaches min_freq=1,000,000" in str(whole[0].message)


def test_the_folder_is_removed_when_a_partition_fails(synth, small_buckets, monkeypatch):
    folder, _ = small_buckets
    real, calls = ng._ngram_part, []

    def failing(part, first, *args):
        calls.append(first)
        if len(calls) == 3:
            raise RuntimeError("partition failed")
        return real(part, first, *args)

    monkeypatch.setattr(ng, "_ngram_part", failing)
    with pytest.raises(RuntimeError, match="partition failed"):
        ngrams(SplitTokens(synth, 5), 2, by="outlet")
    assert len(calls) == 3 and os.listdir(folder) == []


def test_buckets_hold_every_count_once(small_buckets):
    """Counts of three partitions, cut into buckets on disk, come back whole: the same multiset."""
    rng = np.random.default_rng(0)
    parts = [{"cols": [rng.integers(0, 500, 300).astype(np.int64)], "group": rng.integers(0, 3, 300).astype(np.int32),
              "freq": rng.integers(1, 9, 300), "docs": rng.integers(1, 4, 300)} for _ in range(3)]
    with tempfile.TemporaryDirectory() as d:
        b = Buckets([300, 300, 300], d)
        for p in parts:
            b.add(p)
        assert b.n_buckets == 5  # 3 x 300 counts of 8 + 3 x 4 bytes in buckets of 4,096 bytes
        back = [b.read(k) for k in range(b.n_buckets)]
    key = lambda c, g, f: sorted(zip(c.tolist(), g.tolist(), f.tolist()))
    assert key(*(np.concatenate([x["cols"][0] for x in back]), np.concatenate([x["group"] for x in back]),
                 np.concatenate([x["freq"] for x in back]))) == key(
        *(np.concatenate([p["cols"][0] for p in parts]), np.concatenate([p["group"] for p in parts]),
          np.concatenate([p["freq"] for p in parts])))
    for x in back:  # a key lies in one bucket only
        assert not set(x["cols"][0].tolist()) & set().union(*(set(y["cols"][0].tolist()) for y in back if y is not x))


def test_combine_adds_equal_keys_and_counts_each_ngram_over_groups(small_buckets):
    """A hand-made case: n-gram 7 in groups 0 and 1 over two partitions, n-gram 3 once."""
    parts = [{"cols": [np.array([7, 3])], "group": np.array([0, 1], np.int32), "freq": np.array([2, 1]),
              "docs": np.array([1, 1])},
             {"cols": [np.array([7, 7])], "group": np.array([0, 1], np.int32), "freq": np.array([3, 4]),
              "docs": np.array([2, 1])}]
    out, highest, used = combine(iter(parts), [10, 10], min_freq=2)
    got = sorted(zip(out["cols"][0].tolist(), out["group"].tolist(), out["freq"].tolist(), out["docs"].tolist(),
                     out["all_freq"].tolist()))
    assert got == [(7, 0, 5, 3, 9), (7, 1, 4, 1, 9)] and highest == 5  # (3, 1, 1) is under min_freq
    assert used == 1 and os.listdir(small_buckets[0]) == []  # 2 x 2 x 20 bytes: one bucket


@pytest.mark.parametrize("n, v", [(1, 40), (3, 2141), (6, 2141)])
def test_gram_keys_round_trip(n, v):
    rows = np.random.default_rng(1).integers(0, v, (50, n))
    cols = gram_columns(rows, v)
    assert len(cols) == (1 if v ** n < 2 ** 62 else n)
    np.testing.assert_array_equal(gram_rows(cols, n, v), rows)
