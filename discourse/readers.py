"""Corpus readers: one entry point, :func:`read_corpus`, for every supported format.

Formats
-------
* a folder of ``.txt`` (and ``.html``) files, with a manifest (``manifest.csv``,
  ``.tsv``, ``.json``, ``.jsonl``, ``.yaml``/``.yml``) naming each file in a
  ``source_file`` column, or with YAML front matter in each file;
* a CSV/TSV, JSONL or Parquet table with a text column and metadata columns;
* saved HTML pages (text, title, date and site extracted with trafilatura,
  Barbaresi 2021);
* a single ``.txt`` file.

Nothing is dropped silently: every skipped file, row or line, and every
fallback (a non-UTF-8 encoding, a file missing from the manifest) is listed in
the corpus' :class:`~discourse.corpus.ReadReport` with its source, line and
reason, and summarised in a :class:`DiscourseReadWarning`.
"""
from __future__ import annotations

import csv
import io
import json
import warnings
from pathlib import Path
from typing import Any, Iterable, Sequence

import pandas as pd

from .corpus import Corpus, ReadReport
from .decoding import SkipItem, decode_bytes, decode_file, decode_text, decoding_summary
from .paths import BrokenLink, PathOutsideCorpus, folder_files, outside_reason
from .read_options import RECORD_KEYS, ReadOptions
from .safe_yaml import MANIFEST_MAX_BYTES, load_front_matter, load_yaml
from .validation import check_choice

__all__ = ["MANIFEST_NAMES", "TEXT_SUFFIXES", "HTML_SUFFIXES", "FILE_COLUMNS", "DiscourseReadWarning",
           "decode_bytes", "read_corpus"]

MANIFEST_NAMES = ("manifest.csv", "manifest.tsv", "manifest.jsonl", "manifest.json",
                  "manifest.yaml", "manifest.yml")
TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
FILE_COLUMNS = ("source_file", "file", "filename", "path")


class DiscourseReadWarning(UserWarning):
    """Something in the input was skipped or read with a fallback (see ``corpus.report``)."""


