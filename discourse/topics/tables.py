"""Tables from a fitted topic model: terms by relevance, document-topic proportions, representative documents."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .model import TopicModel

__all__ = ["topic_terms", "document_topics", "representative_documents"]


def topic_terms(model: TopicModel, n: int = 10, *, lambda_: float = 0.6) -> pd.DataFrame:
    """Top terms of each topic ranked by relevance (Sievert & Shirley 2014).

    ``relevance(w, k) = λ log φ_kw + (1 − λ) log(φ_kw / p_w)`` where ``φ_kw`` is
    the topic's term probability and ``p_w`` the term's share of all kept
    tokens; ``λ = 1`` ranks by probability, ``λ = 0`` by lift (distinctiveness).
    The default ``λ = 0.6`` is the value their user study found best.

    Returns
    -------
    DataFrame
        One row per (topic, term): ``topic`` (1-based), ``label``, ``rank``,
        ``term``, ``probability`` (φ), ``lift`` (φ / p_w), ``relevance``,
        ``term_freq`` (the term's count in the corpus).
    """
    if not 0 <= lambda_ <= 1:
        raise ValueError(f"lambda_ must be in [0, 1], not {lambda_!r}")
    if n < 1:
        raise ValueError("n must be a positive number of terms")
    phi = model.topic_word
    freq = model.corpus.term_freq.astype(float)
    p_w = (freq + 1e-12) / max(freq.sum(), 1e-12)
    lift = phi / p_w
    relevance = lambda_ * np.log(phi) + (1 - lambda_) * np.log(lift)
    n = min(n, phi.shape[1])
    top = np.argsort(-relevance, axis=1, kind="stable")[:, :n]
    k_idx = np.repeat(np.arange(model.k), n)
    w_idx = top.ravel()
    out = pd.DataFrame({
        "topic": k_idx + 1, "label": np.asarray(model.labels, dtype=object)[k_idx],
        "rank": np.tile(np.arange(1, n + 1), model.k), "term": model.corpus.vocab.to_numpy()[w_idx],
        "probability": phi[k_idx, w_idx], "lift": lift[k_idx, w_idx], "relevance": relevance[k_idx, w_idx],
        "term_freq": freq[w_idx].astype(np.int64)})
    out.attrs = {"analysis": "topic terms", "measure": "relevance (Sievert & Shirley 2014)", "lambda": lambda_,
                 "n": n, **model.result_attrs()}
    return out


def document_topics(model: TopicModel, *, level: str = "document", wide: bool = False,
                    metadata: bool = True) -> pd.DataFrame:
    """Topic proportions of each document (or modelling unit).

    Document proportions are the kept-token-weighted means of their units'
    posterior mean proportions (identical to the unit's when units are documents).

    Parameters
    ----------
    level : {"document", "unit"}
    wide : bool
        One row per document and one column per topic label, instead of tidy rows.
    metadata : bool
        Add the document metadata columns (tidy form).

    Returns
    -------
    DataFrame
        Tidy: ``doc_id`` (and ``unit``, ``part`` for units), ``topic``,
        ``label``, ``share`` plus metadata; shares of a document sum to 1.
    """
    if level not in ("document", "unit"):
        raise ValueError(f"level must be 'document' or 'unit', not {level!r}")
    c = model.corpus
    if level == "document":
        theta, ids = model.doc_topics, pd.DataFrame({"doc_id": c.metadata.index.to_numpy()})
    else:
        theta, ids = model.unit_topics, c.units[["unit", "doc_id", "part"]]
    attrs = {"analysis": "document topics", "level": level, **model.result_attrs()}
    if wide:
        out = pd.DataFrame(theta, columns=model.labels)
        out.insert(0, "doc_id", ids["doc_id"].to_numpy())
        if level == "unit":
            out.insert(1, "unit", ids["unit"].to_numpy())
        out.attrs = attrs
        return out
    n, k = theta.shape
    out = ids.loc[ids.index.repeat(k)].reset_index(drop=True)
    out["topic"] = np.tile(np.arange(1, k + 1), n)
    out["label"] = np.tile(np.asarray(model.labels, dtype=object), n)
    out["share"] = theta.ravel()
    if metadata and len(c.metadata.columns):
        out = out.join(c.metadata, on="doc_id")
    out.attrs = attrs
    return out


def representative_documents(model: TopicModel, n: int = 3, *, level: str = "document",
                             snippet: int = 300) -> pd.DataFrame:
    """The documents (or paragraphs/chunks) with the highest share of each topic.

    Returns
    -------
    DataFrame
        One row per (topic, rank): ``topic``, ``label``, ``rank``, ``doc_id``,
        ``share``, metadata columns ``outlet``, ``date``, ``title`` when present,
        and ``text`` (the first ``snippet`` characters of the document or unit;
        untrusted article text: escape it before putting it in HTML).
    """
    wide = document_topics(model, level=level, wide=True)
    theta = wide[model.labels].to_numpy()
    n = min(n, len(theta))
    top = np.argsort(-theta, axis=0, kind="stable")[:n].T  # topics x n
    k_idx = np.repeat(np.arange(model.k), n)
    r_idx = top.ravel()
    c = model.corpus
    out = pd.DataFrame({"topic": k_idx + 1, "label": np.asarray(model.labels, dtype=object)[k_idx],
                        "rank": np.tile(np.arange(1, n + 1), model.k),
                        "doc_id": wide["doc_id"].to_numpy()[r_idx], "share": theta[r_idx, k_idx]})
    for col in ("outlet", "date", "title"):
        if col in c.metadata.columns:
            out[col] = c.metadata[col].reindex(out["doc_id"]).to_numpy()
    docs = r_idx if level == "document" else c.unit_doc[r_idx]
    texts = c.document_texts(docs)  # only these documents' texts (read from their partitions if need be)
    out["text"] = [_snippet(model, texts, r, level, snippet) for r in r_idx]
    out.attrs = {"analysis": "representative documents", "level": level, "n": n, **model.result_attrs()}
    return out


def _snippet(model: TopicModel, texts: dict[int, str], row: int, level: str, chars: int) -> str:
    c = model.corpus
    if level == "document":
        text = texts[int(row)]
    else:
        u = c.units.iloc[row]
        text = texts[int(c.unit_doc[row])][int(u["start"]):int(u["end"])]
    text = " ".join(text.split())
    return text if len(text) <= chars else text[:chars].rsplit(" ", 1)[0] + " …"
