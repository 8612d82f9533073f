"""The data of the topic explorer: candidate terms for the relevance slider, prevalence, passages.

Relevance (Sievert & Shirley 2014, LDAvis) of term ``w`` for topic ``t`` at weight ``λ``::

    relevance(w, t | λ) = λ log p(w|t) + (1 − λ) log( p(w|t) / p(w) )

``λ = 1`` ranks by the term's probability in the topic, ``λ = 0`` by its lift (how much more
probable in the topic than in the corpus); their user study found ``λ ≈ 0.6`` best. The
explorer re-ranks the terms in the browser as the slider moves (a small callback); it
embeds, per topic, only the *candidates*: the union of the topic's top ``n_terms`` at every
slider position (``λ = 0, 0.01, ..., 1``), so the ranking shown at any position is exact
(:func:`relevance_candidates`).

Prevalence by group is :func:`discourse.topics.topic_prevalence` (mean document share with a
percentile bootstrap interval over documents). Representative passages (:func:`topic_passages`)
are, per topic and group, the ``n_passages`` documents with the highest share of the topic,
each shown by a passage of at most ``passage_chars`` characters: the document's modelling unit
(paragraph, chunk) with the highest share of the topic, or the document's beginning when the
units are the documents.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..grouping import group_labels
from ..topics import TopicModel, topic_prevalence
from ..validation import check_count, check_fraction, check_grouping, require_column

__all__ = ["LAMBDA_STEP", "TopicData", "relevance", "relevance_candidates", "topic_data", "topic_passages"]

LAMBDA_STEP = 0.01  # the slider's step: candidates are exact at every position


@dataclass
class TopicData:
    """What the topic explorer embeds.

    Attributes
    ----------
    topics : DataFrame
        ``topic`` (1-based), ``label``, ``share`` (mean document share over the corpus).
    terms : DataFrame
        The candidate terms: ``topic``, ``term``, ``p_topic`` (p(w|t)), ``p_corpus`` (p(w)).
    prevalence : DataFrame or None
        :func:`discourse.topics.topic_prevalence` by group (None without documents).
    passages : DataFrame or None
        ``topic``, ``group``, ``rank``, ``doc_id``, ``share``, ``title``, ``date``, ``text``.
    caps, attrs : dict
    """

    topics: pd.DataFrame
    terms: pd.DataFrame
    prevalence: pd.DataFrame | None
    passages: pd.DataFrame | None
    caps: dict = field(default_factory=dict)
    attrs: dict = field(default_factory=dict)


def relevance(p_topic: np.ndarray, p_corpus: np.ndarray, lambda_: float) -> np.ndarray:
    """``λ log p(w|t) + (1 − λ) log(p(w|t) / p(w))`` (Sievert & Shirley 2014)."""
    p_topic, p_corpus = np.asarray(p_topic, float), np.asarray(p_corpus, float)
    return lambda_ * np.log(p_topic) + (1 - lambda_) * np.log(p_topic / p_corpus)


def relevance_candidates(phi: np.ndarray, p_w: np.ndarray, n: int, step: float = LAMBDA_STEP) -> list[np.ndarray]:
    """Per topic (rows of ``phi``), the term indices in its top ``n`` by relevance at some ``λ`` of the grid
    ``0, step, ..., 1``, sorted by relevance at λ = 0.6 (ties: term index)."""
    n = min(n, phi.shape[1])
    log_phi, log_lift = np.log(phi), np.log(phi / p_w)
    out = []
    grid = np.linspace(0, 1, int(round(1 / step)) + 1)
    for k in range(phi.shape[0]):
        keep: set[int] = set()
        for lam in grid:
            r = lam * log_phi[k] + (1 - lam) * log_lift[k]
            keep.update(_top(r, n).tolist())
        idx = np.array(sorted(keep), np.int64)
        r06 = 0.6 * log_phi[k, idx] + 0.4 * log_lift[k, idx]
        out.append(idx[np.lexsort((idx, -r06))])
    return out


def _top(values: np.ndarray, n: int) -> np.ndarray:
    """Indices of the ``n`` largest values (ties broken by the lower index, as a stable sort)."""
    if n >= len(values):
        return np.arange(len(values))
    cut = np.partition(values, len(values) - n)[len(values) - n]
    above = np.flatnonzero(values > cut)
    tied = np.flatnonzero(values == cut)[: n - len(above)]
    return np.concatenate([above, tied])


def _terms_from_model(model: TopicModel, n_terms: int) -> pd.DataFrame:
    phi = model.topic_word
    freq = model.corpus.term_freq.astype(float)
    p_w = (freq + 1e-12) / max(freq.sum(), 1e-12)  # as discourse.topics.topic_terms
    vocab = model.corpus.vocab.to_numpy()
    cand = relevance_candidates(phi, p_w, n_terms)
    k = np.concatenate([np.full(len(c), i) for i, c in enumerate(cand)])
    w = np.concatenate(cand)
    return pd.DataFrame({"topic": k + 1, "term": vocab[w], "p_topic": phi[k, w], "p_corpus": p_w[w]})


def _terms_from_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Candidates from a :func:`discourse.topics.topic_terms` table: p(w) = probability / lift."""
    for col in ("topic", "term", "probability", "lift"):
        require_column(frame, col)
    return pd.DataFrame({"topic": frame["topic"].to_numpy(), "term": frame["term"].astype(str).to_numpy(),
                         "p_topic": frame["probability"].to_numpy(float),
                         "p_corpus": (frame["probability"] / frame["lift"]).to_numpy(float)})


