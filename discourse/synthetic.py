"""Seeded synthetic multi-outlet news corpus with planted ground truth.

:func:`make_news_corpus` builds a corpus of any size (in body word tokens) in
memory, with the generating parameters attached; :func:`iter_news_records`
streams the very same records one at a time for sizes that should not be held
in memory (and :func:`write_news_jsonl` writes them straight to disk).

Generative model (LDA-like)
---------------------------
* **Vocabulary.**  About 5,000 pronounceable pseudo-words built from syllables
  (``max(5000, 130 * n_topics)``): lowercase letters only, length 4-10, unique,
  never an English stop word (:data:`ENGLISH_STOP_WORDS`), never a word used by
  the boilerplate lines and never ending in ``s``/``ed``/``ing`` (so stemmers
  and lemmatizers leave them alone).  The vocabulary, the topics and the outlet
  words depend on ``seed`` (and ``n_topics``/``n_outlets``/``n_outlet_words``)
  only, not on ``n_tokens``.
* **Topics.**  Topic ``k`` owns a disjoint core of 60-120 words (a Dirichlet(1)
  distribution over them), borrows ~10% as many words from other topics' cores
  at a lower weight (small overlap) and spreads a 2% floor uniformly over the
  whole vocabulary.  Rows of ``topic_word`` sum to 1; distinct topics have
  cosine similarity below 0.1 (median about 0.002).
* **Outlets.**  Outlet ``o`` has a topic prior ``pi_o = 0.7 / K + 0.3 *
  Dirichlet(2)`` (its own emphasis), ``n_outlet_words`` planted pseudo-words
  used by that outlet only, and (``boilerplate=True``) 2-3 fixed chrome lines.
* **Documents.**  Outlets are assigned in near-equal numbers (shuffled); dates
  are uniform over 2021 and increase with the document id.  A document has
  ``theta ~ Dirichlet(0.1 * K * pi_o)`` (sparse: few topics per document) and
  a lognormal length around ``doc_tokens``, rescaled so that the lengths sum to
  exactly ``n_tokens``.  Each token slot is independently

  - an English function word (45%, Zipfian: the, of, and, to, a, in, ...),
  - a planted outlet word (1.5%, near-uniform over the outlet's words; at
    this rate they are the top-10 keyness words of their outlet from ~200k
    tokens on, while a 1% rate lets chance topic-word fluctuations in),
  - a number (1%: small counts, round hundreds, years),
  - a topic word (the rest): ``z ~ theta``, ``w ~ topic_word[z]``.

  ``doc_topic`` holds the ``theta`` draws.
* **Rendering.**  Sentences of 8-30 words (first word capitalised, a comma now
  and then, ending in ``.`` or, 5% of the time, ``?``), paragraphs of 1-5
  sentences separated by a blank line (``"\\n\\n"``); 1.5% of topic words take
  a possessive (``word's``) and 1% become hyphenated compounds (``word-word``,
  the second word drawn from the same topic; it is extra and not counted).
  Titles are 5-10 words.  Boilerplate lines are each on their own line, headers
  before the body and footers after it (separated by a blank line), each line
  independently in 80% of its outlet's documents.  Their content words (not
  stop words) never occur in any body or title.

``n_tokens`` counts whitespace-separated tokens of the bodies (titles and
boilerplate excluded; a compound or a possessive counts as one), so
``corpus.n_word_tokens == n_tokens`` exactly.

Randomness comes from ``np.random.default_rng`` children of one
``SeedSequence(seed)``: one for the model, one for the documents and one for
the boilerplate placement.  The same arguments give byte-identical records,
and ``boilerplate=False`` gives the same documents minus the chrome lines.

Speed: all token ids of a document are drawn at once (vectorised), strings are
joined in C.  ``make_news_corpus(10_000_000)`` (16,667 documents, 65M
characters) took 4.5-5.3 s on a 2-core machine (numpy 2.4, Python 3, other
jobs running); streaming it to JSONL with :func:`write_news_jsonl` takes about
the same.  200k tokens take about 0.1 s.
"""
from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import numpy as np
import pandas as pd

