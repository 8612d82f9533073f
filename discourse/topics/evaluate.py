"""Evaluating topic models: coherence, topic matching, recovery of planted topics, choosing K."""
from __future__ import annotations

import warnings
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from ..partitions import is_partitioned
from ..tokens import Tokens, bow_rows
from ..validation import check_topics
from .model import TopicModel, TopicModelWarning, fit_lda, units_for_k
from .prepare import TopicCorpus

__all__ = ["MEASURES", "coherence", "match_topics", "topic_recovery", "choose_k"]

MEASURES = ("c_npmi", "u_mass", "c_v", "c_uci")
# Score of a topic with fewer than two scorable terms: the value gensim's formula
# gives to words that never co-occur (EPSILON = 1e-12), i.e. the worst score.
_EPSILON = 1e-12
_FLOOR = {"c_npmi": -1.0, "c_uci": float(np.log(_EPSILON)), "u_mass": float(np.log(_EPSILON)), "c_v": 0.0}


def coherence(model: TopicModel, measures: Sequence[str] = ("c_npmi", "u_mass"), *, topn: int = 10,
              window: int | None = None, max_units: int | None = 5000, seed: int = 0) -> pd.DataFrame:
    """Topic coherence per topic, with gensim's ``CoherenceModel`` (Röder, Both & Hinneburg 2015).

    For the ``topn`` most probable terms ``w_1..w_N`` of a topic the score is
    the mean over term pairs of a confirmation measure:

    * ``c_npmi`` (default): NPMI (Bouma 2009; Aletras & Stevenson 2013)
      ``log(P(wi,wj) / (P(wi) P(wj))) / -log P(wi,wj)`` with probabilities
      from sliding windows of 10 tokens; in [-1, 1]. (gensim slides windows
      incrementally and unmarks the token leaving a window even when it
      recurs inside it, so counts differ slightly from exact window sets.)
    * ``u_mass`` (default; Mimno et al. 2011): ``log((D(wi,wj) + eps) / D(wj))``
      with document (unit) co-occurrence counts ``D``; <= 0, higher is better.
    * ``c_v``: NPMI vectors compared by cosine over 110-token windows. Offered
      because it is popular, but its authors no longer recommend it (it
      rewards some random word sets; see gensim/palmetto issue 13).
    * ``c_uci`` (Newman et al. 2010): PMI over 10-token windows.

    Never NaN: terms absent from the reference units are left out of their
    topic's pairs, and a topic left with fewer than two terms gets the worst
    score (that of words that never co-occur: -1 for NPMI, ``log 1e-12`` for
    u_mass and UCI, 0 for c_v) and ``n_terms`` < 2 flags it.

    Parameters
    ----------
    model : TopicModel
    measures : sequence of {"c_npmi", "u_mass", "c_v", "c_uci"}
    topn : int
        Terms per topic (default 10, the usual choice).
    window : int, optional
        Sliding-window size for window-based measures (gensim defaults: 10; 110 for c_v).
    max_units : int or None
        Score on a random sample of at most this many units (window counting in
        gensim is slow: about 1M tokens per 10 s); ``None`` uses all units. The
        sample is recorded in ``.attrs``.
    seed : int
        Seed of the sample.

    Returns
    -------
    DataFrame
        One row per topic: ``topic`` (1-based), ``label``, one column per
        measure and ``n_terms`` (terms scored). ``.attrs["overall"]`` holds the
        mean over topics of each measure.
    """
    from gensim.models.coherencemodel import CoherenceModel

    measures = [measures] if isinstance(measures, str) else list(measures)
    bad = [m for m in measures if m not in MEASURES]
    if bad or not measures:
        raise ValueError(f"measures must be among {MEASURES}, not {bad or measures}")
    if topn < 2:
        raise ValueError("topn must be at least 2 (coherence scores pairs of terms)")
    corpus = model.corpus
    rows = _sample_units(corpus.n_units, max_units, seed)
    bow = corpus.rows(rows)  # a sample of units: read from the partitions holding them
    present = np.diff(bow.tocsc().indptr) > 0
    top = np.argsort(-model.topic_word, axis=1, kind="stable")[:, :topn]
    vocab = corpus.vocab.to_numpy()
    topics = [[vocab[j] for j in row if present[j]] for row in top]
    scorable = [i for i, t in enumerate(topics) if len(t) >= 2]
    dictionary = corpus.dictionary()
    texts = corpus.unit_texts(rows) if any(m != "u_mass" for m in measures) else None
    out = pd.DataFrame({"topic": np.arange(1, model.k + 1), "label": model.labels})
    for m in measures:
        scores = np.full(model.k, _FLOOR[m])
        if scorable:
            kwargs: dict[str, Any] = dict(topics=[topics[i] for i in scorable], dictionary=dictionary,
                                          coherence=m, topn=topn, processes=1)
            if m == "u_mass":
                kwargs["corpus"] = list(bow_rows(bow))
            else:
                kwargs["texts"] = texts
                if window is not None:
                    kwargs["window_size"] = window
            scores[scorable] = CoherenceModel(**kwargs).get_coherence_per_topic()
        if not np.all(np.isfinite(scores)):
            warnings.warn(f"{m}: non-finite scores replaced by the floor {_FLOOR[m]}", TopicModelWarning, stacklevel=2)
            scores[~np.isfinite(scores)] = _FLOOR[m]
        out[m] = scores
    out["n_terms"] = [len(t) for t in topics]
    if len(scorable) < model.k:
        warnings.warn(f"{model.k - len(scorable)} topic(s) have fewer than two of their top terms in the "
                      "reference units; they get the worst score", TopicModelWarning, stacklevel=2)
    out.attrs = {"analysis": "coherence", "coherence": ", ".join(measures), "topn": topn, "window": window,
                 "n_units_scored": len(rows), "n_units": corpus.n_units, "sample_seed": seed,
                 "overall": {m: float(out[m].mean()) for m in measures}, "n_topics": model.k,
                 "model": dict(model.params)}
    return out


