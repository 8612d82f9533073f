"""What the explorers embed of the texts: seeded samples of concordance lines, document texts, context words.

The lines are those of :func:`discourse.kwic.kwic` with ``sample=`` and ``seed=``
(the same lines a user gets from ``dc.kwic`` with the same arguments), so a
page's evidence can be reproduced in the notebook.
"""
from __future__ import annotations

import re
from typing import Any, Sequence

import numpy as np
import pandas as pd

from ..kwic import kwic
from ..partitions import map_partitions, partition_bounds

__all__ = ["LINE_META", "sample_lines", "line_data", "document_texts", "context_words"]

#: Metadata shown with each line when the corpus has them (the document's title and date).
LINE_META = ("title", "date")
_WORD = re.compile(r"\w[\w'’.-]*\w|\w")


def sample_lines(tokens: Any, query: Any, *, lines: int, seed: int = 0, where: dict | str | None = None,
                 window: int = 5, by: str | None = None) -> pd.DataFrame:
    """At most ``lines`` concordance lines of ``query``, a seeded random sample of all its hits in ``where``.

    The lines of ``dc.kwic(tokens, query, window, where=where, sample=lines, seed=seed)``, in corpus order,
    with the metadata columns ``title`` and ``date`` (those the corpus has) and, with ``by``, that column
    as ``group``; no warning when the query does not occur.
    """
    import warnings

    show = ([by] if by is not None else []) + [c for c in LINE_META if c in tokens.metadata.columns and c != by]
    with warnings.catch_warnings():  # a term absent from one side is a fact the page shows, not a warning
        warnings.simplefilter("ignore")
        out = kwic(tokens, query, window, show=show, where=where, sample=lines, seed=seed)
    if by is not None:
        out.columns = ["group" if c == by else c for c in out.columns]  # in place: a rename copies the attrs
    return out


def line_data(frame: pd.DataFrame, columns: Sequence[str] = ("left", "node", "right")) -> dict[str, list]:
    """The columns of concordance lines as lists of ``str`` for a ColumnDataSource (missing values as "")."""
    frame = frame.copy(deep=False)
    frame.attrs = {}  # pandas deep-copies a frame's attrs on every column taken: a kwic table's are large
    out = {}
    for col in columns:
        if col not in frame.columns:
            out[col] = [""] * len(frame)
            continue
        out[col] = ["" if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)) else str(v)
                    for v in frame[col].to_numpy(dtype=object)]
    return out


def _texts_of(part: Any, first: int, docs: np.ndarray) -> dict[int, str]:
    mine = docs[(docs >= first) & (docs < first + part.n_docs)]
    return {int(d): part.texts[int(d) - first] for d in mine.tolist()}


def document_texts(tokens: Any, docs: Sequence[int]) -> dict[int, str]:
    """The cleaned text of each document index in ``docs`` (the text the lines' offsets refer to).

    On a corpus in partitions (a store) only the partitions holding them are read.
    """
    docs = np.unique(np.asarray(list(docs), dtype=np.int64))
    if not len(docs):
        return {}
    ks = np.unique(np.searchsorted(partition_bounds(tokens), docs, side="right") - 1)
    out: dict[int, str] = {}
    for part in map_partitions(tokens, _texts_of, docs, partitions=ks.tolist()):
        out.update(part)
    return out


def context_words(left: Sequence[str], right: Sequence[str], n: int = 3) -> dict[str, list[str]]:
    """The first ``n`` words left (``L1`` next to the node) and right (``R1``…) of each line, lowercased,
    for sorting a concordance by position ("" where the context is shorter)."""
    out: dict[str, list[str]] = {f"L{i}": [] for i in range(1, n + 1)}
    out.update({f"R{i}": [] for i in range(1, n + 1)})
    for lt, rt in zip(left, right):
        lw, rw = _WORD.findall(str(lt).lower())[::-1], _WORD.findall(str(rt).lower())
        for i in range(n):
            out[f"L{i + 1}"].append(lw[i] if i < len(lw) else "")
            out[f"R{i + 1}"].append(rw[i] if i < len(rw) else "")
    return out
