"""Frequency tables by any metadata column, from the shared document-term matrix."""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from .grouping import group_counts, group_labels
from .tokens import Tokens
from .validation import check_count, check_min_freq, check_terms, check_tokens

__all__ = ["frequencies"]


def frequencies(tokens: Tokens, by: str | None = None, *, min_freq: int = 1,
                top: int | None = None, terms: Sequence[str] | None = None) -> pd.DataFrame:
    """Frequency table: one row per (group, term).

    Columns
    -------
    group : value of ``by`` ("all" without grouping)
    term : the term
    freq : raw frequency in the group
    per_million : ``freq / tokens_in_group * 1e6`` (normalised frequency)
    doc_freq : number of the group's documents containing the term
    range : ``doc_freq / documents_in_group`` (share of documents; the "range"
        dispersion of AntConc and WordSmith, as a proportion)
    rank : rank by frequency within the group (1 = most frequent; ties share the lowest rank)

    Parameters
    ----------
    tokens : Tokens
    by : str, optional
        Metadata column to group documents by (e.g. ``"outlet"``), or a period of
        ``date`` (``"month"``, ``"year"``, ...; see :func:`discourse.grouping.group_labels`).
    min_freq : int
        Keep terms with at least this frequency in a group.
    top : int, optional
        Keep only the ``top`` most frequent terms per group.
    terms : sequence of str, optional
        Report only these terms.

    The parameters and group sizes are in ``result.attrs``. An empty corpus or
    grouping is an error; a ``min_freq`` no term reaches gives an empty table and
    an :class:`~discourse.validation.EmptyResultWarning`.
    """
    check_count("min_freq", min_freq)
    check_count("top", top, minimum=1, optional=True)
    check_tokens("frequencies", tokens, by, group_labels(tokens.metadata, by))
    check_terms("frequencies", terms, tokens.vocab, tokens.n_tokens)
    labels, freq, docfreq, n_docs = group_counts(tokens, by)
    totals = np.asarray(freq.sum(axis=1)).ravel()
    coo = freq.tocoo()
    check_min_freq("frequencies", "min_freq", min_freq, coo.data)
    keep = coo.data >= min_freq
    rows, cols, data = coo.row[keep], coo.col[keep], coo.data[keep]
    df_vals = np.asarray(docfreq[rows, cols]).ravel() if len(rows) else np.zeros(0, np.int64)
    out = pd.DataFrame({
        "group": np.asarray(labels, dtype=object)[rows],
        "term": tokens.vocab.to_numpy()[cols],
        "freq": data,
        "per_million": data / np.maximum(totals[rows], 1) * 1e6,
        "doc_freq": df_vals,
        "range": df_vals / np.maximum(n_docs[rows], 1),
    })
    if terms is not None:
        out = out[out["term"].isin(list(terms))]
    out = out.sort_values(["group", "freq", "term"], ascending=[True, False, True], kind="stable")
    out["rank"] = out.groupby("group")["freq"].rank(method="min", ascending=False).astype(int)
    if top is not None:
        out = out[out["rank"] <= top]
    out = out.reset_index(drop=True)
    out.attrs = {"analysis": "frequencies", "by": by, "min_freq": min_freq, "top": top,
                 "group_tokens": dict(zip(map(str, labels), totals.tolist())),
                 "group_documents": dict(zip(map(str, labels), n_docs.tolist())),
                 "ungrouped_documents": int(tokens.n_docs - n_docs.sum()),  # no value of by (e.g. no parsable date)
                 "tokenizer": dict(tokens.params)}
    return out
