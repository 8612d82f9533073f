"""discourse.memory: the allocators give back what they hold freed, before a large allocation under pressure."""
from __future__ import annotations

import sys

import pyarrow as pa
import pytest

import discourse.memory as memory
from discourse.memory import GIVE_BACK_BYTES, give_back, make_room, resident_bytes, settle


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="resident memory is read from /proc (Linux)")
def test_give_back_returns_arrow_buffers_freed_but_kept_by_the_pool():
    before = resident_bytes()
    buffers = [pa.allocate_buffer(1 << 20) for _ in range(300)]  # 300 MiB in 1 MiB buffers, each written
    for b in buffers:
        memoryview(b).cast("B")[:] = b"x" * (1 << 20)
    del buffers, b
    kept = resident_bytes() - before  # freed, still resident: the pool keeps them for reuse
    give_back()
    after = resident_bytes() - before
    assert kept > 200 << 20 and kept - after > 200 << 20, (kept >> 20, after >> 20)


class _Cache:
    """A map cache that is always over its limit and records the room asked for."""

    def __init__(self) -> None:
        self.asked = []

    def over(self, extra: int = 0) -> bool:
        return True

    def make_room(self, nbytes: int) -> None:
        self.asked.append(nbytes)


def test_make_room_gives_back_only_before_a_large_allocation_under_pressure(monkeypatch):
    given = []
    monkeypatch.setattr(memory, "give_back", lambda: given.append(1))
    cache = _Cache()
    monkeypatch.setattr(memory, "CACHES", [cache])
    make_room(GIVE_BACK_BYTES - 1, mapped=1 << 40)  # many maps to read, little to allocate: maps' pages only
    assert given == [] and cache.asked == [GIVE_BACK_BYTES - 1 + (1 << 40)]
    make_room(GIVE_BACK_BYTES, mapped=5)
    assert given == [1] and cache.asked[-1] == GIVE_BACK_BYTES + 5
    monkeypatch.setattr(cache, "over", lambda extra=0: False)  # within the limit: nothing given back
    make_room(1 << 40)
    assert given == [1]


class _Limited:
    limit = 1000 << 20


def test_settle_gives_back_only_when_the_memory_outside_maps_and_arrow_is_over_half_a_limit(monkeypatch):
    """What an earlier result freed (Arrow's pool keeps it resident) is given back before a map reads
    partitions when the memory that is neither maps' pages nor Arrow's live buffers is over half a store's
    limit; not otherwise (the pages given back cost the next allocations), nor without an open store."""
    given, anon = [], {"bytes": 0}
    monkeypatch.setattr(memory, "give_back", lambda: given.append(1))
    monkeypatch.setattr(memory, "resident_bytes", lambda anonymous=False: anon["bytes"] if anonymous else 1 << 40)
    monkeypatch.setattr(pa, "total_allocated_bytes", lambda: 300 << 20)
    monkeypatch.setattr(memory, "CACHES", [])
    anon["bytes"] = 2000 << 20
    settle()
    assert given == []  # no store open
    monkeypatch.setattr(memory, "CACHES", [_Limited()])
    anon["bytes"] = (300 << 20) + (500 << 20)  # 500 MiB outside Arrow's live buffers: half the limit, not over
    settle()
    assert given == []
    anon["bytes"] += 1
    settle()
    assert given == [1]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="resident memory is read from /proc (Linux)")
def test_resident_bytes_without_the_maps_pages_leaves_out_a_mapped_file(tmp_path):
    import mmap

    f = tmp_path / "x.bin"
    f.write_bytes(b"x" * (64 << 20))
    with open(f, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as m:
        before, before_anon = resident_bytes(), resident_bytes(anonymous=True)
        sum(m[i] for i in range(0, len(m), 4096))  # every page read: resident, file-backed
        assert resident_bytes() - before > 48 << 20
        assert abs(resident_bytes(anonymous=True) - before_anon) < 16 << 20


def test_every_map_over_a_store_settles_first(sc, tmp_path, monkeypatch):
    """``run_partitions`` (the one place a map over partitions runs) settles before it reads any."""
    import discourse as dc

    store = dc.build_store(dc.Corpus.from_records(sc.records), tmp_path / "s.store", clean=False, partition_docs=20)
    calls = []
    monkeypatch.setattr(memory, "settle", lambda: calls.append(len(store.location.maps.in_use)))
    dc.kwic(store, "the")
    dc.frequencies(store, by="outlet")
    assert len(calls) >= 2


def test_release_maps_drops_every_store_map_in_use_and_ngrams_equal_after_it(sc, tmp_path, monkeypatch):
    """``release_maps`` (called by ``ngrams`` once its partitions are read) leaves no map in use, keeps
    the maps open, and the store's results are unchanged by it."""
    import pandas as pd

    import discourse as dc
    import discourse.ngram_buckets as nb

    store = dc.build_store(dc.Corpus.from_records(sc.records), tmp_path / "s.store", clean=False, partition_docs=20)
    want = dc.kwic(store, "the")
    maps = store.location.maps
    assert maps.in_use and maps.released == 0
    kept = len(maps.kept)
    memory.release_maps()
    assert not maps.in_use and maps.released > 0 and len(maps.kept) == kept
    pd.testing.assert_frame_equal(dc.kwic(store, "the"), want)
    calls = []
    monkeypatch.setattr(nb, "release_maps", lambda: calls.append(len(maps.in_use)))
    grams = dc.ngrams(store, n=2, by="outlet")
    assert calls and calls[0] > 0  # called with the partitions' maps in use, after they were read
    memory_tokens = dc.tokenize(dc.Corpus.from_records(sc.records))
    pd.testing.assert_frame_equal(grams, dc.ngrams(memory_tokens, n=2, by="outlet"), check_exact=False, rtol=1e-12)


def test_topic_units_release_the_maps_after_each_partition_and_lda_is_unchanged(sc, tmp_path, monkeypatch):
    """The units streamed into gensim release the store's map pages once a partition is bags-of-words
    (they would sit under gensim's chunks: 100M tokens, K=20 peaked at 1,527 MiB), on every pass, and the
    model equals the in-memory one."""
    import numpy as np

    import discourse as dc
    import discourse.topics.units as units

    store = dc.build_store(dc.Corpus.from_records(sc.records), tmp_path / "s.store", clean=False, partition_docs=20)
    maps = store.location.maps
    calls = []
    monkeypatch.setattr(units, "release_maps", lambda: calls.append(len(maps.in_use)))
    fit = dict(k=3, seed=1, passes=2, chunksize=15, units="paragraph")
    model = dc.fit_lda(store, **fit)
    n_parts = store.n_partitions
    assert len(calls) >= 2 * n_parts  # each partition of each pass (and the inference's)
    assert max(calls) > 0  # called with the partition's maps in use, after it was read
    whole = dc.fit_lda(dc.tokenize(dc.Corpus.from_records(sc.records)), **fit)
    np.testing.assert_allclose(model.doc_topics, whole.doc_topics, rtol=1e-12, atol=0)