# --------------------------------------------------------------------------- entry point
def read_corpus(
    path: str | Path,
    *,
    format: str = "auto",
    text_column: str | Sequence[str] = "text",
    id_column: str = "id",
    metadata_columns: Sequence[str] | None = None,
    outlet_column: str | None = None,
    date_column: str | None = None,
    title_column: str | None = None,
    date_format: str | None = None,
    dayfirst: bool = False,
    manifest: str | Path | None = None,
    encoding: str | None = None,
    required: Sequence[str] = (),
    on_duplicate: str = "skip",
    allow_outside: bool = False,
    group_columns: str | Sequence[str] = ("outlet",),
    aliases: dict[str, str] | None = None,
    case_merge: bool = False,
) -> Corpus:
    """Read a corpus from a folder, a table (CSV/TSV/JSONL/Parquet) or HTML pages.

    Parameters
    ----------
    path : str or Path
        A folder, or a ``.csv``/``.tsv``/``.jsonl``/``.parquet``/``.html``/``.txt`` file.
    format : {"auto", "folder", "csv", "tsv", "jsonl", "parquet", "html", "txt"}
        Input format; ``"auto"`` decides from the path.
    text_column : str or list of str
        Column holding the text in tables, or several columns joined in order
        with a blank line between them (``["headline", "subheading"]``); a row
        missing one part keeps the others (the read report says how many).
    id_column : str
        Column holding the document id in tables and manifests. Without one,
        ids are made from the file name and row number.
    metadata_columns : list of str, optional
        Metadata columns to keep (default: all but the text and id columns).
    outlet_column, date_column, title_column : str, optional
        A column read as ``outlet``, ``date`` or ``title`` (e.g. ``outlet_column="source"``),
        the names the notebooks use; it may not replace an existing column of that name.
    date_format : str, optional
        Parse ``date`` with this format (``strftime`` codes, e.g. ``"%d/%m/%Y"``,
        or pandas' ``"ISO8601"``/``"mixed"``) and write it as ISO 8601; a value
        that does not parse is left empty and reported. By default dates are kept as written.
    dayfirst : bool
        Parse ``date`` with the day first (``03/04/2021`` = 3 April), value by value.
    manifest : path, optional
        Metadata manifest for a folder; by default a ``manifest.*`` file inside it.
    encoding : str, optional
        Force an encoding; by default it is detected per file (see :func:`decode_bytes`).
    required : sequence of str
        Metadata columns every document must have a value for; a document lacking
        one is kept and reported as a warning.
    on_duplicate : {"skip", "rename", "error"}
        What to do with a second document carrying an id already read.
    allow_outside : bool
        Read files a folder's manifest or symbolic links name outside the folder
        (``../x.txt``, ``/etc/x``, a link to elsewhere). By default they are
        skipped and reported ("outside the corpus folder: …"); when allowed, each
        is reported as a warning. Dangling and looping links are always reported.
    group_columns, aliases, case_merge
        Grouping labels (default ``outlet``) read as one: NFKC, invisible characters and extra
        whitespace removed, then ``aliases`` (``{"Fox Online News": "Fox News"}``), then case-only
        variants merged if ``case_merge`` (always reported); see :mod:`discourse.group_labels`.

    Returns
    -------
    Corpus
        With ``corpus.report`` listing what was read, skipped and warned about,
        and its ``notes`` what the reading options did (columns joined, renamed,
        left out, dates parsed); an unnamed column (a saved index) is not metadata.
    """
    path = Path(path)
    check_choice("on_duplicate", on_duplicate, ["skip", "rename", "error"])
    if not isinstance(allow_outside, bool):
        raise ValueError(f"allow_outside must be True or False, not {allow_outside!r}")
    options = ReadOptions.build(text_column, id_column, metadata_columns, outlet_column, date_column,
                                title_column, date_format, dayfirst, group_columns, aliases, case_merge)
    if not path.exists():
        raise FileNotFoundError(f"no such file or folder: {path}")
    fmt = _detect_format(path) if format == "auto" else format
    report = ReadReport()
    readers = {"folder": _read_folder, "csv": _read_table, "tsv": _read_table,
               "jsonl": _read_jsonl, "parquet": _read_table, "html": _read_single,
               "txt": _read_single}
    check_choice("format", fmt, sorted(readers))
    records = readers[fmt](path, report, fmt=fmt, options=options, manifest=manifest, encoding=encoding,
                               allow_outside=allow_outside)
    corpus = _assemble(records, report, options, required, on_duplicate)
    corpus.params = {"path": str(path), "format": fmt, **options.params(), "encoding": encoding,
                     "on_duplicate": on_duplicate, "allow_outside": allow_outside}
    warned = report.frame[report.frame["action"] == "warning"]
    corpus.params["decoding"] = decoding_summary(zip(warned["source"], warned["reason"].astype(str)))
    problems = report.frame[report.frame["action"] != "read"]
    if len(problems):
        lines = [f"{r.source}{'' if pd.isna(r.line) else f':{r.line}'}: {r.action}: {r.reason}"
                 for r in problems.head(8).itertuples()]
        more = f"\n  … and {len(problems) - 8} more" if len(problems) > 8 else ""
        warnings.warn(DiscourseReadWarning(
            f"{report.summary()} (see corpus.report):\n  " + "\n  ".join(lines) + more), stacklevel=2)
    return corpus


def _detect_format(path: Path) -> str:
    if path.is_dir():
        return "folder"
    suffix = path.suffix.lower()
    mapping = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl",
               ".parquet": "parquet", ".pq": "parquet"}
    if suffix in mapping:
        return mapping[suffix]
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in TEXT_SUFFIXES:
        return "txt"
    raise ValueError(f"cannot tell the format of {path}; pass format=...")


