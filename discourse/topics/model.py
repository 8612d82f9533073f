"""Fitting LDA with gensim, reproducibly, and the fitted :class:`TopicModel`.

Reproducibility: the default path (``workers=1``) is gensim's single-process
``LdaModel`` with ``random_state=seed``, a fixed unit order and a
deterministic initialisation; the same seed, data, options and library
versions give identical topics and proportions (tested, and checked on 10M
tokens by ``benchmarks/bench_topics.py``). ``workers >= 2`` uses
``LdaMulticore``, whose updates arrive in the order the operating system
schedules its worker processes, so results are not guaranteed to be identical
between runs; ``params["reproducible"]`` records which path was used.

Initialisation: gensim starts from random topics, and online variational Bayes
then often merges two true topics and splits another (a local optimum). The
default ``init="kmeans"`` starts instead from clusters of documents:
spherical k-means (Dhillon & Modha 2001) on tf-idf vectors, seeded by greedy
k-means++ (Arthur & Vassilvitskii 2007, with ``2 + ln K`` candidates per
centre as in scikit-learn); each topic starts from the summed counts of its
cluster. ``init="random"`` is gensim's own initialisation. The clustering sees
at most ``init_units`` units (50,000: a seeded sample beyond that), so its memory
is bounded on large corpora; below that, all of them.

A corpus in partitions (a store) is fitted by streaming its units' rows into
gensim one partition at a time, on every pass, with the same chunks of units as
in memory, so the model is the same (see :mod:`discourse.topics`).
"""
from __future__ import annotations

import gzip
import json
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..partitions import is_partitioned
from ..tokens import Tokens
from ..validation import check_count, check_topics
from .prepare import TopicCorpus, prepare_corpus

__all__ = ["MIN_UNITS_PER_TOPIC", "MIN_TOKENS_PER_TOPIC", "TopicModelWarning", "TopicModel", "load_topic_model",
           "fit_lda", "kmeans_topics", "units_for_k"]

# Below these sizes a model describes noise more than themes (warned, not refused).
MIN_UNITS_PER_TOPIC = 5
MIN_TOKENS_PER_TOPIC = 200


class TopicModelWarning(UserWarning):
    """A topic model was fitted on too little text to mean much, or cannot be exactly reproduced."""


