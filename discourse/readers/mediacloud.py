"""Media Cloud and GDELT-style CSV exports: one story a row, a URL, a title, a date, a source.

Layouts read (detected by the header, :func:`table_layout`):

* **Media Cloud**, the current search tool's story list (``id, indexed_date, language, media_name,
  media_url, publish_date, title, url``, plus ``text`` where full texts were exported) and the legacy
  v2 API/Explorer list (``stories_id, publish_date, title, url, language, media_id, media_name,
  media_url, …``): the header has ``url``, ``title``, ``publish_date`` and one of ``media_name``,
  ``media_url``, ``stories_id``, ``media_id``;
* **GDELT DOC 2.0** article lists (``url, url_mobile, title, seendate, socialimage, domain, language,
  sourcecountry``): the header has ``url``, ``title``, ``seendate`` and ``domain``.

Mapped to the standard metadata (:data:`~discourse.readers.plainnews.NEWS_COLUMNS`): ``outlet`` from
``media_name`` (GDELT: ``domain``), or the URL's domain where the row has no name (counted in the
notes); ``date`` from ``publish_date`` (GDELT ``seendate``); ``title``, ``url``, ``language``;
``source_format`` ``"mediacloud-csv"`` or ``"gdelt-csv"``; ``export_file``; ``position`` (the row's
place among the data rows). The id is ``id``/``stories_id`` (else ``<file>-<line>``); other columns
are kept as metadata under their own names (``media_url``, ``indexed_date``, ``ap_syndicated`` …).

Media Cloud exports usually hold **no text** (it shares URLs and titles, not articles): a row without
text is skipped with the reason "no text (Media Cloud exports URLs and titles; fetch texts
separately)". To study the titles instead, pass ``text_column="title"``: the titles are then the texts
(the read report's notes say so). Rows in the export = read + skipped, the CSV parser's own skips
(malformed rows, unclosed quotes) included.

Detection: a ``.csv`` is read with this reader only when its header is one of the layouts above; any
other CSV (also one with ``url`` and ``title`` columns but no Media Cloud or GDELT column) is read
by the generic table reader as before. Pass ``format="csv"`` to read a Media Cloud export as a plain table.
"""
from __future__ import annotations

import io
from pathlib import Path, PurePosixPath
from typing import Any, Iterable, Iterator

from ..corpus import ReadReport
from ..read_options import ReadOptions
from .assemble import missing
from ..decoding import SkipItem, decode_text
from .compressed import decode_into, doc_stem, inner_suffix, source_lines
from .plainnews import domain_of, head_text, news_record
from .tables import csv_rows

__all__ = ["MEDIACLOUD_NO_TEXT", "LAYOUTS", "table_layout", "is_mediacloud", "mediacloud_member", "parse_mediacloud",
           "read_mediacloud"]

MEDIACLOUD_NO_TEXT = "no text (Media Cloud exports URLs and titles; fetch texts separately)"
# layout -> (columns the header must have, one of which it must have, {standard name: source column})
LAYOUTS: dict[str, tuple[set[str], set[str], dict[str, str]]] = {
    "mediacloud-csv": ({"url", "title", "publish_date"}, {"media_name", "media_url", "stories_id", "media_id"},
                       {"outlet": "media_name", "date": "publish_date"}),
    "gdelt-csv": ({"url", "title", "seendate", "domain"}, {"domain"}, {"outlet": "domain", "date": "seendate"}),
}
_IDS = ("stories_id", "id")


def table_layout(header: Iterable[str]) -> str | None:
    """``"mediacloud-csv"``, ``"gdelt-csv"`` or ``None`` for a CSV header (column names compared as written,
    without surrounding whitespace, case-insensitively)."""
    names = {str(h).strip().lower() for h in header}
    for layout, (needed, one_of, _) in LAYOUTS.items():
        if needed <= names and names & one_of:
            return layout
    return None


def is_mediacloud(path: Path) -> bool:
    """Whether the CSV at ``path`` has a Media Cloud or GDELT header (see :func:`table_layout`)."""
    return _header_layout(head_text(path, 1 << 16), str(path)) is not None


