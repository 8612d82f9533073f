"""Story alignment on 40,000 synthetic articles with planted events (issue 14).

Run: ``.venv/bin/python benchmarks/bench_stories.py [--events 8000] [--outlets 8] [--coverage 0.5]
[--filler 8000] [--runs 3] [--peer-docs 5000]``

The corpus is :func:`discourse.datasets.synthetic.make_event_corpus`: 8,000 events over a year,
each reported by each of 8 outlets with probability 0.5 (about 32,000 articles, dated 0-2 days
after the event, each outlet with its own framing words, 2% verbatim wire copies), plus 8,000
filler articles on no event: about 40,000 articles of ~150 tokens. The generator and the
tokenizer are timed once (their own benchmarks time them properly); then

- :func:`discourse.align_stories` at its defaults: median wall-clock and CPU time of ``--runs``
  runs, pairwise precision, recall and F1 against the planted events (a pair of documents in
  one story against a pair in one event), peak memory (tracemalloc, and the growth of the
  process's peak RSS) in a separate run;
- :func:`discourse.story_threshold_sweep` over its 15 thresholds (one similarity computation);
- the peer, in the same run: the all-pairs cosine of the same vectors (one scipy sparse product,
  no date window) on a ``--peer-docs`` subset, extrapolated to the whole corpus by the number of
  pairs (quadratic), against the date-window candidate pairs.

Target: under 60 s on 2 cores, precision and recall >= 0.95.
"""
from __future__ import annotations

import argparse
import itertools
import resource
import time
import tracemalloc

import numpy as np
from _timing import median_time

import discourse as dc
from discourse.datasets.synthetic import make_event_corpus
from discourse.story_similarity import doc_vectors, term_weights


def pairwise_scores(stories, meta) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 of the stories against the planted events."""
    def pairs(groups):
        return {tuple(sorted(p)) for g in groups for p in itertools.combinations(g, 2)}

    predicted = pairs(stories["documents"])
    true = pairs(g.index for _, g in meta[meta["event"].notna()].groupby("event"))
    tp = len(predicted & true)
    p, r = tp / max(len(predicted), 1), tp / max(len(true), 1)
    return p, r, 2 * p * r / max(p + r, 1e-12)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=8000)
    ap.add_argument("--outlets", type=int, default=8)
    ap.add_argument("--coverage", type=float, default=0.5)
    ap.add_argument("--filler", type=int, default=8000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--peer-docs", type=int, default=5000)
    args = ap.parse_args()

    t0 = time.perf_counter()
    corpus = make_event_corpus(args.events, n_outlets=args.outlets, coverage=args.coverage, n_filler=args.filler)
    t_gen = time.perf_counter() - t0
    t0 = time.perf_counter()
    tokens = dc.tokenize(corpus)
    t_tok = time.perf_counter() - t0
    n = tokens.n_docs
    print(f"corpus: {n:,} articles ({int(corpus.metadata['event'].notna().sum()):,} on {args.events:,} events, "
          f"{args.outlets} outlets), {tokens.n_tokens:,} tokens; generated in {t_gen:.1f} s, tokenized in {t_tok:.1f} s")

    wall, cpu, stories = median_time(lambda: dc.align_stories(tokens), args.runs)
    a = stories.attrs
    p, r, f1 = pairwise_scores(stories, tokens.metadata)
    print(f"align_stories (threshold {a['threshold']}, window {a['window_days']} days, {a['weighting']}): "
          f"median {wall:.1f} s wall, {cpu:.1f} s CPU over {args.runs} runs")
    print(f"  {len(stories):,} stories, {a['documents_in_stories']:,} documents in them, "
          f"{a['candidate_pairs']:,} candidate pairs ({a['candidate_pairs'] / (n * (n - 1) / 2):.2%} of all pairs), "
          f"{a['pairs_above_threshold']:,} above the threshold, {a['pairs_blocked']:,} blocked, "
          f"{a['near_duplicate_pairs']:,} near duplicates")
    print(f"  pairwise precision {p:.4f}, recall {r:.4f}, F1 {f1:.4f}")

    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    dc.align_stories(tokens)
    peak = tracemalloc.get_traced_memory()[1] / 2 ** 20
    tracemalloc.stop()
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  memory: tracemalloc peak {peak:,.0f} MB; peak RSS grew {rss1 - rss0:,.0f} MB (to {rss1:,.0f} MB)")

    t0 = time.perf_counter()
    sweep = dc.story_threshold_sweep(tokens)
    print(f"story_threshold_sweep ({len(sweep)} thresholds, one similarity computation): "
          f"{time.perf_counter() - t0:.1f} s")
    print(sweep[["threshold", "stories", "documents_aligned", "mean_story_size"]].to_string(index=False))

    m = min(args.peer_docs, n)
    pick = np.sort(np.random.default_rng(0).choice(n, m, replace=False))
    weight, _, _ = term_weights(tokens, 2.0, 2.0)

    def all_pairs():
        x = doc_vectors(tokens.dtm[pick], weight, "tfidf")
        s = (x @ x.T).tocoo()
        return int((s.data >= a["threshold"]).sum())

    peer_wall, _, _ = median_time(all_pairs, args.runs)
    scale = (n * (n - 1)) / (m * (m - 1))
    print(f"peer: all-pairs cosine (scipy sparse product, no date window) of {m:,} articles: {peer_wall:.1f} s; "
          f"extrapolated to {n:,} articles ({scale:,.0f}x the pairs): {peer_wall * scale:,.0f} s "
          f"= {peer_wall * scale / wall:,.1f}x align_stories")


if __name__ == "__main__":
    main()
