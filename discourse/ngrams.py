"""N-grams and clusters (n-grams around a node) by group, with keyness against the other groups.

N-grams are read off the shared token stream: an n-gram starts at every position
whose next ``n - 1`` tokens are in the same document (and, by default, the same
sentence); each n-gram is encoded as one integer (or a row of ids) and counted
with one sort, partition by partition (an n-gram never crosses documents); the
partitions' counts are added in hash buckets of n-grams spilled to a temporary
folder, one bucket at a time (:mod:`discourse.ngram_buckets`: memory of one bucket
and the output, not of all distinct n-grams), so a store gives the in-memory result. The table is
built from the merged arrays without a copy of the whole: rows ordered by NumPy's ``lexsort`` on
integer codes (group, count, term ranks), each column made once, the group a categorical and the
n-gram Arrow text (about 100 bytes a row).
Clusters are AntConc's: the n-grams that contain a query (word, phrase, wildcard,
regex or term group; :mod:`discourse.query`), optionally at a fixed position.

Keyness of an n-gram in a group is computed against all other groups together
(the other outlet when there are two), with the n-gram totals of the two sides
as corpus sizes, by :func:`discourse.stats.association.keyness_measures`: signed
log-likelihood G2 (Rayson & Garside 2000) and Log Ratio (Hardie 2014); ``significant``
rests on the p-value adjusted over the listed n-grams of the group (Šidák by default,
as keyness).

References
----------
Anthony, L. (2005). AntConc: Design and development of a freeware corpus analysis toolkit.
Biber, D., Conrad, S. & Cortes, V. (2004). If you look at...: Lexical bundles in university
    teaching and textbooks. Applied Linguistics 25(3), 371-405.
Hardie, A. (2014). Log Ratio: an informal introduction. CASS blog.
Rayson, P. & Garside, R. (2000). Comparing corpora using frequency profiling. WCC workshop, ACL.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .grouping import doc_codes, group_labels
from .cluster import current_client
from .ngram_buckets import combine, gram_columns, gram_rows
from .partitions import Partitioned, map_partitions, partition_bounds
from .query import Query, describe_query, find
from .stats.arrays import unique_ints
from .stats.association import keyness_measures
from .stats.multiple import METHODS as CORRECTIONS, significance
from .tokens import Tokens
from .validation import (absent_query, check_choice, check_count, check_fraction, check_min_freq, check_span_length,
                         check_tokens, warn_empty)

__all__ = ["ngrams"]


def _starts(tokens: Tokens, n: int, sentence: bool, containing: Query | None, position: int | None,
            regex: bool) -> tuple[np.ndarray, int]:
    """Start positions of the n-grams to count, and the number of hits of ``containing`` (0 without it)."""
    total, n_hits = len(tokens.ids), 0
    if containing is None:
        p = np.arange(max(total - n + 1, 0), dtype=np.int64)
    else:
        hits = find(tokens, containing, regex=regex)
        n_hits = len(hits)
        long = hits.length > n
        hits_start, hits_len = hits.start[~long], hits.length[~long]
        offsets = range(n) if position is None else [position]
        # the hit occupies n-gram slots k .. k + length - 1
        parts = [hits_start - k for k in offsets]
        keep = [k + hits_len <= n for k in offsets]
        p = unique_ints(np.concatenate([a[m] for a, m in zip(parts, keep)])) if parts else np.zeros(0, np.int64)
        p = p[(p >= 0) & (p + n <= total)]
    if not len(p):
        return p, n_hits
    doc = np.searchsorted(tokens.doc_ptr, p, side="right") - 1
    ok = p + n <= tokens.doc_ptr[doc + 1]
    if sentence:
        ok &= tokens.sent[np.minimum(p + n - 1, total - 1)] == tokens.sent[p]
    return p[ok], n_hits


def _longest_sentence(part: Tokens, first: int) -> int:
    """Tokens in the partition's longest sentence (a sentence never crosses documents, so partitions)."""
    return int(np.unique(part.sent, return_counts=True)[1].max(initial=0))


