"""Modelling units and their bag-of-words, from the shared token stream and DTM.

Nothing here re-tokenises text: whole documents are columns of ``tokens.dtm``
(vocabulary filters are column masks); paragraphs and fixed-size chunks are
cuts of the token stream (``tokens.ids``/``doc_ptr``, paragraph breaks located
by comparing token offsets with blank lines in ``tokens.texts``); phrases are
learnt by gensim ``Phrases`` from sentence token lists taken from the stream.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Iterable

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..corpus import corpus_hash
from ..stopwords import stopword_label, stopword_set
from ..tokens import Tokens, bow_rows, gensim_dictionary
from ..validation import check_tokens

__all__ = ["UNITS_HELP", "TopicCorpus", "prepare_corpus", "vocabulary_filters"]

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_LINE_BREAK = re.compile(r"\n")
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
    bow : scipy.sparse.csr_matrix
        Units x kept terms counts (int32).
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
    texts : list of str
        The cleaned document texts (for representative documents).
    params : dict
        How the units and the vocabulary were made.
    """

    bow: sp.csr_matrix
    vocab: pd.Index
    unit_doc: np.ndarray
    units: pd.DataFrame
    metadata: pd.DataFrame
    texts: list[str]
    params: dict = field(default_factory=dict)
    unit_ids: list[np.ndarray] | None = field(default=None, repr=False)  # per unit term ids (for coherence)

    @property
    def n_units(self) -> int:
        return self.bow.shape[0]

    @property
    def n_docs(self) -> int:
        return len(self.metadata)

    def gensim_corpus(self, rows: np.ndarray | None = None) -> list[list[tuple[int, int]]]:
        """Bag-of-words of the units (or of ``rows``), as gensim expects."""
        return list(bow_rows(self.bow if rows is None else self.bow[rows]))

    def dictionary(self):
        """A ``gensim.corpora.Dictionary`` whose ids are the columns of ``bow``."""
        return gensim_dictionary(self.bow, self.vocab)

    def unit_texts(self, rows: np.ndarray | None = None) -> list[list[str]]:
        """Kept tokens of each unit in text order (what sliding-window coherence needs)."""
        rows = np.arange(self.n_units) if rows is None else np.asarray(rows)
        v = self.vocab.to_numpy()
        return [v[self.unit_ids[r]].tolist() for r in rows]


def prepare_corpus(
    tokens: Tokens,
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
    tokens : Tokens
        The shared token stream and DTM (:func:`discourse.tokenize`).
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
        Default False.
    phrase_min_count, phrase_threshold : int, float
        ``Phrases`` ``min_count`` and ``threshold`` (gensim's defaults 5 and 10).

    Returns
    -------
    TopicCorpus
    """
    if not isinstance(tokens, Tokens):
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
    ids, vocab = tokens.ids, tokens.vocab
    if phrases:
        ids, vocab = _phrase_stream(tokens, phrase_min_count, phrase_threshold, stop)
    if units == "document":  # every document is a unit, even an empty one
        unit_of = np.repeat(np.arange(tokens.n_docs), tokens.doc_lengths)
        unit_doc, part = np.arange(tokens.n_docs), np.zeros(tokens.n_docs, np.int64)
    else:
        unit_of, unit_doc, part = _unit_index(tokens, units)
    n_units = len(unit_doc)
    rule_min, rule_max = vocabulary_filters(n_units)
    adapted = [name for name, given in (("min_df", min_df), ("max_df", max_df)) if given is None]
    min_df, max_df = rule_min if min_df is None else min_df, rule_max if max_df is None else max_df
    if units == "document" and not phrases:
        counts = tokens.dtm  # the shared DTM: no recounting
    else:
        counts = sp.csr_matrix((np.ones(len(ids), np.int32), (unit_of, ids)), shape=(n_units, len(vocab)))
        counts.sum_duplicates()
    wanted = _term_mask(tokens, vocab, stop, words_only) & (vocab.to_numpy(dtype=object) != "")
    df = np.diff(counts.tocsc().indptr)
    keep_cols = wanted & (df >= min_df) & (df <= max_df * n_units)
    new_id = np.full(len(vocab), -1, np.int64)
    new_id[keep_cols] = np.arange(int(keep_cols.sum()))
    kept = new_id[ids] >= 0
    bow = counts[:, keep_cols].tocsr().astype(np.int32)
    bow.sort_indices()
    n_kept = np.asarray(bow.sum(axis=1)).ravel()
    # kept tokens of each unit in text order, split without a Python loop over tokens
    kept_ids = new_id[ids][kept]
    unit_ids = np.split(kept_ids, np.cumsum(np.bincount(unit_of[kept], minlength=n_units))[:-1])
    if units == "document":  # whole texts (token offsets are computed lazily: avoid them)
        start, end = np.zeros(n_units, np.int64), np.fromiter(map(len, tokens.texts), np.int64, n_units)
    else:
        size = np.bincount(unit_of, minlength=n_units)
        first = np.r_[0, np.cumsum(size)]  # units are runs of the stream, each with >= 1 token
        start, end = tokens.starts[first[:-1]], tokens.ends[first[1:] - 1]
    table = pd.DataFrame({"unit": np.arange(n_units), "doc_id": tokens.metadata.index.to_numpy()[unit_doc],
                          "part": part, "n_tokens": n_kept, "start": start, "end": end})
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
    return TopicCorpus(bow=bow, vocab=pd.Index(vocab[keep_cols], name="term"), unit_doc=unit_doc, units=table,
                       metadata=tokens.metadata, texts=tokens.texts, params=params, unit_ids=unit_ids)


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


def _unit_index(tokens: Tokens, units) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Paragraph or chunk units: unit number of every stream token, the document of each unit, its part number."""
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
    return unit_of.astype(np.int64), uniq // scale, uniq % scale


def _phrase_stream(tokens: Tokens, min_count: int, threshold: float,
                   stop: frozenset) -> tuple[np.ndarray, pd.Index]:
    """Term ids with phrases: the second and later words of a detected phrase take the phrase's id.

    The stream keeps one entry per token so that units stay aligned; the
    absorbed tokens map to a sentinel term ``""`` that is never kept.
    """
    from gensim.models.phrases import ENGLISH_CONNECTOR_WORDS, Phrases

    v = tokens.vocab.to_numpy(dtype=object)
    cuts = np.flatnonzero(np.diff(tokens.sent)) + 1
    sentences = [s.tolist() for s in np.split(v[tokens.ids], cuts)] if len(tokens.ids) else []
    model = Phrases(sentences, min_count=min_count, threshold=threshold,
                    connector_words=ENGLISH_CONNECTOR_WORDS).freeze()
    original = {t: i for i, t in enumerate(v)}
    terms = dict(original)
    out = tokens.ids.astype(np.int64).copy()
    pos = 0
    absorbed = len(v)  # sentinel column for tokens merged into a preceding phrase
    for sent in sentences:
        j = pos
        for piece in model[sent]:
            words = [piece] if piece in original else piece.split("_")
            n = len(words)
            if n > 1 and (words[0] in stop or words[-1] in stop):
                j += n  # keep the words as they were
                continue
            if n > 1:
                out[j] = terms.setdefault(piece, len(terms) + 1)  # +1 leaves room for the sentinel
                out[j + 1:j + n] = absorbed
            j += n
        pos += len(sent)
    names = np.empty(max(len(v), *terms.values()) + 1, dtype=object)  # room for the sentinel
    for t, i in terms.items():
        names[i] = t
    names[absorbed] = ""  # the sentinel: never kept (empty string is not a word)
    return out, pd.Index(names, name="term")
