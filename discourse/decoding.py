"""Decoding file bytes to text: explicit encoding, byte-order mark, UTF-8 (tolerating a few
invalid bytes), then a legacy encoding only when it decodes cleanly and plausibly.

Every decision other than clean UTF-8 is returned as a note for the read report.
"""
from __future__ import annotations

import codecs
import re
import threading
import unicodedata
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Iterator, NamedTuple

__all__ = ["Decoded", "SkipItem", "DecodedStream", "decode_bytes", "decode_text", "decode_file", "decode_lines",
           "decoding_summary", "MAX_INVALID_SHARE", "MAX_NUL_SHARE", "SAMPLE_BYTES", "CHUNK_BYTES", "split_lines"]

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
MAX_INVALID_SHARE = 0.01  # UTF-8 with at most this share of invalid bytes is still read as UTF-8
MAX_NUL_SHARE = 0.01  # more NUL bytes than this share: a binary file, skipped
_MAX_CONTROL_SHARE = 0.005  # a legacy decoding with more control characters is implausible
_SURROGATE_UTF8 = re.compile(rb"\xed[\xa0-\xbf][\x80-\xbf]")  # a UTF-16 surrogate encoded in UTF-8 (WTF-8)
_SURROGATE = re.compile("[\ud800-\udfff]")
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
_ASCII_CONTROLS = [c for c in map(chr, [*range(32), 127]) if c not in _ALLOWED_CONTROLS]
_NOTE = re.compile(r"^(decoded as \S+|\d+ NUL bytes removed|\d+ (invalid bytes|lone surrogates) replaced)")
_COUNT = re.compile(r"(\d+) (invalid bytes|encoded lone surrogates|lone surrogates|NUL bytes)")


class SkipItem(Exception):
    """This input item (file, page) is skipped, for the reason given (the readers report it)."""


class Decoded(NamedTuple):
    """Decoded text, the encoding used and the notes for the read report (empty for clean UTF-8)."""

    text: str
    encoding: str
    notes: tuple[str, ...] = ()


