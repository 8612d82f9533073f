"""Which reader a path needs, from its suffix."""
from __future__ import annotations

from pathlib import Path

from .files import HTML_SUFFIXES, TEXT_SUFFIXES

__all__ = ["detect_format"]


def detect_format(path: Path) -> str:
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
