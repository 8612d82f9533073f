"""Building a store from JSONL on both cores: ``build_store(workers=1)`` vs ``workers=2``, and the build before.

A synthetic news corpus (``discourse.datasets.write_news_jsonl``, seeded) of ``--tokens`` tokens is
written to JSONL once; each build runs in a fresh process (``build_store(path, out, workers=W)``:
read, detect recurring lines and boilerplate, clean, tokenize, write) and reports wall time, tokens
per second and peak RSS (``ru_maxrss`` of the parent and, with workers, of the largest worker
process). Every figure is the median of ``--rounds`` rounds. ``--before REV`` also builds with
revision ``REV`` (checked out into a temporary ``git worktree``; its ``build_store`` has no
``workers=``): the single-process throughput before the one-split and the pipeline. The peer,
measured in the same rounds: DuckDB's ``regexp_split_to_table`` + ``GROUP BY`` on the same file
(both cores; it counts words and writes nothing, the store cleans, tokenizes with offsets and writes).

    nice .venv/bin/python benchmarks/bench_store_build.py --tokens 10000000 --rounds 3 --before de0a7b7
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

# Runs inside each child process with the version under test first on sys.path.
CHILD = r'''
import json, resource, shutil, sys, time, warnings
root, data, out, workers = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
sys.path.insert(0, root)
import discourse as dc
assert dc.__file__.startswith(root), dc.__file__
warnings.simplefilter("ignore")
kwargs = {} if workers == 0 else {"workers": workers}   # 0: a revision without the option
t0 = time.perf_counter()
store = dc.build_store(data, out, overwrite=True, **kwargs)
wall = time.perf_counter() - t0
print(json.dumps({"wall": wall, "n_tokens": int(store.n_tokens), "n_docs": int(store.n_docs),
                  "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "worker_peak_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
shutil.rmtree(out)
'''


# The peer: DuckDB's regex split + GROUP BY on the same file (both cores), as in bench_store.py.
DUCKDB = r'''
import json, resource, sys, time
import duckdb
data = sys.argv[2]
sql = ("SELECT term, count(*) AS n FROM (SELECT regexp_split_to_table(lower(text), '[^a-z0-9]+') AS term "
       f"FROM read_json_auto('{data}')) WHERE term <> '' GROUP BY term")
t0 = time.perf_counter()
rows = duckdb.sql(sql).fetchall()
wall = time.perf_counter() - t0
print(json.dumps({"wall": wall, "n_tokens": int(sum(n for _, n in rows)), "n_docs": 0,
                  "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "worker_peak_kib": 0}))
'''


def build(root: str, data: Path, out: Path, workers: int) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"TQDM_DISABLE": "1"}
    code = DUCKDB if workers < 0 else CHILD
    proc = subprocess.run([sys.executable, "-c", code, root, str(data), str(out), str(workers)],
                          capture_output=True, text=True, env=env, cwd=str(out.parent))
    if proc.returncode:
        sys.exit(f"build ({root}, workers={workers}) failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tokens", type=int, default=10_000_000, help="synthetic corpus size (default 10M)")
    ap.add_argument("--rounds", type=int, default=3, help="builds per configuration; medians (default 3)")
    ap.add_argument("--before", default=None, help="also build with this git revision (e.g. de0a7b7)")
    args = ap.parse_args()
    sys.path.insert(0, str(REPO))
    from discourse.datasets import write_news_jsonl

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "news.jsonl"
        n_docs = write_news_jsonl(data, args.tokens, seed=0)
        print(f"corpus: {n_docs:,} documents, {data.stat().st_size / 2**20:.0f} MiB JSONL, "
              f"~{args.tokens:,} tokens generated; {os.cpu_count()} cores")
        runs = [("after, workers=1", str(REPO), 1), ("after, workers=2", str(REPO), 2),
                ("peer: DuckDB", str(REPO), -1)]
        old = Path(tmp) / "before"
        if args.before:
            subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", "-q", str(old), args.before],
                           check=True)
            runs.insert(0, (f"before ({args.before})", str(old), 0))
        try:
            results = {}
            for _ in range(args.rounds):  # rounds interleaved, so that a busy spell hits every configuration
                for name, root, workers in runs:
                    results.setdefault(name, []).append(build(root, data, Path(tmp) / "out.store", workers))
        finally:
            if args.before:
                subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(old)], check=False)
    print(f"{'build':<26}{'wall s':>9}{'tokens/s':>12}{'peak MiB':>10}{'worker MiB':>12}")
    rate = {}
    for name, rows in results.items():
        wall = statistics.median(r["wall"] for r in rows)
        rate[name] = rows[0]["n_tokens"] / wall
        peak = statistics.median(r["peak_kib"] for r in rows) / 1024
        worker = statistics.median(r["worker_peak_kib"] for r in rows) / 1024
        print(f"{name:<26}{wall:>9.1f}{rate[name]:>12,.0f}{peak:>10.0f}{worker if worker else float('nan'):>12.0f}")
    n_tokens = results["after, workers=1"][0]["n_tokens"]
    print(f"{n_tokens:,} tokens stored; medians of {args.rounds} round(s); peak = ru_maxrss (imports included)")
    print(f"speedup workers=2 / workers=1: {rate['after, workers=2'] / rate['after, workers=1']:.2f}x")
    duck = statistics.median(r["wall"] for r in results["peer: DuckDB"])
    print(f"build_store (workers=2) / DuckDB split + GROUP BY: "
          f"{statistics.median(r['wall'] for r in results['after, workers=2']) / duck:.1f}x the time "
          f"(DuckDB counts {results['peer: DuckDB'][0]['n_tokens']:,} [a-z0-9]+ words; it writes no store)")
    if args.before:
        before = rate[f"before ({args.before})"]
        print(f"speedup over before: workers=1 {rate['after, workers=1'] / before:.2f}x, "
              f"workers=2 {rate['after, workers=2'] / before:.2f}x")


if __name__ == "__main__":
    main()
