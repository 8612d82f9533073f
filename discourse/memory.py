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

import os
import weakref

__all__ = ["CACHES", "make_room", "resident_bytes"]

CACHES: "weakref.WeakSet" = weakref.WeakSet()  # every open store's MapCache
_STATM: dict = {"pid": None, "fd": None}
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def resident_bytes() -> int | None:
    """The resident memory of this process now (Linux ``/proc/self/statm``, kept open: a read costs a
    microsecond), None where there is none."""
    pid = os.getpid()
    if _STATM["pid"] != pid:  # opened again in a forked process (its own /proc/self)
        try:
            fd = os.open("/proc/self/statm", os.O_RDONLY)
        except OSError:
            fd = None
        _STATM.update(pid=pid, fd=fd)
    if _STATM["fd"] is None:
        return None
    return int(os.pread(_STATM["fd"], 128, 0).split()[1]) * _PAGE


def make_room(nbytes: int) -> None:
    """Release memory-mapped pages (of every open store) until the resident memory plus ``nbytes`` is
    within each store's limit, or no map is left in use."""
    for cache in list(CACHES):
        cache.make_room(nbytes)
