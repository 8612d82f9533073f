"""The bounded merge of per-partition n-gram counts: hash buckets spilled to a temporary folder.

Every partition counts its (group, n-gram) pairs (:mod:`discourse.ngrams`); the pairs of all
partitions together grow with the corpus' distinct n-grams (6.9 GB at 100M tokens when they were
held and merged at once). So each partition's counts, as compact arrays (the n-gram as one int64
key of term ids, or one int32 column per term when ``n_terms ** n`` does not fit; the group code;
the count; the document count), are cut into ``R`` buckets by a hash of the n-gram (``key % R``)
and appended to one file per bucket and column in a :func:`tempfile.mkdtemp` folder (removed
afterwards, also on error). The buckets are then combined one at a time: one sort, sums of equal
(n-gram, group) runs (``np.add.reduceat``), the n-gram's count in every group, and the
``min_freq`` filter, so memory is one bucket and the kept rows. An n-gram lies in one bucket
only, so this is the count of the whole corpus, exactly (integer sums). ``R`` is chosen from the
first partition's counts (scaled by the corpus' tokens over that partition's) so that a bucket holds
about :data:`BUCKET_BYTES`. With one partition
(an in-memory :class:`~discourse.tokens.Tokens`) nothing is written: its counts are one bucket.
"""
from __future__ import annotations

import math
import os
import tempfile
from contextlib import nullcontext
from typing import Any, Callable, Iterable

import numpy as np

from .memory import release_maps

__all__ = ["BUCKET_BYTES", "MAX_BUCKETS", "SPILL_DIR", "Buckets", "combine", "gram_columns", "gram_rows"]

BUCKET_BYTES = 32 * 2 ** 20
"""Target size of one bucket's counts on disk (the combine step holds a few times this)."""
MAX_BUCKETS = 1024
SPILL_DIR: str | None = None
"""Where the temporary bucket folder is made (None: the system's temporary folder)."""

_FIELDS = (("group", np.int32), ("freq", np.int32), ("docs", np.int32))
_MIX = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing, to spread rows of term ids over buckets


def gram_columns(rows: np.ndarray, v: int) -> list[np.ndarray]:
    """An n-gram key as compact columns: one int64 ``sum(id_j * v ** (n - 1 - j))`` when
    ``v ** n < 2 ** 62``, else one int32 column per term id."""
    n = rows.shape[1]
    if v ** n < 2 ** 62:
        key = np.zeros(len(rows), np.int64)
        for j in range(n):
            key = key * v + rows[:, j]
        return [key]
    return [rows[:, j].astype(np.int32) for j in range(n)]


def gram_rows(cols: list[np.ndarray], n: int, v: int) -> np.ndarray:
    """The rows of term ids (int64, ``len x n``) of n-grams keyed by :func:`gram_columns`."""
    if cols[0].dtype == np.int32:
        return np.stack([c.astype(np.int64) for c in cols], axis=1)
    rows = np.empty((len(cols[0]), n), np.int64)
    rest = cols[0].copy()
    for j in range(n - 1, -1, -1):
        rows[:, j] = rest % v
        rest //= v
    return rows


def _bucket_of(cols: list[np.ndarray], r: int) -> np.ndarray:
    if len(cols) == 1:
        return (cols[0] % r).astype(np.int64)
    h = np.zeros(len(cols[0]), np.uint64)
    with np.errstate(over="ignore"):
        for c in cols:
            h = (h ^ c.astype(np.uint64)) * _MIX
    return ((h >> np.uint64(17)) % np.uint64(r)).astype(np.int64)


def _nbytes(part: dict) -> int:
    return sum(c.nbytes for c in part["cols"]) + 12 * len(part["freq"])


