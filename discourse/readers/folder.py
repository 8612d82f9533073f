"""A folder of text and HTML files, with a manifest or YAML front matter."""
from __future__ import annotations

import io
import json
import posixpath
from pathlib import Path
from typing import Any

from ..corpus import ReadReport
from ..decoding import decode_file
from ..paths import BrokenLink, PathOutsideCorpus, folder_files, outside_reason
from ..read_options import ReadOptions
from ..safe_yaml import MANIFEST_MAX_BYTES, load_yaml
from .assemble import clean_id, missing
from .compressed import doc_stem, with_compression
from .factiva import FACTIVA_SUFFIXES, factiva_file
from .files import HTML_SUFFIXES, TEXT_SUFFIXES, read_text_file
from .jsonl import jsonl_rows
from .archive import read_zip
from .mediacloud import is_mediacloud, read_mediacloud
from .proquest import is_proquest, read_proquest
from .nexis import NEXIS_SUFFIXES, is_nexis_file, nexis_file_records
from .tables import csv_rows

__all__ = ["MANIFEST_NAMES", "FILE_COLUMNS", "read_folder"]

MANIFEST_NAMES = ("manifest.csv", "manifest.tsv", "manifest.jsonl", "manifest.json",
                  "manifest.yaml", "manifest.yml")
FILE_COLUMNS = ("source_file", "file", "filename", "path")


def read_folder(path: Path, report: ReadReport, *, options: ReadOptions, manifest: Any,
                 encoding: str | None, allow_outside: bool = False, **_: Any) -> list[dict]:
    id_column = options.id_column
    manifest_path = Path(manifest) if manifest else next(
        (path / n for n in MANIFEST_NAMES if (path / n).exists()), None)
    if manifest_path is not None and not manifest:  # a manifest found in the folder is confined to it too
        reason = outside_reason(path, manifest_path.name)[1]
        if reason is not None and not allow_outside:
            raise PathOutsideCorpus(f"manifest {manifest_path}: {reason} (pass allow_outside=True to read it)")
    records: list[dict] = []
    listed: set[str] = set()
    if manifest_path is not None:
        rows = _read_manifest(manifest_path, report)
        file_col = next((c for c in FILE_COLUMNS if rows and c in rows[0][1]), None)
        if file_col is None:
            raise ValueError(f"manifest {manifest_path} has no file column; expected one of {FILE_COLUMNS}")
        for line, row in rows:
            name = str(row.pop(file_col) or "").strip()
            source = path / name
            listed.add(posixpath.normpath(name) if name else name)  # as the walk names it (./a.txt = a.txt)
            doc_id = clean_id(row.get(id_column))
            try:
                reason = outside_reason(path, name)[1] if name else None
            except BrokenLink as e:
                report.add("skipped", str(manifest_path), f"manifest row names {name!r}: {e}", line, doc_id)
                continue
            if reason is not None and not allow_outside:
                report.add("skipped", str(manifest_path), reason, line, doc_id)
                continue
            if not name or not source.is_file():
                report.add("skipped", str(manifest_path), f"manifest row names a missing file {name!r}",
                           line, doc_id)
                continue
            rec = read_text_file(source, report, encoding, id_column)
            if rec is None:
                continue
            if reason is not None:
                report.add("warning", str(source), f"{reason}: read because allow_outside=True", line, doc_id)
            for k, v in row.items():  # manifest metadata wins over front matter/html
                if not missing(v) or k not in rec:
                    rec[k] = None if missing(v) else v
            rec[id_column] = doc_id or doc_stem(source.name)
            rec["source_file"] = name
            records.append(rec)
    suffixes = with_compression(TEXT_SUFFIXES | HTML_SUFFIXES | FACTIVA_SUFFIXES) | {".zip", ".csv"} | NEXIS_SUFFIXES
    files = folder_files(path, suffixes, report, listed | {manifest_path.name} if manifest_path
                         else listed, allow_outside=allow_outside)
    # a CSV is walked only when it is a Media Cloud/GDELT export (any other table is not a document)
    files = [f for f in files if f.suffix.lower() != ".csv" or is_mediacloud(f)]
    for source in files:
        rel = source.relative_to(path).as_posix()
        if source.suffix.lower() == ".csv":
            records.extend(read_mediacloud(source, report, options=options, encoding=encoding, export_file=rel))
            continue
        if source.suffix.lower() == ".zip":  # one corpus a read, unless the archive holds news exports
            if (articles := _zip_exports(source, rel, report, options, encoding)) is None:
                report.add("skipped", str(source), f"zip archive {rel!r} inside a corpus folder: not read "
                                                   "(read it with read_corpus on the archive)")
            else:
                records.extend(articles)
            continue
        articles = _export_articles(source, rel, report, options, encoding)
        if articles is not None:  # a news-archive export: many articles
            records.extend(articles)
            continue
        rec = read_text_file(source, report, encoding, id_column)
        if rec is None:
            continue
        if manifest_path is not None:
            report.add("warning", str(source), "file not in manifest: read without manifest metadata",
                       None, rec.get(id_column) or doc_stem(rel))
        rec.setdefault(id_column, doc_stem(rel))
        rec["source_file"] = rel
        records.append(rec)
    if not files and manifest_path is None:
        raise ValueError(f"folder {path} holds no .txt/.html files and no manifest")
    return records


