"""The public generator: :func:`make_news_corpus`, :func:`iter_news_records`, :func:`write_news_jsonl`."""
from __future__ import annotations

import datetime as _dt
import inspect
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

import numpy as np
import pandas as pd

from .model import Model, build_model
from .render import doc_lengths, render_body, render_title

__all__ = ["SyntheticCorpus", "make_news_corpus", "iter_news_records", "write_news_jsonl"]

_P_BOILERPLATE = 0.8  # of an outlet's documents, per line
_DOC_ALPHA = 0.1  # mean Dirichlet concentration per topic of a document's theta
_RECORD_KEYS = ("id", "outlet", "domain", "date", "title", "text")


def _write_jsonl(path: Path, records: Iterable[dict]) -> int:
    """Write records as JSON lines (UTF-8, one at a time); return how many."""
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    return n


@dataclass
class SyntheticCorpus:
    """A synthetic news corpus with its planted ground truth.

    Attributes
    ----------
    records : list of dict
        One dict per document with keys ``id``, ``outlet``, ``domain``,
        ``date`` (ISO string, 2021), ``title`` and ``text``.
    vocab : list of str
        Content-word (topic) vocabulary, lowercase pseudo-words.
    topic_word : np.ndarray
        ``(n_topics, len(vocab))`` planted topic-word distributions (rows sum to 1).
    doc_topic : np.ndarray
        ``(n_docs, n_topics)`` planted document-topic proportions (rows sum to 1).
    outlet_words : dict of str to list of str
        Planted words of each outlet (not in ``vocab``, used by that outlet only).
    outlet_topic_prior : np.ndarray
        ``(n_outlets, n_topics)`` topic prior of each outlet (rows sum to 1).
    boilerplate_lines : dict of str to list of str
        Chrome lines of each outlet, as they appear in the texts (empty lists
        when ``boilerplate=False``).
    params : dict
        The arguments of :func:`make_news_corpus`, including ``seed``.
    doc_n_tokens : np.ndarray
        Body word tokens of each document (whitespace-separated, title and
        boilerplate excluded).
    """

    records: list[dict]
    vocab: list[str]
    topic_word: np.ndarray
    doc_topic: np.ndarray
    outlet_words: dict[str, list[str]]
    outlet_topic_prior: np.ndarray
    boilerplate_lines: dict[str, list[str]]
    params: dict
    doc_n_tokens: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    @property
    def n_word_tokens(self) -> int:
        """Total body word tokens (equals ``params["n_tokens"]``)."""
        return int(self.doc_n_tokens.sum())

    @property
    def outlets(self) -> list[str]:
        """Outlet names, in order."""
        return list(self.outlet_words)

    def __len__(self) -> int:
        return len(self.records)

    def to_frame(self) -> pd.DataFrame:
        """The records as a DataFrame (columns id, outlet, domain, date, title, text), no ground truth."""
        return pd.DataFrame.from_records(self.records, columns=list(_RECORD_KEYS))

    def to_jsonl(self, path: str | Path) -> Path:
        """Write the records as JSON lines (UTF-8) to ``path``; return the path."""
        path = Path(path)
        _write_jsonl(path, self.records)
        return path

    def to_csv(self, path: str | Path) -> Path:
        """Write the records as CSV (UTF-8, header, no index) to ``path``; return the path."""
        path = Path(path)
        self.to_frame().to_csv(path, index=False)
        return path



def _check_args(n_tokens: int, n_outlets: int, n_topics: int, doc_tokens: int, n_outlet_words: int) -> None:
    if n_tokens < 1:
        raise ValueError(f"n_tokens must be >= 1, got {n_tokens}")
    if n_outlets < 1:
        raise ValueError(f"n_outlets must be >= 1, got {n_outlets}")
    if n_topics < 1:
        raise ValueError(f"n_topics must be >= 1, got {n_topics}")
    if doc_tokens < 1:
        raise ValueError(f"doc_tokens must be >= 1, got {doc_tokens}")
    if n_outlet_words < 0:
        raise ValueError(f"n_outlet_words must be >= 0, got {n_outlet_words}")