def decode_bytes(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode file bytes to text; return ``(text, encoding_used)`` (see :func:`decode_text`)."""
    decoded = decode_text(data, encoding)
    return decoded.text, decoded.encoding


def decode_text(data: bytes, encoding: str | None = None) -> Decoded:
    """Decode file bytes to text, with a note for every decision and replacement.

    Order: an explicit ``encoding`` (strict); a byte-order mark (UTF-8/16/32);
    strict UTF-8; UTF-8 with invalid bytes replaced by U+FFFD when they are at
    most ``MAX_INVALID_SHARE`` of the bytes and the file shows UTF-8 multi-byte
    sequences; else the most plausible legacy encoding among Windows-1252 and
    charset-normalizer's candidates that decodes cleanly (plausibility: few
    control characters, low charset-normalizer mess ratio, letters of one
    script). NUL bytes are removed and counted when rare (at most
    ``MAX_NUL_SHARE``), otherwise the file is binary. Lone surrogates are
    replaced by U+FFFD and counted.

    Raises ``SkipItem`` for empty, binary or undecodable input.
    """
    if not data.strip():
        raise SkipItem("empty file")
    if encoding:
        try:
            return _finish(data.decode(encoding), encoding, [])
        except UnicodeDecodeError as e:
            raise SkipItem(f"not decodable as {encoding}: {e.reason} at byte {e.start}") from None
    for bom, enc in _BOMS:
        if data.startswith(bom):
            text, bad = _decode_counting(data, enc)
            notes = [] if enc == "utf-8-sig" else [f"decoded as {enc} (byte-order mark; not UTF-8)"]
            if bad:
                notes.append(f"{bad} invalid bytes replaced by U+FFFD")
            return _finish(text.lstrip("\ufeff"), enc, notes)
    notes = []
    nuls = data.count(b"\x00")
    if nuls:
        if nuls > MAX_NUL_SHARE * len(data):
            raise SkipItem(f"binary file ({nuls} NUL bytes and no UTF-16/32 byte-order mark)")
        data = data.replace(b"\x00", b"")
        notes.append(f"{nuls} NUL bytes removed")
    try:
        return _finish(data.decode("utf-8"), "utf-8", notes)
    except UnicodeDecodeError:
        pass
    text, bad, surrogates = _decode_utf8_tolerant(data)
    evidence = sum(ord(c) > 127 for c in text) - bad - surrogates  # valid multi-byte characters
    looks_utf8 = evidence + surrogates > bad
    # only encoded surrogates (WTF-8) are UTF-8 whatever their share
    if looks_utf8 and (bad == 0 or bad + 3 * surrogates <= MAX_INVALID_SHARE * len(data)):
        return _finish(text, "utf-8", notes + [_utf8_note(bad, surrogates)])
    legacy = _best_legacy(data)
    if legacy is not None:
        return _finish(legacy[0], legacy[1], notes + [legacy[2]])
    if looks_utf8:
        return _finish(text, "utf-8", notes + [_utf8_note(bad, surrogates)])
    raise SkipItem("binary or undecodable file: not UTF-8 and no legacy encoding decodes it plausibly")


def _utf8_note(bad: int, surrogates: int) -> str:
    parts = [f"{bad} invalid bytes"] if bad else []
    if surrogates:
        parts.append(f"{surrogates} encoded lone surrogates")
    return f"decoded as UTF-8 with {' and '.join(parts)} replaced by U+FFFD"


def _decode_utf8_tolerant(data: bytes) -> tuple[str, int, int]:
    """UTF-8 with one U+FFFD per invalid byte and per encoded surrogate; return (text, bytes, surrogates)."""
    surrogates = len(_SURROGATE_UTF8.findall(data))
    data = _SURROGATE_UTF8.sub("\ufffd".encode(), data)
    text = data.decode("utf-8", "surrogateescape")  # each invalid byte becomes one U+DC80-U+DCFF
    bad = len(_SURROGATE.findall(text))
    return _SURROGATE.sub("\ufffd", text), bad, surrogates


def _decode_counting(data: bytes, enc: str) -> tuple[str, int]:
    """Decode with U+FFFD for invalid input, counting the replaced bytes."""
    try:
        return data.decode(enc), 0
    except UnicodeDecodeError:
        pass
    pieces, bad, start = [], 0, 0
    while True:
        try:
            pieces.append(data[start:].decode(enc))
            return "".join(pieces), bad
        except UnicodeDecodeError as e:
            pieces.append(data[start:start + e.start].decode(enc))
            bad += e.end - e.start
            pieces.append("\ufffd")
            start += e.end
            if enc in {"utf-16", "utf-32"}:  # the BOM fixed the byte order; keep it for the rest
                enc = enc + ("-le" if data[:2] == codecs.BOM_UTF16_LE[:2] else "-be")


def _finish(text: str, encoding: str, notes: list[str]) -> Decoded:
    """Replace lone surrogates (they would crash any later encode) and refuse binary-looking text."""
    lone = len(_SURROGATE.findall(text))
    if lone:
        text = _SURROGATE.sub("\ufffd", text)
        notes = notes + [f"{lone} lone surrogates replaced by U+FFFD"]
    if not text.strip():
        raise SkipItem("empty file")
    if _control_share(text) > 0.05:
        raise SkipItem(f"binary file (control characters in text decoded as {encoding})")
    return Decoded(text, encoding, tuple(notes))


def _control_share(text: str) -> float:
    if text.isascii():  # (a flag of the str) ASCII's only Cc/Co/Cn characters are C0 and DEL: counted in C
        controls = sum(map(text.count, _ASCII_CONTROLS))
    else:
        controls = sum(unicodedata.category(c) in {"Cc", "Co", "Cn"} and c not in _ALLOWED_CONTROLS for c in text)
    return controls / max(len(text), 1)


def _script_share(text: str) -> float:
    """Share of letters in the text's most common script (first word of the Unicode name)."""
    scripts: dict[str, int] = {}
    for c in text:
        if c.isalpha():
            name = unicodedata.name(c, "UNKNOWN").split(" ")[0]
            scripts[name] = scripts.get(name, 0) + 1
    return max(scripts.values()) / sum(scripts.values()) if scripts else 0.0


