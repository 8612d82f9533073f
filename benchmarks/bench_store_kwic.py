"""100 KWIC queries on a corpus store, after opening it in a fresh process, against the same queries in memory.

Run: ``nice .venv/bin/python benchmarks/bench_store_kwic.py [--tokens N] [--store PATH [--jsonl FILE]]
[--queries Q] [--sets all content] [--sample S] [--no-peer] [--map-memory M]``

A seeded synthetic multi-outlet corpus of ``N`` tokens (default 36M;
:func:`discourse.datasets.write_news_jsonl`, 8 outlets) is written and stored with
:func:`discourse.build_store` (or ``--store PATH`` is reused: its JSONL ``--jsonl`` for the peer).
Every measurement runs in a FRESH child process and reports the time to open, each query's time
(median ms a query), the total of the ``Q`` queries run back to back (the first pass after opening),
the total of a second pass that hashes each frame after its query for the check (it runs after the
first, on maps already read, with the hashing between queries: the two differ either way on a noisy
machine), the lines returned and the peak resident memory (``ru_maxrss``, imports included, both passes):

* ``store``: ``open_store(path)`` then ``kwic(store, q)`` for every query (all its lines);
* ``in memory`` (the peer, same queries, same run): ``tokenize(clean(read_corpus(jsonl)))`` (not
  timed in the queries' total; its time is the ``open s`` column) then ``kwic(tokens, q)``; its lines
  are compared with the store's
  (``equal``: every query's frame has the same digest: values and index hashed, dtypes, attrs).

Query sets (seeded, drawn from the store's vocabulary after opening, not timed):

* ``all``: terms at log-spaced frequency ranks over the whole vocabulary
  (:func:`bench_store.draw_queries`): frequent function words with hundreds of thousands of lines
  each down to hapaxes; the time is dominated by the few most frequent terms;
* ``content``: the same log-spaced draw over content words only (4+ letters, not an English stop
  word), a researcher's set of query words.

``--map-memory M`` opens the store with ``open_store(path, map_memory=M MiB)``: the resident memory
beyond which its maps give their pages back (the default keeps every 100M step under 1.5 GB).

``--sample S`` adds a run of the ``all`` set with ``kwic(..., sample=S)`` (a seeded random sample of
``S`` lines a query, recorded in ``attrs["sampled"]`` and the note; never a silent cut).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent



def child(mode: str, path: str, args: dict) -> None:
    """In a fresh process: open (or read and tokenize) the corpus, run the queries, print the figures (JSON)."""
    import resource
    import time
    import warnings

    import pandas as pd

    sys.path.insert(0, str(REPO))
    import discourse as dc

    warnings.simplefilter("ignore")
    assert dc.__file__.startswith(str(REPO)), dc.__file__
    t0 = time.perf_counter()
    memory = {"map_memory": args["map_memory"] << 20} if args.get("map_memory") is not None else {}
    corpus = dc.open_store(path, **memory) if mode == "store" else dc.tokenize(dc.clean(dc.read_corpus(path)))
    opened = time.perf_counter() - t0
    queries = json.loads(Path(args["queries"]).read_text())[args["set"]]
    options = {"sample": args["sample"]} if args["sample"] else {}
    times, lines = [], 0
    for q in queries:  # the queries back to back: what a researcher's loop over query words does
        t = time.perf_counter()
        k = dc.kwic(corpus, q, **options)
        times.append(time.perf_counter() - t)
        lines += len(k)
        del k
    checked, digests = [], []
    for q in queries:  # again, each frame hashed after its query (the check; its times are quoted too)
        t = time.perf_counter()
        k = dc.kwic(corpus, q, **options)
        checked.append(time.perf_counter() - t)
        # a digest of every frame (values, index, dtypes, attrs) for the comparison: the frames are not kept
        digests.append([digest(k), str(k.dtypes.to_dict()), repr(k.attrs)])
        del k
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"open": opened, "times": times, "checked": checked, "lines": lines, "peak_mib": peak,
                      "digests": digests}))


def digest(frame, rows: int = 100_000) -> int:
    """The sum of the frame's row hashes (``pd.util.hash_pandas_object``: values and index) modulo 2**61,
    summed over chunks of ``rows`` rows: the same sum as over the whole frame, without its hashing
    memory (a string column is hashed through Python strings: 1-2 GB for the 6M lines of one query at 100M)."""
    import pandas as pd

    return int(sum(int(pd.util.hash_pandas_object(frame.iloc[i:i + rows]).sum()) for i in range(0, len(frame), rows))
               % 2**61)


def query_sets(corpus, n: int, seed: int = 0) -> dict[str, list[str]]:
    """``all``: ``n`` terms at log-spaced frequency ranks (:func:`bench_store.draw_queries`); ``content``:
    the same draw over content words (4+ letters, not an English stop word)."""
    import numpy as np

    from bench_store import draw_queries
    from discourse.partitions import term_totals
    from discourse.stopwords import english_stopwords

    totals = term_totals(corpus)
    vocab = corpus.vocab.to_numpy(dtype=str)
    stop = english_stopwords()
    content = np.array([len(t) >= 4 and t.isalpha() and t not in stop for t in vocab])
    order = np.argsort(-totals, kind="stable")
    order = order[(totals[order] > 0) & content[order]]
    rng = np.random.default_rng(seed)
    ranks = np.unique(np.geomspace(1, len(order), n * 2).astype(int) - 1)
    ranks = np.sort(rng.choice(ranks, size=min(n, len(ranks)), replace=False))
    return {"all": draw_queries(corpus, n, seed), "content": [str(vocab[order[r]]) for r in ranks]}


def measure(mode: str, path: Path, args: dict) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"TQDM_DISABLE": "1"}
    code = (f"import sys, json; sys.path.insert(0, {str(REPO / 'benchmarks')!r}); import bench_store_kwic as b; "
            "b.child(sys.argv[1], sys.argv[2], json.loads(sys.argv[3]))")
    proc = subprocess.run([sys.executable, "-c", code, mode, str(path), json.dumps(args)],
                          capture_output=True, text=True, env=env)
    if proc.returncode:
        sys.exit(f"{mode} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def same(a: dict, b: dict) -> str:
    """``equal`` when every query's frame has the same digest (values and index hashed, dtypes, attrs)."""
    differ = [i for i, (x, y) in enumerate(zip(a["digests"], b["digests"], strict=True)) if x != y]
    return "equal" if not differ else f"DIFFERS in {len(differ)} queries (first: {differ[0]})"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tokens", type=int, default=36_000_000, help="corpus size in tokens (default %(default)s)")
    ap.add_argument("--store", type=Path, help="reuse this store (not built)")
    ap.add_argument("--jsonl", type=Path, help="the JSONL of --store, for the in-memory peer")
    ap.add_argument("--queries", type=int, default=100, help="queries a set (default %(default)s)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the query draw (default %(default)s)")
    ap.add_argument("--sets", nargs="+", default=["all", "content"], choices=["all", "content"])
    ap.add_argument("--sample", type=int, help="also run the 'all' set with kwic(..., sample=S)")
    ap.add_argument("--no-peer", action="store_true", help="skip the in-memory peer")
    ap.add_argument("--map-memory", type=int, help="open_store(..., map_memory=M MiB) (default: the store's default)")
    a = ap.parse_args()
    sys.path.insert(0, str(REPO))
    sys.path.insert(0, str(REPO / "benchmarks"))
    import warnings

    import discourse as dc
    from discourse.datasets import write_news_jsonl

    warnings.simplefilter("ignore")
    with tempfile.TemporaryDirectory(prefix="discourse-bench-kwic-") as tmp:
        work = Path(tmp)
        store, jsonl = a.store, a.jsonl
        if store is None:
            jsonl = work / "corpus.jsonl"
            write_news_jsonl(jsonl, a.tokens, n_outlets=8, seed=0)
            store = work / "corpus.store"
            dc.build_store(jsonl, store)
        opened = dc.open_store(store)
        sets = query_sets(opened, a.queries, a.seed)
        (work / "queries.json").write_text(json.dumps(sets))
        peer = jsonl is not None and not a.no_peer
        print(f"{opened.summary()}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
              f"fresh process a row, peak = ru_maxrss (imports included)")
        print("| query set | corpus | open s | median ms a query | total s | total s, frames hashed between "
              "| lines | peak MiB | check |")
        print("|---|---|---:|---:|---:|---:|---:|---:|---|")
        runs = [(s, None) for s in a.sets] + ([("all", a.sample)] if a.sample else [])
        for name, sample in runs:
            label = name + (f", sample={sample}" if sample else "")
            args = {"queries": str(work / "queries.json"), "set": name, "sample": sample, "map_memory": a.map_memory}
            rows = {"store": measure("store", store, args)}
            if peer:
                rows["in memory"] = measure("memory", jsonl, args)
            check = same(rows["store"], rows["in memory"]) if peer else "no peer"
            for corpus, r in rows.items():
                print(f"| {label} | {corpus} | {r['open']:.2f} | {statistics.median(r['times']) * 1000:.1f} | "
                      f"{sum(r['times']):.2f} | {sum(r['checked']):.2f} | {r['lines']:,} | {r['peak_mib']:,.0f} | "
                      f"{check} |")
            if peer:
                ratio = [sum(rows["store"][k]) / sum(rows["in memory"][k]) for k in ("times", "checked")]
                print(f"| {label} | store / in memory | | | {ratio[0]:.2f}x | {ratio[1]:.2f}x | | | |")


if __name__ == "__main__":
    main()
