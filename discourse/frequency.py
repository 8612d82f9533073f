"""Frequency tables by any metadata column, from the shared document-term matrix."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .tokens import Tokens


PERIODS = {"year": "Y", "quarter": "Q", "month": "M", "week": "W", "day": "D"}


def group_labels(metadata: pd.DataFrame, by: str | None) -> pd.Series:
    """The group of every document: a metadata column, or a period of ``date``.

    ``by`` is a column name, ``None`` (one group "all"), or one of ``"year"``,
    ``"quarter"``, ``"month"``, ``"week"``, ``"day"`` to group by that period of
    the ``date`` column (when no column has that name). Documents with a
    missing value belong to no group.
    """
    if by is None:
        return pd.Series("all", index=metadata.index, name="group")
    if by in metadata.columns:
        return metadata[by].rename("group")
    if by in PERIODS and "date" in metadata.columns:
        dates = pd.to_datetime(metadata["date"], errors="coerce", utc=True).dt.tz_localize(None)
        return dates.dt.to_period(PERIODS[by]).astype(str).where(dates.notna()).rename("group")
    raise KeyError(f"no metadata column {by!r}; columns are {list(metadata.columns)} "
                   f"(or a period of 'date': {list(PERIODS)})")


def group_matrix(tokens: Tokens, by: str | None) -> tuple[list[Any], sp.csr_matrix]:
    """Indicator matrix (groups x documents) for :func:`group_labels`; ``None`` -> one group "all".

    Every analysis groups documents through this function, so ``by`` may be any
    metadata column or a period of ``date`` (e.g. ``"month"``) everywhere.
    """
    n = tokens.n_docs
    if by is None:
        return ["all"], sp.csr_matrix(np.ones((1, n), np.int32))
    codes, labels = pd.factorize(group_labels(tokens.metadata, by), sort=True)
    ok = codes >= 0
    g = sp.csr_matrix((np.ones(ok.sum(), np.int32), (codes[ok], np.flatnonzero(ok))), shape=(len(labels), n))
    return list(labels), g


def group_counts(tokens: Tokens, by: str | None) -> tuple[list[Any], sp.csr_matrix, sp.csr_matrix, np.ndarray]:
    """Per-group term counts, document frequencies and number of documents.

    Returns ``(labels, freq, docfreq, n_docs)`` with ``freq`` and ``docfreq`` as
    groups x terms sparse matrices (int64).
    """
    labels, g = group_matrix(tokens, by)
    dtm = tokens.dtm
    freq = (g @ dtm).astype(np.int64).tocsr()
    present = dtm.copy()
    present.data = np.ones_like(present.data)
    docfreq = (g @ present).astype(np.int64).tocsr()
    n_docs = np.asarray(g.sum(axis=1)).ravel()
    return labels, freq, docfreq, n_docs


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
        ``date`` (``"month"``, ``"year"``, ...; see :func:`group_labels`).
    min_freq : int
        Keep terms with at least this frequency in a group.
    top : int, optional
        Keep only the ``top`` most frequent terms per group.
    terms : sequence of str, optional
        Report only these terms.

    The parameters and group sizes are in ``result.attrs``.
    """
    labels, freq, docfreq, n_docs = group_counts(tokens, by)
    totals = np.asarray(freq.sum(axis=1)).ravel()
    coo = freq.tocoo()
    keep = coo.data >= min_freq
    rows, cols, data = coo.row[keep], coo.col[keep], coo.data[keep]
    df_vals = np.asarray(docfreq[rows, cols]).ravel()
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
                 "tokenizer": dict(tokens.params)}
    return out
