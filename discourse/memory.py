"""The process's resident memory, and the memory maps that give it back when an analysis needs it.

An open store keeps the memory maps of its files (:class:`discourse.store.location.MapCache`) and the
pages an analysis reads from them stay resident, counted in the process's memory, until released. Each
cache registers here (:data:`CACHES`), so that a step about to allocate much memory after reading the
maps (joining a concordance of millions of lines) can first make room for it (:func:`make_room`):
every cache releases its maps' pages until the process's resident memory plus what is to come fits
under the cache's limit. The maps stay open; a later read faults their pages back in from the page
cache.
"""
from __future__ import annotations

import ctypes
import functools
import os
import sys
import weakref
from typing import Any

__all__ = ["CACHES", "GIVE_BACK_BYTES", "give_back", "make_room", "release_maps", "resident_bytes", "settle"]

CACHES: "weakref.WeakSet" = weakref.WeakSet()  # every open store's MapCache
_STATM: dict = {"pid": None, "fd": None}
GIVE_BACK_BYTES = 32 << 20  # make_room gives the allocators' free memory back before allocations this large
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def resident_bytes(anonymous: bool = False) -> int | None:
    """The resident memory of this process now (Linux ``/proc/self/statm``, kept open: a read costs a
    microsecond), None where there is none; ``anonymous``: without the pages of mapped files (the
    maps' pages, which :class:`~discourse.store.location.MapCache` releases itself)."""
    pid = os.getpid()
    if _STATM["pid"] != pid:  # opened again in a forked process (its own /proc/self)
        try:
            fd = os.open("/proc/self/statm", os.O_RDONLY)
        except OSError:
            fd = None
        _STATM.update(pid=pid, fd=fd)
    if _STATM["fd"] is None:
        return None
    fields = os.pread(_STATM["fd"], 128, 0).split()
    return (int(fields[1]) - (int(fields[2]) if anonymous else 0)) * _PAGE


def make_room(nbytes: int, mapped: int = 0) -> None:
    """Make room for ``nbytes`` to be allocated and ``mapped`` bytes of maps to be read: when the resident
    memory plus both is over a store's limit, the allocators first give back what they hold unused
    (:func:`give_back`, only before an allocation of at least :data:`GIVE_BACK_BYTES`: it costs the pages
    of later allocations), then every open store releases maps' pages until it fits, or no map is left
    in use."""
    caches = list(CACHES)
    if nbytes >= GIVE_BACK_BYTES and any(cache.over(nbytes + mapped) for cache in caches):
        give_back()
    for cache in caches:
        cache.make_room(nbytes + mapped)


def settle() -> None:
    """Before an analysis reads a store's partitions: when the memory outside the maps and Arrow's live
    buffers is over half a store's limit, the allocators give back what they hold unused
    (:func:`give_back`), so that what an earlier result freed is not under the pages the analysis maps.
    Arrow's pool (mimalloc) keeps freed memory resident for a while: after a concordance of 5.9M lines
    (100M tokens) was let go it still held about 790 MiB, and the next query (3.9M lines) peaked at
    1,515-2,224 MiB (by when the pool happened to return it) against 1,417 with it given back. Not at
    every analysis: the pages given back are faulted in again by the next allocations (100 queries of a
    few MiB each took 0.7 s longer on 36M tokens)."""
    caches = list(CACHES)
    if not caches or "pyarrow" not in sys.modules:
        return
    held = resident_bytes(anonymous=True)
    if held is not None and held - sys.modules["pyarrow"].total_allocated_bytes() > min(c.limit for c in caches) // 2:
        give_back()


def release_maps() -> None:
    """Release the pages of every open store's maps (the maps stay open) and give back the allocators'
    free memory: once an analysis has read its partitions and merges what they gave (the n-gram counts
    of every partition), the pages it read are of no more use to it."""
    give_back()
    for cache in list(CACHES):
        cache.make_room(1 << 62)


def give_back() -> None:
    """Return to the system the memory the allocators keep freed for reuse, which counts as resident:
    Arrow's memory pool (mimalloc or jemalloc keep freed buffers: the copies made while a concordance's
    strings are cut) and, with glibc, the free pages inside the C heap (``malloc_trim``; NumPy's smaller
    arrays come from it). After a query of 6M lines at 100M tokens they held about 750 and 240 MiB."""
    if "pyarrow" in sys.modules:
        sys.modules["pyarrow"].default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.lru_cache(maxsize=1)
def _malloc_trim() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None).malloc_trim  # glibc; musl and others have none
    except (OSError, AttributeError):
        return None
