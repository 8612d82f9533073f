"""Which reader a path needs, from its suffix (the one before ``.gz``/``.bz2``: ``a.csv.gz`` is a CSV)."""
from __future__ import annotations

from pathlib import Path

from .compressed import inner_suffix
from .factiva import factiva_format
from .files import HTML_SUFFIXES, TEXT_SUFFIXES
from .mediacloud import is_mediacloud
from .newsapi import is_newsapi
from .proquest import is_proquest
from .nexis import is_nexis_file

__all__ = ["detect_format"]


def detect_format(path: Path) -> str:
    if path.is_dir():
        return "folder"
    if path.suffix.lower() == ".zip":
        return "zip"
    suffix = inner_suffix(path)
    sniffers = (("factiva", factiva_format), ("nexis", is_nexis_file), ("proquest", is_proquest),  # Nexis claims
                # every other .docx/.rtf (to skip it with the reason), so Factiva is asked first
                ("mediacloud", lambda p: suffix == ".csv" and is_mediacloud(p)),
                ("newsapi", lambda p: suffix == ".json" and is_newsapi(p)))
    for fmt, sniff in sniffers:  # news-archive exports, told by their content (readers/<format>.py)
        if sniff(path):
            return fmt
    mapping = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl",
               ".parquet": "parquet", ".pq": "parquet"}
    if suffix in mapping:
        return mapping[suffix]
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in TEXT_SUFFIXES:
        return "txt"
    raise ValueError(f"cannot tell the format of {path}; pass format=...")
