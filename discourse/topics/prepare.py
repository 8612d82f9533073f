"""Modelling units and their bag-of-words, from the shared token stream and DTM, partition by partition.

Nothing here re-tokenises text: whole documents are rows of the document-term
matrix (vocabulary filters are column masks); paragraphs and fixed-size chunks are
cuts of the token stream (paragraph breaks located by comparing token offsets with
blank lines in the texts); phrases are learnt by gensim ``Phrases`` from sentence
token lists taken from the stream. All of it is computed by maps over the corpus'
partitions (:mod:`discourse.topics.units`): on an in-memory :class:`~discourse.tokens.Tokens`
(one partition) the :class:`TopicCorpus` holds every unit's bag-of-words; on a partitioned
corpus (a store, :class:`~discourse.partitions.SplitTokens`) it holds only the units table
and the term counts, and reads the rows back from the partitions when a model needs them,
so the whole corpus' bag-of-words is never in memory. Both give the same units,
vocabulary and counts.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any, Iterable

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..corpus import corpus_hash
from ..partitions import is_partitioned, map_partitions, merge_sum
from ..stopwords import stopword_label, stopword_set
from ..tokens import Tokens, bow_rows
from ..validation import check_tokens
from .units import Recipe, UnitSource, UnitStream, learn_phrases, merge_unit_counts, unit_bow, unit_counts

__all__ = ["UNITS_HELP", "TopicCorpus", "prepare_corpus", "vocabulary_filters"]

UNITS_HELP = "units must be 'document', 'paragraph' or a chunk size in tokens (int >= 10)"
FEW_UNITS = 10  # below this, document-frequency filters are off (min_df 1, max_df 1.0)


def vocabulary_filters(n_units: int) -> tuple[int, float]:
    """Default ``(min_df, max_df)`` for ``n_units`` modelling units (the rule of :func:`prepare_corpus`).

    ``min_df = min(5, max(2, ceil(0.005 n)))`` and ``max_df = 0.5`` from 10
    units on; ``(1, 1.0)`` below 10 units.
    """
    if n_units < FEW_UNITS:
        return 1, 1.0
    return min(5, max(2, math.ceil(0.005 * n_units))), 0.5


@dataclass
class TopicCorpus:
    """The modelling units of a topic model and their bag-of-words.

    Attributes
    ----------
    bow : scipy.sparse.csr_matrix or None
        Units x kept terms counts (int32); None for a partitioned corpus, whose rows are
        read back from its partitions (:meth:`rows`, :meth:`stream`).
    vocab : pandas.Index
        Kept terms (and phrases such as ``"prime_minister"``), by column.
    unit_doc : ndarray of int64
        Position of each unit's document in ``metadata``.
    units : DataFrame
        One row per unit: ``unit``, ``doc_id``, ``part`` (paragraph/chunk number
        within the document), ``n_tokens`` (kept tokens), ``start`` and ``end``
        (character span in the cleaned text: the whole text for documents,
        first to last token for paragraphs and chunks).
    metadata : DataFrame
        Document metadata (indexed by ``doc_id``).
    texts : list of str or None
        The cleaned document texts (for representative documents); None for a partitioned
        corpus (:meth:`document_texts` reads them from the partitions).
    params : dict
        How the units and the vocabulary were made.
    term_freq, term_df : ndarray of int64
        Each kept term's count and number of units (column sums and non-zero rows of ``bow``).
    source : UnitSource or None
        Where a partitioned corpus' rows are read from.
    """

    bow: sp.csr_matrix | None
    vocab: pd.Index
    unit_doc: np.ndarray
    units: pd.DataFrame
    metadata: pd.DataFrame
    texts: list[str] | None
    params: dict = field(default_factory=dict)
    unit_ids: list[np.ndarray] | None = field(default=None, repr=False)  # per unit term ids (for coherence)
    term_freq: np.ndarray | None = field(default=None, repr=False)
    term_df: np.ndarray | None = field(default=None, repr=False)
    source: Any = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.bow is not None and self.term_freq is None:  # e.g. loaded from disk
            self.term_freq = np.asarray(self.bow.sum(axis=0)).ravel().astype(np.int64)
            self.term_df = np.diff(self.bow.tocsc().indptr).astype(np.int64)

    @property
    def n_units(self) -> int:
        return len(self.unit_doc)

    @property
    def n_docs(self) -> int:
        return len(self.metadata)

    @property
    def partitioned(self) -> bool:
        """True when the rows live in the partitions of the corpus (``bow`` is None)."""
        return self.bow is None

    def rows(self, rows: np.ndarray | None = None) -> sp.csr_matrix:
        """Units x kept terms counts of ``rows`` (default all; read from the partitions holding them)."""
        if self.bow is not None:
            return self.bow if rows is None else self.bow[rows]
        return self.source.gather(None if rows is None else np.asarray(rows, np.int64))[0]

    def stream(self, rows: np.ndarray | None = None):
        """The bags-of-words of ``rows`` for gensim: a list in memory; for a partitioned corpus a
        re-iterable that reads one partition at a time (each pass of the model re-reads them)."""
        if self.bow is not None:
            return self.gensim_corpus(rows)
        rows = None if rows is None else np.asarray(rows, np.int64)
        if rows is not None and len(rows) > 1 and (np.diff(rows) <= 0).any():
            return self.gensim_corpus(rows)  # an arbitrary order: gathered (only these rows)
        return UnitStream(self.source, rows, self.n_units if rows is None else len(rows))

    def chunks(self, size: int) -> Iterable[list[list[tuple[int, int]]]]:
        """All units' bags-of-words in consecutive chunks of ``size`` units (the last may be shorter)."""
        if self.bow is not None:
            for lo in range(0, self.n_units, size):
                yield self.gensim_corpus(np.arange(lo, min(lo + size, self.n_units)))
            return
        chunk: list = []
        for doc in self.source.docs():
            chunk.append(doc)
            if len(chunk) == size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def gensim_corpus(self, rows: np.ndarray | None = None) -> list[list[tuple[int, int]]]:
        """Bag-of-words of the units (or of ``rows``), as gensim expects (a list: in memory)."""
        return list(bow_rows(self.rows(rows)))

    def dictionary(self):
        """A ``gensim.corpora.Dictionary`` whose ids are the columns of ``bow`` (filled from the term counts)."""
        from gensim.corpora import Dictionary

        d = Dictionary()
        d.token2id = {t: i for i, t in enumerate(self.vocab)}
        d.cfs = dict(enumerate(self.term_freq.tolist()))
        d.dfs = dict(enumerate(self.term_df.tolist()))
        d.num_docs, d.num_pos, d.num_nnz = self.n_units, int(self.term_freq.sum()), int(self.term_df.sum())
        return d

    def unit_texts(self, rows: np.ndarray | None = None) -> list[list[str]]:
        """Kept tokens of each unit in text order (what sliding-window coherence needs)."""
        rows = np.arange(self.n_units) if rows is None else np.asarray(rows)
        ids = self.unit_ids if self.bow is not None else self.source.gather(rows)[1]
        v = self.vocab.to_numpy()
        if self.bow is None:
            return [v[u].tolist() for u in ids]
        return [v[ids[r]].tolist() for r in rows]

    def document_texts(self, docs: Iterable[int]) -> dict[int, str]:
        """Cleaned texts of the documents at positions ``docs`` (read from their partitions if need be)."""
        docs = [int(d) for d in docs]
        if self.texts is not None:
            return {d: self.texts[d] for d in docs}
        return self.source.texts(docs)


