"""Document texts stored compactly: one UTF-8 buffer and an offset per text, a ``str`` on access.

A Python ``str`` holding one character beyond Latin-1 (a curly quote, an em
dash: almost every news article) costs 2 or 4 bytes a character, so a list of
news texts takes about twice the UTF-8 file it was read from. A
:class:`TextStore` keeps the UTF-8 bytes (1 byte a character for Latin
letters) and decodes one text when it is asked for; it is a read-only
sequence of ``str`` (indexing, iteration, ``len``, ``==`` with a list; a
slice is a list of ``str``), so code written for a list of texts works unchanged.

A store built with ``TextStoreBuilder(spill=directory)`` keeps its bytes in an
unlinked temporary file in ``directory`` and reads a text's bytes when it is
asked for, so the texts take no memory in this process (only their offsets):
:func:`discourse.build_store` reads a large corpus that way, and its memory is
then that of a partition, not of the corpus.
"""
from __future__ import annotations

import hashlib
import tempfile
import threading
from array import array
from bisect import bisect_right
from contextlib import contextmanager
from contextvars import ContextVar
from itertools import pairwise
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence, overload

__all__ = ["TextStore", "TextStoreBuilder", "take_texts", "text_digest", "utf8_offsets", "spilling", "spill_directory",
           "spilled"]

# lone surrogates round-trip (a text given with one comes back with it); decoded files have none
_ERRORS = "surrogatepass"
_BLOCK = 16 * 2**20  # bytes read at once from a spilled store when it is scanned in order
_SPILL: ContextVar[Path | None] = ContextVar("discourse_spill_texts", default=None)


@contextmanager
def spilling(directory: str | Path) -> Iterator[None]:
    """Within this block, the readers keep the texts they read in a temporary file in ``directory``
    (:func:`spill_directory`), not in memory."""
    token = _SPILL.set(Path(directory))
    try:
        yield
    finally:
        _SPILL.reset(token)


def spill_directory() -> Path | None:
    """Where texts being read are kept (:func:`spilling`), None for memory."""
    return _SPILL.get()


class _Spilled:
    """A text store's bytes in an unlinked temporary file (gone when the store is), read on demand:
    never mapped, so no page of it counts in this process' memory."""

    __slots__ = ("file", "size", "lock")

    def __init__(self, file: Any, size: int) -> None:
        self.file, self.size, self.lock = file, size, threading.Lock()

    def __len__(self) -> int:
        return self.size

    def read(self, a: int, b: int) -> bytes:
        with self.lock:  # one file position, shared by the threads that read
            self.file.seek(a)
            return self.file.read(b - a)


