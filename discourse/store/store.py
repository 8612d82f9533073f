"""The opened store: :class:`Store`, a corpus on disk with the :class:`~discourse.tokens.Tokens` interface.

:func:`open_store` reads only ``store.json``, the vocabulary, the types table and the metadata rows
(well under a second); a partition's files are memory-mapped (or read) when an analysis mapping over it
first uses them. A store
is a :class:`discourse.partitions.Partitioned` corpus, so every analysis that maps over partitions
accepts it, locally or on a Dask cluster (``client=``), and gives the in-memory results.
"""
from __future__ import annotations

import functools
import shutil
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import numpy as np
import pandas as pd

from ..corpus import Corpus, ReadReport
from ..token_counter import TokenCounter
from ..token_counts import COLUMNS
from ..tokens import TokensView
from ..validation import check_count
from .format import (StoredIndex, load_array, open_partition, part_names, partition_tokens, read_frame,
                     read_manifest, shared_state, tables)
from .location import locate
from .pipeline import default_workers
from .record import record
from .source import read_source
from .writer import Cleaning, write_partitions

__all__ = ["Store", "open_store"]


def open_store(path: str | Path, client: Any = None, *, storage_options: dict | None = None,
               map_memory: int | None = None) -> "Store":
    """Open the corpus store at ``path`` (made by :func:`discourse.build_store`).

    Parameters
    ----------
    path : str or Path
        The store's directory, or an fsspec URL of one on object storage or a remote file system
        (``"s3://bucket/news.store"``, ``"gcs://…"``, ``"memory://…"``, ``"file:///…"``; the protocol's
        package installed, e.g. ``s3fs``). A local path memory-maps the partitions' arrays; from a URL a
        partition's arrays are read whole when it is opened, and its tables through pyarrow with the
        fsspec file system. On a Dask cluster each task carries the URL and ``storage_options`` and the
        worker reads its partition itself. A store is built locally; copy it to object storage with
        fsspec (``fsspec.filesystem("s3").put("news.store/", "bucket/news.store", recursive=True)``).
    client : dask.distributed.Client, optional
        Where :meth:`Store.map` runs the analyses' map steps by default (None: in this process,
        or on the client set by :func:`discourse.cluster.use_client`).
    storage_options : dict, optional
        Options of the URL's file system (credentials, endpoint, ``anon=True``…), as
        ``fsspec.core.url_to_fs(path, **storage_options)`` takes them; only with a URL.
    map_memory : int, optional
        Bytes of resident memory of the process beyond which the store's memory maps give back the
        pages an analysis read (:class:`~discourse.store.location.MapCache`; default
        :data:`~discourse.store.location.MAP_CACHE_BYTES`, 1.25 GiB, which keeps every step on 100M tokens
        under 1.5 GB). A machine with memory to spare runs repeated queries faster with more: the pages
        stay resident instead of being read again (100 concordances on 100M tokens: 6.7 s, then 5.7 s
        again, with 4 GiB, peak 2.9 GB; 12-29 s each time with the default, by the page cache's state).
        Only for a local store (a URL's arrays are read whole, not mapped).

    Returns
    -------
    Store

    Raises
    ------
    ValueError
        When ``path`` is not a store (or a URL fsspec cannot open), or its ``store.json`` is corrupt or
        of another format version; the message names ``path``.
    """
    return Store(path, client=client, storage_options=storage_options, map_memory=map_memory)