def _why_none(tokens: Any, n: int, sentence: bool, containing: Query | None, regex: bool, n_hits: int) -> None:
    """An :class:`~discourse.validation.EmptyResultWarning` naming why no n-gram start was found."""
    if sentence:
        longest = max(map_partitions(tokens, _longest_sentence), default=0)
    else:
        longest = tokens.doc_lengths.max(initial=0)
    if check_span_length("ngrams", n, longest, "sentence" if sentence else "document") and containing is not None:
        if not n_hits:
            warn_empty(absent_query("ngrams", "containing=", describe_query(containing, regex), tokens.n_tokens))


def _unique_grams(cols: list[np.ndarray], v: int) -> tuple[np.ndarray, np.ndarray]:
    """Unique n-grams (rows of term ids, in lexicographic order) and each input n-gram's number;
    ``cols[j]`` holds the ``j``-th term id of every input n-gram."""
    n = len(cols)
    if v ** n < 2 ** 62:  # one int64 key per n-gram
        key = np.zeros(len(cols[0]), np.int64)
        for c in cols:
            key = key * v + c
        uniq, inv = np.unique(key, return_inverse=True)
        return gram_rows([uniq], n, v), inv
    rows, inv = np.unique(np.stack(cols, axis=1).astype(np.int64), axis=0, return_inverse=True)
    return rows, np.ravel(inv)


def _encode(ids: np.ndarray, p: np.ndarray, n: int, v: int) -> tuple[np.ndarray, np.ndarray]:
    """Unique n-grams (rows of term ids) starting at ``p`` and each start's n-gram number."""
    return _unique_grams([ids[p + j].astype(np.int64) for j in range(n)], v)


