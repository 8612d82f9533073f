"""Where a store is: a local directory (arrays memory-mapped) or an fsspec URL (object storage, arrays read whole).

:func:`locate` turns what :func:`discourse.open_store` is given into a :class:`Location`, the one
place the store's files are read from. A local path reads as it always has: ``np.load(mmap_mode="r")``,
Parquet through pyarrow from the file. A URL (``"s3://bucket/news.store"``, ``"gcs://…"``,
``"memory://…"``, ``"file:///…"``; any protocol fsspec knows, with ``storage_options`` for its
credentials and settings) goes through an fsspec file system (Durant et al., "fsspec: filesystem
interfaces for Python", https://filesystem-spec.readthedocs.io): an array is fetched whole
(``fs.cat_file``, one request) and loaded with ``np.load`` — object stores have no memory maps —,
a Parquet table is read by pyarrow through the same file system. A ``file://`` URL takes this route too
(give the plain path to memory-map).

A local :class:`Location` keeps the memory maps it opened (:class:`MapCache`), so the queries of an open
store do not map the same files again and again; the pages they read are released when the process's
resident memory is over ``MAP_CACHE_BYTES``. A :class:`Location` pickles as its URL and
storage options, so a Dask task carries them (never the data, nor the maps) and the worker opens the
partition itself. Every file name is checked to stay inside the store
root: no absolute names, no ``..`` (a ``store.json`` naming its tables ``"../x"`` is refused).
"""
from __future__ import annotations

import functools
import io
import mmap
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..memory import CACHES, resident_bytes
from ..validation import invalid_store

__all__ = ["Location", "MapCache", "MAP_CACHE_BYTES", "locate", "is_url", "map_npy"]

MAP_CACHE_BYTES = 1280 << 20  # resident memory of the process beyond which MapCache releases the maps' pages

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*(::[A-Za-z][A-Za-z0-9+.\-]*)*://")  # fsspec chains: simplecache::s3://
_NAME = re.compile(r"^[A-Za-z0-9_.\-]+$")


def is_url(where: Any) -> bool:
    """Whether ``where`` is an fsspec URL (``protocol://…``) rather than a local path."""
    return isinstance(where, str) and bool(_URL.match(where))


def _checked(url: str, part: str) -> str:
    """``part`` of a file name inside the store: a plain name, never ``..``, ``.`` or a separator."""
    if not _NAME.match(part) or part in (".", ".."):
        raise invalid_store(url, f"the file name {part!r} would leave the store's directory")
    return part