def _sample_units(n: int, max_units: int | None, seed: int) -> np.ndarray:
    if max_units is None or n <= max_units:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, size=max_units, replace=False))


def match_topics(a: np.ndarray, b: np.ndarray) -> pd.DataFrame:
    """Pair the topics of two models one-to-one, maximising the summed cosine similarity.

    Rows of ``a`` and ``b`` are topic-term weights over the same terms. The
    assignment problem is solved exactly by the Hungarian algorithm (Kuhn 1955;
    ``scipy.optimize.linear_sum_assignment``).

    Returns
    -------
    DataFrame
        ``topic_a``, ``topic_b`` (1-based) and ``cosine``, one row per pair,
        sorted by ``topic_a``; ``.attrs["mean_cosine"]``.
    """
    a, b = np.asarray(a, float), np.asarray(b, float)
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[1]:
        raise ValueError(f"topic matrices must be 2-D over the same terms, got {a.shape} and {b.shape}")
    an = a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-300)
    bn = b / np.maximum(np.linalg.norm(b, axis=1, keepdims=True), 1e-300)
    sim = an @ bn.T
    r, c = linear_sum_assignment(sim, maximize=True)
    out = pd.DataFrame({"topic_a": r + 1, "topic_b": c + 1, "cosine": sim[r, c]})
    out.attrs = {"analysis": "topic matching", "method": "Hungarian matching of cosine similarity",
                 "mean_cosine": float(sim[r, c].mean()) if len(r) else float("nan")}
    return out


def topic_recovery(model: TopicModel, topic_word: np.ndarray, vocab: Sequence[str]) -> pd.DataFrame:
    """How well a fitted model recovers known (e.g. planted) topics.

    The fitted topic-term rows are placed on the known vocabulary (fitted
    terms outside it are ignored; known terms the model dropped count as 0)
    and matched one-to-one to the known topics by :func:`match_topics`.
    ``.attrs["mean_cosine"]`` is the summary (1 = perfect recovery).
    """
    topic_word = np.asarray(topic_word, float)
    if topic_word.shape[1] != len(vocab):
        raise ValueError(f"topic_word has {topic_word.shape[1]} columns but vocab has {len(vocab)} terms")
    pos = pd.Index(list(vocab)).get_indexer(model.corpus.vocab)
    fitted = np.zeros((model.k, len(vocab)))
    ok = pos >= 0
    fitted[:, pos[ok]] = model.topic_word[:, ok]
    out = match_topics(fitted, topic_word).rename(columns={"topic_a": "topic", "topic_b": "known_topic"})
    out.attrs.update(analysis="topic recovery", n_topics=model.k, n_known=len(topic_word),
                     terms_shared=int(ok.sum()))
    return out


