"""The two sides of every keyness comparison, and the counts they need, gathered over the partitions.

:func:`comparisons` resolves :func:`discourse.keyness.keyness`'s ``target`` and
``reference`` into pairs of :class:`Side` (term frequencies by group: a map over
the partitions and a sum, :func:`group_freq`); :class:`TermColumns` gathers the
document-term columns of the terms a comparison lists, for document frequencies,
DP and the text-level tests (Lijffijt et al. 2016).
"""
from __future__ import annotations

from itertools import combinations
from typing import Any, Mapping

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .grouping import group_matrix
from .partitions import map_partitions, merge_sum, stacked_columns
from .references import external_table, wordfreq_reference
from .tokens import Tokens
from .validation import check_group, check_rest

__all__ = ["Side", "as_list", "comparisons", "group_freq", "TermColumns"]


class Side:
    """One side of a comparison: a name, term frequencies, tokens and (for groups of the corpus) documents."""

    def __init__(self, name: str, freq: np.ndarray, size: float, docs: np.ndarray | None = None) -> None:
        self.name, self.freq, self.size, self.docs = name, freq, float(size), docs


def as_list(x) -> list:
    return list(x) if isinstance(x, (list, tuple, set, np.ndarray, pd.Index)) else [x]


def comparisons(tokens: Tokens, by: str | None, target, reference, reference_size):
    """Resolve target/reference into pairs of :class:`Side`, plus the vocabulary and background counts."""
    labels, g = group_matrix(tokens, by)
    # groups x terms, summed over the partitions, kept sparse (491 outlets x 200,000 terms would be 785 MB
    # dense); each side's frequencies are dense (document frequencies: per listed term, later)
    freq = merge_sum(map_partitions(tokens, group_freq, g)).tocsr()
    vocab = tokens.vocab.to_numpy()
    index = {lab: k for k, lab in enumerate(labels)}

    def side(labs: list, role: str = "target") -> Side:
        for x in labs:
            check_group("keyness", x, labels, by, role)
        rows = [index[x] for x in labs]
        docs = np.unique(np.concatenate([g[k].indices for k in rows]))
        f = np.asarray(freq[rows].sum(axis=0), dtype=np.int64).ravel().astype(float)
        return Side("+".join(map(str, labs)), f, f.sum(), docs)

    targets = [[lab] for lab in labels] if target is None else [as_list(target)]
    if isinstance(reference, Mapping):
        reference = pd.Series(reference, dtype=float)
    external = isinstance(reference, (pd.Series, pd.DataFrame)) or (isinstance(reference, str) and reference == "wordfreq")
    if external:
        ref, total = (wordfreq_reference(reference_size, tokens.params) if isinstance(reference, str)
                      else external_table(reference, reference_size))
        extra = ref.index[~ref.index.isin(vocab)]
        terms = np.concatenate([vocab, extra.to_numpy(dtype=object)])
        b = ref.reindex(terms, fill_value=0.0).to_numpy()
        pad = np.zeros(len(extra))
        pairs = []
        for labs in targets:
            t = side(labs)
            t.freq = np.r_[t.freq, pad]
            pairs.append((t, Side("wordfreq" if isinstance(reference, str) else "reference", b, total)))
        return pairs, terms, labels, None
    if isinstance(reference, str) and reference == "pairwise":
        if target is None:
            pairs = [(side([x]), side([y])) for x, y in combinations(labels, 2)]
        else:
            pairs = [(side(targets[0]), side([y])) for y in labels if y not in targets[0]]
    elif isinstance(reference, str) and reference == "rest":
        pairs = []
        for labs in targets:
            others = [x for x in labels if x not in labs]
            check_rest("keyness", labs, others, labels, by)
            r = side(others)
            r.name = "rest"
            pairs.append((side(labs), r))
    else:
        refs = as_list(reference)
        if target is None:  # every other group against this reference
            targets = [labs for labs in targets if not set(labs) & set(refs)]
        elif set(targets[0]) & set(refs):
            raise ValueError(f"target {targets[0]} and reference {refs} overlap")
        pairs = [(side(labs), side(refs, "reference")) for labs in targets]
    return pairs, vocab, labels, np.asarray(freq.sum(axis=0), dtype=np.int64).ravel().astype(float)


def group_freq(part: Tokens, first: int, g: sp.csr_matrix) -> sp.csr_matrix:
    """One partition's term counts by group (groups x terms): the map step of the corpus counts."""
    return (g[:, first:first + part.n_docs].astype(np.int64) @ part.dtm.astype(np.int64)).tocsr()


class TermColumns:
    """The document-term matrix restricted to the terms ``cols`` (all documents, columns in ``cols`` order).

    Gathered once from every partition (:func:`discourse.partitions.stacked_columns`) for the
    union of the terms any comparison lists, so its memory is that of the listed terms' entries.
    """

    def __init__(self, tokens: Any, cols: np.ndarray) -> None:
        self.cols = np.asarray(cols, dtype=np.int64)
        self.csc = stacked_columns(tokens, self.cols).tocsc()

    def __getitem__(self, cols: np.ndarray) -> sp.csc_matrix:
        return self.csc[:, np.searchsorted(self.cols, cols)]
