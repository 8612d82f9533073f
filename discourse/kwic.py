"""Concordances (key word in context, Luhn 1960) from the token stream and the cleaned texts.

Hits come from the cached :class:`~discourse.query.ConcordanceIndex` (built once
per Tokens), context strings are sliced from the cleaned text with the token
offsets, so the lines show the original case and punctuation. Article text is
untrusted: the HTML rendering escapes every piece of it.

On a corpus in partitions (a store, :class:`~discourse.partitions.SplitTokens`)
the hits and their lines are made by the partitions that can hold a hit
(:mod:`discourse.kwic_lines`, :func:`discourse.query.query_partitions`), the
others are not read; the lines are then filtered, sampled and ordered on all of
them as on the whole corpus, so the concordance is the same.

References
----------
Luhn, H. P. (1960). Key word-in-context index for technical literature (KWIC index).
    American Documentation 11(4), 288-295.
"""
from __future__ import annotations

import re
from typing import Any, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa

from .display import AnnotatedFrame
from .grouping import group_labels
from .kwic_lines import join_lines, part_hits, part_lines
from .memory import make_room
from .kwic_text import take_strings
from .partitions import map_partitions, partition_bounds
from .query import (Hits, Query, concordance_index, describe_query, find, join_hits, query_partitions, resolve_query,
                    split_hits)
from .render import kwic_html
from .validation import (absent_query, check_count, check_grouping, check_selection, check_tokens, require_column,
                         warn_empty)

__all__ = ["Concordance", "kwic", "query_positions", "sort_keys"]

_SORT_KEY = re.compile(r"^(?:([LR])([1-9]\d*)|node)$")


class Concordance(AnnotatedFrame):
    """KWIC lines as a DataFrame; shown in Jupyter as a concordance with the node highlighted."""

    def to_kwic_html(self, max_rows: int = 200) -> str:
        """HTML: summary, note and parameters, then a table of metadata, left context
        (right-aligned), node (``<mark>``) and right context.

        Every value is escaped by the template (:func:`discourse.render.kwic_html`;
        article text is untrusted).
        """
        return kwic_html(self, max_rows)

    def _repr_html_(self) -> str:
        if not {"left", "node", "right"} <= set(self.columns):
            return super()._repr_html_()
        return self.to_kwic_html()


def _doc_mask(tokens: Any, where: Any, function: str) -> np.ndarray:
    """The documents ``where`` selects (all without it); an EmptyResultWarning when it selects none."""
    meta = tokens.metadata
    if where is None:
        return np.ones(tokens.n_docs, bool)
    if isinstance(where, str):
        mask = meta.index.isin(meta.query(where).index)
    elif isinstance(where, dict):
        mask = np.ones(len(meta), bool)
        for col, val in where.items():
            require_column(meta, col)
            vals = list(val) if isinstance(val, (list, tuple, set)) else [val]
            mask &= meta[col].isin(vals).to_numpy()
    else:
        raise TypeError("where must be None, a dict {column: value(s)} or a pandas query string")
    check_selection(function, where, mask)
    return mask


def sort_keys(sort: str | Sequence[str] | None, left: int | None = None,
              right: int | None = None) -> list[tuple[str, int]]:
    """Parse concordance sort keys: ``"node"``, ``"L1"`` … ``"L<left>"``, ``"R1"`` … ``"R<right>"``.

    The one rule for sort keys (the command line's ``--sort`` uses it too): a
    position outside the context window (``R9`` with ``right=5``) would sort on
    nothing, so it is an error, as is any other key. ``left``/``right`` ``None``:
    no bound. Returns ``[(side, position), ...]`` with ``("node", 0)`` for the node.
    """
    if sort is None:
        return []
    keys = [sort] if isinstance(sort, str) else list(sort)
    bounds = {"L": left, "R": right}
    allowed = ", ".join(["'node'"] + [_positions(side, n) for side, n in bounds.items() if n != 0])
    out = []
    for k in keys:
        m = _SORT_KEY.match(str(k))
        if not m or (m.group(1) and bounds[m.group(1)] is not None and int(m.group(2)) > bounds[m.group(1)]):
            within = f" (the window is L{left}-R{right})" if left is not None and right is not None else ""
            raise ValueError(f"sort keys are {allowed}{within}; not {k!r}")
        out.append(("node", 0) if k == "node" else (m.group(1), int(m.group(2))))
    return out


def _positions(side: str, n: int | None) -> str:
    if n is None:
        return f"'{side}1', '{side}2', ..."
    return f"'{side}1'" if n == 1 else f"'{side}1'…'{side}{n}'"


