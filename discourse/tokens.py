"""The tokenized corpus: :class:`Tokens`, one flat token stream plus the shared document-term matrix.

:func:`discourse.tokenizer.tokenize` makes it; every later analysis (frequency,
keyness, collocation, concordance, topic models) reuses it instead of
re-tokenising. Also its NLTK-style view (:class:`NLTKView`) and the gensim
bag-of-words helpers, filled from the count matrix.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator, Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .corpus import Corpus, fingerprint
from .token_counts import reconcile

__all__ = ["Tokens", "LazyTokens", "TokensView", "NLTKView", "bow_rows", "gensim_dictionary"]


def bow_rows(counts: sp.csr_matrix) -> Iterator[list[tuple[int, int]]]:
    """Rows of a CSR count matrix as gensim bags-of-words, ``[(column, count), ...]``, one row at a time.

    Shared by :meth:`Tokens.bow` and :meth:`discourse.topics.prepare.TopicCorpus.gensim_corpus`.
    """
    ptr, ind, dat = counts.indptr, counts.indices, counts.data
    for i in range(counts.shape[0]):
        lo, hi = ptr[i], ptr[i + 1]
        yield list(zip(ind[lo:hi].tolist(), dat[lo:hi].tolist()))


def gensim_dictionary(counts: sp.spmatrix, vocab: Sequence[str]):
    """A ``gensim.corpora.Dictionary`` whose ids are the columns of ``counts`` (rows = documents).

    Filled from the matrix, not by re-reading tokens: ``token2id`` from ``vocab``
    (column order), collection frequencies ``cfs`` (column sums), document
    frequencies ``dfs`` (non-zero rows per column), and the totals ``num_docs``
    (rows), ``num_pos`` (tokens) and ``num_nnz`` (non-zero cells). Shared by
    :meth:`Tokens.gensim_dictionary` and :meth:`discourse.topics.prepare.TopicCorpus.dictionary`.
    """
    from gensim.corpora import Dictionary

    d = Dictionary()
    d.token2id = {t: i for i, t in enumerate(vocab)}
    d.cfs = dict(enumerate(np.asarray(counts.sum(axis=0)).ravel().tolist()))
    d.dfs = dict(enumerate(np.diff(counts.tocsc().indptr).tolist()))
    d.num_docs, d.num_pos, d.num_nnz = counts.shape[0], int(counts.sum()), int(counts.nnz)
    return d


class TokensView:
    """What :class:`Tokens` and a corpus with its interface (:class:`discourse.store.Store`) share.

    Needs ``vocab``, ``n_docs``, ``params``, ``reconciliation`` and ``summary()``.
    """

    _term_index: dict | None = None

    def term_id(self, term: str) -> int:
        """Id of a term, or -1 when absent."""
        if self._term_index is None:
            self._term_index = dict(zip(self.vocab.tolist(), range(len(self.vocab))))  # 3x a comprehension
        return self._term_index.get(term, -1)

    def __len__(self) -> int:
        return self.n_docs

    def _repr_html_(self) -> str:
        """Summary, tokenizer options (folded) and the reconciliation table."""
        from .render import html_table, render

        params = {k: v for k, v in self.params.items() if k not in ("cleaning", "dedup")}
        return render("tokens.html.j2", summary=self.summary(), params=params,
                      table=html_table(self.reconciliation, index=False))


@dataclass
class Tokens(TokensView):
    """A tokenized corpus: one flat token stream plus the shared document-term matrix.

    Attributes
    ----------
    ids : ndarray of int32
        Term id of every counted token, documents concatenated in corpus order.
    doc_ptr : ndarray of int64
        Document ``d``'s tokens are ``ids[doc_ptr[d]:doc_ptr[d+1]]``.
    starts, ends : ndarray of int32
        Character offsets of each token in its document's cleaned text
        (computed on first access, then kept).
    sent : ndarray of int32
        Sentence number of each token (increasing; unique across the corpus).
    vocab : pandas.Index
        Terms, by id.
    dtm : scipy.sparse.csr_matrix
        Documents x terms counts (int32).
    texts : list of str
        The cleaned texts the offsets refer to.
    metadata : DataFrame
        Document metadata, indexed by ``doc_id``.
    types : DataFrame
        One row per surface type: ``surface``, ``term``, ``class``, ``reason``
        (``counted`` or why it was dropped) and ``count``.
    reconciliation : DataFrame
        ``stage``, ``reason``, ``tokens``: tokens in removed spans by cleaning rule,
        tokens read, counted and dropped by reason. Raw = removed + read; read =
        counted + dropped. A :meth:`select` subset has the read, counted and dropped
        rows of its own documents (from ``reason_counts``), without cleaning rows.
    reason_counts : ndarray of int32, optional
        Documents x :data:`discourse.token_counts.REASONS`: each document's tokens
        counted or dropped, by reason.
    params : dict
        The tokenizer options (and the cleaning parameters, if any).

    Notes
    -----
    :func:`tokenize` keeps a reference to the source :class:`~discourse.corpus.Corpus`
    (private ``_corpus``; None for plain texts and for :meth:`select` subsets),
    so that :meth:`manifest_hash` identifies the corpus as read. It holds the raw
    texts in memory alongside the cleaned ones.
    """

    ids: np.ndarray
    doc_ptr: np.ndarray
    sent: np.ndarray
    vocab: pd.Index
    dtm: sp.csr_matrix
    texts: list[str]
    metadata: pd.DataFrame
    types: pd.DataFrame
    reconciliation: pd.DataFrame
    params: dict = field(default_factory=dict)
    reason_counts: np.ndarray | None = field(default=None, repr=False)
    audit: pd.DataFrame | None = None
    _term_index: dict | None = field(default=None, repr=False)
    _offsets: tuple | None = field(default=None, repr=False)        # (starts, ends) once computed
    _offset_spec: Any = field(default=None, repr=False)    # computes them (discourse.tokenizer.OffsetSpec)
    # (byte starts, byte ends, the texts' UTF-8 bytes, text pointers, a function giving the bytes again through
    # the store's map cache): a store's partition, whose concordance lines are cut from its memory-mapped
    # texts (discourse.kwic_bytes)
    _utf8: tuple | None = field(default=None, repr=False)
    _corpus: Corpus | None = field(default=None, repr=False, compare=False)  # source corpus (manifest_hash)

    # -- fingerprint -----------------------------------------------------
    def manifest_hash(self) -> str:
        """SHA-256 fingerprint of the corpus these tokens were made from.

        When :func:`tokenize` was given a :class:`~discourse.corpus.Corpus` and
        the metadata table is still the one it came with, this is that corpus'
        :meth:`~discourse.corpus.Corpus.manifest_hash` (metadata plus *raw*
        texts), so a result computed from the tokens (a saved topic model, say)
        carries the same fingerprint as the corpus in a report's provenance.
        Otherwise (plain texts, a :meth:`select` subset, replaced metadata) it
        is :func:`discourse.corpus.fingerprint` of ``metadata`` and the texts
        held here (the cleaned texts). Tokenizer options are not part of the
        fingerprint: it identifies the data, and ``params`` the processing.
        Computed on each call, not at tokenization.
        """
        source = self._corpus
        if source is not None and source.metadata is self.metadata and len(source) == self.n_docs:
            return source.manifest_hash()
        return fingerprint(self.metadata, self.texts)

    # -- character offsets, computed on first use ---------------------
    @property
    def starts(self) -> np.ndarray:
        return self._get_offsets()[0]

    @property
    def ends(self) -> np.ndarray:
        return self._get_offsets()[1]

    def _get_offsets(self) -> tuple[np.ndarray, np.ndarray]:
        # Offsets need a second regex pass that also matches white space; most
        # analyses never use them, so they are computed only when asked for.
        if self._offsets is None:
            starts, ends = self._offset_spec.compute(self.texts)
            if len(starts) != len(self.ids):  # the two passes must agree token for token
                raise RuntimeError("offset pass disagrees with the token stream")
            self._offsets = (starts, ends)
        return self._offsets

    # -- basic protocol -------------------------------------------------
    @property
    def n_docs(self) -> int:
        return len(self.doc_ptr) - 1

    @property
    def n_tokens(self) -> int:
        return int(len(self.ids))

    @property
    def doc_ids(self) -> list[str]:
        return self.metadata.index.tolist()

    @property
    def doc_lengths(self) -> np.ndarray:
        return np.diff(self.doc_ptr)

    def doc_tokens(self, d: int) -> list[str]:
        """The counted terms of document ``d`` (by position), as strings."""
        vocab = self.vocab.to_numpy()
        return vocab[self.ids[self.doc_ptr[d]:self.doc_ptr[d + 1]]].tolist()

    def __iter__(self) -> Iterator[list[str]]:
        """Token lists per document: a streamed corpus for gensim (e.g. ``Phrases``, ``Word2Vec``)."""
        for d in range(self.n_docs):
            yield self.doc_tokens(d)

    def bow(self) -> Iterator[list[tuple[int, int]]]:
        """Bag-of-words per document, ``[(term_id, count), ...]``, as gensim expects.

        Term ids are ``vocab`` positions, so ``gensim.corpora.Dictionary`` built
        by :meth:`gensim_dictionary` maps them back to words.
        """
        return bow_rows(self.dtm)

    def gensim_dictionary(self):
        """A ``gensim.corpora.Dictionary`` with ids equal to ``vocab`` positions (no re-tokenising)."""
        return gensim_dictionary(self.dtm, self.vocab)

    def nltk(self) -> "NLTKView":
        """An NLTK-compatible corpus-reader view (fileids, raw, words, sents, categories)."""
        return NLTKView(self)

    def select(self, mask: Sequence[bool] | np.ndarray) -> "Tokens":
        """The documents where ``mask`` is true (e.g. ``t.metadata.outlet == "RT"``), sharing the vocabulary."""
        mask = np.asarray(mask, dtype=bool)
        docs = np.flatnonzero(mask)
        lengths = self.doc_lengths[docs]
        pos = np.concatenate([np.arange(self.doc_ptr[d], self.doc_ptr[d + 1]) for d in docs]) if len(docs) else np.array([], int)
        offsets = None if self._offsets is None else (self._offsets[0][pos], self._offsets[1][pos])
        counts = None if self.reason_counts is None else self.reason_counts[docs]
        return Tokens(
            ids=self.ids[pos], doc_ptr=np.r_[0, np.cumsum(lengths)].astype(np.int64),
            _offsets=offsets, _offset_spec=self._offset_spec, sent=self.sent[pos], vocab=self.vocab,
            dtm=self.dtm[docs], texts=[self.texts[d] for d in docs], metadata=self.metadata.iloc[docs],
            types=self.types, params=self.params,
            reconciliation=self.reconciliation if counts is None else reconcile(counts), reason_counts=counts,
            audit=None if self.audit is None else self.audit[self.audit.doc_id.isin(self.metadata.index[docs])],
            _corpus=None,  # a subset is another corpus: fingerprinted from its own metadata and texts
        )

    def summary(self) -> str:
        return (f"Tokens: {self.n_docs} documents, {self.n_tokens:,} tokens counted, "
                f"{len(self.vocab):,} terms")

    def __repr__(self) -> str:
        return f"<{self.summary()}>"


_PENDING = object()  # a LazyTokens field not read yet


class _Loaded:
    """A field of :class:`LazyTokens`: read by its loader on first access, then kept; assigning replaces it."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        values = obj.__dict__
        if self.name not in values:
            values[self.name] = obj._loaders.pop(self.name)()
        return values[self.name]

    def __set__(self, obj: Any, value: Any) -> None:
        if value is not _PENDING:
            obj.__dict__[self.name] = value
            obj.__dict__.get("_loaders", {}).pop(self.name, None)