def prepare_corpus(
    tokens: Any,
    *,
    units: str | int = "document",
    min_df: int | None = None,
    max_df: float | None = None,
    stopwords: str | Iterable[str] | None = "english+house_style",
    words_only: bool = True,
    phrases: bool = False,
    phrase_min_count: int = 5,
    phrase_threshold: float = 10.0,
) -> TopicCorpus:
    """Modelling units and vocabulary for a topic model (no re-tokenising).

    Parameters
    ----------
    tokens : Tokens or partitioned corpus
        The shared token stream and DTM (:func:`discourse.tokenize`), or a corpus in
        partitions (a store, :class:`~discourse.partitions.SplitTokens`): the units and
        counts are computed partition by partition (a first map for the units' document
        frequencies, which prune the vocabulary, a second for their bags-of-words), and
        equal those of the whole corpus in memory.
    units : {"document", "paragraph"} or int
        What a topic model sees as a document: whole documents (default),
        paragraphs (text between blank lines; between line breaks in a
        document without blank lines) or chunks of about ``units``
        tokens cut at sentence ends. Small corpora need paragraphs or chunks;
        results are aggregated back to documents.
    min_df, max_df : int, float, optional
        Keep terms in at least ``min_df`` units and at most a share ``max_df``
        of units. By default both follow the number of units ``n``
        (:func:`vocabulary_filters`): ``min_df = min(5, max(2, ceil(0.005 n)))``,
        that is at least 2, as stm's ``prepDocuments`` (``lower.thresh = 1`` drops
        terms of a single document, which say nothing about co-occurrence across
        units; Roberts, Stewart & Tingley 2019), 0.5% of the units above 400 units
        (the relative pruning Maier et al. 2018 recommend for communication
        research), and at most gensim's ``no_below = 5`` (from 801 units); and
        ``max_df = 0.5`` (gensim's ``no_above``). Below 10 units neither filter
        applies (``1`` and ``1.0``): a term shared by half of a handful of units
        is the story, not boilerplate, and one that occurs once is all there is.
        (quanteda's ``dfm_trim`` and scikit-learn's ``CountVectorizer`` filter
        nothing unless asked.) The values used and the rule are in ``params``
        (``min_df``, ``max_df``, ``vocabulary_rule``, ``adapted``, ``notes``);
        values given (e.g. gensim's 5 and 0.5) are used as they are.
    stopwords : "english+house_style", "english", "house_style", iterable of str or None
        Stop words to drop. Default: gensim's English list (337 words) plus the
        house-style list (:func:`discourse.stopwords.house_style`, ``discourse/data/
        house_style.yaml``: honorifics such as ``mr``/``ms``/``mrs``, abbreviated titles,
        ``said``/``says``, wire-agency tags, page furniture), because on multi-outlet news
        one outlet's courtesy titles and attribution verbs otherwise label its topics
        ("mr" in 6 of 10 topic labels on a three-outlet US corpus). Schofield,
        Magnusson & Mimno (2017) find that removing such corpus-specific words before
        inference gives topics like removing them from the top-word lists after it. The
        number of stop words is in ``params["n_stopwords"]``. The case-kept acronym
        ``US`` is not the stop word ``us`` and stays. ``"english"``: the English list only.
    words_only : bool
        Drop numbers, URLs and the possessive clitic ``'s`` (default True).
    phrases : bool
        Join frequent collocations into phrase terms (``new_york``) with gensim
        ``Phrases`` (Mikolov et al. 2013 score) trained on the corpus's
        sentences, with gensim's connector words (``of``, ``the``...) allowed
        inside a phrase; a phrase may not start or end with a stop word.
        Default False. On a partitioned corpus each partition counts its words
        and bigrams (the counts add up to those of the whole corpus), and the
        phrases are applied again whenever a partition's rows are read (on every
        pass of the model), which costs time, not memory.
    phrase_min_count, phrase_threshold : int, float
        ``Phrases`` ``min_count`` and ``threshold`` (gensim's defaults 5 and 10).

    Returns
    -------
    TopicCorpus
    """
    if not (isinstance(tokens, Tokens) or is_partitioned(tokens)):
        raise TypeError(f"prepare_corpus needs Tokens (discourse.tokenize), not {type(tokens).__name__}")
    check_tokens("prepare_corpus", tokens)
    if not (units in ("document", "paragraph") or (isinstance(units, (int, np.integer))
                                                   and not isinstance(units, bool) and units >= 10)):
        raise ValueError(f"{UNITS_HELP}, not {units!r}")
    if not (min_df is None or isinstance(min_df, (int, np.integer)) and min_df >= 1):
        raise ValueError(f"min_df must be a positive integer (units), not {min_df!r}")
    if not (max_df is None or 0 < max_df <= 1):
        raise ValueError(f"max_df must be a share of units in (0, 1], not {max_df!r}")
    stop = stopword_set(stopwords)
    partitioned = is_partitioned(tokens)
    recipe = Recipe(units=units, n_vocab=len(tokens.vocab), stop=stop,
                    phrases=learn_phrases(tokens, phrase_min_count, phrase_threshold) if phrases else None)
    merged, phrase_ids = merge_unit_counts(map_partitions(tokens, unit_counts, recipe), len(tokens.vocab), phrases)
    vocab = _extended_vocab(tokens.vocab, phrase_ids)
    unit_doc, n_units = merged["unit_doc"], int(merged["n_units"].sum())
    rule_min, rule_max = vocabulary_filters(n_units)
    adapted = [name for name, given in (("min_df", min_df), ("max_df", max_df)) if given is None]
    min_df, max_df = rule_min if min_df is None else min_df, rule_max if max_df is None else max_df
    wanted = _term_mask(tokens, vocab, stop, words_only) & (vocab.to_numpy(dtype=object) != "")
    df = merged["df"]
    keep_cols = wanted & (df >= min_df) & (df <= max_df * n_units)
    recipe = replace(recipe, phrase_ids=phrase_ids, keep=keep_cols)
    # the second map: bags-of-words in the kept vocabulary (a partitioned corpus keeps only their sums)
    parts = map_partitions(tokens, unit_bow, recipe, "summary" if partitioned else "all")
    n_kept = np.concatenate([p["n_kept"] for p in parts]) if parts else np.zeros(0, np.int64)
    table = pd.DataFrame({"unit": np.arange(n_units), "doc_id": tokens.metadata.index.to_numpy()[unit_doc],
                          "part": merged["part"], "n_tokens": n_kept, "start": merged["start"], "end": merged["end"]})
    used = {"min_df": f"{min_df}", "max_df": f"{max_df:g}"}
    notes = ([f"vocabulary filters from the number of units ({n_units:,}): "
              + ", ".join(f"{name} = {used[name]}" for name in adapted)] if adapted else [])
    params = {"units": units, "min_df": int(min_df), "max_df": float(max_df),
              "vocabulary_rule": "adapted to the number of units" if adapted else "given",
              "adapted": adapted, "notes": notes,
              "stopwords": stopword_label(stopwords),
              "n_stopwords": len(stop),
              "words_only": words_only, "phrases": phrases, "n_units": n_units, "n_terms": int(keep_cols.sum()),
              "n_tokens_kept": int(n_kept.sum()), "n_tokens": int(tokens.n_tokens), "tokenizer": dict(tokens.params),
              "corpus_hash": corpus_hash(tokens)}
    if phrases:
        params.update(phrase_min_count=phrase_min_count, phrase_threshold=phrase_threshold)
    if partitioned:
        params["partitions"] = int(len(merged["n_units"]))
    common = dict(vocab=pd.Index(vocab[keep_cols], name="term"), unit_doc=unit_doc, units=table,
                  metadata=tokens.metadata, params=params, term_freq=merge_sum([p["freq"] for p in parts]),
                  term_df=df[keep_cols])
    if partitioned:  # rows are read back from the partitions when needed
        return TopicCorpus(bow=None, texts=None, source=UnitSource(tokens, recipe, merged["n_units"]), **common)
    (only,) = parts
    return TopicCorpus(bow=only["bow"], texts=only["texts"], unit_ids=only["unit_ids"], **common)


def _extended_vocab(vocab: pd.Index, phrase_ids: dict | None) -> pd.Index:
    """The corpus vocabulary, then (with phrases) the sentinel ``""`` for absorbed tokens and the phrases."""
    if phrase_ids is None:
        return vocab
    names = np.empty(len(vocab) + 1 + len(phrase_ids), dtype=object)
    names[:len(vocab)] = vocab.to_numpy(dtype=object)
    names[len(vocab)] = ""  # the sentinel: never kept (empty string is not a word)
    for t, i in phrase_ids.items():
        names[i] = t
    return pd.Index(names, name="term")


def _term_mask(tokens: Tokens, vocab: pd.Index, stop: frozenset, words_only: bool) -> np.ndarray:
    terms = vocab.to_numpy(dtype=object)
    mask = ~np.isin(terms, np.asarray(sorted(stop), dtype=object))
    if words_only:
        types = tokens.types
        words = set(types.loc[(types["class"] == "word") & (types["reason"] == "counted"), "term"])
        # phrase terms (w1_w2) are words when made of words
        mask &= np.fromiter((t in words or ("_" in t and all(p in words for p in t.split("_") if p))
                             for t in terms), bool, len(terms))
    return mask
