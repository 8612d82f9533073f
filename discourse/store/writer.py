"""Writing partitions: clean a batch with the corpus-wide detections, count it, write it (build and append).

:func:`write_partitions` is the one path by which documents enter a store, for
:func:`discourse.build_store` and :meth:`discourse.store.Store.append` alike: the corpus is cut
into partitions of consecutive documents; each is cleaned with the recurring lines and boilerplate
patterns detected once on the whole corpus (:func:`discourse.cleaning.detections`), so that its text
and audit are those of cleaning the whole corpus, then counted by the store's
:class:`~discourse.token_counter.TokenCounter` (global term ids, sentence numbers continuing) and
written. Only one partition's arrays are in memory at a time.
"""
from __future__ import annotations

import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..cleaning import CleaningWarning, clean
from ..memory import give_back
from ..corpus import Corpus
from ..token_counter import TokenCounter, concat_batches
from .format import write_partition
from .pipeline import partition_starts, piece_starts, prepared_partitions, text_sizes, worker_pool

__all__ = ["Cleaning", "Written", "write_partitions", "write_index"]


@dataclass
class Cleaning:
    """How the store cleans: :func:`discourse.clean`'s options and what it detected on the corpus."""

    options: dict                      # every option of clean (defaults filled in)
    lines: dict                        # recurring lines by group ({} when recurring=False)
    patterns: pd.DataFrame | None      # boilerplate patterns (None when boilerplate=False)

    def apply(self, batch: Corpus) -> Corpus:
        """``clean(batch)`` with the corpus-wide detections; its warnings are given once for the corpus."""
        opts = {k: v for k, v in self.options.items() if k not in ("recurring", "boilerplate")}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CleaningWarning)
            return clean(batch, **opts, recurring=self.lines if self.options["recurring"] is not False else False,
                         boilerplate=self.patterns if self.patterns is not None else False)


@dataclass
class Written:
    """What :func:`write_partitions` wrote: partition sizes, each one's terms, the pieces of the cleaning record."""

    sizes: list = field(default_factory=list)        # documents per partition
    terms: list = field(default_factory=list)        # distinct term ids per partition
    n_tokens: int = 0
    reasons: Any = 0                                 # token counts by reason, summed
    removed: list = field(default_factory=list)      # removed_tokens of each partition
    heavy: list = field(default_factory=list)
    emptied: list = field(default_factory=list)
    n_audit: int = 0
    cleaning: dict | None = None                     # the first partition's cleaning params


def write_partitions(path: Path, corpus: Corpus, counter: TokenCounter, cleaning: Cleaning | None, *,
                     first_partition: int, partition_docs: int, batch_chars: int, partition_bytes: int | None = None,
                     progress: bool = False, workers: int = 1, pool: Any = None) -> Written:
    """Clean (unless ``cleaning`` is None), count and write ``corpus`` as partitions from ``first_partition`` on.

    The pure part (cleaning, the regex split) runs in ``workers`` processes ahead of this one
    (:func:`discourse.store.pipeline.prepared_partitions`); counting into ``counter`` and writing are
    here, partition after partition, so the result does not depend on ``workers``. ``pool``: a
    :func:`~discourse.store.pipeline.worker_pool` of ``workers`` started by the caller (else one is
    started here). Partitions: :func:`~discourse.store.pipeline.partition_starts` of ``partition_docs``
    and ``partition_bytes``.
    """
    sizes = text_sizes(corpus.texts)
    starts = partition_starts(sizes, partition_docs, partition_bytes)
    if pool is None:
        with worker_pool(workers, len(starts)) as own:
            if own is not None:
                return write_partitions(path, corpus, counter, cleaning, first_partition=first_partition,
                                        partition_docs=partition_docs, partition_bytes=partition_bytes,
                                        batch_chars=batch_chars, progress=progress, workers=workers, pool=own)
    out = Written()
    # the workers prepare pieces of the partitions (both cores busy from the first piece to the last, even with
    # few partitions); this thread counts each piece as it comes and writes a partition once its pieces are in
    pieces = piece_starts(sizes, starts) if pool is not None else starts
    prepared = prepared_partitions(corpus, pieces, (cleaning, counter.possessives, counter.hyphens, batch_chars),
                                   pool, workers)
    if progress:
        from ..progress import progress_bar

        prepared = progress_bar(prepared, total=len(pieces), desc="store", unit="piece")
    first = set(starts)
    # partition k is written by a thread (NumPy's file writes and sorts and Arrow's Parquet writer release
    # the GIL) while this thread counts partition k + 1: two partitions' arrays at most
    with ThreadPoolExecutor(1, thread_name_prefix="discourse-store-writer") as writer:
        written, counted = None, []
        for lo, part in zip(pieces, prepared):
            if lo in first and counted:
                written = _submit(writer, written, path, first_partition + len(out.sizes), counted, counter, out)
                counted = []
            counted.append(_counted(part, counter, cleaning, out))
            del part
        if counted:
            written = _submit(writer, written, path, first_partition + len(out.sizes), counted, counter, out)
        if written is not None:
            out.terms.append(written.result())
    return out


