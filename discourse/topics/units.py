"""Modelling units partition by partition: the map steps behind :func:`~discourse.topics.prepare_corpus`.

A topic corpus is made by maps over the partitions of the corpus (an in-memory
:class:`~discourse.tokens.Tokens` is one partition, :mod:`discourse.partitions`):

1. with ``phrases=True``, each partition's word and bigram counts for gensim ``Phrases``
   (:func:`learn_phrases`; counts add up, so the merged model is the one trained on all sentences);
2. :func:`unit_counts`: each partition's units (documents, paragraphs or chunks: units never
   cross a document, so they are exactly the corpus' units of its documents) and the number of
   units each term occurs in; summed over partitions, these document frequencies prune the vocabulary;
3. :func:`unit_bow`: each partition's units as bags-of-words in the pruned vocabulary, once to
   count the kept tokens, then again whenever the rows are needed (:class:`UnitSource` streams
   them, one partition at a time, into gensim's online LDA).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator, Sequence

import numpy as np
import scipy.sparse as sp

from ..memory import release_maps
from ..partitions import map_partitions, partition_bounds
from ..tokens import Tokens, bow_rows

__all__ = ["Recipe", "UnitSource", "learn_phrases", "merge_unit_counts", "unit_bow", "unit_counts", "unit_index",
           "UnitStream"]

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_LINE_BREAK = re.compile(r"\n")


@dataclass(frozen=True)
class Recipe:
    """How a partition becomes units (picklable: it is sent to Dask workers with the map).

    ``phrases`` is a frozen gensim ``Phrases`` model (or None) with the ``stop`` words a
    phrase may not start or end with; ``phrase_ids`` the global id of every phrase (None
    in the first map, where each partition numbers its phrases in order of appearance);
    ``keep`` the kept columns of the (phrase-extended) vocabulary (None before pruning).
    """

    units: Any
    n_vocab: int
    phrases: Any = None
    stop: frozenset = frozenset()
    phrase_ids: dict | None = None
    keep: np.ndarray | None = None


def unit_index(tokens: Tokens, units) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unit number of every stream token, the document (position in ``tokens``) of each unit, its part number."""
    if units == "document":  # every document is a unit, even an empty one
        return (np.repeat(np.arange(tokens.n_docs), tokens.doc_lengths), np.arange(tokens.n_docs),
                np.zeros(tokens.n_docs, np.int64))
    doc_of = np.repeat(np.arange(tokens.n_docs), tokens.doc_lengths)
    if units == "paragraph":
        part = np.empty(len(doc_of), np.int64)
        for d, text in enumerate(tokens.texts):
            lo, hi = tokens.doc_ptr[d], tokens.doc_ptr[d + 1]
            if hi > lo:
                rx = _PARAGRAPH_BREAK if _PARAGRAPH_BREAK.search(text) else _LINE_BREAK
                breaks = np.fromiter((m.start() for m in rx.finditer(text)), np.int64)
                part[lo:hi] = np.searchsorted(breaks, tokens.starts[lo:hi], side="right")
    else:
        # chunks of ~units tokens, cut at the start of the sentence a chunk boundary falls in
        pos = np.arange(len(doc_of)) - tokens.doc_ptr[doc_of]
        first = np.r_[True, tokens.sent[1:] != tokens.sent[:-1]] if len(doc_of) else np.zeros(0, bool)
        sent_start = np.maximum.accumulate(np.where(first, np.arange(len(doc_of)), 0)) if len(doc_of) else first
        part = pos[sent_start] // int(units)
    scale = int(part.max()) + 1 if len(part) else 1
    uniq, unit_of = np.unique(doc_of.astype(np.int64) * scale + part, return_inverse=True)
    return unit_of.astype(np.int64).ravel(), uniq // scale, uniq % scale


# -- phrases -----------------------------------------------------------------
def _sentences(part: Tokens) -> list[list[str]]:
    v = part.vocab.to_numpy(dtype=object)
    cuts = np.flatnonzero(np.diff(part.sent)) + 1
    return [s.tolist() for s in np.split(v[part.ids], cuts)] if len(part.ids) else []


