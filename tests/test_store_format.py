"""Store format 3: a partition's texts are one memory-mapped UTF-8 file with the byte offsets of its tokens, a
partition reads a field's files only when an analysis uses that field, and an open store keeps a bounded
set of memory maps."""
import json
import mmap
import pickle
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import discourse as dc
from discourse.store.format import read_texts, write_texts
from discourse.memory import resident_bytes
from discourse.store.location import Location
from discourse.text_store import TextStore

TEXTS = ["Moscow said the talks in Minsk had failed. Kyiv disagreed.",
         "Путин заявил, что переговоры в Минске провалились.",  # Cyrillic
         "东京 reported the talks had failed \u2014 an em dash, a curly \u2019quote\u2019.",
         "Ελλάδα: the talks went on.",  # Greek
         "",
         "The talks in Minsk failed again, said Moscow."]


@pytest.fixture(scope="module")
def corpus():
    return dc.Corpus.from_records([{"id": f"d{i}", "outlet": "AB"[i % 2], "text": t} for i, t in enumerate(TEXTS)])


@pytest.fixture(scope="module")
def store(corpus, tmp_path_factory):
    return dc.build_store(corpus, tmp_path_factory.mktemp("fmt") / "texts.store", clean=False, partition_docs=4)


def test_texts_are_one_memory_mapped_utf8_file_a_partition(corpus, store):
    tokens = dc.tokenize(corpus)
    assert store.n_partitions == 2
    for k in range(store.n_partitions):
        d = store.path / "partitions" / f"{k:05d}"
        assert (d / "texts.bin").is_file() and (d / "text_ptr.npy").is_file() and not (d / "texts.parquet").exists()
        first, last = store.bounds[k], store.bounds[k + 1]
        want = TEXTS[first:last]
        assert (d / "texts.bin").read_bytes() == "".join(want).encode("utf-8")  # the texts' UTF-8 bytes
        assert np.load(d / "text_ptr.npy").tolist() == np.cumsum([0] + [len(t.encode("utf-8", "surrogatepass"))
                                                                        for t in want]).tolist()
        texts = store.partition(k).texts
        assert isinstance(texts, TextStore) and len(texts) == last - first
        assert isinstance(memoryview(texts._data).obj, np.memmap)  # mapped, not read: a text decoded on access
        for d_ in range(last - first):
            assert texts[d_] == tokens.texts[first + d_] == TEXTS[first + d_]
    assert store.partition(0).texts[1] == TEXTS[1] and store.partition(0).texts[2] == TEXTS[2]  # Cyrillic, CJK
    assert store.partition(1).texts[0] == ""  # an empty text: empty bytes, not a missing one
    k = dc.kwic(store, "talks")
    assert k.equals(dc.kwic(tokens, "talks")) and len(k) == 4


def test_a_lone_surrogate_round_trips_through_the_texts_file(tmp_path):
    # the build itself refuses such a text earlier (the raw-text digest of the fingerprint encodes strictly);
    # the texts file keeps it as a TextStore does (surrogatepass), so what a partition holds comes back
    texts = ["A lone surrogate \ud800 stays.", "Путин", "", "\udfff"]
    write_texts(tmp_path, texts)
    back = read_texts(Location(tmp_path))
    assert list(back) == texts and back[0] == texts[0] and back == TextStore(texts)
    assert isinstance(memoryview(back._data).obj, np.memmap)


def test_a_partition_of_empty_texts_and_an_appended_partition(corpus, tmp_path):
    empty = dc.Corpus.from_records([{"doc_id": "e0", "outlet": "A", "text": ""}])
    store = dc.build_store(empty, tmp_path / "empty.store", clean=False)
    assert (store.path / "partitions" / "00000" / "texts.bin").stat().st_size == 0
    assert list(store.partition(0).texts) == [""]
    store.append(corpus)
    assert [t for k in range(store.n_partitions) for t in store.partition(k).texts] == [""] + TEXTS


@pytest.mark.parametrize("version", [1, 2])
def test_an_older_store_is_refused_with_the_rebuild_message(store, tmp_path, version):
    old = tmp_path / "old.store"
    shutil.copytree(store.path, old)
    manifest = json.loads((old / "store.json").read_text())
    assert manifest["format_version"] == 3
    (old / "store.json").write_text(json.dumps({**manifest, "format_version": version}))
    with pytest.raises(ValueError, match=rf"is not a discourse store: format version {version}; this discourse "
                                         r"reads version 3 \(rebuild the store from its source\); build one "
                                         r"with discourse.build_store"):
        dc.open_store(old)


def test_a_partition_reads_a_field_only_when_it_is_used(store, monkeypatch):
    read: list[str] = []
    frame, array = Location.frame, Location.array
    monkeypatch.setattr(Location, "frame", lambda self, *p: read.append(p[-1]) or frame(self, *p))
    monkeypatch.setattr(Location, "array", lambda self, *p, **kw: read.append(p[-1]) or array(self, *p, **kw))
    part = store.partition(0)
    assert not any(name.endswith(".parquet") or name.startswith(("dtm_", "post_", "text")) for name in read)
    assert {"metadata", "audit", "dtm", "texts"} <= set(part.pending)
    dc.kwic(store, "talks", window=3)  # a concordance: token arrays, postings, texts; no table, no matrix
    assert not any(name.endswith(".parquet") or name.startswith(("dtm_", "reasons")) for name in read), read
    assert {"post_pos.npy", "ids.npy", "starts.npy", "text_ptr.npy"} <= set(read)
    read.clear()
    pd.testing.assert_frame_equal(part.metadata, store.metadata.iloc[:store.bounds[1]])
    assert read == ["metadata.parquet"] and "metadata" not in part.pending
    part.metadata  # read once, then kept
    assert read == ["metadata.parquet"]
    assert part.dtm.shape == (store.bounds[1], len(store.vocab)) and read[-1] == "dtm_indptr.npy"
    assert part.audit is None  # clean=False: no audit file
    part.metadata = part.metadata.iloc[:0]  # assigning replaces the field, as on Tokens
    assert len(part.metadata) == 0


