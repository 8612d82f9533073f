"""Which reader a path needs, from its suffix (the one before ``.gz``/``.bz2``: ``a.csv.gz`` is a CSV)."""
from __future__ import annotations

from pathlib import Path

from .compressed import inner_suffix
from .files import HTML_SUFFIXES, TEXT_SUFFIXES
from .nexis import is_nexis_file

__all__ = ["detect_format"]


def detect_format(path: Path) -> str:
    if path.is_dir():
        return "folder"
    if path.suffix.lower() == ".zip":
        return "zip"
    if is_nexis_file(path):  # .docx/.rtf, or a text file whose content is a Nexis export (readers/nexis.py)
        return "nexis"
    suffix = inner_suffix(path)
    mapping = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl",
               ".parquet": "parquet", ".pq": "parquet"}
    if suffix in mapping:
        return mapping[suffix]
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in TEXT_SUFFIXES:
        return "txt"
    raise ValueError(f"cannot tell the format of {path}; pass format=...")