class Location:
    """The root directory of a store, local or on an fsspec file system.

    Parameters
    ----------
    where : str or Path
        A local directory or an fsspec URL.
    storage_options : dict, optional
        Options of the URL's file system (``fsspec.core.url_to_fs(url, **storage_options)``:
        credentials, endpoint, ``anon=True``…); only with a URL.
    """

    def __init__(self, where: str | Path, storage_options: dict | None = None) -> None:
        if storage_options is not None and not isinstance(storage_options, dict):
            raise TypeError(f"storage_options must be a dict of the file system's options, "
                            f"not {type(storage_options).__name__}")
        self.url = str(where)
        self.storage_options = dict(storage_options or {})
        self.remote = is_url(self.url)
        if not self.remote:
            if self.storage_options:
                raise ValueError(f"storage_options apply to an fsspec URL (s3://…, gcs://…, memory://…); "
                                 f"{self.url!r} is a local path")
            self.fs, self.root = None, Path(where)
            self.maps = MapCache()
            return
        try:
            from fsspec.core import url_to_fs
        except ImportError:  # pragma: no cover - fsspec comes with dask
            raise ImportError(f"opening {self.url!r} needs fsspec: pip install fsspec "
                              "(and the file system's package, e.g. s3fs, gcsfs)") from None
        try:
            self.fs, root = url_to_fs(self.url, **self.storage_options)
        except (ValueError, ImportError, TypeError) as err:  # unknown protocol, its package missing, bad options
            raise invalid_store(self.url, f"fsspec cannot open this URL ({type(err).__name__}: {err})") from None
        self.root = root.rstrip("/") or "/"

    def __reduce__(self) -> tuple:
        # a task carries the URL and options; the worker makes its own file system (and connection)
        return (Location, (self.url, self.storage_options or None))

    def __repr__(self) -> str:
        return f"Location({self.url!r})"

    @property
    def key(self) -> str:
        """Identifies the store within a process (the cache of what its partitions share)."""
        return self.url if not self.storage_options else f"{self.url} {sorted(self.storage_options.items())!r}"

    @property
    def name(self) -> str:
        return Path(str(self.root).rstrip("/")).name

    def file(self, *parts: str) -> Any:
        """The path of a file of the store (a Path, or the file system's path), each name checked."""
        names = [_checked(self.url, p) for p in parts]
        if not self.remote:
            return self.root.joinpath(*names)
        return "/".join([self.root.rstrip("/"), *names])

    # -- what is there ---------------------------------------------------------
    def exists(self) -> bool:
        return self.root.exists() if not self.remote else self.fs.exists(self.root)

    def is_dir(self) -> bool:
        return self.root.is_dir() if not self.remote else self.fs.isdir(self.root)

    def is_file(self, *parts: str) -> bool:
        f = self.file(*parts)
        return f.is_file() if not self.remote else self.fs.isfile(f)

    # -- reading -----------------------------------------------------------------
    def text(self, *parts: str) -> str:
        f = self.file(*parts)
        return f.read_text(encoding="utf-8") if not self.remote else self.fs.cat_file(f).decode("utf-8")

    def array(self, *parts: str, keep: bool = True) -> np.ndarray:
        """A ``.npy`` array, read-only: memory-mapped from a local file (a view of its ``np.memmap``, kept in
        ``maps`` unless ``keep`` is false), fetched whole from a URL."""
        if not self.remote:  # a plain view of the map (indexing a np.memmap costs a Python call each time)
            if not keep:  # to be read into memory once: not kept
                return map_npy(self.file(*parts))
            return self.maps.get(("npy", *parts), lambda: np.asarray(map_npy(self.file(*parts))))
        f = self.file(*parts)
        arr = np.load(io.BytesIO(self.fs.cat_file(f)), allow_pickle=False)
        arr.flags.writeable = False  # as a read-only memory map: nothing writes into a stored array
        return arr

    def buffer(self, *parts: str) -> Any:
        """A file's bytes, read-only: memory-mapped (``numpy.memmap`` of ``uint8``) from a local file, fetched
        whole from a URL; an empty file is ``b""`` (an empty file cannot be mapped)."""
        if self.remote:
            return self.fs.cat_file(self.file(*parts))
        return self.maps.get(("bytes", *parts), lambda: _map_bytes(self.file(*parts)))

    def frame(self, *parts: str) -> pd.DataFrame:
        """A Parquet table (pyarrow; through the fsspec file system for a URL)."""
        f = self.file(*parts)
        return pd.read_parquet(f) if not self.remote else pd.read_parquet(f, filesystem=self.fs)

    def table(self, *parts: str) -> Any:
        """A Parquet table as a ``pyarrow.Table``."""
        import pyarrow.parquet as pq

        f = self.file(*parts)
        return pq.read_table(f) if not self.remote else pq.read_table(f, filesystem=self.fs)


def _map_bytes(file: Path) -> Any:
    return np.memmap(file, dtype=np.uint8, mode="r") if file.stat().st_size else b""


