"""The text of concordance lines, cut in bulk: Arrow string arrays, no Python string a line.

A partition gives each line as four offsets in its document, ``left_at <= node_start <= node_end <= right_to``;
the line's left context, node and right context are the strings between them:

* from a corpus store, the offsets are UTF-8 byte offsets (``byte_starts``/``byte_ends``) into the
  partition's memory-mapped ``texts.bin``: each string's bytes are copied from the map by Arrow, nothing
  is decoded (:mod:`discourse.kwic_bytes`, many partitions at a time);
* from texts in memory (a list of ``str``), each document with a hit is decoded once and the lines' windows
  joined and encoded once (:func:`char_strings`, three strings a line; :func:`sides`).

The contexts are then folded with Arrow compute and NumPy (:func:`line_parts` for the three strings a line
of either route, :func:`fold_strings` for any strings) by the line-by-line rule they replace
(:func:`python_contexts`, the reference): a context is ``" ".join(x.split())`` when it holds a line break
(``"\\n"``), else ``x.strip()``, with Python's whitespace (:meth:`str.isspace`; Arrow's
``utf8_trim_whitespace`` uses the same set, tests/test_kwic_text.py checks it). A text Arrow cannot hold
(a lone surrogate, kept by a store with ``surrogatepass``) keeps Python strings, by the same rule.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["WHITESPACE", "break_rows", "char_strings", "fold_one", "fold_strings", "join_strings",
           "line_parts", "python_contexts", "sides", "take_strings"]

# Python's whitespace (str.isspace, what str.split()/str.strip() use; tests/test_kwic_text.py checks it)
WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
              "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")

def _triples(bounds: np.ndarray) -> np.ndarray:
    """Offsets of three strings a line (left, node, right) in the lines' windows laid end to end: ``bounds``
    (n x 4) are each line's four cut points."""
    n = len(bounds)
    rel = bounds - bounds[:, :1]
    at = np.zeros(n + 1, np.int64)
    np.cumsum(rel[:, 3], out=at[1:])
    out = np.empty(3 * n + 1, np.int64)
    out[0:3 * n:3], out[1:3 * n:3], out[2:3 * n:3] = at[:-1], at[:-1] + rel[:, 1], at[:-1] + rel[:, 2]
    out[-1] = at[-1]
    return out


def char_strings(texts: Sequence[str], docs: np.ndarray, bounds: np.ndarray) -> pa.LargeStringArray | list[str]:
    """The lines' strings (three a line, see the module) cut from ``texts[docs[i]]`` at the character
    offsets ``bounds`` (n x 4; ``docs`` non-decreasing): each document decoded once, the windows joined and
    encoded once; a list of ``str`` when the text cannot be UTF-8 (a lone surrogate)."""
    docs, bounds = np.asarray(docs, np.int64), np.asarray(bounds, np.int64)
    if len(docs) == 0:
        return pa.array([], pa.large_string())
    new = np.r_[True, docs[1:] != docs[:-1]]
    joined = [texts[d] for d in docs[new].tolist()]  # each document decoded once
    which = (np.cumsum(new) - 1).tolist()
    windows = [joined[i][a:b] for i, a, b in zip(which, bounds[:, 0].tolist(), bounds[:, 3].tolist())]
    big = "".join(windows)
    at = _triples(bounds)
    try:  # every character as one code point (a lone surrogate cannot be a valid Arrow string)
        cp = np.frombuffer(big.encode("utf-32-le"), np.uint32)
    except UnicodeEncodeError:
        return [big[x:y] for x, y in zip(at[:-1].tolist(), at[1:].tolist())]
    return _arrow(cp, at)


def python_contexts(texts: Sequence[str], docs: np.ndarray, spans: Sequence[tuple[np.ndarray, np.ndarray]],
                    fold: Sequence[bool]) -> list[list[str]]:
    """The line-by-line rule: ``texts[doc][a:b]`` for each span, folded (``fold``) or as cut."""
    out = []
    docs_l = docs.tolist()
    for (a, b), f in zip(spans, fold):
        cut = [texts[d][x:y] for d, x, y in zip(docs_l, a.tolist(), b.tolist())]
        out.append([fold_one(x) for x in cut] if f else cut)
    return out


def fold_one(x: str) -> str:
    """The rule for one context: ``" ".join(x.split())`` when it holds a line break, else ``x.strip()``."""
    return " ".join(x.split()) if "\n" in x else x.strip()


