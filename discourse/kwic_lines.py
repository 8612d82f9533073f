"""The map step of a concordance: one partition's hits and the data of their lines.

:func:`discourse.kwic.kwic` runs these on every partition that can hold a hit
(:func:`discourse.query.query_partitions`) and joins the results in corpus order
(:func:`join_lines`); the order of the lines (groups, sort keys) and the sample
are decided on the joined hits, so a corpus in partitions gives the lines of the
whole corpus. Everything a partition returns is proportional to its lines:
positions, the term ids at the sort positions, and the text of the lines
(cut from the cleaned text at the token offsets, so the lines show the
original case and punctuation: from a store, byte ranges of its memory-mapped
texts; :mod:`discourse.kwic_text`).
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .kwic_bytes import ByteLines, line_texts
from .kwic_text import char_strings, fold_strings, join_strings, line_parts, sides
from .query import Hits, ResolvedQuery, match
from .tokens import Tokens

__all__ = ["context_bounds", "near_mask", "node_terms", "part_hits", "part_lines", "line_strings", "join_lines"]


def context_bounds(tokens: Tokens, start: np.ndarray, end: np.ndarray, doc: np.ndarray, left: int, right: int,
                   sentence: bool) -> tuple[np.ndarray, np.ndarray]:
    """First and last token position of each hit's context, within its document (and sentence)."""
    lo, hi = tokens.doc_ptr[doc], tokens.doc_ptr[doc + 1]
    if sentence:
        sent = tokens.sent
        lo = np.maximum(lo, np.searchsorted(sent, sent[start], side="left"))
        hi = np.minimum(hi, np.searchsorted(sent, sent[end - 1], side="right"))
    return np.maximum(start - left, lo), np.minimum(end - 1 + right, hi - 1)


def near_mask(tokens: Tokens, hits: Hits, other: Hits, window: int | tuple[int, int], sentence: bool) -> np.ndarray:
    """Whether a hit of ``other`` starts within the window around each hit (same document/sentence)."""
    left, right = (window, window) if np.isscalar(window) else tuple(window)
    lo, hi = context_bounds(tokens, hits.start, hits.end, hits.doc, left, right, sentence)
    pos = other.start  # sorted
    # count of other-hits in [lo, hi] minus those inside the node itself
    total = np.searchsorted(pos, hi, side="right") - np.searchsorted(pos, lo, side="left")
    inside = np.searchsorted(pos, hits.end - 1, side="right") - np.searchsorted(pos, hits.start, side="left")
    return (total - inside) > 0


def node_terms(tokens: Tokens, start: np.ndarray, end: np.ndarray, terms: Sequence[str] = ()) -> np.ndarray:
    """The counted term of each hit (a phrase's terms joined by spaces), beside its surface: their term ids
    (int32) when every hit is one token, else their strings. ``terms``: the query's terms (one term: the
    ids are known without reading the token stream)."""
    if len(start) == 0 or (end - start == 1).all():
        if len(terms) == 1 and terms[0] in tokens.vocab:
            return np.full(len(start), tokens.vocab.get_loc(terms[0]), np.int32)
        return np.asarray(tokens.ids[start], np.int32)
    vocab = tokens.vocab.to_numpy(dtype=object)
    ids = tokens.ids
    return np.array([" ".join(vocab[ids[a:b]]) for a, b in zip(start.tolist(), end.tolist())], dtype=object)


def part_hits(part: Tokens, first: int, resolved: ResolvedQuery, near: ResolvedQuery | None,
              near_window: int | tuple[int, int], sentence: bool, docs_ok: np.ndarray | None) -> tuple[int, int, Hits]:
    """``(first, hits of the query in the partition, those kept)``: in the documents ``docs_ok`` selects
    (a mask of all the corpus' documents; None: all) and, with ``near``, with a hit of it in the window.

    A window never leaves its document, so ``near`` is decided within the partition.
    """
    hits = match(part, resolved)
    keep = None if docs_ok is None else docs_ok[first:first + part.n_docs][hits.doc]
    if near is not None:
        close = near_mask(part, hits, match(part, near), near_window, sentence)
        keep = close if keep is None else keep & close
    if keep is None:  # every hit (no filter: nothing copied)
        return first, len(hits), hits
    kept = Hits(hits.start[keep], hits.length[keep], hits.doc[keep], hits.query, hits.terms)
    return first, len(hits), kept