class LazyTokens(Tokens):
    """A :class:`Tokens` whose fields are read on first access: ``LazyTokens(loaders, **fields)``.

    ``loaders`` maps field names (``ids``, ``dtm``, ``texts``, ``metadata``, ``audit``, ``_offsets``…)
    to functions of no argument returning the value; the other fields are given. A store's partition is
    one (:func:`discourse.store.format.partition_tokens`), so an analysis reads only the files of the
    fields it uses (a concordance: no metadata, audit or document-term matrix). A loader must be
    picklable (a :func:`functools.partial` of a module-level function) for the partition to travel.
    """

    ids = _Loaded()
    doc_ptr = _Loaded()
    sent = _Loaded()
    dtm = _Loaded()
    texts = _Loaded()
    metadata = _Loaded()
    reconciliation = _Loaded()
    reason_counts = _Loaded()
    audit = _Loaded()
    _offsets = _Loaded()
    _utf8 = _Loaded()

    def __init__(self, loaders: dict[str, Any], **fields: Any) -> None:
        unknown = set(loaders) - {n for n, v in vars(LazyTokens).items() if isinstance(v, _Loaded)}
        if unknown:
            raise TypeError(f"LazyTokens cannot load {sorted(unknown)} on access")
        self._loaders = dict(loaders)
        super().__init__(**{name: _PENDING for name in loaders}, **fields)

    @property
    def pending(self) -> list[str]:
        """The fields not read yet."""
        return sorted(self._loaders)


