"""A store on object storage through fsspec (issue 13: "the store on a shared file system or object storage
through fsspec"): built locally, copied with fsspec, opened by URL; the analyses give the local store's
results (counts exactly, floats within 1e-12 relative), also on a 2-worker LocalCluster whose workers open
the partitions from the URL themselves."""
import functools
import json
import pickle
import uuid
import warnings

import fsspec
import numpy as np
import pandas as pd
import pytest

import discourse as dc
from discourse.cluster import use_client
from discourse.datasets import make_news_corpus
from discourse.store.format import open_partition
from discourse.store.location import Location, is_url
from discourse.stopwords import english_stopwords


def _corpus(kind):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if kind == "sample":
            return dc.read_corpus(dc.sample_corpus_path())
        return dc.Corpus.from_records(make_news_corpus(40_000, n_outlets=3, seed=11).records)


def _to_memory(local) -> str:
    """Copy the local store into fsspec's in-memory file system (as one would to a bucket); its URL."""
    root = f"/bucket-{uuid.uuid4().hex[:8]}/news.store"
    fsspec.filesystem("memory").put(str(local) + "/", root, recursive=True)
    return "memory://" + root


@pytest.fixture(scope="module", params=["synthetic", "sample"])
def stores(request, tmp_path_factory):
    """(the local store, the same store opened from memory://, a node word, two outlets)."""
    corpus = _corpus(request.param)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        local = dc.build_store(corpus, tmp_path_factory.mktemp("s") / "c.store", workers=1,
                               partition_docs=1 if request.param == "sample" else 9)
    assert local.n_partitions > 1
    remote = dc.open_store(_to_memory(local.path))
    freq = dc.frequencies(local).sort_values("rank")
    words = freq[freq["term"].str.fullmatch(r"[a-z]{5,}") & ~freq["term"].isin(english_stopwords())]
    outlets = sorted(local.metadata["outlet"].unique())[:2]
    return local, remote, words["term"].iloc[0], outlets


ANALYSES = {
    "frequencies": lambda t, node, o: dc.frequencies(t, by="outlet"),
    "keyness": lambda t, node, o: dc.keyness(t, o[0], "rest", by="outlet", keep="all", seed=3),
    "collocates": lambda t, node, o: dc.collocates(t, node, by="outlet"),
    "kwic": lambda t, node, o: dc.kwic(t, node),
    "dispersion": lambda t, node, o: dc.dispersion(t, by="outlet"),
}


def _equal(a, b):
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, rtol=1e-12)
        assert a.attrs.keys() == b.attrs.keys()
    else:
        pd.testing.assert_series_equal(a, b, rtol=1e-12)


@pytest.mark.filterwarnings("ignore::UserWarning")  # the 2-document sample: undefined measures, said once
@pytest.mark.parametrize("name", list(ANALYSES))
def test_analyses_on_a_memory_url_equal_the_local_store(stores, name):
    local, remote, node, outlets = stores
    _equal(ANALYSES[name](remote, node, outlets), ANALYSES[name](local, node, outlets))


def test_a_url_store_holds_what_the_local_one_holds(stores):
    local, remote, node, _ = stores
    assert remote.location.remote and not local.location.remote
    assert remote.n_tokens == local.n_tokens and remote.n_docs == local.n_docs
    assert list(remote.vocab) == list(local.vocab)
    pd.testing.assert_frame_equal(remote.metadata, local.metadata)
    np.testing.assert_array_equal(remote.doc_ptr, local.doc_ptr)
    ids = [local.term_id(node)]
    np.testing.assert_array_equal(remote.term_partitions(ids), local.term_partitions(ids))
    np.testing.assert_array_equal(remote.positions(0, ids), local.positions(0, ids))
    assert remote.manifest_hash() == local.manifest_hash()
    assert remote.report.frame.equals(local.report.frame)


def test_local_arrays_are_memory_mapped_and_url_arrays_read_whole(stores):
    local, remote, _, _ = stores
    here, there = local.partition(0), remote.partition(0)
    assert isinstance(here.ids.base, np.memmap)  # a local path memory-maps, as before (a view of the map)
    assert not isinstance(there.ids, np.memmap) and not there.ids.flags.writeable
    np.testing.assert_array_equal(here.ids, there.ids)
    np.testing.assert_array_equal(here.sent, there.sent)
    assert (here.dtm != there.dtm).nnz == 0
    assert here.texts == there.texts


def test_a_partition_task_carries_the_url_not_the_data(stores):
    _, remote, _, _ = stores
    load = functools.partial(open_partition, remote.location)
    blob = pickle.dumps(load)
    assert len(blob) < 1_000 and remote.location.url.encode() in blob
    part, first = pickle.loads(blob)(1)  # what a worker does: its own file system from the URL
    assert first == remote.bounds[1]
    np.testing.assert_array_equal(part.ids, remote.partition(1).ids)


