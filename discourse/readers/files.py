"""One text or HTML file read as one record (encoding detected, front matter parsed)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ..corpus import ReadReport
from ..decoding import SkipItem, decode_text
from ..read_options import ReadOptions
from ..safe_yaml import load_front_matter
from .html import extract_html

__all__ = ["TEXT_SUFFIXES", "HTML_SUFFIXES", "read_text_file", "read_single"]

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


def read_text_file(source: Path, report: ReadReport, encoding: str | None, id_column: str) -> dict | None:
    try:
        text, used, notes = decode_text(source.read_bytes(), encoding)
    except SkipItem as e:
        report.add("skipped", str(source), str(e))
        return None
    for note in notes:  # every decoding decision and replacement count
        report.add("warning", str(source), note)
    rec: dict[str, Any] = {}
    if source.suffix.lower() in HTML_SUFFIXES:
        try:
            rec = extract_html(text)
        except SkipItem as e:
            report.add("skipped", str(source), str(e))
            return None
        text = rec.pop("_text")
    elif text.startswith("---"):
        try:
            meta, body = load_front_matter(text, name=source.name)
        except ValueError as e:  # malformed, hostile or non-mapping header: keep the text, report it
            report.add("warning", str(source), f"front matter not parsed ({e}); kept as text")
        else:
            text, rec = body, meta
            if id_column in rec:
                rec[id_column] = str(rec[id_column])
    rec.update(_text=text, _source=str(source), _how=f"encoding {used}")
    return rec



def read_single(path: Path, report: ReadReport, *, options: ReadOptions,
                 encoding: str | None, **_: Any) -> list[dict]:
    id_column = options.id_column
    rec = read_text_file(path, report, encoding, id_column)
    if rec is None:
        return []
    rec.setdefault(id_column, path.stem)
    rec["source_file"] = path.name
    return [rec]
