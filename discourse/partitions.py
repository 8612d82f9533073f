"""Partitions: every analysis as a map over parts of the corpus and a merge of their partial counts.

A corpus too large for memory is held in partitions (an on-disk store,
:mod:`discourse.store`), and a cluster analyses them on several machines. So
that no analysis has a separate code path for them, each one computes what it
needs from one partition at a time (a *map* step: a plain :class:`~discourse.tokens.Tokens`
of that partition's documents, sharing the corpus' vocabulary, and the index of
its first document) and adds the partial results (a *merge* step: counts are sums).
An in-memory :class:`~discourse.tokens.Tokens` is one partition, so the same
steps run on it, and a store's results equal the in-memory ones exactly.

The protocol a partitioned corpus implements (:class:`Partitioned`):

* ``metadata`` (all documents, in order), ``vocab``, ``params``, ``types``,
  ``reconciliation``, ``audit``, ``n_docs``, ``n_tokens``, ``doc_ptr``,
  ``doc_lengths``, ``doc_ids``, ``manifest_hash()``, ``term_id(term)``: as on :class:`Tokens`;
* ``bounds``: document boundaries, partition ``k`` holds documents ``bounds[k]:bounds[k+1]``;
* ``partition(k)``: that partition as a :class:`Tokens` (``ids`` are global term ids,
  ``sent`` global sentence numbers, ``texts`` the cleaned texts, ``metadata`` its rows);
* ``map(func, *args, partitions=None)``: ``[func(partition(k), bounds[k], *args) for k]``,
  sequentially or on a Dask cluster (``func`` must be a module-level function so it can be
  sent to workers); ``partitions`` restricts it to some partitions (e.g. those an inverted
  index names for a query);
* ``term_partitions(term_ids)``: the partitions where any of the terms occurs.

:class:`SplitTokens` implements it in memory by cutting a :class:`Tokens` into parts, the
reference the tests hold every analysis to (results on any split equal the unsplit ones).
"""
from __future__ import annotations

from functools import reduce
from typing import Any, Callable, Iterable, Protocol, Sequence, runtime_checkable

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .tokens import Tokens

__all__ = ["Partitioned", "SplitTokens", "is_partitioned", "map_partitions", "partition_bounds", "merge_sum",
           "term_partitions", "stacked_columns", "term_totals", "run_partitions"]


@runtime_checkable
class Partitioned(Protocol):
    """A corpus in partitions (see the module docstring for the whole protocol)."""

    metadata: pd.DataFrame
    vocab: pd.Index
    bounds: np.ndarray

    def partition(self, k: int) -> Tokens: ...

    def map(self, func: Callable, *args: Any, partitions: Sequence[int] | None = None) -> list: ...

    def term_partitions(self, term_ids: Iterable[int]) -> np.ndarray: ...


def is_partitioned(tokens: Any) -> bool:
    """True for a corpus in partitions (a store, a :class:`SplitTokens`), False for a :class:`Tokens`."""
    return not isinstance(tokens, Tokens) and isinstance(tokens, Partitioned)


def partition_bounds(tokens: Any) -> np.ndarray:
    """Document boundaries of the partitions: ``[0, n_docs]`` for a :class:`Tokens`."""
    return np.asarray(tokens.bounds) if is_partitioned(tokens) else np.array([0, tokens.n_docs], dtype=np.int64)


def map_partitions(tokens: Any, func: Callable, *args: Any, partitions: Sequence[int] | None = None) -> list:
    """``func(part, first_document, *args)`` for every partition (or those listed), in partition order.

    A :class:`Tokens` is one partition: ``[func(tokens, 0, *args)]``.
    """
    if is_partitioned(tokens):
        return tokens.map(func, *args, partitions=partitions)
    if partitions is not None and 0 not in list(partitions):
        return []
    return [func(tokens, 0, *args)]


def merge_sum(parts: Sequence[Any]) -> Any:
    """The sum of partial counts (NumPy arrays, sparse matrices, numbers, or tuples of them, element-wise)."""
    if not parts:
        raise ValueError("no partial results to merge")
    if isinstance(parts[0], tuple):
        return tuple(merge_sum([p[i] for p in parts]) for i in range(len(parts[0])))
    if sp.issparse(parts[0]):
        return reduce(lambda a, b: a + b, parts).tocsr()
    return reduce(lambda a, b: a + b, parts)


def term_partitions(tokens: Any, term_ids: Iterable[int]) -> np.ndarray:
    """Partitions where any of ``term_ids`` occurs (an inverted index on a store; always ``[0]`` in memory)."""
    if is_partitioned(tokens):
        return np.asarray(tokens.term_partitions(term_ids), dtype=np.int64)
    return np.array([0], dtype=np.int64)


def _columns(part: Tokens, first: int, cols: np.ndarray) -> sp.csr_matrix:
    return part.dtm[:, cols].tocsr()


