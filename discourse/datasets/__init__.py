"""Data sets that ship with the package.

* :func:`sample_corpus_path` / :func:`load_sample`: two news articles on one event
  (RT and TFI Post), the default input of every notebook.
"""
from .corpora import load_sample, sample_corpus_path

__all__ = ["sample_corpus_path", "load_sample"]
