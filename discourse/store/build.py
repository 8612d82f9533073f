"""Building a store: :func:`build_store` reads, cleans and tokenizes a corpus partition by partition onto disk."""
from __future__ import annotations

import inspect
import os
import shutil
import uuid
from contextlib import nullcontext
from pathlib import Path
from typing import Mapping

import pandas as pd

from ..cleaning import clean as clean_corpus
from ..cleaning import detections
from ..corpus import Corpus
from ..token_counter import TokenCounter
from ..validation import check_count, check_new_path
from ..version import __version__
from .format import FORMAT, FORMAT_VERSION, MANIFEST, write_frame
from .pipeline import default_workers, partition_starts, text_sizes, worker_pool
from .location import is_url
from .record import now, record
from .source import read_source
from .store import Store
from .writer import Cleaning, write_partitions

__all__ = ["build_store", "PARTITION_DOCS", "PARTITION_BYTES"]

PARTITION_DOCS = 10_000  # documents a partition at most (short texts: the bytes bound rarely binds)
PARTITION_BYTES = 16 * 2 ** 20  # bytes of text a partition at most: about 2.6M tokens (2,700 news articles of 6 KB)
EARLY_POOL_BYTES = 2 * PARTITION_BYTES  # a file this large holds more than one partition's text


def build_store(source: str | Path | Corpus, path: str | Path, *, partition_docs: int = PARTITION_DOCS,
                partition_bytes: int | None = PARTITION_BYTES, read: Mapping | None = None,
                clean: Mapping | bool | None = None, tokenize: Mapping | None = None, batch_chars: int = 4_000_000, overwrite: bool = False, progress: bool = False,
                workers: int | None = None) -> Store:
    """Read, clean and tokenize a corpus into an on-disk store, one partition at a time; open it.

    The store holds what :func:`discourse.tokenize` of :func:`discourse.clean` of the corpus holds
    (term ids, sentence numbers, character offsets, document-term matrix, vocabulary, types,
    reconciliation, cleaning audit, metadata, read report), in partitions of consecutive documents
    (memory-mapped NumPy arrays and Parquet tables; layout in :mod:`discourse.store.format`), plus an
    inverted index (term -> partitions, and each term's positions in a partition) for queries. Every
    analysis that maps over partitions gives on it the results it gives on the in-memory tokens.

    Parameters
    ----------
    source : path or Corpus
        A file or folder (read with :func:`discourse.read_corpus` and ``read``), a Corpus as read, or a
        Corpus already cleaned (its texts and audit are stored as they are).
    path : str or Path
        The store's directory (created; local: a URL is an error that says how to copy a store to object
        storage with fsspec, where :func:`discourse.open_store` reads it).
    partition_docs : int
        Documents a partition at most (default 10,000).
    partition_bytes : int or None
        Bytes of text (UTF-8, as read) a partition at most (default 16 MiB: about 2.6M tokens, 2,700
        news articles of 6 KB); a longer document makes a partition alone; None: ``partition_docs``
        alone. A partition is the unit of memory: peak memory is that of the metadata plus a few
        partitions' cleaning, counting and writing, whatever the documents' length (the texts read
        from a path are kept in a temporary file beside the store, read a partition at a time), and
        of every analysis on the store. Fewer, larger partitions make analyses faster.
    read : dict, optional
        Options of :func:`discourse.read_corpus` (when ``source`` is a path).
    clean : dict, False or None
        Options of :func:`discourse.clean` (None: its defaults, unless ``source`` is cleaned already;
        False: not cleaned). Recurring lines and boilerplate are detected once on the whole corpus and
        every partition is cleaned with them, so texts and audit equal ``clean(corpus)``.
    tokenize : dict, optional
        Options of :func:`discourse.tokenize` (e.g. ``{"stopwords": "english"}``).
    batch_chars : int
        Characters tokenized at a time within a partition (as in :func:`discourse.tokenize`).
    overwrite : bool
        Replace an existing store at ``path`` (never a directory that is not a store).
    progress : bool
        A progress bar over the partitions.
    workers : int, optional
        Processes that clean and split the partitions (default ``min(2, os.cpu_count())``): worker
        processes prepare the next pieces of partitions (a quarter of one each) while this one counts
        the current piece and a thread writes the last partition, in order, so the store is the same
        with any number (1: all in this process, whole partitions; a corpus of one partition is always
        built in this process). Detection runs once, here, before.

    Returns
    -------
    Store
        Opened (:func:`discourse.open_store`). ``store.json`` records the format version, the corpus
        fingerprint (``corpus.manifest_hash()``), every option of read, clean and tokenize, the
        partition bounds and the counts; ``store.append(new_source)`` adds documents later.

    Notes
    -----
    The vocabulary is in order of first appearance over the whole corpus, as :func:`discourse.tokenize`
    makes it: the incremental :class:`discourse.token_counter.TokenCounter` counts the partitions one
    after another with one global state.
    """
    check_count("partition_docs", partition_docs, minimum=1)
    check_count("partition_bytes", partition_bytes, minimum=1, optional=True)
    if is_url(path):  # written locally (atomic renames), then copied: object stores have no rename
        raise ValueError(f"build_store writes a local directory, not {path!r}: build it locally, then copy it with "
                         "fsspec, e.g. fsspec.filesystem('s3').put('news.store/', 'bucket/news.store', recursive=True), "
                         "and open it with dc.open_store('s3://bucket/news.store')")
    path = Path(path)
    check_new_path("store", path, overwrite)
    if path.exists() and not (path / MANIFEST).is_file() and (not path.is_dir() or any(path.iterdir())):
        raise FileExistsError(f"store {str(path)!r} exists and is not a discourse store; overwrite=True replaces "
                              "only a store (or an empty directory)")
    tokenize = dict(tokenize or {})
    batch_chars = tokenize.pop("batch_chars", batch_chars)  # tokenize's own loop options, given here too
    progress = tokenize.pop("progress", progress)
    check_count("batch_chars", batch_chars, minimum=1)
    workers = default_workers() if workers is None else workers
    check_count("workers", workers, minimum=1)
    counter = TokenCounter(**tokenize)  # checks the options before anything is read
    if clean not in (None, False):
        _clean_options(clean)  # checks the options before anything is read
    # the workers start (and import) while this process reads a large file, else once it is read (while
    # this process detects on the whole corpus); the store is the same either way
    # the texts read are kept in an unlinked temporary file beside the store, not in memory: what this process
    # holds is then the metadata and the partitions in hand, not the corpus
    path.parent.mkdir(parents=True, exist_ok=True)
    with worker_pool(workers, 2 if _large_file(source) else 1) as early:
        corpus = read_source(source, read, spill=path.parent)
        n_partitions = len(partition_starts(text_sizes(corpus.texts), partition_docs, partition_bytes))
        with nullcontext(early) if early is not None else worker_pool(workers, n_partitions) as pool:
            return _build(source, path, corpus, counter, pool, clean, read, (partition_docs, partition_bytes),
                          batch_chars, progress, workers)


