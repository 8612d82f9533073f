"""Concordances and queries on a corpus in partitions equal those on the whole corpus, and read only the
partitions that can hold a hit (issue 13: KWIC/queries read only the partitions holding the query terms)."""
from __future__ import annotations

import pickle
import re
import warnings

import numpy as np
import pandas as pd
import pytest

from discourse.kwic import kwic, query_positions
from discourse.kwic_lines import part_lines
from discourse.partitions import SplitTokens, map_partitions
from discourse.validation import EmptyResultWarning
from discourse.query import (ConcordanceIndex, Hits, attach_index, concordance_index, find, join_hits, match,
                             query_partitions, resolve_query, split_hits)

RUSSIA = ["Russia", "Russian", "Moscow", "Kremlin", "Putin"]
SPLITS = [1, 2, 5, "empty"]


class RecordingSplit(SplitTokens):
    """A :class:`SplitTokens` that records which partitions are read and sends every map function and its
    arguments through pickle, as a Dask cluster would (module-level functions, picklable arguments)."""

    def __init__(self, tokens, n=None, **kw):
        super().__init__(tokens, n, **kw)
        self.loaded: list[int] = []

    def partition(self, k):
        self.loaded.append(int(k))
        return super().partition(k)

    def map(self, func, *args, partitions=None, client=None):
        func, args = pickle.loads(pickle.dumps((func, args)))
        return super().map(func, *args, partitions=partitions, client=client)


def _split(tokens, n):
    """``RecordingSplit(tokens, n)``, or (``"empty"``) partitions with empty ones first, in the middle and last."""
    if n == "empty":
        half = tokens.n_docs // 2
        return RecordingSplit(tokens, bounds=[0, 0, half, half, tokens.n_docs, tokens.n_docs])
    return RecordingSplit(tokens, n)