# --------------------------------------------------------------------------- records
def _assemble(records: Iterable[dict], report: ReadReport, options: ReadOptions,
              required: Sequence[str], on_duplicate: str) -> Corpus:
    texts: list[str] = []
    metas: list[dict] = []
    seen: dict[str, str] = {}
    columns: dict[str, None] = {}  # every column met, in order (for the read report)
    id_column = options.id_column
    for rec in records:
        columns.update(dict.fromkeys(k for k in rec if k not in RECORD_KEYS))
        rec = options.metadata(rec)
        source, line = rec.pop("_source"), rec.pop("_line", None)
        text = rec.pop("_text")
        doc_id = str(rec.pop(id_column))
        if doc_id in seen:
            where = f"{source}{'' if line is None else f':{line}'}"
            if on_duplicate == "error":
                raise ValueError(f"duplicate document id {doc_id!r} at {where} (first read from {seen[doc_id]})")
            if on_duplicate == "skip":
                report.add("skipped", source, f"duplicate id {doc_id!r} (first read from {seen[doc_id]})",
                           line, doc_id)
                continue
            n = 2
            while f"{doc_id}-{n}" in seen:
                n += 1
            report.add("warning", source, f"duplicate id {doc_id!r} renamed to {doc_id}-{n}", line, doc_id)
            doc_id = f"{doc_id}-{n}"
        seen[doc_id] = f"{source}{'' if line is None else f':{line}'}"
        if not isinstance(text, str) or not text.strip():
            report.add("skipped", source, "empty text", line, doc_id)
            continue
        for col in required:
            if _missing(rec.get(col)):
                report.add("warning", source, f"missing metadata {col!r}", line, doc_id)
        report.add("read", source, rec.pop("_how", ""), line, doc_id)
        texts.append(text)
        metas.append({"doc_id": doc_id, **rec})
    if not texts:
        reasons = "; ".join(report.frame["reason"].astype(str).head(5))
        raise ValueError(f"no documents could be read ({reasons})")
    options.check_metadata_columns([c for c in columns if c not in options.text_columns])
    read = report.frame[report.frame["action"] == "read"]["reason"]
    options.report(report, columns, int(read.str.endswith("empty)").sum()))
    meta = options.group_labels(options.parse_dates(pd.DataFrame(metas).set_index("doc_id"), report), report)
    return Corpus(texts, meta, report)


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