@dataclass
class TopicModel:
    """A fitted LDA model with its modelling units and parameters.

    Attributes
    ----------
    model : gensim.models.LdaModel
        The gensim model (ids are the columns of ``corpus.bow``).
    corpus : TopicCorpus
        The modelling units and vocabulary.
    gamma : ndarray
        Units x topics variational Dirichlet parameters (the posterior of each
        unit's topic proportions), inferred once after fitting with a fresh
        generator seeded by ``seed``, so they are reproducible too.
    params : dict
        Every fitting parameter, the corpus fingerprint and the data sizes.
    """

    model: Any
    corpus: TopicCorpus
    gamma: np.ndarray
    params: dict = field(default_factory=dict)

    @property
    def k(self) -> int:
        return int(self.params["n_topics"])

    @property
    def topic_word(self) -> np.ndarray:
        """Topics x terms probabilities (rows sum to 1)."""
        lam = self.model.state.get_lambda().astype(np.float64)
        return lam / lam.sum(axis=1, keepdims=True)

    @property
    def unit_topics(self) -> np.ndarray:
        """Units x topics proportions (posterior means; rows sum to 1)."""
        return self.gamma / self.gamma.sum(axis=1, keepdims=True)

    @property
    def doc_topics(self) -> np.ndarray:
        """Documents x topics proportions: units' proportions averaged with their kept-token counts as weights."""
        c = self.corpus
        w = c.units["n_tokens"].to_numpy(float) + 1e-9  # a document without kept tokens gets the prior mean
        agg = sp.csr_matrix((w, (c.unit_doc, np.arange(c.n_units))), shape=(c.n_docs, c.n_units))
        out = agg @ self.unit_topics
        return out / np.maximum(out.sum(axis=1, keepdims=True), 1e-300)

    @property
    def labels(self) -> list[str]:
        """Short topic labels ``"T1 war army troops"`` from the three most probable terms."""
        v = self.corpus.vocab.to_numpy()
        top = np.argsort(-self.topic_word, axis=1, kind="stable")[:, :3]
        return [f"T{k + 1} " + " ".join(v[top[k]]) for k in range(self.k)]

    def result_attrs(self) -> dict:
        """The model parameters every result table records in its ``.attrs``."""
        return {k: self.params.get(k) for k in ("n_topics", "seed", "passes", "init", "units", "implementation",
                                                 "corpus_hash")}

    def __repr__(self) -> str:
        p = self.params
        return (f"<TopicModel: K={p['n_topics']}, {p['n_units']:,} units ({p['units']}), {p['n_terms']:,} terms, "
                f"seed={p['seed']}, passes={p['passes']}>")

    # -- persistence ------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        """Save to a directory: the gensim model, units, vocabulary, texts, metadata and parameters."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        self.model.save(str(path / "lda.gensim"))
        c = self.corpus
        if c.partitioned:  # the saved model is self-contained: its units' rows and texts are gathered once
            bow, unit_ids = c.source.gather()
            c = replace(c, bow=bow, unit_ids=unit_ids, texts=list(c.document_texts(range(c.n_docs)).values()),
                        source=None)
        sp.save_npz(path / "bow.npz", c.bow)
        lengths = np.array([len(u) for u in c.unit_ids], np.int64)
        np.savez(path / "arrays.npz", gamma=self.gamma, unit_doc=c.unit_doc,
                 unit_ids=np.concatenate(c.unit_ids) if len(c.unit_ids) else np.zeros(0, np.int64),
                 unit_len=lengths)
        c.units.to_csv(path / "units.csv", index=False)
        c.metadata.to_pickle(path / "metadata.pkl")
        with gzip.open(path / "texts.json.gz", "wt", encoding="utf-8") as fh:
            json.dump(list(c.texts), fh)
        meta = {"params": self.params, "corpus_params": c.params, "vocab": c.vocab.tolist(), "format": 1}
        (path / "topic_model.json").write_text(json.dumps(meta, default=str, indent=1), encoding="utf-8")
        return path

    @classmethod
    def load(cls, path: str | Path, tokens: Tokens | None = None) -> "TopicModel":
        """Load a model saved by :meth:`save` (pickle-based, like gensim: only load files you trust).

        With ``tokens``, check that they are the corpus the model was fitted on
        (same fingerprint, :func:`discourse.provenance.corpus_hash`).
        """
        from gensim.models import LdaModel

        path = Path(path)
        if not (path / "topic_model.json").is_file():
            raise FileNotFoundError(f"{path} holds no saved topic model (topic_model.json missing)")
        meta = json.loads((path / "topic_model.json").read_text(encoding="utf-8"))
        arrays = np.load(path / "arrays.npz")
        cuts = np.cumsum(arrays["unit_len"])[:-1]
        with gzip.open(path / "texts.json.gz", "rt", encoding="utf-8") as fh:
            texts = json.load(fh)
        corpus = TopicCorpus(bow=sp.load_npz(path / "bow.npz").tocsr(), vocab=pd.Index(meta["vocab"], name="term"),
                             unit_doc=arrays["unit_doc"], units=pd.read_csv(path / "units.csv", keep_default_na=False),
                             metadata=pd.read_pickle(path / "metadata.pkl"), texts=texts,
                             params=meta["corpus_params"], unit_ids=np.split(arrays["unit_ids"], cuts))
        model = cls(model=LdaModel.load(str(path / "lda.gensim")), corpus=corpus, gamma=arrays["gamma"],
                    params=meta["params"])
        if tokens is not None:
            from ..corpus import corpus_hash

            if corpus_hash(tokens) != model.params.get("corpus_hash"):
                raise ValueError("these tokens are not the corpus the model was fitted on (fingerprints differ)")
        return model


def load_topic_model(path: str | Path, tokens: Tokens | None = None) -> TopicModel:
    """Load a :class:`TopicModel` saved with :meth:`TopicModel.save`."""
    return TopicModel.load(path, tokens)


