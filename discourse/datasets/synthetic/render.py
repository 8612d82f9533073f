"""Rendering of the synthetic documents: body lengths, token draws, sentences, paragraphs and titles."""
from __future__ import annotations

import numpy as np

from .model import Model

__all__ = ["doc_lengths", "render_body", "render_title"]

# Rates of the token types of a body (the rest are topic words).
_P_FUNCTION = 0.45
_P_OUTLET = 0.015
_P_NUMBER = 0.01
_P_POSSESSIVE = 0.015  # of topic words
_P_COMPOUND = 0.01  # of topic words
_P_COMMA = 0.06  # of non-final words of a sentence
_P_QUESTION = 0.05  # of sentences


def doc_lengths(n_tokens: int, doc_tokens: int, rng: np.random.Generator) -> np.ndarray:
    """Lognormal lengths around doc_tokens that sum to exactly n_tokens."""
    n_docs = max(1, int(round(n_tokens / doc_tokens)))
    raw = rng.lognormal(0.0, 0.35, size=n_docs)
    lengths = np.floor(raw / raw.sum() * n_tokens).astype(np.int64)
    min_len = min(30, n_tokens // n_docs)
    lengths = np.maximum(lengths, min_len)
    diff = n_tokens - int(lengths.sum())
    # Hand out (or take back) the rounding difference, largest documents first.
    order = np.argsort(-lengths, kind="stable")
    i = 0
    while diff:
        j = order[i % n_docs]
        step = 1 if diff > 0 else -1
        if step > 0 or lengths[j] > min_len:
            lengths[j] += step
            diff -= step
        i += 1
    return lengths


def _sentence_lengths(L: int, rng: np.random.Generator) -> np.ndarray:
    """Sentence lengths of 8-30 words summing to L (one sentence if L < 8)."""
    if L < 16:
        return np.array([L])
    n = L // 8 + 2
    s = np.clip(np.rint(rng.normal(19.0, 6.0, size=n)), 8, 30).astype(np.int64)
    c = np.cumsum(s)
    m = int(np.searchsorted(c, L))  # sentences 0..m cover L
    s = s[: m + 1]
    s[-1] = L - (c[m - 1] if m else 0)
    if s[-1] < 8:  # spread the short tail over sentences with room
        r = int(s[-1])
        s = s[:-1]
        while r:
            room = np.flatnonzero(s < 30)
            take = rng.choice(room, size=min(r, len(room)), replace=False)
            s[take] += 1
            r -= len(take)
    return s


def _capitalise(word: str) -> str:
    return word[:1].upper() + word[1:]


def _sample_topic_words(model: Model, z: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Vocab indices w ~ topic_word[z], vectorised over z."""
    V = len(model.vocab)
    idx = np.searchsorted(model.flat_cdf, z + rng.random(len(z)), side="right") - z * V
    return np.minimum(idx, V - 1)


def render_body(model: Model, o: int, theta: np.ndarray, L: int, rng: np.random.Generator) -> str:
    """Draw L word tokens for one document of outlet o and render them as paragraphs."""
    K = len(theta)
    th_cdf = np.cumsum(theta)
    th_cdf /= th_cdf[-1]
    n_ow = model.outlet_word_p.shape[1] if model.outlet_words[model.outlets[o]] else 0
    p_out = _P_OUTLET if n_ow else 0.0
    kind = np.searchsorted(
        np.cumsum([_P_FUNCTION, p_out, _P_NUMBER]), rng.random(L), side="right"
    )  # 0 function, 1 outlet, 2 number, 3 topic
    ids = np.empty(L, dtype=np.int64)

    m = kind == 0
    ids[m] = np.searchsorted(model.fw_cdf, rng.random(int(m.sum())), side="right")
    m = kind == 1
    if p_out:
        ow_cdf = np.cumsum(model.outlet_word_p[o])
        j = np.minimum(np.searchsorted(ow_cdf, rng.random(int(m.sum())), side="right"), n_ow - 1)
        ids[m] = model.off_outlet + o * n_ow + j
    m = kind == 2
    ids[m] = model.off_number + np.minimum(
        np.searchsorted(model.num_cdf, rng.random(int(m.sum())), side="right"), len(model.num_cdf) - 1
    )
    topic_pos = np.flatnonzero(kind == 3)
    z = np.minimum(np.searchsorted(th_cdf, rng.random(len(topic_pos)), side="right"), K - 1)
    ids[topic_pos] = model.off_vocab + _sample_topic_words(model, z, rng)
    ids = np.minimum(ids, len(model.lex) - 1)
    toks = model.lex[ids]  # object array of str (a copy)

    # Possessives and hyphenated compounds on a few topic words.
    u = rng.random(len(topic_pos))
    pos = topic_pos[u < _P_POSSESSIVE]
    if len(pos):
        toks[pos] = toks[pos] + "'s"
    sel = (u >= _P_POSSESSIVE) & (u < _P_POSSESSIVE + _P_COMPOUND)
    pos = topic_pos[sel]
    if len(pos):
        second = model.lex[model.off_vocab + _sample_topic_words(model, z[sel], rng)]
        toks[pos] = toks[pos] + "-" + second

    # Sentences: commas, final punctuation, capitalised first word.
    sl = _sentence_lengths(L, rng)
    ends = np.cumsum(sl) - 1
    starts = ends - sl + 1
    comma = rng.random(L) < _P_COMMA
    comma[ends] = False
    comma[np.maximum(ends - 1, 0)] = False  # no comma just before the full stop
    pos = np.flatnonzero(comma)
    if len(pos):
        toks[pos] = toks[pos] + ","
    toks[ends] = toks[ends] + np.where(rng.random(len(ends)) < _P_QUESTION, "?", ".").astype(object)
    toks[starts] = [_capitalise(t) for t in toks[starts].tolist()]

    # Paragraphs of 1-5 sentences.
    words = toks.tolist()
    paras = []
    s = 0
    n_sent = len(sl)
    while s < n_sent:
        k = int(rng.choice([1, 2, 3, 4, 5], p=[0.15, 0.3, 0.3, 0.15, 0.1]))
        a, b = int(starts[s]), int(ends[min(s + k, n_sent) - 1]) + 1
        paras.append(" ".join(words[a:b]))
        s += k
    return "\n\n".join(paras)


def render_title(model: Model, theta: np.ndarray, rng: np.random.Generator) -> str:
    """5-10 words: function words and words of the document's main topics."""
    n = int(rng.integers(5, 11))
    w = theta**2
    w_cdf = np.cumsum(w / w.sum())
    is_fw = rng.random(n) < 0.3
    is_fw[0] = False
    z = np.minimum(np.searchsorted(w_cdf, rng.random(n), side="right"), len(theta) - 1)
    ids = model.off_vocab + _sample_topic_words(model, z, rng)
    fw = np.searchsorted(model.fw_cdf, rng.random(n), side="right")
    ids = np.where(is_fw, fw, ids)
    words = model.lex[ids].tolist()
    words[0] = _capitalise(words[0])
    return " ".join(words)
