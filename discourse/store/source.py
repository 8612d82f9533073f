"""What a store is built from: a path (read with :func:`discourse.read_corpus`) or a :class:`~discourse.corpus.Corpus`."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ..corpus import Corpus
from ..readers import read_corpus

__all__ = ["read_source"]


def read_source(source: Any, read: dict | None) -> Corpus:
    """The corpus of ``source``: a path read with the options ``read``, or a Corpus as it is."""
    if isinstance(source, (str, Path)):
        corpus = read_corpus(source, **(read or {}))
    elif isinstance(source, Corpus):
        if read:
            raise ValueError("read= options apply when the source is a path; this source is already a Corpus")
        corpus = source
    else:
        raise TypeError(f"source must be a path or a Corpus, not {type(source).__name__}")
    if not len(corpus):
        raise ValueError(f"the source has no documents: {corpus.report.summary()}")
    return corpus