def _large_file(source: object) -> bool:
    """Whether ``source`` is one file large enough to make more than one partition of news articles."""
    return isinstance(source, (str, Path)) and Path(source).is_file() and Path(source).stat().st_size >= EARLY_POOL_BYTES


def _build(source: str | Path | Corpus, path: Path, corpus: Corpus, counter: TokenCounter, pool: object,
           clean: Mapping | bool | None, read: Mapping | None, partitioning: tuple[int, int | None], batch_chars: int,
           progress: bool, workers: int) -> Store:
    """Detect, write the partitions and the records into a temporary directory, move it to ``path``."""
    cleaned_before = corpus.raw is not None or corpus.audit is not None
    if cleaned_before and clean not in (None, False):
        raise ValueError("the source Corpus is cleaned already; pass clean=None to store it as it is")
    cleaning = None
    if clean is not False and not cleaned_before:
        clean_options = _clean_options(clean)
        lines, patterns = detections(corpus, **{k: clean_options[k] for k in
                                                ("recurring", "boilerplate", "group", "min_docs", "min_share")},
                                    executor=pool)
        cleaning = Cleaning(_recorded(clean_options), lines, patterns)
    tmp = path.parent / f".{path.name}.building-{uuid.uuid4().hex[:8]}"
    tmp.mkdir(parents=True)
    try:
        partition_docs, partition_bytes = partitioning
        written = write_partitions(tmp, corpus, counter, cleaning, first_partition=0, partition_docs=partition_docs,
                                   partition_bytes=partition_bytes,
                                   batch_chars=batch_chars, progress=progress, workers=workers, pool=pool)
        manifest = {"format": FORMAT, "format_version": FORMAT_VERSION, "discourse_version": __version__,
                    "created": now(), "source": str(source) if isinstance(source, (str, Path)) else "Corpus",
                    "options": {"read": dict(read or {}),
                                "read_params": {k: v for k, v in corpus.params.items() if k not in ("cleaning", "dedup")},
                                "clean": cleaning.options if cleaning else False, "cleaned_before": cleaned_before,
                                "tokenize": counter.options, "partition_docs": partition_docs,
                                "partition_bytes": partition_bytes,
                                "batch_chars": batch_chars, "workers": workers},
                    "report_notes": list(corpus.report.notes), "report_labels": list(corpus.report.label_rows)}
        if cleaning is not None:
            _write_detections(tmp, cleaning)
            manifest["boilerplate_attrs"] = dict(getattr(cleaning.patterns, "attrs", {}).get("boilerplate", {}))
        record(tmp, manifest, written, counter, corpus.metadata, corpus.report.frame, clean_options=manifest["options"]["clean"],
               given_cleaning=corpus.params.get("cleaning"), dedup=corpus.params.get("dedup"), action="build",
               source=manifest["source"], fingerprint_=corpus.manifest_hash())
        if path.exists():
            shutil.rmtree(path) if path.is_dir() else path.unlink()
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return Store(path)


def _clean_options(clean: Mapping | None) -> dict:
    """Every option of :func:`discourse.clean`, the defaults filled in (so store.json records them all)."""
    params = inspect.signature(clean_corpus).parameters
    defaults = {k: p.default for k, p in params.items() if p.default is not inspect.Parameter.empty}
    unknown = sorted(set(clean or {}) - set(defaults))
    if unknown:
        raise TypeError(f"clean= got unknown options {unknown}; the options of discourse.clean are {sorted(defaults)}")
    return {**defaults, **dict(clean or {})}


def _recorded(options: dict) -> dict:
    """The options as store.json records them: lines or patterns given are stored as detections."""
    rec, boiler = options["recurring"], options["boilerplate"]
    return {**options, "recurring": rec if isinstance(rec, bool) else "precomputed",
            "boilerplate": boiler if isinstance(boiler, bool) else "reviewed",
            "profiles": options["profiles"] if isinstance(options["profiles"], (str, Path)) else dict(options["profiles"])}


def _write_detections(path: Path, cleaning: Cleaning) -> None:
    d = path / "detections"
    d.mkdir()
    rows = [(group, line) for group, lines in cleaning.lines.items() for line in sorted(lines)]
    write_frame(pd.DataFrame(rows, columns=["group", "line"]), d / "recurring.parquet")
    if cleaning.patterns is not None:
        write_frame(cleaning.patterns.reset_index(drop=True), d / "boilerplate.parquet")