def _same(whole: pd.DataFrame, split: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(whole, split, check_exact=True)
    assert whole.attrs == split.attrs


def _pair(tokens):
    """The most frequent adjacent pair of terms (a phrase that occurs)."""
    ids = tokens.ids.astype(np.int64)
    same_doc = np.diff(np.searchsorted(tokens.doc_ptr, np.arange(len(ids)), side="right")) == 0
    codes = ids[:-1][same_doc] * len(tokens.vocab) + ids[1:][same_doc]
    top = np.bincount(codes).argmax()
    return f"{tokens.vocab[top // len(tokens.vocab)]} {tokens.vocab[top % len(tokens.vocab)]}"


def _only_in(tokens, lo, hi):
    """A term occurring only in documents lo..hi-1 (several times), for the partition-skipping tests."""
    inside = np.asarray(tokens.dtm[lo:hi].sum(axis=0)).ravel()
    total = np.asarray(tokens.dtm.sum(axis=0)).ravel()
    cands = np.flatnonzero((inside == total) & (inside >= 2) & np.char.isalpha(tokens.vocab.to_numpy(str)))
    return tokens.vocab[cands[0]]


SYNTH_CASES = [
    dict(query="the"),
    dict(query="the", window=(2, 7), by="outlet", show=["title", "date"]),
    dict(query="the", window=0),
    dict(query="the", sort="R1", by="outlet"),
    dict(query="the", sort=["L1", "L2"]),
    dict(query="the", sort=["node", "R2"], by="month", window=3),
    dict(query="the", window=8, sentence=True, sort="L3"),
    dict(query="the", where={"outlet": ["Outlet A", "Outlet B"]}, by="outlet", sample=25, seed=7),
    dict(query="the", where="outlet != 'Outlet C'", sample=40, seed=1, sort="R1"),
    dict(query="the", sample=10 ** 6),  # a sample larger than the hits: all lines, not called a sample
    dict(query="pl*", by="outlet"),
    dict(query=re.compile(r"bl\w+"), sort="node"),
    dict(query=r"t\w+ of", regex=True, window=4),
    dict(query="in the", near="of", near_window=(0, 4), by="outlet"),
    dict(query="xylophone"),
]


@pytest.mark.parametrize("n", SPLITS)
def test_kwic_phrases_and_groups_on_a_split_synthetic_corpus(synth, n):
    pair = _pair(synth)
    split = _split(synth, n)
    for kw in (dict(), dict(sort=["L1", "R1"], by="outlet", sample=15, seed=3), dict(sentence=True, window=6)):
        _same(kwic(synth, pair, **kw), kwic(split, pair, **kw))
    group = [pair, "the", _only_in(synth, 0, 3), re.compile(r"pl\w+")]
    _same(kwic(synth, group, by="outlet", sort="R1"), kwic(split, group, by="outlet", sort="R1"))


SAMPLE_CASES = [
    dict(query="Russia's", by="outlet"),
    dict(query=RUSSIA, sort=["node", "R2"], by="outlet"),
    dict(query=RUSSIA, by="outlet", sample=10, seed=0),
    dict(query=RUSSIA, by="outlet", near="aggression", near_window=(0, 5)),
    dict(query=RUSSIA, by="outlet", near="concerns", near_window=3, sentence=True),
    dict(query="military aggression", window=3, show="title"),
    dict(query=["russia", "Russia's"], sort="L1"),
    dict(query="nato", where={"outlet": "RT"}, window=(10, 1)),
]


CASES = [("synth", kw) for kw in SYNTH_CASES] + [("sample", kw) for kw in SAMPLE_CASES]


@pytest.mark.filterwarnings("ignore::discourse.validation.EmptyResultWarning")
@pytest.mark.parametrize("n", SPLITS)
@pytest.mark.parametrize("case", range(len(CASES)))
def test_kwic_on_a_split_equals_the_whole(request, n, case):
    corpus, kw = CASES[case]
    tokens, kw = request.getfixturevalue(corpus), dict(kw)
    query = kw.pop("query")
    whole = kwic(tokens, query, **kw)
    assert len(whole) > 0 or query == "xylophone"  # every other case has lines
    _same(whole, kwic(_split(tokens, n), query, **kw))


@pytest.mark.parametrize("n", SPLITS)
def test_query_functions_on_a_split_equal_the_whole(sample, synth, n):
    for tokens, queries in ((sample, ["russia", "Russia's", RUSSIA, "russia*", re.compile(r"russ\w+"),
                                      "military aggression", ["russia", "Russia's"], "xylophone"]),
                            (synth, ["the", _pair(synth), "pl*", ["the", _pair(synth)], _only_in(synth, 0, 3)])):
        split = _split(tokens, n)
        for q in queries:
            whole, parts = find(tokens, q), find(split, q)
            for name in ("start", "length", "doc"):
                assert np.array_equal(getattr(whole, name), getattr(parts, name)), (q, name)
                assert getattr(parts, name).dtype == np.int64
            assert (whole.query, whole.terms) == (parts.query, parts.terms)
            assert np.array_equal(whole.covered(), parts.covered())
            resolved = resolve_query(split, q)
            assert resolved.terms == resolve_query(tokens, q).terms == whole.terms
            # every partition holding a hit is among those read, and each matches its share of the hits
            by_part = split_hits(split, whole)
            ks = query_partitions(split, resolved)
            assert {int(np.searchsorted(split.bounds, f, side="right") - 1) for f in by_part} <= set(ks.tolist())
            shares = [(first, match(split.partition(k), resolved)) for k in ks.tolist()
                      for first in [int(split.bounds[k])]]
            rejoined = join_hits(split.doc_ptr, shares, resolved)
            assert np.array_equal(rejoined.start, whole.start) and np.array_equal(rejoined.doc, whole.doc)
            for first, h in by_part.items():
                k = int(np.searchsorted(split.bounds, first, side="right") - 1)
                local = match(split.partition(k), resolved)
                assert np.array_equal(local.start, h.start) and np.array_equal(local.doc, h.doc)
        for t in (0, 7, tokens.term_id("the"), len(tokens.vocab) - 1):
            assert np.array_equal(concordance_index(split).positions([t]), concordance_index(tokens).positions([t]))
        assert concordance_index(split) is concordance_index(split)  # cached per corpus, as on Tokens


@pytest.mark.parametrize("n", SPLITS)
def test_query_positions_on_a_split_equal_the_whole(sample, synth, n):
    _same(query_positions(sample, RUSSIA), query_positions(_split(sample, n), RUSSIA))
    kw = dict(by="month", where={"outlet": "Outlet B"})
    _same(query_positions(synth, "the", **kw), query_positions(_split(synth, n), "the", **kw))


def test_a_query_reads_only_the_partitions_that_can_hold_a_hit(synth):
    split = RecordingSplit(synth, 5)
    b = split.bounds
    rare0, rare4 = _only_in(synth, b[0], b[1]), _only_in(synth, b[4], b[5])
    at = int(np.flatnonzero(synth.ids == synth.term_id(rare0))[-1])  # rare0 after a word of its document
    before = synth.vocab[synth.ids[at - 1]]
    assert np.asarray(synth.dtm[:, synth.term_id(before)].sum(axis=1)).ravel()[b[1]:].any()  # elsewhere too
    # a phrase needs a term of each slot in one partition, a term group any member
    for query, expected in ((rare0, [0]), ([rare0, rare4], [0, 4]), (f"{before} {rare0}", [0]),
                            (f"{rare0} {rare4}", []), ("xylophone", [])):
        split.loaded.clear()
        with warnings.catch_warnings():  # an empty result warns, one with lines does not
            warnings.simplefilter("error" if expected else "ignore", EmptyResultWarning)
            lines = kwic(split, query, by="outlet", sort="R1")
            whole = kwic(synth, query, by="outlet", sort="R1")
        assert len(lines) > 0 if expected else len(lines) == 0
        if not expected:
            with pytest.warns(EmptyResultWarning, match="does not occur"):
                kwic(split, query)
        assert split.loaded == expected, query
        _same(whole, lines)
    split.loaded.clear()
    assert np.array_equal(find(split, rare4).start, find(synth, rare4).start) and split.loaded == [4]
    # a sample: one map finds the hits, a second makes the lines drawn, both on the term's partitions only
    split.loaded.clear()
    drawn = kwic(split, [rare0, rare4], sample=2, seed=5)
    assert sorted(split.loaded) == sorted([0, 4] + sorted({int(np.searchsorted(b, d, side="right") - 1) for d in
                                                          [synth.doc_ids.index(x) for x in drawn["doc_id"]]}))
    _same(kwic(synth, [rare0, rare4], sample=2, seed=5), drawn)
    split.loaded.clear()  # a word of every partition reads them all
    kwic(split, "the")
    assert split.loaded == [0, 1, 2, 3, 4]


def test_lines_of_an_empty_partition_are_empty(synth):
    split = SplitTokens(synth, bounds=[0, 5, 5, synth.n_docs])
    hits = find(split, "the")
    picks = split_hits(split, hits)
    assert set(picks) == {0, 5}  # the empty partition 1 shares first=5 with partition 2
    empty = part_lines(split.partition(1), 5, 3, 3, False, [("R", 1)], picks)
    assert len(empty["start"]) == 0 and len(empty["lines"][0]) == 0 and len(empty["keys"][0]) == 0
    full = part_lines(split.partition(2), 5, 3, 3, False, [("R", 1)], picks)
    assert len(full["start"]) == len(picks[5]) > 0
    assert map_partitions(split, _n_lines, picks, partitions=[1, 2]) == [0, len(picks[5])]


def _n_lines(part, first, picks):
    return len(part_lines(part, first, 2, 2, False, [], picks)["start"])


def test_hits_are_corpus_positions(synth):
    split = SplitTokens(synth, 3)
    hits = find(split, "the")
    assert isinstance(hits, Hits)
    assert (synth.ids[hits.start] == synth.term_id("the")).all()
    assert (np.searchsorted(synth.doc_ptr, hits.start, side="right") - 1 == hits.doc).all()


def test_a_stored_index_attached_to_a_partition_is_used(synth):
    # a store opens a partition with its inverted index (ConcordanceIndex.from_arrays) instead of a pass over it
    part = SplitTokens(synth, 3).partition(1)
    built = ConcordanceIndex(part)
    stored = attach_index(part, ConcordanceIndex.from_arrays(built.order.astype(np.int32), built.ptr))
    assert concordance_index(part) is stored and stored is not built
    t = part.term_id("the")
    assert np.array_equal(stored.positions([t]), np.flatnonzero(part.ids == t))
    assert np.array_equal(find(part, "the").start, np.flatnonzero(part.ids == t))
    with pytest.raises(ValueError, match="tokens"):
        attach_index(synth, stored)
