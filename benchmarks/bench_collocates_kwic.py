"""Benchmark: collocates and KWIC on a synthetic news corpus, against NLTK.

    .venv/bin/python benchmarks/bench_collocates_kwic.py                 # 10M tokens, NLTK on 1M
    .venv/bin/python benchmarks/bench_collocates_kwic.py --tokens 2000000 --nltk-tokens 500000

Builds the corpus with :func:`discourse.datasets.make_news_corpus` (seeded), runs
the shared counting step once (clean + tokenize), builds the concordance index once,
then times (median of ``--repeats`` runs, after one warm-up):

* ``collocates()`` of a term group of 5 mid-frequency words by outlet (L5-R5), of the
  most frequent word ("the", the worst case) and ``compare_collocates()``;
* 100 KWIC queries (words drawn, seeded, from the frequency band 500-5,000 per 10M tokens);
* ``ngrams(n=3, by="outlet")`` (for information; no target).

NLTK's ``BigramCollocationFinder.from_words(window_size=6)`` (its window counts the
5 words to the right) and ``ConcordanceIndex`` + 100 ``find_concordance`` calls run on
the first ``--nltk-tokens`` tokens (the same token lists) and are extrapolated
linearly to the full size; ours run on that slice too, so the ratio on the slice is
measured in the same run. Prints medians and ratios.
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from _timing import median_time


def wall(fn, repeats: int, warmup: bool = True) -> float:
    """Median wall-clock seconds of ``fn`` (after one untimed warm-up run unless ``warmup=False``)."""
    return median_time(fn, repeats, warmup=warmup)[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tokens", type=int, default=10_000_000)
    ap.add_argument("--nltk-tokens", type=int, default=1_000_000)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    import discourse as dc
    from discourse.collocates import collocates, compare_collocates
    from discourse.kwic import kwic
    from discourse.ngrams import ngrams
    from discourse.query import _CACHE, concordance_index
    from discourse.datasets import make_news_corpus

    t = time.perf_counter()
    sc = make_news_corpus(args.tokens, seed=args.seed)
    t_gen = time.perf_counter() - t
    t = time.perf_counter()
    tokens = dc.tokenize(dc.clean(dc.Corpus.from_records(sc.records)))
    t_tok = time.perf_counter() - t
    del sc
    t = time.perf_counter()
    concordance_index(tokens)
    t_index = time.perf_counter() - t
    print(f"corpus: {tokens.summary()}; generated in {t_gen:.1f} s, cleaned+tokenized in {t_tok:.1f} s; "
          f"concordance index built once in {t_index:.2f} s")

    rng = np.random.default_rng(args.seed)
    vocab = tokens.vocab.to_numpy()
    cf = np.bincount(tokens.ids, minlength=len(vocab))
    scale = tokens.n_tokens / 10_000_000
    band = np.flatnonzero((cf >= 500 * scale) & (cf <= 5000 * scale))
    group = vocab[rng.choice(band, 5, replace=False)].tolist()
    queries = vocab[rng.choice(band, 100, replace=False)].tolist()
    outlets = sorted(tokens.metadata["outlet"].unique())
    r = args.repeats

    print(f"\nnode group {group} ({int(cf[tokens.vocab.get_indexer(group)].sum()):,} hits), by outlet, L5-R5; "
          f"median of {r} runs")
    res = {}
    res["collocates (group)"] = wall(lambda: collocates(tokens, group, by="outlet"), r)
    res["collocates ('the')"] = wall(lambda: collocates(tokens, "the", by="outlet"), r)
    res["compare_collocates (group)"] = wall(
        lambda: compare_collocates(tokens, group, groups=(outlets[0], outlets[1])), r)
    t = time.perf_counter()
    kwic(tokens, queries[0])
    t_first = time.perf_counter() - t  # includes any one-off work (e.g. token offsets computed on first use)
    n_lines = sum(len(kwic(tokens, q)) for q in queries)
    res["100 KWIC queries"] = wall(lambda: [kwic(tokens, q) for q in queries], r)
    res["100 KWIC queries, sorted R1, by outlet"] = wall(
        lambda: [kwic(tokens, q, sort="R1", by="outlet") for q in queries], r)
    res["ngrams n=3 by outlet (3 runs)"] = wall(lambda: ngrams(tokens, 3, by="outlet"), min(3, r), warmup=False)
    for name, sec in res.items():
        print(f"  {name:<40s} {sec:8.3f} s")
    print(f"  (the 100 KWIC queries give {n_lines:,} lines; the very first KWIC call took {t_first:.2f} s, "
          f"one-off work included)")

    # ---- NLTK on a slice of the same token lists, extrapolated
    from nltk.collocations import BigramCollocationFinder
    from nltk.text import ConcordanceIndex

    n_docs = int(np.searchsorted(tokens.doc_ptr, args.nltk_tokens))
    part = tokens.select(np.arange(tokens.n_docs) < n_docs)
    words = [w for doc in part for w in doc]
    factor = tokens.n_tokens / len(words)
    nr = max(1, min(3, r))
    print(f"\nNLTK on the first {len(words):,} tokens ({n_docs} documents), x{factor:.1f} to extrapolate; "
          f"median of {nr} runs")
    t_finder = wall(lambda: BigramCollocationFinder.from_words(words, window_size=6), nr, warmup=False)
    ours_slice_coll = wall(lambda: collocates(part, group, left=0, right=5), r)

    def nltk_kwic():
        ci = ConcordanceIndex(words)
        return [ci.find_concordance(q, width=80) for q in queries]

    t_ci = wall(nltk_kwic, nr, warmup=False)

    def ours_kwic_cold():
        _CACHE.pop(id(part), None)  # include our index build
        return [kwic(part, q) for q in queries]

    ours_slice_kwic = wall(ours_kwic_cold, r)
    print(f"  NLTK BigramCollocationFinder(window 6) {t_finder:8.2f} s  -> {t_finder * factor:7.1f} s "
          f"extrapolated; ours (R5 window) on the slice {ours_slice_coll:.3f} s: {t_finder / ours_slice_coll:,.0f}x")
    print(f"  NLTK ConcordanceIndex + 100 queries  {t_ci:8.2f} s  -> {t_ci * factor:7.1f} s extrapolated; "
          f"ours incl. index build on the slice {ours_slice_kwic:.3f} s: {t_ci / ours_slice_kwic:,.0f}x")
    print(f"\nfull corpus vs NLTK extrapolated: collocates {t_finder * factor / res['collocates (group)']:,.0f}x, "
          f"100 KWIC queries {t_ci * factor / res['100 KWIC queries']:,.0f}x "
          f"(plus our one-off index build, {t_index:.2f} s)")


if __name__ == "__main__":
    main()