class NLTKView:
    """NLTK ``CategorizedCorpusReader``-style access: categories are the outlets (or ``category_column``)."""

    def __init__(self, tokens: Tokens, category_column: str = "outlet") -> None:
        self._t = tokens
        self._pos = {d: i for i, d in enumerate(tokens.doc_ids)}
        self._cat = category_column

    def fileids(self, categories: str | Sequence[str] | None = None) -> list[str]:
        if categories is None:
            return list(self._t.doc_ids)
        cats = [categories] if isinstance(categories, str) else list(categories)
        meta = self._t.metadata
        return meta.index[meta[self._cat].isin(cats)].tolist()

    def categories(self, fileids: str | Sequence[str] | None = None) -> list[str]:
        meta = self._t.metadata
        if fileids is not None:
            meta = meta.loc[[fileids] if isinstance(fileids, str) else list(fileids)]
        return sorted(meta[self._cat].dropna().unique().tolist())

    def _ids(self, fileids) -> list[str]:
        if fileids is None:
            return list(self._t.doc_ids)
        return [fileids] if isinstance(fileids, str) else list(fileids)

    def raw(self, fileids=None) -> str:
        return "\n\n".join(self._t.texts[self._pos[f]] for f in self._ids(fileids))

    def _surfaces(self, d: int) -> tuple[list[str], np.ndarray]:
        t = self._t
        lo, hi = t.doc_ptr[d], t.doc_ptr[d + 1]
        text = t.texts[d]
        return [text[s:e] for s, e in zip(t.starts[lo:hi], t.ends[lo:hi])], t.sent[lo:hi]

    def words(self, fileids=None) -> list[str]:
        """Counted tokens in their surface form (as in the text)."""
        return [w for f in self._ids(fileids) for w in self._surfaces(self._pos[f])[0]]

    def sents(self, fileids=None) -> list[list[str]]:
        out: list[list[str]] = []
        for f in self._ids(fileids):
            words, sent = self._surfaces(self._pos[f])
            if not words:
                continue
            cuts = np.flatnonzero(np.diff(sent)) + 1
            bounds = np.r_[0, cuts, len(words)]
            out += [words[a:b] for a, b in zip(bounds[:-1], bounds[1:])]
        return out