class MapCache:
    """The memory maps of a local store's files: each file mapped once, the pages an analysis read bounded.

    ``get(key, opener)`` returns the map of a file (made by ``opener()`` the first time). The pages an
    analysis reads from a map stay resident (clean file pages, counted in the process's resident memory)
    until they are released, so two bounds apply:

    * ``limit`` (default :data:`MAP_CACHE_BYTES`, 1.25 GiB): while the process's resident memory
      (``/proc/self/statm``, looked at when a map comes into use and at every 32nd reuse; where there is
      none, the bytes of the maps in use) is over it, the maps used
      longest ago are *released*: their pages dropped from memory (``madvise(MADV_DONTNEED)``; the map
      stays open, a later read faults its pages back in from the page cache), so a query over a store
      larger than memory maps nothing again; where ``madvise`` is missing (Windows) a released map is
      closed instead. So the maps use the memory an analysis leaves free below the limit, and a large
      result (a concordance of millions of lines) makes them give it back;
    * ``max_maps`` maps open (each holds a file descriptor; default a quarter of the process's limit, at
      most 4,096): over it, the map opened first is closed (unmapped when no array uses it) and mapped
      anew when needed.

    ``opened`` counts the maps made, ``hits`` those reused, ``released`` the releases, ``bytes`` the bytes
    of the maps in use (``in_use``, oldest first). :func:`discourse.memory.make_room` asks every cache to
    release pages before an analysis allocates much memory without asking for a map.
    """

    def __init__(self, limit: int | None = None, max_maps: int | None = None) -> None:
        self.limit = MAP_CACHE_BYTES if limit is None else limit
        self.max_maps = _max_maps() if max_maps is None else max_maps
        self.kept: dict = {}    # key -> map, in order of opening
        self.in_use: dict = {}  # key -> bytes, in order of use
        self.bytes = self.opened = self.hits = self.released = self._calls = 0
        CACHES.add(self)  # discourse.memory.make_room releases its pages too

    def get(self, key: tuple, opener: Any) -> Any:
        value = self.kept.get(key)
        if value is None:
            value = opener()
            self.opened += 1
            while self.kept and len(self.kept) >= max(self.max_maps, 1):
                self._close(next(iter(self.kept)))  # the map opened first
            self.kept[key] = value
        else:
            self.hits += 1
        self._use(key, value)
        return value

    def _use(self, key: tuple, value: Any) -> None:
        if key in self.in_use:  # the most recently used now
            self.in_use[key] = self.in_use.pop(key)
            self._calls += 1
            if self._calls % 32:  # memory is looked at on every new map in use, and every 32nd reuse
                return
        else:
            size = _size(value)
            self.in_use[key] = size
            self.bytes += size
        while len(self.in_use) > 1 and self.over():  # the one just asked for stays in use
            self._release(next(iter(self.in_use)))

    def over(self, extra: int = 0) -> bool:
        """Whether the resident memory (or the bytes of the maps in use) plus ``extra`` is over the limit."""
        rss = resident_bytes()
        return (self.bytes if rss is None else rss) + extra > self.limit

    def make_room(self, nbytes: int) -> None:
        """Release maps, longest unused first, until the resident memory plus ``nbytes`` is within the
        limit (or none is in use): before an analysis allocates ``nbytes`` without asking for a map. Still
        over, it drops the pages of every map it keeps (a map released while it was read has pages no count
        holds)."""
        while self.in_use and self.over(nbytes):
            self._release(next(iter(self.in_use)))
        if self.over(nbytes):  # a map released while a partition was read faults its pages in uncounted
            for key, value in list(self.kept.items()):
                if key not in self.in_use and _drop_pages(value):
                    self.released += 1

    def _release(self, key: tuple) -> None:
        self.bytes -= self.in_use.pop(key)
        self.released += 1
        if not _drop_pages(self.kept.get(key)):
            self.kept.pop(key, None)

    def _close(self, key: tuple) -> None:
        if key in self.in_use:
            self.bytes -= self.in_use.pop(key)
        self.kept.pop(key)

    def clear(self) -> None:
        self.kept.clear()
        self.in_use.clear()
        self.bytes = 0


def _max_maps() -> int:
    try:
        import resource

        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    except (ImportError, ValueError, OSError):  # pragma: no cover - Windows has no resource module
        return 128
    return max(16, min(4096, (soft if soft > 0 else 4096) // 4))


def _drop_pages(value: Any) -> bool:
    """Drop the resident pages of a map (``madvise(MADV_DONTNEED)``; it stays mapped): whether it could."""
    while value is not None and not isinstance(value, mmap.mmap):
        value = getattr(value, "_mmap", None) or getattr(value, "base", None)
    if value is None or not hasattr(mmap, "MADV_DONTNEED") or not hasattr(value, "madvise"):
        return False
    try:
        value.madvise(mmap.MADV_DONTNEED)
    except (OSError, ValueError):  # pragma: no cover - a closed map
        return False
    return True


def _size(value: Any) -> int:
    return int(getattr(value, "nbytes", len(value)))


@functools.lru_cache(maxsize=4096)
def _header(version: tuple[int, int], text: bytes) -> tuple[tuple[int, ...], bool, np.dtype]:
    # the .npy header (its length, then a Python literal), parsed by numpy; the same files are opened query
    # after query
    return np.lib.format.read_array_header_1_0(io.BytesIO(text)) if version == (1, 0) else \
        np.lib.format.read_array_header_2_0(io.BytesIO(text))


def map_npy(file: Path) -> np.ndarray:
    """A local ``.npy`` file memory-mapped read-only, as ``np.load(file, mmap_mode="r")`` (a ``np.memmap``),
    in about a third of its time: the header is read from the open file (no resolving of the path, component by
    component) and its parsed form cached, so a partition opened at every query costs little."""
    with open(file, "rb") as fh:
        version = np.lib.format.read_magic(fh)
        size = 2 if version == (1, 0) else 4
        length = fh.read(size)
        text = fh.read(int.from_bytes(length, "little"))
        shape, fortran, dtype = _header(version, length + text)
        offset = 8 + size + len(text)
        if not int(np.prod(shape)) or dtype.itemsize == 0:  # nothing to map: an empty, read-only array
            arr = np.zeros(shape, dtype)
            arr.flags.writeable = False
            return arr
        return np.memmap(fh, dtype=dtype, mode="r", offset=offset, shape=shape, order="F" if fortran else "C")


def locate(where: str | Path | Location, storage_options: dict | None = None) -> Location:
    """``where`` as a :class:`Location` (given one, it is returned as it is)."""
    if isinstance(where, Location):
        if storage_options:
            raise ValueError("storage_options are given with the URL, not with an opened Location")
        return where
    return Location(where, storage_options)
