"""Building a store in worker processes: byte-for-byte the store built in one process; one regex split."""
import json
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

import discourse as dc
from discourse.datasets import make_news_corpus
from discourse.store.writer import Cleaning, write_partitions
from discourse.token_counter import TokenCounter, concat_batches, split_texts, text_batches

# what differs between two builds of the same corpus: when, the tables' stamp, and the option itself
VOLATILE = {"created", "updated", "stamp", "tables", "workers", "history"}


def _strip(value):
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def store_files(path):
    """Every file of a store by its path (the tables directory's stamp taken out)."""
    files = {}
    for f in sorted(p for p in path.rglob("*") if p.is_file()):
        rel = f.relative_to(path).as_posix()
        rel = "tables/" + rel.split("/", 1)[1] if rel.startswith("tables-") else rel
        files[rel] = f
    return files


def assert_same_store(a, b):
    fa, fb = store_files(a.path), store_files(b.path)
    assert sorted(fa) == sorted(fb)
    for rel, f in fa.items():
        if f.suffix == ".npy":
            x, y = np.load(f), np.load(fb[rel])
            assert x.dtype == y.dtype and np.array_equal(x, y), rel
        elif f.suffix == ".parquet":
            pd.testing.assert_frame_equal(pd.read_parquet(f), pd.read_parquet(fb[rel]), check_exact=True, obj=rel)
        elif f.name == "store.json":
            assert _strip(json.loads(f.read_text())) == _strip(json.loads(fb[rel].read_text()))
        else:
            assert f.read_bytes() == fb[rel].read_bytes(), rel
    assert a.vocab.equals(b.vocab)
    pd.testing.assert_frame_equal(a.types, b.types)
    pd.testing.assert_frame_equal(a.metadata, b.metadata)
    pd.testing.assert_frame_equal(a.reconciliation, b.reconciliation)  # the audit: its parquet files above


@pytest.fixture(scope="module")
def news():
    return dc.Corpus.from_records(make_news_corpus(20_000, seed=5).records)


def test_workers_2_builds_the_store_of_workers_1(news, tmp_path):
    one = dc.build_store(news, tmp_path / "one.store", partition_docs=6, workers=1)
    two = dc.build_store(news, tmp_path / "two.store", partition_docs=6, workers=2)
    assert one.n_partitions > 3 and one.audit is not None and len(one.audit)  # cleaning and the pool both ran
    assert json.loads((two.path / "store.json").read_text())["options"]["workers"] == 2
    assert_same_store(one, two)


def test_workers_2_on_the_sample(tmp_path):
    corpus = dc.sample_corpus_path()  # read from its folder, cleaned with its detections
    one = dc.build_store(corpus, tmp_path / "one.store", partition_docs=1, workers=1,
                         tokenize={"stopwords": "english"})
    two = dc.build_store(corpus, tmp_path / "two.store", partition_docs=1, workers=2,
                         tokenize={"stopwords": "english"})
    assert one.n_partitions > 1
    assert_same_store(one, two)


def test_workers_start_while_a_large_file_is_read_and_build_the_same_store(tmp_path, monkeypatch):
    """A file of at least EARLY_POOL_BYTES: the pool starts before the file is read (the workers import
    meanwhile); the store equals the one built in one process."""
    import discourse.store.build as build
    from discourse.datasets import write_news_jsonl

    data = tmp_path / "news.jsonl"
    write_news_jsonl(data, 60_000, seed=2)
    monkeypatch.setattr(build, "EARLY_POOL_BYTES", data.stat().st_size)
    events = []
    read, pool = build.read_source, build.worker_pool
    monkeypatch.setattr(build, "read_source", lambda *a, **k: (events.append("read"), read(*a, **k))[1])

    def traced_pool(workers, n):
        events.append(("pool", workers, n))
        return pool(workers, n)

    monkeypatch.setattr(build, "worker_pool", traced_pool)
    two = dc.build_store(data, tmp_path / "two.store", partition_docs=20, workers=2)
    assert events == [("pool", 2, 2), "read"]  # started first, and no second pool
    events.clear()
    one = dc.build_store(data, tmp_path / "one.store", partition_docs=20, workers=1)
    assert one.n_partitions > 1 and len(one.audit)
    assert_same_store(one, two)
    monkeypatch.setattr(build, "EARLY_POOL_BYTES", data.stat().st_size + 1)  # smaller: the pool after reading
    events.clear()
    dc.build_store(data, tmp_path / "three.store", partition_docs=20, workers=2)
    assert events == [("pool", 2, 1), "read", ("pool", 2, one.n_partitions)]


