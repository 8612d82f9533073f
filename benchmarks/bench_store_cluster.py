"""A store on a Dask cluster: wall time without a client, with 1 and with 2 workers, the speedup, the per-partition cost.

Run: ``nice .venv/bin/python benchmarks/bench_store_cluster.py [n_tokens] [--small N] [--rounds R] [--url]``

One store is built from a seeded synthetic JSONL (:func:`discourse.datasets.write_news_jsonl`, 8 outlets,
10M tokens by default, ``dc.build_store`` with its defaults), and a second, smaller one (``--small``,
default a quarter) to measure how the client's share grows with the corpus. On each store these analyses
run (``dc.open_store``; ``--url`` opens it as a ``file://`` URL, through fsspec, arrays read whole):

* ``frequencies(by="outlet")``; ``keyness(target=None, by="outlet")`` (each outlet against the rest);
  ``collocates`` of the 40th most frequent term; ``ngrams(n=2, by="outlet")``;

each timed here without a client (partitions one after another), and on a ``LocalCluster`` of 1 and of 2
worker processes (one thread each; the workers open the partitions from the store's path or URL), the
first call apart, then the median of ``R`` rounds. Every cluster result is compared with the result
without a client (``assert_frame_equal(rtol=1e-12)``). From the workers' task stream
(:func:`bench_cluster.on_cluster`): the compute time of one map task (a partition: opening it and the map),
its tokens, and the client's share (wall time minus the span of the tasks: labels, arguments, merge, table).

Printed last: the on-paper cost for 1B and 10B tokens on W workers (README, "Large corpora: On a
cluster"): ``T(N, W) = client(N) + ceil(N / tokens a partition) x (seconds a partition on 1 worker) / W``,
with ``client(N)`` the straight line through the client's share measured at the two sizes (1 worker).
"""
from __future__ import annotations

import argparse
import math
import os
import statistics
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any, Callable

import pandas as pd

import discourse as dc
from bench_cluster import median_wall, on_cluster
from discourse.datasets import write_news_jsonl


def analyses(node: str) -> dict[str, Callable[[Any], Any]]:
    return {
        "frequencies by outlet": lambda t: dc.frequencies(t, by="outlet"),
        "keyness each outlet vs rest": lambda t: dc.keyness(t, None, "rest", by="outlet"),
        "collocates of the 40th term": lambda t: dc.collocates(t, node),
        "bigrams by outlet": lambda t: dc.ngrams(t, n=2, by="outlet"),
    }


def build(work: Path, n_tokens: int, name: str) -> tuple[Path, float]:
    jsonl = work / f"{name}.jsonl"
    write_news_jsonl(jsonl, n_tokens, n_outlets=8, seed=0)
    t0 = time.perf_counter()
    dc.build_store(jsonl, work / f"{name}.store")
    return work / f"{name}.store", time.perf_counter() - t0


def measure(store: Any, fns: dict, rounds: int) -> dict:
    """Per analysis: the wall time without a client, and on 1 and 2 workers (with the task figures)."""
    bounds, ptr = store.bounds, store.doc_ptr
    part_tokens = {k: int(ptr[bounds[k + 1]] - ptr[bounds[k]]) for k in range(store.n_partitions)}
    here = {name: median_wall(lambda: fn(store), rounds) for name, fn in fns.items()}
    expected = {name: fn(store) for name, fn in fns.items()}
    runs = {w: on_cluster(store, {name: FirstChecked(fn, expected[name]) for name, fn in fns.items()}, w, rounds,
                          part_tokens) for w in (1, 2)}
    return {"here": here, "runs": runs, "part_tokens": part_tokens}


