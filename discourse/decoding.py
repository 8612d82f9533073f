"""Decoding file bytes to text: explicit encoding, byte-order mark, UTF-8, then a detected legacy encoding."""
from __future__ import annotations

import codecs

__all__ = ["SkipItem", "decode_bytes"]

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


class SkipItem(Exception):
    """This input item (file, page) is skipped, for the reason given (the readers report it)."""


def decode_bytes(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode file bytes to text; return ``(text, encoding_used)``.

    Order: an explicit ``encoding``; a byte-order mark (UTF-8/16/32); strict
    UTF-8; Windows-1252 (which covers Latin-1 text) unless charset-normalizer
    finds an encoding that reads less messy (e.g. cp1251 for Cyrillic).
    Raises ``SkipItem`` for empty, binary (NUL bytes without a UTF-16/32 BOM) or
    undecodable input.
    """
    if not data.strip():
        raise SkipItem("empty file")
    if encoding:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as e:
            raise SkipItem(f"not decodable as {encoding}: {e.reason} at byte {e.start}") from None
    for bom, enc in _BOMS:
        if data.startswith(bom):
            text = data.decode(enc)
            if not text.strip():
                raise SkipItem("empty file")
            return text.lstrip("\ufeff"), enc
    if b"\x00" in data:
        raise SkipItem("binary file (NUL bytes and no UTF-16/32 byte-order mark)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes
    from charset_normalizer.md import mess_ratio

    best = from_bytes(data).best()
    # Western text in a legacy encoding is most often Windows-1252 (the WHATWG default,
    # which also covers Latin-1's printable range); prefer it unless it reads messier.
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western is not None and (best is None or mess_ratio(western) <= best.chaos + 0.01):
        return western, "cp1252"
    if best is None or best.encoding is None:
        raise SkipItem("undecodable: not UTF-8 and no encoding could be detected")
    text = str(best)
    if sum(not (c.isprintable() or c.isspace()) for c in text) > 0.05 * len(text):
        raise SkipItem(f"binary or undecodable file (best guess {best.encoding})")
    return text, best.encoding
