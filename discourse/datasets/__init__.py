"""Data sets that ship with the package, and the synthetic corpus generator.

* :func:`sample_corpus_path` / :func:`load_sample`: two news articles on one event
  (RT and TFI Post), the default input of every notebook;
* :func:`speeches_path` / :func:`load_speeches`: 124 US presidential speeches
  (inaugural and State of the Union addresses), a larger public-domain corpus;
* :func:`write_news_exports` / :func:`news_exports_path`: synthetic news-archive exports (Nexis,
  Factiva, ProQuest, Media Cloud) written at call time, with planted duplicates;
* :mod:`discourse.datasets.synthetic`: seeded multi-outlet news corpora of any
  size with planted ground truth (:func:`make_news_corpus`), for tests and benchmarks, and planted
  events reported by several outlets (:func:`make_event_corpus`), for story alignment.
"""
from .archives import news_exports_path, write_news_exports
from .corpora import load_sample, load_speeches, sample_corpus_path, speeches_path
from .synthetic import (SyntheticCorpus, iter_news_records, make_event_corpus, make_news_corpus, write_event_jsonl,
                        write_news_jsonl)

__all__ = [
    "sample_corpus_path", "load_sample", "speeches_path", "load_speeches",
    "write_news_exports", "news_exports_path",
    "SyntheticCorpus", "make_news_corpus", "iter_news_records", "write_news_jsonl",
    "make_event_corpus", "write_event_jsonl",
]