def _passage(text: str, chars: int) -> str:
    """The text on one line, cut at a word boundary before ``chars`` characters (marked "…")."""
    text = " ".join(str(text).split())
    return text if len(text) <= chars else text[:chars].rsplit(" ", 1)[0] + " …"


def topic_passages(model: TopicModel, by: str | None = "outlet", *, n: int = 3, chars: int = 400) -> pd.DataFrame:
    """Per topic and group of ``by``, the ``n`` documents with the highest share of the topic and a passage of each.

    The passage is the document's modelling unit with the highest share of the topic (the
    document itself when units are documents), at most ``chars`` characters. Rows with a zero
    share are left out. Untrusted article text: escaped when shown.
    """
    c = model.corpus
    meta = c.metadata
    groups = (pd.Series("all", index=meta.index) if by is None else group_labels(meta, by)).to_numpy(dtype=object)
    theta, unit = model.doc_topics, model.unit_topics
    documents = c.params.get("units", "document") == "document" and c.n_units == c.n_docs
    rows = []
    for g in sorted({x for x in groups if x is not None and x == x}, key=str):
        pos = np.flatnonzero(groups == g)
        for k in range(model.k):
            order = pos[np.lexsort((pos, -theta[pos, k]))][:n]
            for rank, d in enumerate(order, 1):
                if theta[d, k] > 0:
                    rows.append((k + 1, g, rank, int(d), float(theta[d, k])))
    out = pd.DataFrame(rows, columns=["topic", "group", "rank", "doc", "share"])
    texts = c.document_texts(sorted(set(out["doc"].tolist())))
    passages = []
    for k, d in zip(out["topic"].to_numpy(), out["doc"].to_numpy()):
        text = texts[int(d)]
        if not documents:  # the document's unit richest in the topic
            units = np.flatnonzero(c.unit_doc == d)
            if len(units):
                u = units[np.argmax(unit[units, k - 1])]
                text = text[int(c.units["start"].iloc[u]):int(c.units["end"].iloc[u])]
        passages.append(_passage(text, chars))
    out.insert(3, "doc_id", meta.index.to_numpy()[out["doc"].to_numpy()] if len(out) else [])
    for col in ("title", "date"):
        out[col] = meta[col].astype(str).where(meta[col].notna(), "").to_numpy()[out["doc"]] \
            if col in meta.columns else ""
    out["text"] = passages
    out["label"] = np.asarray(model.labels, dtype=object)[out["topic"].to_numpy() - 1] if len(out) else []
    return out.drop(columns="doc")


def topic_data(model: TopicModel | pd.DataFrame, tokens: Any = None, *, by: str | None = "outlet",
               n_terms: int = 20, n_passages: int = 3, passage_chars: int = 400, n_boot: int = 2000,
               ci: float = 0.95, seed: int = 0) -> TopicData:
    """The topics, relevance candidates, prevalence by group and passages of the topic explorer.

    ``model`` is a fitted :class:`~discourse.topics.TopicModel`, or a
    :func:`discourse.topics.topic_terms` table (terms only: its rows are the candidates, so
    re-ranking is exact only among them; prevalence and passages need the model). ``tokens``,
    when given with a model, must be the corpus it was fitted on (checked by fingerprint).
    """
    check_count("n_terms", n_terms, minimum=1)
    check_count("n_passages", n_passages, minimum=1)
    check_count("passage_chars", passage_chars, minimum=20)
    check_fraction("ci", ci)
    caps = {"n_terms": n_terms, "n_passages": n_passages, "passage_chars": passage_chars}
    if isinstance(model, pd.DataFrame):
        terms = _terms_from_frame(model)
        labels = model.drop_duplicates("topic").set_index("topic")["label"] if "label" in model.columns else None
        topics = pd.DataFrame({"topic": sorted(terms["topic"].unique())})
        topics["label"] = [labels[t] if labels is not None else f"T{t}" for t in topics["topic"]]
        topics["share"] = np.nan
        caps["rule"] = f"the {len(terms):,} terms of the given table; no prevalence or passages without a model"
        return TopicData(topics, terms, None, None, caps, {"source": "topic terms table", **model.attrs})
    if not isinstance(model, TopicModel):
        raise TypeError(f"model must be a TopicModel or a topic_terms table, not {type(model).__name__}")
    if tokens is not None:
        from ..corpus import corpus_hash

        if corpus_hash(tokens) != model.params.get("corpus_hash"):
            raise ValueError("explore_topics: these tokens are not the corpus the model was fitted on "
                             "(fingerprints differ)")
    if by is not None:
        check_grouping("explore_topics", group_labels(model.corpus.metadata, by), by, model.corpus.metadata.columns)
    terms = _terms_from_model(model, n_terms)
    topics = pd.DataFrame({"topic": np.arange(1, model.k + 1), "label": model.labels,
                           "share": model.doc_topics.mean(axis=0)})
    prevalence = topic_prevalence(model, by=by, n_boot=n_boot, ci=ci, seed=seed)
    passages = topic_passages(model, by, n=n_passages, chars=passage_chars)
    caps["rule"] = (f"per topic the terms in its top {n_terms} by relevance at some slider position (λ step "
                    f"{LAMBDA_STEP}); per topic and group the {n_passages} documents with the highest share, "
                    f"a passage of at most {passage_chars} characters each")
    attrs = {"source": "topic model", "by": by, **model.result_attrs(), "prevalence": dict(prevalence.attrs)}
    return TopicData(topics, terms, prevalence, passages, caps, attrs)
