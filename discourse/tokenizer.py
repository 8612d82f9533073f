"""Tokenization: :func:`tokenize` counts a corpus into the shared document-term matrix.

:func:`tokenize` turns a (cleaned) corpus into :class:`~discourse.tokens.Tokens`: one flat token
stream for the whole corpus (term ids, character offsets into the cleaned text,
sentence ids, document boundaries) plus the document-term matrix built from it
once, which every later analysis (frequency, keyness, collocation, concordance,
topic models) reuses instead of re-tokenising.

Why it is fast: one regular expression splits every text of a batch into
pieces, run by polars (Rust's linear-time regex engine, multi-threaded), and
Arrow dictionary-encodes the pieces; everything else (quote unification, case
folding, lemmatisation, stop words, token classes, sentence ends) is decided
once per *type*, not per token, and applied to the token stream with numpy
indexing; counts go to ``scipy.sparse`` in one step per batch. Documents are
processed in batches, so memory stays bounded by the batch plus the compact
integer arrays, and a batch is a pure function of its texts (mergeable, so the
design carries over to Dask partitions).

Offline: no NLTK data files, no model downloads. Lemmas come from simplemma
(Barbaresi 2021), stop words from gensim's English list. The per-type rules
(token classes, acronyms and case, sentence ends) are in :mod:`discourse.normalise`.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterable, Iterator

import numpy as np
import pandas as pd

from .corpus import Corpus
from .normalise import KEEP_CASE, SENTENCE_END
from .text_store import TextStore
from .token_counter import OffsetSpec, TokenCounter, concat_batches, text_batches
from .token_counts import REASONS, reconcile, with_cleaning
from .tokens import Tokens
from .validation import check_count

__all__ = ["tokenize", "OffsetSpec", "TokenCounter", "SENTENCE_END", "CLASSES", "REASONS"]

CLASSES = ("word", "number", "punctuation", "possessive", "url", "newline")


def tokenize(
    corpus: Corpus | Iterable[str],
    *,
    lowercase: bool = True,
    acronyms: str = "fold",
    keep_case: Iterable[str] | None = KEEP_CASE,
    possessives: str = "split",
    hyphens: str = "keep",
    numbers: str = "keep",
    punctuation: str = "drop",
    urls: str = "keep",
    stopwords: str | Iterable[str] | None = None,
    lemmatize: str | bool = False,
    min_length: int = 1,
    batch_chars: int = 4_000_000,
    progress: bool = False,
) -> Tokens:
    """Tokenize a corpus and count it into the shared document-term matrix.

    Parameters
    ----------
    corpus : Corpus or iterable of str
        Usually a cleaned corpus (:func:`discourse.clean`).
    lowercase : bool
        Case folding (default True, as in AntConc, WordSmith and quanteda's dfm).
    acronyms : {"fold", "keep"}
        ``"fold"`` (default): a dotted upper-case acronym loses its dots, so outlets'
        house styles meet in one term: ``F.B.I.`` and ``FBI`` -> ``fbi``, ``U.K.``
        and ``UK`` -> ``uk``. ``"keep"``: ``f.b.i.`` stays a term of its own (AntConc's
        and quanteda's behaviour). Lower-case dotted abbreviations always keep their
        dots (``e.g.``, ``a.m.``: folded, ``a.m.`` would become the verb ``am``).
    keep_case : iterable of str or None
        All-caps words kept in upper case when lowercasing (default
        :data:`discourse.normalise.KEEP_CASE`: ``IS``, ``IT``, ``UN``, ``US``, ``WHO``,
        acronyms frequent in news whose lower-case form is an English stop word):
        CNN's "US" and the Times's "U.S." are the term ``US``, the pronoun "us" stays
        ``us``. Exact, case-sensitive surfaces (after folding); such a term is never a
        stop word and never lemmatised. In all-caps text the pronoun "US" is counted as
        the acronym. ``None`` or ``()``: lowercase everything. quanteda's
        ``keep_acronyms = TRUE`` keeps every all-caps word instead, which would split
        ``NATO`` from the Guardian's ``Nato``.
    possessives : {"split", "keep", "drop"}
        ``"split"`` (default, Penn Treebank convention): "Russia's" -> ``russia`` + ``'s``;
        ``"keep"``: one token ``russia's``; ``"drop"``: ``russia`` and the clitic is dropped.
        Every clitic ``'s`` counts as a possessive, including the "is"/"has" of
        "it's" and "he's" (the tokenizer does not parse), so ``"drop"`` drops those too.
    hyphens : {"keep", "split"}
        Keep hyphenated words ("Russia-Ukraine") as one token (default) or split them.
    numbers, punctuation, urls : {"keep", "drop"}
        Whether such tokens are counted (defaults: numbers and URLs kept,
        punctuation dropped). Dropped tokens are reported in ``reconciliation``.
    stopwords : None, "english" or iterable of str
        Drop stop words (default: keep them, the field's default for keyness).
        ``"english"`` is gensim's list (see :func:`discourse.stopwords.english_stopwords`).
    lemmatize : False or a language code
        Lemmatise with simplemma (e.g. ``"en"``); default off (word forms).
    min_length : int
        Drop word tokens shorter than this many characters.
    batch_chars : int
        Characters per processing batch (bounds peak memory).
    progress : bool
        Show a progress bar (tqdm).

    Returns
    -------
    Tokens
        With a reference to ``corpus`` (when it is a Corpus), so that
        :meth:`Tokens.manifest_hash` equals ``corpus.manifest_hash()``. Every
        normalisation is listed in ``tokens.types`` (one row per surface: ``surface``,
        ``term``...): ``types.groupby("term")["surface"].unique()`` shows what was merged.

    Notes
    -----
    Dotted abbreviations are one token: initialisms (``U.S.``, ``e.g.``, ``a.m.``), also
    inside hyphenated words (``non-U.S.``, ``U.S.-led``) when ``hyphens="keep"``.
    Sentences end at ``.``, ``!``, ``?``, ``…`` and line breaks, except the full stop
    after an abbreviation such as ``Mr.``; a dotted abbreviation or that full stop ends
    the sentence when a capitalised function word follows ("the U.S. The talks"), the
    orthographic heuristic of Punkt (Kiss & Strunk 2006); see :mod:`discourse.normalise`.
    """
    check_count("batch_chars", batch_chars, minimum=1)
    counter = TokenCounter(lowercase=lowercase, acronyms=acronyms, keep_case=keep_case, possessives=possessives,
                           hyphens=hyphens, numbers=numbers, punctuation=punctuation, urls=urls,
                           stopwords=stopwords, lemmatize=lemmatize, min_length=min_length)
    if isinstance(corpus, Corpus):
        texts, metadata, audit = corpus.texts, corpus.metadata, corpus.audit
        cleaning, dedup = corpus.params.get("cleaning"), corpus.params.get("dedup")
    else:
        texts = list(corpus)
        metadata = pd.DataFrame(index=pd.Index([f"doc{i:06d}" for i in range(len(texts))], name="doc_id"))
        audit, cleaning, dedup = None, None, None
    batches = list(text_batches(texts, batch_chars))
    if progress:
        from .progress import progress_bar

        batches = progress_bar(batches, total=len(batches), desc="tokenize", unit="batch")
    with _gc_paused():
        counted = concat_batches([counter.add(b) for b in batches], len(counter.terms))
    tokens = Tokens(ids=counted.ids, doc_ptr=np.r_[0, np.cumsum(counted.lengths)].astype(np.int64),
                    sent=counted.sent, vocab=counter.vocab, dtm=counted.dtm, metadata=metadata, types=counter.types,
                    texts=texts if isinstance(texts, TextStore) else list(texts),  # a TextStore stays compact
                    reconciliation=reconcile(counted.reasons), reason_counts=counted.reasons,
                    params=dict(counter.params), _offset_spec=counter.offset_spec(batch_chars))
    if cleaning is not None:
        tokens.params["cleaning"] = cleaning
    if dedup is not None:  # read_corpus de-duplicated the corpus: the methods paragraph says how
        tokens.params["dedup"] = dedup
    tokens.audit = audit
    if isinstance(corpus, Corpus):
        tokens._corpus = corpus  # for manifest_hash(), computed only when asked for
    if audit is not None and len(audit):
        tokens.reconciliation = with_cleaning(tokens.reconciliation, audit, counter.count_texts, corpus)
    return tokens


@contextmanager
def _gc_paused() -> Iterator[None]:
    # Many short-lived containers trigger full collections that find nothing to
    # free (there are no reference cycles here); pausing the collector saves time.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
