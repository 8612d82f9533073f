"""Word lists: English stop words (gensim's, no download needed) and the house-style list.

The house-style list (``discourse/data/house_style.yaml``: honorifics, abbreviated
titles, the attribution verb "said", wire-agency tags, page furniture) names words
that an outlet's style sheet or page puts into the text rather than its framing.
It is part of the topic-model stop list by default and can be set aside from
keyness and collocate listings (``set_aside="house_style"``). Copy the file, edit
it and read the copy with :func:`house_style_terms`.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pandas as pd

from .safe_yaml import load_yaml
from .validation import check_choice, check_words

__all__ = ["HOUSE_STYLE_PATH", "STOPWORD_LISTS", "english_stopwords", "house_style", "house_style_terms",
           "stopword_set", "set_aside_terms", "set_aside_rows", "stopword_label"]

HOUSE_STYLE_PATH = Path(__file__).resolve().parent / "data" / "house_style.yaml"
STOPWORD_LISTS = ("english", "house_style", "english+house_style")


def english_stopwords() -> frozenset[str]:
    """The English stop-word list shipped with gensim (337 words; no download needed)."""
    from gensim.parsing.preprocessing import STOPWORDS

    return frozenset(STOPWORDS)


@lru_cache(maxsize=8)
def _read_house_style(path: str) -> dict[str, tuple[str, ...]]:
    data = load_yaml(Path(path)) or {}
    if not isinstance(data, dict) or not all(isinstance(v, list) and all(isinstance(w, str) for w in v)
                                             for v in data.values()):
        raise ValueError(f"{path}: a house-style list maps each category to a list of terms")
    return {str(k): tuple(v) for k, v in data.items()}


def house_style(path: str | Path | None = None) -> dict[str, tuple[str, ...]]:
    """The house-style list by category (``honorifics``, ``titles``, ``attribution``, ``agencies``, ``furniture``).

    Read with :func:`discourse.safe_yaml.load_yaml` (bounded, safe types) from ``path`` (an edited copy) or from the
    packaged :data:`HOUSE_STYLE_PATH`, whose comments give the reason for each
    group and what setting it aside costs.
    """
    return dict(_read_house_style(str(HOUSE_STYLE_PATH if path is None else Path(path).resolve())))


def house_style_terms(path: str | Path | None = None) -> frozenset[str]:
    """Every term of the house-style list (:func:`house_style`), all categories together."""
    return frozenset(w for words in house_style(path).values() for w in words)


def stopword_set(stopwords: str | Iterable[str] | None) -> frozenset[str]:
    """A stop list by name or as words.

    ``None`` -> none; ``"english"`` -> :func:`english_stopwords`; ``"house_style"``
    -> :func:`house_style_terms`; ``"english+house_style"`` -> both (the topic
    models' default); an iterable -> its words lowercased.
    """
    if stopwords is None:
        return frozenset()
    if isinstance(stopwords, str):
        check_choice("stopwords", stopwords, STOPWORD_LISTS)
        out = english_stopwords() if "english" in stopwords else frozenset()
        return out | house_style_terms() if "house_style" in stopwords else out
    check_words("stopwords", stopwords)
    return frozenset(w.lower() for w in stopwords)


def set_aside_terms(set_aside: str | Iterable[str] | None) -> tuple[str, frozenset[str]] | None:
    """Validate a ``set_aside=`` argument: None, ``"house_style"`` (:func:`house_style_terms`) or an iterable of terms.

    Returns None or ``(name, terms)``, name ``"house_style"`` or ``"custom"``.
    """
    if set_aside is None:
        return None
    if isinstance(set_aside, str):
        check_choice("set_aside", set_aside, ["house_style"])
        return "house_style", house_style_terms()
    check_words("set_aside", set_aside)
    return "custom", frozenset(set_aside)


def set_aside_rows(frame: pd.DataFrame, column: str, aside: tuple[str, frozenset[str]] | None
                   ) -> tuple[pd.DataFrame, dict[str, Any] | None]:
    """Leave the rows whose ``column`` is a set-aside term out of a listing; what was done, for ``attrs``.

    ``aside`` comes from :func:`set_aside_terms`. An entry in lower case matches
    every case variant of the term (``said`` also matches ``Said`` when the tokens
    keep case); an entry with capitals matches only that form (``US`` leaves the
    pronoun ``us`` listed). Only the listing changes: the caller computes every
    statistic before, on the full counts, so frequencies, p-values and their
    multiple-comparison adjustment are those of the call without ``set_aside``
    (as removing corpus-specific stop words after inference does for topic models;
    Schofield, Magnusson & Mimno 2017).

    Returns the kept rows (index reset) and ``{"list", "terms", "rows"}`` (which
    list, its terms, the rows left out), or None without ``aside``.
    """
    if aside is None:
        return frame, None
    name, words = aside
    terms = frame[column].to_numpy(dtype=object)
    hit = np.fromiter((t in words or (isinstance(t, str) and t.lower() in words) for t in terms), bool, len(terms))
    return frame[~hit].reset_index(drop=True), {"list": name, "terms": sorted(words), "rows": int(hit.sum())}


def stopword_label(stopwords: str | Iterable[str] | None) -> str | None:
    """How a stop-word option is recorded in ``params``/``attrs``: its name, or "N custom words" for a list."""
    if stopwords is None or isinstance(stopwords, str):
        return stopwords
    return f"{len(stopword_set(stopwords))} custom words"