def fit_lda(
    data: Any,
    k: int = 20,
    *,
    seed: int = 0,
    passes: int = 10,
    iterations: int = 50,
    chunksize: int = 2000,
    alpha: str | float | np.ndarray = "symmetric",
    eta: str | float | np.ndarray | None = None,
    init: str = "kmeans",
    workers: int = 1,
    train: np.ndarray | None = None,
    init_units: int | None = 50_000,
    **prepare: Any,
) -> TopicModel:
    """Fit latent Dirichlet allocation (Blei, Ng & Jordan 2003) with gensim.

    gensim's online variational Bayes (Hoffman, Blei & Bach 2010) maximises the
    evidence lower bound of the generative model ``theta_d ~ Dir(alpha)``,
    ``beta_k ~ Dir(eta)``, ``z_di ~ Mult(theta_d)``, ``w_di ~ Mult(beta_{z_di})``.

    Parameters
    ----------
    data : Tokens, partitioned corpus or TopicCorpus
        Tokens (or a corpus in partitions: a store, :class:`~discourse.partitions.SplitTokens`) are turned into units with :func:`prepare_corpus` (``prepare``
        keyword arguments: ``units``, ``min_df``, ``max_df``, ``stopwords``,
        ``phrases`` ...). Without ``units`` (or with ``"auto"``), documents are the units unless
        there are fewer than 5 per topic; then their paragraphs are (see :func:`units_for_k`).
    k : int
        Number of topics.
    seed : int
        Seeds gensim's ``random_state`` and the initialisation.
    passes, iterations, chunksize : int
        Passes over the corpus (default 10), maximum E-step iterations per
        document (gensim default 50) and units per online update (gensim
        default 2000).
    alpha, eta : gensim priors
        Document-topic and topic-word Dirichlet priors (gensim defaults:
        symmetric ``1/K``).
    init : {"kmeans", "random"}
        Initial topics (see the module notes): k-means clusters of documents
        (default; recovers planted topics far more reliably) or gensim's random start.
    workers : int
        1 (default): ``LdaModel``, exactly reproducible. ``>= 2``:
        ``LdaMulticore`` with that many workers, not guaranteed reproducible.
    train : array of int, optional
        Fit on these units only (used for held-out evaluation); proportions are
        still inferred for all units.
    init_units : int or None
        The k-means initialisation clusters at most this many units (default 50,000): more
        are a seeded random sample of them (initial centres from a sample, as Bradley &
        Fayyad 1998), so that the initialisation's memory is bounded; the cluster counts
        are rescaled to the whole corpus. ``None``: all units.

    Returns
    -------
    TopicModel

    Notes
    -----
    Defaults and why: on a generated 10M-token corpus with 20 planted topics
    (``benchmarks/bench_topics.py``) the defaults recover every planted topic
    (mean matched cosine 1.00 over seeds, about 30 s on 2 cores), where
    gensim's random start reaches about 0.88 in about the same time. The
    vocabulary filters of :func:`prepare_corpus` (stop words, min/max document
    frequency) halve the tokens to process. ``eval_every`` is off (gensim's
    periodic perplexity logging costs time and changes nothing).

    On a partitioned corpus the units' bags-of-words are streamed into gensim
    one partition at a time, on every pass (online variational Bayes, Hoffman, Blei &
    Bach 2010, needs only a chunk of ``chunksize`` units at a time); chunks are cut by
    units, not by partitions, so the model is the same as on the corpus in memory.
    """
    from gensim.models import LdaModel, LdaMulticore

    if not (isinstance(k, (int, np.integer)) and k >= 2):
        raise ValueError(f"k must be an integer >= 2, not {k!r}")
    from_tokens = isinstance(data, Tokens) or is_partitioned(data)
    corpus = units_for_k(data, k, **prepare) if from_tokens else data
    if not isinstance(corpus, TopicCorpus):
        raise TypeError(f"fit_lda needs Tokens or a TopicCorpus, not {type(data).__name__}")
    if prepare and not from_tokens:
        raise TypeError(f"options {sorted(prepare)} apply to Tokens; this TopicCorpus is already prepared")
    if init not in ("kmeans", "random"):
        raise ValueError(f"init must be 'kmeans' or 'random', not {init!r}")
    if init_units is not None:
        check_count("init_units", init_units, minimum=int(k))
    if not (isinstance(workers, (int, np.integer)) and workers >= 1):
        raise ValueError(f"workers must be a positive integer, not {workers!r}")
    rows = np.arange(corpus.n_units) if train is None else np.asarray(train, np.int64)
    n_tokens = int(corpus.units["n_tokens"].to_numpy()[rows].sum())
    units = corpus.params.get("units", "document")
    if n_tokens:  # with no text at all, that is the cause to name
        check_topics("fit_lda", int(k), len(rows), units if isinstance(units, str) else f"{units}-token chunk")
    if len(corpus.vocab) < k or n_tokens == 0:
        raise ValueError(f"too little text to fit {k} topics: {len(corpus.vocab)} terms and {n_tokens} tokens "
                         "after the vocabulary filters (try units='paragraph', a smaller min_df or max_df=1.0)")
    _warn_if_small(len(rows), n_tokens, k)
    id2word = dict(enumerate(corpus.vocab))
    common = dict(num_topics=int(k), id2word=id2word, chunksize=chunksize, iterations=iterations, alpha=alpha,
                  eta=eta, random_state=seed, eval_every=None, dtype=np.float32)
    bow = corpus.stream(None if train is None else rows)  # a partitioned corpus is read a partition at a time, on every pass
    if workers > 1:
        model = LdaMulticore(None, workers=int(workers), **common)
    else:
        model = LdaModel(None, **common)
    if init == "kmeans":
        _set_initial_topics(model, _initial_counts(corpus, rows, k, seed, init_units, n_tokens))
    if workers > 1:
        model.passes = passes  # LdaMulticore.update reads passes from the model
        model.update(bow)
    else:
        model.update(bow, passes=passes)
    gamma = _infer(model, corpus, seed, chunksize)
    params = {"analysis": "topics", "model": "LDA", "implementation": type(model).__name__, "n_topics": int(k),
              "seed": seed, "passes": passes, "iterations": iterations, "chunksize": chunksize,
              "alpha": _jsonable(alpha), "eta": _jsonable(eta), "init": init, "workers": int(workers),
              "init_units": init_units, "streamed": corpus.partitioned,
              "reproducible": workers == 1, "n_train_units": len(rows), "n_train_tokens": n_tokens,
              **{k_: v for k_, v in corpus.params.items() if k_ != "tokenizer"},
              "corpus_hash": corpus.params.get("corpus_hash")}
    return TopicModel(model=model, corpus=corpus, gamma=gamma, params=params)