class TextStore(Sequence[str]):
    """A read-only sequence of texts held as UTF-8 bytes; ``store[i]`` is a ``str``.

    Build one with ``TextStore(texts)`` or, text by text without holding them,
    with a :class:`TextStoreBuilder`. ``nbytes`` is its memory (bytes and offsets;
    offsets only when its bytes are spilled to a file).
    """

    __slots__ = ("_data", "_offsets")

    def __init__(self, texts: Iterable[str] = ()) -> None:
        builder = TextStoreBuilder()
        for text in texts:
            builder.append(text)
        self._data, self._offsets = builder._data, builder._offsets

    @classmethod
    def _of(cls, data: bytearray, offsets: array) -> "TextStore":
        store = cls.__new__(cls)
        store._data, store._offsets = data, offsets
        return store

    @classmethod
    def from_buffer(cls, data: Any, offsets: Sequence[int]) -> "TextStore":
        """The texts held in an existing UTF-8 buffer, without copying it: ``data`` is anything with the
        buffer protocol (``bytes``, a ``numpy.memmap`` of ``uint8``, a ``memoryview``), text ``i`` is
        ``data[offsets[i]:offsets[i + 1]]`` (``offsets`` int64, from 0 to ``len(data)``). Over a memory
        map, ``store[i]`` reads and decodes the pages of text ``i`` only (a corpus store's ``texts.bin``)."""
        import numpy as np

        view = memoryview(data)
        if view.ndim != 1 or view.format != "B":
            view = view.cast("B")
        off = np.ascontiguousarray(offsets, dtype=np.int64)
        if len(off) < 1 or off[0] != 0 or off[-1] != len(view) or (np.diff(off) < 0).any():
            raise ValueError(f"offsets must rise from 0 to the buffer's {len(view):,} bytes")
        bounds = array("q", off.tobytes())  # small: one int a text
        return cls._of(view, bounds)

    def __len__(self) -> int:
        return len(self._offsets) - 1

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> list[str]: ...

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):  # a list, as a notebook shows it (``take`` keeps a slice compact)
            return [self[j] for j in range(*i.indices(len(self)))]
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(f"text {i} of {n}")
        return str(self._span(self._offsets[i], self._offsets[i + 1]), "utf-8", _ERRORS)

    def _span(self, a: int, b: int) -> Any:
        """Bytes ``a:b`` of the texts (a view in memory; read from a spilled store's file)."""
        if isinstance(self._data, _Spilled):
            return self._data.read(a, b)
        return memoryview(self._data)[a:b]

    def __iter__(self) -> Iterator[str]:
        for view in self.iter_bytes():
            yield str(view, "utf-8", _ERRORS)

    def iter_bytes(self) -> Iterator[memoryview]:
        """Each text's UTF-8 bytes (a view, no copy; from a spilled store, of blocks of about 16 MiB
        read in turn): for hashing without decoding."""
        off, n = self._offsets, len(self)
        i = 0
        while i < n:  # in memory: one block, the whole buffer
            j = n if not isinstance(self._data, _Spilled) else max(i + 1, bisect_right(off, off[i] + _BLOCK, i + 1) - 1)
            block, base = memoryview(self._span(off[i], off[j])), off[i]
            for k in range(i, j):
                yield block[off[k] - base:off[k + 1] - base]
            i = j

    def take(self, positions: Iterable[int]) -> "TextStore":
        """The texts at ``positions``, in that order, as a new store in memory (bytes copied, nothing decoded)."""
        builder, off = TextStoreBuilder(), self._offsets
        n = len(self)
        if isinstance(positions, range) and positions.step == 1 and 0 <= positions.start <= positions.stop <= n:
            # consecutive texts (a partition, a piece): their bytes in one read, not one a text
            lo, hi = positions.start, positions.stop
            base = off[lo]
            return TextStore._of(bytearray(self._span(base, off[hi])), array("q", (o - base for o in off[lo:hi + 1])))
        for i in positions:
            i = int(i)
            if not -n <= i < n:
                raise IndexError(f"text {i} of {n}")
            i %= n
            builder.append_bytes(self._span(off[i], off[i + 1]))
        return builder.finish()

    def _blocks(self) -> Iterator[Any]:
        """All the bytes, in blocks of at most 16 MiB."""
        size = len(self._data)
        for a in range(0, size, _BLOCK):
            yield self._span(a, min(a + _BLOCK, size))

    def n_chars(self) -> int:
        """Characters in all texts, counted on the bytes (every UTF-8 byte but a continuation byte), not decoded."""
        import numpy as np

        return sum(int(np.count_nonzero((np.frombuffer(b, np.uint8) & 0xC0) != 0x80)) for b in self._blocks())

    def byte_sizes(self) -> Any:
        """Each text's length in UTF-8 bytes (int64 NumPy array), from the offsets: nothing is read."""
        import numpy as np

        return np.diff(np.frombuffer(self._offsets, np.int64))

    @property
    def spilled(self) -> bool:
        """Whether the bytes are in a temporary file (read on access), not in memory."""
        return isinstance(self._data, _Spilled)

    @property
    def nbytes(self) -> int:
        return (0 if self.spilled else len(self._data)) + self._offsets.itemsize * len(self._offsets)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, TextStore):
            return self._offsets == other._offsets and all(a == b for a, b in zip(self._blocks(), other._blocks()))
        if isinstance(other, (list, tuple)):
            return len(other) == len(self) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # compared by value, like a list

    def __repr__(self) -> str:
        where = f"{len(self._data) / 2**20:,.1f} MiB in a temporary file" if self.spilled else f"{self.nbytes / 2**20:,.1f} MiB"
        return f"<TextStore: {len(self):,} texts, {where}>"

    def __reduce__(self) -> tuple:  # in memory on the other side (a spilled store's file is this process')
        return TextStore._of, (bytearray(self._span(0, len(self._data))), array("q", self._offsets))


