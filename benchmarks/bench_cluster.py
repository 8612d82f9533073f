"""The analyses on a Dask cluster: wall time with 1 and 2 workers, the speedup, the per-partition map cost.

Run: ``.venv/bin/python benchmarks/bench_cluster.py [n_tokens] [--partitions P] [--rounds R] [--store PATH]``

A seeded synthetic corpus (:func:`discourse.datasets.make_news_corpus`, 8 outlets, 10M tokens by
default; tokenized, not cleaned: the map step is what is measured) is cut into ``P`` partitions
(:class:`discourse.partitions.SplitTokens`, in memory; ``--store PATH`` analyses an on-disk
store instead, ``dc.open_store(PATH)``, where the workers open the partitions from the path).
Each analysis that runs on partitions on this revision (a candidate that fails or differs
from the in-memory result on a small corpus is reported and left out), and ``bigram counts``
(this script's own map of adjacent term pairs, as heavy per token as n-grams': a map that
costs more than the client's share), is timed

* here, on the whole ``Tokens`` and on the partitions one after another (no client);
* on a ``LocalCluster`` of 1 and of 2 worker processes (one thread each), the first call
  (which also sends the partitions to the workers) apart from the median of ``R`` rounds after it;

and from the workers' task stream: the map cost per partition (compute time of one task, its
median and per million tokens) and the client's share (wall time minus the span of the tasks:
labels, arguments, merge and the final table). The README's "On a cluster" derives the cost for
1B and 10B tokens from these figures. Wall times on a shared machine are noisy (medians).
"""
from __future__ import annotations

import argparse
import os
import statistics
import time
import warnings
from typing import Any, Callable

import numpy as np

import discourse as dc
from discourse.datasets import make_news_corpus
from discourse.cluster import use_client
from discourse.partitions import SplitTokens, map_partitions


def _bigram_part(part: dc.Tokens, first: int, n_terms: int) -> tuple[np.ndarray, np.ndarray]:
    """Adjacent term pairs within a sentence in one partition (pair codes, counts): a map as heavy as n-grams'."""
    ids = part.ids.astype(np.int64)
    same = part.sent[1:] == part.sent[:-1]  # global sentence numbers: a pair never spans two documents
    return np.unique(ids[:-1][same] * n_terms + ids[1:][same], return_counts=True)


def bigram_counts(tokens: Any) -> Any:
    """The benchmark's own analysis through the partition protocol: bigram counts of the corpus."""
    import pandas as pd

    parts = map_partitions(tokens, _bigram_part, len(tokens.vocab))
    codes, inverse = np.unique(np.concatenate([c for c, _ in parts]), return_inverse=True)
    counts = np.bincount(inverse, weights=np.concatenate([n for _, n in parts])).astype(np.int64)
    return pd.DataFrame({"pair": codes, "freq": counts})


def _candidates(node: str) -> dict[str, Callable[[Any], Any]]:
    """Analyses that may run on partitions; each is kept only if it does on this revision."""
    return {
        "frequencies by outlet": lambda t: dc.frequencies(t, by="outlet"),
        "dispersion by outlet": lambda t: dc.dispersion(t, by="outlet"),
        "keyness Outlet A vs rest": lambda t: dc.keyness(t, by="outlet", target="Outlet A"),
        f"collocates of {node!r}": lambda t: dc.collocates(t, node),
        "bigrams by outlet": lambda t: dc.ngrams(t, n=2, by="outlet"),
        "bigram counts (this script's map)": bigram_counts,
    }


def _same(a: Any, b: Any) -> bool:
    try:
        import pandas as pd

        pd.testing.assert_frame_equal(a, b, rtol=1e-12)
        return True
    except AssertionError:
        return False


