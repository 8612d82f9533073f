"""Compressed inputs, opened in one place for every reader: ``.gz`` and ``.bz2`` files and ``.zip`` archives.

A ``.gz``/``.bz2`` file is read as the file it compresses (``articles.csv.gz`` is a CSV,
``story.txt.gz`` a text file): the format comes from the suffix before the compression
suffix. A ``.zip`` archive is read member by member (:func:`zip_members`); a member is named
``archive.zip!inner/a.txt`` in the read report.

Decompression is bounded, as a guard against decompression bombs (Fifield 2019, "A better zip
bomb"): a file or member that expands to more than ``MAX_RATIO`` times its compressed size
(once past ``RATIO_FREE_BYTES``), or past ``MAX_EXPANDED_BYTES`` in any case, is not read and
the reason is reported; a whole archive is bounded the same way. Member names are data: one
that is absolute or climbs out with ``..`` (zip slip) is refused like a path outside the
corpus. Encrypted members and archives inside archives are reported as skipped, not read.
The bytes are decoded by :mod:`discourse.decoding`, so encodings are reported as for plain files.
"""
from __future__ import annotations

import bz2
import gzip
import io
import stat
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO, Iterable, Iterator

from ..decoding import SkipItem, decode_file, decode_lines, decode_text
from ..paths import escape_reason

__all__ = ["COMPRESSIONS", "ARCHIVE_SUFFIXES", "MAX_RATIO", "RATIO_FREE_BYTES", "MAX_EXPANDED_BYTES",
           "compression_of", "inner_suffix", "doc_stem", "with_compression", "expansion_limit",
           "open_source", "read_source", "decode_into", "decode_source", "source_lines", "zip_members"]

COMPRESSIONS = {".gz": gzip.open, ".bz2": bz2.open}
ARCHIVE_SUFFIXES = {".zip", ".tar", ".tgz", ".7z", ".rar", ".xz", ".zst", ".gz", ".bz2"}
MAX_RATIO = 100  # news text compresses 3-10x; 100x is a bomb or a file of padding
RATIO_FREE_BYTES = 64 * 2**20  # below 64 MiB expanded, any ratio is accepted (small repetitive files)
MAX_EXPANDED_BYTES = 4 * 2**30  # 4 GiB: no single file or archive expands beyond this


def compression_of(name: str | Path) -> str | None:
    """``".gz"`` or ``".bz2"`` when ``name`` is a compressed file, else ``None``."""
    suffix = PurePosixPath(str(name)).suffix.lower()
    return suffix if suffix in COMPRESSIONS else None


def inner_suffix(name: str | Path) -> str:
    """The format suffix of ``name``, before any compression suffix (``a.csv.gz`` -> ``.csv``)."""
    path = PurePosixPath(str(name))
    if compression_of(path):
        path = path.with_suffix("")
    return path.suffix.lower()


def doc_stem(relative: str) -> str:
    """A document id from a path relative to the corpus folder or archive: the path without its
    format and compression suffixes (``sub/a.txt.gz`` -> ``sub/a``; ``a.txt`` -> ``a``)."""
    path = PurePosixPath(relative)
    if compression_of(path):
        path = path.with_suffix("")
    return path.with_suffix("").as_posix()


def with_compression(suffixes: Iterable[str]) -> set[str]:
    """``suffixes`` and each of them compressed (``.txt`` -> ``.txt``, ``.txt.gz``, ``.txt.bz2``)."""
    return {s + c for s in suffixes for c in ("", *COMPRESSIONS)}


def expansion_limit(compressed_bytes: int) -> int:
    """How many bytes a source of ``compressed_bytes`` may expand to (see the module docstring)."""
    return min(MAX_EXPANDED_BYTES, max(RATIO_FREE_BYTES, MAX_RATIO * compressed_bytes))


def _too_big(limit: int, compressed: int) -> str:
    return (f"expands beyond {limit:,} bytes from {compressed:,} compressed bytes: not read (a likely "
            f"decompression bomb; limit: {MAX_RATIO}x past {RATIO_FREE_BYTES:,} bytes, "
            f"{MAX_EXPANDED_BYTES:,} bytes at most)")


class _Bounded(io.RawIOBase):
    """A decompressing stream that raises :class:`SkipItem` past its expansion limit."""

    def __init__(self, raw: BinaryIO, limit: int, compressed: int, kind: str) -> None:
        self._raw, self._limit, self._compressed, self._kind, self._count = raw, limit, compressed, kind, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            n = self._raw.readinto(buffer)
        except (OSError, EOFError, zlib.error, zipfile.BadZipFile) as e:
            raise SkipItem(f"not a readable {self._kind} file: {e}") from None
        self._count += n
        if self._count > self._limit:
            raise SkipItem(_too_big(self._limit, self._compressed))
        return n

    def close(self) -> None:
        self._raw.close()
        super().close()


