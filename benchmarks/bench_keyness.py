"""Keyness on a 10M-token synthetic corpus: 3 outlets, each against the rest.

Run: ``.venv/bin/python benchmarks/bench_keyness.py [n_tokens]``

Builds the corpus (generator, cleaning, tokenizer; timed once), then times
:func:`discourse.keyness.keyness` with its defaults (median of several runs)
and some variants, and :func:`discourse.dispersion.dispersion`. Target: the
default keyness call under 0.5 s once the tokens (and so the counts) exist.
The timings include the groups x terms counts from the DTM, which every call
recomputes. Both the wall-clock time and this process's CPU time are printed:
on a shared 2-core machine other processes inflate the wall-clock time.
"""
from __future__ import annotations

import sys
import time
import warnings

from _timing import median_time

import discourse as dc
from discourse.dispersion import dispersion
from discourse.keyness import keyness
from discourse.datasets import make_news_corpus

TARGET_S = 0.5


def main(n_tokens: int = 10_000_000) -> None:
    t0 = time.perf_counter()
    sc = make_news_corpus(n_tokens, n_outlets=3, seed=0)
    t1 = time.perf_counter()
    tokens = dc.tokenize(dc.clean(dc.Corpus.from_records(sc.records)))
    t2 = time.perf_counter()
    print(f"corpus: generate {t1 - t0:.1f} s, clean + tokenize {t2 - t1:.1f} s -> {tokens.summary()}")
    warnings.simplefilter("ignore")
    variants = {
        "default (all measures, Sidak, DP + Welch + Mann-Whitney on the listed terms)": lambda: keyness(tokens),
        "no text-level tests": lambda: keyness(tokens, text_tests=()),
        "with the bootstrap (1000 replicates) too": lambda: keyness(
            tokens, text_tests=("welch", "mann_whitney", "bootstrap")),
        "keep='all' terms, DP + Welch + Mann-Whitney on all terms": lambda: keyness(tokens, keep="all"),
        "pairwise (3 pairs), default": lambda: keyness(tokens, reference="pairwise"),
    }
    base = None
    for name, fn in variants.items():
        runs = 5 if ("all terms" in name or "bootstrap" in name) else 9
        wall, cpu, out = median_time(fn, runs)
        base = base or wall
        print(f"keyness {name}: median {wall:.3f} s wall, {cpu:.3f} s CPU of {runs} runs ({len(out):,} rows; "
              f"{wall / TARGET_S:.2f} x the {TARGET_S} s target; {wall / base:.2f} x default)")
    wall, cpu, out = median_time(lambda: dispersion(tokens, by="outlet"), 5)
    print(f"dispersion by outlet (all measures + ARF, all terms): median {wall:.3f} s wall, {cpu:.3f} s CPU "
          f"of 5 runs ({len(out):,} rows)")

if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000)