def _alpha_rank(tokens: Any) -> np.ndarray:
    index = concordance_index(tokens)
    rank = getattr(index, "alpha_rank", None)
    if rank is None:  # alphabetical rank of every term, computed once per index
        rank = np.empty(len(tokens.vocab), np.int64)
        rank[np.argsort(tokens.vocab.to_numpy().astype(str), kind="stable")] = np.arange(len(tokens.vocab))
        index.alpha_rank = rank
    return rank


def kwic(
    tokens: Any,
    query: Query,
    window: int | tuple[int, int] = 5,
    *,
    by: str | None = None,
    show: str | Sequence[str] | None = None,
    sort: str | Sequence[str] | None = None,
    where: dict | str | None = None,
    sample: int | None = None,
    seed: int = 0,
    sentence: bool = False,
    regex: bool = False,
    near: Query | None = None,
    near_window: int | tuple[int, int] = 5,
) -> pd.DataFrame:
    """Key-word-in-context concordance of a word, phrase, wildcard, regex or term group.

    Parameters
    ----------
    tokens : Tokens or a corpus in partitions (a store)
        On partitions, only those that can hold a hit are read; the lines equal the whole corpus' lines.
    query : str, compiled regex or list of them
        See :mod:`discourse.query` (e.g. ``"Russia's"``, ``"military aggression"``,
        ``"russia*"``, ``["Russia", "Moscow", "Kremlin"]``).
    window : int or (int, int)
        Context in counted tokens on each side, or ``(left, right)`` (default 5).
        Punctuation between the tokens is shown as in the text.
    by : str, optional
        Group the lines by this metadata column (e.g. ``"outlet"``) or period of
        ``date`` (``"month"``…), as every ``by=`` of the package: its value is the
        ``group`` column, as in every other result (``attrs["by"]`` names it).
    show : str or list of str, optional
        Metadata columns shown next to each line under their own names (e.g.
        ``["date", "title"]``); they do not order the lines.
    sort : str or list of str, optional
        Sort by the terms at context positions, e.g. ``"R1"``, ``["L1", "L2"]``,
        ``"node"`` (as AntConc and WordSmith); ties keep corpus order. Without
        ``sort`` lines are in corpus order. Grouping by ``by`` comes first.
    where : dict or str, optional
        Document filter on metadata: ``{"outlet": "RT"}`` (value or list of values)
        or a :meth:`pandas.DataFrame.query` string.
    sample : int, optional
        A random sample of this many lines (drawn with ``numpy.random.default_rng(seed)``
        before sorting; recorded in attrs).
    seed : int
        Seed of the sample (default 0).
    sentence : bool
        Cut the context at sentence boundaries (it always stops at the document's).
    regex : bool
        Treat a string query as regular expressions (``query`` and ``near``).
    near : query, optional
        Keep only lines where this query (e.g. a collocate) occurs within ``near_window``
        tokens of the node, ``(left, right)`` or one number for both (default 5): the
        evidence behind a collocate, as clicking a collocate in AntConc or #LancsBox.
        Sentence-bounded when ``sentence`` is.

    Returns
    -------
    Concordance (a DataFrame)
        One row per hit: ``doc_id``, ``group`` (with ``by``), the ``show`` columns,
        ``left``, ``node``, ``right`` (text; ``node`` as written, e.g. "U.S." or "US"),
        ``term`` (the node's term(s) as counted, e.g. ``US`` for both: group case and
        spelling variants by it), ``position`` (token index of the node in
        its document), ``start``, ``end`` (character offsets of the node in the
        cleaned text). ``attrs`` holds the parameters, the number of hits before
        sampling (``hits``), the lines shown (``lines``) and whether a sample was
        drawn (``sampled``: only when ``sample`` is smaller than the hits).
    """
    left, right = (window, window) if np.isscalar(window) else tuple(window)
    for name, v in (("left", left), ("right", right)):
        check_count(f"window ({name})", v)
    if by is not None and not isinstance(by, str):
        raise TypeError("by takes one grouping column (its value is the 'group' column, as in every result); "
                        "pass other metadata columns to show=")
    show_cols = [] if show is None else ([show] if isinstance(show, str) else list(show))
    for col in show_cols:
        require_column(tokens.metadata, col)
    groups = _group_values(tokens, by, "kwic")
    keys = sort_keys(sort, left, right)
    resolved = resolve_query(tokens, query, regex)
    docs_ok = None if where is None else _doc_mask(tokens, where, "kwic")  # None: every document
    near_q = None if near is None else resolve_query(tokens, near, regex)
    if sample is not None:
        check_count("sample", sample)
    lines, n_hits, sampled = _lines(tokens, (resolved, near_q, near_window, sentence, docs_ok), left, right,
                                    sentence, keys, sample, seed)
    order = _line_order(tokens, keys, groups, lines)
    if order is not None and (len(order) == 0 or (order[0] == 0 and bool((np.diff(order) == 1).all()))):
        order = None  # lines in corpus order: their arrays become the columns, uncopied

    def ordered(name: str) -> Any:  # each unordered array goes as soon as its ordered one is made
        values = lines.pop(name)
        return values if order is None else values[order]

    doc = ordered("doc")
    make_room(48 * len(doc))  # the columns to come: maps' pages read by the lines are released first
    meta = _meta_arrays(tokens, show_cols + ([by] if groups is not None and by in tokens.metadata else []))
    cols = {"doc_id": _taken(meta["doc_id"], doc)}
    if groups is not None:
        cols["group"] = _taken(meta[by], doc) if by in meta else groups[doc]
    for col in show_cols:
        cols[col] = _taken(meta[col], doc)
    # at the peak of a large query every line's integer array counts (5.9M lines: 47 MB each): the positions
    # are made in the array of the starts, and the document and term ids go once used
    position = ordered("start")
    position -= tokens.doc_ptr[doc]
    del doc
    for name in ("left", "node", "right"):
        cols[name] = take_strings(lines.pop(name), order)
    term = ordered("term")
    cols["term"] = term if term.dtype == object else _taken((None, _vocab_strings(tokens)), term)
    del term
    cols["position"] = position
    for name, col in (("n0", "start"), ("n1", "end")):  # int32 until now (kwic_lines.join_lines)
        cols[col] = ordered(name).astype(np.int64)
    out = Concordance(cols, copy=False)  # a dict is copied by default: the lines would be held twice
    out.attrs = {"analysis": "kwic", "query": resolved.query, "query_terms": resolved.terms, "left": left,
                 "right": right, "by": by, "show": show_cols, "sort": sort,
                 "where": where if not isinstance(where, dict) else dict(where),
                 "sample": sample, "seed": seed, "sentence": sentence, "hits": n_hits, "lines": len(out),
                 "sampled": sampled,
                 "near": None if near is None else describe_query(near, regex),
                 "near_window": None if near is None else near_window,
                 "note": (f"Concordance of {resolved.query}: {len(out):,} of {n_hits:,} lines, context "
                          f"L{left}-R{right}{', sentence-bounded' if sentence else ''}"
                          + (f", random sample (seed {seed})" if sampled else "")),
                 "tokenizer": dict(tokens.params)}
    return out


