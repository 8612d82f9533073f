"""The generating model of the synthetic corpus: vocabulary, topics, outlets (all but the documents)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .vocabulary import BOILERPLATE_POOL, FUNCTION_WORDS, outlet_name, pseudo_words

__all__ = ["Model", "build_model"]

_TOPIC_FLOOR = 0.02  # topic mass spread uniformly over the vocabulary
_MIN_VOCAB = 5000
_PRIOR_MIX = 0.3  # weight of the Dirichlet(2) part of an outlet topic prior


@dataclass
class Model:
    """Everything that does not depend on ``n_tokens``; ``lex`` holds every word a document can draw."""

    vocab: list[str]
    topic_word: np.ndarray
    flat_cdf: np.ndarray  # row k of topic_word's cdf, plus k, flattened (for vectorised sampling)
    outlets: list[str]
    domains: list[str]
    outlet_words: dict[str, list[str]]
    outlet_word_p: np.ndarray  # (n_outlets, n_outlet_words)
    outlet_topic_prior: np.ndarray
    boilerplate: list[list[tuple[str, str]]]  # per outlet: (line, position)
    lex: np.ndarray  # object array: function words, vocab, outlet words, numbers
    fw_cdf: np.ndarray
    num_cdf: np.ndarray
    off_vocab: int
    off_outlet: int
    off_number: int


def build_model(n_outlets: int, n_topics: int, n_outlet_words: int, rng: np.random.Generator) -> Model:
    """Draw the vocabulary, the topics, the outlets' words, priors and chrome lines, and the lexicon.

    Parameters are those of :func:`discourse.datasets.synthetic.make_news_corpus`; ``rng`` is the
    model's own random stream, so the model does not depend on the corpus size.
    """
    K = n_topics
    V = max(_MIN_VOCAB, 130 * K)
    words = pseudo_words(rng, V + n_outlets * n_outlet_words)
    vocab = words[:V]

    # Topics: disjoint cores of 60-120 words, a small overlap, a uniform floor.
    sizes = rng.integers(60, 121, size=K)
    perm = rng.permutation(V)
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    core_end = int(bounds[-1])
    topic_word = np.zeros((K, V))
    for k in range(K):
        core = perm[bounds[k] : bounds[k + 1]]
        topic_word[k, core] = rng.dirichlet(np.ones(len(core)))
        others = np.concatenate([perm[: bounds[k]], perm[bounds[k + 1] : core_end]])
        n_borrow = min(len(others), int(round(0.1 * len(core))))
        if n_borrow:
            borrowed = rng.choice(others, size=n_borrow, replace=False)
            topic_word[k, borrowed] += 0.1 * rng.dirichlet(np.ones(n_borrow))
        topic_word[k] /= topic_word[k].sum()
    topic_word = (1.0 - _TOPIC_FLOOR) * topic_word + _TOPIC_FLOOR / V
    topic_word /= topic_word.sum(axis=1, keepdims=True)
    cdf = np.cumsum(topic_word, axis=1)
    cdf[:, -1] = 1.0
    flat_cdf = (cdf + np.arange(K)[:, None]).ravel()

    outlets = [f"Outlet {outlet_name(i)}" for i in range(n_outlets)]
    domains = [f"outlet-{outlet_name(i).lower()}.example" for i in range(n_outlets)]
    outlet_words = {
        name: words[V + i * n_outlet_words : V + (i + 1) * n_outlet_words] for i, name in enumerate(outlets)
    }
    outlet_word_p = rng.dirichlet(np.full(max(n_outlet_words, 1), 20.0), size=n_outlets)
    prior = (1 - _PRIOR_MIX) / K + _PRIOR_MIX * rng.dirichlet(np.full(K, 2.0), size=n_outlets)
    prior /= prior.sum(axis=1, keepdims=True)

    # Boilerplate: 2-3 templates per outlet, at least one naming the outlet.
    named = [i for i, (t, _) in enumerate(BOILERPLATE_POOL) if "{name}" in t]
    boiler = []
    for name, domain in zip(outlets, domains):
        first = int(rng.choice(named))
        rest = [i for i in range(len(BOILERPLATE_POOL)) if i != first]
        picks = [first] + rng.choice(rest, size=int(rng.integers(1, 3)), replace=False).tolist()
        picks.sort()  # headers first (pool order), then footers
        boiler.append(
            [
                (BOILERPLATE_POOL[i][0].format(name=name, domain=domain), BOILERPLATE_POOL[i][1])
                for i in picks
            ]
        )

    # Numbers: small counts (Zipfian), round hundreds/thousands, years.
    numbers = [str(i) for i in range(1, 101)] + [str(i) for i in range(150, 1000, 50)]
    numbers += [str(i) for i in range(1000, 10001, 500)] + [str(y) for y in range(1990, 2022)]
    num_w = np.concatenate(
        [
            0.6 * (1 / np.arange(1, 101)) / (1 / np.arange(1, 101)).sum(),
            np.full(17, 0.15 / 17),
            np.full(19, 0.1 / 19),
            np.full(32, 0.15 / 32),
        ]
    )
    fw_w = 1.0 / (np.arange(len(FUNCTION_WORDS)) + 2.0)

    all_outlet_words = words[V:]
    lex = np.array(list(FUNCTION_WORDS) + vocab + all_outlet_words + numbers, dtype=object)
    off_vocab = len(FUNCTION_WORDS)
    off_outlet = off_vocab + V
    off_number = off_outlet + len(all_outlet_words)
    return Model(
        vocab=vocab,
        topic_word=topic_word,
        flat_cdf=flat_cdf,
        outlets=outlets,
        domains=domains,
        outlet_words=outlet_words,
        outlet_word_p=outlet_word_p,
        outlet_topic_prior=prior,
        boilerplate=boiler,
        lex=lex,
        fw_cdf=np.cumsum(fw_w / fw_w.sum()),
        num_cdf=np.cumsum(num_w / num_w.sum()),
        off_vocab=off_vocab,
        off_outlet=off_outlet,
        off_number=off_number,
    )
