"""Queries over the token stream: word, phrase, wildcard, regex and term-group nodes.

A query resolves to *alternatives*, each a sequence of token slots, each slot a
set of term ids; a hit is a run of consecutive tokens (in one document) whose
terms fall in the slots. Collocates, concordances, clusters and dispersion plots
all take their node from here, so a node means the same thing everywhere.

Query syntax
------------
``"aggression"``
    a word, normalised like the corpus (case folding, acronyms, possessive split, lemma):
    ``"Russia's"`` is the phrase ``russia 's`` under the default tokenization;
    ``"F.B.I."`` and ``"FBI"`` find the same hits (``fbi``), ``"US"`` and ``"U.S."``
    the acronym (``US``), ``"us"`` the pronoun (:func:`discourse.normalise.word_term`).
``"military aggression"``
    a phrase (whitespace separates token slots).
``"russia*"``, ``"aggress?on"``
    wildcards (``*`` any characters, ``?`` one character), as in AntConc.
``re.compile(r"russ.*")`` or ``regex=True``
    a regular expression matched against whole terms (``fullmatch``); with
    ``regex=True`` a string is one regex per whitespace-separated slot.
``["Russia", "Russian", "Moscow", "Kremlin", "Putin"]``
    a term group (any list, tuple or set): hits of any member, members may
    themselves be phrases, wildcards or compiled regexes.

The :class:`ConcordanceIndex` (positions sorted by term id, built once per
:class:`~discourse.tokens.Tokens` and cached) finds the positions of any term
in O(1) plus the size of the answer.

A corpus in partitions (a store, :class:`~discourse.partitions.SplitTokens`)
is queried the same way: the query is resolved once against the corpus'
vocabulary (:func:`resolve_query`), only the partitions that can hold a hit are
read (:func:`query_partitions`: those holding a term of every slot of some
alternative) and each is matched on its own (:func:`match`); a hit never
crosses a document, so never a partition, and the hits of the partitions, in
corpus order, are those of the whole corpus (:func:`find`).
"""
from __future__ import annotations

import fnmatch
import re
import weakref
from dataclasses import dataclass
from typing import Any, Iterable, Union

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .normalise import word_term
from .partitions import is_partitioned, map_partitions, partition_bounds, term_partitions
from .stats.arrays import unique_ints
from .tokenizer import tokenize
from .tokens import Tokens

Query = Union[str, re.Pattern, Iterable[Union[str, re.Pattern]]]

__all__ = ["Query", "Hits", "ConcordanceIndex", "PartitionedIndex", "concordance_index", "attach_index", "find", "describe_query",
           "ResolvedQuery", "resolve_query", "query_partitions", "match", "join_hits", "split_hits"]


@dataclass(frozen=True)
class Hits:
    """Matches of a query: one row per hit, in corpus order.

    Attributes
    ----------
    start : ndarray of int64
        Corpus position (index into ``tokens.ids``) of the hit's first token.
    length : ndarray of int64
        Tokens in the hit (1 for a word, k for a k-word phrase).
    doc : ndarray of int64
        Document index of the hit.
    query : str
        Human-readable form of the query.
    terms : list of str
        The terms the query matched (for the record).
    """

    start: np.ndarray
    length: np.ndarray
    doc: np.ndarray
    query: str
    terms: list

    @property
    def end(self) -> np.ndarray:
        """Position one past the hit's last token."""
        return self.start + self.length

    def __len__(self) -> int:
        return len(self.start)

    def covered(self) -> np.ndarray:
        """Sorted unique corpus positions covered by any hit."""
        if len(self) == 0:
            return np.zeros(0, np.int64)
        if (self.length == 1).all():
            return self.start
        rep = np.repeat(self.start, self.length)
        step = np.arange(len(rep)) - np.repeat(np.cumsum(self.length) - self.length, self.length)
        return unique_ints(rep + step)