def fold_strings(strings: pa.Array | pa.ChunkedArray | list) -> pa.Array | list:
    """Each string folded by the rule of the module: stripped (Arrow's ``utf8_trim_whitespace``), and those
    with a line break with their whitespace runs made one space (:func:`_take_folded`, as :func:`line_parts`)."""
    if isinstance(strings, list):
        return [fold_one(x) for x in strings]
    if isinstance(strings, pa.ChunkedArray):
        strings = strings.combine_chunks() if strings.num_chunks != 1 else strings.chunk(0)
    rows = break_rows(strings)
    return _take_folded(strings, np.arange(len(strings), dtype=np.int64), rows, rows)


def _parts(strings: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The offsets (int64, ``len + 1``) and the UTF-8 bytes of a ``large_string`` array, as NumPy views."""
    offsets = np.frombuffer(strings.buffers()[1], np.int64)[strings.offset:strings.offset + len(strings) + 1]
    data = strings.buffers()[2]
    return offsets, (np.frombuffer(data, np.uint8) if data is not None else np.zeros(0, np.uint8))


def break_rows(strings: pa.Array, skip: tuple[int, int] | None = None) -> np.ndarray:
    """The rows of a ``large_string`` array that hold a line break (``"\\n"``), rows ``skip = (a, b)`` left
    out: one scan of its bytes."""
    offsets, data = _parts(strings)
    if not len(strings):
        return np.zeros(0, np.int64)
    at = np.flatnonzero(data[offsets[0]:offsets[-1]] == 10) + offsets[0]
    held = np.zeros(len(strings), bool)  # a mask, not np.unique: no sort of the breaks
    held[np.searchsorted(offsets, at, side="right") - 1] = True
    rows = np.flatnonzero(held)
    return rows if skip is None else rows[(rows < skip[0]) | (rows >= skip[1])]


def line_parts(strings: pa.Array) -> list[pa.Array]:
    """``[contexts, nodes]`` of lines given as three strings a line (left, node, right; ``large_string``, as
    :func:`char_strings` makes them): the contexts (every left, then every right) folded by the rule of the
    module. One take makes the contexts: those with a line break (one scan of the bytes) are folded first and
    appended to the strings, the take reads them there, then one trim strips all; a second take the nodes."""
    n = len(strings) // 3
    rows = np.arange(0, 3 * n, 3, dtype=np.int64)
    some = break_rows(strings)
    some = some[some % 3 != 1]  # a node keeps its line breaks
    context = _take_folded(strings, np.concatenate([rows, rows + 2]), some, some // 3 + (some % 3 == 2) * n)
    return [context, strings.take(pa.array(rows + 1))]


def _take_folded(strings: pa.Array, want: np.ndarray, some: np.ndarray, at: np.ndarray) -> pa.Array:
    """``strings`` at ``want``, folded by the rule of the module: ``some`` (the strings with a line break, at
    ``at`` in ``want``) collapsed and appended after the strings (Arrow's pool, as every copy here), where
    the take reads them; then one trim strips every string."""
    if len(some):
        strings = pa.concat_arrays([strings, _folded(strings.take(pa.array(some)))])  # stripped by the trim
        want = want.copy()
        want[at] = len(strings) - len(some) + np.arange(len(some))
    return pc.utf8_trim_whitespace(strings.take(pa.array(want)))


def _folded(strings: pa.Array) -> pa.Array:
    """Strings (``large_string``) with each whitespace run made one space (:func:`_collapse`: stripped
    strings come out folded; others with at most a space at either end, for a trim after)."""
    offsets, data = _parts(strings)
    folded, at = _collapse(data[offsets[0]:offsets[-1]], offsets - offsets[0])
    return pa.LargeStringArray.from_buffers(len(strings), pa.py_buffer(at), pa.py_buffer(folded))


def join_strings(parts: Sequence[pa.Array | list]) -> pa.ChunkedArray | list:
    """The strings of several partitions in order: one Arrow chunked array (the partitions' arrays, not
    copied), or a list of ``str`` when a partition had to keep Python strings; an empty partition's ``[]``
    joins either."""
    if any(isinstance(p, list) and p for p in parts):
        return [x for p in parts for x in (p.to_pylist() if isinstance(p, pa.Array) else p)]
    return pa.chunked_array([p for p in parts if isinstance(p, pa.Array)], pa.large_string())


def take_strings(strings: pa.ChunkedArray | pa.Array | list, order: np.ndarray | None) -> Any:
    """``strings`` in ``order`` (None: as they are, not copied), as a column for a DataFrame (Arrow-backed
    ``str``, no Python string a line)."""
    if isinstance(strings, list):
        return strings if order is None else [strings[i] for i in order.tolist()]
    if not isinstance(strings, pa.ChunkedArray):
        strings = pa.chunked_array([strings])
    return (strings if order is None else strings.take(pa.array(order, pa.int64()))).to_pandas().array


def sides(strings: pa.Array | list) -> list:
    """Lines given as three strings a line (:func:`char_strings`) as their ``[left, node, right]``."""
    if isinstance(strings, list):
        return [strings[side::3] for side in range(3)]
    rows = np.arange(0, len(strings), 3, dtype=np.int64)
    return [strings.take(pa.array(rows + side, pa.int64())) for side in range(3)]


def _collapse(raw: np.ndarray, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lines of UTF-8 bytes (``raw``, line i is ``raw[offsets[i]:offsets[i + 1]]``) with each whitespace
    run made one space: a run keeps its first byte, made a space. A whitespace character is one to three
    bytes, all of them whitespace here (:func:`_utf8_space`). A stripped line starts and ends outside a
    run; a run across two unstripped lines keeps its first byte in the first, so each line comes out with
    at most one space at either end, and stripped after, as folded from a stripped one."""
    ws = _utf8_space(raw)
    keep = np.empty(len(raw), bool)  # a solid byte, or a run's first byte (the one after a solid byte)
    keep[:1] = True
    np.logical_and(ws[1:], ws[:-1], out=keep[1:])
    np.logical_not(keep[1:], out=keep[1:])
    kept = np.zeros(len(offsets) - 1, np.int64)  # the bytes each line keeps (an empty line none)
    some = int(np.searchsorted(offsets[:-1], len(raw)))  # the lines after them are empty, at the end
    if some:  # the last of them sums to the end of raw: its own end
        kept[:some] = np.add.reduceat(keep, offsets[:some], dtype=np.int64)
        kept[:some][offsets[:some] == offsets[1:some + 1]] = 0
    at = np.zeros(len(offsets), np.int64)
    np.cumsum(kept, out=at[1:])
    return np.where(ws, np.uint8(32), raw)[keep], at


def _arrow(cp: np.ndarray, offsets: np.ndarray) -> pa.Array:
    """Concatenated code points and line offsets as an Arrow string array (UTF-8)."""
    raw = cp.astype("<u4").tobytes().decode("utf-32-le").encode("utf-8")
    width = 1 + (cp >= 0x80).astype(np.int64) + (cp >= 0x800) + (cp >= 0x10000)
    at = np.zeros(len(cp) + 1, np.int64)
    np.cumsum(width, out=at[1:])
    return pa.LargeStringArray.from_buffers(len(offsets) - 1, pa.py_buffer(at[offsets]), pa.py_buffer(raw))


def _utf8_space(raw: np.ndarray) -> np.ndarray:
    """Whether each byte of UTF-8 text belongs to a whitespace character (:data:`WHITESPACE`)."""
    ws = np.take(_ONE_BYTE_SPACE, raw)  # np.take: twice as fast as indexing with the bytes
    lead = np.flatnonzero(np.take(_SPACE_LEAD, raw))
    if len(lead):
        pad = np.r_[raw, 0, 0].astype(np.int64)
        code = pad[lead] << 16 | pad[lead + 1] << 8 | pad[lead + 2]
        for width, codes in _SPACE_CODES.items():
            at = lead[np.isin(code >> 8 * (3 - width), codes)]
            for k in range(width):
                ws[at + k] = True
    return ws


_ONE_BYTE_SPACE = np.zeros(256, bool)
_SPACE_CODES: dict[int, np.ndarray] = {}  # 2 and 3 bytes: the whitespace characters' bytes as one number
for _c in WHITESPACE:
    _b = _c.encode("utf-8")
    if len(_b) == 1:
        _ONE_BYTE_SPACE[_b[0]] = True
    else:
        _SPACE_CODES[len(_b)] = np.r_[_SPACE_CODES.get(len(_b), []), int.from_bytes(_b, "big")].astype(np.int64)
_SPACE_LEAD = np.zeros(256, bool)  # the first bytes of the longer ones
_SPACE_LEAD[[_c.encode("utf-8")[0] for _c in WHITESPACE if ord(_c) >= 0x80]] = True
