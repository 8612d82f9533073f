"""The on-disk layout of a corpus store, and reading one partition back as :class:`~discourse.tokens.Tokens`.

A store is a directory::

    store.json                  format, version, corpus fingerprint, every option, partition bounds, counts,
                                and the name of the current tables directory
    tables-<stamp>/             the tables that grow with every append, one directory a state of the store:
        vocab.parquet           the global vocabulary (term ids = row numbers)
        types.parquet           one row per surface type (as ``Tokens.types``)
        report.parquet          the read report (``ReadReport.frame``; notes in store.json)
        term_ptr.npy term_parts.npy
                                inverted index: the partitions of term t are term_parts[term_ptr[t]:term_ptr[t+1]]
    detections/recurring.parquet, detections/boilerplate.parquet
                                what cleaning detected on the corpus (reused when appending)
    partitions/00000/           one directory per partition of consecutive documents:
        ids.npy sent.npy starts.npy ends.npy   per token: term id, sentence number, character offsets (int32)
        byte_starts.npy byte_ends.npy          per token: the same offsets in the UTF-8 bytes of its text (int32),
                                                so a concordance cuts its lines from texts.bin without decoding
        doc_ptr.npy                             int64, local: document d is tokens doc_ptr[d]:doc_ptr[d+1]
        dtm_data.npy dtm_indices.npy dtm_indptr.npy   the partition's document-term matrix (CSR)
        reasons.npy                             documents x REASONS token counts (reconciliation)
        digests.npy blank.npy                   documents x 32 bytes: SHA-256 of each raw text (fingerprint);
                                                whether it is blank (identical documents are found by digest)
        post_terms.npy post_ptr.npy post_pos.npy
                                                positions of term post_terms[i] are post_pos[post_ptr[i]:post_ptr[i+1]]
        texts.bin text_ptr.npy                  the cleaned texts: their UTF-8 bytes one after the other (lone
                                                surrogates kept, ``surrogatepass``); text d is bytes
                                                text_ptr[d]:text_ptr[d+1] (int64)
        metadata.parquet audit.parquet          metadata rows, cleaning audit rows

Format version 3 (``FORMAT_VERSION``); version 2 had no byte offsets, version 1 held the texts in
``texts.parquet``; both are refused with the advice to rebuild. A partition is opened as a :class:`~discourse.tokens.LazyTokens`: each
field is read when an analysis first uses it, so its cost is that of what the analysis uses (a
concordance reads token arrays, postings and the texts of the documents with hits; no metadata, audit
or matrix). The arrays and ``texts.bin`` are memory-mapped (``np.load(mmap_mode="r")``, read-only; the
texts as a :class:`~discourse.text_store.TextStore` over the map, ``texts[d]`` decoding document d
only): a partition costs memory only for the pages an analysis touches; its document-term matrix is
read into memory when used. A store at an fsspec URL (object storage) is read through
:class:`~discourse.store.location.Location`: a partition's files are fetched whole when first used.
Term ids and sentence numbers are global, so partitions need no merge of vocabularies. ``store.json`` is written last (atomically) by a build or an append, and names the
tables of its state, so a build or an append that fails leaves the store as it was.
"""
from __future__ import annotations

import functools
import json
import os
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..query import ConcordanceIndex, attach_index
from ..token_counts import reconcile
from ..text_store import TextStore, utf8_offsets
from ..tokens import LazyTokens, Tokens
from ..validation import invalid_store
from .location import Location, locate

__all__ = ["FORMAT", "FORMAT_VERSION", "MANIFEST", "part_names", "part_dir", "write_partition", "read_manifest", "write_manifest",
           "open_partition", "partition_tokens", "shared_state", "load_array", "read_vocab", "read_types", "read_frame", "tables",
           "write_frame", "postings", "write_texts", "read_texts", "StoredIndex"]

FORMAT = "discourse-store"
FORMAT_VERSION = 3  # 3: byte_starts/byte_ends.npy; 2: texts.bin + text_ptr.npy (memory-mapped), was texts.parquet
MANIFEST = "store.json"


def part_names(k: int) -> tuple[str, str]:
    """The path of partition ``k``'s directory inside a store, as names (for a local path or a URL)."""
    return "partitions", f"{k:05d}"


def part_dir(path: str | Path, k: int) -> Path:
    return Path(path).joinpath(*part_names(k))