def test_a_file_url_on_a_two_worker_local_cluster_equals_the_local_store(tmp_path):
    from distributed import Client, LocalCluster

    corpus = _corpus("synthetic")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        local = dc.build_store(corpus, tmp_path / "c.store", partition_docs=9, workers=1)
    url = (tmp_path / "c.store").as_uri()  # file:///…: read through fsspec (memory:// is not shared by processes)
    assert url.startswith("file://") and is_url(url)
    node = str(dc.frequencies(local).sort_values("rank")["term"].iloc[30])
    expected = {name: fn(local, node, ["Outlet A", "Outlet B"]) for name, fn in ANALYSES.items()
                if name in ("frequencies", "collocates", "kwic")}
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      scheduler_kwargs={"dashboard_address": ":0"}) as cluster, \
            Client(cluster, set_as_default=False) as client:
        store = dc.open_store(url)
        assert store.location.remote
        with use_client(client):
            for name, want in expected.items():
                _equal(ANALYSES[name](store, node, ["Outlet A", "Outlet B"]), want)
        assert len(client.run(lambda: 1)) == 2


def test_a_missing_or_malformed_url_names_it():
    missing = f"memory://nothing-{uuid.uuid4().hex[:6]}/news.store"
    with pytest.raises(ValueError, match=f"{missing!r} is not a discourse store: no such directory"):
        dc.open_store(missing)
    with pytest.raises(ValueError, match=r"'nosuchproto://bucket/x' is not a discourse store: fsspec cannot open"):
        dc.open_store("nosuchproto://bucket/x")
    empty = f"/empty-{uuid.uuid4().hex[:6]}"
    fsspec.filesystem("memory").mkdir(empty)
    with pytest.raises(ValueError, match="it has no store.json"):
        dc.open_store("memory://" + empty)


def test_storage_options_belong_to_a_url(tmp_path):
    with pytest.raises(ValueError, match="storage_options apply to an fsspec URL"):
        dc.open_store(tmp_path, storage_options={"anon": True})
    with pytest.raises(TypeError, match="storage_options must be a dict"):
        dc.open_store("memory://x/y", storage_options="anon")


def test_map_memory_bounds_a_local_store_s_maps_and_leaves_results_unchanged(stores):
    """``open_store(path, map_memory=...)``: the resident memory beyond which the store's maps give their
    pages back; none kept (0) or all kept, the lines are the same; a URL has no maps to bound."""
    local, remote, node, _ = stores
    want = dc.kwic(local, node)
    none_kept = dc.open_store(local.path, map_memory=0)
    assert none_kept.location.maps.limit == 0
    pd.testing.assert_frame_equal(dc.kwic(none_kept, node), want)
    assert none_kept.location.maps.released > 0
    all_kept = dc.open_store(local.path, map_memory=1 << 40)
    pd.testing.assert_frame_equal(dc.kwic(all_kept, node), want)
    assert all_kept.location.maps.released == 0
    with pytest.raises(ValueError, match="map_memory bounds the memory maps of a local store"):
        dc.open_store(remote.path, map_memory=1 << 30)
    for bad in (-1, "1GB", 1.5):
        with pytest.raises(ValueError, match="map_memory must be a non-negative integer"):
            dc.open_store(local.path, map_memory=bad)


def test_building_or_appending_at_a_url_says_how_to_copy_a_store(stores):
    local, remote, _, _ = stores
    corpus = _corpus("sample")
    with pytest.raises(ValueError, match=r"build it locally, then copy it with fsspec.*put"):
        dc.build_store(corpus, "memory://bucket/new.store")
    assert not fsspec.filesystem("memory").exists("/bucket/new.store")
    with pytest.raises(ValueError, match=r"is at a URL; stores are written locally.*put"):
        remote.append(corpus)


def test_store_files_stay_inside_the_root_for_urls_and_paths(stores, tmp_path):
    local, remote, _, _ = stores
    for where in (remote.location, local.location):
        for bad in ("..", "../x", "/etc", "a/b", "a\\b", "."):
            with pytest.raises(ValueError, match="would leave the store's directory"):
                where.file("partitions", bad)
    assert Location("memory://b/s.store").file("partitions", "00001", "ids.npy") == "/b/s.store/partitions/00001/ids.npy"
    # a store.json naming tables outside the store is refused, at a URL as at a path
    fs = fsspec.filesystem("memory")
    root = remote.location.root
    copy = f"/evil-{uuid.uuid4().hex[:6]}/s.store"
    fs.copy(root, copy, recursive=True)
    manifest = json.loads(fs.cat_file(copy + "/store.json"))
    fs.pipe_file(copy + "/store.json", json.dumps({**manifest, "tables": "../../outside"}).encode())
    with pytest.raises(ValueError, match=r"'memory://.*' is not a discourse store: the file name '\.\./\.\./outside'"):
        dc.open_store("memory://" + copy)
    local_copy = tmp_path / "s.store"
    fsspec.filesystem("file").put(str(local.path) + "/", str(local_copy), recursive=True)
    text = json.loads((local_copy / "store.json").read_text())
    (local_copy / "store.json").write_text(json.dumps({**text, "tables": "../outside"}))
    with pytest.raises(ValueError, match="would leave the store's directory"):
        dc.open_store(local_copy)
