"""The pure part of writing a partition, and running it in worker processes ahead of the parent.

Writing a partition (:func:`discourse.store.writer.write_partitions`) has a pure part, a function of
the partition's documents and of the corpus-wide cleaning detections only: cleaning the batch
(:meth:`~discourse.store.writer.Cleaning.apply`), the tokenizer's regex split with offsets
(:func:`discourse.token_counter.split_texts`), the tokens each cleaning rule removed, the text
digests. :func:`prepare_partition` is that part; :func:`prepared_partitions` yields it for every
partition in order, in this process (``workers=1``) or in a pool of worker processes that prepare the
next pieces of partitions (:func:`piece_starts`) while the parent merges the current one into the global
counter and writes each partition once its pieces are in (the merge is sequential: term ids are in order
of first appearance over the corpus). At most ``workers`` pieces are in flight, so memory stays that of a
few partitions. Partitions are bounded in documents and bytes of text (:func:`partition_starts`).
"""
from __future__ import annotations

import multiprocessing
import os
import sys
from contextlib import contextmanager
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from functools import partial
from itertools import repeat
from typing import Any, Iterator

import numpy as np
import pandas as pd

from ..corpus import Corpus, ReadReport, text_sha256
from ..text_store import TextStore
from ..token_counter import count_tokens, split_texts
from ..token_counts import removed_tokens
from ..workers import ordered_map

__all__ = ["Prepared", "prepare_partition", "prepared_partitions", "partition_starts", "piece_starts", "text_sizes",
           "default_workers", "worker_pool", "warm", "PIECES"]

PIECES = 4  # pieces a partition is prepared in (by the workers, ahead of the parent)


def default_workers() -> int:
    """Processes that build a store by default: both cores of a laptop, one on a single core."""
    return min(2, os.cpu_count() or 1)


@dataclass
class Prepared:
    """A partition cleaned and split, ready to be counted and written."""

    batch: Corpus                    # cleaned (or as given), without its raw texts
    splits: list                     # split_texts of its texts: one (types, sid, starts, ends, n_per_doc) a text batch
    removed: pd.Series | None        # removed_tokens of its audit (None without removals)
    digests: np.ndarray              # SHA-256 of each raw text (n_docs x 32 bytes)
    blank: list                      # raw text is blank


def prepare_partition(batch: Corpus, cleaning: Any, possessives: str, hyphens: str, batch_chars: int) -> Prepared:
    """The pure part of writing one partition (module-level and picklable: it runs in worker processes)."""
    if cleaning is not None:
        batch = cleaning.apply(batch)
    texts = list(batch.texts)
    raw = texts if batch.raw is None else list(batch.raw)
    audit = batch.audit
    removed = None
    if audit is not None and len(audit):
        removed = removed_tokens(audit, partial(count_tokens, possessives=possessives, hyphens=hyphens), batch)
    digests = np.frombuffer(b"".join(map(text_sha256, raw)), np.uint8).reshape(len(raw), 32)
    blank = [not t.strip() for t in raw]
    # the raw texts are not written (their digests are) and the caller has them: not sent back with the batch
    batch = batch if batch.raw is None else replace(batch, raw=None)
    return Prepared(batch, split_texts(texts, possessives, hyphens, batch_chars), removed, digests, blank)


def warm() -> None:
    """Import what a worker needs (run once per worker as the pool starts, while the parent detects)."""
    import polars  # noqa: F401
    import pyarrow.compute  # noqa: F401

    from .. import cleaning  # noqa: F401


def _spawn_can_start() -> bool:
    """Whether ``spawn`` can start workers here: it re-imports the main script, so that must be a file
    (a notebook, ``python -c`` or ``python script.py`` are; a script piped to ``python -`` is not)."""
    main = getattr(sys.modules.get("__main__"), "__file__", None)
    return main is None or os.path.isfile(main)


