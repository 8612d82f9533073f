"""Benchmark: LDA with K = 20 on a generated 10M-token corpus (about 16,700 documents).

Measures, in one run on the same prepared corpus:

* ``fit_lda`` with the default settings (k-means initialisation, 10 passes,
  gensim ``LdaModel``, vocabulary filters of :func:`prepare_corpus`), and
* the baseline: gensim ``LdaModel`` with its own random initialisation,
  10 passes, on the same filtered bag-of-words,

reporting the median seconds of ``--repeats`` fits (seeds 0, 1, 2, ...), the
ratio, and the recovery of the planted topics (mean cosine of Hungarian-matched fitted and
planted topic-word rows, :func:`discourse.topics.topic_recovery`). It also
checks that two default fits with the same seed give identical topics, fits
gensim once on the unfiltered vocabulary (the issue's reference point), and
times coherence (c_npmi + u_mass on the default 5,000-unit sample).

Run::

    .venv/bin/python benchmarks/bench_topics.py            # 10M tokens, 3 repeats (about 6 minutes)
    .venv/bin/python benchmarks/bench_topics.py --tokens 2000000 --repeats 1
"""
from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

import discourse as dc
from discourse.datasets import make_news_corpus
from discourse.topics import coherence, fit_lda, prepare_corpus, topic_recovery


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tokens", type=int, default=10_000_000)
    ap.add_argument("--k", type=int, default=20)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--unfiltered", action=argparse.BooleanOptionalAction, default=True,
                    help="also time gensim on the unfiltered vocabulary (one run)")
    args = ap.parse_args()

    t0 = time.perf_counter()
    sc = make_news_corpus(args.tokens, n_topics=args.k, seed=args.seed)
    tokens = dc.tokenize(dc.clean(dc.Corpus.from_records(sc.records)))
    print(f"corpus: {tokens.summary()} (generated and tokenized in {time.perf_counter() - t0:.1f} s)")
    t0 = time.perf_counter()
    corpus = prepare_corpus(tokens)
    print(f"prepare_corpus: {corpus.n_units:,} units, {corpus.bow.shape[1]:,} terms, "
          f"{corpus.params['n_tokens_kept']:,} tokens kept ({time.perf_counter() - t0:.1f} s)")

    names = {"kmeans": "fit_lda default (k-means init)", "random": "gensim LdaModel, random init"}
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in names.values()}
    models = []
    for r in range(args.repeats):
        seed = args.seed + r  # a different seed per repeat: recovery must not depend on a lucky seed
        for init, name in names.items():
            t0 = time.perf_counter()
            m = fit_lda(corpus, args.k, seed=seed, init=init)
            secs = time.perf_counter() - t0
            score = topic_recovery(m, sc.topic_word, sc.vocab).attrs["mean_cosine"]
            runs[name].append((secs, score))
            print(f"  seed {seed} {name}: {secs:.1f} s, matched cosine {score:.3f}", flush=True)
            if init == "kmeans" and r == 0:
                models.append(m)
    models.append(fit_lda(corpus, args.k, seed=args.seed))  # same seed again: identical topics?

    print(f"\nK = {args.k}, {tokens.n_tokens:,} tokens, {tokens.n_docs:,} documents, medians of {args.repeats} "
          f"runs (seeds {args.seed}..{args.seed + args.repeats - 1}):")
    med = {}
    for name, rs in runs.items():
        med[name] = statistics.median(s for s, _ in rs)
        scores = [c for _, c in rs]
        print(f"  {name:34s} {med[name]:6.1f} s   matched cosine median {statistics.median(scores):.3f} "
              f"(min {min(scores):.3f})")
    a, b = med[names["kmeans"]], med[names["random"]]
    print(f"  ratio default / baseline time: {a / b:.2f}")
    print(f"  same seed, identical topics across runs: {np.array_equal(models[0].topic_word, models[1].topic_word)}")
    if args.unfiltered:
        # the reference point: gensim on the whole vocabulary (stop words, numbers, rare words kept)
        full = prepare_corpus(tokens, min_df=1, max_df=1.0, stopwords=None, words_only=False)
        t0 = time.perf_counter()
        m = fit_lda(full, args.k, seed=args.seed, init="random")
        secs = time.perf_counter() - t0
        score = topic_recovery(m, sc.topic_word, sc.vocab).attrs["mean_cosine"]
        print(f"  gensim LdaModel, random init, unfiltered {full.bow.shape[1]:,} terms (1 run): {secs:.1f} s, "
              f"matched cosine {score:.3f}")
    t0 = time.perf_counter()
    coh = coherence(models[0])
    print(f"  coherence (c_npmi, u_mass on {coh.attrs['n_units_scored']:,} units): {time.perf_counter() - t0:.1f} s, "
          f"overall {coh.attrs['overall']}")


if __name__ == "__main__":
    main()
