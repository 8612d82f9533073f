"""Per-outlet boilerplate removal on a synthetic corpus with planted furniture.

Run: ``.venv/bin/python benchmarks/bench_boilerplate.py [--docs 10000] [--runs 3]``

The corpus is :func:`discourse.datasets.furniture.make_furniture_corpus`: four
outlets, bodies of invented words (Zipf-like, so they do not recur), per-outlet
furniture planted inline (video chrome, gallery captions "Hide Caption k of m"
with varying numbers, "Photos:" prefixes), as headers (a masthead line, a
navigation line) and footers (copyright lines with a changing year, "...
contributed to this report", a wire's "— Northwire" credit line), plus a
newsletter line in 60% of every outlet's documents (not outlet-specific).

Prints, for each method, the recall of furniture word tokens, the share of body
word tokens removed (both counted by ``\\w+`` on the raw text, independently of the
detector) and the median wall-clock / CPU time of ``--runs`` runs of
:func:`discourse.clean` with no other rules. Methods: ``detect_boilerplate``
(``boilerplate=True``, its defaults) and the peer in the same run, the whole-line
recurrence detector :func:`discourse.recurring_lines` (``recurring=True``), at its
default ``min_share=0.5`` and at 0.2. Target: recall >= 0.95, body <= 0.5%. Also the detector's peak
memory as ``tracemalloc`` traces it (NumPy and Python allocations).
"""
from __future__ import annotations

import argparse
import tracemalloc

from _timing import median_time

import discourse as dc
from discourse.datasets.furniture import make_furniture_corpus, removal_scores

NO_RULES = {"rules": {}, "profiles": {}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    planted = make_furniture_corpus(args.docs, seed=args.seed)
    corpus = planted.corpus
    print(f"{len(corpus):,} documents, {sum(map(len, corpus.texts)):,} characters, 4 outlets")
    wall, cpu, patterns = median_time(lambda: dc.detect_boilerplate(corpus), args.runs)
    print(f"detect_boilerplate alone: {len(patterns)} patterns, median {wall:.2f} s wall, {cpu:.2f} s CPU")
    tracemalloc.start()
    dc.detect_boilerplate(corpus)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    sampled = patterns.attrs["boilerplate"]["documents_sampled"]
    print(f"detect_boilerplate traced peak memory: {peak / 2**20:.0f} MiB ({sampled:,} documents searched, "
          f"{sum(map(len, corpus.texts)) / 2**20:.0f} MiB of text as UTF-8 characters)")
    methods = {
        "detect_boilerplate (n=8, min_share=0.2)": dict(recurring=False, boilerplate=True),
        "peer: recurring_lines (min_share=0.5)": dict(recurring=True, boilerplate=False),
        "peer: recurring_lines (min_share=0.2)": dict(recurring=True, min_share=0.2, boilerplate=False),
    }
    print(f"{'method':42s} {'recall':>8s} {'body removed':>13s} {'wall s':>8s} {'CPU s':>7s}")
    for name, kwargs in methods.items():
        wall, cpu, cleaned = median_time(lambda: dc.clean(corpus, NO_RULES, **kwargs), args.runs)
        s = removal_scores(planted, cleaned.audit)
        print(f"{name:42s} {s['recall']:8.4f} {s['body_share']:13.5%} {wall:8.2f} {cpu:7.2f}")
    print(f"furniture tokens {s['furniture']:,}; body tokens {s['body']:,}")


if __name__ == "__main__":
    main()
