"""Corpus readers: :func:`read_corpus` and one module per source format.

``read.py`` is the entry point; ``detect.py`` picks a reader from the path;
``folder.py`` (text/HTML files with a manifest or front matter), ``files.py``
(one file), ``html.py`` (trafilatura extraction), ``tables.py`` (CSV/TSV/Parquet),
``jsonl.py`` (JSON Lines), ``archive.py`` (``.zip`` member by member) each yield
records; ``compressed.py`` opens ``.gz``/``.bz2``/``.zip`` inputs (bounded) for all of
them, and ``assemble.py`` turns records into a :class:`~discourse.corpus.Corpus` with
its read report.
"""
from ..decoding import decode_bytes
from .files import HTML_SUFFIXES, TEXT_SUFFIXES
from .folder import FILE_COLUMNS, MANIFEST_NAMES
from .read import DiscourseReadWarning, read_corpus

__all__ = ["MANIFEST_NAMES", "TEXT_SUFFIXES", "HTML_SUFFIXES", "FILE_COLUMNS", "DiscourseReadWarning",
           "decode_bytes", "read_corpus"]