def units_for_k(tokens: Any, k: int, **prepare: Any) -> TopicCorpus:
    """Modelling units for ``k`` topics: :func:`prepare_corpus`, with paragraphs when documents are too few.

    With ``units`` given (other than ``"auto"``), exactly those. With ``"auto"``
    or without it, whole documents, unless there are fewer than
    :data:`MIN_UNITS_PER_TOPIC` (5) per topic and the documents have more
    paragraphs than there are documents: then the paragraphs are the units (as
    for short texts, e.g. the two-article sample: LDA needs many units to
    separate topics by co-occurrence; topic shares are still reported per
    document; articles are the usual unit of a topic model of news, Jacobi, van
    Atteveldt & Welbers 2016). A :class:`TopicModelWarning` says so, and
    ``params`` records it (``units_rule``, ``notes``). ``k`` itself is never
    changed: it is the researcher's choice, warned about when the text is small.
    """
    units = prepare.pop("units", "auto")
    if units != "auto":
        corpus = prepare_corpus(tokens, units=units, **prepare)
        corpus.params["units_rule"] = "given"
        return corpus
    corpus = prepare_corpus(tokens, **prepare)
    if corpus.n_units >= MIN_UNITS_PER_TOPIC * k:
        corpus.params["units_rule"] = "documents (enough for K)"
        return corpus
    paragraphs = prepare_corpus(tokens, **prepare, units="paragraph")
    if paragraphs.n_units <= corpus.n_units:
        corpus.params["units_rule"] = "documents (they have no more paragraphs)"
        return corpus
    note = (f"{corpus.n_units:,} documents are too few for {k} topics (fewer than {MIN_UNITS_PER_TOPIC} per "
            f"topic): modelling their {paragraphs.n_units:,} paragraphs instead (topic shares are still reported "
            "per document); pass units='document' to model whole documents")
    warnings.warn(note, TopicModelWarning, stacklevel=3)
    paragraphs.params.update(units_rule=f"paragraphs: {corpus.n_units:,} documents are too few for K = {k}",
                             n_documents=corpus.n_units, notes=[note, *paragraphs.params["notes"]])
    return paragraphs


def _warn_if_small(n_units: int, n_tokens: int, k: int) -> None:
    if n_units < MIN_UNITS_PER_TOPIC * k or n_tokens < MIN_TOKENS_PER_TOPIC * k:
        warnings.warn(
            f"fitting {k} topics on {n_units} units and {n_tokens} tokens (after filters): fewer than "
            f"{MIN_UNITS_PER_TOPIC} units or {MIN_TOKENS_PER_TOPIC} tokens per topic, so the topics mostly "
            "reflect chance co-occurrences; use more text, fewer topics, or units='paragraph'/chunks",
            TopicModelWarning, stacklevel=3)


def _jsonable(x: Any) -> Any:
    return np.asarray(x).tolist() if isinstance(x, np.ndarray) else x


