"""The corpora shipped with the package: the two-article sample.

It is package data (installed with the wheel, see ``[tool.setuptools.package-data]``), read
with the package's own readers. The repository's top-level ``corpus/`` is a relative symbolic
link to its folder, ``discourse/datasets/sample/``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ..cleaning import clean
from ..readers import read_corpus
from ..tokens import Tokens, tokenize

__all__ = ["sample_corpus_path", "load_sample"]

# Wheels install package data as plain files, so this is a real folder (read_corpus needs one).
_HERE = Path(__file__).resolve().parent


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
