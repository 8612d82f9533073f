"""The peers' keyness conventions: their cost on a synthetic corpus, and the vectorised exact statistics against scipy.

Run: ``.venv/bin/python benchmarks/bench_conventions.py [n_tokens]`` (default 1M tokens, 3 outlets).

1. :func:`discourse.keyness.keyness` of the first outlet against the rest (``keep="all"``, no text-level
   tests): the defaults, each ``compat=`` preset, and the odds-ratio options (the conditional MLE
   vectorised over every term's support, and R's root finder one term at a time).
2. :func:`discourse.stats.exact.conditional_odds_ratio` and :func:`~discourse.stats.exact.fisher_exact_p`
   on the same terms' 2x2 tables against the peer measured in the same run: scipy's
   ``odds_ratio(kind="conditional")`` and ``fisher_exact`` called per table (on a sample of the
   terms, scaled to all), and the largest relative difference between the two.

Medians of repeated runs, wall-clock and this process's CPU time (the machine is shared).
"""
from __future__ import annotations

import sys
import time
import warnings

import numpy as np
from _timing import median_time
from scipy.stats import fisher_exact
from scipy.stats.contingency import odds_ratio

import discourse as dc
from discourse.compat import TOOLS
from discourse.datasets import make_news_corpus
from discourse.stats.exact import conditional_odds_ratio, fisher_exact_p


def main(n_tokens: int = 1_000_000) -> None:
    t0 = time.perf_counter()
    sc = make_news_corpus(n_tokens, n_outlets=3, seed=0)
    tokens = dc.tokenize(dc.clean(dc.Corpus.from_records(sc.records)))
    print(f"corpus: {time.perf_counter() - t0:.1f} s -> {tokens.summary()}")
    warnings.simplefilter("ignore")
    target = sorted(set(tokens.metadata["outlet"]))[0]
    call = dict(target=target, keep="all", text_tests=())
    variants = {"defaults": {}, **{f"compat={tool!r}": {"compat": tool} for tool in TOOLS},
                "odds_ratio='conditional'": {"odds_ratio": "conditional"},
                "odds_ratio='conditional_r'": {"odds_ratio": "conditional_r"},
                "test='fisher'": {"test": "fisher"}}
    base = None
    for name, options in variants.items():
        runs = 1 if "conditional_r" in name or "quanteda" in name else 5
        wall, cpu, out = median_time(lambda: dc.keyness(tokens, **call, **options), runs)
        base = base or wall
        print(f"keyness {name}: median {wall:.3f} s wall, {cpu:.3f} s CPU of {runs} ({len(out):,} terms; "
              f"{wall / base:.1f}x the defaults)")

    t, r = (tokens.metadata["outlet"] == target).to_numpy(), (tokens.metadata["outlet"] != target).to_numpy()
    counts = np.asarray(tokens.dtm.sum(axis=0)).ravel()
    a = np.asarray(tokens.dtm[t].sum(axis=0)).ravel().astype(float)
    b = counts - a
    n_a, n_b = a.sum(), b.sum()
    cells = (a, n_a - a, b, n_b - b)
    wall, cpu, ours = median_time(lambda: conditional_odds_ratio(*cells), 3)
    wall_p, cpu_p, ours_p = median_time(lambda: fisher_exact_p(*cells), 3)
    sample = np.random.default_rng(0).choice(len(a), size=min(300, len(a)), replace=False)
    tables = [np.array([[a[i], n_a - a[i]], [b[i], n_b - b[i]]], dtype=np.int64) for i in sample]
    w_ref, _, ref = median_time(lambda: [odds_ratio(x, kind="conditional").statistic for x in tables], 1)
    w_refp, _, refp = median_time(lambda: [fisher_exact(x)[1] for x in tables], 1)
    scale = len(a) / len(sample)
    ref = np.asarray(ref)
    ok = np.isfinite(ref) & (ref > 0)
    diff = np.max(np.abs(ours[sample][ok] / ref[ok] - 1))
    diff_p = np.max(np.abs(ours_p[sample] / np.asarray(refp) - 1))
    print(f"conditional odds ratio, {len(a):,} terms: {wall:.3f} s wall ({cpu:.3f} CPU); scipy per table "
          f"{w_ref * scale:.1f} s (300 timed, scaled): {w_ref * scale / wall:.0f}x; max rel. diff {diff:.1e}")
    print(f"Fisher's exact p, {len(a):,} terms: {wall_p:.3f} s wall ({cpu_p:.3f} CPU); scipy per table "
          f"{w_refp * scale:.1f} s (scaled): {w_refp * scale / wall_p:.0f}x; max rel. diff {diff_p:.1e}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