def postings(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(terms, ptr, positions)``: the distinct terms of a token stream (sorted) and each term's positions."""
    order = np.argsort(ids, kind="stable").astype(np.int32)  # positions sorted by term, in text order within one
    sorted_ids = ids[order]
    first = np.r_[True, sorted_ids[1:] != sorted_ids[:-1]] if len(ids) else np.zeros(0, bool)
    terms = sorted_ids[first].astype(np.int32)
    ptr = np.r_[np.flatnonzero(first), len(ids)].astype(np.int64)
    return terms, ptr, order


def write_partition(path: Path, k: int, *, ids: np.ndarray, sent: np.ndarray, lengths: np.ndarray,
                    dtm: sp.csr_matrix, reasons: np.ndarray, starts: np.ndarray, ends: np.ndarray,
                    texts: list[str], metadata: pd.DataFrame, audit: pd.DataFrame | None,
                    digests: np.ndarray, blank: np.ndarray) -> np.ndarray:
    """Write partition ``k``; returns its distinct term ids (for the store's inverted index)."""
    d = part_dir(path, k)
    d.mkdir(parents=True, exist_ok=False)
    terms, ptr, pos = postings(ids)
    arrays = {"ids": ids.astype(np.int32), "sent": sent.astype(np.int32), "starts": starts.astype(np.int32),
              "ends": ends.astype(np.int32), "doc_ptr": np.r_[0, np.cumsum(lengths)].astype(np.int64),
              "dtm_data": dtm.data.astype(np.int32), "dtm_indices": dtm.indices.astype(np.int32),
              "dtm_indptr": dtm.indptr.astype(np.int32), "reasons": np.asarray(reasons, np.int32),
              "digests": np.asarray(digests, np.uint8).reshape(len(texts), 32),
              "blank": np.asarray(blank, bool), "post_terms": terms, "post_ptr": ptr, "post_pos": pos}
    data, text_ptr = write_texts(d, texts)
    for name, chars in (("byte_starts", starts), ("byte_ends", ends)):
        arrays[name] = utf8_offsets(data, text_ptr, arrays["doc_ptr"], chars)
    for name, arr in arrays.items():
        np.save(d / f"{name}.npy", arr)
    write_frame(metadata, d / "metadata.parquet")
    if audit is not None:
        write_frame(audit, d / "audit.parquet")
    return terms


def write_texts(d: Path, texts: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
    """``texts.bin`` (the texts' UTF-8 bytes, one after the other) and ``text_ptr.npy`` (int64: text i is
    bytes ``text_ptr[i]:text_ptr[i+1]``) in directory ``d``, read back by :func:`read_texts`; returns both."""
    encoded = [t.encode("utf-8", "surrogatepass") for t in texts]  # a lone surrogate round-trips (TextStore)
    text_ptr = np.cumsum([0] + [len(e) for e in encoded], dtype=np.int64)
    data = b"".join(encoded)
    np.save(d / "text_ptr.npy", text_ptr)
    (d / "texts.bin").write_bytes(data)
    return np.frombuffer(data, np.uint8), text_ptr


def read_texts(loc: Location, *d: str) -> TextStore:
    """The texts in directory ``d`` of the store: a :class:`TextStore` over the memory-mapped ``texts.bin``
    (read whole from a URL), decoding text ``i`` only when it is asked for."""
    return TextStore.from_buffer(loc.buffer(*d, "texts.bin"), loc.array(*d, "text_ptr.npy"))


def write_frame(frame: pd.DataFrame, file: Path) -> None:
    frame.to_parquet(file, index=True)


def read_frame(file: Path) -> pd.DataFrame:
    return pd.read_parquet(file)


def load_array(path: str | Path | Location, k: int, name: str) -> np.ndarray:
    """One array of partition ``k``, read-only (memory-mapped from a local store, read whole from a URL)."""
    return locate(path).array(*part_names(k), f"{name}.npy")


def tables(path: str | Path, manifest: dict) -> Path:
    """The directory of the store's current vocabulary, types, read report and inverted index."""
    return Path(path) / manifest["tables"]


def read_vocab(loc: Location, tables_name: str) -> pd.Index:
    # an object Index, as tokenize makes it (pandas would read the strings as its str dtype)
    return pd.Index(loc.table(tables_name, "vocab.parquet").column("term").to_pylist(), dtype=object, name="term")


def read_types(loc: Location, tables_name: str) -> pd.DataFrame:
    return loc.frame(tables_name, "types.parquet").reset_index(drop=True)


def read_manifest(path: str | Path | Location) -> dict:
    """``store.json`` of the store at ``path`` (a directory or an fsspec URL), checked (a clear error for
    anything that is not a store)."""
    loc = locate(path)
    path = loc.url
    try:
        if not loc.is_dir():
            raise invalid_store(path, "no such directory" if not loc.exists() else "not a directory")
        if not loc.is_file(MANIFEST):
            raise invalid_store(path, f"it has no {MANIFEST}")
        text = loc.text(MANIFEST)
    except OSError as err:  # a remote file system refusing (permissions, network)
        raise invalid_store(path, f"it cannot be read ({type(err).__name__}: {err})") from None
    try:
        manifest = json.loads(text)
    except (ValueError, UnicodeDecodeError) as err:
        raise invalid_store(path, f"{MANIFEST} is corrupt ({err})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise invalid_store(path, f"{MANIFEST} does not describe a {FORMAT}")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise invalid_store(path, f"format version {manifest.get('format_version')!r}; this discourse reads "
                                  f"version {FORMAT_VERSION} (rebuild the store from its source)")
    missing = [k for k in ("bounds", "fingerprint", "options", "params", "n_terms", "stamp", "tables") if k not in manifest]
    if missing:
        raise invalid_store(path, f"{MANIFEST} lacks {', '.join(missing)}")
    loc.file(manifest["tables"])  # a plain name inside the store (no "..", no separator)
    return manifest


def write_manifest(path: Path, manifest: dict) -> None:
    """Write ``store.json`` atomically (a reader sees the old or the new store, never half of one)."""
    tmp = path / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(manifest, indent=1, ensure_ascii=False, default=_jsonable), encoding="utf-8")
    os.replace(tmp, path / MANIFEST)


def _jsonable(value: Any) -> Any:
    if isinstance(value, (np.integer, np.floating, np.bool_)):
        return value.item()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return str(value)  # a Path, a date: recorded as text


# What every partition of one store shares (vocabulary, types, params), read once per process and store state
_SHARED: dict[str, tuple[str, dict]] = {}


def shared_state(path: str | Path | Location, stamp: str | None = None) -> dict:
    """The vocabulary, types, params and bounds of the store at ``path``, read once per process and store state.

    ``stamp``: the state the caller opened (``store.json``'s ``stamp``); when it is the one cached,
    store.json is not read again (a partition opened at every query of an open store).
    """
    loc = locate(path)
    cached = _SHARED.get(loc.key)
    if stamp is not None and cached is not None and cached[0] == stamp:
        return cached[1]
    manifest = read_manifest(loc)
    if cached is None or cached[0] != manifest["stamp"]:
        t = manifest["tables"]
        cached = (manifest["stamp"], {"vocab": read_vocab(loc, t), "types": read_types(loc, t),
                                      "params": manifest["params"], "bounds": manifest["bounds"]})
        _SHARED[loc.key] = cached
    return cached[1]


def open_partition(path: str | Location, k: int, stamp: str | None = None) -> tuple[Tokens, int]:
    """Partition ``k`` of the store at ``path`` as ``(Tokens, its first document)``.

    A module-level function of picklable arguments (``functools.partial(open_partition, location, stamp=…)``;
    a :class:`~discourse.store.location.Location` pickles as its URL and storage options), so a Dask
    worker opens the partition itself from a shared file system or object storage. ``stamp`` as in
    :func:`shared_state`.
    """
    shared = shared_state(path, stamp)
    return partition_tokens(path, k, shared), int(shared["bounds"][k])


def partition_tokens(path: str | Path | Location, k: int, shared: dict) -> Tokens:
    """Partition ``k`` as :class:`Tokens` with global term ids, vocabulary and sentence numbers.

    A :class:`~discourse.tokens.LazyTokens`: each field is read when an analysis first uses it (arrays
    memory-mapped, read whole from a URL; texts a :class:`~discourse.text_store.TextStore` over the mapped
    ``texts.bin``; metadata, audit and the document-term matrix read then), so a concordance reads token
    arrays, postings and the texts of the documents with hits only. ``starts``/``ends`` are the stored
    offsets (no re-tokenising).
    """
    loc = locate(path)
    n_terms = len(shared["vocab"])
    load = functools.partial
    tokens = LazyTokens({"ids": load(_array, loc, k, "ids"), "doc_ptr": load(_array, loc, k, "doc_ptr"),
                         "sent": load(_array, loc, k, "sent"), "dtm": load(_dtm, loc, k, n_terms),
                         "texts": load(_texts, loc, k), "metadata": load(_frame, loc, k, "metadata"),
                         "audit": load(_frame, loc, k, "audit"), "reason_counts": load(_array, loc, k, "reasons", True),
                         "reconciliation": load(_reconciliation, loc, k), "_offsets": load(_offsets, loc, k),
                         "_utf8": load(_utf8, loc, k)},
                        vocab=shared["vocab"], types=shared["types"], params=shared["params"])
    # queries use the stored postings instead of sorting the partition's tokens again at every opening
    attach_index(tokens, StoredIndex(loc, k, n_terms, len(tokens.ids)))
    return tokens


def _array(loc: Location, k: int, name: str, in_memory: bool = False) -> np.ndarray:
    if in_memory:  # read into memory: its map is not kept (Location.maps)
        return np.array(loc.array(*part_names(k), f"{name}.npy", keep=False))
    return loc.array(*part_names(k), f"{name}.npy")


def _dtm(loc: Location, k: int, n_terms: int) -> sp.csr_matrix:
    # read into memory (its size is that of the partition's distinct document-terms): scipy tidies
    # matrices in place (eliminate_zeros, sort_indices), which a read-only memory map forbids
    data, indices, indptr = (_array(loc, k, f"dtm_{n}", True) for n in ("data", "indices", "indptr"))
    return sp.csr_matrix((data, indices, indptr), shape=(len(indptr) - 1, n_terms))  # later terms: no counts here


def _texts(loc: Location, k: int) -> TextStore:
    return read_texts(loc, *part_names(k))


def _frame(loc: Location, k: int, name: str) -> pd.DataFrame | None:
    d = part_names(k)
    return loc.frame(*d, f"{name}.parquet") if name == "metadata" or loc.is_file(*d, f"{name}.parquet") else None


def _reconciliation(loc: Location, k: int) -> pd.DataFrame:
    return reconcile(_array(loc, k, "reasons", True))


def _offsets(loc: Location, k: int) -> tuple[np.ndarray, np.ndarray]:
    return _array(loc, k, "starts"), _array(loc, k, "ends")


def _utf8(loc: Location, k: int) -> tuple:
    """``(byte_starts, byte_ends, texts.bin, text_ptr, texts)``, all mapped: what a concordance cuts its lines
    with; ``texts()`` asks the store's map cache for ``texts.bin`` again (it is read again when the lines'
    strings are made, after the partition's scan: the cache must count its pages as in use then)."""
    again = functools.partial(_texts_bytes, loc, k)
    return (_array(loc, k, "byte_starts"), _array(loc, k, "byte_ends"), again(), _array(loc, k, "text_ptr"), again)


def _texts_bytes(loc: Location, k: int) -> np.ndarray:
    data = loc.buffer(*part_names(k), "texts.bin")
    return np.frombuffer(data, np.uint8) if len(data) else np.zeros(0, np.uint8)


class StoredIndex(ConcordanceIndex):
    """A partition's stored postings as its :class:`~discourse.query.ConcordanceIndex`, read on first use
    (an analysis that does not query the partition reads none of them); :meth:`positions` looks the terms
    up in the stored ones (no array of the vocabulary's size a partition)."""

    def __init__(self, loc: Location, k: int, n_terms: int, n_tokens: int) -> None:
        self._where, self.n_tokens, self.words = (loc, k, n_terms), n_tokens, {}

    def _postings(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if "_stored" not in self.__dict__:
            loc, k, _ = self._where
            self._stored = tuple(_array(loc, k, f"post_{n}") for n in ("terms", "ptr", "pos"))
        return self._stored

    def positions(self, term_ids: np.ndarray) -> np.ndarray:
        terms, ptr, pos = self._postings()
        want = np.asarray(term_ids, np.int64)
        if len(want) == 1 and len(terms):  # one term (most queries): its postings as they are stored
            i = int(terms.searchsorted(terms.dtype.type(want[0])))  # of the terms' dtype: no copy of them
            return pos[ptr[i]:ptr[i + 1]] if i < len(terms) and terms[i] == want[0] else pos[:0]
        want = np.unique(want)
        at = np.minimum(np.searchsorted(terms, want), max(len(terms) - 1, 0))
        found = at[terms[at] == want] if len(terms) else at[:0]
        chunks = [pos[ptr[i]:ptr[i + 1]] for i in found.tolist()]
        if len(chunks) == 1:
            return chunks[0]
        return np.sort(np.concatenate(chunks)) if chunks else np.zeros(0, np.int64)

    def __getattr__(self, name: str) -> Any:
        if name not in ("order", "ptr"):
            raise AttributeError(name)
        terms, ptr, pos = self._postings()
        per_term = np.zeros(self._where[2], np.int64)
        per_term[terms] = np.diff(ptr)
        self.order, self.ptr = pos, np.r_[0, np.cumsum(per_term)]
        return getattr(self, name)