def _meta_arrays(tokens: Any, columns: Sequence[str] = ()) -> dict:
    """Document ids and metadata columns as ``(numpy object array, Arrow array or None)``, cached on the
    index (Arrow-backed string columns take milliseconds to convert, on every query otherwise); the Arrow
    array of a ``str`` column, whose lines are taken from it (:func:`_taken`), no Python string a line. A
    column that was replaced (``metadata[col] = ...``, a new metadata table) is read again."""
    index = concordance_index(tokens)
    cache = index.__dict__.setdefault("meta_arrays", {})
    meta = tokens.metadata
    for name, values in [("doc_id", meta.index), *((c, meta[c]) for c in columns)]:
        old = cache.get(name)
        if old is None or old[0] is not values.array:
            arrow = None
            if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
                arrow = pa.array(values.array)  # one chunk: a take over chunks is slower
                arrow = arrow.combine_chunks() if isinstance(arrow, pa.ChunkedArray) else arrow
            cache[name] = (values.array, values.to_numpy(dtype=object), arrow)
    return {k: v[1:] for k, v in cache.items()}


def _taken(values: tuple, rows: np.ndarray) -> Any:
    """The values at ``rows`` of ``(object array, Arrow array or None)``: an Arrow-backed ``str`` column taken
    by Arrow, else the objects (a DataFrame infers their type, as it always did)."""
    objects, arrow = values
    if arrow is None:
        return objects[rows]
    return pa.chunked_array([arrow.take(pa.array(rows, pa.int64()))], arrow.type).to_pandas().array


def _vocab_strings(tokens: Any) -> pa.Array:
    """The vocabulary as an Arrow string array, computed once per index (the ``term`` of one-token lines)."""
    index = concordance_index(tokens)
    if getattr(index, "vocab_strings", None) is None:
        index.vocab_strings = pa.array(tokens.vocab.to_numpy(dtype=object), pa.large_string())
    return index.vocab_strings


def _find(tokens: Any, query: Query, regex: bool, function: str):
    """:func:`find`, with an :class:`~discourse.validation.EmptyResultWarning` when the query does not occur."""
    hits = find(tokens, query, regex=regex)
    if not len(hits):
        warn_empty(absent_query(function, "query", hits.query, tokens.n_tokens))
    return hits


def _group_values(tokens: Any, by: str | None, function: str) -> np.ndarray | None:
    """The ``by`` value of every document (object array; a metadata column cached), or None without ``by``.

    Also the checks of the corpus (not empty) and of the grouping (some document has a value).
    """
    check_tokens(function, tokens)
    if by is None:
        return None
    labels = group_labels(tokens.metadata, by)  # a period of date, or the column error
    check_grouping(function, labels, by, tokens.metadata.columns)
    if by in tokens.metadata.columns:
        return _meta_arrays(tokens, [by])[by][0]
    return labels.to_numpy(dtype=object)