class ConcordanceIndex:
    """Positions of every term, built once: ``order`` (positions sorted by term id) and ``ptr``.

    The positions of term ``t`` are ``order[ptr[t]:ptr[t+1]]``, ascending.
    Build it with :func:`concordance_index` (cached per Tokens object).
    """

    def __init__(self, tokens: Tokens) -> None:
        ids, n = tokens.ids, len(tokens.ids)
        # a counting sort by term id (scipy's COO -> CSR conversion, O(n), 4x faster than a stable
        # argsort): row t of the matrix lists term t's positions in corpus order
        m = sp.csr_matrix((np.ones(n, np.int8), (ids, np.arange(n))), shape=(len(tokens.vocab), max(n, 1)))
        self.order = m.indices.astype(np.int64)
        self.ptr = m.indptr.astype(np.int64)
        self.n_tokens = len(ids)
        self.words: dict[str, list[str]] = {}  # query word -> its terms under the corpus tokenization

    @classmethod
    def from_arrays(cls, order: np.ndarray, ptr: np.ndarray) -> "ConcordanceIndex":
        """The index from its two arrays as stored (a store's inverted index of one partition, which may be
        memory-mapped), without a pass over the tokens; give it to :func:`attach_index`."""
        index = cls.__new__(cls)
        index.order, index.ptr = np.asarray(order), np.asarray(ptr, np.int64)
        index.n_tokens, index.words = len(index.order), {}
        return index

    def positions(self, term_ids: np.ndarray) -> np.ndarray:
        """Sorted corpus positions of any of ``term_ids``."""
        term_ids = np.asarray(term_ids, np.int64)
        if len(term_ids) == 1:
            t = term_ids[0]
            return self.order[self.ptr[t]:self.ptr[t + 1]]
        parts = [self.order[self.ptr[t]:self.ptr[t + 1]] for t in term_ids.tolist()]
        return np.sort(np.concatenate(parts)) if parts else np.zeros(0, np.int64)


class PartitionedIndex:
    """:class:`ConcordanceIndex` of a corpus in partitions: positions read from the partitions holding the terms.

    Holds no position itself (that would be the corpus' size): :meth:`positions`
    maps over the partitions where a term occurs (:func:`discourse.partitions.term_partitions`,
    a store's inverted index) and returns corpus positions, as on the whole :class:`Tokens`.
    Also the per-corpus cache of query words (``words``) and of vocabulary-sized arrays.
    """

    def __init__(self, tokens: Any) -> None:
        self._tokens = weakref.ref(tokens)
        self.n_tokens = tokens.n_tokens
        self.words: dict[str, list[str]] = {}

    def positions(self, term_ids: np.ndarray) -> np.ndarray:
        """Sorted corpus positions of any of ``term_ids``."""
        tokens = self._tokens()
        term_ids = np.asarray(term_ids, np.int64)
        ks = term_partitions(tokens, term_ids.tolist())
        parts = map_partitions(tokens, _part_positions, term_ids, partitions=ks)
        ptr = np.asarray(tokens.doc_ptr, np.int64)
        out = [pos + ptr[first] for first, pos in parts]  # partition positions start at its first document
        return np.concatenate(out) if out else np.zeros(0, np.int64)


def _part_positions(part: Tokens, first: int, term_ids: np.ndarray) -> tuple[int, np.ndarray]:
    return first, concordance_index(part).positions(term_ids)


_CACHE: dict[int, tuple[weakref.ref, Any]] = {}


def concordance_index(tokens: Any) -> ConcordanceIndex | PartitionedIndex:
    """The :class:`ConcordanceIndex` of ``tokens``, built on first use and cached while ``tokens`` lives
    (a :class:`PartitionedIndex` for a corpus in partitions)."""
    key = id(tokens)
    hit = _CACHE.get(key)
    if hit is not None and hit[0]() is tokens and hit[1].n_tokens == tokens.n_tokens:
        return hit[1]
    return attach_index(tokens, PartitionedIndex(tokens) if is_partitioned(tokens) else ConcordanceIndex(tokens))


def attach_index(tokens: Any, index: ConcordanceIndex | PartitionedIndex) -> ConcordanceIndex | PartitionedIndex:
    """Make ``index`` the one :func:`concordance_index` returns for ``tokens`` while it lives (a store
    attaches its stored index, :meth:`ConcordanceIndex.from_arrays`, to a partition it opens)."""
    if index.n_tokens != tokens.n_tokens:
        raise ValueError(f"the index covers {index.n_tokens:,} tokens, the corpus has {tokens.n_tokens:,}")
    key = id(tokens)
    _CACHE[key] = (weakref.ref(tokens, lambda _r, k=key: _CACHE.pop(k, None)), index)
    return index


# --------------------------------------------------------------------------- resolution
def describe_query(query: Query, regex: bool = False) -> str:
    """Readable form of a query for attrs and titles."""
    if isinstance(query, re.Pattern):
        return f"/{query.pattern}/"
    if isinstance(query, str):
        return f"/{query}/" if regex else query
    return "{" + ", ".join(describe_query(q, regex) for q in query) + "}"


def _vocab_match(tokens: Any, rx: re.Pattern) -> np.ndarray:
    match = rx.fullmatch
    hit = np.fromiter((match(t) is not None for t in tokens.vocab), bool, len(tokens.vocab))
    return np.flatnonzero(hit)


