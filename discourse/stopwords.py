"""Stop words from one installed source: gensim's English list (no download needed)."""
from __future__ import annotations

from typing import Iterable

__all__ = ["english_stopwords", "stopword_set"]


def english_stopwords() -> frozenset[str]:
    """The English stop-word list shipped with gensim (337 words; no download needed)."""
    from gensim.parsing.preprocessing import STOPWORDS

    return frozenset(STOPWORDS)


def stopword_set(stopwords: str | Iterable[str] | None) -> frozenset[str]:
    """``None`` -> no stop words, ``"english"`` -> :func:`english_stopwords`, an iterable -> its words lowercased."""
    if stopwords is None:
        return frozenset()
    if isinstance(stopwords, str):
        if stopwords != "english":
            raise ValueError("stopwords must be None, 'english' or an iterable of words")
        return english_stopwords()
    return frozenset(w.lower() for w in stopwords)
