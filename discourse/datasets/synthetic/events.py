"""Planted events: a seeded multi-outlet corpus where several outlets report the same events in their own words.

:func:`make_event_corpus` is the ground truth of story alignment
(:func:`discourse.align_stories`): the metadata column ``event`` names the
planted event of every article (missing for the filler articles).

Generative model
----------------
* **Events.**  ``n_events`` events, each on a day drawn uniformly from
  ``n_days`` (starting 2021-01-01), with its own vocabulary: 25 lowercase
  pseudo-words drawn from a pool of ``max(20000, 4 * n_events)`` (so two
  events may share a few words, as real events do), 4 named entities
  (capitalised pseudo-words from a separate pool) and 2 numbers (3-9999).
* **Outlets.**  Each outlet covers each event independently with probability
  ``coverage`` (at least one outlet per event) and dates its article
  0-``date_jitter`` days after the event. It has 20 framing words of its own,
  used in all of its articles.
* **Articles.**  A lognormal length around ``doc_tokens``; each token slot is
  a function word (40%), a general news word shared by all (Zipfian over
  4,000 pseudo-words, 35%), an event word (12%, Zipfian over the event's 25:
  each article words the event with its own draw), an entity (5%), a number
  (2%) or a framing word of its outlet (6%).
* **Filler.**  ``n_filler`` articles on no event, dated uniformly, that
  take the event share from one of 30 recurring beats (60 words each: the
  weather, the markets) and their entity and number slots from random names
  and numbers.
* **Syndication.**  A share ``syndicated`` of the event articles is a
  verbatim copy of another outlet's article on the same event (the
  ``copy_of`` column names it): wire copy, which alignment should put in one
  story and mark as a near duplicate.

Sentences are about 15 tokens (geometric lengths, at least 4), the first capitalised, ending in a full stop.
Articles come in a random order (not by date). Everything is drawn from
``np.random.default_rng(seed)``: the same arguments give the same corpus.
40,000 articles of 150 tokens take about 3 seconds.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ...corpus import Corpus
from ...validation import check_count, check_fraction
from .vocabulary import FUNCTION_WORDS, outlet_name, pseudo_words

__all__ = ["make_event_corpus", "write_event_jsonl"]

_SHARES = np.array([0.40, 0.35, 0.12, 0.05, 0.02, 0.06])  # function, general, event, entity, number, framing
_EVENT_WORDS, _ENTITIES, _NUMBERS, _FRAMING, _GENERAL, _BEATS, _BEAT_WORDS = 25, 4, 2, 20, 4000, 30, 60


def _zipf(rng: np.random.Generator, n: int, size: int) -> np.ndarray:
    """``size`` ranks 0..n-1 with probability proportional to 1 / (rank + 1)."""
    cdf = np.cumsum(1.0 / np.arange(1, n + 1))
    return np.minimum(np.searchsorted(cdf, rng.random(size) * cdf[-1], "right"), n - 1)  # inverse CDF


def _check(n_events: int, n_outlets: int, coverage: float, n_filler: int, doc_tokens: int, n_days: int,
           date_jitter: int, syndicated: float) -> None:
    check_count("n_events", n_events, minimum=1)
    check_count("n_outlets", n_outlets, minimum=2)
    check_count("n_filler", n_filler)
    check_count("doc_tokens", doc_tokens, minimum=20)
    check_count("n_days", n_days, minimum=1)
    check_count("date_jitter", date_jitter)
    if coverage != 1:
        check_fraction("coverage", coverage)
    if syndicated != 0:
        check_fraction("syndicated", syndicated)


def make_event_corpus(n_events: int = 200, *, n_outlets: int = 4, coverage: float = 0.6, n_filler: int = 200,
                      doc_tokens: int = 150, n_days: int = 365, date_jitter: int = 2, syndicated: float = 0.02,
                      seed: int = 0) -> Corpus:
    """A seeded corpus of outlets reporting planted events in their own words (see the module docstring).

    Parameters
    ----------
    n_events : int
        Planted events.
    n_outlets : int
        Outlets ("Outlet A", "Outlet B", ...).
    coverage : float
        Probability that an outlet reports an event (each event has at least one article).
    n_filler : int
        Articles on no event.
    doc_tokens : int
        Mean article length in tokens.
    n_days : int
        Days over which the events fall (from 2021-01-01).
    date_jitter : int
        An article appears 0 to ``date_jitter`` days after its event.
    syndicated : float
        Share of the event articles that copy another outlet's article on the same event verbatim.
    seed : int
        Seed of all randomness.

    Returns
    -------
    Corpus
        Metadata ``outlet``, ``date`` (ISO), ``event`` (``"E00001"`` ..., missing for filler),
        ``copy_of`` (the document a syndicated copy repeats, else missing); ``params`` the arguments.
    """
    _check(n_events, n_outlets, coverage, n_filler, doc_tokens, n_days, date_jitter, syndicated)
    params = dict(n_events=n_events, n_outlets=n_outlets, coverage=coverage, n_filler=n_filler,
                  doc_tokens=doc_tokens, n_days=n_days, date_jitter=date_jitter, syndicated=syndicated, seed=seed)
    rng = np.random.default_rng(seed)
    pool = max(20_000, 4 * n_events)
    words = pseudo_words(rng, _GENERAL + pool + n_outlets * _FRAMING + pool // 2)
    # one vocabulary of token ids: function, general, event pool, framing, names, numbers 0-9999
    n_fun, n_fr = len(FUNCTION_WORDS), n_outlets * _FRAMING
    o_gen, o_pool = n_fun, n_fun + _GENERAL
    o_fr = o_pool + pool
    o_name = o_fr + n_fr
    n_names = len(words) - (_GENERAL + pool + n_fr)
    o_num = o_name + n_names
    vocab = np.array(list(FUNCTION_WORDS) + words[:_GENERAL + pool + n_fr]
                     + [w.capitalize() for w in words[_GENERAL + pool + n_fr:]] + [str(i) for i in range(10_000)],
                     dtype=object)

    # events: vocabulary, entities, numbers, day; beats for the filler
    ev_words = rng.integers(0, pool, size=(n_events + _BEATS, _BEAT_WORDS))
    ev_names = rng.integers(0, n_names, size=(n_events, _ENTITIES))
    ev_numbers = rng.integers(3, 10_000, size=(n_events, _NUMBERS))
    ev_day = rng.integers(0, n_days, size=n_events)
    covers = rng.random((n_events, n_outlets)) < coverage
    covers[np.arange(n_events), rng.integers(0, n_outlets, n_events)] |= ~covers.any(axis=1)
    ev, out = np.nonzero(covers)
    n_ev_docs = len(ev)
    day = np.r_[ev_day[ev] + rng.integers(0, date_jitter + 1, n_ev_docs), rng.integers(0, n_days, n_filler)]
    event = np.r_[ev, np.full(n_filler, -1)]
    outlet = np.r_[out, rng.integers(0, n_outlets, n_filler)]
    beat = np.where(event < 0, n_events + rng.integers(0, _BEATS, len(event)), event)
    n_docs = len(event)

    lengths = np.maximum(20, np.round(doc_tokens * rng.lognormal(-0.045, 0.3, n_docs))).astype(np.int64)
    ptr = np.r_[0, np.cumsum(lengths)]
    doc = np.repeat(np.arange(n_docs), lengths)
    m = len(doc)
    kind = np.searchsorted(np.cumsum(_SHARES), rng.random(m) * _SHARES.sum(), "right").clip(0, len(_SHARES) - 1)
    tok_id = np.empty(m, dtype=np.int64)
    for k in range(len(_SHARES)):   # each kind drawn for its own slots only
        at = np.flatnonzero(kind == k)
        n, d = len(at), doc[at]
        ev_d, filler = np.maximum(event[d], 0), event[d] < 0
        if k == 0:
            tok_id[at] = _zipf(rng, n_fun, n)
        elif k == 1:
            tok_id[at] = o_gen + _zipf(rng, _GENERAL, n)
        elif k == 2:   # filler draws from its beat's 60 words, an event article from the event's 25
            rank = np.minimum(_zipf(rng, _BEAT_WORDS, n), np.where(filler, _BEAT_WORDS, _EVENT_WORDS) - 1)
            tok_id[at] = o_pool + ev_words[beat[d], rank]
        elif k == 3:
            tok_id[at] = o_name + np.where(filler, rng.integers(0, n_names, n),
                                           ev_names[ev_d, rng.integers(0, _ENTITIES, n)])
        elif k == 4:
            tok_id[at] = o_num + np.where(filler, rng.integers(3, 10_000, n),
                                          ev_numbers[ev_d, rng.integers(0, _NUMBERS, n)])
        else:
            tok_id[at] = o_fr + outlet[d] * _FRAMING + rng.integers(0, _FRAMING, n)

    # sentences of about 15 tokens (a sentence break after each slot with probability 1/15), restarting per document
    pos = np.arange(m) - ptr[doc]
    cut = (pos == 0) | ((rng.random(m) < 1 / 15) & (pos >= 4) & (pos + 4 < lengths[doc]))
    last = np.r_[np.flatnonzero(cut)[1:] - 1, m - 1]
    tok = vocab[tok_id]
    first = np.flatnonzero(cut)
    tok[first] = [w[:1].upper() + w[1:] for w in tok[first]]
    tok[last] = [w + "." for w in tok[last]]
    texts = [" ".join(tok[ptr[i]:ptr[i + 1]]) for i in range(n_docs)]

    order = rng.permutation(n_docs)   # articles in a random order, numbered in that order
    ids = np.empty(n_docs, dtype=object)
    ids[order] = [f"a{i:06d}" for i in range(n_docs)]
    copy_of = np.full(n_docs, None, dtype=object)
    if syndicated and n_ev_docs:
        firsts = np.r_[0, np.flatnonzero(np.diff(ev)) + 1]           # each event's first article
        source = firsts[np.searchsorted(firsts, np.arange(n_ev_docs), "right") - 1]
        copies = np.flatnonzero((np.arange(n_ev_docs) != source) & (rng.random(n_ev_docs) < syndicated))
        for i in copies:
            texts[i] = texts[source[i]]
            copy_of[i] = ids[source[i]]
    jan1 = np.datetime64("2021-01-01")
    meta = pd.DataFrame({
        "outlet": [f"Outlet {outlet_name(int(o))}" for o in outlet[order]],
        "date": (jan1 + day[order].astype("timedelta64[D]")).astype(str),
        "event": pd.array([f"E{e + 1:05d}" if e >= 0 else None for e in event[order]], dtype="string"),
        "copy_of": pd.array(copy_of[order], dtype="string"),
    }, index=pd.Index(ids[order], name="doc_id"))
    corpus = Corpus(texts=[texts[i] for i in order], metadata=meta, params={"synthetic_events": params})
    return corpus


def write_event_jsonl(path: str | Path, **kwargs) -> int:
    """Write :func:`make_event_corpus` (``kwargs`` its arguments) as JSON lines (id, text and metadata); return the count."""
    corpus = make_event_corpus(**kwargs)
    frame = corpus.metadata.reset_index().rename(columns={"doc_id": "id"})
    frame["text"] = list(corpus.texts)
    frame.to_json(Path(path), orient="records", lines=True, force_ascii=False)
    return len(frame)

