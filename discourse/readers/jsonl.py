"""JSON Lines: one JSON object a document, read as a stream (one line at a time)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..corpus import ReadReport
from ..read_options import ReadOptions
from .compressed import source_lines
from .tables import table_record

__all__ = ["jsonl_rows", "read_jsonl"]


def jsonl_rows(lines: str | Iterable[str], path: Path, report: ReadReport) -> Iterator[tuple[int, dict]]:
    """``(line number, object)`` of every JSON object line; other lines skipped and reported.

    ``lines`` is the whole text or (streaming) an iterable of its lines.
    """
    for n, line in enumerate(lines.splitlines() if isinstance(lines, str) else lines, start=1):
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
                encoding: str | None, **_: Any) -> Iterator[dict]:
    """The records of a JSONL file (``.gz``/``.bz2`` decompressed), yielded as its lines are decoded
    (the file is never held whole)."""
    names = " or ".join(map(repr, options.text_columns))
    no_text = f"no {names} field"
    n_records = n_no_text = 0
    for line, obj in jsonl_rows(source_lines(path, report, encoding), path, report):
        if not any(c in obj for c in options.text_columns):
            report.add("skipped", str(path), no_text, line)
            n_no_text += 1
            continue
        n_records += 1
        yield table_record(obj, line, path, options)
    if not n_records and n_no_text and n_no_text == sum(1 for _ in report.reasons("skipped")):
        raise ValueError(f"{path}: no record has a text field {names}")