def stacked_columns(tokens: Any, cols: Sequence[int] | np.ndarray) -> sp.csr_matrix:
    """Documents x ``cols`` counts over the whole corpus (the columns of the document-term matrix for those
    terms only: memory of the result, not of the corpus), for text-level tests and dispersion."""
    cols = np.asarray(cols, dtype=np.int64)
    return sp.vstack(map_partitions(tokens, _columns, cols), format="csr")


def _totals(part: Tokens, first: int) -> np.ndarray:
    return np.asarray(part.dtm.sum(axis=0), dtype=np.int64).ravel()


def term_totals(tokens: Any) -> np.ndarray:
    """Frequency of every term in the corpus (column sums of the document-term matrix), by vocabulary id."""
    if not is_partitioned(tokens):
        return _totals(tokens, 0)
    return merge_sum(map_partitions(tokens, _totals))


def run_partitions(load: Callable[[int], tuple[Tokens, int]], ks: Sequence[int], func: Callable,
                   args: tuple = (), client: Any = None) -> list:
    """``[func(*load(k), *args) for k in ks]``: the one place a map over partitions runs.

    ``load(k)`` returns ``(partition k as Tokens, its first document)``; it and ``func`` are
    picklable (module-level functions, :func:`functools.partial` of them), so that with a
    ``dask.distributed`` client (``client``, or the one set by :func:`discourse.cluster.use_client`)
    each partition is loaded and mapped on a worker and only the partial results travel
    (:func:`discourse.cluster.dask_map`). Without one, partitions are loaded one at a time here.
    """
    from .cluster import current_client, dask_map
    from .memory import settle

    settle()  # what an earlier result freed, held by the allocators, goes before this map reads its partitions
    client = client if client is not None else current_client()
    if client is not None:
        return dask_map(client, load, list(ks), func, args)
    out = []
    for k in ks:
        part, first = load(k)
        out.append(func(part, first, *args))
        del part  # one partition in memory at a time
    return out


class SplitTokens:
    """A :class:`Tokens` cut into partitions of consecutive documents: the in-memory :class:`Partitioned`.

    ``SplitTokens(tokens, 3)`` (three parts of nearly equal document counts) or
    ``SplitTokens(tokens, bounds=[0, 10, 25, n])``. Each partition is ``tokens.select`` of its
    documents, made on access. For tests and for running one analysis partition by partition.
    """

    def __init__(self, tokens: Tokens, n: int | None = None, *, bounds: Sequence[int] | None = None) -> None:
        if bounds is None:
            n = max(1, min(int(n or 1), max(tokens.n_docs, 1)))
            bounds = np.linspace(0, tokens.n_docs, n + 1).round().astype(np.int64)
        self.bounds = np.asarray(bounds, dtype=np.int64)
        if self.bounds[0] != 0 or self.bounds[-1] != tokens.n_docs or (np.diff(self.bounds) < 0).any():
            raise ValueError(f"bounds must rise from 0 to {tokens.n_docs} documents, not {list(self.bounds)}")
        self._t = tokens
        for name in ("metadata", "vocab", "params", "types", "reconciliation", "audit", "doc_ptr"):
            setattr(self, name, getattr(tokens, name))

    # -- the Tokens attributes that do not need the token stream ----------
    n_docs = property(lambda self: self._t.n_docs)
    n_tokens = property(lambda self: self._t.n_tokens)
    doc_ids = property(lambda self: self._t.doc_ids)
    doc_lengths = property(lambda self: self._t.doc_lengths)

    def term_id(self, term: str) -> int:
        return self._t.term_id(term)

    def manifest_hash(self) -> str:
        return self._t.manifest_hash()

    @property
    def n_partitions(self) -> int:
        return len(self.bounds) - 1

    def partition(self, k: int) -> Tokens:
        mask = np.zeros(self._t.n_docs, dtype=bool)
        mask[self.bounds[k]:self.bounds[k + 1]] = True
        return self._t.select(mask)

    def _load(self, k: int) -> tuple[Tokens, int]:
        return self.partition(k), int(self.bounds[k])

    def map(self, func: Callable, *args: Any, partitions: Sequence[int] | None = None, client: Any = None) -> list:
        from .cluster import current_client, scatter_parts

        ks = range(self.n_partitions) if partitions is None else sorted(set(int(k) for k in partitions))
        client = client if client is not None else current_client()
        # on a cluster, the parts are sent to the workers once (not the whole Tokens with every task)
        load = self._load if client is None else scatter_parts(client, self, self._load, ks)
        return run_partitions(load, ks, func, args, client)

    def term_partitions(self, term_ids: Iterable[int]) -> np.ndarray:
        cols = np.asarray(list(term_ids), dtype=np.int64)
        if not len(cols):
            return np.zeros(0, dtype=np.int64)
        docs = np.flatnonzero(np.asarray(self._t.dtm[:, cols].sum(axis=1)).ravel() > 0)
        return np.unique(np.searchsorted(self.bounds, docs, side="right") - 1)

    def __len__(self) -> int:
        return self.n_docs

    def __repr__(self) -> str:
        return f"<SplitTokens: {self.n_partitions} partitions of {self._t.summary()}>"
