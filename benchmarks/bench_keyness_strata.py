"""Keyness within stories against pooled keyness, on a synthetic corpus with planted story labels.

Run: ``.venv/bin/python benchmarks/bench_keyness_strata.py [n_tokens] [n_stories]``

Builds a 3-outlet corpus (:func:`discourse.datasets.make_news_corpus`), labels its
documents with ``n_stories`` stories in document order (one story left to the first
outlet alone, every 13th document in none), then times, median of several runs:
pooled :func:`discourse.keyness.keyness` of the first outlet against the rest with
the text-level tests off (the peer), the same with ``strata="story"`` (the
Mantel–Haenszel sums are vectorised over terms: no loop per term), both with
``keep="all"`` (every term: the Wilcoxon test over stories runs per listed term, about
1 ms each), and :func:`discourse.agenda_framing.agenda_framing` of 100 terms.
Wall-clock and CPU seconds are printed: other processes inflate the wall-clock time.
"""
from __future__ import annotations

import dataclasses
import sys
import time
import warnings

import numpy as np
from _timing import median_time

import discourse as dc
from discourse.datasets import make_news_corpus


def main(n_tokens: int = 2_000_000, n_stories: int = 200) -> None:
    t0 = time.perf_counter()
    sc = make_news_corpus(n_tokens, n_outlets=3, seed=0)
    tokens = dc.tokenize(dc.clean(dc.Corpus.from_records(sc.records)))
    outlets = sorted(tokens.metadata["outlet"].unique())
    story = np.array([f"story{i % n_stories}" for i in range(tokens.n_docs)], dtype=object)
    story[(tokens.metadata["outlet"] == outlets[0]).to_numpy() & (np.arange(tokens.n_docs) % n_stories == 0)] = "solo"
    story[::13] = None
    tokens = dataclasses.replace(tokens, metadata=tokens.metadata.assign(story=story))
    print(f"corpus: {time.perf_counter() - t0:.1f} s -> {tokens.summary()}, {n_stories} stories")
    warnings.simplefilter("ignore")
    variants = {
        "pooled, no text-level tests (peer)": lambda: dc.keyness(tokens, outlets[0], text_tests=()),
        "strata='story'": lambda: dc.keyness(tokens, outlets[0], strata="story"),
        "pooled, keep='all', no text-level tests": lambda: dc.keyness(tokens, outlets[0], keep="all", text_tests=()),
        "strata='story', keep='all'": lambda: dc.keyness(tokens, outlets[0], strata="story", keep="all"),
        "agenda_framing, 100 terms": lambda: dc.agenda_framing(tokens, list(tokens.vocab[:100]), outlets[0]),
    }
    base = None
    for name, fn in variants.items():
        wall, cpu, out = median_time(fn, 3)
        base = base or wall
        print(f"{name}: median {wall:.3f} s wall, {cpu:.3f} s CPU of 3 runs ({len(out):,} rows; "
              f"{wall / base:.1f}x the peer)")
        if "strata" in name:
            n = next(iter(out.attrs["n_strata"].values()))
            print(f"    strata used {n['used']}, target only {n['target_only']}, reference only {n['reference_only']}")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