def _phrase_vocab(part: Tokens, first: int, min_count: int, threshold: float) -> tuple[dict, int, int]:
    """Map: the word and bigram counts gensim ``Phrases`` learns from this partition's sentences."""
    from gensim.models.phrases import ENGLISH_CONNECTOR_WORDS, Phrases

    model = Phrases(_sentences(part), min_count=min_count, threshold=threshold,
                    connector_words=ENGLISH_CONNECTOR_WORDS)
    return model.vocab, model.corpus_word_count, model.min_reduce


def learn_phrases(tokens: Any, min_count: int, threshold: float):
    """A frozen gensim ``Phrases`` model (Mikolov et al. 2013 score) of the corpus' sentences.

    Each partition counts its words and bigrams; the counts are summed as ``Phrases.add_vocab``
    merges them, so the model equals one trained on all sentences at once (unless a partition
    exceeds gensim's ``max_vocab_size`` of 40M entries and is pruned).
    """
    from gensim.models.phrases import ENGLISH_CONNECTOR_WORDS, Phrases

    parts = map_partitions(tokens, _phrase_vocab, min_count, threshold)
    model = Phrases(None, min_count=min_count, threshold=threshold, connector_words=ENGLISH_CONNECTOR_WORDS)
    model.vocab = dict(parts[0][0]) if parts else {}
    for vocab, _, _ in parts[1:]:
        for word, count in vocab.items():
            model.vocab[word] = model.vocab.get(word, 0) + count
    model.corpus_word_count = sum(p[1] for p in parts)
    model.min_reduce = max([1, *(p[2] for p in parts)])
    return model.freeze()


def _phrase_ids(part: Tokens, recipe: Recipe) -> tuple[np.ndarray, list[str]]:
    """Term ids with phrases: the first word of a detected phrase takes the phrase's id, the others a sentinel.

    The stream keeps one entry per token so that units stay aligned; absorbed tokens map to
    the sentinel id ``n_vocab`` (the term ``""``, never kept). Phrases are numbered
    ``n_vocab + 1 + j`` in order of appearance in the partition (``j``-th new phrase), and
    renumbered with ``recipe.phrase_ids`` when given.
    """
    v = part.vocab.to_numpy(dtype=object)
    original = {t: i for i, t in enumerate(v)}
    local: dict[str, int] = {}
    out = part.ids.astype(np.int64).copy()
    absorbed, pos = recipe.n_vocab, 0
    for sent in _sentences(part):
        j = pos
        for piece in recipe.phrases[sent]:
            words = [piece] if piece in original else piece.split("_")
            n = len(words)
            if n > 1 and not (words[0] in recipe.stop or words[-1] in recipe.stop):
                out[j] = local.setdefault(piece, absorbed + 1 + len(local))
                out[j + 1:j + n] = absorbed
            j += n
        pos += len(sent)
    names = list(local)
    if recipe.phrase_ids is not None and names:
        remap = np.r_[np.arange(absorbed + 1), [recipe.phrase_ids[p] for p in names]]
        out = remap[out]
    return out, names


def _stream(part: Tokens, recipe: Recipe) -> tuple[np.ndarray, list[str], int]:
    """Term ids of the partition's tokens, its new phrases, and the width of the id space."""
    if recipe.phrases is None:
        return part.ids, [], recipe.n_vocab
    ids, names = _phrase_ids(part, recipe)
    width = recipe.n_vocab + 1 + (len(names) if recipe.phrase_ids is None else len(recipe.phrase_ids))
    return ids, names, width


def _counts(part: Tokens, recipe: Recipe) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray, np.ndarray, list]:
    ids, names, width = _stream(part, recipe)
    unit_of, unit_doc, unit_part = unit_index(part, recipe.units)
    if recipe.units == "document" and recipe.phrases is None:
        counts = part.dtm  # the shared DTM: no recounting
    else:
        counts = sp.csr_matrix((np.ones(len(ids), np.int32), (unit_of, ids)), shape=(len(unit_doc), width))
        counts.sum_duplicates()
    return counts, ids, unit_of, unit_doc, [unit_part, names]


