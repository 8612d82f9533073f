"""The similarity side of story alignment: weighted document vectors, date-window candidate pairs, greedy linking.

Used by :mod:`discourse.stories`. Each document is a row of the shared
document-term matrix (:attr:`Tokens.dtm`), weighted by TF-IDF (sublinear term
frequency, smoothed inverse document frequency; Salton & Buckley 1988, Manning,
Raghavan & Schütze 2008, ch. 6) or BM25 (Robertson & Zaragoza 2009), with the
stop words and punctuation zeroed, entity-like and number terms weighted up,
and L2-normalised, so that a dot product is the cosine. Candidate pairs are the
documents of different groups within ``window_days`` of each other: the
documents sorted by day, one sparse product per block of rows against the rows
that fall in its date window (never all pairs).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .stopwords import english_stopwords

__all__ = ["term_weights", "doc_vectors", "window_pairs", "cross_pairs", "count_candidates", "greedy_links", "top_per_row",
           "Links"]

_BLOCK = 1_500                       # rows per sparse product: bounds the block's result (rows x window)
_NUMBER = re.compile(r"^[+-]?\d[\d,.]*%?$")
_WORD = re.compile(r"\w", re.UNICODE)
_ROUND = 12                          # similarities are compared to 12 decimals: input order cannot flip a tie


def term_weights(tokens, entity_weight: float, number_weight: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Column weights of the vocabulary, and the entity and number masks.

    0 for English stop words (gensim's list) and terms without a letter or digit
    (punctuation, a clitic ``'s``); ``number_weight`` for numbers; ``entity_weight``
    for entity-like terms: those written with a capital initial in at least half
    of their counted occurrences (:attr:`Tokens.types` keeps every surface
    form), so a word capitalised only at the start of sentences is not one; 1 otherwise.
    """
    vocab = pd.Index(tokens.vocab).astype(str)
    stop = english_stopwords()
    lower = vocab.str.lower()
    weight = np.ones(len(vocab))
    number = np.array([bool(_NUMBER.match(t)) for t in vocab])
    wordless = np.array([not _WORD.search(t) for t in vocab]) | (vocab == "'s")
    types = tokens.types
    types = types[(types["reason"] == "counted") & types["term"].notna()]
    cap = types["surface"].astype(str).str.match(r"^[^\W\d_]").to_numpy() & \
        (types["surface"].astype(str).str[:1].str.isupper()).to_numpy()
    counts = types["count"].to_numpy(float)
    by_term = pd.DataFrame({"term": types["term"].astype(str).to_numpy(), "cap": counts * cap, "all": counts})
    share = by_term.groupby("term", sort=False)[["cap", "all"]].sum()
    share = (share["cap"] / share["all"]).reindex(vocab).fillna(0).to_numpy()
    entity = (share >= 0.5) & ~number & ~wordless
    weight[entity] = entity_weight
    weight[number] = number_weight
    weight[lower.isin(stop) & ~entity] = 0.0  # "US" kept in upper case is an entity, "us" a stop word
    weight[wordless] = 0.0
    return weight, entity, number


def doc_vectors(dtm: sp.csr_matrix, weight: np.ndarray, weighting: str, k1: float = 1.2, b: float = 0.75) -> sp.csr_matrix:
    """L2-normalised weighted rows (float64): TF-IDF ``(1 + ln tf) * (ln((1 + N) / (1 + df)) + 1)`` or BM25
    ``tf (k1 + 1) / (tf + k1 (1 - b + b |d| / avgdl)) * ln(1 + (N - df + 0.5) / (df + 0.5))``, times ``weight``."""
    x = sp.csr_matrix(dtm, dtype=np.float64, copy=True)
    x.sort_indices()
    n = x.shape[0]
    df = np.bincount(x.indices, minlength=x.shape[1]).astype(float)
    row = np.repeat(np.arange(n), np.diff(x.indptr))
    if weighting == "bm25":
        length = np.asarray(x.sum(axis=1)).ravel()
        norm = k1 * (1 - b + b * length / max(length.mean(), 1e-12))
        x.data = x.data * (k1 + 1) / (x.data + norm[row])
        idf = np.log1p((n - df + 0.5) / (df + 0.5))
    else:
        x.data = 1.0 + np.log(x.data)
        idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
    x.data *= (idf * weight)[x.indices]
    x.eliminate_zeros()
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    x.data /= np.where(norms > 0, norms, 1.0)[np.repeat(np.arange(n), np.diff(x.indptr))]
    return x


def window_pairs(x: sp.csr_matrix, day: np.ndarray, group: np.ndarray, window: int, floor: float) -> tuple[np.ndarray, ...]:
    """Pairs ``(a, b)`` (row indices, ``a < b``) of different groups within ``window`` days whose cosine is >= ``floor``.

    ``day`` holds integer days, NaN-free (the undated are handled by the caller).
    Returns ``a``, ``b`` and the similarity.
    """
    order = np.lexsort((np.arange(len(day)), day))
    xs, ds, gs = x[order], day[order], group[order]
    out_a, out_b, out_s = [], [], []
    for s in range(0, len(order), _BLOCK):
        e = min(s + _BLOCK, len(order))
        hi = int(np.searchsorted(ds, ds[e - 1] + window, "right"))
        prod = (xs[s:e] @ xs[s:hi].T).tocoo()
        r, c = prod.row + s, prod.col + s
        keep = (c > r) & (prod.data >= floor) & (gs[r] != gs[c]) & (ds[c] - ds[r] <= window)
        out_a.append(order[r[keep]])
        out_b.append(order[c[keep]])
        out_s.append(prod.data[keep])
    return _ordered(out_a, out_b, out_s)