__all__ = [
    "ENGLISH_STOP_WORDS",
    "FUNCTION_WORDS",
    "SyntheticCorpus",
    "make_news_corpus",
    "iter_news_records",
    "write_news_jsonl",
]

# Union of NLTK's English stop words and the scikit-learn/gensim list.
ENGLISH_STOP_WORDS: frozenset[str] = frozenset(
    """
    a about above across after afterwards again against ain all almost alone along already also although
    always am among amongst amoungst amount an and another any anyhow anyone anything anyway anywhere are
    aren around as at back be became because become becomes becoming been before beforehand behind being
    below beside besides between beyond bill both bottom but by call can cannot cant co computer con could
    couldn couldnt cry d de describe detail did didn do does doesn doing don done down due during each eg
    eight either eleven else elsewhere empty enough etc even ever every everyone everything everywhere
    except few fifteen fifty fill find fire first five for former formerly forty found four from front full
    further get give go had hadn has hasn hasnt have haven having he hence her here hereafter hereby herein
    hereupon hers herself him himself his how however hundred i ie if in inc indeed interest into is isn it
    its itself just keep kg km last latter latterly least less ll ltd m ma made make many may me meanwhile
    might mightn mill mine more moreover most mostly move much must mustn my myself name namely needn
    neither never nevertheless next nine no nobody none noone nor not nothing now nowhere o of off often on
    once one only onto or other others otherwise our ours ourselves out over own part per perhaps please
    put quite rather re really regarding s same say see seem seemed seeming seems serious several shan she
    should shouldn show side since sincere six sixty so some somehow someone something sometime sometimes
    somewhere still such system t take ten than that the their theirs them themselves then thence there
    thereafter thereby therefore therein thereupon these they thick thin third this those though three
    through throughout thru thus to together too top toward towards twelve twenty two un under unless until
    up upon us used using various ve very via was wasn we well were weren what whatever when whence
    whenever where whereafter whereas whereby wherein whereupon wherever whether which while whither who
    whoever whole whom whose why will with within without won wouldn would y yet you your yours yourself
    yourselves
    """.split()
)

# Function words in rough order of English frequency (all are stop words);
# their probabilities are Zipfian, p(rank r) ~ 1 / (r + 1).
FUNCTION_WORDS: tuple[str, ...] = tuple(
    """
    the of and to a in that is was for on with as by it at from he his be are have has not but they this
    an which or were had been their will its who more she her we after about there than when into over out
    up can all some other so no only most between during before against them while these what also
    """.split()
)

# Rates of the token types of a body (the rest are topic words).
_P_FUNCTION = 0.45
_P_OUTLET = 0.015
_P_NUMBER = 0.01
_P_POSSESSIVE = 0.015  # of topic words
_P_COMPOUND = 0.01  # of topic words
_P_COMMA = 0.06  # of non-final words of a sentence
_P_QUESTION = 0.05  # of sentences
_P_BOILERPLATE = 0.8  # of an outlet's documents, per line
_TOPIC_FLOOR = 0.02  # topic mass spread uniformly over the vocabulary
_DOC_ALPHA = 0.1  # mean Dirichlet concentration per topic of a document's theta
_MIN_VOCAB = 5000
_PRIOR_MIX = 0.3  # weight of the Dirichlet(2) part of an outlet topic prior

# Chrome lines: (template, position).  {name} is the outlet name, {domain} its domain.
_BOILERPLATE_POOL: tuple[tuple[str, str], ...] = (
    ("Skip to main content", "header"),
    ("Home | World | Politics | Business | Culture | Sport", "header"),
    ("{name} Live | Latest News | Opinion | Video", "header"),
    ("Advertisement", "header"),
    ("Subscribe to the {name} newsletter for daily updates", "footer"),
    ("Share this article: Facebook Twitter Email WhatsApp", "footer"),
    ("Copyright {name} Media Group. All rights reserved.", "footer"),
    ("Follow {name} on Twitter and Instagram for breaking news", "footer"),
    ("Read more stories like this at {domain}", "footer"),
    ("Click here to download the {name} app", "footer"),
    ("Sign up for our morning briefing", "footer"),
    ("Comments are closed for this article", "footer"),
)