def open_source(path: Path) -> BinaryIO:
    """The bytes of ``path`` as a stream, decompressed for ``.gz``/``.bz2`` (bounded: reading past
    the expansion limit, or corrupt data, raises :class:`SkipItem`)."""
    path = Path(path)
    kind = compression_of(path)
    if kind is None:
        return open(path, "rb")
    size = path.stat().st_size
    return io.BufferedReader(_Bounded(COMPRESSIONS[kind](path, "rb"), expansion_limit(size), size, kind))


def read_source(path: Path) -> bytes:
    """All the bytes of ``path``, decompressed (see :func:`open_source`)."""
    with open_source(path) as stream:
        return stream.read()


def decode_into(data: bytes, source: str, report: Any, encoding: str | None) -> tuple[str, str]:
    """``(text, encoding used)``: ``data`` decoded by :func:`discourse.decoding.decode_text`, each note
    a warning row of ``report`` for ``source``; :class:`SkipItem` when it cannot be decoded."""
    text, used, notes = decode_text(data, encoding)
    for note in notes:
        report.add("warning", source, note)
    return text, used


def decode_source(path: Path, report: Any, encoding: str | None = None) -> str:
    """A whole table or JSONL file (compressed or not) as text, decoding notes in ``report``;
    ``ValueError`` naming the file when it cannot be read (a table cannot be read in part)."""
    if compression_of(path) is None:
        return decode_file(path, report, encoding)
    try:
        return decode_into(read_source(path), str(path), report, encoding)[0]
    except SkipItem as e:
        raise ValueError(f"{path}: {e}") from None


def source_lines(path: Path, report: Any, encoding: str | None = None) -> Iterator[str]:
    """The decoded lines of a table or JSONL file (compressed or not), with their line endings, streamed
    (:func:`discourse.decoding.decode_lines`: notes in ``report``); ``ValueError`` naming the file when
    it cannot be read."""
    try:
        with open_source(path) as stream:
            yield from decode_lines(stream, report, encoding, name=str(path))
    except SkipItem as e:
        raise ValueError(f"{path}: {e}") from None


def zip_members(path: Path, report: Any, suffixes: set[str]) -> Iterator[tuple[str, bytes]]:
    """``(member name, bytes)`` for each member of the archive with one of ``suffixes``; every other
    member (but folders) is reported as skipped with its reason, as ``archive.zip!member``."""
    size = Path(path).stat().st_size
    budget = expansion_limit(size)  # the whole archive: overlapping or many members cannot add up past it
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as e:
        raise ValueError(f"{path}: not a readable zip archive ({e})") from None
    with archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            name, where = info.filename, f"{path}!{info.filename}"
            reason = _member_refusal(info, suffixes)
            if reason is None and info.file_size > budget:
                reason = f"the archive {_too_big(expansion_limit(size), size)}"
            if reason is None:
                try:
                    with io.BufferedReader(_Bounded(archive.open(info), expansion_limit(info.compress_size),
                                                    info.compress_size, "zip member")) as stream:
                        data = stream.read()
                except SkipItem as e:
                    reason = str(e)
                except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError) as e:
                    reason = f"cannot be unpacked: {e}"
                else:
                    budget -= len(data)
            if reason is not None:
                report.add("skipped", where, reason)
                continue
            yield name, data


def _member_refusal(info: zipfile.ZipInfo, suffixes: set[str]) -> str | None:
    """Why a zip member is not read (``None`` when it is)."""
    name = info.filename
    escape = escape_reason(name)
    if escape is not None:
        return f"outside the archive: {escape}"
    path = PurePosixPath(name)
    if path.parts[0] == "__MACOSX" or path.name.startswith("._"):
        return "macOS resource fork: not read"
    if info.flag_bits & 0x1:
        return "encrypted member: not read"
    if stat.S_ISLNK(info.external_attr >> 16):  # its bytes are the target's path, not a document
        return "symbolic link inside the archive: not followed"
    suffix = path.suffix.lower()
    if suffix in ARCHIVE_SUFFIXES:
        return f"archive inside an archive ({suffix}): not read (unpack it first)"
    if suffix not in suffixes:
        return f"not a corpus file ({suffix or 'no suffix'}): not read"
    if info.file_size > expansion_limit(info.compress_size):
        return _too_big(expansion_limit(info.compress_size), info.compress_size)
    return None
