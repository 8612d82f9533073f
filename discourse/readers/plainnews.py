"""What the plain news-export readers share: the standard metadata record and an outlet from a URL.

Every news-archive reader (:mod:`~discourse.readers.proquest`, :mod:`~discourse.readers.mediacloud`,
:mod:`~discourse.readers.newsapi`) yields records with the same metadata keys,
:data:`NEWS_COLUMNS` (``None`` where the export does not say), so that a corpus read from
several archives has one set of columns.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .assemble import clean_id
from ..decoding import decode_text
from .compressed import open_source

__all__ = ["NEWS_COLUMNS", "news_record", "domain_of", "head_text"]

NEWS_COLUMNS = ("outlet", "date", "title", "byline", "section", "dateline", "length", "language", "url",
                "source_format", "export_file", "position")


def news_record(text: str | None, source: str, position: int, *, id_column: str, doc_id: Any,
                fallback_id: str, line: int | None = None, **meta: Any) -> dict:
    """One article as a reader record: ``_text``, ``_source``, ``_line`` (the CSV line, else the
    position), the id (``fallback_id`` when the export gives none) and :data:`NEWS_COLUMNS`
    (missing ones ``None``), then any further metadata in ``meta``."""
    rec: dict[str, Any] = dict.fromkeys(NEWS_COLUMNS)
    for key, value in meta.items():
        rec[key] = value.strip() if isinstance(value, str) and value.strip() else (
            None if isinstance(value, str) else value)
    rec["position"] = position
    rec[id_column] = clean_id(doc_id) or fallback_id
    rec.update(_text=text, _source=source, _line=position if line is None else line)
    return rec


def domain_of(url: Any) -> str | None:
    """The host of ``url`` without ``www.`` (``https://www.example.com/a`` -> ``example.com``), or ``None``."""
    if not isinstance(url, str) or not url.strip():
        return None
    try:
        host = urlsplit(url.strip() if "//" in url else "//" + url.strip()).hostname
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    return host[4:] if host.startswith("www.") else host


def head_text(path: Path, limit: int = 1 << 20) -> str:
    """The first ``limit`` bytes of ``path`` (decompressed), decoded leniently, for sniffing a format;
    empty when the file cannot be read (the reader proper reports why)."""
    try:
        with open_source(path) as stream:
            return decode_text(stream.read(limit))[0]
    except Exception:  # noqa: BLE001 - sniffing never fails; the reader proper reports the problem
        return ""