def part_lines(part: Tokens, first: int, left: int, right: int, sentence: bool, keys: Sequence[tuple[str, int]],
               picks: dict[int, Hits] | None, find_args: tuple | None = None) -> dict[str, Any]:
    """The line data of a partition's hits: ``picks[first]`` (hits chosen on the whole corpus, in the
    partition's positions: :func:`discourse.query.split_hits`) or, without ``picks``, the hits
    :func:`part_hits` finds with ``find_args``.

    Returns positions of the partition (``start``, ``doc``; int32, as every integer here),
    ``keys`` (the term id at each sort position, -1 outside the context), ``term`` (:func:`node_terms`), the
    texts ``left``, ``node``, ``right`` (:func:`line_strings`), the node's character offsets ``n0``/``n1``, and
    ``found`` (hits before filters).
    """
    if picks is None:
        _, found, hits = part_hits(part, first, *find_args)
    else:  # an empty partition shares its ``first`` with the next one
        found, hits = 0, picks[first] if part.n_docs else Hits(*(np.zeros(0, np.int64),) * 3, "", [])
    start, end, doc = hits.start, hits.end, hits.doc
    lo, hi = context_bounds(part, start, end, doc, left, right, sentence)
    ids = part.ids
    key_ids = []
    for side, k in keys:
        if side == "node":
            key_ids.append(ids[start].astype(np.int64))
            continue
        p = start - k if side == "L" else end - 1 + k
        inside = (p >= lo) if side == "L" else (p <= hi)
        key_ids.append(np.where(inside, ids[np.clip(p, 0, max(len(ids) - 1, 0))], -1).astype(np.int64))
    s, e = part.starts, part.ends
    # the context starts at token lo <= start and ends with token hi >= end - 1 (empty sides: lo == start, ...)
    n0, n1 = s[start], e[end - 1]
    small = (lambda a: np.asarray(a, np.int32))  # held for every line until all partitions are joined: 4 bytes
    return {"first": first, "found": found, "start": small(start), "doc": small(doc),
            "keys": [small(k) for k in key_ids], "term": node_terms(part, start, end, hits.terms),
            "lines": line_strings(part, doc, (lo, start, end, hi), (n0, n1)),
            "n0": small(n0), "n1": small(n1)}


def line_strings(part: Tokens, doc: np.ndarray, tokens: tuple, node: tuple) -> ByteLines | list:
    """The lines' contexts (folded) and nodes: a store's partition gives them as byte ranges of its
    memory-mapped texts (:class:`~discourse.kwic_bytes.ByteLines`, at the stored byte offsets; their strings
    are made with other partitions' by :func:`join_lines`), other texts as ``[left, node, right]``, Arrow
    arrays or lists of ``str`` cut at the character offsets (:mod:`discourse.kwic_text`). ``tokens`` are
    ``(lo, start, end, hi)`` (the context's first token, the node's, one past the node's last, the
    context's last), ``node`` the node's character offsets."""
    lo, start, end, hi = tokens
    if part._utf8 is not None:
        bs, be, data, text_ptr, again = part._utf8
        cuts = np.empty((len(doc), 4), np.int32 if len(data) < 2**31 else np.int64)
        for j, (offsets, at) in enumerate(((bs, lo), (bs, start), (be, end - 1), (be, hi))):
            cuts[:, j] = offsets[at]
        cuts += text_ptr[doc][:, None].astype(cuts.dtype)  # in the partition's texts, not the document's
        return ByteLines(data, cuts, again)
    got = char_strings(part.texts, doc, np.stack([part.starts[lo], *node, part.ends[hi]], 1))
    if isinstance(got, list):
        left, middle, right = sides(got)
        return [fold_strings(left), middle, fold_strings(right)]
    both, middle = line_parts(got)  # both contexts folded at once: its calls are the cost
    n = len(middle)
    return [both.slice(0, n), middle, both.slice(n)]


def join_lines(doc_ptr: np.ndarray, parts: list[dict[str, Any]], n_keys: int, vocab: Any) -> dict[str, Any]:
    """The line data of all partitions in corpus order, in corpus positions and document indices
    (``doc_ptr``: the corpus' document pointers; a partition's positions start at its first document's). The parts
    are emptied as they are joined. ``start`` is int64, ``doc``, ``n0``, ``n1`` int32 (the frame's columns are
    made int64). ``term``: term ids (int32) when every line is one token, else the strings
    (``vocab``: the corpus' vocabulary)."""
    ptr = np.asarray(doc_ptr, np.int64)

    def joined(name: str, shift: str | None = None, dtype: Any = np.int64) -> np.ndarray:
        # a field at a time into its array, each partition's let go once copied: the parts and one field
        out = np.empty(sum(len(p[name]) for p in parts), dtype)
        at = 0
        for p in parts:
            values = p.pop(name)
            here = out[at:at + len(values)]
            here[:] = values
            if shift is not None:
                here += ptr[p["first"]] if shift == "pos" else p["first"]
            at += len(values)
        return out

    # int32 until the frame (4 bytes a line each; at 6M lines a query 94 MiB less at the peak): documents and
    # a document's character offsets stay under 2**31 (a corpus of more documents keeps int64)
    small = np.int32 if len(ptr) <= 2**31 else np.int64
    out = {"start": joined("start", "pos"), "doc": joined("doc", "doc", small), "n0": joined("n0", dtype=np.int32),
           "n1": joined("n1", dtype=np.int32)}
    keys = [p.pop("keys") for p in parts]
    out["keys"] = [np.concatenate([np.asarray(k[i], np.int64) for k in keys]) if parts else np.zeros(0, np.int64)
                   for i in range(n_keys)]
    if any(p["term"].dtype == object for p in parts):  # a phrase somewhere: strings (term ids made terms)
        terms = vocab.to_numpy(dtype=object)
        for p in parts:
            if p["term"].dtype != object:
                p["term"] = terms[p["term"]]
        out["term"] = joined("term", dtype=object)
    else:
        out["term"] = joined("term", dtype=np.int32 if len(vocab) < 2**31 else np.int64)
    made = line_texts([p.pop("lines") for p in parts])
    for i, name in enumerate(("left", "node", "right")):
        out[name] = join_strings([m[i] for m in made])
    out["found"] = sum(p["found"] for p in parts)
    return out
