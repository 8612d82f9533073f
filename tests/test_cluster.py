"""The analyses on a dask.distributed cluster (a 2-worker LocalCluster in processes) equal the local results."""
import functools
import os

import dask.config
import numpy as np
import pytest
from distributed import Client, LocalCluster, get_task_stream

import discourse as dc
from discourse.cluster import current_client, dask_map, dask_map_reduce, scatter_parts, use_client
from discourse.datasets import make_news_corpus
from discourse.partitions import SplitTokens, merge_sum, run_partitions, stacked_columns, term_totals


@pytest.fixture(scope="module")
def client():
    """Two worker processes of one thread each, as a cluster of two machines would have (no dashboard; the
    scheduler's health page on a free port, not 8787, which parallel test runs would contend for)."""
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      scheduler_kwargs={"dashboard_address": ":0"}) as cluster, \
            Client(cluster, set_as_default=False) as c:
        yield c


@pytest.fixture(scope="module")
def tokens():
    """A synthetic corpus of four outlets (40k tokens, seed 4), without cleaning: the map is what is tested."""
    return dc.tokenize(dc.Corpus.from_records(make_news_corpus(40_000, n_outlets=4, seed=4).records))


# map functions: module level, so that the workers can import them
def _where(part, first):
    return first, part.n_docs, int(part.doc_lengths.sum()), os.getpid()


def _fail_after_the_first(part, first, word):
    if first > 0:
        raise ValueError(f"no {word!r} in the partition starting at document {first}")
    return part.n_docs


def _keys(stream):
    return {t["key"] if isinstance(t["key"], str) else t["key"][0] for t in stream.data}


def test_frequencies_on_the_cluster_equal_the_local_result(client, tokens):
    local = dc.frequencies(tokens, by="outlet")
    split = SplitTokens(tokens, 4)
    with get_task_stream(client) as stream, use_client(client):
        on_cluster = dc.frequencies(split, by="outlet")
    assert on_cluster.equals(local) and on_cluster.attrs == local.attrs
    ran = [k for k in _keys(stream) if k.startswith("discourse_group_part-")]
    assert len(ran) == 4  # one task per partition, run by the workers
    with use_client(client):  # a second analysis: the partitions are on the workers already
        assert dc.frequencies(split).equals(dc.frequencies(tokens))


