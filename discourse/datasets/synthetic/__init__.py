"""Seeded synthetic multi-outlet news corpus with planted ground truth.

Modules: :mod:`.vocabulary` (function words, chrome lines, pseudo-words),
:mod:`.model` (topics and outlets), :mod:`.render` (the documents' text) and
:mod:`.generate` (the public functions, re-exported here and by :mod:`discourse.datasets`).

:func:`make_news_corpus` builds a corpus of any size (in body word tokens) in
memory, with the generating parameters attached; :func:`make_event_corpus` (:mod:`.events`) a corpus of
outlets reporting planted events in their own words, the ground truth of story alignment; :func:`iter_news_records`
streams the very same records one at a time for sizes that should not be held
in memory (and :func:`write_news_jsonl` writes them straight to disk).

Generative model (LDA-like)
---------------------------
* **Vocabulary.**  About 5,000 pronounceable pseudo-words built from syllables
  (``max(5000, 130 * n_topics)``): lowercase letters only, length 4-10, unique,
  never an English stop word (:data:`ENGLISH_STOP_WORDS`: the package's list,
  gensim's, see :func:`discourse.stopwords.english_stopwords`, and the contraction
  stems ``aren``/``haven``/``weren``), never a word used by the boilerplate lines
  and never ending in ``s``/``ed``/``ing`` (so stemmers and lemmatizers leave
  them alone).  The vocabulary, the topics and the outlet words depend on
  ``seed`` (and ``n_topics``/``n_outlets``/``n_outlet_words``) only, not on
  ``n_tokens``.
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

from .events import make_event_corpus, write_event_jsonl
from .generate import SyntheticCorpus, iter_news_records, make_news_corpus, write_news_jsonl
from .vocabulary import FUNCTION_WORDS, stop_words

__all__ = [
    "ENGLISH_STOP_WORDS",
    "FUNCTION_WORDS",
    "SyntheticCorpus",
    "make_news_corpus",
    "iter_news_records",
    "write_news_jsonl",
    "make_event_corpus",
    "write_event_jsonl",
]


def __getattr__(name: str) -> frozenset[str]:
    # ENGLISH_STOP_WORDS is made on first use: gensim's list loads gensim, which `import discourse` does not.
    if name == "ENGLISH_STOP_WORDS":
        return stop_words()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