class TextStoreBuilder:
    """Appends texts to a growing :class:`TextStore`; ``finish()`` returns it (no copy).

    With ``spill=directory`` the bytes are written to an unlinked temporary file there (removed by
    the system when the store is gone, or the process), not held in memory.
    """

    def __init__(self, spill: str | Path | None = None) -> None:
        self._file = None if spill is None else tempfile.TemporaryFile(dir=spill, prefix=".discourse-texts-")
        self._data = bytearray()
        self._write = self._data.extend if self._file is None else self._file.write
        self._size = 0
        self._offsets = array("q", [0])

    def append(self, text: str) -> None:
        self.append_bytes(text.encode("utf-8", _ERRORS))

    def append_bytes(self, data: bytes | memoryview) -> None:
        self._write(data)
        self._size += len(data)
        self._offsets.append(self._size)

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def finish(self) -> TextStore:
        if self._file is None:
            return TextStore._of(self._data, self._offsets)
        self._file.flush()
        return TextStore._of(_Spilled(self._file, self._size), self._offsets)


def spilled(texts: Sequence[str], directory: str | Path) -> Sequence[str]:
    """``texts`` kept in a temporary file in ``directory`` (:class:`TextStoreBuilder` ``spill=``), a
    :class:`TextStore` read on access; a spilled store as it is."""
    if isinstance(texts, TextStore) and texts.spilled:
        return texts
    builder = TextStoreBuilder(spill=directory)
    if isinstance(texts, TextStore):
        for data in texts.iter_bytes():
            builder.append_bytes(data)
    else:
        for text in texts:
            builder.append(text)
    return builder.finish()


def take_texts(texts: Sequence[str], positions: Iterable[int]) -> Sequence[str]:
    """The texts at ``positions``: a :class:`TextStore` for a store, else a list."""
    if isinstance(texts, TextStore):
        return texts.take(positions)
    return [texts[i] for i in positions]


def text_digest(text: str) -> bytes:
    """A 16-byte BLAKE2b digest of a text: finds identical texts without keeping them as keys."""
    return hashlib.blake2b(text.encode("utf-8", _ERRORS), digest_size=16).digest()


def utf8_offsets(data: Any, text_ptr: Any, doc_ptr: Any, chars: Any) -> Any:
    """The UTF-8 byte offsets of character offsets: ``chars[j]`` (a character offset in the text of token
    ``j``'s document, as ``Tokens.starts``/``ends``) as the offset of the same place in that text's bytes.

    ``data``: the texts' UTF-8 bytes one after the other (uint8), text ``d`` bytes
    ``text_ptr[d]:text_ptr[d + 1]``; ``doc_ptr``: document ``d`` holds tokens ``doc_ptr[d]:doc_ptr[d + 1]``.
    A character starts at every byte that is not a continuation byte (``10xxxxxx``; a lone surrogate written
    with ``surrogatepass`` is three bytes, one character, as any other), so character ``c`` of text ``d`` is
    the ``c``-th such byte after ``text_ptr[d]``; an offset at the end of a text is its byte length.
    Returns int32 offsets (within each text, as the character offsets)."""
    import numpy as np

    data, text_ptr = np.asarray(data, np.uint8), np.asarray(text_ptr, np.int64)
    chars = np.asarray(chars, np.int64)
    lead = np.flatnonzero((data & 0xC0) != 0x80)  # the byte where each character starts
    at = np.r_[lead, len(data)]
    char_ptr = np.searchsorted(lead, text_ptr)  # characters before each text
    doc = np.repeat(np.arange(len(text_ptr) - 1), np.diff(np.asarray(doc_ptr, np.int64)))
    return (at[char_ptr[doc] + chars] - text_ptr[doc]).astype(np.int32)
