"""The concordance browser: lines sortable by their context words, filtered, each opening its document.

A table of concordance lines (Luhn 1960; the sort by positions of AntConc and
WordSmith: columns ``L3``…``L1`` and ``R1``…``R3`` hold the words next to the
node, click a header to sort, shift-click to add a key), filtered by a
metadata value and by a word that co-occurs in the line's context; clicking a
line opens its document with the hit highlighted. Bounded: at most ``limit``
lines (a seeded random sample of all hits when there are more), and the
documents' text up to ``text_chars`` characters in all (whole documents, the
documents with most lines first; the others show a passage of ``passage``
characters each side of the hit). The caps are on the page and in
``attrs["caps"]``.

References
----------
Luhn, H. P. (1960). Key word-in-context index for technical literature (KWIC index).
    American Documentation 11(4), 288-295.
"""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from ..kwic import kwic
from ..plots.base import require_result
from ..validation import check_count, require_column
from .kwic_page import kwic_layout
from .lines import LINE_META, context_words, document_texts, line_data
from .page import Explorer

__all__ = ["explore_kwic", "document_passages"]


def explore_kwic(source: Any, query: Any = None, *, tokens: Any = None, by: str = "outlet", window: int = 5,
                 where: dict | str | None = None, near: Any = None, regex: bool = False, limit: int = 2000,
                 seed: int = 0, text_chars: int = 1_000_000, passage: int = 400) -> Explorer:
    """An interactive concordance browser (a standalone offline page).

    Parameters
    ----------
    source : Tokens, a store, or a concordance DataFrame
        The corpus (then ``query`` is required: the lines are ``dc.kwic(source, query, window,
        show=[by, title, date], where=where, near=near, regex=regex, sample=limit, seed=seed)``), or the
        result of :func:`~discourse.kwic.kwic` with ``tokens=`` the corpus it came from (for the documents).
    query, where, near, regex, window
        As :func:`discourse.kwic.kwic`.
    tokens : Tokens or a store, optional
        The corpus of a concordance DataFrame ``source``.
    by : str
        The metadata column of the filter list and of the ``by`` column (default ``"outlet"``).
    limit : int
        Lines embedded (default 2,000): all of them when there are no more, else a random sample
        (seeded by ``seed``), in corpus order.
    text_chars : int
        Characters of document text embedded in all (default 1,000,000): whole documents, those holding
        most lines first; a line of any other document opens a passage of ``passage`` characters
        (default 400) each side of its hit.

    Returns
    -------
    Explorer
        ``attrs`` holds the parameters, the hits and lines counted and the ``caps``.
    """
    for name, value, low in (("limit", limit, 1), ("seed", seed, 0), ("text_chars", text_chars, 0),
                             ("passage", passage, 0)):
        check_count(name, value, minimum=low)
    if isinstance(source, pd.DataFrame):
        require_result(source, "dc.kwic", analysis="kwic", columns={"doc_id", "left", "node", "right", "start", "end"})
        if tokens is None:
            raise ValueError("explore_kwic of a concordance table needs tokens= (the corpus it came from) to "
                             "open the documents")
        lines = _capped(source, limit, seed)
        hits = int(source.attrs.get("hits", len(source)))
        query = source.attrs.get("query", query)
    else:
        if query is None:
            raise ValueError("explore_kwic of a corpus needs a query (a word, phrase, wildcard or list)")
        tokens = source
        require_column(tokens.metadata, by)
        show = [by] + [c for c in LINE_META if c in tokens.metadata.columns and c != by]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # an absent query gives a page that says "0 lines"
            lines = kwic(tokens, query, window, show=show, where=where, near=near, regex=regex, sample=limit,
                         seed=seed)
        hits = int(lines.attrs["hits"])
    require_column(tokens.metadata, by)
    meta = tokens.metadata
    doc_index = pd.Series(np.arange(len(meta)), index=meta.index)
    docs = doc_index.loc[lines["doc_id"]].to_numpy() if len(lines) else np.zeros(0, np.int64)
    extra = {c: meta[c].to_numpy(dtype=object)[docs] for c in [by, *LINE_META] if c in meta.columns
             and c not in lines.columns}
    lines = lines.assign(**extra) if extra else lines
    texts, text_row, offsets = document_passages(tokens, docs, lines["start"].to_numpy(), lines["end"].to_numpy(),
                                                 text_chars=text_chars, passage=passage)
    data = line_data(lines, ["doc_id", by, *LINE_META, "left", "node", "right"])
    data.update(context_words(data["left"], data["right"], 3))
    data.update(text=text_row, start=lines["start"].to_numpy(np.int64) - offsets[text_row] if len(lines) else [],
                end=lines["end"].to_numpy(np.int64) - offsets[text_row] if len(lines) else [])
    caps = {"lines": f"{len(lines):,} of {hits:,} lines" + (f", a random sample (seed {seed}) in corpus order"
                                                              if len(lines) < hits else "") + f" (at most {limit:,})",
            "documents": f"whole texts up to {text_chars:,} characters in all, the documents with most lines "
                         f"first; the others open {passage} characters each side of the hit"}
    attrs = {"analysis": "explore_kwic", "query": str(query), "by": by, "window": window, "where": str(where),
             "near": None if near is None else str(near), "limit": limit, "seed": seed, "hits": hits,
             "lines": len(lines), "text_chars": text_chars, "passage": passage, "caps": caps}
    layout = kwic_layout(data, texts, by=by)
    return Explorer(layout, attrs, title=f"Concordance of {query}", height=1250)


def _capped(frame: pd.DataFrame, limit: int, seed: int) -> pd.DataFrame:
    """``frame``, or ``limit`` of its rows drawn as :func:`discourse.kwic.kwic` draws a sample (same seed)."""
    if len(frame) <= limit:
        return frame
    pick = np.sort(np.random.default_rng(seed).choice(len(frame), size=limit, replace=False))
    return frame.iloc[pick]


def document_passages(tokens: Any, docs: np.ndarray, start: np.ndarray, end: np.ndarray, *, text_chars: int,
                      passage: int) -> tuple[dict, np.ndarray, np.ndarray]:
    """The texts a page embeds for its lines: whole documents within ``text_chars``, else passages.

    Returns ``(texts, row, offsets)``: ``texts`` a dict of columns (``text``, ``offset`` of its first
    character in the document, ``whole``), ``row`` the texts' row of each line, ``offsets`` by row.
    """
    if not len(docs):
        return {"text": [], "offset": [], "whole": []}, np.zeros(0, np.int64), np.zeros(0, np.int64)
    ids, counts = np.unique(docs, return_counts=True)
    full = document_texts(tokens, ids.tolist())
    whole, used = set(), 0
    for d in ids[np.argsort(-counts, kind="stable")].tolist():  # documents with most lines first
        if used + len(full[d]) <= text_chars:
            whole.add(d)
            used += len(full[d])
    texts: dict[str, list] = {"text": [], "offset": [], "whole": []}
    row_of: dict[Any, int] = {}
    rows = np.zeros(len(docs), np.int64)
    for i, (d, s, e) in enumerate(zip(docs.tolist(), start.tolist(), end.tolist())):
        key = d if d in whole else (d, s)
        if key not in row_of:
            lo = 0 if d in whole else max(0, s - passage)
            hi = len(full[d]) if d in whole else min(len(full[d]), e + passage)
            row_of[key] = len(texts["text"])
            texts["text"].append(full[d][lo:hi])
            texts["offset"].append(lo)
            texts["whole"].append(d in whole)
        rows[i] = row_of[key]
    return texts, rows, np.asarray(texts["offset"], np.int64)