def _generate(
    n_tokens: int,
    n_outlets: int,
    n_topics: int,
    doc_tokens: int,
    n_outlet_words: int,
    boilerplate: bool,
    seed: int,
) -> tuple[Model, Iterator[tuple[dict, np.ndarray, int]]]:
    """The model, and a lazy iterator of (record, theta, body length)."""
    _check_args(n_tokens, n_outlets, n_topics, doc_tokens, n_outlet_words)
    ss = np.random.SeedSequence(seed)
    rng_model, rng_docs, rng_bp = (np.random.default_rng(s) for s in ss.spawn(3))
    model = build_model(n_outlets, n_topics, n_outlet_words, rng_model)

    lengths = doc_lengths(n_tokens, doc_tokens, rng_docs)
    n_docs = len(lengths)
    outlet_of = rng_docs.permutation(np.arange(n_docs) % n_outlets)
    day = np.sort(rng_docs.integers(0, 365, size=n_docs))
    width = max(6, len(str(n_docs - 1)))
    jan1 = _dt.date(2021, 1, 1)
    alpha0 = _DOC_ALPHA * n_topics

    def docs() -> Iterator[tuple[dict, np.ndarray, int]]:
        for i in range(n_docs):
            o = int(outlet_of[i])
            theta = rng_docs.dirichlet(alpha0 * model.outlet_topic_prior[o])
            if not np.isfinite(theta).all() or theta.sum() <= 0:  # underflow guard
                theta = np.eye(n_topics)[int(np.argmax(model.outlet_topic_prior[o]))]
            L = int(lengths[i])
            title = render_title(model, theta, rng_docs)
            body = render_body(model, o, theta, L, rng_docs)
            # Boilerplate draws come from their own stream so bodies do not depend on them.
            keep = rng_bp.random(len(model.boilerplate[o])) < _P_BOILERPLATE
            if boilerplate:
                head = [ln for (ln, p), k in zip(model.boilerplate[o], keep) if k and p == "header"]
                foot = [ln for (ln, p), k in zip(model.boilerplate[o], keep) if k and p == "footer"]
                text = "\n".join(head) + "\n\n" if head else ""
                text += body
                text += "\n\n" + "\n".join(foot) if foot else ""
            else:
                text = body
            rec = {
                "id": f"doc{i:0{width}d}",
                "outlet": model.outlets[o],
                "domain": model.domains[o],
                "date": (jan1 + _dt.timedelta(days=int(day[i]))).isoformat(),
                "title": title,
                "text": text,
            }
            yield rec, theta, L

    return model, docs()


# ----------------------------------------------------------------------------- public API


def iter_news_records(n_tokens: int = 200_000, **kwargs: Any) -> Iterator[dict]:
    """Yield the records of :func:`make_news_corpus` one at a time.

    Parameters are those of :func:`make_news_corpus`; the records are identical
    to ``make_news_corpus(...).records`` with the same arguments, but only one
    document is held in memory at a time.

    Yields
    ------
    dict
        Keys ``id``, ``outlet``, ``domain``, ``date``, ``title``, ``text``.
    """
    # make_news_corpus's signature is the one list of options: names are checked now, values when iterated.
    args = inspect.signature(make_news_corpus).bind(n_tokens, **kwargs)
    args.apply_defaults()
    return _records(args.arguments)


def _records(options: dict[str, Any]) -> Iterator[dict]:
    _, docs = _generate(**options)
    for rec, _, _ in docs:
        yield rec


def write_news_jsonl(path: str | Path, n_tokens: int = 200_000, **kwargs: Any) -> int:
    """Stream a synthetic corpus to a JSON-lines file; return the number of documents.

    ``kwargs`` are the keyword arguments of :func:`make_news_corpus`.
    """
    return _write_jsonl(Path(path), iter_news_records(n_tokens, **kwargs))


def make_news_corpus(
    n_tokens: int = 200_000,
    *,
    n_outlets: int = 3,
    n_topics: int = 20,
    doc_tokens: int = 600,
    n_outlet_words: int = 15,
    boilerplate: bool = True,
    seed: int = 0,
) -> SyntheticCorpus:
    """Generate a seeded synthetic multi-outlet news corpus with planted structure.

    See :mod:`discourse.datasets.synthetic` for the generative model.

    Parameters
    ----------
    n_tokens : int
        Total body word tokens (whitespace-separated; titles and boilerplate
        excluded).  Matched exactly.
    n_outlets : int
        Number of outlets ("Outlet A", "Outlet B", ...), with near-equal
        numbers of documents.
    n_topics : int
        Number of planted topics K.
    doc_tokens : int
        Mean body length; ``round(n_tokens / doc_tokens)`` documents.
    n_outlet_words : int
        Planted pseudo-words per outlet (about 1.5% of its tokens, never used by
        other outlets).
    boilerplate : bool
        Add 2-3 fixed chrome lines per outlet, each to ~80% of its documents.
        Bodies are the same either way.
    seed : int
        Seed of all randomness; the same arguments give identical records.

    Returns
    -------
    SyntheticCorpus
        Records plus ground truth (vocabulary, topic-word and document-topic
        matrices, outlet words and topic priors, boilerplate lines, params).

    Examples
    --------
    >>> sc = make_news_corpus(20_000, seed=1)
    >>> sc.n_word_tokens, len(sc.records), sc.topic_word.shape
    (20000, 33, (20, 5000))
    """
    params = dict(n_tokens=n_tokens, n_outlets=n_outlets, n_topics=n_topics, doc_tokens=doc_tokens,
                  n_outlet_words=n_outlet_words, boilerplate=boilerplate, seed=seed)
    model, docs = _generate(**params)
    records, thetas, lens = [], [], []
    for rec, theta, L in docs:
        records.append(rec)
        thetas.append(theta)
        lens.append(L)
    return SyntheticCorpus(
        records=records,
        vocab=list(model.vocab),
        topic_word=model.topic_word.copy(),
        doc_topic=np.vstack(thetas) if thetas else np.zeros((0, n_topics)),
        outlet_words={k: list(v) for k, v in model.outlet_words.items()},
        outlet_topic_prior=model.outlet_topic_prior.copy(),
        boilerplate_lines={
            name: ([ln for ln, _ in model.boilerplate[i]] if boilerplate else [])
            for i, name in enumerate(model.outlets)
        },
        params=params,
        doc_n_tokens=np.asarray(lens, dtype=np.int64),
    )