def _header_layout(head: str, source: str) -> str | None:
    try:
        rows = csv_rows(io.StringIO(head, newline=""), source, ReadReport())
    except ValueError:
        return None
    return table_layout(rows.header)


def parse_mediacloud(lines: Iterable[str], source: str, report: ReadReport, options: ReadOptions, *,
                     export_file: str | None = None) -> Iterator[dict]:
    """The story records of a Media Cloud/GDELT CSV's decoded lines (see the module notes)."""
    rows = csv_rows(lines, source, report)
    layout = table_layout(rows.header) or "mediacloud-csv"
    lower = {h.lower(): h for h in rows.header}
    mapping = {std: lower.get(col) for std, col in LAYOUTS[layout][2].items()}
    id_col = next((lower[c] for c in (options.id_column.lower(), *_IDS) if c in lower), None)
    texts = options.text_columns
    by_title = texts != ("text",)
    if by_title:
        options.check_columns(source, rows.header)
        report.note(f"{source}: text read from {', '.join(map(repr, texts))} (text_column)")
    export_file = export_file or PurePosixPath(source).name
    stem = doc_stem(export_file.split("!")[-1])  # the member inside a zip, as the zip reader names it
    used = {*(c for c in mapping.values() if c), *(lower.get(c) for c in ("url", "title", "language")), id_col}
    by_domain = position = 0
    for line, row in rows:
        position += 1
        text = options.text(row)[0] if by_title else row.get(lower.get("text", "text"))
        doc_id = row.get(id_col) if id_col else None
        if not isinstance(text, str) or not text.strip():
            reason = MEDIACLOUD_NO_TEXT if not by_title else f"empty {', '.join(map(repr, texts))}"
            report.add("skipped", source, reason, line, str(doc_id).strip() if doc_id else None)
            continue
        url = row.get(lower.get("url", "url"))
        outlet = row.get(mapping["outlet"]) if mapping["outlet"] else None
        if not (outlet or "").strip() and domain_of(url):
            outlet, by_domain = domain_of(url), by_domain + 1
        rec = news_record(
            text, source, position, line=line, id_column=options.id_column, doc_id=doc_id,
            fallback_id=f"{stem}-{line}", outlet=outlet, date=row.get(mapping["date"]) if mapping["date"] else None,
            title=row.get(lower.get("title", "title")), url=url, language=row.get(lower.get("language", "language")),
            source_format=layout, export_file=export_file)
        for key, value in row.items():  # the export's other columns, under their own names
            if key not in used and key not in texts and key.lower() != "text":
                rec.setdefault(key, None if missing(value) else value)
        yield rec
    if by_domain:
        report.note(f"{source}: outlet taken from the URL's domain for {by_domain:,} "
                    f"row{'s' if by_domain != 1 else ''} without a source name")


def mediacloud_member(data: bytes, name: str, source: str, report: ReadReport, options: ReadOptions,
                      encoding: str | None, export_file: str) -> list[dict] | None:
    """The stories of an archive member ``name`` when it is a Media Cloud/GDELT ``.csv``, else ``None`` (the
    member is read as the archive reads it, also when it cannot be decoded)."""
    if inner_suffix(name) != ".csv":
        return None
    try:
        if _header_layout(decode_text(data[: 1 << 16])[0], source) is None:
            return None
        text = decode_into(data, source, report, encoding)[0]
    except SkipItem:  # undecodable: the archive reads and reports it as it does any table
        return None
    return list(parse_mediacloud(io.StringIO(text, newline=""), source, report, options, export_file=export_file))


def read_mediacloud(path: Path, report: ReadReport, *, options: ReadOptions, encoding: str | None = None,
                    export_file: str | None = None, **_: Any) -> list[dict]:
    """The stories of a Media Cloud or GDELT CSV export (``.csv``, or ``.csv.gz``/``.bz2``)."""
    lines = source_lines(path, report, encoding)
    return list(parse_mediacloud(lines, str(path), report, options, export_file=export_file or path.name))
