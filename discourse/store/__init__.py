"""The on-disk corpus store: a tokenized corpus in partitions, opened in well under a second.

:func:`build_store` reads, cleans and tokenizes a corpus partition by partition onto disk;
:func:`open_store` opens it (a local directory, memory-mapped, or an fsspec URL on object storage:
:mod:`discourse.store.location`) as a :class:`Store`, which has the :class:`~discourse.tokens.Tokens`
interface of a partitioned corpus (:mod:`discourse.partitions`), so the analyses run on it partition
by partition (locally or on a Dask cluster) with the in-memory results; :meth:`Store.append` adds
new documents without a rebuild. Layout: :mod:`discourse.store.format`.
"""
from .build import PARTITION_BYTES, PARTITION_DOCS, build_store
from .format import open_partition
from .store import Store, open_store

__all__ = ["build_store", "open_store", "Store", "open_partition", "PARTITION_DOCS", "PARTITION_BYTES"]