# -- the two maps ------------------------------------------------------------
def unit_counts(part: Tokens, first: int, recipe: Recipe) -> dict:
    """Map 1: the partition's units (global document positions, parts, character spans) and term unit frequencies."""
    counts, ids, unit_of, unit_doc, (unit_part, names) = _counts(part, recipe)
    n = len(unit_doc)
    if recipe.units == "document":  # whole texts (token offsets are computed lazily: avoid them)
        start, end = np.zeros(n, np.int64), np.fromiter(map(len, part.texts), np.int64, n)
    else:
        size = np.bincount(unit_of, minlength=n)
        bounds = np.r_[0, np.cumsum(size)].astype(np.int64)  # units are runs of the stream, each with >= 1 token
        start, end = part.starts[bounds[:-1]], part.ends[bounds[1:] - 1]
    return {"unit_doc": unit_doc + first, "part": unit_part, "start": start, "end": end,
            "df": np.diff(counts.tocsc().indptr), "phrases": names}


def merge_unit_counts(parts: Sequence[dict], n_vocab: int, phrases: bool) -> tuple[dict, dict | None]:
    """Units of all partitions in order, the summed unit frequencies and the global phrase ids.

    Phrases are numbered in order of first appearance in the corpus (partition order, then
    order within a partition), as a single pass over the whole stream numbers them.
    """
    phrase_ids: dict[str, int] | None = {} if phrases else None
    base = n_vocab + 1 if phrases else n_vocab
    for p in parts:
        for name in p["phrases"]:
            phrase_ids.setdefault(name, base + len(phrase_ids))
    df = np.zeros(base + (len(phrase_ids) if phrases else 0), np.int64)
    for p in parts:
        df[:base] += p["df"][:base]
        if p["phrases"]:
            np.add.at(df, [phrase_ids[name] for name in p["phrases"]], p["df"][base:])
    merged = {key: np.concatenate([p[key] for p in parts]) for key in ("unit_doc", "part", "start", "end")}
    merged["unit_doc"] = merged["unit_doc"].astype(np.int64, copy=False)
    merged["df"], merged["n_units"] = df, np.array([len(p["unit_doc"]) for p in parts], np.int64)
    return merged, phrase_ids


def unit_bow(part: Tokens, first: int, recipe: Recipe, want: str = "all", rows: np.ndarray | None = None) -> dict:
    """Map 2: the partition's units as bags-of-words in the kept vocabulary (``recipe.keep``).

    ``want``: ``"all"`` (``bow`` units x kept terms int32, ``unit_ids`` each unit's kept term ids
    in text order, ``n_kept``, the column sums ``freq`` and the partition's ``texts``: what an
    in-memory corpus keeps), ``"summary"`` (``n_kept`` and ``freq`` only: what a partitioned
    corpus keeps), ``"rows"`` (``bow`` and ``unit_ids`` of the partition's units ``rows``, local numbers).
    """
    counts, ids, unit_of, unit_doc, _ = _counts(part, recipe)
    n = len(unit_doc)
    bow = counts[:, recipe.keep].tocsr().astype(np.int32)
    bow.sort_indices()
    out: dict[str, Any] = {}
    if want in ("all", "summary"):
        out["n_kept"] = np.asarray(bow.sum(axis=1)).ravel()
        out["freq"] = np.asarray(bow.sum(axis=0)).ravel().astype(np.int64)
    if want in ("all", "rows"):
        new_id = np.full(len(recipe.keep), -1, np.int64)
        new_id[recipe.keep] = np.arange(int(recipe.keep.sum()))
        mapped = new_id[ids]
        kept = mapped >= 0
        # kept tokens of each unit in text order, split without a Python loop over tokens
        unit_ids = np.split(mapped[kept], np.cumsum(np.bincount(unit_of[kept], minlength=n))[:-1]) if n else []
        if rows is not None:
            bow, unit_ids = bow[rows], [unit_ids[r] for r in rows]
        out.update(bow=bow, unit_ids=unit_ids)
    if want == "all":
        out["texts"] = part.texts
    return out