@contextmanager
def worker_pool(workers: int, n_partitions: int) -> Iterator[ProcessPoolExecutor | None]:
    """A pool of ``workers`` processes (None for one worker or one partition: starting processes costs more).

    Started with ``spawn`` (safe with the threads of polars and Arrow) and warmed at once, so that the
    workers import while the caller reads or detects; shut down on leaving, pending work cancelled.
    None also when the main script is no file ``spawn`` can import (piped to ``python -``): then all
    runs in this process (the store is the same; a script file needs ``if __name__ == "__main__":``).
    """
    if workers <= 1 or n_partitions <= 1 or not _spawn_can_start():
        yield None
        return
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    try:
        for _ in range(workers):
            pool.submit(warm)
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def text_sizes(texts: Any) -> np.ndarray:
    """Each text's length in UTF-8 bytes (from a :class:`~discourse.text_store.TextStore`'s offsets: nothing read)."""
    if isinstance(texts, TextStore):
        return texts.byte_sizes()
    return np.fromiter((len(t.encode("utf-8", "surrogatepass")) for t in texts), np.int64, len(texts))


def partition_starts(sizes: np.ndarray, partition_docs: int, partition_bytes: int | None) -> list[int]:
    """The first document of each partition of texts of ``sizes`` bytes (:func:`text_sizes`): consecutive
    documents, at most ``partition_docs`` of them and at most ``partition_bytes`` bytes of UTF-8 text (None:
    no bound), a longer document alone.

    A partition's memory (its token arrays, cleaning and counting) grows with its text, not with its
    number of documents: bounding the bytes keeps it whatever the documents' length.
    """
    n = len(sizes)
    if partition_bytes is None:
        return list(range(0, n, partition_docs))
    ends = np.cumsum(sizes)  # bytes up to and with each document
    starts, lo = [], 0
    while lo < n:
        starts.append(lo)
        before = int(ends[lo - 1]) if lo else 0
        fit = int(np.searchsorted(ends, before + partition_bytes, side="right"))  # documents lo..fit-1 fit
        lo = min(lo + partition_docs, max(fit, lo + 1))
    return starts


def piece_starts(sizes: np.ndarray, starts: list[int], pieces: int = PIECES) -> list[int]:
    """The first document of each piece: every partition (from ``starts``) cut into at most ``pieces``
    consecutive pieces of about equal bytes. The workers prepare pieces, so both cores work from the
    first piece to the last even on a corpus of few partitions; the store does not depend on them."""
    out: list[int] = []
    for lo, hi in zip(starts, [*starts[1:], len(sizes)]):
        c = np.cumsum(sizes[lo:hi])
        cuts = np.searchsorted(c, c[-1] * np.arange(1, pieces) / pieces, side="right")
        out += sorted({lo, *(lo + cuts[(cuts > 0) & (cuts < hi - lo)]).tolist()})
    return out


def prepared_partitions(corpus: Corpus, starts: list[int], args: tuple,
                        pool: ProcessPoolExecutor | None, workers: int = 1) -> Iterator[Prepared]:
    """:func:`prepare_partition` of the batches of documents starting at ``starts`` (the last ends with the
    corpus; partitions or their pieces), strictly in order.

    ``args`` are its arguments after the batch. Without a ``pool`` (:func:`worker_pool`) here, one
    after another; with one, its ``workers`` processes prepare the next partitions while the caller
    consumes this one, at most ``workers`` in flight. An exception in a worker is raised here, in the
    caller, with its message.
    """
    def batch(bounds: tuple[int, int]) -> Corpus:
        part = corpus.take(range(*bounds))
        # without the whole corpus' read report and de-duplication (a row per file and document): neither is
        # needed to clean and split, and a worker would be sent them with every partition
        return replace(part, report=ReadReport(), dedup=None)

    bounds = zip(starts, [*starts[1:], len(corpus)])
    return ordered_map(prepare_partition, map(batch, bounds), *map(repeat, args), executor=pool, ahead=workers)
