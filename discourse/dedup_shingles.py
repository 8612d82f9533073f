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
_CHUNK_TOKENS = 1_000_000                 # tokens hashed at a time: bounds the temporary arrays (~80 MB)
_CHUNK_DOCS = 4_000                       # signatures converted at a time (rensa returns Python lists)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser (Steele, Lea & Flood 2014): spreads the combined ids over all 64 bits."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _chunk_hashes(ids: np.ndarray, lengths: np.ndarray, n: int) -> np.ndarray:
    """Shingle hashes of consecutive documents (their tokens ``ids``), document after document."""
    m = len(ids)
    ends = np.cumsum(lengths)
    starts = ends - lengths
    ext = np.concatenate([ids.astype(np.uint64), np.full(n, _SENTINEL, dtype=np.uint64)])
    h = np.zeros(m, dtype=np.uint64)
    for k in range(n):   # rolling combination over contiguous slices: one vector operation per offset
        h = h * _MULT + ext[k:k + m] + np.uint64(k + 1)
    # a shingle starts where n tokens remain in its document
    keep = np.arange(m) + n <= np.repeat(ends, lengths)
    short = np.flatnonzero((lengths > 0) & (lengths < n))
    if len(short):   # a document shorter than n is one shingle: its tokens, then sentinels
        pos = starts[short]
        hs = np.zeros(len(short), dtype=np.uint64)
        for k in range(n):
            tok = np.where(k < lengths[short], ext[np.minimum(pos + k, m)], _SENTINEL)
            hs = hs * _MULT + tok + np.uint64(k + 1)
        h[pos] = hs
        keep[pos] = True
    return _mix(h[keep])


def shingle_hashes(ids: np.ndarray, doc_ptr: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """64-bit hashes of every word ``n``-gram of every document, and row offsets.

    Document ``d``'s shingles are ``hashes[offsets[d]:offsets[d+1]]``; a
    document with fewer than ``n`` tokens has one shingle (its whole text),
    an empty document none. Hashed in chunks of documents to bound memory.
    """
    lengths = np.diff(doc_ptr).astype(np.int64)
    counts = np.where(lengths >= n, lengths - n + 1, np.minimum(lengths, 1))
    offsets = np.r_[0, np.cumsum(counts)].astype(np.uint64)
    hashes = np.empty(int(offsets[-1]), dtype=np.uint64)   # filled in place: no second copy at the end
    d, n_docs = 0, len(lengths)
    while d < n_docs:
        e = int(np.searchsorted(doc_ptr, doc_ptr[d] + _CHUNK_TOKENS, "right")) - 1
        e = min(max(e, d + 1), n_docs)
        hashes[int(offsets[d]):int(offsets[e])] = _chunk_hashes(ids[doc_ptr[d]:doc_ptr[e]], lengths[d:e], n)
        d = e
    return hashes, offsets


def signatures(hashes: np.ndarray, offsets: np.ndarray, num_perm: int, seed: int) -> np.ndarray:
    """MinHash signatures, documents x ``num_perm`` (uint32), computed by ``rensa`` from the flat hashes."""
    import rensa

    n_docs = len(offsets) - 1
    out = np.zeros((max(n_docs, 0), num_perm), dtype=np.uint32)
    for d in range(0, n_docs, _CHUNK_DOCS):   # rensa hands rows back as Python lists: convert a chunk at a time
        e = min(d + _CHUNK_DOCS, n_docs)
        lo, hi = int(offsets[d]), int(offsets[e])
        matrix = rensa.RMinHash.digest_matrix_from_flat_token_hashes(hashes[lo:hi], offsets[d:e + 1] - offsets[d],
                                                                     num_perm, seed)
        out[d:e] = np.asarray(matrix.to_rows(), dtype=np.uint32).reshape(-1, num_perm)
    return out


def collision_probability(s: np.ndarray | float, b: int, r: int) -> np.ndarray:
    """Probability that two documents of Jaccard ``s`` share at least one of ``b`` bands of ``r`` rows: 1 - (1 - s^r)^b."""
    return 1.0 - (1.0 - np.asarray(s, dtype=float) ** r) ** b


def lsh_params(threshold: float, num_perm: int, recall: float = 0.99) -> tuple[int, int]:
    """Bands ``b`` and rows ``r`` (``b = num_perm // r``): the largest ``r`` whose collision probability
    at ``threshold`` is at least ``recall``.

    Every candidate pair is verified by its MinHash estimate, so a false
    candidate costs one comparison while a missed pair is lost: the bands
    are chosen for recall at the threshold (at 0.8 and 128 permutations,
    21 bands of 6 rows: a pair at J = 0.8 collides with probability 0.998,
    one at J = 0.3 with 0.015), not datasketch's balance of false positives
    and negatives, which puts the midpoint of the S-curve at the threshold
    (9 bands of 13 rows there: 0.40 at J = 0.8).
    """
    for r in range(num_perm, 0, -1):
        b = num_perm // r
        if collision_probability(threshold, b, r) >= recall:
            return b, r
    return num_perm, 1


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
        two = bounds[:-1][sizes == 2]   # most buckets hold one pair: taken in one vector operation
        pairs.append(np.stack([rows[order[two]], rows[order[two + 1]]], axis=1))
        for lo, size in zip(bounds[:-1][sizes > 2], sizes[sizes > 2]):
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


def _distinct(a: np.ndarray) -> np.ndarray:
    a = np.sort(a)
    return a[np.r_[True, a[1:] != a[:-1]]] if len(a) else a


def exact_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard similarity |A ∩ B| / |A ∪ B| of two documents' shingle sets (hash arrays); 1.0 for two empty sets."""
    a, b = _distinct(a), _distinct(b)
    both = np.sort(np.concatenate([a, b]))
    inter = int((both[1:] == both[:-1]).sum())   # a value present in both sets appears twice
    union = len(a) + len(b) - inter
    return inter / union if union else 1.0