def _export_articles(source: Path, rel: str, report: ReadReport, options: ReadOptions,
                     encoding: str | None) -> list[dict] | None:
    """The articles of a Factiva, Nexis or ProQuest export (each module sniffs its own), or None.
    Factiva first: the Nexis reader claims every other ``.docx``/``.rtf`` (to skip it with the reason)."""
    articles = factiva_file(source, rel, report, encoding, options.id_column)
    if articles is None and is_nexis_file(source):
        articles = list(nexis_file_records(source, rel, report, encoding, options.id_column))
    if articles is None and is_proquest(source):
        articles = list(read_proquest(source, report, options=options, encoding=encoding, export_file=rel))
    return articles


def _zip_exports(source: Path, rel: str, report: ReadReport, options: ReadOptions,
                 encoding: str | None) -> list[dict] | None:
    """The articles of a zip of news-archive exports (every record has a ``source_format``), else None.
    Read into a report of its own, copied into ``report`` only when the archive is taken."""
    own = ReadReport()
    try:
        articles = list(read_zip(source, own, options=options, encoding=encoding))
    except ValueError:
        return None
    if not articles or any(a.get("source_format") is None for a in articles):
        return None
    for row in own.frame.to_dict("records"):
        report.add(row["action"], row["source"], row["reason"], None if missing(row["line"]) else row["line"],
                   None if missing(row["doc_id"]) else row["doc_id"])
    for a in articles:  # the member's place in the corpus folder
        a["export_file"] = f"{rel}!{a['export_file'].split('!', 1)[1]}" if "!" in str(a.get("export_file")) else rel
    return articles


def _read_manifest(path: Path, report: ReadReport) -> list[tuple[int, dict]]:
    suffix = path.suffix.lower()
    text = decode_file(path, report, None)
    if suffix in {".csv", ".tsv"}:
        return list(csv_rows(io.StringIO(text, newline=""), str(path), report, "\t" if suffix == ".tsv" else ","))
    if suffix == ".jsonl":
        return [(n, r) for n, r in jsonl_rows(text, path, report)]
    if suffix == ".json":
        try:
            data = json.loads(text)
        except ValueError as e:
            raise ValueError(f"{path}: not valid JSON ({e})") from None
    else:
        data = load_yaml(text, name=str(path), max_bytes=MANIFEST_MAX_BYTES)
    if isinstance(data, dict):  # {file: {meta}} mapping
        bad = next(((k, v) for k, v in data.items() if not isinstance(v, (dict, type(None)))), None)
        if bad is not None:
            raise ValueError(f"{path}: {bad[0]}: expected the file's metadata (a mapping), got {bad[1]!r}"[:500])
        data = [{"source_file": k, **(v or {})} for k, v in data.items()]
    if not isinstance(data, list):
        raise ValueError(f"manifest {path} must be a list of records or a mapping file -> metadata")
    bad = next(((i, r) for i, r in enumerate(data) if not isinstance(r, dict)), None)
    if bad is not None:
        raise ValueError(f"{path}: [{bad[0]}]: expected a record (a mapping of column -> value), got {bad[1]!r}"[:500])
    return [(i + 1, dict(r)) for i, r in enumerate(data)]