def _texts(part: Tokens, first: int, docs: np.ndarray) -> dict[int, str]:
    """Map: the cleaned texts of the corpus documents ``docs`` that are in this partition."""
    mine = docs[(docs >= first) & (docs < first + part.n_docs)]
    return {int(d): part.texts[int(d) - first] for d in mine}


class UnitSource:
    """The units of a partitioned corpus, read back partition by partition (never all at once).

    ``offsets[k]:offsets[k + 1]`` are the units of partition ``k``.
    """

    def __init__(self, tokens: Any, recipe: Recipe, n_units: np.ndarray) -> None:
        self.tokens, self.recipe = tokens, recipe
        self.offsets = np.r_[0, np.cumsum(n_units)].astype(np.int64)
        self.bounds = partition_bounds(tokens)

    def _part(self, k: int, local: np.ndarray | None) -> dict:
        piece = map_partitions(self.tokens, unit_bow, self.recipe, "rows", local, partitions=[k])[0]
        # Its units are bags-of-words now: the pages read from the maps would sit under gensim's chunk
        # (a store's cache keeps them up to its limit, 1.25 GiB: 100M tokens, K=20 peaked at 1,527 MiB).
        release_maps()
        return piece

    def pieces(self, rows: np.ndarray | None = None) -> Iterator[tuple[np.ndarray | None, dict]]:
        """``(positions in rows, rows of one partition)`` for each partition holding some of ``rows``.

        Increasing ``rows`` come out in their order; others are grouped by partition.
        """
        for k in range(len(self.offsets) - 1):
            lo, hi = self.offsets[k], self.offsets[k + 1]
            if rows is None:
                if hi > lo:
                    yield None, self._part(k, None)
                continue
            where = np.flatnonzero((rows >= lo) & (rows < hi))
            if len(where):
                yield where, self._part(k, rows[where] - lo)

    def gather(self, rows: np.ndarray | None = None) -> tuple[sp.csr_matrix, list[np.ndarray]]:
        """Bag-of-words rows and kept term ids of ``rows`` (default all units), in the order of ``rows``."""
        width = int(self.recipe.keep.sum())
        order, mats, ids = [], [], []
        for where, piece in self.pieces(rows):
            order.append(where)
            mats.append(piece["bow"])
            ids += piece["unit_ids"]
        bow = sp.vstack(mats, format="csr") if mats else sp.csr_matrix((0, width), dtype=np.int32)
        if rows is not None and len(order):
            inverse = np.argsort(np.concatenate(order), kind="stable")
            bow, ids = bow[inverse], [ids[i] for i in inverse]
        return bow, ids

    def docs(self, rows: np.ndarray | None = None) -> Iterator[list[tuple[int, int]]]:
        """gensim bags-of-words of ``rows`` (increasing; default all), one partition in memory at a time."""
        for _, piece in self.pieces(rows):
            yield from bow_rows(piece["bow"])

    def texts(self, docs: Sequence[int]) -> dict[int, str]:
        """Cleaned texts of the documents ``docs`` (positions), read from the partitions that hold them."""
        docs = np.unique(np.asarray(docs, np.int64))
        ks = np.unique(np.searchsorted(self.bounds, docs, side="right") - 1) if len(docs) else []
        out: dict[int, str] = {}
        for piece in map_partitions(self.tokens, _texts, docs, partitions=list(ks)):
            out.update(piece)
        return out


class UnitStream:
    """A re-iterable corpus with a length, as gensim's ``LdaModel.update`` wants: each pass re-reads the partitions."""

    def __init__(self, source: UnitSource, rows: np.ndarray | None, n: int) -> None:
        self.source, self.rows, self.n = source, rows, n

    def __len__(self) -> int:
        return self.n

    def __iter__(self) -> Iterator[list[tuple[int, int]]]:
        return self.source.docs(self.rows)