_PLAIN = re.compile(r"[^\W_]+")  # letters/digits only: one token, no clitic, no hyphen
_TOKENIZE_OPTIONS = ("lowercase", "acronyms", "keep_case", "possessives", "hyphens", "numbers", "punctuation",
                     "urls", "lemmatize", "min_length")


def _word_slots(tokens: Any, word: str) -> list[np.ndarray]:
    """Term-id sets of the tokens a query word splits into under the corpus's own tokenization."""
    if any(c in word for c in "*?"):
        pat = fnmatch.translate(word.lower() if tokens.params.get("lowercase", True) else word)
        return [_vocab_match(tokens, re.compile(pat, re.S))]
    params = tokens.params
    if _PLAIN.fullmatch(word) and not params.get("lemmatize"):
        # what the tokenizer would do ("US" keeps its case, "us" is the pronoun)
        term = word_term(word, params.get("lowercase", True), keep_case=frozenset(params.get("keep_case", ())))[0]
        return [np.array([i] if (i := tokens.term_id(term)) >= 0 else [], np.int64)]
    cache = concordance_index(tokens).words
    terms = cache.get(word)
    if terms is None:
        # the public tokenizer with the corpus's options: "Russia's" -> russia + 's, lemmas, case;
        # stop words are kept so a query word is never silently emptied
        options = {k: tokens.params[k] for k in _TOKENIZE_OPTIONS if k in tokens.params}
        one = tokenize([word], **options)
        terms = cache[word] = one.doc_tokens(0) if one.n_docs else []
    ids = [tokens.term_id(t) for t in terms]
    return [np.array([i] if i >= 0 else [], np.int64) for i in ids]


def _alternatives(tokens: Any, query: Query, regex: bool) -> list[list[np.ndarray]]:
    if isinstance(query, re.Pattern):
        return [[_vocab_match(tokens, query)]]
    if isinstance(query, str):
        parts = query.split()
        if not parts:
            raise ValueError("empty query")
        if regex:
            try:
                return [[_vocab_match(tokens, re.compile(p)) for p in parts]]
            except re.error as e:
                raise ValueError(f"invalid regular expression in query {query!r}: {e}") from None
        slots = [s for p in parts for s in _word_slots(tokens, p)]
        if not slots:
            raise ValueError(f"query {query!r} has no countable token under this tokenization")
        return [slots]
    if isinstance(query, (list, tuple, set, frozenset, pd.Index, np.ndarray)):
        members = list(query)
        if not members:
            raise ValueError("empty term group")
        out: list[list[np.ndarray]] = []
        for m in members:
            if not isinstance(m, (str, re.Pattern)):
                raise TypeError(f"term-group members must be str or compiled regex, not {type(m).__name__}")
            out += _alternatives(tokens, m, regex)
        # single-token members merge into one slot (one isin instead of many)
        single = [a[0] for a in out if len(a) == 1]
        multi = [a for a in out if len(a) > 1]
        merged = [[unique_ints(np.concatenate(single))]] if single else []
        return merged + multi
    raise TypeError(f"query must be a str, a compiled regex or a list/set of them, not {type(query).__name__}")




# --------------------------------------------------------------------------- matching
@dataclass(frozen=True)
class ResolvedQuery:
    """A query resolved against a corpus' vocabulary: all a partition needs to find its hits.

    Attributes
    ----------
    alternatives : list of list of ndarray
        Each alternative a sequence of token slots, each slot the term ids it accepts.
    query : str
        Human-readable form of the query (:func:`describe_query`).
    terms : list of str
        The terms the query matched.
    """

    alternatives: list
    query: str
    terms: list


def resolve_query(tokens: Any, query: Query, regex: bool = False) -> ResolvedQuery:
    """Resolve ``query`` (see the module docstring) against the vocabulary and tokenizer options of ``tokens``.

    Needs no token stream, so it runs once at the entry of an analysis, on a
    :class:`Tokens` or a corpus in partitions alike.
    """
    if not isinstance(tokens, Tokens) and not is_partitioned(tokens):
        raise TypeError(f"tokens must be discourse Tokens, not {type(tokens).__name__}")
    alts = _alternatives(tokens, query, regex)
    terms = sorted({tokens.vocab[t] for slots in alts for s in slots for t in s.tolist()})
    return ResolvedQuery(alts, describe_query(query, regex), terms)


def query_partitions(tokens: Any, resolved: ResolvedQuery) -> np.ndarray:
    """The partitions that can hold a hit: for some alternative, a term of each of its slots occurs there.

    A phrase needs all its words in the partition (the intersection of each slot's
    partitions), a term group any member (the union over alternatives). ``[0]``
    for a :class:`Tokens` (one partition) unless no alternative can match at all.
    """
    found: set[int] = set()
    for slots in resolved.alternatives:
        if any(len(s) == 0 for s in slots):
            continue
        ks = None
        for s in slots:
            here = set(term_partitions(tokens, s.tolist()).tolist())
            ks = here if ks is None else ks & here
            if not ks:
                break
        found |= ks or set()
    return np.array(sorted(found), dtype=np.int64)


