"""CSV, TSV and Parquet tables: one row a document.

CSV rows are read from an iterable of decoded text lines (each with its line ending, as
``io.StringIO(text, newline="")`` gives them), one row at a time, so that a streaming decoder
can feed them. What the reader does with a damaged table, row by row (``line`` in the read
report is the row's first physical line; the header is line 1):

* a row with the wrong number of fields is skipped: ``malformed row: 5 fields, header has 3``;
* an **unclosed quote** makes the CSV parser read the following lines into one field until
  the next quote. A row spanning several lines whose quoting is not well formed (Python's
  ``csv`` in strict mode refuses it), and that has the wrong field count or whose later lines
  parse as rows with the header's field count, is taken as such a quote: the row is reported
  (``unclosed quote swallowed lines 3-5: re-read as rows``) and read with the quote as a
  literal character when that gives the header's field count (else skipped), and the
  swallowed lines are re-read as rows, each read or reported in turn. A well-formed
  multi-line field (a quoted paragraph break) is read as it is; a multi-line field with a
  stray quote but the right field count is read with a warning naming its lines;
* a one-line row with malformed quoting is read with its quotes as literal characters when
  that gives the header's field count and the parse does not, else as the parser understands
  it (``"He said "no" today"``), with a warning either way;
* a TSV is read with CSV quoting only where it is well formed: a cell that merely starts
  with a quote (``"Quoted," he said``), a quote left open, and a quoted cell that did not
  need quoting are read with the quotes as literal characters (the read report's notes say
  so), since a TSV convention has no quoting;
* duplicate column names (also after removing surrounding whitespace: ``text`` and
  ``text ``) are an error naming the file and the columns, in CSV, TSV and Parquet;
* fields of any size are read (the ``csv`` field limit is raised to the platform's maximum);
* a file with a header but no rows says so.

Reconciliation: every non-blank data line is the first line of a row read or skipped, or a
later line of a multi-line row read. Not detected: an unclosed quote whose swallowed text
happens to end in well-formed quoting (a doubled quote, then a closing one) with the
header's field count.
"""
from __future__ import annotations

import csv
import io
import sys
from pathlib import Path, PurePosixPath
from typing import Any, Iterable, Iterator

import pandas as pd

from ..corpus import ReadReport
from ..read_options import ReadOptions
from .assemble import clean_id, missing
from .compressed import compression_of, doc_stem, read_source, source_lines

__all__ = ["CsvRows", "csv_rows", "check_unique_columns", "raise_field_limit", "read_table", "table_record"]


def raise_field_limit() -> int:
    """Raise ``csv.field_size_limit`` (131,072 characters by default) to the largest the platform
    takes (``sys.maxsize`` where a C long holds it, else halved until it fits); return it."""
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(limit)
            return limit
        except OverflowError:
            limit //= 2


def check_unique_columns(source: Any, columns: Iterable[Any]) -> None:
    """``ValueError`` naming ``source`` and the columns when two column names are the same after
    removing surrounding whitespace (a dict of the row would keep one of them silently)."""
    seen: dict[str, list[tuple[int, str]]] = {}
    for i, name in enumerate(columns, start=1):
        seen.setdefault(str(name).strip(), []).append((i, str(name)))
    dups = [(k, v) for k, v in seen.items() if len(v) > 1]
    if dups:
        parts = [f"{k!r} (columns {', '.join(str(i) for i, _ in v)}: {', '.join(repr(n) for _, n in v)})"
                 for k, v in dups]
        raise ValueError(f"{source}: duplicate column names {'; '.join(parts)}; "
                         "column names must differ (surrounding whitespace does not count): rename them")