class FirstChecked:
    """``fn``, whose first result (the untimed first call on a cluster) is compared with the one without a client."""

    def __init__(self, fn: Callable, expected: pd.DataFrame) -> None:
        self.fn, self.expected, self.calls = fn, expected, 0

    def __call__(self, store: Any) -> Any:
        out = self.fn(store)
        if self.calls == 0:
            pd.testing.assert_frame_equal(out, self.expected, rtol=1e-12)  # the cluster gives the local result
        self.calls += 1
        return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n_tokens", nargs="?", type=int, default=10_000_000)
    ap.add_argument("--small", type=int, help="tokens of the second store (default n_tokens / 4)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--url", action="store_true", help="open the stores as file:// URLs (fsspec, arrays read whole)")
    a = ap.parse_args()
    warnings.simplefilter("ignore")
    sizes = {"large": a.n_tokens, "small": a.small or a.n_tokens // 4}
    results, meta = {}, {}
    with tempfile.TemporaryDirectory(prefix="bench_store_cluster-") as tmp:
        for name, n in sizes.items():
            path, secs = build(Path(tmp), n, name)
            store = dc.open_store(path.as_uri() if a.url else path)
            node = str(dc.frequencies(store).sort_values("rank")["term"].iloc[40])
            meta[name] = (store.n_tokens, store.n_docs, store.n_partitions, secs)
            print(f"{name} store: {store.n_tokens:,} tokens, {store.n_docs:,} documents, {store.n_partitions} "
                  f"partitions, built in {secs:.0f} s; opened {'as a file:// URL' if a.url else 'from its path'}",
                  flush=True)
            results[name] = measure(store, analyses(node), a.rounds)
    load = os.getloadavg()
    large, small = results["large"], results["small"]
    n_l, n_s = meta["large"][0], meta["small"][0]
    tok_part = statistics.median(large["part_tokens"].values())
    print(f"\nmedian wall seconds of {a.rounds} rounds; the first call on a cluster apart; results equal without a client")
    head = ("store", "analysis", "no client", "1 worker: 1st", "1 worker", "2 workers", "speedup 2/1",
            "s a partition (1w)", "Mtok a partition", "client s (1w)")
    print(" | ".join(head))
    for size, res in results.items():
        mtok = statistics.median(res["part_tokens"].values()) / 1e6
        for name in res["here"]:
            one, two = res["runs"][1][name], res["runs"][2][name]
            print(" | ".join([f"{meta[size][0] / 1e6:.1f}M", name, f"{res['here'][name]:.2f}", f"{one['first']:.2f}",
                              f"{one['wall']:.2f}", f"{two['wall']:.2f}", f"{one['wall'] / two['wall']:.2f}x",
                              f"{one['task']:.3f}", f"{mtok:.2f}", f"{one['client']:.2f}"]))
    print(f"\nload average (1, 5, 15 min) at the end: {load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f} on {os.cpu_count()} cores")
    print("\non paper: T(N, W) = client(N) + ceil(N / tokens a partition) x s a partition / W; client(N) the line through"
          f" the client's share at {n_s / 1e6:.1f}M and {n_l / 1e6:.1f}M tokens; partitions of {tok_part / 1e6:.2f}M tokens")
    cols = [(n, w) for n in (1e9, 1e10) for w in (1, 8, 32, 100)]
    print(" | ".join(["analysis", "client s = a + b x Mtok", "s a partition"]
                     + [f"{n / 1e9:.0f}B, W={w}" for n, w in cols]))
    for name in large["here"]:
        c_l, c_s = large["runs"][1][name]["client"], small["runs"][1][name]["client"]
        slope = max((c_l - c_s) / ((n_l - n_s) / 1e6), 0.0)  # a client share that shrinks is noise: flat
        base = c_l - slope * n_l / 1e6
        task = large["runs"][1][name]["task"]
        est = [base + slope * n / 1e6 + math.ceil(n / tok_part) * task / w for n, w in cols]
        print(" | ".join([name, f"{base:.2f} + {slope:.4f} x Mtok", f"{task:.3f}"] + [f"{e:,.0f}" for e in est]))


if __name__ == "__main__":
    main()
