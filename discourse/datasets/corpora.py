"""The corpora shipped with the package: the two-article sample and the US presidential speeches.

Both are package data (installed with the wheel, see ``[tool.setuptools.package-data]``), read
with the package's own readers, so that their read reports are real. The repository's top-level
``corpus/`` is a relative symbolic link to the sample's folder, ``discourse/datasets/sample/``.
"""
from __future__ import annotations

import gzip
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..cleaning import clean
from ..corpus import Corpus, ReadReport
from ..readers import read_corpus
from ..tokenizer import tokenize
from ..tokens import Tokens

__all__ = ["sample_corpus_path", "load_sample", "speeches_path", "load_speeches"]

# Wheels install package data as plain files, so this is a real folder (read_corpus needs one).
_HERE = Path(__file__).resolve().parent
_SPEECHES = "us_presidential_speeches.jsonl"


def sample_corpus_path() -> Path:
    """Path of the bundled sample corpus (two articles, RT and TFI Post).

    Returns
    -------
    Path
        A folder holding the two raw ``.txt`` articles, their ``manifest.csv`` and a ``README.md``.
    """
    return _HERE / "sample"


def load_sample(**tokenize_options: Any) -> Tokens:
    """Read, clean and tokenize the sample corpus (the default input of every notebook).

    Parameters
    ----------
    **tokenize_options
        Keyword arguments of :func:`discourse.tokenize`.

    Returns
    -------
    Tokens
    """
    return tokenize(clean(read_corpus(sample_corpus_path())), **tokenize_options)


def speeches_path() -> Path:
    """Path of the bundled US presidential speeches, gzip-compressed JSON lines (see its README)."""
    return _HERE / "speeches" / f"{_SPEECHES}.gz"


def load_speeches() -> Corpus:
    """The 124 US presidential speeches, a public-domain corpus of about 550,000 words.

    59 inaugural addresses (1789-2021) and 65 State of the Union addresses
    (1945-2006); see ``discourse/datasets/speeches/README.md`` for the source and
    the licence. The file is decompressed to a temporary file and read by
    :func:`discourse.read_corpus` as JSONL, so ``corpus.report`` is the reader's
    own; its sources (and ``corpus.params["path"]``) name the shipped ``.jsonl.gz``.

    Returns
    -------
    Corpus
        Raw (not cleaned) texts indexed by id (e.g. ``inaugural-1789-Washington``),
        with metadata columns ``collection`` (``inaugural`` or ``state_union``),
        ``year`` (int), ``president`` and ``party``. There is no ``date`` column:
        the file gives the year only. Group by ``party``, ``president`` or
        ``collection`` where news corpora group by outlet.
    """
    source = speeches_path()
    with tempfile.TemporaryDirectory(prefix="discourse-speeches-") as tmp:
        jsonl = Path(tmp) / _SPEECHES
        with gzip.open(source, "rb") as fin, jsonl.open("wb") as fout:
            shutil.copyfileobj(fin, fout)
        corpus = read_corpus(jsonl)
    # The temporary file is gone: the report and the parameters name the shipped file instead.
    report = ReadReport([{**row, "source": str(source)} for row in corpus.report.frame.to_dict("records")])
    return replace(corpus, report=report, params={**corpus.params, "path": str(source)})
