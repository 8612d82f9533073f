"""The text of concordance lines, cut from the documents in bulk: Arrow string arrays, no Python string a line.

A partition's hits are sorted by position, so their documents are decoded once
each and joined; the left context, node and right context of every line are
gathered from the joined text's code points with NumPy (work proportional to
the lines, not to the documents), folded there, and encoded once into an Arrow
string array. The result equals the line-by-line rule it replaces
(:func:`python_contexts`, kept as the reference and for texts Arrow cannot
hold, e.g. lone surrogates): a context is ``" ".join(x.split())`` when it spans
a line break, else ``x.strip()``, with Python's whitespace (:meth:`str.isspace`).
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pyarrow as pa

__all__ = ["WHITESPACE", "context_texts", "python_contexts", "join_strings", "take_strings"]

# Python's whitespace (str.isspace, what str.split()/str.strip() use; tests/test_kwic_text.py checks it)
WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
              "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


def join_strings(parts: Sequence[pa.Array | list]) -> pa.ChunkedArray | list:
    """The strings of several partitions in order: one Arrow chunked array (the partitions' arrays, not
    copied), or a list of ``str`` when a partition had to keep Python strings (:func:`context_texts`); an
    empty partition's ``[]`` joins either."""
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


def python_contexts(texts: Sequence[str], docs: np.ndarray, spans: Sequence[tuple[np.ndarray, np.ndarray]],
                    fold: Sequence[bool]) -> list[list[str]]:
    """The line-by-line rule: ``texts[doc][a:b]`` for each span, folded (``fold``) or as cut."""
    out = []
    docs_l = docs.tolist()
    for (a, b), f in zip(spans, fold):
        cut = [texts[d][x:y] for d, x, y in zip(docs_l, a.tolist(), b.tolist())]
        out.append([" ".join(x.split()) if "\n" in x else x.strip() for x in cut] if f else cut)
    return out


def _gather(cp: np.ndarray, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The code points ``cp[a[i]:b[i]]`` of every line, concatenated, and the lines' offsets in them."""
    lengths = np.maximum(b - a, 0)
    offsets = np.zeros(len(a) + 1, np.int64)
    np.cumsum(lengths, out=offsets[1:])
    idx = np.arange(int(offsets[-1]), dtype=np.int64) + np.repeat(a - offsets[:-1], lengths)
    return cp[idx], offsets


def _fold(cp: np.ndarray, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The line-by-line rule on concatenated lines: each stripped (``x.strip()``) and, where it holds a line
    break, its whitespace runs made one space (``" ".join(x.split())``). A stripped line starts and ends
    outside a run, so its runs are whole."""
    small = cp < len(_IS_SPACE)
    ws = np.zeros(len(cp), bool)
    ws[small] = _IS_SPACE[cp[small]]
    solid = np.flatnonzero(~ws)
    lo, hi = offsets[:-1], offsets[1:]
    i = np.searchsorted(solid, lo)
    a = np.minimum(np.r_[solid, len(cp)][i], hi)  # the first solid character of the line
    j = np.searchsorted(solid, hi) - 1
    b = np.maximum(np.where(j >= 0, np.r_[solid, 0][j] + 1, 0), a)  # one past its last solid character
    breaks = np.flatnonzero(cp == 10)
    has_break = (np.searchsorted(breaks, hi) - np.searchsorted(breaks, lo)) > 0
    step = np.bincount(a, minlength=len(cp) + 1) - np.bincount(b, minlength=len(cp) + 1)
    keep = np.cumsum(step[:-1]) > 0  # inside the stripped line (the lines do not overlap)
    if has_break.any():
        in_break = np.repeat(has_break, hi - lo)
        repeat = ws & np.r_[False, ws[:-1]] & in_break  # a run's later characters, in a line with a break
        keep &= ~repeat
        cp = np.where(ws & in_break, 32, cp)
    kept = np.zeros(len(cp) + 1, np.int64)
    np.cumsum(keep, out=kept[1:])
    return cp[keep], kept[offsets]


def _arrow(cp: np.ndarray, offsets: np.ndarray) -> pa.Array:
    """Concatenated code points and line offsets as an Arrow string array (UTF-8)."""
    raw = cp.astype("<u4").tobytes().decode("utf-32-le").encode("utf-8")
    width = 1 + (cp >= 0x80).astype(np.int64) + (cp >= 0x800) + (cp >= 0x10000)
    at = np.zeros(len(cp) + 1, np.int64)
    np.cumsum(width, out=at[1:])
    return pa.LargeStringArray.from_buffers(len(offsets) - 1, pa.py_buffer(at[offsets]), pa.py_buffer(raw))


def context_texts(texts: Sequence[str], docs: np.ndarray, spans: Sequence[tuple[np.ndarray, np.ndarray]],
                  fold: Sequence[bool]) -> list[pa.Array] | list[list[str]]:
    """For each ``(a, b)`` in ``spans`` (character offsets in the texts of ``docs``, one per line, ``docs``
    non-decreasing), the strings ``texts[doc][a:b]``, folded where ``fold`` says so (see the module);
    Arrow arrays, or lists of ``str`` (:func:`python_contexts`) when the texts are not valid UTF-8."""
    docs = np.asarray(docs, np.int64)
    if len(docs) == 0:
        return [[] for _ in spans]
    new = np.r_[True, docs[1:] != docs[:-1]]
    joined = [texts[d] for d in docs[new].tolist()]  # each document decoded once
    # one slice a line, the window holding all its spans; the bulk work is on the windows only
    lo = np.minimum.reduce([np.asarray(a, np.int64) for a, _ in spans])
    hi = np.maximum.reduce([np.asarray(b, np.int64) for _, b in spans])
    which = (np.cumsum(new) - 1).tolist()
    windows = [joined[i][a:b] for i, a, b in zip(which, lo.tolist(), hi.tolist())]
    big = "".join(windows)
    try:  # every character as one code point (a lone surrogate cannot be a valid Arrow string)
        cp = np.frombuffer(big.encode("utf-32-le"), np.uint32)
    except UnicodeEncodeError:
        return python_contexts(texts, docs, spans, fold)
    at = np.zeros(len(windows), np.int64)
    np.cumsum(hi[:-1] - lo[:-1], out=at[1:])
    shift = at - lo
    out = []
    for (a, b), f in zip(spans, fold):
        lines = _gather(cp, np.asarray(a, np.int64) + shift, np.asarray(b, np.int64) + shift)
        out.append(_arrow(*(_fold(*lines) if f else lines)))
    return out


_IS_SPACE = np.zeros(0x3001, bool)
_IS_SPACE[[ord(c) for c in WHITESPACE]] = True