# Syllable parts of the pseudo-words (repeats weight the common ones).
_ONSETS = (
    "b c d f g h k l m n p r s t v w b d g k l m n p r s t t z j br cr dr fr gr pr tr bl cl fl pl sl st sp "
    "ch sh th"
).split()
_VOWELS = "a e i o u a e i o u a e i o a e ai ea ou oo ie".split()
_CODAS = "n r l m s t n r l".split()  # inside a word
_FINAL_CODAS = "n r l m t x k nd nt rd rn st lt ck sh".split()  # at the end
_ENDINGS = "a o y er on ia el an en ar um in ix is".split()  # after a final consonant

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
        with path.open("w", encoding="utf-8") as fh:
            for rec in self.records:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        return path

    def to_csv(self, path: str | Path) -> Path:
        """Write the records as CSV (UTF-8, header, no index) to ``path``; return the path."""
        path = Path(path)
        self.to_frame().to_csv(path, index=False)
        return path


_RECORD_KEYS = ("id", "outlet", "domain", "date", "title", "text")


# ----------------------------------------------------------------------------- model


@dataclass
class _Model:
    """Everything that does not depend on n_tokens."""

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


def _outlet_name(i: int) -> str:
    """'A'..'Z', then 'AA', 'AB', ..."""
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def _reserved_words() -> set[str]:
    words = set(ENGLISH_STOP_WORDS) | {"outlet", "example", "media", "group", "live"}
    for tmpl, _ in _BOILERPLATE_POOL:
        for w in tmpl.replace("{name}", " ").replace("{domain}", " ").split():
            w = "".join(c for c in w.lower() if c.isalpha())
            if w:
                words.add(w)
    return words


