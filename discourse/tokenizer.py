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
from collections import defaultdict
from typing import Iterable, Iterator, Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .corpus import Corpus
from .normalise import KEEP_CASE, QUOTES, SENTENCE_END, classify, sentence_flags, word_term
from .stopwords import stopword_label, stopword_set
from .token_counts import REASONS, reason_counts, reconcile, with_cleaning
from .text_store import TextStore
from .tokens import Tokens
from .validation import check_choice, check_words

__all__ = ["tokenize", "OffsetSpec", "SENTENCE_END", "CLASSES", "REASONS"]

CLASSES = ("word", "number", "punctuation", "possessive", "url", "newline")


def _token_pattern(possessives: str, hyphens: str) -> str:
    """The tokenizer as one regular expression (Rust ``regex`` syntax, run by polars).

    Every character of a text falls in exactly one piece: a token or a run of
    horizontal white space, so piece lengths give character offsets.
    Alternatives are tried left to right.
    """
    w = r"[\p{L}\p{N}\p{M}]"
    apos = "['\u2019\u2018]"
    if possessives == "keep":
        cont = f"{apos}{w}+"
    else:  # an apostrophe joins letters unless what follows is a lone s: Russia's -> Russia + 's
        cont = f"{apos}(?:[sS]{w}+|[{w}&&[^sS]]{w}*)"
    initialism = r"(?:\p{L}\.){2,}"
    # a hyphen joins words and initialisms: "Russia-Ukraine", "non-U.S.", "U.S.-led" (tried first, so
    # "-U.S." is not cut after "-U")
    joiner = f"-(?:{initialism}|{w}+)|{cont}" if hyphens == "keep" else cont
    return "|".join([
        r"(?:https?://|www\.)[^\s<>\"]*[^\s<>\".,;:!?)\]'}]",   # url
        initialism + (f"(?:-(?:{initialism}|{w}+))*" if hyphens == "keep" else ""),  # initialism: U.S., e.g.
        r"\p{Nd}+(?:[.,:]\p{Nd}+)+%?|\p{Nd}+%",                  # 3.5%, 11:46, 10,000
        f"{w}+(?:{joiner})*",                                    # word (also 2021, 21st)
        f"{apos}[sS]",                                           # possessive clitic
        r"\n",                                                   # line break
        r"[^\s\p{L}\p{N}\p{M}]",                                 # punctuation, symbol
        r"[^\S\n]+",                                             # white space (not a token)
    ])


