"""One text or HTML file read as one record (encoding detected, front matter parsed)."""
from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any

from ..corpus import ReadReport
from ..decoding import SkipItem
from ..read_options import ReadOptions
from ..safe_yaml import load_front_matter
from .compressed import decode_into, doc_stem, inner_suffix, read_source
from .html import extract_html

__all__ = ["TEXT_SUFFIXES", "HTML_SUFFIXES", "read_text_file", "text_record", "read_single"]

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


def read_text_file(source: Path, report: ReadReport, encoding: str | None, id_column: str) -> dict | None:
    """One text or HTML file (``.gz``/``.bz2`` decompressed) as a record, or ``None`` when skipped (reported)."""
    try:
        data = read_source(source)
    except SkipItem as e:
        report.add("skipped", str(source), str(e))
        return None
    return text_record(data, str(source), report, encoding, id_column)


def text_record(data: bytes, source: str, report: ReadReport, encoding: str | None, id_column: str) -> dict | None:
    """The bytes of one text or HTML document (a file or an archive member named ``source``) as a
    record: decoded (notes reported), HTML extracted, front matter parsed; ``None`` when skipped."""
    name = PurePosixPath(source.replace("\\", "/")).name
    try:
        text, used = decode_into(data, source, report, encoding)
    except SkipItem as e:
        report.add("skipped", source, str(e))
        return None
    rec: dict[str, Any] = {}
    if inner_suffix(name) in HTML_SUFFIXES:
        try:
            rec = extract_html(text)
        except SkipItem as e:
            report.add("skipped", source, str(e))
            return None
        text = rec.pop("_text")
    elif text.startswith("---"):
        try:
            meta, body = load_front_matter(text, name=name)
        except ValueError as e:  # malformed, hostile or non-mapping header: keep the text, report it
            report.add("warning", source, f"front matter not parsed ({e}); kept as text")
        else:
            text, rec = body, meta
            if id_column in rec:
                rec[id_column] = str(rec[id_column])
    rec.update(_text=text, _source=source, _how=f"encoding {used}")
    return rec

def read_single(path: Path, report: ReadReport, *, options: ReadOptions,
                 encoding: str | None, **_: Any) -> list[dict]:
    id_column = options.id_column
    rec = read_text_file(path, report, encoding, id_column)
    if rec is None:
        return []
    rec.setdefault(id_column, doc_stem(path.name))
    rec["source_file"] = path.name
    return [rec]
