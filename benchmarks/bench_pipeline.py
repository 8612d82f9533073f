"""Benchmark: read -> clean -> tokenize -> count, end to end, on a synthetic news corpus.

Writes seeded synthetic multi-outlet corpora as JSONL (benchmarks/out/, cached), then for
each size runs the full pipeline in a fresh subprocess (so peak memory is that run's own)
several times and prints the median wall time per stage, tokens/s and peak RSS. A naive
pure-Python baseline (regex ``\\w+`` + ``collections.Counter`` over the same JSONL) runs in the
same session for a ratio. Usage::

    .venv/bin/python benchmarks/bench_pipeline.py [--sizes 1e6 3e6 1e7] [--runs 3]
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"

CHILD = r"""
import json, re, resource, sys, time
from collections import Counter
path, mode = sys.argv[1], sys.argv[2]
if mode != "naive":
    import discourse as dc  # imports are not part of the measured pipeline
t0 = time.perf_counter()
if mode == "naive":
    counts = Counter()
    with open(path, encoding="utf-8") as f:
        for line in f:
            counts.update(re.findall(r"\w+", json.loads(line)["text"].lower()))
    result = {"total": time.perf_counter() - t0, "tokens": sum(counts.values())}
else:
    corpus = dc.read_corpus(path)
    t1 = time.perf_counter()
    cleaned = dc.clean(corpus)
    t2 = time.perf_counter()
    tokens = dc.tokenize(cleaned)
    t3 = time.perf_counter()
    result = {"read": t1 - t0, "clean": t2 - t1, "tokenize_count": t3 - t2, "total": t3 - t0,
              "tokens": tokens.n_tokens, "terms": len(tokens.vocab), "docs": tokens.n_docs,
              "dtm_sum": int(tokens.dtm.sum())}
result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(result))
"""


def corpus_file(n_tokens: int) -> Path:
    from discourse.datasets import write_news_jsonl

    OUT.mkdir(exist_ok=True)
    path = OUT / f"news_{n_tokens}.jsonl"
    if not path.exists():
        write_news_jsonl(path, n_tokens, n_outlets=3, seed=0)
    return path


def run(path: Path, mode: str) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(path), mode],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=float, nargs="+", default=[1e6, 3e6, 1e7])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    print(f"{'tokens':>10} {'mode':>9} {'read':>6} {'clean':>6} {'tok+cnt':>7} {'total':>7} "
          f"{'Mtok/s':>7} {'peakMB':>7} {'s/Mtok':>7}")
    for size in map(int, args.sizes):
        path = corpus_file(size)
        for mode in ("discourse", "naive"):
            runs = [run(path, mode) for _ in range(args.runs)]
            med = {k: statistics.median(r[k] for r in runs) for k in runs[0] if isinstance(runs[0][k], float)}
            tokens = runs[0]["tokens"]
            print(f"{tokens:>10,} {mode:>9} {med.get('read', float('nan')):6.2f} {med.get('clean', float('nan')):6.2f} "
                  f"{med.get('tokenize_count', float('nan')):7.2f} {med['total']:7.2f} {tokens / med['total'] / 1e6:7.2f} "
                  f"{max(r['peak_rss_mb'] for r in runs):7.0f} {med['total'] / tokens * 1e6:7.3f}", flush=True)
    print(f"(median of {args.runs} runs per row, each in a fresh process; tokens = tokens counted; "
          f"naive = json + re.findall(r'\\w+') + Counter, no cleaning, no offsets, no matrix)")


if __name__ == "__main__":
    main()
