"""Decoding file bytes to text: explicit encoding, byte-order mark, UTF-8 (tolerating a few
invalid bytes), then a legacy encoding only when it decodes cleanly and plausibly.

Every decision other than clean UTF-8 is returned as a note for the read report.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path
from typing import Any, Iterable, NamedTuple

__all__ = ["Decoded", "SkipItem", "decode_bytes", "decode_text", "decode_file", "decoding_summary",
           "MAX_INVALID_SHARE", "MAX_NUL_SHARE"]

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
MAX_INVALID_SHARE = 0.01  # UTF-8 with at most this share of invalid bytes is still read as UTF-8
MAX_NUL_SHARE = 0.01  # more NUL bytes than this share: a binary file, skipped
_MAX_CONTROL_SHARE = 0.005  # a legacy decoding with more control characters is implausible
_SURROGATE_UTF8 = re.compile(rb"\xed[\xa0-\xbf][\x80-\xbf]")  # a UTF-16 surrogate encoded in UTF-8 (WTF-8)
_SURROGATE = re.compile("[\ud800-\udfff]")
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
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