def cross_pairs(x: sp.csr_matrix, rows: np.ndarray, group: np.ndarray, floor: float) -> tuple[np.ndarray, ...]:
    """Pairs of ``rows`` (the undated) with every other document of another group, cosine >= ``floor``."""
    out_a, out_b, out_s = [], [], []
    for s in range(0, len(rows), _BLOCK):
        r0 = rows[s:s + _BLOCK]
        prod = (x[r0] @ x.T).tocoo()
        r, c = r0[prod.row], prod.col
        undated_c = np.isin(c, rows)
        keep = (prod.data >= floor) & (group[r] != group[c]) & (~undated_c | (c > r))  # undated pairs once
        out_a.append(np.minimum(r, c)[keep])
        out_b.append(np.maximum(r, c)[keep])
        out_s.append(prod.data[keep])
    return _ordered(out_a, out_b, out_s)


def _ordered(a: list, b: list, s: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if not a:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    return np.concatenate(a).astype(np.int64), np.concatenate(b).astype(np.int64), np.concatenate(s)


def count_candidates(day: np.ndarray, group: np.ndarray, window: int) -> int:
    """Pairs of documents of different groups within ``window`` days (all pairs minus same-group pairs)."""
    def within(d: np.ndarray) -> int:
        d = np.sort(d)
        return int((np.searchsorted(d, d + window, "right") - np.arange(len(d)) - 1).sum())

    same = sum(within(day[group == g]) for g in np.unique(group))
    return within(day) - same


@dataclass
class Links:
    """The greedy pass over the edges: each document's cluster, and each edge's role (joined, within, blocked)."""

    root: np.ndarray
    role: np.ndarray
    sweep: pd.DataFrame | None = None


def greedy_links(n: int, a: np.ndarray, b: np.ndarray, sim: np.ndarray, rank: np.ndarray, group: np.ndarray,
                 one_per_group: bool, thresholds: np.ndarray | None = None) -> tuple[np.ndarray, Links]:
    """Link documents along the edges, most similar first (ties: the smaller ``rank`` pair first).

    An edge joins the clusters of its two documents unless they are already one
    (``within``) or, with ``one_per_group``, they hold a document of the same
    group (``blocked``). ``thresholds`` (descending) records, when the pass
    crosses each, the stories (clusters of 2 or more) and the documents in them,
    which is exactly the state of a run at that threshold.
    Returns the edge order used and the :class:`Links`.
    """
    order = np.lexsort((np.maximum(rank[a], rank[b]), np.minimum(rank[a], rank[b]), -np.round(sim, _ROUND)))
    parent = list(range(n))
    size = [1] * n
    mask = [1 << int(g) for g in group]   # the groups of each cluster, as bits
    role = np.empty(len(order), dtype=object)
    stories = aligned = blocked = 0
    rows, ti = [], 0
    ths = [] if thresholds is None else list(thresholds)
    svals = np.round(sim[order], _ROUND)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for k, e in enumerate(order.tolist()):
        while ti < len(ths) and svals[k] < ths[ti]:
            rows.append((ths[ti], stories, aligned, k, blocked))
            ti += 1
        ra, rb = find(int(a[e])), find(int(b[e]))
        if ra == rb:
            role[k] = "within"
            continue
        if one_per_group and mask[ra] & mask[rb]:
            role[k] = "blocked"
            blocked += 1
            continue
        sa, sb = size[ra], size[rb]
        stories += 1 if sa == 1 and sb == 1 else (-1 if sa > 1 and sb > 1 else 0)
        aligned += (sa == 1) + (sb == 1)   # a singleton joining a cluster becomes aligned
        if sa < sb or (sa == sb and ra > rb):
            ra, rb = rb, ra
        parent[rb] = ra
        size[ra] += sb
        mask[ra] |= mask[rb]
        role[k] = "joined"
    while ti < len(ths):
        rows.append((ths[ti], stories, aligned, len(order), blocked))
        ti += 1
    root = np.array([find(i) for i in range(n)], dtype=np.int64)
    sweep = pd.DataFrame(rows, columns=["threshold", "stories", "documents_aligned", "pairs_above_threshold",
                                        "pairs_blocked"]) if thresholds is not None else None
    return order, Links(root=root, role=role, sweep=sweep)


def top_per_row(m: sp.csr_matrix, k: int, vocab: np.ndarray) -> list[list[str]]:
    """The ``k`` columns of largest value in each row (ties: the earlier column), as terms."""
    m = sp.csr_matrix(m)
    m.eliminate_zeros()
    row = np.repeat(np.arange(m.shape[0]), np.diff(m.indptr))
    order = np.lexsort((m.indices, -m.data, row))
    r, c = row[order], m.indices[order]
    start = np.r_[0, np.flatnonzero(np.diff(r)) + 1]
    rank = np.arange(len(r)) - np.repeat(start, np.diff(np.r_[start, len(r)]))
    keep = rank < k
    out: list[list[str]] = [[] for _ in range(m.shape[0])]
    for i, term in zip(r[keep].tolist(), vocab[c[keep]].tolist()):
        out[i].append(term)
    return out