class Store(TokensView):
    """A tokenized corpus on disk, in partitions of consecutive documents (see :mod:`discourse.store.format`).

    Attributes as on :class:`~discourse.tokens.Tokens` that need no token stream: ``metadata`` (all
    documents), ``vocab``, ``types``, ``params``, ``reconciliation``, ``audit``, ``doc_ptr``,
    ``doc_lengths``, ``n_docs``, ``n_tokens``, ``doc_ids``, :meth:`term_id`, :meth:`manifest_hash`
    (the fingerprint of the corpus as read, recorded at the build). The partitions: ``bounds``,
    :meth:`partition` (a :class:`Tokens` with global ids), :meth:`map`, :meth:`term_partitions` and
    :meth:`positions` (the inverted index). ``options`` holds every option of read, clean and tokenize.
    ``location``: where its files are read from (:class:`~discourse.store.location.Location`: a local
    directory, or an fsspec URL with its storage options); ``path`` is the directory (a Path) or the URL.
    """

    def __init__(self, path: str | Path, client: Any = None, *, storage_options: dict | None = None,
                 map_memory: int | None = None) -> None:
        check_count("map_memory", map_memory, optional=True)
        self.location = locate(path, storage_options)
        if map_memory is not None:
            if self.location.remote:
                raise ValueError(f"map_memory bounds the memory maps of a local store; {self.location.url!r} is "
                                 "a URL, whose arrays are read whole")
            self.location.maps.limit = int(map_memory)
        # a local store's directory (a Path); a URL as given
        self.path = self.location.root if not self.location.remote else self.location.url
        self.client = client
        self._load()

    def _load(self) -> None:
        loc = self.location
        if not loc.remote:  # a new state of the store: its files are mapped anew
            loc.maps.clear()
        self._manifest = m = read_manifest(loc)
        shared = shared_state(loc)
        self.vocab, self.types, self.params = shared["vocab"], shared["types"], shared["params"]
        self.bounds = np.asarray(m["bounds"], dtype=np.int64)
        frames = [loc.frame(*part_names(k), "metadata.parquet") for k in range(self.n_partitions)]
        self.metadata = pd.concat(frames) if len(frames) > 1 else frames[0]
        self.reconciliation = pd.DataFrame(m["reconciliation"], columns=COLUMNS).astype({"tokens": "int64"})
        self._doc_ptr = self._audit = self._index = self._term_index = None
        self._postings: dict[int, tuple] = {}

    # -- what the manifest records -------------------------------------------
    @property
    def options(self) -> dict:
        """Every option the store was built with: ``read`` (as given), ``read_params`` (the corpus' reading
        params), ``clean`` (False: not cleaned), ``tokenize``, ``partition_docs``, ``partition_bytes``, ``batch_chars``."""
        return self._manifest["options"]

    @property
    def history(self) -> list[dict]:
        """The build and each append: date, source, documents and partitions written."""
        return self._manifest["history"]

    def manifest_hash(self) -> str:
        """The fingerprint of the corpus as read (:meth:`discourse.Corpus.manifest_hash`), recorded in store.json."""
        return self._manifest["fingerprint"]

    @property
    def report(self) -> ReadReport:
        """The read report of the corpus (of the build and every append)."""
        frame = self.location.frame(self._manifest["tables"], "report.parquet")
        report = ReadReport()
        for row in frame.itertuples(index=False):
            line = None if pd.isna(row.line) else int(row.line)
            report.add(row.action, row.source, row.reason, line, None if pd.isna(row.doc_id) else row.doc_id)
        report.notes = list(self._manifest.get("report_notes", []))
        report.label_rows = list(self._manifest.get("report_labels", []))
        return report

    @property
    def audit(self) -> pd.DataFrame | None:
        """The cleaning audit of every document (None when the store's texts were not cleaned)."""
        if self._audit is None:
            files = [(*part_names(k), "audit.parquet") for k in range(self.n_partitions)]
            frames = [self.location.frame(*f) for f in files if self.location.is_file(*f)]
            if not frames:
                return None
            self._audit = pd.concat(frames, ignore_index=True)
        return self._audit

    # -- the Tokens attributes that need no token stream ---------------------
    @property
    def n_partitions(self) -> int:
        return len(self.bounds) - 1

    @property
    def n_docs(self) -> int:
        return int(self.bounds[-1])

    @property
    def n_tokens(self) -> int:
        return int(self._manifest["n_tokens"])

    @property
    def doc_ids(self) -> list[str]:
        return self.metadata.index.tolist()

    @property
    def doc_ptr(self) -> np.ndarray:
        if self._doc_ptr is None:  # each partition's pointers, shifted by the tokens before it
            ptrs, offset = [np.zeros(1, np.int64)], 0
            for k in range(self.n_partitions):
                p = np.asarray(load_array(self.location, k, "doc_ptr"))
                ptrs.append(p[1:] + offset)
                offset += int(p[-1])
            self._doc_ptr = np.concatenate(ptrs)
        return self._doc_ptr

    @property
    def doc_lengths(self) -> np.ndarray:
        return np.diff(self.doc_ptr)

    # -- partitions --------------------------------------------------------
    def partition(self, k: int) -> Any:
        """Partition ``k`` as :class:`~discourse.tokens.Tokens` (global term ids and sentence numbers,
        memory-mapped arrays, stored character offsets, its cleaned texts and metadata rows), a
        :class:`~discourse.tokens.LazyTokens`: each field is read when first used."""
        return partition_tokens(self.location, k, shared_state(self.location, self._manifest["stamp"]))

    def map(self, func: Callable, *args: Any, partitions: Sequence[int] | None = None, client: Any = None) -> list:
        """``[func(partition(k), bounds[k], *args) for k]`` in partition order (all, or those listed),
        on ``client`` (or the store's, or the one of :func:`discourse.cluster.use_client`) when given."""
        from ..partitions import run_partitions

        ks = range(self.n_partitions) if partitions is None else sorted(set(int(k) for k in partitions))
        # picklable (a Location travels as its URL and storage options): a worker opens the partition itself
        load = functools.partial(open_partition, self.location, stamp=self._manifest["stamp"])
        return run_partitions(load, ks, func, args, client if client is not None else self.client)

    def term_partitions(self, term_ids: Iterable[int]) -> np.ndarray:
        """The partitions where any of ``term_ids`` occurs, from the inverted index (no partition is read)."""
        if self._index is None:
            t = self._manifest["tables"]
            self._index = self.location.array(t, "term_ptr.npy"), self.location.array(t, "term_parts.npy")
        ptr, parts = self._index
        cols = [int(t) for t in term_ids if 0 <= int(t) < len(ptr) - 1]
        if not cols:
            return np.zeros(0, dtype=np.int64)
        return np.unique(np.concatenate([parts[ptr[t]:ptr[t + 1]] for t in cols])).astype(np.int64)

    def positions(self, k: int, term_ids: Iterable[int]) -> np.ndarray:
        """Token positions (sorted, within partition ``k``) of any of ``term_ids``, from its postings."""
        if k not in self._postings:  # memory maps, kept open: a query reads only the pages of its terms
            # only its positions are used (not attached to a Tokens, so its n_tokens is never checked)
            self._postings[k] = StoredIndex(self.location, k, len(self.vocab), 0)
        want = np.fromiter((int(t) for t in term_ids), np.int64)
        return np.asarray(self._postings[k].positions(want), np.int64)

    # -- appending ---------------------------------------------------------
    def append(self, source: str | Path | Corpus, *, read: dict | None = None, progress: bool = False,
               workers: int | None = None) -> "Store":
        """Add new documents as new partitions, without rebuilding the store.

        ``source`` is a path (read with the store's reading options, or ``read``) or a Corpus (read
        de-duplication, when on, compares the new documents with each other, not with the stored ones). The
        documents are cleaned with the options and with the recurring lines and boilerplate patterns
        the build detected (not detected anew: the texts already stored stay as they are), and counted
        with the stored tokenizer state: new terms get ids after the existing ones, sentence numbers
        continue. So appending B to a store of A gives the vocabulary, ids and counts of a store of
        A + B whenever cleaning would detect the same on A + B (always with ``clean=False``).
        Metadata, the inverted index, the fingerprint (of the metadata and raw texts of all documents)
        and store.json are updated; store.json is written last, so an append that fails leaves the store
        as it was. A document id already in the store is an error. A store built from a corpus cleaned
        beforehand, or with ``clean=False``, stores what is appended as it is given. ``workers``: processes
        that clean and split the new partitions, as in :func:`discourse.build_store` (the same result).
        """
        if self.location.remote:
            raise ValueError(f"append: the store {self.location.url!r} is at a URL; stores are written locally: "
                             "append to a local copy (fsspec's get), then copy it back with fsspec's put "
                             "(fs.put('news.store/', 'bucket/news.store', recursive=True))")
        workers = default_workers() if workers is None else workers
        check_count("workers", workers, minimum=1)
        if read is None and isinstance(source, (str, Path)):
            read = _reread(self.options)
        corpus = read_source(source, read, spill=self.path)  # the new texts kept in a file, as in a build
        clash = corpus.metadata.index.intersection(self.metadata.index)
        if len(clash):
            raise ValueError(f"append: {len(clash)} document id(s) already in the store: {clash[:5].tolist()}; "
                             "document ids must be unique")
        m, opts = self._manifest, self.options
        cleaning = None
        if opts["clean"] is not False and corpus.raw is None:
            lines = read_frame(self.path / "detections" / "recurring.parquet")
            found: dict = {}
            for group, line in zip(lines["group"], lines["line"]):
                found.setdefault(group, set()).add(line)
            file = self.path / "detections" / "boilerplate.parquet"
            patterns = read_frame(file).reset_index(drop=True) if file.is_file() else None
            if patterns is not None:
                patterns.attrs["boilerplate"] = m.get("boilerplate_attrs", {})
            cleaning = Cleaning(opts["clean"], found, patterns)
        for stale in sorted((self.path / "partitions").glob("[0-9]" * 5)):  # left by an append that failed
            if int(stale.name) >= self.n_partitions:
                shutil.rmtree(stale)
        counter = TokenCounter.restore({"options": opts["tokenize"], "types": self.types, "vocab": list(self.vocab),
                                        "n_sent": m["n_sent"]})
        written = write_partitions(self.path, corpus, counter, cleaning, first_partition=self.n_partitions,
                                   partition_docs=opts["partition_docs"], batch_chars=opts["batch_chars"],
                                   partition_bytes=opts.get("partition_bytes"),  # None in a store built before it
                                   progress=progress, workers=workers)
        report = pd.concat([read_frame(tables(self.path, m) / "report.parquet"), corpus.report.frame],
                           ignore_index=True)
        metadata = pd.concat([self.metadata, corpus.metadata])
        record(self.path, {**m, "report_notes": m.get("report_notes", []) + [
                   n for n in corpus.report.notes if n not in m.get("report_notes", [])]},
               written, counter, metadata, report, clean_options=opts["clean"],
               given_cleaning=corpus.params.get("cleaning"), dedup=self.params.get("dedup"), action="append",
               source=str(source) if isinstance(source, (str, Path)) else "Corpus")
        self._load()
        return self

    # -- display -----------------------------------------------------------
    def summary(self) -> str:
        return (f"Store {self.location.name}: {self.n_docs} documents in {self.n_partitions} partitions, "
                f"{self.n_tokens:,} tokens counted, {len(self.vocab):,} terms")

    def __repr__(self) -> str:
        return f"<{self.summary()}>"

def _reread(options: dict) -> dict:
    """The reading options of the build, for reading an appended path the same way: those the corpus was read
    with (its ``params``), and those given to :func:`discourse.build_store` (``read=``, e.g. ``dedup``)."""
    import inspect

    from ..readers import read_corpus

    names = set(inspect.signature(read_corpus).parameters) - {"path"}
    return {**{k: v for k, v in options["read_params"].items() if k in names}, **options["read"]}