def choose_k(data: Tokens | TopicCorpus, ks: Iterable[int] = (5, 10, 15, 20, 25, 30), *,
             seeds: Iterable[int] = (0, 1, 2), holdout: float = 0.1, split_seed: int = 0,
             measures: Sequence[str] = ("c_npmi", "u_mass"), max_units: int | None = 5000,
             prepare: dict | None = None, **fit: Any) -> pd.DataFrame:
    """A sweep over numbers of topics and seeds, to choose K.

    For every ``k`` and seed, a model is fitted on the same training units (a
    random ``1 - holdout`` share) and scored by

    * coherence (:func:`coherence`, on the corpus units; higher is better),
    * held-out perplexity ``exp(-B / N)``: ``B`` is gensim's variational lower
      bound of the log likelihood of the held-out units and ``N`` their tokens
      (Hoffman et al. 2010; lower is better; it tends to fall with K, so look for the elbow),
    * stability (Greene, O'Callaghan & Cunningham 2014): the mean cosine of
      Hungarian-matched topics (:func:`match_topics`) between this run and
      each run with the same K and another seed; 1 = the same topics every time.

    Parameters
    ----------
    data : Tokens or TopicCorpus
    ks : iterable of int
    seeds : iterable of int
        At least two seeds are needed for stability.
    holdout : float
        Share of units held out for perplexity (0 < holdout < 1).
    split_seed : int
        Seed of the train/held-out split.
    measures, max_units : see :func:`coherence`
    prepare : dict, optional
        Options of :func:`~discourse.topics.prepare_corpus` when ``data`` are Tokens; without
        ``units``, the units are chosen for the largest K (:func:`units_for_k`).
    **fit
        Options of :func:`fit_lda` (``passes``, ``alpha``, ``init`` ...).

    Returns
    -------
    DataFrame
        One row per (k, seed): ``k``, ``seed``, the coherence measures,
        ``perplexity``, ``stability``.
    """
    ks, seeds = [int(k) for k in ks], [int(s) for s in seeds]
    if not ks or not seeds:
        raise ValueError("ks and seeds must not be empty")
    # one set of units for every K (without units=, chosen for the largest K: see units_for_k)
    from_tokens = isinstance(data, Tokens) or is_partitioned(data)
    corpus = units_for_k(data, max(ks), **(prepare or {})) if from_tokens else data
    if not 0 < holdout < 1:
        raise ValueError(f"holdout must be a share in (0, 1), not {holdout!r}")
    order = np.random.default_rng(split_seed).permutation(corpus.n_units)
    n_test = max(1, int(round(holdout * corpus.n_units)))
    test, train = np.sort(order[:n_test]), np.sort(order[n_test:])
    if len(train) == 0:
        raise ValueError("too few units to hold some out; lower holdout or use smaller units")
    units = corpus.params.get("units", "document")  # every K, before the first fit: not after minutes of fitting
    if corpus.units["n_tokens"].to_numpy()[train].sum():  # with no text at all, fit_lda names that cause
        check_topics("choose_k", max(ks), len(train), f"training {units if isinstance(units, str) else 'chunk'}")
    test_bow = corpus.gensim_corpus(test)  # the held-out units in memory: gensim scores them as one chunk
    rows, fitted = [], {}
    for k in ks:
        for seed in seeds:
            m = fit_lda(corpus, k, seed=seed, train=train, **fit)
            coh = coherence(m, measures, max_units=max_units, seed=split_seed)
            bound = m.model.log_perplexity(test_bow, total_docs=len(test_bow)) if sum(
                c for doc in test_bow for _, c in doc) else float("nan")
            fitted[k, seed] = m.topic_word
            rows.append({"k": k, "seed": seed, **coh.attrs["overall"], "perplexity": float(np.exp(-bound))})
    out = pd.DataFrame(rows)
    out["stability"] = [_stability(fitted, k, s, seeds) for k, s in zip(out["k"], out["seed"])]
    out.attrs = {"analysis": "choose K", "ks": ks, "seeds": seeds, "holdout": holdout, "split_seed": split_seed,
                 "n_train_units": len(train), "n_test_units": len(test), "coherence": ", ".join(measures),
                 "fit": {k: v for k, v in fit.items()}, "corpus": {k: v for k, v in corpus.params.items()
                                                                   if k != "tokenizer"}}
    return out


def _stability(fitted: dict, k: int, seed: int, seeds: list[int]) -> float:
    others = [s for s in seeds if s != seed]
    if not others:
        return float("nan")
    return float(np.mean([match_topics(fitted[k, seed], fitted[k, s]).attrs["mean_cosine"] for s in others]))