def test_a_lazy_partition_pickles_with_what_it_has_not_read(store):
    part = store.partition(1)
    back = pickle.loads(pickle.dumps(part))
    assert "dtm" in back.pending and list(back.texts) == list(part.texts)
    assert np.array_equal(back.ids, part.ids) and (back.dtm != part.dtm).nnz == 0


def test_byte_offsets_are_stored_beside_the_character_offsets(store):
    for k in range(store.n_partitions):
        part = store.partition(k)
        byte_starts, byte_ends, data, text_ptr, again = part._utf8
        assert again() is not None and np.array_equal(again(), data)
        for j in range(part.n_tokens):
            d = int(np.searchsorted(part.doc_ptr, j, side="right") - 1)
            text = part.texts[d]
            raw = bytes(data[text_ptr[d]:text_ptr[d + 1]])
            assert raw[byte_starts[j]:byte_ends[j]].decode() == text[part.starts[j]:part.ends[j]]
            assert byte_starts[j] == len(text[:part.starts[j]].encode())


def test_an_open_store_maps_each_file_once_and_keeps_a_bounded_set(corpus, tmp_path):
    store = dc.build_store(corpus, tmp_path / "maps.store", clean=False, partition_docs=1)
    maps = store.location.maps
    first = dc.kwic(store, "talks", window=3)
    opened = maps.opened
    assert opened > 0 and maps.bytes == sum(maps.in_use.values()) > 0
    again = dc.kwic(store, "talks", window=3)  # the same files: every map reused
    assert maps.opened == opened and maps.hits > 0
    pd.testing.assert_frame_equal(first, again)
    maps.limit = resident_bytes() + (1 << 30)  # memory to spare: nothing released
    pd.testing.assert_frame_equal(dc.kwic(store, "talks", window=3), first)
    assert maps.released == 0 and len(maps.in_use) > 1
    maps.limit = 0  # the process over the limit: the maps are released but the one in use (and that
    for _ in range(2):  # one too before the lines' strings are made: discourse.memory.make_room)
        pd.testing.assert_frame_equal(dc.kwic(store, "talks", window=3), first)
        assert len(maps.in_use) <= 1
    assert maps.released > 0
    if hasattr(mmap, "MADV_DONTNEED"):  # released, still mapped: nothing is mapped again
        assert maps.opened == opened and len(maps.kept) == opened
    maps.clear()
    maps.max_maps = 3  # over it the maps opened first are closed, and mapped again when needed
    for _ in range(2):
        pd.testing.assert_frame_equal(dc.kwic(store, "talks", window=3), first)
    assert len(maps.kept) <= 3 and maps.opened > opened
    store.append(dc.Corpus.from_records([{"id": "new", "outlet": "A", "text": "More talks."}]))
    assert maps.bytes == 0 and len(dc.kwic(store, "talks")) == len(first) + 1  # a new state maps anew


def _resident(path) -> int:
    """Resident bytes of this process's maps of ``path`` (/proc/self/smaps)."""
    total, here = 0, False
    for line in Path("/proc/self/smaps").read_text().splitlines():
        head = line.split(maxsplit=1)[0] if line.strip() else ""
        if "-" in head and not head.endswith(":"):  # a mapping's first line: its address range, ..., its file
            here = line.rstrip().endswith(str(path))
        elif here and line.startswith("Rss:"):
            total += int(line.split()[1]) * 1024
    return total


@pytest.mark.skipif(not Path("/proc/self/smaps").exists() or not hasattr(mmap, "MADV_DONTNEED"),
                    reason="needs Linux's /proc/self/smaps and madvise")
def test_a_released_map_keeps_no_resident_pages(corpus, tmp_path):
    store = dc.build_store(corpus, tmp_path / "pages.store", clean=False)
    maps = store.location.maps
    dc.kwic(store, "talks")
    texts = tmp_path / "pages.store" / "partitions" / "00000" / "texts.bin"
    key = next(k for k in maps.kept if k[-1] == "texts.bin")
    assert _resident(texts) > 0
    maps._release(key)  # as the limit does
    assert _resident(texts) == 0 and key in maps.kept  # still mapped, its pages dropped
    assert len(dc.kwic(store, "talks")) > 0 and _resident(texts) > 0  # read again from the page cache

def test_make_room_releases_every_open_stores_maps(corpus, tmp_path):
    from discourse.memory import CACHES, make_room

    stores = [dc.build_store(corpus, tmp_path / f"room{i}.store", clean=False) for i in range(2)]
    lines = [dc.kwic(s, "talks") for s in stores]
    assert all(s.location.maps in CACHES and s.location.maps.in_use for s in stores)
    for s in stores:
        s.location.maps.limit = resident_bytes() + (1 << 30)
    make_room(0)  # within the limit: nothing to release
    assert all(s.location.maps.in_use for s in stores)
    make_room(1 << 50)  # more than any memory: every map's pages go, the maps stay open
    assert all(not s.location.maps.in_use and s.location.maps.released > 0 for s in stores)
    for s, want in zip(stores, lines):
        pd.testing.assert_frame_equal(dc.kwic(s, "talks"), want)
