"""CSV, TSV and Parquet tables: one row a document."""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pandas as pd

from ..corpus import ReadReport
from ..decoding import decode_file
from ..read_options import ReadOptions
from .assemble import clean_id, missing

__all__ = ["csv_rows", "read_table", "table_record"]


def csv_rows(path: Path, report: ReadReport, delimiter: str,
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


def read_table(path: Path, report: ReadReport, *, fmt: str, options: ReadOptions,
                encoding: str | None, **_: Any) -> list[dict]:
    if fmt == "parquet":
        frame = pd.read_parquet(path)
        options.check_columns(path, frame.columns)
        rows = [(i + 1, r) for i, r in enumerate(frame.to_dict("records"))]
    else:
        rows = csv_rows(path, report, "\t" if fmt == "tsv" else ",", encoding)
        options.check_columns(path, rows[0][1] if rows else [])
    return [table_record(r, line, path, options) for line, r in rows]


def table_record(row: dict, line: int, path: Path, options: ReadOptions) -> dict:
    rec = {k: (None if missing(v) else v) for k, v in row.items() if k not in options.text_columns}
    text, how = options.text(row)
    id_column = options.id_column
    rec[id_column] = clean_id(rec.get(id_column)) or f"{path.stem}-{line}"
    rec.update(_text=text, _source=str(path), _line=line)
    if how:
        rec["_how"] = how
    return rec
