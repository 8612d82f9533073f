"""Dispersion of every term per group: a driver that selects parts and calls :mod:`discourse.stats.dispersion`.

The corpus parts are the documents of the shared document-term matrix (by
default), equal-size chunks of the token stream, or the values of a metadata
column; the measures and their formulas are in :mod:`discourse.stats.dispersion`.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .grouping import group_labels, group_matrix
from .stats.dispersion import DIRECTION, DP_NORM, MEASURES, SD, arf, dispersion_measures
from .tokens import Tokens
from .validation import (check_choice, check_count, check_grouping, check_min_freq, check_terms, check_tokens,
                         warn_one_part)

__all__ = ["dispersion"]


def _parts(tokens: Tokens, docs: np.ndarray, parts) -> tuple[sp.csr_matrix, np.ndarray]:
    """Parts x terms counts and part sizes for the documents ``docs``."""
    if isinstance(parts, str) and parts == "documents":
        return tokens.dtm[docs], tokens.doc_lengths[docs]
    if isinstance(parts, (int, np.integer)) and not isinstance(parts, bool):
        if parts < 1:
            raise ValueError("parts as a chunk size must be a positive number of tokens")
        ids = _stream(tokens, docs)
        chunk = np.arange(len(ids)) // int(parts)
        n_chunks = int(chunk[-1]) + 1 if len(ids) else 0
        m = sp.csr_matrix((np.ones(len(ids)), (chunk, ids)), shape=(n_chunks, len(tokens.vocab)))
        m.sum_duplicates()
        return m, np.bincount(chunk, minlength=n_chunks)
    if isinstance(parts, str):
        _, g = group_matrix(tokens, parts)
        g = g[:, docs]
        g = g[np.flatnonzero(g.getnnz(axis=1))]  # values of the column that occur in these documents
        return (g @ tokens.dtm[docs]).tocsr(), g @ tokens.doc_lengths[docs]
    raise ValueError("parts must be 'documents', a chunk size in tokens (int) or a metadata column name")


def _stream(tokens: Tokens, docs: np.ndarray) -> np.ndarray:
    """Term ids of the documents ``docs`` (in corpus order), concatenated."""
    keep = np.zeros(tokens.n_docs, bool)
    keep[docs] = True
    return tokens.ids[np.repeat(keep, tokens.doc_lengths)]


def dispersion(tokens: Tokens, by: str | None = None, *, parts: str | int = "documents",
               terms: Sequence[str] | None = None, min_freq: int = 1, sd: str = "population",
               dp_norm: str = "min_part", direction: str = "native") -> pd.DataFrame:
    """Dispersion of every term, per group: range, Juilland's D, Carroll's D2, Rosengren's S, DP, DPnorm, ARF.

    Parameters
    ----------
    tokens : Tokens
    by : str, optional
        Metadata column to group documents by (e.g. ``"outlet"``); ``None``: the whole corpus.
    parts : "documents", int or str
        The corpus parts: documents (default; of unequal size), equal-size chunks
        of ``parts`` tokens of the group's token stream (the last chunk is
        shorter), or the values of a metadata column (e.g. ``"date"``).
    terms : sequence of str, optional
        Report only these terms.
    min_freq : int
        Report terms with at least this frequency in the group.
    sd, dp_norm, direction
        Conventions, see :func:`dispersion_measures`.

    Returns
    -------
    DataFrame
        One row per (group, term): ``group``, ``term``, ``freq``, ``parts`` (n),
        ``range`` (parts containing the term), ``range_prop``, ``juilland_d``,
        ``carroll_d2``, ``rosengren_s``, ``dp``, ``dp_norm``, ``arf`` (average reduced
        frequency over the group's token stream, :func:`arf`). Sorted by group, then
        frequency. Parameters are in ``.attrs``.
    """
    check_count("min_freq", min_freq, minimum=1)
    for name, value, allowed in (("sd", sd, SD), ("dp_norm", dp_norm, DP_NORM), ("direction", direction, DIRECTION)):
        check_choice(name, value, allowed)
    check_tokens("dispersion", tokens)
    for name, grouping in (("by", by), ("parts", parts if isinstance(parts, str) and parts != "documents" else None)):
        check_grouping("dispersion", group_labels(tokens.metadata, grouping), grouping, tokens.metadata.columns, name)
    check_min_freq("dispersion", "min_freq", min_freq, tokens.dtm.sum(axis=0))
    check_terms("dispersion", terms, tokens.vocab, tokens.n_tokens)
    labels, g = group_matrix(tokens, by)
    vocab = tokens.vocab.to_numpy()
    wanted = None if terms is None else np.isin(vocab, list(terms))
    frames, single = [], []
    for k, label in enumerate(labels):
        docs = g[k].indices
        counts, sizes = _parts(tokens, docs, parts)
        if np.count_nonzero(np.asarray(sizes) > 0) < 2:
            single.append(label)
        res = dispersion_measures(counts, sizes, sd=sd, dp_norm=dp_norm, direction=direction)
        res["arf"] = arf(_stream(tokens, docs), len(vocab))
        keep = res["freq"] >= min_freq
        if wanted is not None:
            keep &= wanted
        idx = np.flatnonzero(keep)
        frame = pd.DataFrame({"group": label, "term": vocab[idx], "freq": res["freq"][idx].astype(np.int64),
                              "parts": int(np.count_nonzero(np.asarray(sizes) > 0)),
                              **{c: res[c][idx] for c in ("range", "range_prop", *MEASURES[1:], "arf")}})
        frame["range"] = frame["range"].astype(np.int64)
        frames.append(frame)
    warn_one_part("dispersion", single, ("juilland_d", "carroll_d2", "dp_norm"))
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if len(out):
        out = out.sort_values(["group", "freq", "term"], ascending=[True, False, True], kind="stable")
        out = out.reset_index(drop=True)
    out.attrs = {"analysis": "dispersion", "by": by, "parts": parts, "min_freq": min_freq, "sd": sd,
                 "dp_norm": dp_norm, "direction": direction, "tokenizer": dict(tokens.params)}
    return out
