"""Per-type rules of the tokenizer: token classes, surface -> term, and the sentence-boundary flags.

:func:`discourse.tokenize` decides everything once per surface *type* (never
per token) with the rules here; :mod:`discourse.query` normalises a query word
with the same :func:`word_term`, so a query means what the corpus counted.

House style is not framing (issue 10): outlets spell the same word differently
("F.B.I." and "FBI", "US" and "U.S."), so by default

- dotted upper-case acronyms are folded: ``F.B.I.`` -> ``fbi``, the same term as
  ``FBI`` (``acronyms="fold"``; quanteda and AntConc keep the dots, so
  ``f.b.i.`` and ``fbi`` are two terms there);
- an all-caps acronym that would lowercase into an English function word keeps its
  case (:data:`KEEP_CASE`: ``US`` and ``U.S.`` -> ``US``, while the pronoun
  ``us`` stays ``us``); such a term is no stop word and is not lemmatised. This is
  a listed exception, not quanteda's ``tokens_tolower(keep_acronyms = TRUE)``
  (every all-caps word kept), which would split ``NATO`` from the Guardian's
  ``Nato``: house style again. Known limit: in all-caps text (a shouted
  headline) the pronoun "US" counts as the acronym;
- lower-case dotted abbreviations keep their dots (``e.g.``, ``a.m.``, ``p.m.``:
  folding would merge ``a.m.`` with the verb ``am``).

Sentence ends: a dotted abbreviation (``U.S.``, ``a.m.``) or the full stop after
one of :data:`ABBREVIATIONS` (``Mr.``, ``Inc.``) ends a sentence only when the next
token is a capitalised function word (``The``, ``He``, ``But``...): the
orthographic heuristic of Punkt (Kiss & Strunk 2006) in its simplest, per-type
form. "in the U.S. The talks" has two sentences, "the U.S. Senate" and "9 a.m.
Tuesday" one; "in the U.S. Officials said" is read as one (a known miss).
"""
from __future__ import annotations

import re
from itertools import repeat
from typing import Iterable

import numpy as np

__all__ = ["KEEP_CASE", "ABBREVIATIONS", "SENTENCE_STARTERS", "SENTENCE_END", "QUOTES", "classify",
           "word_term", "sentence_flags"]

# Quotes are unified per type (surface -> term), so offsets stay valid in the cleaned text.
QUOTES = str.maketrans("\u2019\u2018\u201b\u02bc\u2032\uff07\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033",
                       "'" * 6 + '"' * 7)
# All-caps acronyms frequent in English news whose lower-case form is an English stop word
# (gensim's list): United States, United Nations, World Health Organization, Islamic State,
# information technology. Upper case is kept for exactly these surfaces (and their dotted forms).
KEEP_CASE = ("IS", "IT", "UN", "US", "WHO")
ABBREVIATIONS = frozenset("Mr Mrs Ms Dr Prof St Jr Sr Gen Col Lt Sgt Capt Gov Sen Rep Rev Hon Inc Ltd Corp "
                          "Co vs etc Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec No".split())
# Capitalised function words that begin sentences far more often than they occur capitalised inside
# one: after a dotted abbreviation they mark a sentence end.
SENTENCE_STARTERS = frozenset("a an and as at but by for from he her his i if in it its my no on our she so "
                              "that the their there these they this those to we what when while you your".split())
_STARTER_FORMS = frozenset(w.capitalize() for w in SENTENCE_STARTERS)  # "The", "I": title case only
SENTENCE_END = frozenset({".", "!", "?", "\u2026", "\n"})

_CLASS_RX = [("url", re.compile(r"(?:https?://|www\.)\S+")),
             ("number", re.compile(r"\d+(?:[.,:]\d+)*%?|\d*(?:1st|2nd|3rd|[04-9]th|1[1-3]th)|\d+s")),
             ("possessive", re.compile(r"'[sS]")), ("newline", re.compile(r"\n")),
             ("punctuation", re.compile(r"[^\w\s]|_"))]
_INITIALISM = re.compile(r"(?:[^\W\d_]\.){2,}")  # U.S., F.B.I., e.g.


def classify(surface: str) -> str:
    """Token class of a (quote-unified) surface: url, number, possessive, newline, punctuation or word."""
    if surface.isalpha():  # most types: no pattern below matches letters only
        return "word"
    for name, rx in _CLASS_RX:
        if rx.fullmatch(surface):
            return name
    return "word"


def word_term(surface: str, lowercase: bool = True, acronyms: str = "fold",
              keep_case: frozenset[str] | Iterable[str] = frozenset(KEEP_CASE)) -> tuple[str, bool]:
    """The term of a word surface, and whether it is a case-kept acronym.

    Each hyphen-separated part is normalised on its own (``non-U.S.`` ->
    ``non-US``): a dotted upper-case acronym loses its dots when ``acronyms="fold"``;
    a part in ``keep_case`` (after folding) keeps its case; otherwise the part is
    lowercased when ``lowercase``.

    >>> word_term("F.B.I."), word_term("FBI"), word_term("U.S."), word_term("us"), word_term("a.m.")
    (('fbi', False), ('fbi', False), ('US', True), ('us', False), ('a.m.', False))
    """
    if "." not in surface and "-" not in surface and surface not in keep_case:
        return (surface.lower() if lowercase else surface), False  # the common case: one plain word
    parts, cased = surface.split("-"), False
    for i, part in enumerate(parts):
        if acronyms == "fold" and "." in part and part.isupper() and _INITIALISM.fullmatch(part):
            part = part.replace(".", "")
        if part in keep_case:
            cased = True
        elif lowercase:
            part = part.lower()
        parts[i] = part
    return "-".join(parts), cased


def sentence_flags(surfaces: list[str]) -> dict[str, np.ndarray]:
    """Per-type booleans the sentence splitter combines over the token stream.

    ``end``: a sentence-final type (``.``, ``!``, ``?``, ``…``, a line break);
    ``full_stop``: ``.``; ``abbr``: an abbreviation such as ``Mr`` (the full stop after it ends no sentence,
    unless a starter follows); ``dotted``: a word ending in its own dot (``U.S.``,
    ``a.m.``: it ends the sentence when a starter follows); ``starter``: a
    capitalised function word (:data:`SENTENCE_STARTERS`).
    """
    n = len(surfaces)

    def flags(values) -> np.ndarray:  # C-level maps: this runs once per new type
        return np.fromiter(values, bool, n)

    long = np.fromiter(map(len, surfaces), np.int64, n) > 1
    # a dot-final surface longer than one character is a word: punctuation is one character, numbers and
    # URLs do not end in a dot
    return {"end": flags(map(SENTENCE_END.__contains__, surfaces)), "full_stop": flags(map(".".__eq__, surfaces)),
            "abbr": flags(map(ABBREVIATIONS.__contains__, surfaces)),
            "dotted": flags(map(str.endswith, surfaces, repeat("."))) & long,
            "starter": flags(map(_STARTER_FORMS.__contains__, surfaces))}