def converted(small: dc.Tokens) -> dict[str, Callable[[Any], Any]]:
    """The candidates whose result on a split equals the in-memory one (the others are not converted yet)."""
    keep = {}
    node = str(dc.frequencies(small)["term"].iloc[40])  # a frequent content word of the generator's vocabulary
    for name, fn in _candidates(node).items():
        try:
            ok = _same(fn(SplitTokens(small, 3)), fn(small))
        except Exception as exc:  # not converted: it reads the token stream at its top level
            print(f"  {name}: left out ({type(exc).__name__}: {str(exc)[:90]})")
            continue
        print(f"  {name}: {'runs on partitions' if ok else 'left out (differs from the in-memory result)'}")
        if ok:
            keep[name] = fn
    return keep


def _tasks(stream: list[dict]) -> list[tuple[str, float, float]]:
    """(key, start, stop) of the compute of each of discourse's map tasks."""
    out = []
    for t in stream:
        key = t["key"] if isinstance(t["key"], str) else str(t["key"][0])
        if key.startswith("discourse_") and "-merge" not in key:  # map tasks, not dask_map_reduce's merges
            for ss in t["startstops"]:
                if ss["action"] == "compute":
                    out.append((key, ss["start"], ss["stop"]))
    return out


def _scheduler_metrics(dask_scheduler: Any) -> dict:
    return dict(dask_scheduler.cumulative_worker_metrics)


def map_cpu(client: Any) -> float:
    """Thread CPU seconds the workers spent in discourse's map tasks so far (Dask's fine performance
    metrics, prefix ``discourse_<map>``): unlike wall time, not inflated by other processes on the cores."""
    time.sleep(2.5)  # the workers report with their heartbeats
    metrics = client.run_on_scheduler(_scheduler_metrics)
    return sum(v for k, v in metrics.items() if isinstance(k, tuple) and len(k) == 4 and k[0] == "execute"
               and str(k[1]).startswith("discourse_") and k[2] == "thread-cpu")


def on_cluster(corpus: Any, analyses: dict, workers: int, rounds: int, part_tokens: dict[int, int]) -> dict:
    from distributed import Client, LocalCluster, get_task_stream

    res = {}
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                      scheduler_kwargs={"dashboard_address": ":0"}) as cluster, \
            Client(cluster, set_as_default=False) as client, use_client(client):
        for name, fn in analyses.items():
            t0 = time.perf_counter()
            fn(corpus)  # sends the partitions (SplitTokens; once for all analyses), workers import discourse
            first = time.perf_counter() - t0
            walls, client_share, per_task, per_mtok, overlap, gaps = [], [], [], [], [], []
            cpu0 = map_cpu(client)
            for _ in range(rounds):
                with get_task_stream(client) as ts:
                    t0 = time.perf_counter()
                    fn(corpus)
                    wall = time.perf_counter() - t0
                tasks = _tasks(ts.data)
                walls.append(wall)
                if tasks:
                    span = max(s for _, _, s in tasks) - min(s for _, s, _ in tasks)
                    client_share.append(wall - span)
                    busy = sum(stop - start for _, start, stop in tasks)
                    overlap.append(busy / span if span > 0 else 1.0)
                    gaps.append(max(span * workers - busy, 0.0) / len(tasks))  # idle worker time a task
                    for key, start, stop in tasks:
                        k = int(key.rsplit("-", 1)[1])
                        per_task.append(stop - start)
                        if part_tokens.get(k):
                            per_mtok.append((stop - start) / part_tokens[k] * 1e6)
            cpu = (map_cpu(client) - cpu0) / rounds / (sum(part_tokens.values()) / 1e6)
            res[name] = dict(first=first, wall=statistics.median(walls), cpu_mtok=cpu,
                             client=statistics.median(client_share) if client_share else float("nan"),
                             task=statistics.median(per_task) if per_task else float("nan"),
                             per_mtok=statistics.median(per_mtok) if per_mtok else float("nan"),
                             n_tasks=len(per_task) // max(rounds, 1),
                             parallel=statistics.median(overlap) if overlap else float("nan"),
                             gap=statistics.median(gaps) if gaps else float("nan"),
                             load=os.getloadavg()[0])
    return res


