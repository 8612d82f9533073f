"""Node windows on the shared token stream: window positions and per-group co-occurrence counts.

Window-based ("surface") co-occurrence (Evert 2008, sect. 3.2): window
positions are offset arrays around each node hit, masked at document (and
optionally sentence) boundaries; co-occurrence counts per (group, collocate)
are one bincount (or one sort when the groups x terms grid is large), and
collocate frequencies are the shared document-term matrix summed by group.
All of it is counted partition by partition (windows never cross documents) and
the partial counts are added, so a store or a cluster gives the in-memory result.
:mod:`discourse.collocates` turns these counts into association measures.

References
----------
Evert, S. (2008). Corpora and collocations. In Lüdeling & Kytö (eds.), Corpus Linguistics:
    An International Handbook, vol. 2, 1212-1248. Berlin: de Gruyter.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

from .keyed import merge_keyed
from .partitions import map_partitions, merge_sum
from .query import Hits, Query, find
from .stats.arrays import unique_ints
from .tokens import Tokens

__all__ = ["DENSE_CELLS", "window_positions", "window_counts", "window_part"]

DENSE_CELLS = 4_000_000  # groups x terms above which counts go through a sort instead


def window_positions(tokens: Tokens, hits: Hits, left: int, right: int, sentence: bool,
                     exclude_node: bool, count: str) -> tuple[np.ndarray, np.ndarray]:
    """Collocate positions in the node windows and their signed distance to the node: ``(pos, dist)``.

    Windows stop at document boundaries (and sentence boundaries if ``sentence``).
    ``count="tokens"`` counts a token once even where windows overlap (Evert 2008),
    attributing it to its nearest hit; ``"pairs"`` counts every (hit, token) pair.
    """
    start, last = hits.start, hits.end - 1
    lo, hi = tokens.doc_ptr[hits.doc], tokens.doc_ptr[hits.doc + 1]
    off_l, off_r = np.arange(-left, 0), np.arange(1, right + 1)
    lpos, rpos = start[:, None] + off_l, last[:, None] + off_r
    lok, rok = lpos >= lo[:, None], rpos < hi[:, None]
    if sentence:
        sent, n = tokens.sent, len(tokens.ids)
        lok &= sent[np.clip(lpos, 0, n - 1)] == sent[start][:, None]
        rok &= sent[np.clip(rpos, 0, n - 1)] == sent[last][:, None]
    if count == "pairs":
        pos = np.concatenate([lpos[lok], rpos[rok]])
        dist = np.concatenate([np.broadcast_to(off_l, lpos.shape)[lok], np.broadcast_to(off_r, rpos.shape)[rok]])
    else:
        # union of windows: scatter offsets from the farthest to the nearest, so a token in
        # several windows keeps its distance to the nearest hit (the right one on a tie)
        dist_at = np.zeros(len(tokens.ids), np.int16)  # 0 = in no window (a distance is never 0)
        cols = [(lpos[:, j], lok[:, j], off_l[j]) for j in range(left)]
        cols += [(rpos[:, j], rok[:, j], off_r[j]) for j in range(right)]
        for p, ok, d in sorted(cols, key=lambda c: -abs(c[2])):
            dist_at[p[ok]] = d
        pos = np.flatnonzero(dist_at)
        dist = dist_at[pos].astype(np.int64)
    if exclude_node and len(pos):
        keep = ~np.isin(pos, hits.covered())
        pos, dist = pos[keep], dist[keep]
    return pos, dist


def window_counts(tokens: Any, node: Query, regex: bool, codes: np.ndarray, n_groups: int, left: int, right: int,
                  sentence: bool, exclude_node: bool, count: str) -> dict:
    """Per-(group, collocate) window counts for the nonzero pairs, per-group margins and the node's hits.

    A map over the partitions (:func:`discourse.partitions.map_partitions`; a :class:`Tokens` is one):
    windows never cross documents, so each partition's counts (:func:`window_part`) are exact
    parts of the whole and the merge adds them (:func:`discourse.keyed.merge_keyed`).
    ``codes`` is every document's group (-1: none), computed once on the whole corpus.
    """
    v = len(tokens.vocab)
    parts = map_partitions(tokens, window_part, node, regex, codes, n_groups, left, right, sentence,
                           exclude_node, count)
    keys, o, n_left, dist_sum, n_docs = merge_keyed([p["keys"] for p in parts],
                                                    *([p[name] for p in parts] for name in ("o", "left", "dist", "docs")))
    coll = merge_sum([p["coll"] for p in parts])  # collocate frequency in each group
    if n_groups * v <= DENSE_CELLS:
        c1 = coll.toarray().ravel()[keys]
    else:
        c1 = np.asarray(coll[keys // v, keys % v]).ravel() if len(keys) else np.zeros(0, np.int64)
    window, node_freq = merge_sum([(p["window"], p["node"]) for p in parts])
    return {
        "row": keys // v, "col": keys % v, "o": o, "left": n_left, "right": o - n_left, "docs": n_docs,
        "distance": dist_sum / np.maximum(o, 1), "c1": c1,
        "c": coll, "n": np.asarray(coll.sum(axis=1)).ravel().astype(float),
        "window": window.astype(float), "node": node_freq.astype(float),
        "hits": sum(p["hits"] for p in parts), "query": parts[0]["query"], "terms": parts[0]["terms"],
    }


def window_part(part: Tokens, first: int, node: Query, regex: bool, codes: np.ndarray, n_groups: int, left: int,
                right: int, sentence: bool, exclude_node: bool, count: str) -> dict:
    """One partition's window counts: the node's hits there (:func:`discourse.query.find`), the nonzero
    (group, collocate) keys with their counts, and the partition's collocate frequencies by group."""
    v = len(part.vocab)
    hits = find(part, node, regex=regex)
    codes = codes[first:first + part.n_docs]
    pos, dist = window_positions(part, hits, left, right, sentence, exclude_node, count)
    doc = np.repeat(np.arange(part.n_docs), part.doc_lengths)[pos]  # windows stay in the node's document
    grp = codes[doc]
    ok = grp >= 0
    pos, dist, grp, doc = pos[ok], dist[ok], grp[ok], doc[ok]
    key = grp * v + part.ids[pos]
    doc_pairs = unique_ints(doc * v + part.ids[pos])  # (document, collocate) pairs: range of the collocation
    doc_key = codes[doc_pairs // v] * v + doc_pairs % v
    ind_ok = codes >= 0
    ind = sp.csr_matrix((np.ones(int(ind_ok.sum()), np.int64), (codes[ind_ok], np.flatnonzero(ind_ok))),
                        shape=(n_groups, part.n_docs))
    if n_groups * v <= DENSE_CELLS:  # dense bincounts (no sort) while the groups x terms grid is small
        o = np.bincount(key, minlength=n_groups * v)
        keys = np.flatnonzero(o)
        o = o[keys]
        n_left = np.bincount(key[dist < 0], minlength=n_groups * v)[keys]
        dist_sum = np.bincount(key, weights=dist, minlength=n_groups * v)[keys]
        n_docs = np.bincount(doc_key, minlength=n_groups * v)[keys]
    else:
        keys, inv, o = np.unique(key, return_inverse=True, return_counts=True)
        n_left = np.bincount(inv, weights=dist < 0, minlength=len(keys))
        dist_sum = np.bincount(inv, weights=dist, minlength=len(keys))
        n_docs = np.bincount(np.searchsorted(keys, doc_key), minlength=len(keys))
    hit_grp = codes[hits.doc]
    return {  # int64 throughout (also when empty), so the merge keeps exact integer counts
        "keys": keys.astype(np.int64), "o": o.astype(np.int64), "left": n_left.astype(np.int64),
        "dist": dist_sum.astype(float), "docs": n_docs.astype(np.int64),
        "coll": (ind @ part.dtm.astype(np.int64)).tocsr(),
        "window": np.bincount(grp, minlength=n_groups).astype(np.int64),
        "node": np.bincount(hit_grp[hit_grp >= 0], minlength=n_groups).astype(np.int64),
        "hits": len(hits), "query": hits.query, "terms": hits.terms,
    }