def match(tokens: Tokens, resolved: ResolvedQuery) -> Hits:
    """The hits of a resolved query in one :class:`Tokens` (a partition): positions and documents of that Tokens.

    Phrases match consecutive counted tokens within one document (dropped
    punctuation does not interrupt them). Where term-group members overlap
    at the same start (``russia`` and ``russia 's``), the longest hit is kept.
    """
    alts = resolved.alternatives
    index = concordance_index(tokens)
    ids, doc_ptr = tokens.ids, tokens.doc_ptr
    starts, lengths = [], []
    for slots in alts:
        if any(len(s) == 0 for s in slots):
            continue
        cand = index.positions(slots[0])
        k = len(slots)
        if k > 1 and len(cand):
            doc_end = doc_ptr[np.searchsorted(doc_ptr, cand, side="right")]
            cand = cand[cand + k <= doc_end]
            for j in range(1, k):
                nxt = ids[cand + j]
                cand = cand[nxt == slots[j][0] if len(slots[j]) == 1 else np.isin(nxt, slots[j])]
        starts.append(cand)
        lengths.append(np.full(len(cand), k, np.int64))
    one = len(starts) == 1  # one alternative (most queries): its positions, not a concatenated copy
    start = (starts[0] if one else np.concatenate(starts)).astype(np.int64) if starts else np.zeros(0, np.int64)
    length = (lengths[0] if one else np.concatenate(lengths)) if lengths else np.zeros(0, np.int64)
    if len(alts) > 1 and len(start):
        order = np.lexsort((-length, start))
        start, length = start[order], length[order]
        first = np.r_[True, start[1:] != start[:-1]]
        start, length = start[first], length[first]
    doc = np.searchsorted(doc_ptr, start, side="right") - 1
    return Hits(start, length, doc.astype(np.int64, copy=False), resolved.query, resolved.terms)


def _part_hits(part: Tokens, first: int, resolved: ResolvedQuery) -> tuple[int, Hits]:
    return first, match(part, resolved)


def find(tokens: Any, query: Query, *, regex: bool = False) -> Hits:
    """All hits of ``query`` (see the module docstring for the syntax), in corpus order.

    Phrases match consecutive counted tokens within one document (dropped
    punctuation does not interrupt them). Where term-group members overlap
    at the same start (``russia`` and ``russia 's``), the longest hit is kept.
    On a corpus in partitions only the partitions that can hold a hit are read
    (:func:`query_partitions`); ``start`` and ``doc`` are corpus positions and
    document indices, as on the whole :class:`Tokens`.
    """
    resolved = resolve_query(tokens, query, regex)
    parts = map_partitions(tokens, _part_hits, resolved, partitions=query_partitions(tokens, resolved))
    return join_hits(tokens.doc_ptr, parts, resolved)


def join_hits(doc_ptr: np.ndarray, parts: list[tuple[int, Hits]], resolved: ResolvedQuery) -> Hits:
    """The hits of partitions, ``[(first document, its hits), ...]`` in partition order, as corpus-wide hits
    (``doc_ptr``: the corpus' document pointers; a partition's positions start at its first document's)."""
    ptr = np.asarray(doc_ptr, np.int64)

    def joined(arrays: list[np.ndarray]) -> np.ndarray:
        return np.concatenate(arrays).astype(np.int64) if arrays else np.zeros(0, np.int64)

    return Hits(joined([h.start + ptr[first] for first, h in parts]), joined([h.length for _, h in parts]),
                joined([h.doc + first for first, h in parts]), resolved.query, resolved.terms)


def split_hits(tokens: Any, hits: Hits) -> dict[int, Hits]:
    """Corpus-wide ``hits`` cut by partition: ``{first document of the partition: its hits}``, with the
    positions and document indices of that partition (as :func:`match` on it gives them).

    Map functions get the dict as an argument and take their part by ``first`` (an empty
    partition has the ``first`` of the next one: it holds no hit, check ``part.n_docs``).
    """
    bounds = partition_bounds(tokens)
    ptr = np.asarray(tokens.doc_ptr, np.int64)
    k = np.searchsorted(bounds, hits.doc, side="right") - 1
    out = {}
    for part in np.unique(k).tolist():
        sel = k == part
        first = int(bounds[part])
        out[first] = Hits(hits.start[sel] - ptr[first], hits.length[sel], hits.doc[sel] - first,
                          hits.query, hits.terms)
    return out
