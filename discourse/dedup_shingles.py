"""Shingles, MinHash signatures and LSH banding for :func:`discourse.dedup.dedup`.

Shingles are word n-grams of the shared token stream (:attr:`Tokens.ids`),
hashed to 64 bits with numpy over the whole stream (no Python loop per
shingle). MinHash signatures (Broder 1997) are computed by ``rensa`` from the
flat hash buffer; candidate pairs come from banding the signatures
(locality-sensitive hashing; Leskovec, Rajaraman & Ullman 2014, ch. 3).
"""
from __future__ import annotations

import numpy as np

__all__ = ["shingle_hashes", "signatures", "lsh_params", "candidate_pairs", "estimated_jaccard",
           "exact_jaccard", "collision_probability"]

_MULT = np.uint64(0x9E3779B97F4A7C15)   # golden-ratio multiplier for the rolling combination
_SENTINEL = np.uint64(0xFFFFFFFF)         # stands in for the missing tokens of a document shorter than n
_CHUNK_TOKENS = 2_000_000                 # tokens hashed at a time: bounds the temporary arrays (~100 MB)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser (Steele, Lea & Flood 2014): spreads the combined ids over all 64 bits."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _chunk_hashes(ids: np.ndarray, lengths: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Shingle hashes of consecutive documents (their tokens ``ids``) and the number per document."""
    m = len(ids)
    ends = np.repeat(np.cumsum(lengths), lengths)       # end of each token's document
    doc_len = np.repeat(lengths, lengths)
    pos = np.arange(m, dtype=np.int64)
    # a shingle starts where n tokens remain in the document; a document shorter than n is one shingle
    keep = (pos + n <= ends) | ((pos == ends - doc_len) & (doc_len < n))
    pos, ends = pos[keep], ends[keep]
    ext = np.concatenate([ids.astype(np.uint64), np.full(n, _SENTINEL, dtype=np.uint64)])
    h = np.zeros(len(pos), dtype=np.uint64)
    for k in range(n):                                    # rolling combination, one vector op per offset
        tok = np.where(pos + k < ends, ext[pos + k], _SENTINEL)
        h = h * _MULT + tok + np.uint64(k + 1)
    counts = np.where(lengths >= n, lengths - n + 1, np.minimum(lengths, 1))
    return _mix(h), counts


def shingle_hashes(ids: np.ndarray, doc_ptr: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """64-bit hashes of every word ``n``-gram of every document, and row offsets.

    Document ``d``'s shingles are ``hashes[offsets[d]:offsets[d+1]]``; a
    document with fewer than ``n`` tokens has one shingle (its whole text),
    an empty document none. Hashed in chunks of documents to bound memory.
    """
    lengths = np.diff(doc_ptr).astype(np.int64)
    out, counts = [], []
    d, n_docs = 0, len(lengths)
    while d < n_docs:
        e = int(np.searchsorted(doc_ptr, doc_ptr[d] + _CHUNK_TOKENS, "right")) - 1
        e = min(max(e, d + 1), n_docs)
        h, c = _chunk_hashes(ids[doc_ptr[d]:doc_ptr[e]], lengths[d:e], n)
        out.append(h)
        counts.append(c)
        d = e
    hashes = np.concatenate(out) if out else np.zeros(0, np.uint64)
    offsets = np.r_[0, np.cumsum(np.concatenate(counts) if counts else [])].astype(np.uint64)
    return hashes, offsets


def signatures(hashes: np.ndarray, offsets: np.ndarray, num_perm: int, seed: int) -> np.ndarray:
    """MinHash signatures, documents x ``num_perm`` (uint32), computed by ``rensa`` from the flat hashes."""
    import rensa

    if len(offsets) <= 1:
        return np.zeros((0, num_perm), dtype=np.uint32)
    matrix = rensa.RMinHash.digest_matrix_from_flat_token_hashes(hashes, offsets, num_perm, seed)
    return np.asarray(matrix.to_rows(), dtype=np.uint32).reshape(-1, num_perm)


def collision_probability(s: np.ndarray | float, b: int, r: int) -> np.ndarray:
    """Probability that two documents of Jaccard ``s`` share at least one of ``b`` bands of ``r`` rows: 1 - (1 - s^r)^b."""
    return 1.0 - (1.0 - np.asarray(s, dtype=float) ** r) ** b


def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """Bands ``b`` and rows ``r`` (``b * r <= num_perm``) minimising false positives + false negatives.

    The weighted-area criterion of datasketch's ``MinHashLSH``: the area under
    the collision curve below ``threshold`` (false positives) plus the area
    above the curve beyond it (false negatives), equal weights, integrated on
    a grid.
    """
    grid_lo, grid_hi = np.linspace(0, threshold, 201), np.linspace(threshold, 1, 201)
    best, best_err = (1, num_perm), np.inf
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            fp = np.trapezoid(collision_probability(grid_lo, b, r), grid_lo)
            fn = np.trapezoid(1 - collision_probability(grid_hi, b, r), grid_hi)
            if fp + fn < best_err:
                best, best_err = (b, r), fp + fn
    return best


def candidate_pairs(sig: np.ndarray, rows: np.ndarray, b: int, r: int, max_bucket: int = 64) -> np.ndarray:
    """Pairs (i, j), i < j, of ``rows`` that share a band of the signatures.

    A bucket larger than ``max_bucket`` (many copies of one text) is linked as
    a star on its first member plus a chain, not all pairs, which keeps the
    number of pairs linear while keeping the bucket connected.
    """
    pairs = []
    for j in range(b):
        band = sig[rows, j * r:(j + 1) * r].astype(np.uint64)
        key = np.zeros(len(rows), dtype=np.uint64)
        for c in range(r):
            key = key * _MULT + band[:, c]
        key = _mix(key)
        order = np.argsort(key, kind="stable")
        sk = key[order]
        cut = np.flatnonzero(np.diff(sk)) + 1
        bounds = np.r_[0, cut, len(sk)]
        sizes = np.diff(bounds)
        for lo, size in zip(bounds[:-1][sizes > 1], sizes[sizes > 1]):
            members = rows[order[lo:lo + size]]
            if size <= max_bucket:
                a, c = np.triu_indices(size, 1)
                pairs.append(np.stack([members[a], members[c]], axis=1))
            else:
                pairs.append(np.stack([np.repeat(members[0], size - 1), members[1:]], axis=1))
                pairs.append(np.stack([members[:-1], members[1:]], axis=1))
    if not pairs:
        return np.zeros((0, 2), dtype=np.int64)
    p = np.sort(np.concatenate(pairs), axis=1)
    return np.unique(p, axis=0)


def estimated_jaccard(sig: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """MinHash estimate of the Jaccard similarity: the share of the signature positions that agree."""
    return (sig[i] == sig[j]).mean(axis=1)


def exact_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard similarity |A ∩ B| / |A ∪ B| of two documents' shingle sets (hash arrays)."""
    a, b = np.unique(a), np.unique(b)
    union = len(np.union1d(a, b))
    return float(len(np.intersect1d(a, b, assume_unique=True)) / union) if union else 1.0