def _best_legacy(data: bytes) -> tuple[str, str, str] | None:
    """The most plausible clean legacy decoding as (text, encoding, note), or None."""
    from charset_normalizer import from_bytes
    from charset_normalizer.md import mess_ratio

    # Windows-1252 (the WHATWG default, covering Latin-1's printable range) first: it wins ties.
    candidates = {"cp1252": None}
    for match in from_bytes(data):
        candidates.setdefault(codecs.lookup(match.encoding).name.replace("_", "-"), match.coherence)
    scored = []
    for order, (enc, coherence) in enumerate(candidates.items()):
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        if _control_share(text) > _MAX_CONTROL_SHARE or _SURROGATE.search(text):
            continue
        mess, share = mess_ratio(text), _script_share(text)
        scored.append((round(mess + (1 - share), 3), order, enc, text, mess, share, coherence))
    if not scored:
        return None
    score, _, enc, text, mess, share, coherence = min(scored)
    if score > 0.5:
        return None
    how = "Windows-1252 default" if enc == "cp1252" else f"charset-normalizer, coherence {coherence:.2f}"
    return text, enc, f"decoded as {enc} ({how}, mess {mess:.2f}, {share:.0%} of letters in one script; not UTF-8)"


def decoding_summary(rows: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """``{"files": n, "replaced": {"invalid bytes": n, ...}, "encodings": {enc: n files}}`` from the
    read report's (source, reason) warning rows that :func:`decode_text` noted (for ``corpus.params``)."""
    files: set[str] = set()
    replaced: dict[str, int] = {}
    encodings: dict[str, int] = {}
    for source, reason in rows:
        match = _NOTE.match(reason)
        if not match:
            continue
        files.add(source)
        if match.group(0).startswith("decoded as "):
            enc = match.group(0)[len("decoded as "):]
            encodings[enc] = encodings.get(enc, 0) + 1
        for n, what in _COUNT.findall(reason):
            replaced[what] = replaced.get(what, 0) + int(n)
    return {"files": len(files), "replaced": replaced, "encodings": encodings}


SAMPLE_BYTES = 1 << 20  # a stream's encoding is decided on its first MiB (the whole file if shorter)
CHUNK_BYTES = 1 << 20  # then decoded a MiB at a time
_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+")  # universal newlines, the line break kept


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` with their line breaks (universal newlines: ``\n``, ``\r\n``, ``\r``), as
    ``_LINE.findall``; a text without ``\r`` is split by ``str.split`` in C (no regex)."""
    if "\r" in text:
        return _LINE.findall(text)
    lines = text.split("\n")
    last = lines.pop()
    lines = [line + "\n" for line in lines]
    if last:
        lines.append(last)
    return lines
_ERRORS = threading.local()  # the replacements the counting error handlers made during one decode() call


def _count_per_byte(e: UnicodeDecodeError) -> tuple[str, int]:
    """One U+FFFD per invalid byte, counted (as decode_text's UTF-8 and legacy decoding do)."""
    _ERRORS.n += e.end - e.start
    return "\ufffd" * (e.end - e.start), e.end


def _count_per_error(e: UnicodeDecodeError) -> tuple[str, int]:
    """One U+FFFD per invalid sequence, its bytes counted (as decode_text does after a byte-order mark)."""
    _ERRORS.n += e.end - e.start
    return "\ufffd", e.end


codecs.register_error("discourse-count-bytes", _count_per_byte)
codecs.register_error("discourse-count-errors", _count_per_error)


class DecodedStream:
    """A binary stream decoded chunk by chunk into text lines (line breaks kept), with the notes of
    :func:`decode_text`.

    The encoding is decided by :func:`decode_text` on a leading sample of
    ``sample_size`` bytes (default ``SAMPLE_BYTES``) (cut after its last line break when the stream is
    longer; the whole input when it is shorter, so a short input gets exactly
    :func:`decode_text`'s text and notes); a sample of plain ASCII defers the decision to
    the first non-ASCII bytes and a sample from there (a Windows-1252 file whose first MiB is
    English is read as Windows-1252, as a whole would be); the rest is decoded with an
    incremental decoder of that encoding, ``chunk_size`` bytes (default
    ``CHUNK_BYTES``) at a time, and a counting error handler: bytes
    invalid in it are replaced by U+FFFD and counted in the notes, never
    dropped silently, as are NUL bytes (removed), encoded lone surrogates and
    lone surrogates. ``encoding`` and (once iterated to the end) ``notes`` are
    those :func:`decode_text` reports; only ``sample_size + chunk_size`` bytes and
    the current line are held. Lines split at ``\n``, ``\r\n`` and ``\r``
    (as ``open(newline="")``), so :func:`csv.reader` and :func:`json.loads` can read them.

    Raises ``SkipItem`` (on creation) for empty, binary or undecodable input,
    and (while iterating) for input not decodable in an explicit ``encoding``.
    """

    def __init__(self, stream: BinaryIO, encoding: str | None = None, *, sample_size: int | None = None,
                 chunk_size: int | None = None) -> None:
        sample_size = SAMPLE_BYTES if sample_size is None else sample_size
        self._stream, self._chunk_size = stream, CHUNK_BYTES if chunk_size is None else chunk_size
        head = stream.read(sample_size)
        self._head, more = head, stream.read(1)
        if not more:  # the whole input: exactly decode_text
            self._stream, decided = None, decode_text(head, encoding)
            self.encoding, self.notes, self._text = decided.encoding, decided.notes, decided.text
            return
        self._head = head + more
        cut = head.rfind(b"\n") + 1 or len(head)
        decided = decode_text(head[:cut], encoding)
        self.encoding, self._text, self._explicit = decided.encoding, None, bool(encoding)
        self._decision = [n for n in decided.notes if n.startswith("decoded as ") and " UTF-8 with " not in n]
        self._bom = any(head.startswith(bom) for bom, _ in _BOMS) and not encoding
        # an ASCII sample decides nothing (ASCII reads alike in UTF-8 and the legacy encodings):
        # the decision waits for the first non-ASCII bytes
        self._ascii, self._sample_size = not encoding and not self._bom and head[:cut].isascii(), sample_size
        self._counts = {"nul": 0, "bad": 0, "surrogates": 0, "lone": 0}
        self.notes = self._stream_notes()

    def _decide_later(self, data: bytes, errors: str) -> tuple[bytes, Any, bool]:
        """Decide the encoding on the first non-ASCII bytes (and a sample after them); return
        (the data to decode, a decoder, whether it is UTF-8)."""
        self._ascii = False
        data += self._stream.read(self._sample_size)
        cut = data.rfind(b"\n") + 1
        decided = decode_text(data[:cut] if cut and not data[:cut].isascii() else data)
        if any(decided.encoding == enc for _, enc in _BOMS):  # a byte-order mark mid-file: not a decision
            decided = Decoded(decided.text, "utf-8", ())
        self.encoding = decided.encoding
        self._decision = [n for n in decided.notes if n.startswith("decoded as ") and " UTF-8 with " not in n]
        return data, codecs.getincrementaldecoder(self.encoding)(errors), codecs.lookup(self.encoding).name == "utf-8"

    def __iter__(self) -> Iterator[str]:
        if self._text is not None:
            yield from (m.group() for m in _LINE.finditer(self._text))
            return
        errors = "strict" if self._explicit else "discourse-count-errors" if self._bom else "discourse-count-bytes"
        decoder = codecs.getincrementaldecoder(self.encoding)(errors)
        utf8 = codecs.lookup(self.encoding).name == "utf-8" and not self._explicit
        carry, rest, offset, first, chunk = b"", "", 0, True, self._head
        try:
            while True:
                final = not chunk
                data = carry + chunk
                carry = b""
                if self._ascii and not data.isascii():
                    data, decoder, utf8 = self._decide_later(data, errors)
                    final = not data
                if not (self._bom or self._explicit) and b"\x00" in data:
                    self._counts["nul"] += data.count(b"\x00")
                    data = data.replace(b"\x00", b"")
                if utf8:
                    if not final:  # an encoded surrogate split across chunks: keep its start for the next
                        keep = 2 if data[-2:-1] == b"\xed" and 0xa0 <= data[-1] <= 0xbf else data[-1:] == b"\xed"
                        data, carry = (data[:-keep], data[-keep:]) if keep else (data, b"")
                    if b"\xed" in data:  # (a byte search in C) every encoded surrogate starts with it
                        self._counts["surrogates"] += len(_SURROGATE_UTF8.findall(data))
                        data = _SURROGATE_UTF8.sub("\ufffd".encode(), data)
                _ERRORS.n = 0
                try:
                    text = decoder.decode(data, final)
                except UnicodeDecodeError as e:
                    raise SkipItem(f"not decodable as {self.encoding}: {e.reason} at byte {offset + e.start}") from None
                offset += len(data)
                self._counts["bad"] += _ERRORS.n
                if first and text:
                    text, first = text.lstrip("\ufeff") if self._bom else text, False
                if not text.isascii() and _SURROGATE.search(text):  # (isascii: a flag of the str, no scan)
                    self._counts["lone"] += len(_SURROGATE.findall(text))
                    text = _SURROGATE.sub("\ufffd", text)
                text = rest + text
                lines = split_lines(text)
                # the last line may go on in the next chunk (and a "\r" may be the start of "\r\n")
                rest = lines.pop() if lines and not final else ""
                yield from lines
                self.notes = self._stream_notes()
                if final:
                    return
                chunk = self._stream.read(self._chunk_size)
        finally:
            self.notes = self._stream_notes()

    def _stream_notes(self) -> tuple[str, ...]:
        """The notes decode_text gives for these decisions and counts."""
        c = self._counts
        notes = [f"{c['nul']} NUL bytes removed"] if c["nul"] else []
        if self._bom:
            notes += self._decision + ([f"{c['bad']} invalid bytes replaced by U+FFFD"] if c["bad"] else [])
        elif codecs.lookup(self.encoding).name == "utf-8" and not self._explicit:
            if c["bad"] or c["surrogates"]:
                notes.append(_utf8_note(c["bad"], c["surrogates"]))
        else:
            notes += self._decision + ([f"{c['bad']} invalid bytes replaced by U+FFFD"] if c["bad"] else [])
        if c["lone"]:
            notes.append(f"{c['lone']} lone surrogates replaced by U+FFFD")
        return tuple(notes)


def decode_lines(source: str | Path | BinaryIO, report: Any = None, encoding: str | None = None, *,
                 name: str | None = None, sample_size: int | None = None,
                 chunk_size: int | None = None) -> Iterator[str]:
    """The text lines (line breaks kept) of a file or binary file object, decoded as a stream.

    The streaming :func:`decode_file`: the same decisions and notes (see
    :class:`DecodedStream`), each note a warning row of ``report`` (source
    ``name``, by default the path) once the lines are read, or as far as they
    were read when the iteration stops early. Input that cannot be decoded is a
    ``ValueError`` naming it. Feed the lines to :func:`csv.reader` or
    :func:`json.loads` one at a time.
    """
    if name is None:
        name = str(source) if isinstance(source, (str, Path)) else str(getattr(source, "name", "<stream>"))
    fh = open(source, "rb") if isinstance(source, (str, Path)) else source
    stream = None
    try:
        try:
            stream = DecodedStream(fh, encoding, sample_size=sample_size, chunk_size=chunk_size)
            yield from stream
        except SkipItem as e:
            raise ValueError(f"{name}: {e}") from None
    finally:
        if fh is not source:
            fh.close()
        if stream is not None and report is not None:
            for note in stream.notes:
                report.add("warning", name, note)


def decode_file(path: Path, report: Any, encoding: str | None = None) -> str:
    """A whole table, JSONL or manifest file as text; each decoding note becomes a warning row of ``report``.

    A file that cannot be decoded at all is an error naming it (a corpus table
    cannot be read in part).
    """
    try:
        text, _, notes = decode_text(Path(path).read_bytes(), encoding)
    except SkipItem as e:
        raise ValueError(f"{path}: {e}") from None
    for note in notes:
        report.add("warning", str(path), note)
    return text
