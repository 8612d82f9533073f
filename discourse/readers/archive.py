"""A ``.zip`` archive read member by member: text and HTML members one document each, CSV/TSV
members one document a row; the member is the ``source`` (``archive.zip!inner/a.txt``).

Members are opened by :func:`~discourse.readers.compressed.zip_members` (zip-slip names,
encrypted members, archives inside the archive and decompression bombs are skipped with their
reason). JSON Lines and Parquet members and manifests are reported as not read: compress a
JSONL with gzip (``articles.jsonl.gz``), and unpack a folder with a manifest to read it as a folder.
"""
from __future__ import annotations

import io
from pathlib import Path, PurePosixPath
from typing import Any, Iterator

from ..corpus import ReadReport
from ..decoding import SkipItem
from ..read_options import ReadOptions
from .compressed import decode_into, doc_stem, inner_suffix, zip_members
from .factiva import FACTIVA_SUFFIXES, factiva_records
from .files import HTML_SUFFIXES, TEXT_SUFFIXES, text_record
from .mediacloud import mediacloud_member
from .proquest import proquest_member
from .nexis import NEXIS_SUFFIXES, is_nexis_member, nexis_records
from .tables import csv_rows, table_record

__all__ = ["ZIP_TABLE_SUFFIXES", "read_zip"]

ZIP_TABLE_SUFFIXES = {".csv": ",", ".tsv": "\t", ".tab": "\t"}
_NOT_READ = {".jsonl": "JSON Lines inside a zip archive: not read (compress it as .jsonl.gz instead)",
             ".ndjson": "JSON Lines inside a zip archive: not read (compress it as .jsonl.gz instead)",
             ".parquet": "Parquet inside a zip archive: not read (Parquet is compressed already)"}


def read_zip(path: Path, report: ReadReport, *, options: ReadOptions, encoding: str | None,
             **_: Any) -> Iterator[dict]:
    id_column = options.id_column
    suffixes = TEXT_SUFFIXES | HTML_SUFFIXES | set(ZIP_TABLE_SUFFIXES) | set(_NOT_READ) | FACTIVA_SUFFIXES | NEXIS_SUFFIXES
    found = False
    for name, data in zip_members(path, report, suffixes):
        found = True
        source, suffix = f"{path}!{name}", inner_suffix(name)
        if (articles := factiva_records(data, source, f"{path.name}!{name}", report, encoding, id_column)) is not None:
            yield from articles  # Factiva first: Nexis claims every other .docx/.rtf
        elif is_nexis_member(name, data):  # an export of many articles (readers/nexis.py)
            yield from nexis_records(data, source, f"{path.name}!{name}", report, encoding, id_column)
        elif suffix in _NOT_READ or PurePosixPath(name).stem.lower() == "manifest":
            report.add("skipped", source, _NOT_READ.get(suffix) or "manifest inside a zip archive: not used "
                                                                   "(unpack the archive to read it as a folder)")
        elif (pq := proquest_member(data, name, source, report, options, encoding, f"{path.name}!{name}")) is not None:
            yield from pq  # a ProQuest export: many articles
        elif (mc := mediacloud_member(data, name, source, report, options, encoding, f"{path.name}!{name}")) is not None:
            yield from mc  # a Media Cloud/GDELT CSV: not a generic table
        elif suffix in ZIP_TABLE_SUFFIXES:
            try:
                text = decode_into(data, source, report, encoding)[0]
            except SkipItem as e:
                raise ValueError(f"{source}: {e}") from None
            rows = csv_rows(io.StringIO(text, newline=""), source, report, ZIP_TABLE_SUFFIXES[suffix])
            options.check_columns(source, rows.header)
            for line, row in rows:
                yield table_record(row, line, PurePosixPath(source), options)
        else:
            rec = text_record(data, source, report, encoding, id_column)
            if rec is not None:
                rec.setdefault(id_column, doc_stem(name))
                rec["source_file"] = f"{path.name}!{name}"
                yield rec
    if not found and report.skipped.empty:  # else assemble names the skipped members' reasons
        raise ValueError(f"{path}: the zip archive holds no .txt/.html/.csv/.tsv files")