@dataclass
class _Piece:
    """A prepared piece of a partition, counted into the global counter."""

    counted: Any
    starts: np.ndarray
    ends: np.ndarray
    texts: list
    metadata: pd.DataFrame
    audit: pd.DataFrame | None
    digests: np.ndarray
    blank: list


def _counted(part: Any, counter: TokenCounter, cleaning: Cleaning | None, out: Written) -> _Piece:
    """Count a prepared piece (in corpus order: term ids and sentence numbers are global); note its cleaning."""
    batch = part.batch
    if cleaning is not None:
        params = batch.params["cleaning"]
        out.cleaning = out.cleaning or params
        out.heavy += params["heavy_removals"]
        out.emptied += params["emptied"]
    counted = concat_batches([counter.add_split(split) for split in part.splits], len(counter.terms))
    offsets = [counter.split_offsets(split) for split in part.splits]  # one regex pass for counts and offsets
    empty = np.zeros(0, np.int32)
    starts, ends = (np.concatenate([o[0] for o in offsets]) if offsets else empty,
                    np.concatenate([o[1] for o in offsets]) if offsets else empty)
    if part.removed is not None:
        out.removed.append(part.removed)
        out.n_audit += len(batch.audit)
    return _Piece(counted, starts, ends, list(batch.texts), batch.metadata, batch.audit, part.digests, part.blank)


def _submit(writer: ThreadPoolExecutor, written: Any, path: Path, k: int, pieces: list[_Piece],
            counter: TokenCounter, out: Written) -> Any:
    """Partition ``k`` of its counted pieces, given to the writer thread (once the previous one is written)."""
    counted = concat_batches([p.counted for p in pieces], len(counter.terms))
    audits = [p.audit for p in pieces if p.audit is not None]
    audit = None if not audits else audits[0] if len(audits) == 1 else pd.concat(audits, ignore_index=True)
    metadata = pieces[0].metadata if len(pieces) == 1 else pd.concat([p.metadata for p in pieces])
    texts = [t for p in pieces for t in p.texts]
    if written is not None:
        out.terms.append(written.result())
    written = writer.submit(write_partition, path, k, ids=counted.ids, sent=counted.sent,
                            lengths=counted.lengths, dtm=counted.dtm, reasons=counted.reasons,
                            starts=np.concatenate([p.starts for p in pieces]),
                            ends=np.concatenate([p.ends for p in pieces]), texts=texts, metadata=metadata,
                            audit=audit, digests=np.concatenate([p.digests for p in pieces]),
                            blank=[b for p in pieces for b in p.blank])
    out.sizes.append(len(texts))
    out.n_tokens += len(counted.ids)
    out.reasons = out.reasons + counted.reasons.sum(axis=0, dtype=np.int64)
    del pieces, counted, texts  # the writer holds what it needs
    give_back()  # the partition's freed arrays, kept by the allocators, would add up to hundreds of MiB
    return written


def write_index(d: Path, terms: list[np.ndarray], n_terms: int) -> None:
    """The inverted index term -> partitions (CSR over terms, in directory ``d``) from each partition's terms."""
    term = np.concatenate(terms) if terms else np.zeros(0, np.int64)
    part = np.repeat(np.arange(len(terms)), [len(t) for t in terms])
    order = np.lexsort((part, term))
    ptr = np.searchsorted(term[order], np.arange(n_terms + 1)).astype(np.int64)
    np.save(d / "term_ptr.npy", ptr)
    np.save(d / "term_parts.npy", part[order].astype(np.int32))

