"""Reference corpora for keyness that are not part of the corpus: a word-count table, or general English.

:func:`external_table` reads a researcher's own frequency list;
:func:`wordfreq_reference` gives general English from the optional package
``wordfreq`` (Speer 2022), which ships its data, so it works offline.
"""
from __future__ import annotations

import warnings
from functools import lru_cache

import pandas as pd

__all__ = ["external_table", "wordfreq_table", "wordfreq_reference"]


def external_table(reference, reference_size) -> tuple[pd.Series, float]:
    """An external reference word list as ``(term -> frequency, corpus size)``.

    From a Series (or dict) term -> frequency, a DataFrame with ``term`` and
    ``freq`` columns, or terms as index and exactly one numeric column. Repeated
    terms are summed; the size is ``reference_size`` or the sum of the table.
    """
    if isinstance(reference, pd.DataFrame):
        if {"term", "freq"} <= set(reference.columns):
            reference = reference.set_index("term")["freq"]
        else:
            num = reference.select_dtypes("number")
            if num.shape[1] != 1:
                raise ValueError("a reference DataFrame needs columns 'term' and 'freq', or terms as index "
                                 "and exactly one numeric column")
            reference = num.iloc[:, 0]
    ref = pd.Series(reference, dtype=float)
    if ref.isna().any() or (ref < 0).any():
        raise ValueError("reference frequencies must be non-negative numbers")
    ref.index = ref.index.astype(str)
    ref = ref.groupby(level=0).sum()
    total = float(ref.sum()) if reference_size is None else float(reference_size)
    if total <= 0 or total < ref.sum() - 1e-6:
        raise ValueError(f"reference_size ({total:g}) must be positive and at least the sum of the "
                         f"reference frequencies ({ref.sum():g})")
    return ref, total


@lru_cache(maxsize=4)
def wordfreq_table(possessives: str) -> pd.Series:
    """wordfreq's English proportions (Speer 2022), with possessives treated like our tokenizer's option."""
    try:
        import wordfreq
    except ImportError as err:
        raise ImportError("reference='wordfreq' needs the optional package wordfreq (pip install wordfreq); "
                          "it ships its data and works offline") from err
    ref = pd.Series(wordfreq.get_frequency_dict("en", wordlist="large"), dtype=float)
    # wordfreq keeps "russia's" whole; our default splits it into "russia" + "'s" (or drops the clitic)
    clitic = ref.index.str.endswith("'s") & (ref.index.str.len() > 2)
    if possessives in ("split", "drop") and clitic.any():
        moved = ref[clitic]
        base = pd.Series(moved.to_numpy(), index=moved.index.str[:-2])
        ref = pd.concat([ref[~clitic], base]).groupby(level=0).sum()
        if possessives == "split":
            ref["'s"] = ref.get("'s", 0.0) + moved.sum()
    return ref / ref.sum()


def wordfreq_reference(reference_size: float | None, params: dict) -> tuple[pd.Series, float]:
    """wordfreq's general English scaled to ``reference_size`` tokens (default a nominal 1e9), for tokens made with ``params``."""
    size = 1e9 if reference_size is None else float(reference_size)
    if not params.get("lowercase", True):
        warnings.warn("wordfreq's list is lowercase; the corpus was tokenized with lowercase=False", stacklevel=3)
    return wordfreq_table(params.get("possessives", "split")) * size, size