def median_wall(fn: Callable[[], Any], rounds: int) -> float:
    walls = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        walls.append(time.perf_counter() - t0)
    return statistics.median(walls)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n_tokens", nargs="?", type=int, default=10_000_000)
    ap.add_argument("--partitions", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--store", help="an on-disk store (dc.open_store) instead of SplitTokens in memory")
    a = ap.parse_args()
    warnings.simplefilter("ignore")

    small = dc.tokenize(dc.Corpus.from_records(make_news_corpus(60_000, n_outlets=8, seed=1).records))
    print("analyses that run on partitions on this revision:")
    analyses = converted(small)

    t0 = time.perf_counter()
    if a.store:
        corpus = dc.open_store(a.store)
        whole = None
        kind = f"store {a.store}"
    else:
        whole = dc.tokenize(dc.Corpus.from_records(make_news_corpus(a.n_tokens, n_outlets=8, seed=0).records))
        corpus = SplitTokens(whole, a.partitions)
        kind = "SplitTokens in memory (partitions sent to the workers once)"
    bounds = np.asarray(corpus.bounds)
    ptr = np.asarray(corpus.doc_ptr)
    part_tokens = {k: int(ptr[bounds[k + 1]] - ptr[bounds[k]]) for k in range(len(bounds) - 1)}
    print(f"\ncorpus: {corpus.n_tokens:,} tokens, {corpus.n_docs:,} documents, {len(part_tokens)} partitions "
          f"of ~{statistics.median(part_tokens.values()) / 1e6:.2f}M tokens ({kind}); built in "
          f"{time.perf_counter() - t0:.0f} s")

    local = {}
    for name, fn in analyses.items():
        local[name] = (median_wall(lambda: fn(whole), a.rounds) if whole is not None else float("nan"),
                       median_wall(lambda: fn(corpus), a.rounds))
    runs = {w: on_cluster(corpus, analyses, w, a.rounds, part_tokens) for w in (1, 2)}

    print(f"\nmedian wall seconds of {a.rounds} rounds (first call on a cluster apart)")
    head = ("analysis", "whole", "parts, here", "1 worker: 1st", "1 worker", "2 workers: 1st", "2 workers",
            "speedup 2/1", "map s/part 1w, 2w", "map s/Mtok 1w, 2w", "map CPU s/Mtok 1w, 2w", "tasks in parallel 2w",
            "idle s/task 1w, 2w", "client s 1w, 2w")
    print(" | ".join(head))
    for name in analyses:
        one, two = runs[1][name], runs[2][name]
        print(" | ".join([name, f"{local[name][0]:.2f}", f"{local[name][1]:.2f}", f"{one['first']:.2f}",
                          f"{one['wall']:.2f}", f"{two['first']:.2f}", f"{two['wall']:.2f}",
                          f"{one['wall'] / two['wall']:.2f}x", f"{one['task']:.3f}, {two['task']:.3f}",
                          f"{one['per_mtok']:.3f}, {two['per_mtok']:.3f}",
                          f"{one['cpu_mtok']:.3f}, {two['cpu_mtok']:.3f}", f"{two['parallel']:.2f}",
                          f"{one['gap']:.3f}, {two['gap']:.3f}",
                          f"{one['client']:.2f}, {two['client']:.2f}"]))
    print(f"\nload average (1 min) after the 1- and 2-worker runs: {runs[1][name]['load']:.1f}, "
          f"{runs[2][name]['load']:.1f} on {os.cpu_count()} cores (other processes take cores from the workers)")
    print("map s/part, s/Mtok: median compute time of one map task on a worker, per partition and per million tokens;"
          "\nmap CPU s/Mtok: the workers' thread CPU seconds in the map tasks per million tokens (Dask's metrics);"
          "\ntasks in parallel: the tasks' compute time over their span (2 = both workers busy throughout);"
          "\nidle s/task: workers' idle time within the span, a task (scheduling, transfer of arguments and results);"
          "\nclient s: wall time minus the span of the tasks (labels, arguments, merge, table).")
    print("Cost on N tokens and W workers: T ~ client s x N/n + (map s/Mtok + idle s/task / Mtok a partition) x N/1e6 / W,"
          " n = this corpus' tokens (README, Large corpora: On a cluster).")


if __name__ == "__main__":
    main()