class Buckets:
    """Partitions' (n-gram, group) counts cut into hash buckets: in memory (one partition) or in files
    under ``directory``. ``add`` each partition's counts (``cols``, ``group``, ``freq``, ``docs``), in
    partition order, then ``read(b)`` bucket ``b``'s counts of every partition. ``sizes``: the tokens of
    each partition (to size the buckets from the first partition with counts)."""

    def __init__(self, sizes: Any, directory: str | None = None) -> None:
        self.sizes, self.directory = np.asarray(sizes, dtype=np.float64), directory
        self.n_buckets, self._added = 0, 0
        self._held: list[dict] = []
        self._cols: list[np.dtype] = []

    def add(self, part: dict) -> None:
        if self.directory is None:
            self._held.append(part)
            self.n_buckets = 1
            return
        self._cols = self._cols or [c.dtype for c in part["cols"]]
        self._added += 1
        if not self.n_buckets:  # sized on the first partition with counts, scaled to the whole corpus
            if not len(part["freq"]):
                return
            share = self.sizes[self._added - 1] / max(self.sizes.sum(), 1)
            want = math.ceil(_nbytes(part) / max(share, 1e-12) / BUCKET_BYTES)
            self.n_buckets = int(min(max(want, 1), MAX_BUCKETS))
        b = _bucket_of(part["cols"], self.n_buckets)
        order = np.argsort(b, kind="stable")
        ends = np.cumsum(np.bincount(b, minlength=self.n_buckets))
        columns = [(f"c{j}", c) for j, c in enumerate(part["cols"])] + [(f, part[f]) for f, _ in _FIELDS]
        dtypes = dict(_FIELDS)
        for name, values in columns:
            values = values[order].astype(dtypes.get(name, values.dtype), copy=False)
            start = 0
            for k, end in enumerate(ends):
                if end > start:
                    with open(os.path.join(self.directory, f"{k}.{name}"), "ab") as fh:
                        values[start:end].tofile(fh)
                start = end

    def read(self, k: int) -> dict:
        """Bucket ``k``: the counts of every partition added, concatenated."""
        if self.directory is None:
            parts = self._held
            return {"cols": [np.concatenate([p["cols"][j] for p in parts]) for j in range(len(parts[0]["cols"]))],
                    **{f: np.concatenate([p[f] for p in parts]) for f, _ in _FIELDS}}

        def load(name: str, dtype: Any) -> np.ndarray:
            path = os.path.join(self.directory, f"{k}.{name}")
            return np.fromfile(path, dtype=dtype) if os.path.exists(path) else np.zeros(0, dtype)

        return {"cols": [load(f"c{j}", d) for j, d in enumerate(self._cols)],
                **{f: load(f, d) for f, d in _FIELDS}}


def _runs(*keys: np.ndarray) -> np.ndarray:
    """Where a run of equal (sorted) key tuples starts."""
    if not len(keys[0]):
        return np.zeros(0, np.int64)
    change = np.zeros(len(keys[0]), bool)
    change[0] = True
    for k in keys:
        change[1:] |= k[1:] != k[:-1]
    return np.flatnonzero(change)


def _combine_bucket(bucket: dict, min_freq: int) -> tuple[dict, int]:
    """One bucket's counts added per (n-gram, group), each n-gram's count over all groups, then the
    rows with ``freq >= min_freq``; and the highest count (for the empty-result message)."""
    cols, group = bucket["cols"], bucket["group"]
    order = np.lexsort([group] + cols[::-1])  # by n-gram (first term first), then group
    cols, group = [c[order] for c in cols], group[order]
    starts = _runs(*cols, group)
    freq = np.add.reduceat(bucket["freq"][order].astype(np.int64), starts) if len(starts) else np.zeros(0, np.int64)
    docs = np.add.reduceat(bucket["docs"][order].astype(np.int64), starts) if len(starts) else np.zeros(0, np.int64)
    cols, group = [c[starts] for c in cols], group[starts]
    gram = _runs(*cols)
    total = np.add.reduceat(freq, gram) if len(gram) else freq
    all_freq = np.repeat(total, np.diff(np.r_[gram, len(freq)]))
    keep = freq >= min_freq
    out = {"cols": [c[keep] for c in cols], "group": group[keep], "freq": freq[keep], "docs": docs[keep],
           "all_freq": all_freq[keep]}
    return out, int(freq.max(initial=0))


def combine(results: Iterable[dict], sizes: Any, min_freq: int,
            each: Callable[[dict], None] = lambda part: None) -> tuple[dict, int, int]:
    """The kept (n-gram, group) rows of all partitions' counts, the highest count and the buckets used.

    ``results`` yields each partition's counts in partition order (consumed one at a time; ``each``
    sees every one first, e.g. to add up its totals); ``sizes`` are the partitions' tokens. More than
    one partition: spilled to buckets in a temporary
    folder, removed when this returns or raises.
    """
    spill = len(sizes) > 1
    with tempfile.TemporaryDirectory(prefix="discourse-ngrams-", dir=SPILL_DIR) if spill else nullcontext() as d:
        buckets = Buckets(sizes, d)
        for part in results:
            each(part)
            buckets.add(part)
            del part
        release_maps()  # the partitions are read: their maps' pages would sit under the merge's memory
        kept, highest, n_buckets = [], 0, buckets.n_buckets
        for k in range(max(n_buckets, 1)):
            rows, top = _combine_bucket(buckets.read(k), min_freq)
            kept.append(rows)
            highest = max(highest, top)
        del buckets  # one partition's counts are held there: dropped before the kept rows are joined
    if not kept:
        raise ValueError("no partial results to merge")
    return _concatenate(kept), highest, n_buckets


def _concatenate(kept: list[dict]) -> dict:
    """The buckets' kept rows as one array per field, joined a field at a time and each bucket's part
    of it dropped (popped) as it is joined: the rows are held once, plus one field, not twice."""
    n_cols = len(kept[0]["cols"])
    cols = [np.concatenate([p["cols"].pop(0) for p in kept]) for _ in range(n_cols)]  # column j at step j
    return {"cols": cols, **{f: np.concatenate([p.pop(f) for p in kept]) for f in ("group", "freq", "docs", "all_freq")}}