def _lines(tokens: Any, find_args: tuple, left: int, right: int, sentence: bool, keys: list, sample: int | None,
           seed: int) -> tuple[dict, int, bool]:
    """The line data of the hits (:mod:`discourse.kwic_lines`, mapped over the partitions that can hold
    one), the number of hits and whether a sample was drawn; the empty-result warning when none was found.

    Without ``sample`` one map finds the hits and makes their lines; with it, a first map finds the hits,
    the sample is drawn from all of them (as on the whole corpus), and a second makes the lines drawn.
    """
    resolved = find_args[0]
    ks = query_partitions(tokens, resolved)
    if sample is None:
        lines = join_lines(tokens.doc_ptr, map_partitions(tokens, part_lines, left, right, sentence, keys, None,
                                                          find_args, partitions=ks), len(keys), tokens.vocab)
        found, n_hits, sampled = lines["found"], len(lines["start"]), False
    else:
        parts = map_partitions(tokens, part_hits, *find_args, partitions=ks)
        found = sum(n for _, n, _ in parts)
        hits = join_hits(tokens.doc_ptr, [(first, h) for first, _, h in parts], resolved)
        n_hits = len(hits)
        sampled = sample < n_hits
        if sampled:
            pick = np.sort(np.random.default_rng(seed).choice(n_hits, size=sample, replace=False))
            hits = Hits(hits.start[pick], hits.length[pick], hits.doc[pick], hits.query, hits.terms)
        ks = np.unique(np.searchsorted(partition_bounds(tokens), hits.doc, side="right") - 1)
        lines = join_lines(tokens.doc_ptr, map_partitions(tokens, part_lines, left, right, sentence, keys,
                                                          split_hits(tokens, hits), partitions=ks),
                           len(keys), tokens.vocab)
    if not found:
        warn_empty(absent_query("kwic", "query", resolved.query, tokens.n_tokens))
    return lines, n_hits, sampled


def _line_order(tokens: Any, keys, groups, lines: dict) -> np.ndarray | None:
    """Line order: by group, then the sort keys, then corpus position (None without keys and groups: the
    lines are joined in corpus order)."""
    if not keys and groups is None:
        return None
    sort_cols: list[np.ndarray] = []
    if keys:
        rank = _alpha_rank(tokens)
        sort_cols = [np.where(ids >= 0, rank[np.maximum(ids, 0)], -1) for ids in lines["keys"]]
    group_cols = [] if groups is None else [pd.factorize(groups[lines["doc"]], sort=True)[0]]
    lex = [lines["start"]] + sort_cols[::-1] + group_cols[::-1]  # np.lexsort: last key is primary
    return np.lexsort(lex) if len(lex) > 1 else np.argsort(lines["start"], kind="stable")


def query_positions(tokens: Any, query: Query, *, by: str | None = "outlet", where: dict | str | None = None,
                    regex: bool = False) -> pd.DataFrame:
    """Where a query occurs in each document: the data of a dispersion (barcode) plot.

    ``tokens`` is a :class:`Tokens` or a corpus in partitions (only those that can hold a hit are read).

    Returns
    -------
    DataFrame
        One row per hit: ``doc_id``, ``group`` (value of ``by``; "all" without it),
        ``position`` (token index in the document), ``doc_tokens`` (document length)
        and ``relative_position`` (``position / doc_tokens``, 0 = start, 1 = end).
        ``attrs["documents"]`` lists every selected document as ``[doc_id, group,
        tokens]``, so documents without a hit can be shown too.
    """
    groups = _group_values(tokens, by, "query_positions")
    if groups is None:
        groups = np.full(tokens.n_docs, "all", dtype=object)
    hits = _find(tokens, query, regex, "query_positions")
    docs_ok = _doc_mask(tokens, where, "query_positions")
    keep = docs_ok[hits.doc]
    start, doc = hits.start[keep], hits.doc[keep]
    lengths = tokens.doc_lengths
    pos = start - tokens.doc_ptr[doc]
    out = pd.DataFrame({"doc_id": tokens.metadata.index.to_numpy()[doc], "group": groups[doc], "position": pos,
                        "doc_tokens": lengths[doc], "relative_position": pos / np.maximum(lengths[doc], 1)})
    sel = np.flatnonzero(docs_ok)
    out.attrs = {"analysis": "query_positions", "query": hits.query, "by": by, "where": where,
                 "hits": len(out), "documents": [[str(tokens.metadata.index[d]), groups[d], int(lengths[d])]
                                                  for d in sel.tolist()]}
    return out
