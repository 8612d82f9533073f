"""Concordance lines cut from a store's memory-mapped texts, many partitions at a time.

A store's partition gives each line as four byte offsets into its ``texts.bin`` (the context's first byte,
the node's first, one past the node's last, one past the context's last:
:func:`discourse.kwic_lines.line_strings`); :class:`ByteLines` keeps them, and :func:`line_texts` makes the
strings of a run of partitions' lines at once: one Arrow ``string_view`` array over all their maps (each
map its own data buffer; Arrow columnar format, "Variable-size Binary View Layout"), cast to
``large_string`` (Arrow copies each string's bytes from the map), the contexts folded by the rule of
:mod:`discourse.kwic_text` (:func:`~discourse.kwic_text.line_parts`). So a query makes its strings with a
few Arrow calls per :data:`BATCH` lines, not a dozen per partition. Text Arrow cannot hold (a lone
surrogate, which a store keeps with ``surrogatepass``) is decoded line by line, by the same rule.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from .kwic_text import fold_one, line_parts
from .memory import make_room

__all__ = ["BATCH", "RUN_BYTES", "ByteLines", "line_texts", "views"]

BATCH = 1 << 18  # lines made by one Arrow cast: three views of 16 bytes a line (12 MiB), then their strings
RUN_BYTES = 64 << 20  # texts read by one cast: dense lines fault in nearly every page of their maps, so
# a run's maps are bounded, room made for them first (a query at 100M reads 600 MiB of texts.bin). Whole
# maps, not the pages a run's lines can read: counting those (a window and 64 KiB either side a line)
# made fewer casts for rare terms but left less room, and 100 content queries at 100M peaked 155 MiB higher
_INLINE = 12  # a view of at most 12 bytes holds them itself; a longer one its first 4, a buffer and an offset
_KEEP = np.where(np.arange(_INLINE)[None, :] < np.arange(_INLINE + 1)[:, None], 0xFF, 0).astype(np.uint8).view("<i4")
_WINDOW = 1 << 30  # a view's offset is int32: a buffer over 1 GiB is viewed in overlapping 2 GiB windows

def views(data: np.ndarray, start: np.ndarray, end: np.ndarray, buffer: int) -> np.ndarray:
    """The ``string_view`` views (n x 4 int32) of ``data[start[i]:end[i]]``, ``data`` being the buffers
    ``buffer``, ``buffer + 1``… of the array (the windows of :func:`_buffers`)."""
    a = np.asarray(start, np.int64)
    length = np.asarray(end, np.int64) - a
    size, n = len(data), len(a)
    out = np.empty((n, 4), np.int32)
    out[:, 0] = length
    padded = data if size >= _INLINE + 1 else np.r_[data, np.zeros(_INLINE + 1, np.uint8)]
    last = len(padded) - _INLINE  # a start past it reads its 12 bytes from a padded copy of the end
    safe = np.minimum(a, last)
    out[:, 1] = np.ndarray((len(padded) - 3,), "<i4", padded, strides=(1,))[np.minimum(a, len(padded) - 4)]
    if size <= _WINDOW:  # one buffer (a partition's texts of up to 1 GiB)
        out[:, 2], out[:, 3] = buffer, a
    else:
        out[:, 2], out[:, 3] = buffer + a // _WINDOW, a % _WINDOW
    short = np.flatnonzero(length <= _INLINE)
    if len(short):
        inline = np.ndarray((last + 1,), f"V{_INLINE}", padded, strides=(1,))[safe[short]].view("<i4").reshape(-1, 3)
        late = np.flatnonzero(a[short] > last)
        if len(late):  # within 12 bytes of the end: from a zero-padded copy of the end
            tail = np.r_[padded[last:], np.zeros(_INLINE, np.uint8)]
            at = a[short][late] - last
            inline[late] = np.ndarray((_INLINE + 1,), f"V{_INLINE}", tail, strides=(1,))[at].view("<i4").reshape(-1, 3)
        out[short, 1:] = inline & _KEEP[length[short]]
    return out


def _buffers(data: np.ndarray) -> list:
    """``data`` as the buffers its views refer to: 2 GiB windows a GiB apart (one for a buffer up to 1 GiB)."""
    return [pa.py_buffer(data[k * _WINDOW:(k + 2) * _WINDOW]) for k in range(max(len(data) - 1, 0) // _WINDOW + 1)]


class ByteLines:
    """One partition's lines as byte ranges of its mapped ``texts.bin`` (``data``): the left context
    ``[c0, c1)``, the node ``[c1, c2)``, the right context ``[c2, c3)`` (``cuts``, n x 4, a row a line);
    ``again()``, when given, asks the store's map cache for ``data`` once more. Their strings are made by
    :func:`line_texts`; pickled (sent from a Dask worker) they travel as those strings, never as
    the map."""

    __slots__ = ("data", "cuts", "again")

    def __init__(self, data: np.ndarray, cuts: np.ndarray, again: Any = None) -> None:
        self.data, self.cuts = data, cuts  # int32 for texts under 2 GiB: held for every line until made
        self.again = again  # asks the store's map cache for data again (its pages are in use once more)

    def __len__(self) -> int:
        return len(self.cuts)

    def __reduce__(self) -> tuple:
        return (list, (line_texts([self])[0],))


def line_texts(parts: list) -> list[list]:
    """``[left, node, right]`` of each of ``parts`` (:class:`ByteLines`, or lines already made: three
    arrays or lists of ``str``), made :data:`BATCH` lines at a time (one Arrow cast a batch). The list is
    emptied as its lines are made (each partition's offsets let go once its strings exist)."""
    out: list = [None] * len(parts)
    run: list[int] = []

    def flush() -> None:
        # room for the strings (windows, contexts, their folded copy), offsets and views: maps' pages go first
        cuts = [parts[i].cuts for i in run]
        make_room(sum(3 * int((c[:, 3] - c[:, 0]).sum(dtype=np.int64)) + 80 * len(c) for c in cuts),
                  sum(len(parts[i].data) for i in run))
        for i in run:  # then the maps read now count as in use (a map released above and read again, not
            if parts[i].again is not None:  # counted, would keep its pages until asked for again)
                parts[i].again()
        for i, made in zip(run, _made([parts[i] for i in run])):
            out[i], parts[i] = made, None
        run.clear()

    for i, p in enumerate(parts):
        if not isinstance(p, ByteLines):
            out[i], parts[i] = list(p), None
            continue
        if run and (sum(len(parts[j]) for j in run) + len(p) > BATCH
                    or sum(len(parts[j].data) for j in run) + len(p.data) > RUN_BYTES):
            flush()
        run.append(i)
    if run:
        flush()
    return out


def _made(parts: list[ByteLines]) -> list[list]:
    """The strings of several partitions' lines: one ``string_view`` array of their windows ``[c0, c3)``
    (each partition's map its own buffers), one cast; the windows laid end to end are the lines' three
    strings each (an array over the cast's bytes, nothing copied), taken as the contexts (folded) and the
    nodes."""
    sizes = [len(p) for p in parts]
    n = sum(sizes)
    if not n:
        return [[pa.array([], pa.large_string())] * 3 for _ in parts]
    chunks, buffers = [], []
    for p in parts:
        chunks.append(views(p.data, p.cuts[:, 0], p.cuts[:, 3], len(buffers)))
        buffers += _buffers(p.data)
    v = np.concatenate(chunks) if len(chunks) > 1 else chunks[0]
    del chunks
    windows = pa.Array.from_buffers(pa.string_view(), n, [None, pa.py_buffer(v), *buffers]).cast(pa.large_string())
    try:
        windows.validate(full=True)  # UTF-8
    except pa.ArrowInvalid:  # a lone surrogate somewhere: partition by partition
        return [_made([p])[0] for p in parts] if len(parts) > 1 else [_python_lines(parts[0])]
    del v
    cuts = np.concatenate([p.cuts for p in parts]).astype(np.int64) if len(parts) > 1 else parts[0].cuts.astype(np.int64)
    at = np.frombuffer(windows.buffers()[1], np.int64)[:n + 1]
    three = np.empty(3 * n + 1, np.int64)  # the left, node and right of each window, end to end
    three[0:3 * n:3] = at[:-1]
    three[1:3 * n:3] = at[:-1] + (cuts[:, 1] - cuts[:, 0])
    three[2:3 * n:3] = at[:-1] + (cuts[:, 2] - cuts[:, 0])
    three[-1] = at[-1]
    del cuts
    strings = pa.LargeStringArray.from_buffers(3 * n, pa.py_buffer(three), windows.buffers()[2])
    context, node = line_parts(strings)
    del strings, windows
    at = np.r_[0, np.cumsum(sizes)]
    return [[context.slice(at[i], sizes[i]), node.slice(at[i], sizes[i]), context.slice(n + at[i], sizes[i])]
            for i in range(len(parts))]


def _python_lines(p: ByteLines) -> list[list[str]]:
    """The lines of a partition whose text Arrow cannot hold, as Python strings (``surrogatepass``), by the
    same rule."""
    c = p.cuts.tolist()
    cut = [[bytes(p.data[row[side]:row[side + 1]]).decode("utf-8", "surrogatepass") for row in c] for side in range(3)]
    return [[fold_one(x) for x in cut[0]], cut[1], [fold_one(x) for x in cut[2]]]