def _split_batch(texts: list[str], possessives: str, hyphens: str, offsets: bool = False) -> tuple:
    """Tokenize a batch of texts into local surface types and integer arrays.

    The regex runs in polars (Rust, multi-threaded); pieces are dictionary-encoded
    by Arrow; all else is numpy. A pure function of its inputs, so batches can run
    anywhere (another process, a Dask worker) and be merged by mapping local type
    ids to global ones. Returns ``(types, sid, starts, ends, n_per_doc)``; the
    offsets are None unless ``offsets`` (which also matches white space, so it
    costs about twice as much: :class:`Tokens` computes offsets on first use).
    """
    import polars as pl
    import pyarrow.compute as pc

    pattern = _token_pattern(possessives, hyphens)
    if not offsets:
        pattern = pattern.rsplit("|", 1)[0]  # drop the white-space alternative
    parts = pl.Series(texts, dtype=pl.String).str.extract_all(pattern)
    n_pieces = parts.list.len().fill_null(0).to_numpy().astype(np.int64)
    enc = pc.dictionary_encode(parts.explode().drop_nulls().to_arrow())
    code = enc.indices.to_numpy(zero_copy_only=False).astype(np.int32)
    pieces = enc.dictionary.to_pylist()
    if not offsets:
        return pieces, code, None, None, n_pieces
    length = np.fromiter(map(len, pieces), np.int64, len(pieces))[code]
    is_token = np.fromiter((not (p.isspace() and p != "\n") for p in pieces), bool, len(pieces))
    ends = np.cumsum(length)
    base = np.repeat(np.r_[0, ends][np.r_[0, np.cumsum(n_pieces)[:-1]]], n_pieces)
    ends -= base  # offsets restart at every document
    keep = is_token[code]
    new_id = np.cumsum(is_token) - 1  # drop white-space types from the type list
    n_per_doc = np.bincount(np.repeat(np.arange(len(texts)), n_pieces)[keep], minlength=len(texts))
    types = [p for p, t in zip(pieces, is_token) if t]
    return (types, new_id[code[keep]].astype(np.int32), (ends - length)[keep].astype(np.int32),
            ends[keep].astype(np.int32), n_per_doc.astype(np.int64))


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
    check_choice("acronyms", acronyms, ["fold", "keep"])
    if keep_case is not None:
        check_words("keep_case", keep_case)
    keep_case = frozenset(keep_case or ())
    check_choice("possessives", possessives, ["drop", "keep", "split"])
    check_choice("hyphens", hyphens, ["keep", "split"])
    for name, val in (("numbers", numbers), ("punctuation", punctuation), ("urls", urls)):
        check_choice(name, val, ["drop", "keep"])
    if isinstance(corpus, Corpus):
        texts, metadata, audit = corpus.texts, corpus.metadata, corpus.audit
        cleaning, dedup = corpus.params.get("cleaning"), corpus.params.get("dedup")
    else:
        texts = list(corpus)
        metadata = pd.DataFrame(index=pd.Index([f"doc{i:06d}" for i in range(len(texts))], name="doc_id"))
        audit, cleaning, dedup = None, None, None
    stop = stopword_set(stopwords)
    params = {"lowercase": lowercase, "acronyms": acronyms, "keep_case": sorted(keep_case),
              "possessives": possessives, "hyphens": hyphens,
              "numbers": numbers, "punctuation": punctuation, "urls": urls,
              "stopwords": stopword_label(stopwords),
              "lemmatize": lemmatize, "min_length": min_length}
    drop = {"punctuation": punctuation == "drop", "number": numbers == "drop",
            "possessive": possessives == "drop", "url": urls == "drop"}
    builder = _Builder(possessives, hyphens, (lowercase, acronyms, keep_case), stop, lemmatize, min_length, drop)
    batches = list(_batches(texts, batch_chars))
    results = (_split_batch(b, possessives, hyphens) for b in batches)
    if progress:
        from .progress import progress_bar

        results = progress_bar(results, total=len(batches), desc="tokenize", unit="batch")
    with _gc_paused():
        for result in results:
            builder.add(result)
    tokens = builder.finish(texts, metadata, params, batch_chars)
    if cleaning is not None:
        tokens.params["cleaning"] = cleaning
    if dedup is not None:  # read_corpus de-duplicated the corpus: the methods paragraph says how
        tokens.params["dedup"] = dedup
    tokens.audit = audit
    if isinstance(corpus, Corpus):
        tokens._corpus = corpus  # for manifest_hash(), computed only when asked for
    if audit is not None and len(audit):
        tokens.reconciliation = with_cleaning(tokens.reconciliation, audit, builder.count_texts, corpus)
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


