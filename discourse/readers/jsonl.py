"""JSON Lines: one JSON object a document."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..corpus import ReadReport
from ..read_options import ReadOptions
from .compressed import decode_source
from .tables import table_record

__all__ = ["jsonl_rows", "read_jsonl"]


def jsonl_rows(text: str, path: Path, report: ReadReport):
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


def read_jsonl(path: Path, report: ReadReport, *, options: ReadOptions,
                encoding: str | None, **_: Any) -> list[dict]:
    text = decode_source(path, report, encoding)  # .jsonl.gz/.bz2 decompressed
    records = []
    names = " or ".join(map(repr, options.text_columns))
    for line, obj in jsonl_rows(text, path, report):
        if not any(c in obj for c in options.text_columns):
            report.add("skipped", str(path), f"no {names} field", line)
            continue
        records.append(table_record(obj, line, path, options))
    if not records and not report.skipped.empty and (report.skipped["reason"] == f"no {names} field").all():
        raise ValueError(f"{path}: no record has a text field {names}")
    return records