class _Tracked:
    """Lines fed to ``csv.reader``, kept until the row they make is taken (for its line range)."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._it, self.buffer = iter(lines), []

    def __iter__(self) -> "_Tracked":
        return self

    def __next__(self) -> str:
        line = next(self._it)
        self.buffer.append(line)
        return line

    def take(self) -> list[str]:
        raw, self.buffer = self.buffer, []
        return raw


def _literal(line: str, delimiter: str) -> list[str]:
    """One physical line split with quotes as literal characters (line ending removed)."""
    return next(csv.reader([line.rstrip("\r\n")], delimiter=delimiter, quoting=csv.QUOTE_NONE), [])


def _well_formed(raw: list[str], delimiter: str) -> bool:
    """Whether ``raw`` (one row's lines) follows CSV quoting strictly."""
    try:
        return len(list(csv.reader(raw, delimiter=delimiter, strict=True))) == 1
    except csv.Error:
        return False


def _blank(row: list[str]) -> bool:
    return all(not c.strip() for c in row)


def _span(first: int, last: int) -> str:
    return f"line {first}" if first == last else f"lines {first}-{last}"


class CsvRows:
    """The rows of a CSV/TSV as ``(line, {column: value})``, one at a time.

    The header is read (and checked for duplicate names) on creation; iterate for the rows.
    Rows skipped and rows read with a fallback are added to ``report`` as they are met;
    ``ValueError`` at the end when the file has a header but no rows.

    Parameters
    ----------
    lines : iterable of str
        Decoded text lines with their line endings (``io.StringIO(text, newline="")``).
    source : str
        The file's name for the read report and messages.
    report : ReadReport
    delimiter : str
        ``","`` (CSV) or ``"\\t"`` (TSV: quotes read literally where CSV quoting is not well formed).
    """

    def __init__(self, lines: Iterable[str], source: str, report: ReadReport, delimiter: str = ",") -> None:
        raise_field_limit()
        self.source, self.report, self.delimiter = source, report, delimiter
        self._stream = _Tracked(lines)
        self._line = 1  # the physical line the next row starts on
        self._literal_noted = False
        header: list[str] = []
        for raw_header in csv.reader(self._stream, delimiter=delimiter):
            raw = self._stream.take()
            self._line += len(raw)
            if not _blank(raw_header):
                header = raw_header
                break
        if not header:
            raise ValueError(f"{source}: empty table")
        if len(raw) > 1 and delimiter != "\t" and not _well_formed(raw, delimiter):
            raise ValueError(f"{source}: the header has an unclosed quote that swallowed "
                             f"{_span(self._line - len(raw) + 1, self._line - 1)}; close or remove the quote")
        self.header = [h.strip() for h in header]
        check_unique_columns(source, header)

    def __iter__(self) -> Iterator[tuple[int, dict]]:
        width, rows, skipped = len(self.header), 0, 0
        for kind, line, value in self._parse(self._stream, self._line):
            if kind == "row":
                rows += 1
                yield line, dict(zip(self.header, value))
            else:
                skipped += kind == "skipped"
                self.report.add(kind, self.source, value, line)
        if not rows and not skipped:
            raise ValueError(f"{self.source} has a header ({width} columns: {', '.join(self.header)}) but no rows")

    def _parse(self, lines: Iterable[str], first: int) -> Iterator[tuple[str, int, Any]]:
        """``("row", line, fields)``, ``("skipped", line, reason)`` or ``("warning", line, reason)``."""
        delimiter, width = self.delimiter, len(self.header)
        stream = lines if isinstance(lines, _Tracked) else _Tracked(lines)
        reader = csv.reader(stream, delimiter=delimiter)
        line = first
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as e:  # the reader starts afresh on the next line
                raw = stream.take()
                yield "skipped", line, f"unreadable row: {e}"
                line += max(len(raw), 1)
                continue
            raw = stream.take()
            start, line = line, line + len(raw)
            if not row or _blank(row):
                continue
            if any('"' in r for r in raw) and not _well_formed(raw, delimiter):
                if delimiter == "\t":  # TSV: lines are rows, quotes are text
                    self._note_literal(start)
                    for i, r in enumerate(raw):
                        yield from self._checked(_literal(r, delimiter), start + i)
                    continue
                if len(raw) > 1 and (len(row) != width or any(
                        len(next(csv.reader([r], delimiter=delimiter), [])) == width for r in raw[1:])):
                    yield from self._unclosed(raw, start)  # every swallowed line is re-read and counted
                    continue
                literal = _literal(raw[0], delimiter) if len(raw) == 1 else []
                if len(row) != width and len(literal) == width:
                    yield "warning", start, "malformed quoting: read with the quotes as literal characters"
                    yield "row", start, literal
                    continue
                if len(row) == width:
                    yield "warning", start, (f"malformed quoting ({_span(start, line - 1)}): a quote inside a "
                                             "quoted field is not doubled, or text follows a closing quote; "
                                             "read as the CSV parser understands it")
            elif delimiter == "\t" and len(raw) == 1 and '"' in raw[0]:
                row = self._tsv_literal_cells(raw[0], row, start)
            yield from self._checked(row, start)

    def _checked(self, row: list[str], line: int) -> Iterator[tuple[str, int, Any]]:
        width = len(self.header)
        if _blank(row):
            return
        if len(row) != width:
            yield "skipped", line, f"malformed row: {len(row)} fields, header has {width}"
        else:
            yield "row", line, row

    def _unclosed(self, raw: list[str], start: int) -> Iterator[tuple[str, int, Any]]:
        """A row whose unclosed quote swallowed the lines after it: the row itself read with the
        quote literal (or skipped), then the swallowed lines re-read as rows."""
        width, literal = len(self.header), _literal(raw[0], self.delimiter)
        what = f"unclosed quote swallowed {_span(start + 1, start + len(raw) - 1)}: re-read as rows; "
        if len(literal) == width:
            yield "warning", start, what + "this row read with the quote as a literal character"
            yield "row", start, literal
        else:
            yield "skipped", start, (what + f"malformed row: {len(literal)} fields with the quote read "
                                            f"literally, header has {width}")
        yield from self._parse(raw[1:], start + 1)

    def _tsv_literal_cells(self, line: str, row: list[str], start: int) -> list[str]:
        """A well-formed TSV line: a quoted cell whose text needed no quoting keeps its quotes
        (``"Stop."``), since a CSV writer would not have quoted it."""
        literal = _literal(line, "\t")
        if len(literal) != len(row):
            return row
        kept = [lit if lit != val and not any(ch in val for ch in '"\t\r\n') else val
                for lit, val in zip(literal, row)]
        if kept != row:
            self._note_literal(start)
        return kept

    def _note_literal(self, line: int) -> None:
        if not self._literal_noted:
            self._literal_noted = True
            self.report.note(f"{self.source}: quotes that do not follow CSV quoting read as literal "
                             f"characters (TSV; first at line {line})")


def csv_rows(lines: Iterable[str], source: str, report: ReadReport, delimiter: str = ",") -> CsvRows:
    """The rows of a CSV/TSV from its decoded text lines (see :class:`CsvRows`)."""
    return CsvRows(lines, source, report, delimiter)


def read_table(path: Path, report: ReadReport, *, fmt: str, options: ReadOptions,
                encoding: str | None, **_: Any) -> Iterator[dict]:
    if fmt == "parquet":
        source = io.BytesIO(read_source(path)) if compression_of(path) else path
        try:
            import pyarrow.parquet as pq

            check_unique_columns(path, pq.read_schema(source).names)  # pandas fails on duplicates unnamed
        except ImportError:  # pandas' other engine: its columns are checked below
            pass
        if isinstance(source, io.BytesIO):
            source.seek(0)
        frame = pd.read_parquet(source)
        check_unique_columns(path, frame.columns)
        options.check_columns(path, frame.columns)
        if frame.empty:
            raise ValueError(f"{path} has columns ({', '.join(map(str, frame.columns))}) but no rows")
        rows: Iterable[tuple[int, dict]] = ((i + 1, r) for i, r in enumerate(frame.to_dict("records")))
    else:
        rows = csv_rows(source_lines(path, report, encoding), str(path), report, "\t" if fmt == "tsv" else ",")
        options.check_columns(path, rows.header)
    return (table_record(r, line, path, options) for line, r in rows)


def table_record(row: dict, line: int, path: Path, options: ReadOptions) -> dict:
    rec = {k: (None if missing(v) else v) for k, v in row.items() if k not in options.text_columns}
    text, how = options.text(row)
    id_column = options.id_column
    rec[id_column] = clean_id(rec.get(id_column)) or f"{doc_stem(PurePosixPath(str(path)).name)}-{line}"
    rec.update(_text=text, _source=str(path), _line=line)
    if how:
        rec["_how"] = how
    return rec