def _pseudo_words(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` unique pronounceable pseudo-words (length 4-10, letters only)."""
    reserved = _reserved_words()
    out: list[str] = []
    seen: set[str] = set()

    def pick(parts: list[str], m: int) -> np.ndarray:
        return np.array(parts, dtype=object)[rng.integers(len(parts), size=m)]

    while len(out) < n:
        m = 2 * (n - len(out)) + 1000
        n_syl = rng.choice([2, 3, 4], size=m, p=[0.5, 0.42, 0.08])
        # First syllable may start with a vowel.
        words = np.where(rng.random(m) < 0.12, "", pick(_ONSETS, m)) + pick(_VOWELS, m)
        for s in range(1, 4):
            syl = np.where(rng.random(m) < 0.25, pick(_CODAS, m), "") + pick(_ONSETS, m) + pick(_VOWELS, m)
            words = np.where(n_syl > s, words + syl, words)
        # Optional final consonant(s), optionally followed by an ending.
        has_coda = rng.random(m) < 0.5
        words = np.where(has_coda, words + pick(_FINAL_CODAS, m), words)
        words = np.where(has_coda & (rng.random(m) < 0.3), words + pick(_ENDINGS, m), words)
        for w in words.tolist():
            if (
                4 <= len(w) <= 10
                and w not in seen
                and w not in reserved
                and not w.endswith(("s", "ed", "ing"))
            ):
                seen.add(w)
                out.append(w)
                if len(out) == n:
                    break
    return out


def _build_model(n_outlets: int, n_topics: int, n_outlet_words: int, rng: np.random.Generator) -> _Model:
    K = n_topics
    V = max(_MIN_VOCAB, 130 * K)
    words = _pseudo_words(rng, V + n_outlets * n_outlet_words)
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

    outlets = [f"Outlet {_outlet_name(i)}" for i in range(n_outlets)]
    domains = [f"outlet-{_outlet_name(i).lower()}.example" for i in range(n_outlets)]
    outlet_words = {
        name: words[V + i * n_outlet_words : V + (i + 1) * n_outlet_words] for i, name in enumerate(outlets)
    }
    outlet_word_p = rng.dirichlet(np.full(max(n_outlet_words, 1), 20.0), size=n_outlets)
    prior = (1 - _PRIOR_MIX) / K + _PRIOR_MIX * rng.dirichlet(np.full(K, 2.0), size=n_outlets)
    prior /= prior.sum(axis=1, keepdims=True)

    # Boilerplate: 2-3 templates per outlet, at least one naming the outlet.
    named = [i for i, (t, _) in enumerate(_BOILERPLATE_POOL) if "{name}" in t]
    boiler = []
    for name, domain in zip(outlets, domains):
        first = int(rng.choice(named))
        rest = [i for i in range(len(_BOILERPLATE_POOL)) if i != first]
        picks = [first] + rng.choice(rest, size=int(rng.integers(1, 3)), replace=False).tolist()
        picks.sort()  # headers first (pool order), then footers
        boiler.append(
            [
                (_BOILERPLATE_POOL[i][0].format(name=name, domain=domain), _BOILERPLATE_POOL[i][1])
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
    return _Model(
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


# ----------------------------------------------------------------------------- documents


def _doc_lengths(n_tokens: int, doc_tokens: int, rng: np.random.Generator) -> np.ndarray:
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


def _sample_topic_words(model: _Model, z: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Vocab indices w ~ topic_word[z], vectorised over z."""
    V = len(model.vocab)
    idx = np.searchsorted(model.flat_cdf, z + rng.random(len(z)), side="right") - z * V
    return np.minimum(idx, V - 1)


def _render_body(
    model: _Model, o: int, theta: np.ndarray, L: int, rng: np.random.Generator
) -> str:
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


def _render_title(model: _Model, theta: np.ndarray, rng: np.random.Generator) -> str:
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
) -> tuple[_Model, Iterator[tuple[dict, np.ndarray, int]]]:
    """The model, and a lazy iterator of (record, theta, body length)."""
    _check_args(n_tokens, n_outlets, n_topics, doc_tokens, n_outlet_words)
    ss = np.random.SeedSequence(seed)
    rng_model, rng_docs, rng_bp = (np.random.default_rng(s) for s in ss.spawn(3))
    model = _build_model(n_outlets, n_topics, n_outlet_words, rng_model)

    lengths = _doc_lengths(n_tokens, doc_tokens, rng_docs)
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
            title = _render_title(model, theta, rng_docs)
            body = _render_body(model, o, theta, L, rng_docs)
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


def iter_news_records(
    n_tokens: int = 200_000,
    *,
    n_outlets: int = 3,
    n_topics: int = 20,
    doc_tokens: int = 600,
    n_outlet_words: int = 15,
    boilerplate: bool = True,
    seed: int = 0,
) -> Iterator[dict]:
    """Yield the records of :func:`make_news_corpus` one at a time.

    Parameters are those of :func:`make_news_corpus`; the records are identical
    to ``make_news_corpus(...).records`` with the same arguments, but only one
    document is held in memory at a time.

    Yields
    ------
    dict
        Keys ``id``, ``outlet``, ``domain``, ``date``, ``title``, ``text``.
    """
    _, docs = _generate(n_tokens, n_outlets, n_topics, doc_tokens, n_outlet_words, boilerplate, seed)
    for rec, _, _ in docs:
        yield rec


def write_news_jsonl(path: str | Path, n_tokens: int = 200_000, **kwargs: Any) -> int:
    """Stream a synthetic corpus to a JSON-lines file; return the number of documents.

    ``kwargs`` are the keyword arguments of :func:`make_news_corpus`.
    """
    n = 0
    with Path(path).open("w", encoding="utf-8") as fh:
        for rec in iter_news_records(n_tokens, **kwargs):
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    return n


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

    See the module docstring for the generative model.

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
    params = dict(
        n_tokens=n_tokens,
        n_outlets=n_outlets,
        n_topics=n_topics,
        doc_tokens=doc_tokens,
        n_outlet_words=n_outlet_words,
        boilerplate=boilerplate,
        seed=seed,
    )
    model, docs = _generate(n_tokens, n_outlets, n_topics, doc_tokens, n_outlet_words, boilerplate, seed)
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
