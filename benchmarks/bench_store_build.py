"""Building a store from JSONL on both cores: ``build_store(workers=1)`` vs ``workers=2``, and the build before.

A synthetic news corpus (``discourse.datasets.write_news_jsonl``, seeded) of ``--tokens`` tokens is
written to JSONL once; each build runs in a fresh process (``build_store(path, out, workers=W)``:
read, detect recurring lines and boilerplate, clean, tokenize, write) and reports wall time, tokens
per second and peak RSS (``ru_maxrss`` of the parent and, with workers, of the largest worker
process). Every figure is the median of ``--rounds`` rounds. ``--before REV`` also builds with
revision ``REV`` (checked out into a temporary ``git worktree``; its ``build_store`` has no
``workers=``): the single-process throughput before the one-split and the pipeline. A build with
``clean=False`` (``workers=2``) does no cleaning (no recurring-line or boilerplate detection).
Besides the peak of each process, the parent's resident memory is sampled every 0.1 s and its peak
printed for each phase: reading the JSONL, detecting on the whole corpus, writing the partitions.
``--jsonl FILE`` builds from an existing file (e.g. a 100M-token one), ``--partition-docs N`` and
``--partition-mib M`` set the partitions' bounds (documents, MiB of text; 0 MiB: none; a revision
before ``partition_bytes`` is bounded by documents only), ``--only WORD ...`` keeps the builds and peers
whose name holds a word.

Two peers, measured in the same rounds on the same file (both cores; they count words and write
nothing): DuckDB's ``regexp_split_to_table(lower(text), '[^a-z0-9]+')`` + ``GROUP BY``, the issue's
query as it is (an ASCII split); and DuckDB doing the tokenizer's work: the tokenizer's own regular
expression (``discourse.token_counter._token_pattern``, its token alternatives; RE2 has no class
intersection, so ``[[\p{L}\p{N}\p{M}]&&[^sS]]`` is written as its equal ``[^\p{P}\p{S}\p{Z}\p{C}sS]``,
the other general categories) through ``regexp_extract_all`` + ``unnest`` + ``lower`` + ``GROUP BY``,
which counts exactly the terms and frequencies of ``dc.frequencies(dc.tokenize(corpus))`` on the
uncleaned corpus. Two "same work" ratios are printed: ``clean=False`` against the tokenizer-regex
peer, and the default build against it.

    nice .venv/bin/python benchmarks/bench_store_build.py --tokens 10000000 --rounds 3 --before de0a7b7
    .venv/bin/python benchmarks/bench_store_build.py --jsonl 100M.jsonl --rounds 1 --only before workers=2 \
        --before 53b24ab
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
import inspect, json, resource, shutil, sys, threading, time, warnings
root, data, out, workers, clean, pdocs, pbytes = (sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5],
                                                 sys.argv[6], sys.argv[7])
sys.path.insert(0, root)
import discourse as dc
import discourse.store.build as build
assert dc.__file__.startswith(root), dc.__file__
warnings.simplefilter("ignore")
kwargs = {} if workers == 0 else {"workers": workers}   # 0: a revision without the option
if clean == "no":
    kwargs["clean"] = False
if pdocs:
    kwargs["partition_docs"] = int(pdocs)
if pbytes and "partition_bytes" in inspect.signature(dc.build_store).parameters:  # MiB; 0: no bound on the bytes
    kwargs["partition_bytes"] = int(pbytes) << 20 or None                          # (a revision before it: documents)
# this process' resident memory sampled every 0.1 s, and the peak within each phase of the build
phase, peaks = ["start"], {}
def sample():
    while True:
        with open("/proc/self/statm") as f:
            mib = int(f.read().split()[1]) * resource.getpagesize() / 2**20
        peaks[phase[0]] = max(peaks.get(phase[0], 0), mib)
        time.sleep(0.1)
def in_phase(name, fn):
    def run(*a, **k):
        phase[0] = name
        try:
            return fn(*a, **k)
        finally:
            phase[0] = "the rest"
    return run
for name, attr in [("read", "read_source"), ("detect", "detections"), ("write", "write_partitions")]:
    if hasattr(build, attr):  # an older revision may lack one
        setattr(build, attr, in_phase(name, getattr(build, attr)))
threading.Thread(target=sample, daemon=True).start()
t0 = time.perf_counter()
store = dc.build_store(data, out, overwrite=True, **kwargs)
wall = time.perf_counter() - t0
print(json.dumps({"wall": wall, "n_tokens": int(store.n_tokens), "n_docs": int(store.n_docs),
                  "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "worker_peak_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
                  "phase_mib": {k: v for k, v in peaks.items() if k in ("read", "detect", "write")}}))
shutil.rmtree(out)
'''


# The peers: DuckDB's regex split + GROUP BY on the same file (both cores), as in bench_store.py, and the
# tokenizer's regex through regexp_extract_all. argv[5]: the regex (empty: the query).
DUCKDB = r'''
import json, resource, sys, time
import duckdb
data, regex = sys.argv[2], sys.argv[5]
if regex:
    lit = regex.replace("'", "''")
    sql = ("SELECT term, count(*) AS n FROM (SELECT lower(unnest(regexp_extract_all(text, '" + lit + "'))) AS term "
           f"FROM read_json_auto('{data}')) GROUP BY term")
else:
    sql = ("SELECT term, count(*) AS n FROM (SELECT regexp_split_to_table(lower(text), '[^a-z0-9]+') AS term "
           f"FROM read_json_auto('{data}')) WHERE term <> '' GROUP BY term")
t0 = time.perf_counter()
rows = duckdb.sql(sql).fetchall()
wall = time.perf_counter() - t0
print(json.dumps({"wall": wall, "n_tokens": int(sum(n for _, n in rows)), "n_docs": 0,
                  "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "worker_peak_kib": 0,
                  "phase_mib": {}}))
'''


def tokenizer_regex() -> str:
    """The tokenizer's token alternatives (default options) in RE2 syntax, for DuckDB's regexp_extract_all."""
    from discourse.token_counter import _token_pattern

    pattern = _token_pattern("split", "keep")
    w = r"[\p{L}\p{N}\p{M}]"
    # RE2 has no class intersection: (L | N | M) minus s, S is the complement of the other categories and s, S
    re2 = pattern.replace(f"[{w}&&[^sS]]", r"[^\p{P}\p{S}\p{Z}\p{C}sS]")
    assert "&&" not in re2, re2
    # the line-break, punctuation and white-space alternatives are no tokens (what the search skips)
    return re2.rsplit("|", 3)[0]


def build(root: str, data: Path, out: Path, workers: int, extra: str = "", partition_docs: int | None = None,
          partition_mib: int | None = None) -> dict:
    """One build (``workers`` >= 0; ``extra`` "no": clean=False) or peer (``workers`` < 0; ``extra`` its regex)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"TQDM_DISABLE": "1"}
    code = DUCKDB if workers < 0 else CHILD
    proc = subprocess.run([sys.executable, "-c", code, root, str(data), str(out), str(workers), extra,
                           str(partition_docs or ""), "" if partition_mib is None else str(partition_mib)],
                          capture_output=True, text=True, env=env, cwd=str(out.parent))
    if proc.returncode:
        sys.exit(f"build ({root}, workers={workers}) failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tokens", type=int, default=10_000_000, help="synthetic corpus size (default 10M)")
    ap.add_argument("--rounds", type=int, default=3, help="builds per configuration; medians (default 3)")
    ap.add_argument("--before", default=None, help="also build with this git revision (e.g. de0a7b7)")
    ap.add_argument("--jsonl", type=Path, default=None, help="build from this JSONL (e.g. a 100M one) instead of "
                    "writing one of --tokens tokens")
    ap.add_argument("--partition-docs", type=int, default=None, help="documents a partition (default: build_store's)")
    ap.add_argument("--partition-mib", type=int, default=None, help="MiB of text a partition (partition_bytes; 0: "
                    "no bound; default: build_store's)")
    ap.add_argument("--only", nargs="+", default=None, help="only the builds and peers whose name contains one of "
                    "these words (e.g. workers=2 before)")
    args = ap.parse_args()
    sys.path.insert(0, str(REPO))
    from discourse.datasets import write_news_jsonl

    with tempfile.TemporaryDirectory() as tmp:
        if args.jsonl:
            data = args.jsonl.resolve()
            print(f"corpus: {data} ({data.stat().st_size / 2**20:.0f} MiB JSONL); {os.cpu_count()} cores")
        else:
            data = Path(tmp) / "news.jsonl"
            n_docs = write_news_jsonl(data, args.tokens, seed=0)
            print(f"corpus: {n_docs:,} documents, {data.stat().st_size / 2**20:.0f} MiB JSONL, "
                  f"~{args.tokens:,} tokens generated; {os.cpu_count()} cores")
        runs = [("after, workers=1", str(REPO), 1, ""), ("after, workers=2", str(REPO), 2, ""),
                ("after, clean=False, w=2", str(REPO), 2, "no"), ("peer: DuckDB", str(REPO), -1, ""),
                ("peer: DuckDB, our regex", str(REPO), -1, tokenizer_regex())]
        old = Path(tmp) / "before"
        if args.before:
            subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", "-q", str(old), args.before],
                           check=True)
            runs.insert(0, (f"before ({args.before})", str(old), 0, ""))
        if args.only:
            runs = [run for run in runs if any(word in run[0] for word in args.only)]
        try:
            results = {}
            for _ in range(args.rounds):  # rounds interleaved, so that a busy spell hits every configuration
                for name, root, workers, extra in runs:
                    results.setdefault(name, []).append(build(root, data, Path(tmp) / "out.store", workers, extra,
                                                              args.partition_docs, args.partition_mib))
        finally:
            if args.before:
                subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(old)], check=False)
    print(f"{'build':<28}{'wall s':>9}{'tokens/s':>12}{'peak MiB':>10}{'worker MiB':>12}   peak MiB by phase")
    rate = {}
    for name, rows in results.items():
        wall = statistics.median(r["wall"] for r in rows)
        rate[name] = rows[0]["n_tokens"] / wall
        peak = statistics.median(r["peak_kib"] for r in rows) / 1024
        worker = statistics.median(r["worker_peak_kib"] for r in rows) / 1024
        phases = ", ".join(f"{k} {statistics.median(r['phase_mib'][k] for r in rows):,.0f}" for k in rows[0]["phase_mib"])
        print(f"{name:<28}{wall:>9.1f}{rate[name]:>12,.0f}{peak:>10.0f}{worker if worker else float('nan'):>12.0f}"
              f"   {phases}")
    print(f"medians of {args.rounds} round(s); peak = ru_maxrss (imports included); by phase: resident memory "
          f"sampled every 0.1 s while the build reads, detects and writes the partitions")
    if "after, workers=1" in rate and "after, workers=2" in rate:
        print(f"{results['after, workers=1'][0]['n_tokens']:,} tokens stored")
        print(f"speedup workers=2 / workers=1: {rate['after, workers=2'] / rate['after, workers=1']:.2f}x")
    if not all(name in results for name in ("after, workers=2", "after, clean=False, w=2", "peer: DuckDB",
                                            "peer: DuckDB, our regex")):
        if args.before and "after, workers=2" in rate:
            print(f"speedup over before: workers=2 {rate['after, workers=2'] / rate[f'before ({args.before})']:.2f}x")
        return
    wall = {name: statistics.median(r["wall"] for r in rows) for name, rows in results.items()}
    count = {name: rows[0]["n_tokens"] for name, rows in results.items()}
    for build_name, peer, what in [
            ("after, workers=2", "peer: DuckDB", "the issue's query: ASCII split, no cleaning, writes nothing"),
            ("after, clean=False, w=2", "peer: DuckDB", "the issue's query; the build does not clean"),
            ("after, clean=False, w=2", "peer: DuckDB, our regex", "same work: same regex, no cleaning; "
                                                                   "the build also writes the store"),
            ("after, workers=2", "peer: DuckDB, our regex", "same tokenisation; the build also cleans and writes")]:
        print(f"{build_name} / {peer}: {wall[build_name] / wall[peer]:.1f}x the time ({what})")
    print(f"tokens: the store {count['after, workers=2']:,} (cleaned), {count['after, clean=False, w=2']:,} "
          f"(clean=False); DuckDB {count['peer: DuckDB']:,} [a-z0-9]+ words, "
          f"{count['peer: DuckDB, our regex']:,} with the tokenizer's regex")
    if args.before:
        before = rate[f"before ({args.before})"]
        print(f"speedup over before: workers=1 {rate['after, workers=1'] / before:.2f}x, "
              f"workers=2 {rate['after, workers=2'] / before:.2f}x")


if __name__ == "__main__":
    main()
