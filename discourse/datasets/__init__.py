"""Data sets that ship with the package, and the synthetic corpus generator.

* :func:`sample_corpus_path` / :func:`load_sample`: two news articles on one event
  (RT and TFI Post), the default input of every notebook;
* :mod:`discourse.datasets.synthetic`: seeded multi-outlet news corpora of any
  size with planted ground truth (:func:`make_news_corpus`), for tests and benchmarks.
"""
from .corpora import load_sample, sample_corpus_path
from .synthetic import SyntheticCorpus, iter_news_records, make_news_corpus, write_news_jsonl

__all__ = [
    "sample_corpus_path", "load_sample",
    "SyntheticCorpus", "make_news_corpus", "iter_news_records", "write_news_jsonl",
]