# --------------------------------------------------------------------------- folder
def _read_folder(path: Path, report: ReadReport, *, options: ReadOptions, manifest: Any,
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
            listed.add(name)
            doc_id = _clean_id(row.get(id_column))
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
            rec = _read_text_file(source, report, encoding, id_column)
            if rec is None:
                continue
            if reason is not None:
                report.add("warning", str(source), f"{reason}: read because allow_outside=True", line, doc_id)
            for k, v in row.items():  # manifest metadata wins over front matter/html
                if not _missing(v) or k not in rec:
                    rec[k] = None if _missing(v) else v
            rec[id_column] = doc_id or source.stem
            rec["source_file"] = name
            records.append(rec)
    files = folder_files(path, TEXT_SUFFIXES | HTML_SUFFIXES, report, listed | {manifest_path.name} if manifest_path
                         else listed, allow_outside=allow_outside)
    for source in files:
        rec = _read_text_file(source, report, encoding, id_column)
        if rec is None:
            continue
        if manifest_path is not None:
            report.add("warning", str(source), "file not in manifest: read without manifest metadata",
                       None, rec.get(id_column) or source.stem)
        rec.setdefault(id_column, source.stem)
        rec["source_file"] = source.name
        records.append(rec)
    if not files and manifest_path is None:
        raise ValueError(f"folder {path} holds no .txt/.html files and no manifest")
    return records


def _clean_id(value: Any) -> str | None:
    return None if _missing(value) else str(value).strip()


def _read_manifest(path: Path, report: ReadReport) -> list[tuple[int, dict]]:
    suffix = path.suffix.lower()
    if suffix in {".csv", ".tsv"}:
        return _csv_rows(path, report, "\t" if suffix == ".tsv" else ",")
    text = decode_file(path, report, None)
    if suffix == ".jsonl":
        return [(n, r) for n, r in _jsonl_rows(text, path, report)]
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


def _read_text_file(source: Path, report: ReadReport, encoding: str | None, id_column: str) -> dict | None:
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
            rec = _extract_html(text)
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


def _extract_html(page: str) -> dict:
    import trafilatura

    doc = trafilatura.bare_extraction(page, with_metadata=True, include_comments=False)
    if doc is None or not (doc.text or "").strip():
        raise SkipItem("HTML page: no article text could be extracted")
    return {"_text": doc.text, "title": doc.title, "date": doc.date, "site": doc.sitename,
            "url": doc.url, "author": doc.author}


def _read_single(path: Path, report: ReadReport, *, options: ReadOptions,
                 encoding: str | None, **_: Any) -> list[dict]:
    id_column = options.id_column
    rec = _read_text_file(path, report, encoding, id_column)
    if rec is None:
        return []
    rec.setdefault(id_column, path.stem)
    rec["source_file"] = path.name
    return [rec]


# --------------------------------------------------------------------------- tables
def _csv_rows(path: Path, report: ReadReport, delimiter: str,
              encoding: str | None = None) -> list[tuple[int, dict]]:
    """Rows of a CSV/TSV as dicts, skipping (and reporting) rows with the wrong field count."""
    text = decode_file(path, report, encoding)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise ValueError(f"{path}: empty table") from None
    rows = []
    for row in reader:
        line = reader.line_num
        if not row or all(not c.strip() for c in row):
            continue
        if len(row) != len(header):
            report.add("skipped", str(path), f"malformed row: {len(row)} fields, header has {len(header)}", line)
            continue
        rows.append((line, dict(zip(header, row))))
    return rows


def _jsonl_rows(text: str, path: Path, report: ReadReport):
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            report.add("skipped", str(path), f"invalid JSON: {e.msg} (column {e.colno})", n)
            continue
        if not isinstance(obj, dict):
            report.add("skipped", str(path), f"line is a JSON {type(obj).__name__}, not an object", n)
            continue
        yield n, obj


def _read_table(path: Path, report: ReadReport, *, fmt: str, options: ReadOptions,
                encoding: str | None, **_: Any) -> list[dict]:
    if fmt == "parquet":
        frame = pd.read_parquet(path)
        options.check_columns(path, frame.columns)
        rows = [(i + 1, r) for i, r in enumerate(frame.to_dict("records"))]
    else:
        rows = _csv_rows(path, report, "\t" if fmt == "tsv" else ",", encoding)
        options.check_columns(path, rows[0][1] if rows else [])
    return [_table_record(r, line, path, options) for line, r in rows]


def _read_jsonl(path: Path, report: ReadReport, *, options: ReadOptions,
                encoding: str | None, **_: Any) -> list[dict]:
    text = decode_file(path, report, encoding)
    records = []
    names = " or ".join(map(repr, options.text_columns))
    for line, obj in _jsonl_rows(text, path, report):
        if not any(c in obj for c in options.text_columns):
            report.add("skipped", str(path), f"no {names} field", line)
            continue
        records.append(_table_record(obj, line, path, options))
    if not records and not report.skipped.empty and (report.skipped["reason"] == f"no {names} field").all():
        raise ValueError(f"{path}: no record has a text field {names}")
    return records


def _table_record(row: dict, line: int, path: Path, options: ReadOptions) -> dict:
    rec = {k: (None if _missing(v) else v) for k, v in row.items() if k not in options.text_columns}
    text, how = options.text(row)
    id_column = options.id_column
    rec[id_column] = _clean_id(rec.get(id_column)) or f"{path.stem}-{line}"
    rec.update(_text=text, _source=str(path), _line=line)
    if how:
        rec["_how"] = how
    return rec