def test_append_with_workers_2(news, tmp_path):
    head, tail = news.take(range(0, len(news) // 2)), news.take(range(len(news) // 2, len(news)))
    one = dc.build_store(head, tmp_path / "one.store", partition_docs=5, workers=1).append(tail, workers=1)
    two = dc.build_store(head, tmp_path / "two.store", partition_docs=5, workers=2).append(tail, workers=2)
    assert one.n_partitions > 4
    assert_same_store(one, two)


class FailingCleaning(Cleaning):
    """A cleaning that fails on the third partition and leaves the others as they are (module-level: it is pickled to the workers)."""

    def apply(self, batch):
        if batch.metadata.index[0] == self.options["fail_at"]:
            raise ValueError(f"cannot clean document {batch.metadata.index[0]!r}")
        return replace(batch, params={**batch.params, "cleaning": {"heavy_removals": [], "emptied": []}})


def test_an_exception_in_a_worker_surfaces_with_its_message(news, tmp_path):
    first = news.metadata.index[8]
    cleaning = FailingCleaning({"fail_at": first}, {}, None)
    out = tmp_path / "failed"
    out.mkdir()
    with pytest.raises(ValueError, match=f"cannot clean document {first!r}"):
        write_partitions(out, news, TokenCounter(), cleaning, first_partition=0, partition_docs=4, batch_chars=10_000,
                         workers=2)


def test_workers_is_checked(news, tmp_path):
    with pytest.raises(ValueError, match="workers"):
        dc.build_store(news, tmp_path / "bad.store", workers=0)


def test_one_split_counts_and_offsets_as_tokenize():
    """add_split(split_texts(...)) counts as add(); split_offsets are tokenize's offsets (one regex pass)."""
    texts = ["Russia's U.S.-led talks\x1cended; 3.5% rose.\n\nNew line\u00a0here.", "", "A\x1fB  c-d. Mr. Smith"]
    split = split_texts(texts, "split", "keep", 20)
    assert len(split) > 1  # several text batches
    counter = TokenCounter()
    counted = concat_batches([counter.add_split(s) for s in split], len(counter.terms))
    ref = TokenCounter()
    expected = concat_batches([ref.add(b) for b in text_batches(texts, 20)], len(ref.terms))
    for name in ("ids", "sent", "lengths", "reasons"):
        assert np.array_equal(getattr(counted, name), getattr(expected, name)), name
    assert (counted.dtm != expected.dtm).nnz == 0
    pd.testing.assert_frame_equal(counter.types, ref.types)
    starts = np.concatenate([counter.split_offsets(s)[0] for s in split])
    ends = np.concatenate([counter.split_offsets(s)[1] for s in split])
    tokens = dc.tokenize(dc.Corpus.from_records([{"id": str(i), "text": t} for i, t in enumerate(texts)]))
    assert np.array_equal(tokens.ids, counted.ids)
    assert np.array_equal(starts, tokens.starts) and np.array_equal(ends, tokens.ends)
    # the control character \x1c is punctuation to the regex, not white space: dropped, and its offset kept
    assert len(starts) == len(counted.ids)
    assert [texts[0][s:e] for s, e in zip(starts[:4], ends[:4])] == ["Russia", "'s", "U.S.-led", "talks"]


def test_no_worker_processes_when_spawn_cannot_import_the_main_script(monkeypatch):
    """A script piped to ``python -`` has no file that ``spawn`` could re-import: the build runs in this process."""
    import sys

    from discourse.store.pipeline import worker_pool

    monkeypatch.setattr(sys.modules["__main__"], "__file__", "/nonexistent/<stdin>", raising=False)
    with worker_pool(2, 5) as pool:
        assert pool is None


def test_a_build_and_an_append_from_a_path_keep_the_texts_read_in_a_file(tmp_path, monkeypatch):
    """The texts read from a path are spilled (not held in memory); nothing is left beside the store, and
    the store is the one built with the texts held in memory."""
    import discourse.store.build as build
    import discourse.store.store as store_module
    from discourse.datasets import write_news_jsonl

    head, tail = tmp_path / "head.jsonl", tmp_path / "tail.jsonl"
    write_news_jsonl(head, 12_000, seed=3)
    write_news_jsonl(tail, 6_000, seed=4)
    tail.write_text(tail.read_text().replace('"id": "', '"id": "new-'))
    spilled, spill = [], [True]
    for module in (build, store_module):
        def traced(*a, _read=module.read_source, **k):
            corpus = _read(*a, **(k if spill[0] else {**k, "spill": None}))
            spilled.append(corpus.texts.spilled)
            return corpus
        monkeypatch.setattr(module, "read_source", traced)
    out = tmp_path / "stores" / "news.store"
    dc.build_store(head, out, partition_docs=7, workers=1).append(tail, workers=1)
    assert spilled == [True, True] and sorted(p.name for p in out.parent.iterdir()) == ["news.store"]
    assert not any(p.name.startswith(".discourse-texts") for p in out.rglob("*"))
    spill[0] = False
    dc.build_store(head, tmp_path / "memory.store", partition_docs=7, workers=1).append(tail, workers=1)
    assert spilled == [True, True, False, False]
    assert_same_store(dc.open_store(out), dc.open_store(tmp_path / "memory.store"))


def test_partition_starts_bound_documents_and_bytes():
    """Worked by hand: sizes 5, 5, 30, 1, 1, 1 bytes; at most 3 documents and 10 bytes a partition."""
    from discourse.store.pipeline import partition_starts, piece_starts, text_sizes
    from discourse.text_store import TextStore

    texts = ["a" * 5, "é" * 2 + "a", "b" * 30, "c", "d", "e"]  # "éé" + "a": 5 bytes of UTF-8, 3 characters
    sizes = text_sizes(texts)
    assert sizes.tolist() == text_sizes(TextStore(texts)).tolist() == [5, 5, 30, 1, 1, 1]
    # [0, 1] 10 bytes; [2] 30 bytes alone (longer than the bound); [3, 4, 5] 3 bytes, 3 documents
    assert partition_starts(sizes, 3, 10) == [0, 2, 3]
    assert partition_starts(sizes, 2, 10) == [0, 2, 3, 5]  # the documents' bound
    assert partition_starts(sizes, 3, None) == [0, 3]
    assert partition_starts(sizes, 10, 1) == [0, 1, 2, 3, 4, 5]  # every document longer than the bound: alone
    assert partition_starts(sizes, 10, 41) == [0, 4]  # 5 + 5 + 30 + 1 = 41 bytes: exactly the bound
    assert partition_starts(sizes, 10, 40) == [0, 3] and partition_starts(sizes[:0], 3, 10) == []
    # pieces of about equal bytes within each partition: [0..3] (41 bytes) in 2 is cut where 20.5 bytes are
    # passed, after document 1 (10 bytes) and before 2 (40): [0, 2]; [4, 5] (2 bytes) in 2: [4], [5]
    assert piece_starts(sizes, [0, 4], pieces=2) == [0, 2, 4, 5]
    # in 4: the quarters 10.25, 20.5 and 30.75 bytes all fall after document 1 (document 2 alone is 30 bytes)
    assert piece_starts(sizes, [0, 4], pieces=4) == [0, 2, 4, 5]
    assert piece_starts(sizes, [0, 2, 3], pieces=1) == [0, 2, 3] and piece_starts(sizes[:1], [0], 4) == [0]


def test_a_store_of_byte_bounded_partitions_equals_the_tokens(news, tmp_path):
    """Partitions bounded by their text's bytes: each within the bound (or one document), the results those of
    the in-memory tokens, the bound recorded and kept by an append."""
    head, tail = news.take(range(0, 30)), news.take(range(30, len(news)))
    bound = 3 * max(len(t.encode()) for t in news.texts)
    store = dc.build_store(head, tmp_path / "s.store", partition_docs=100, partition_bytes=bound, workers=1)
    store.append(tail, workers=1)
    store = dc.open_store(tmp_path / "s.store")
    assert store.options["partition_bytes"] == bound and store.n_partitions > 2
    sizes = np.array([len(t.encode("utf-8", "surrogatepass")) for t in news.texts])
    assert 30 in store.bounds and store.bounds[-1] == len(news)  # the append starts a partition
    for lo, hi in zip(store.bounds[:-1], store.bounds[1:]):
        assert hi - lo == 1 or sizes[lo:hi].sum() <= bound
        assert hi == len(news) or hi == 30 or sizes[lo:hi + 1].sum() > bound  # as many as fit
    tokens = dc.tokenize(dc.clean(news))
    pd.testing.assert_frame_equal(dc.frequencies(store, by="outlet"), dc.frequencies(tokens, by="outlet"))
    with pytest.raises(ValueError, match="partition_bytes must be an integer >= 1"):
        dc.build_store(head, tmp_path / "t.store", partition_bytes=0)
