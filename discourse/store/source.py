"""What a store is built from: a path (read with :func:`discourse.read_corpus`) or a :class:`~discourse.corpus.Corpus`."""
from __future__ import annotations

from contextlib import nullcontext
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..corpus import Corpus
from ..readers import read_corpus
from ..text_store import spilled, spilling

__all__ = ["read_source"]


def read_source(source: Any, read: dict | None, spill: Path | None = None) -> Corpus:
    """The corpus of ``source``: a path read with the options ``read``, or a Corpus as it is.

    With ``spill`` (a directory), the texts read from a path are kept in a temporary file there
    (:func:`discourse.text_store.spilling`), so the corpus as read takes no memory but its
    metadata; a Corpus given is used as it is (its caller holds it).
    """
    if isinstance(source, (str, Path)):
        with spilling(spill) if spill is not None else nullcontext():
            corpus = read_corpus(source, **(read or {}))
        if spill is not None:  # de-duplicated on read: the documents kept were taken into memory
            corpus = replace(corpus, texts=spilled(corpus.texts, spill))
    elif isinstance(source, Corpus):
        if read:
            raise ValueError("read= options apply when the source is a path; this source is already a Corpus")
        corpus = source
    else:
        raise TypeError(f"source must be a path or a Corpus, not {type(source).__name__}")
    if not len(corpus):
        raise ValueError(f"the source has no documents: {corpus.report.summary()}")
    return corpus
