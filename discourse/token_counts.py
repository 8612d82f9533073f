"""Token reconciliation: raw tokens = removed by cleaning + read; read = counted + dropped by reason.

:func:`discourse.tokenizer.tokenize` counts every token of each document by
reason (counted, or why it was dropped) into a documents x reasons matrix
(:func:`reason_counts`); the reconciliation table (:func:`reconcile`) is its
column sums, so a subset of the documents (:meth:`discourse.tokens.Tokens.select`)
reconciles exactly too. :func:`with_cleaning` adds the cleaning rows: tokens in
the raw text and those in the spans each cleaning rule removed.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np
import pandas as pd

from .normalisation import JOINED, joined_tokens

__all__ = ["REASONS", "COLUMNS", "reason_counts", "reconcile", "with_cleaning", "removed_tokens", "merge_removed",
           "cleaning_rows"]

# Why a token is counted or dropped; "newline" tokens (line breaks) are no tokens of the text
REASONS = ("counted", "punctuation", "number", "possessive", "url", "stopword", "short", "newline")
COLUMNS = ["stage", "reason", "tokens"]


def reason_counts(doc: np.ndarray, reason: np.ndarray, n_docs: int) -> np.ndarray:
    """Documents x :data:`REASONS` token counts (int32) from each token's document and reason index."""
    k = len(REASONS)
    flat = np.bincount(doc.astype(np.int64) * k + reason, minlength=n_docs * k)
    return flat.reshape(n_docs, k).astype(np.int32)


def reconcile(counts: np.ndarray) -> pd.DataFrame:
    """The table ``stage``, ``reason``, ``tokens``: tokens read, counted, and dropped by reason.

    Read = counted + dropped (line breaks are no tokens).
    """
    totals = dict(zip(REASONS, np.asarray(counts, np.int64).sum(axis=0).tolist()))
    read = sum(n for r, n in totals.items() if r != "newline")
    rows = [("read", "all tokens in the cleaned text", read), ("counted", "counted", totals["counted"])]
    rows += [("dropped", r, totals[r]) for r in REASONS[1:-1] if totals[r]]
    return pd.DataFrame(rows, columns=COLUMNS)


def with_cleaning(recon: pd.DataFrame, audit: pd.DataFrame, count_texts: Callable[[list[str]], np.ndarray],
                  corpus: Any) -> pd.DataFrame:
    """``recon`` with the rows before it: tokens in the raw text, and in the spans removed by each cleaning rule.

    ``count_texts`` counts tokens in pieces of text by the tokenizer's regex.
    """
    return cleaning_rows(recon, removed_tokens(audit, count_texts, corpus))


def removed_tokens(audit: pd.DataFrame, count_texts: Callable[[list[str]], np.ndarray], corpus: Any) -> pd.Series:
    """Raw tokens removed by each cleaning rule (rules sorted), and those lost by joining (:data:`JOINED`, last).

    Additive over the documents: the sum of the values of batches of a corpus is the value of the corpus
    (:func:`merge_removed`), as a store built in batches needs.
    """
    removed = audit.assign(tokens=count_texts(audit["text"].tolist())).groupby("rule")["tokens"].sum()
    joined = joined_tokens(corpus.raw or corpus.texts, corpus.texts, corpus.ids, audit, count_texts)
    if joined:  # a removed invisible character inside a word joins two raw tokens into one (Kalinin\u200bgrad)
        removed[JOINED] = joined
    return removed


def merge_removed(parts: Sequence[pd.Series]) -> pd.Series:
    """The :func:`removed_tokens` of a corpus from those of its batches (same order of rules)."""
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.Series([], dtype="int64", name="tokens")
    total = pd.concat(parts).groupby(level=0).sum()
    rules = total.drop(JOINED, errors="ignore").sort_index()
    joined = int(total.get(JOINED, 0))
    return pd.concat([rules, pd.Series({JOINED: joined})]) if joined else rules


def cleaning_rows(recon: pd.DataFrame, removed: pd.Series) -> pd.DataFrame:
    """``recon`` after the rows of the raw tokens and of the tokens each rule removed (:func:`removed_tokens`)."""
    read = int(recon.loc[recon.stage == "read", "tokens"].iloc[0])
    rows = [("raw", "all tokens in the raw text", read + int(removed.sum()))]
    rows += [("removed by cleaning", rule, int(n)) for rule, n in removed.items()]
    return pd.concat([pd.DataFrame(rows, columns=recon.columns), recon], ignore_index=True)