class OffsetSpec:
    """How to recompute the character offsets of a token stream: the second, white-space-matching pass.

    Kept by :class:`~discourse.tokens.Tokens` (and its subsets), which call
    :meth:`compute` on first use of ``starts``/``ends``.
    """

    def __init__(self, possessives: str, hyphens: str, surface_index: dict, counted: np.ndarray,
                 batch_chars: int) -> None:
        self.possessives, self.hyphens = possessives, hyphens
        self.surface_index, self.counted, self.batch_chars = surface_index, counted, batch_chars

    def compute(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Start and end offsets (int32) of every counted token of ``texts``, in stream order."""
        starts, ends = [], []
        for batch in _batches(texts, self.batch_chars):
            types, sid, s, e, _ = _split_batch(batch, self.possessives, self.hyphens, offsets=True)
            gmap = np.fromiter(map(self.surface_index.__getitem__, types), np.int32, len(types))
            keep = self.counted[gmap[sid]]
            starts.append(s[keep])
            ends.append(e[keep])
        empty = np.zeros(0, np.int32)
        return (np.concatenate(starts) if starts else empty), (np.concatenate(ends) if ends else empty)


def _batches(texts: Sequence[str], batch_chars: int) -> Iterator[list[str]]:
    batch, size = [], 0
    for t in texts:
        batch.append(t)
        size += len(t)
        if size >= batch_chars:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


class _Builder:
    """Accumulates batches: surface-type table, token stream and per-batch count matrices."""

    def __init__(self, possessives, hyphens, case, stop, lemmatize, min_length, drop) -> None:
        self.possessives, self.hyphens = possessives, hyphens
        self.case, self.stop, self.lemmatize = case, stop, lemmatize  # case: (lowercase, acronyms, keep_case)
        self.min_length, self.drop = min_length, drop
        self.surface: defaultdict = defaultdict()
        self.surface.default_factory = self.surface.__len__  # new surface -> next id
        self.terms: defaultdict = defaultdict()
        self.terms.default_factory = self.terms.__len__
        self.t_term = np.zeros(0, np.int32)      # per surface type: term id (-1 if dropped)
        self.t_reason = np.zeros(0, np.int8)     # index into REASONS
        self.t_flags = {k: np.zeros(0, bool) for k in ("end", "full_stop", "abbr", "dotted", "starter")}
        self.t_class: list[str] = []
        self.t_count = np.zeros(0, np.int64)
        self.parts: dict[str, list] = {k: [] for k in ("ids", "sent", "len", "dtm", "reasons")}
        self.n_sent = 0

    def _lemma(self):
        if not self.lemmatize:
            return None
        import simplemma

        lang = "en" if self.lemmatize is True else self.lemmatize
        return lambda w: simplemma.lemmatize(w, lang=lang)

    def _extend_types(self) -> None:
        old = len(self.t_term)
        new = list(self.surface)[old:]
        if not new:
            return
        lemma = self._lemma()
        lowercase, keep_case = self.case[0], self.case[2]
        term = np.empty(len(new), np.int32)
        reason = np.zeros(len(new), np.int8)
        classes = []
        for i, surface in enumerate(new):
            s = surface.translate(QUOTES)
            cls = classify(s)
            classes.append(cls)
            if cls == "word" and ("." in s or "-" in s or s in keep_case):  # acronyms, hyphenated words
                norm, cased = word_term(s, *self.case)
            else:
                norm, cased = (s.lower() if lowercase else s), False
            why = "counted"
            if cls == "newline":
                why = "newline"
            elif cls in ("punctuation", "number", "possessive", "url") and self.drop.get(cls):
                why = cls
            elif cls == "word" and (norm if cased else norm.lower()) in self.stop:  # "US" is no stop word
                why = "stopword"
            elif cls == "word" and len(norm) < self.min_length:
                why = "short"
            if why == "counted":
                if lemma is not None and cls == "word" and not cased:  # simplemma: WHO -> who, IS -> be
                    norm = lemma(norm)
                term[i] = self.terms[norm]
            else:
                term[i] = -1
            reason[i] = REASONS.index(why)
        self.t_class += classes
        self.t_term = np.concatenate([self.t_term, term])
        self.t_reason = np.concatenate([self.t_reason, reason])
        flags = sentence_flags(new)
        self.t_flags = {k: np.concatenate([v, flags[k]]) for k, v in self.t_flags.items()}
        self.t_count = np.concatenate([self.t_count, np.zeros(len(new), np.int64)])

    def add(self, result: tuple) -> None:
        """Merge one batch from :func:`_split_batch` into the corpus-wide arrays."""
        types, local_sid, _, _, n_per_doc = result
        gmap = np.fromiter(map(self.surface.__getitem__, types), np.int32, len(types))
        sid = gmap[local_sid]
        n, n_docs = len(sid), len(n_per_doc)
        self._extend_types()
        self.t_count += np.bincount(sid, minlength=len(self.t_count))
        # sentence numbers: a new sentence after each sentence-final token and at each document
        is_end = self._sentence_ends(sid)
        doc_no = np.repeat(np.arange(n_docs), n_per_doc)
        sent = np.cumsum(is_end) - is_end + doc_no + self.n_sent
        # the next batch continues the numbering as if it were the same batch (the sentence ids do not
        # depend on batch_chars): + the last token's end, + 1 per document to come
        self.n_sent = int(sent[-1]) + int(is_end[-1]) + n_docs - int(doc_no[-1]) if n else self.n_sent + n_docs
        keep = self.t_reason[sid] == 0
        term = self.t_term[sid[keep]]
        kept_per_doc = np.bincount(doc_no[keep], minlength=n_docs)
        self.parts["ids"].append(term)
        self.parts["sent"].append(sent[keep].astype(np.int32))
        self.parts["len"].append(kept_per_doc)
        self.parts["dtm"].append(_count_matrix(doc_no[keep], term, n_docs, len(self.terms)))
        self.parts["reasons"].append(reason_counts(doc_no, self.t_reason[sid], n_docs))  # read = counted + dropped

    def _sentence_ends(self, sid: np.ndarray) -> np.ndarray:
        """Sentence-final tokens: ends, but a full stop after "Mr" or a dotted "U.S." ends one only before
        a capitalised function word ("the U.S. The talks"; :func:`discourse.normalise.sentence_flags`)."""
        f = self.t_flags
        is_end = f["end"][sid]
        p = np.flatnonzero(f["full_stop"][sid] | f["dotted"][sid])  # the few tokens that look at a neighbour
        if len(p):
            depends = f["dotted"][sid[p]] | ((p > 0) & f["abbr"][sid[np.maximum(p - 1, 0)]])
            p = p[depends]
            is_end[p] = (p + 1 < len(sid)) & f["starter"][sid[np.minimum(p + 1, len(sid) - 1)]]
        return is_end

    def finish(self, texts, metadata, params, batch_chars) -> Tokens:
        p = self.parts
        n_terms = len(self.terms)
        cat = (lambda k, dt: np.concatenate(p[k]).astype(dt, copy=False) if p[k] else np.zeros(0, dt))
        ids, lengths = cat("ids", np.int32), cat("len", np.int64)
        sent = cat("sent", np.int32)
        reasons = np.vstack(p["reasons"]) if p["reasons"] else np.zeros((0, len(REASONS)), np.int32)
        for m in p["dtm"]:
            m.resize((m.shape[0], n_terms))
        dtm = sp.vstack(p["dtm"], format="csr", dtype=np.int32) if p["dtm"] else sp.csr_matrix((0, n_terms), dtype=np.int32)
        vocab = pd.Index(list(self.terms), dtype=object, name="term")
        surfaces = list(self.surface)
        term_strings = np.asarray(list(self.terms) + [None], dtype=object)
        types = pd.DataFrame({"surface": surfaces, "term": term_strings[self.t_term],
                              "class": self.t_class, "reason": np.asarray(REASONS)[self.t_reason],
                              "count": self.t_count})
        return Tokens(ids=ids, doc_ptr=np.r_[0, np.cumsum(lengths)].astype(np.int64),
                      sent=sent, vocab=vocab, dtm=dtm, metadata=metadata, types=types,  # a TextStore stays compact
                      texts=texts if isinstance(texts, TextStore) else list(texts),
                      reconciliation=reconcile(reasons), reason_counts=reasons, params=params,
                      _offset_spec=OffsetSpec(self.possessives, self.hyphens, dict(self.surface),
                                              self.t_reason == 0, batch_chars))

    def count_texts(self, texts: list[str]) -> np.ndarray:
        """Tokens (line breaks excluded) in each of several pieces of text, by the same regex."""
        types, sid, _, _, n_per_doc = _split_batch(texts, self.possessives, self.hyphens)
        real = np.array([t != "\n" for t in types], dtype=np.int64)
        per_token = real[sid] if len(sid) else np.zeros(0, np.int64)
        return np.bincount(np.repeat(np.arange(len(texts)), n_per_doc), per_token, len(texts)).astype(np.int64)


def _count_matrix(rows: np.ndarray, cols: np.ndarray, n_rows: int, n_cols: int) -> sp.csr_matrix:
    """Counts of (row, col) pairs as a canonical CSR matrix.

    One integer sort of ``row * n_cols + col`` keys; about 3x faster than scipy's
    COO -> CSR conversion with duplicate summing.
    """
    key = np.sort(rows.astype(np.int64) * n_cols + cols)
    first = np.r_[True, key[1:] != key[:-1]] if len(key) else np.zeros(0, bool)
    unique = key[first]
    counts = np.diff(np.r_[np.flatnonzero(first), len(key)]).astype(np.int32)
    row = unique // n_cols
    indptr = np.searchsorted(row, np.arange(n_rows + 1))
    return sp.csr_matrix((counts, (unique - row * n_cols).astype(np.int32), indptr), shape=(n_rows, n_cols))

