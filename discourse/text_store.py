"""Document texts stored compactly: one UTF-8 buffer and an offset per text, a ``str`` on access.

A Python ``str`` holding one character beyond Latin-1 (a curly quote, an em
dash: almost every news article) costs 2 or 4 bytes a character, so a list of
news texts takes about twice the UTF-8 file it was read from. A
:class:`TextStore` keeps the UTF-8 bytes (1 byte a character for Latin
letters) and decodes one text when it is asked for; it is a read-only
sequence of ``str`` (indexing, iteration, ``len``, ``==`` with a list; a
slice is a list of ``str``), so code written for a list of texts works unchanged.
"""
from __future__ import annotations

import hashlib
from array import array
from itertools import pairwise
from typing import Any, Iterable, Iterator, Sequence, overload

__all__ = ["TextStore", "TextStoreBuilder", "take_texts", "text_digest", "utf8_offsets"]

# lone surrogates round-trip (a text given with one comes back with it); decoded files have none
_ERRORS = "surrogatepass"


class TextStore(Sequence[str]):
    """A read-only sequence of texts held as UTF-8 bytes; ``store[i]`` is a ``str``.

    Build one with ``TextStore(texts)`` or, text by text without holding them,
    with a :class:`TextStoreBuilder`. ``nbytes`` is its memory (bytes and offsets).
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
        return str(memoryview(self._data)[self._offsets[i]:self._offsets[i + 1]], "utf-8", _ERRORS)

    def __iter__(self) -> Iterator[str]:
        view = memoryview(self._data)
        for a, b in pairwise(self._offsets):
            yield str(view[a:b], "utf-8", _ERRORS)

    def iter_bytes(self) -> Iterator[memoryview]:
        """Each text's UTF-8 bytes (a view, no copy): for hashing without decoding."""
        view = memoryview(self._data)
        for a, b in pairwise(self._offsets):
            yield view[a:b]

    def take(self, positions: Iterable[int]) -> "TextStore":
        """The texts at ``positions``, in that order, as a new store (bytes copied, nothing decoded)."""
        builder, view, off = TextStoreBuilder(), memoryview(self._data), self._offsets
        n = len(self)
        for i in positions:
            i = int(i)
            if not -n <= i < n:
                raise IndexError(f"text {i} of {n}")
            i %= n
            builder.append_bytes(view[off[i]:off[i + 1]])
        return builder.finish()

    def n_chars(self) -> int:
        """Characters in all texts, counted on the bytes (every UTF-8 byte but a continuation byte), not decoded."""
        import numpy as np

        data = np.frombuffer(self._data, np.uint8)
        return int(np.count_nonzero((data & 0xC0) != 0x80))

    @property
    def nbytes(self) -> int:
        return len(self._data) + self._offsets.itemsize * len(self._offsets)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, TextStore):
            return self._offsets == other._offsets and self._data == other._data
        if isinstance(other, (list, tuple)):
            return len(other) == len(self) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # compared by value, like a list

    def __repr__(self) -> str:
        return f"<TextStore: {len(self):,} texts, {self.nbytes / 2**20:,.1f} MiB>"

    def __reduce__(self) -> tuple:
        return TextStore._of, (bytearray(self._data), array("q", self._offsets))


class TextStoreBuilder:
    """Appends texts to a growing :class:`TextStore`; ``finish()`` returns it (no copy)."""

    def __init__(self) -> None:
        self._data = bytearray()
        self._offsets = array("q", [0])

    def append(self, text: str) -> None:
        self._data += text.encode("utf-8", _ERRORS)
        self._offsets.append(len(self._data))

    def append_bytes(self, data: bytes | memoryview) -> None:
        self._data += data
        self._offsets.append(len(self._data))

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def finish(self) -> TextStore:
        return TextStore._of(self._data, self._offsets)


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