def _ngram_part(part: Tokens, first: int, n: int, sentence: bool, containing: Query | None, position: int | None,
                regex: bool, codes: np.ndarray, g: int) -> dict:
    """One partition's n-gram counts (an n-gram never crosses documents): per (group, n-gram) the n-gram's
    key (:func:`~discourse.ngram_buckets.gram_columns` of global term ids), the group code, the count and
    the document count; the n-gram totals per group."""
    codes = codes[first:first + part.n_docs]
    p, n_hits = _starts(part, n, sentence, containing, position, regex)
    n_starts = len(p)
    doc = np.searchsorted(part.doc_ptr, p, side="right") - 1
    grp = codes[doc]
    p, doc, grp = p[grp >= 0], doc[grp >= 0], grp[grp >= 0]
    rows, gram = _encode(part.ids, p, n, len(part.vocab))
    m = len(rows)
    # counts per (group, n-gram) and per (group, n-gram) of distinct documents, by sorting
    # integer keys: no groups x n-grams grid (by=date would be huge), no sparse lookups
    keys, f = unique_ints(grp * m + gram, return_counts=True)
    doc_pairs = unique_ints(doc * m + gram)
    doc_keys, doc_counts = unique_ints(codes[doc_pairs // m] * m + doc_pairs % m, return_counts=True)
    totals = np.bincount(grp, minlength=g)
    if containing is not None:  # sizes are all n-grams of the group, not only the clusters
        every = _starts(part, n, sentence, None, None, regex)[0]
        every_grp = codes[np.searchsorted(part.doc_ptr, every, side="right") - 1]
        totals = np.bincount(every_grp[every_grp >= 0], minlength=g)
    # compact arrays for the bucketed merge (discourse.ngram_buckets): n-gram key, group, counts
    return {"cols": [c[keys % max(m, 1)] for c in gram_columns(rows, len(part.vocab))],
            "group": (keys // max(m, 1)).astype(np.int32), "freq": f.astype(np.int64),
            "docs": doc_counts[np.searchsorted(doc_keys, keys)].astype(np.int64),
            "totals": totals.astype(np.int64), "starts": n_starts, "hits": n_hits}


def _partials(tokens: Any, n_partitions: int, *args: Any):
    """Each partition's n-gram counts, a few partitions at a time (as many as a cluster runs at once),
    so that the driver holds only those until they are spilled to buckets."""
    client = getattr(tokens, "client", None) or current_client()
    step = 1 if client is None else max(1, 2 * len(client.scheduler_info().get("workers", {})))
    for lo in range(0, n_partitions, step):
        yield from map_partitions(tokens, _ngram_part, *args, partitions=range(lo, min(lo + step, n_partitions)))


_CHUNK = 2 ** 18
"""Rows of a group given to :func:`keyness_measures` at a time (it makes some twenty arrays of that size)."""
_TEXT_CHUNK = 2 ** 20
"""N-grams joined into text at a time (their term columns are held only for one chunk)."""


def _string_dtype() -> Any:
    """pandas' default string dtype when it is Arrow-backed (pandas 3's ``str``), else ``string[pyarrow]``."""
    dtype = pd.Series(np.array([""], dtype=object)).dtype  # what a column of strings becomes
    return dtype if getattr(dtype, "storage", None) == "pyarrow" else pd.StringDtype("pyarrow")


def _ngram_strings(terms: pa.Array, cols: list[np.ndarray], n: int, v: int) -> Any:
    """The n-grams' terms joined by spaces, by Arrow, a chunk of n-grams at a time: an Arrow string
    column (about the text's bytes and an offset an n-gram; no Python string per n-gram)."""
    chunks = []
    for lo in range(0, len(cols[0]), _TEXT_CHUNK):
        rows = gram_rows([c[lo:lo + _TEXT_CHUNK] for c in cols], n, v)
        chunks.append(pc.binary_join_element_wise(*[terms.take(pa.array(rows[:, j])) for j in range(n)],
                                                      pa.scalar(" ", terms.type)))
    return pd.array(pa.chunked_array(chunks, type=terms.type), dtype=_string_dtype())


def _term_ranks(terms: pa.Array) -> np.ndarray | None:
    """Each term's rank in string order (code points), or None when a term holds a character at or
    below the space: only without one is the order of the space-joined n-grams that of their rows of
    term ranks (a term that begins another sorts first both ways, as the space precedes every other
    character)."""
    if len(terms) and pc.any(pc.match_substring_regex(terms, r"[\x00-\x20]")).as_py():
        return None
    ranks = np.empty(len(terms), np.int32)
    ranks[pc.sort_indices(terms).to_numpy()] = np.arange(len(terms), dtype=np.int32)
    return ranks


def _row_order(kept: dict, n: int, v: int, terms: pa.Array) -> np.ndarray:
    """The result's row order (group, frequency descending, n-gram text) by NumPy's ``lexsort`` on
    integer codes: the group code (labels are sorted), ``-freq``, and the n-gram's term ranks, first
    term first; with a term :func:`_term_ranks` cannot order, the joined texts' own ranks (by Arrow).
    Stable, so equal keys keep the merge's order."""
    ranks = _term_ranks(terms)
    if ranks is None:
        text = _ngram_strings(terms, kept["cols"], n, v)
        keys = [pc.rank(pa.array(text), sort_keys="ascending", tiebreaker="dense").to_numpy()]
    else:
        rows = gram_rows(kept["cols"], n, v)
        keys = [ranks[rows[:, j]] for j in range(n - 1, -1, -1)]
        del rows
    return np.lexsort(keys + [-kept["freq"], kept["group"]])


def _keyness(f: np.ndarray, other: np.ndarray, starts: np.ndarray, totals: np.ndarray, correction: str,
             alpha: float) -> dict[str, np.ndarray]:
    """Each group's n-grams (rows ``starts[k]:starts[k + 1]``, sorted by group) against all other groups,
    with the n-gram totals as corpus sizes; the p-values adjusted within the group. NaN (not significant)
    for a group that is the whole corpus."""
    m, grand = len(f), totals.sum()
    ll, p, lr, adjusted = (np.full(m, np.nan) for _ in range(4))
    significant = np.zeros(m, bool)
    for k, (lo, hi) in enumerate(zip(starts[:-1], starts[1:])):
        if lo == hi or totals[k] == 0 or grand == totals[k]:
            continue
        for a in range(lo, hi, _CHUNK):
            b = min(a + _CHUNK, hi)
            res = keyness_measures(f[a:b], other[a:b], totals[k], grand - totals[k])
            ll[a:b], p[a:b], lr[a:b] = res["log_likelihood"], res["p_value"], res["log_ratio"]
        adjusted[lo:hi], significant[lo:hi] = significance(p[lo:hi], correction, alpha)
    return {"log_likelihood": ll, "p_value": p, "p_adjusted": adjusted, "significant": significant,
            "log_ratio": lr}


def _table(kept: dict, labels: list, n: int, v: int, terms: pa.Array, totals: np.ndarray, n_docs: np.ndarray,
           top: int | None, correction: str, alpha: float) -> tuple[pd.DataFrame, dict[str, int]]:
    """The result built from the merged arrays in place: rows put in order one array at a time, each
    column made once (no copy of the whole table: the frame is made without consolidating its
    columns), the group a categorical, the n-gram Arrow text; and the tests per group."""
    order = _row_order(kept, n, v, terms)
    for key in ("group", "freq", "docs", "all_freq"):
        kept[key] = kept[key][order]
    for j in range(len(kept["cols"])):
        kept["cols"][j] = kept["cols"][j][order]
    del order
    gi, f, df, g = kept.pop("group"), kept.pop("freq"), kept.pop("docs"), len(labels)
    starts = np.searchsorted(gi, np.arange(g + 1))
    columns = {"freq": f, "per_million": f / np.maximum(totals[gi], 1) * 1e6,
               "doc_freq": df, "range": df / np.maximum(n_docs[gi], 1)}
    other = kept.pop("all_freq") - f
    n_tests: dict[str, int] = {}
    if g >= 2 and len(f):
        columns["freq_other"] = other
        columns.update(_keyness(f, other, starts, totals, correction, alpha))
        tested = [np.count_nonzero(~np.isnan(columns["p_value"][lo:hi])) for lo, hi in zip(starts[:-1], starts[1:])]
        n_tests = {str(label): int(t) for label, t in zip(labels, tested) if t}
    del other
    columns["rank"] = np.arange(len(f)) - np.repeat(starts[:-1], np.diff(starts)) + 1
    cols = kept.pop("cols")
    if top is not None:
        keep = columns["rank"] <= top
        columns, gi, cols = {k: c[keep] for k, c in columns.items()}, gi[keep], [c[keep] for c in cols]
    text = _ngram_strings(terms, cols, n, v)
    del cols
    group = pd.Categorical.from_codes(gi, categories=pd.Index(labels))
    return pd.DataFrame({"group": group, "ngram": text, **columns}, copy=False), n_tests


def ngrams(
    tokens: Tokens | Partitioned,
    n: int = 2,
    *,
    by: str | None = None,
    min_freq: int = 2,
    sentence: bool = True,
    containing: Query | None = None,
    position: int | None = None,
    regex: bool = False,
    top: int | None = None,
    alpha: float = 0.05,
    correction: str = "sidak",
) -> pd.DataFrame:
    """N-gram (cluster) frequencies per group, with keyness against the other groups.

    Parameters
    ----------
    tokens : Tokens or a partitioned corpus (a store, :class:`~discourse.partitions.SplitTokens`)
    n : int
        N-gram length (default 2; lexical-bundle studies use 3 or 4, Biber et al. 2004).
    by : str, optional
        Metadata column to group documents by (e.g. ``"outlet"``).
    min_freq : int
        Keep n-grams occurring at least this often in a group (default 2).
    sentence : bool
        N-grams do not cross sentence boundaries (default True; they never cross documents).
    containing : query, optional
        Only clusters containing this query (word, phrase, wildcard, regex, term group).
    position : int, optional
        With ``containing``: the 0-based slot where the query must start
        (0 = the cluster begins with it, as AntConc's "on left"); default any slot.
    regex : bool
        Treat a string ``containing`` as regular expressions.
    top : int, optional
        Keep the ``top`` most frequent n-grams per group.
    alpha, correction : float, {"sidak", "bonferroni", "holm", "bh", "none"}
        ``significant`` = the G2 p-value adjusted (default Šidák) over the group's
        n-grams with at least ``min_freq`` occurrences (before ``top``) is below ``alpha``.

    Returns
    -------
    DataFrame
        One row per (group, n-gram): ``group``, ``ngram`` (terms joined by spaces),
        ``freq``, ``per_million`` (per million n-grams of the group, clusters or not), ``doc_freq``
        (documents of the group containing it), ``range`` (share of the group's
        documents), and with two or more groups ``freq_other`` (in all other groups),
        ``log_likelihood`` (signed G2, positive = more frequent in this group than in
        the others, relative to their n-gram totals), ``p_value``, ``p_adjusted``,
        ``significant`` and ``log_ratio`` (``log2`` of the ratio of relative frequencies;
        a zero count replaced by 0.5, Hardie 2014), then ``rank`` by frequency within the
        group. ``attrs`` holds the parameters, the tests per group (``n_tests``) and the
        n-gram totals per group.
    """
    check_count("n", n, minimum=1)
    check_count("min_freq", min_freq)
    check_count("top", top, optional=True)
    check_fraction("alpha", alpha)
    check_choice("correction", correction, CORRECTIONS)
    if position is not None:
        if containing is None:
            raise ValueError("position needs a containing= query")
        if not 0 <= position < n:
            raise ValueError(f"position must be between 0 and n - 1 = {n - 1}, not {position!r}")
    check_tokens("ngrams", tokens, by, group_labels(tokens.metadata, by))
    labels, codes = doc_codes(tokens, by)
    v, g = len(tokens.vocab), len(labels)
    bounds = partition_bounds(tokens)
    sizes, n_parts = np.diff(np.asarray(tokens.doc_ptr)[bounds]), len(bounds) - 1
    args = (n, sentence, containing, position, regex, codes, g)
    results = _partials(tokens, n_parts, *args) if n_parts > 1 else map_partitions(tokens, _ngram_part, *args)
    seen = {"starts": 0, "hits": 0, "totals": np.zeros(g, np.int64)}

    def each(part: dict) -> None:  # the small per-partition figures, added as the counts stream past
        for key in seen:
            seen[key] = seen[key] + part[key]

    kept, highest, _ = combine(results, sizes, min_freq, each)
    n_starts, totals = seen["starts"], seen["totals"]
    if not n_starts:  # say why nothing can be counted
        _why_none(tokens, n, sentence, containing, regex, seen["hits"])
    if n_starts:
        check_min_freq("ngrams", "min_freq", min_freq, [highest], f"{n}-gram")
    terms = pa.array(tokens.vocab.to_numpy(dtype=object), type=pa.large_string())
    n_docs = np.bincount(codes[codes >= 0], minlength=g)
    out, n_tests = _table(kept, labels, n, v, terms, totals, n_docs, top, correction, alpha)
    out.attrs = {"analysis": "ngrams", "n": n, "by": by, "min_freq": min_freq, "sentence": sentence,
                 "containing": None if containing is None else describe_query(containing, regex),
                 "position": position, "top": top,
                 "keyness": "each group against all other groups (G2, Log Ratio)" if g >= 2 else None,
                 "alpha": alpha, "correction": correction, "n_tests": n_tests,
                 "group_ngrams": dict(zip(map(str, labels), totals.tolist())),
                 "tokenizer": dict(tokens.params)}
    return out