def kmeans_topics(bow: sp.csr_matrix, k: int, seed: int = 0, *, n_init: int = 8, n_iter: int = 10) -> np.ndarray:
    """Initial topics x terms counts: summed counts of the units in each spherical k-means cluster.

    Units are tf-idf weighted and L2-normalised; centres are seeded by greedy
    k-means++ (each new centre is the best of ``2 + ln k`` candidates drawn with
    probability proportional to the cosine distance to the nearest centre) and
    refined by ``n_iter`` spherical k-means steps; of ``n_init`` such runs the
    one with the highest total cosine similarity of units to their centres is
    kept (as scikit-learn's ``n_init``). Deterministic given ``seed``.
    """
    rng = np.random.default_rng(seed)
    x = sp.csr_matrix(bow, dtype=np.float64)
    n = x.shape[0]
    idf = np.log(n / np.maximum(np.diff(x.tocsc().indptr), 1))
    y = x @ sp.diags(idf)
    norms = np.sqrt(np.asarray(y.multiply(y).sum(axis=1)).ravel())
    y = sp.csr_matrix(sp.diags(1 / np.maximum(norms, 1e-12)) @ y)
    live = np.flatnonzero(norms > 0)
    if len(live) == 0:
        return np.ones((k, bow.shape[1]))
    best_score, best_label = -np.inf, None
    for _ in range(n_init):
        label, score = _spherical_kmeans(y, live, k, n_iter, rng)
        if score > best_score:
            best_score, best_label = score, label
    member = sp.csr_matrix((np.ones(n), (best_label, np.arange(n))), shape=(k, n))
    return np.asarray((member @ x).todense()) + 1e-3  # keep every term possible in every topic


def _spherical_kmeans(y: sp.csr_matrix, live: np.ndarray, k: int, n_iter: int,
                      rng: np.random.Generator) -> tuple[np.ndarray, float]:
    """One greedy k-means++ seeding plus ``n_iter`` spherical k-means steps: (labels, total similarity)."""
    n = y.shape[0]
    first = int(rng.choice(live))
    # sparse x dense products throughout: much faster than sparse x sparse here
    dist = 1 - y @ y[first].toarray().ravel()
    centres = [first]
    trials = 2 + int(np.log(k))
    for _ in range(1, k):
        p = np.maximum(dist, 0)
        cand = rng.choice(n, size=trials, p=p / p.sum()) if p.sum() > 0 else rng.choice(n, size=trials)
        d = np.minimum(dist[:, None], 1 - y @ y[cand].toarray().T)
        best = int(np.argmin(d.sum(axis=0)))
        centres.append(int(cand[best]))
        dist = d[:, best]
    c = y[centres].toarray()
    for step in range(n_iter + 1):
        sim = y @ c.T
        label = np.asarray(sim.argmax(axis=1)).ravel()
        if step < n_iter:
            onehot = np.zeros((n, k))
            onehot[np.arange(n), label] = 1.0
            c = (y.T @ onehot).T
            c /= np.maximum(np.linalg.norm(c, axis=1, keepdims=True), 1e-12)
    return label, float(sim.max(axis=1).sum())


def _initial_counts(corpus: TopicCorpus, rows: np.ndarray, k: int, seed: int, init_units: int | None,
                    n_tokens: int) -> np.ndarray:
    """k-means initial topics from the training units, or from a seeded sample of ``init_units`` of them."""
    if init_units is None or len(rows) <= init_units:
        return kmeans_topics(corpus.rows(rows), k, seed)
    sample = np.sort(np.random.default_rng(seed).choice(rows, size=int(init_units), replace=False))
    counts = kmeans_topics(corpus.rows(sample), k, seed)
    sampled = int(corpus.units["n_tokens"].to_numpy()[sample].sum())
    return counts * (n_tokens / max(sampled, 1))  # the scale of the whole training corpus


def _set_initial_topics(model, counts: np.ndarray) -> None:
    """Replace gensim's random sufficient statistics by ``counts`` rescaled to the corpus size."""
    from gensim.matutils import dirichlet_expectation

    counts = counts / counts.sum(axis=1, keepdims=True) * (counts.sum() / len(counts))
    model.state.sstats[...] = counts.astype(model.state.sstats.dtype)
    model.expElogbeta = np.exp(dirichlet_expectation(model.state.get_lambda())).astype(model.dtype, copy=False)


def _infer(model, corpus: TopicCorpus, seed: int, chunksize: int) -> np.ndarray:
    """Variational gamma for every unit, with a fresh seeded generator (reproducible, repeatable)."""
    saved = model.random_state
    model.random_state = np.random.RandomState(seed)
    try:
        parts = [model.inference(chunk)[0] for chunk in corpus.chunks(chunksize)]
    finally:
        model.random_state = saved
    return np.vstack(parts).astype(np.float64) if parts else np.zeros((0, model.num_topics))