def test_the_sample_with_an_empty_partition_and_the_client_keyword(client, sample):
    n = sample.n_docs
    split = SplitTokens(sample, bounds=[0, n // 3, n // 3, n])
    with use_client(client):
        assert dc.frequencies(split, by="outlet").equals(dc.frequencies(sample, by="outlet"))
        assert (term_totals(split) == np.asarray(sample.dtm.sum(axis=0)).ravel()).all()
        cols = [sample.term_id("the"), 3, 11]
        assert (stacked_columns(split, cols) != sample.dtm[:, cols]).nnz == 0
    parts = split.map(_where, client=client)
    assert [p[:3] for p in parts] == [(0, n // 3, int(sample.doc_lengths[:n // 3].sum())), (n // 3, 0, 0),
                                      (n // 3, n - n // 3, int(sample.doc_lengths[n // 3:].sum()))]
    assert os.getpid() not in {p[3] for p in parts}  # computed in the worker processes
    assert {p[3] for p in split.map(_where)} == {os.getpid()}  # no client: here


def test_a_load_that_runs_on_the_workers(client, tokens):
    """A store's route: ``load(k)`` is sent once and opens partition k on the worker."""
    split = SplitTokens(tokens, 3)
    ks = [2, 0, 1]  # results come back in the order asked
    on_cluster = run_partitions(split._load, ks, _where, client=client)
    local = run_partitions(split._load, ks, _where)
    assert [p[:3] for p in on_cluster] == [p[:3] for p in local] == [
        (int(split.bounds[k]), int(np.diff(split.bounds)[k]), int(tokens.doc_lengths[split.bounds[k]:split.bounds[k + 1]].sum()))
        for k in ks]
    assert dask_map(client, split._load, [], _where, ()) == []


def test_a_worker_exception_surfaces_with_its_message(client, tokens):
    split = SplitTokens(tokens, 3)
    with pytest.raises(ValueError, match=r"no 'ukraine' in the partition starting at document \d+"):
        split.map(_fail_after_the_first, "ukraine", client=client)
    with pytest.raises(ValueError, match=r"no 'ukraine' in the partition starting at document \d+"):
        run_partitions(split._load, [0, 1], _fail_after_the_first, ("ukraine",), client=client)
    assert split.map(_fail_after_the_first, "ukraine", partitions=[0], client=client) == [split.bounds[1]]


def test_partitions_are_sent_once_and_spread_over_the_workers(client, tokens):
    split = SplitTokens(tokens, 4)
    first = scatter_parts(client, split, split._load, range(4))
    again = scatter_parts(client, split, split._load, [1, 3])
    assert {k: first.futures[k][0].key for k in (1, 3)} == {k: f.key for k, (f, _) in again.futures.items()}
    holders = client.who_has([f for f, _ in first.futures.values()])
    assert len({w for ws in holders.values() for w in ws}) == 2  # both workers hold partitions
    part, start = first(2)  # a ScatteredParts is a load too
    assert start == split.bounds[2] and part.n_docs == split.partition(2).n_docs


def test_which_client_nesting_config_and_none(client):
    assert current_client() is None  # nothing set: local
    with use_client(client):
        assert current_client() is client
        with use_client(None):
            assert current_client() is None  # local inside a cluster block
        assert current_client() is client
    assert current_client() is None
    with dask.config.set({"discourse.client": client}):
        assert current_client() is client
        with use_client(None):
            assert current_client() is None
    with dask.config.set({"discourse.client": client.scheduler.address}):
        connected = current_client()
        try:
            assert connected is not client and connected.scheduler.address == client.scheduler.address
            assert current_client() is connected  # connected once
        finally:
            connected.close()
    with dask.config.set({"discourse.client": "default"}):
        with pytest.raises(ValueError, match="discourse.client is 'default' but there is no Dask client"):
            current_client()  # the fixture's client is not the default one
    assert dc.use_client is use_client


def test_a_partial_of_a_module_level_load(client, tokens):
    """``functools.partial`` loads are picklable: the documented form for a store's ``load``."""
    split = SplitTokens(tokens, 2)
    load = functools.partial(SplitTokens._load, split)
    assert [p[:3] for p in run_partitions(load, [0, 1], _where, client=client)] == \
        [p[:3] for p in split.map(_where)]


def _counts(part, first, n_terms):
    return np.bincount(part.ids, minlength=n_terms).astype(np.int64), float(part.doc_lengths.sum()) / 3


def test_the_merge_as_a_tree_on_the_workers(client, tokens):
    """dask_map_reduce: the partial counts combined on the workers, split_every at a time; one result returns."""
    split = SplitTokens(tokens, 7)
    n_terms = len(tokens.vocab)
    local = merge_sum(split.map(_counts, n_terms))
    with get_task_stream(client) as stream:
        counts, third = dask_map_reduce(client, split._load, range(7), _counts, (n_terms,), merge_sum, split_every=3)
    assert (counts == local[0]).all() and (counts == np.asarray(tokens.dtm.sum(axis=0)).ravel()).all()
    assert third == pytest.approx(local[1], rel=1e-12) and third == pytest.approx(tokens.n_tokens / 3, rel=1e-12)
    merges = sorted(k for k in _keys(stream) if "-merge" in k)
    assert len(merges) == 3 + 1  # 7 partials -> 3 -> 1
    with pytest.raises(ValueError, match=r"split_every must be an integer >= 2, not 1"):
        dask_map_reduce(client, split._load, range(7), _counts, (n_terms,), merge_sum, split_every=1)
    with pytest.raises(ValueError, match=r"no 'x' in the partition starting at document \d+"):
        dask_map_reduce(client, split._load, range(7), _fail_after_the_first, ("x",), merge_sum)


def _fresh(tmp_path, env: dict) -> "subprocess.CompletedProcess":
    """A fresh process (HOME a new folder, no DASK_ variable but those given) that maps kwic over two
    partitions and prints whether Dask was imported."""
    import subprocess
    import sys

    code = ("import sys, discourse as dc\n"
            "from discourse.datasets import make_news_corpus\n"
            "from discourse.partitions import SplitTokens\n"
            "t = dc.tokenize(dc.Corpus.from_records(make_news_corpus(3000, n_outlets=2, seed=1).records))\n"
            "dc.kwic(SplitTokens(t, 2), 'the')\n"
            "print('dask' in sys.modules)\n")
    base = {k: v for k, v in os.environ.items() if not k.startswith("DASK_")}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**base, "HOME": str(tmp_path), **env})


def test_no_setting_possible_no_dask_imported_and_env_or_yaml_settings_still_read(tmp_path):
    """Dask is imported to read ``discourse.client`` only when something can have set it: with no DASK_
    variable and no YAML directory an analysis runs without importing it; the variable and a YAML file in
    ~/.config/dask are still read (``default`` with no client running is the documented error)."""
    plain = _fresh(tmp_path, {})
    assert plain.returncode == 0, plain.stderr[-2000:]
    assert plain.stdout.split()[-1] == "False"
    by_env = _fresh(tmp_path, {"DASK_DISCOURSE__CLIENT": "default"})
    assert by_env.returncode != 0 and "there is no Dask client" in by_env.stderr
    (tmp_path / ".config" / "dask").mkdir(parents=True)
    (tmp_path / ".config" / "dask" / "discourse.yaml").write_text("discourse:\n  client: default\n")
    by_yaml = _fresh(tmp_path, {})
    assert by_yaml.returncode != 0 and "there is no Dask client" in by_yaml.stderr
