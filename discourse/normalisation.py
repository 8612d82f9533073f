"""Normalisation before cleaning, word separation after it, and the checks that cleaning empties nothing silently.

:func:`discourse.clean` runs its rules on a *normalised* view of each raw text, and lists
every normalisation step in the audit like any removal (offsets into the raw text):

* line endings: the ``\\r`` of ``\\r\\n`` is removed (rule ``normalise:crlf``) and a lone
  ``\\r`` (old Mac files) is replaced by ``\\n`` (``normalise:cr``, replacement ``"\\n"``),
  before any line rule runs, so a CR-only file is cleaned line by line like its LF copy;
* invisible characters are removed: zero-width space, non-joiner, joiner and word
  joiner (U+200B, U+200C, U+200D, U+2060: ``normalise:zero_width``), the soft hyphen
  (U+00AD: ``normalise:soft_hyphen``), a byte-order mark inside the text (U+FEFF:
  ``normalise:bom``) and bidirectional controls (U+200E, U+200F, U+202A-U+202E,
  U+2066-U+2069: ``normalise:bidi``). Removal joins the halves: ``Kalinin\\u200bgrad``
  is the one word ``kaliningrad``, which is what a writer (or a CMS hyphenating for
  line breaks) meant by an invisible character inside a word. The raw tokens that
  disappear by the join are a row of the tokens' reconciliation (:data:`JOINED`,
  :func:`joined_tokens`), so raw tokens = removed by rule + read still holds.

A removed span between two non-space characters (``LONDON(Reuters)Russia``) is replaced by
one space (the audit's ``replacement`` column), so removal never glues two words
together; the cleaned text is always the raw text with every audited span replaced by
its ``replacement`` (then NFC).
"""
from __future__ import annotations

import re
import warnings
from collections import defaultdict
from typing import Any, Callable, Sequence

import numpy as np

from .text_store import take_texts, text_digest
from .workers import ordered_map

__all__ = ["INVISIBLE", "JOINED", "CleaningWarning", "NormalisedTexts", "texts_at", "text_digests", "normalise_texts",
           "normalise_text", "to_raw", "separate_words", "removal_checks", "duplicate_groups", "warn_removals",
           "joined_tokens"]

INVISIBLE = {"normalise:zero_width": "\u200b\u200c\u200d\u2060", "normalise:soft_hyphen": "\u00ad",
             "normalise:bom": "\ufeff",
             "normalise:bidi": "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"}
_RULE_OF = {c: rule for rule, chars in INVISIBLE.items() for c in chars}
_DELETE = dict.fromkeys(map(ord, _RULE_OF))
_NEEDS = re.compile("[\r" + "".join(INVISIBLE.values()) + "]")

JOINED = "tokens joined (or split) where cleaning cut inside a token"
Span = tuple[int, int, str, str]  # start, end (raw offsets), rule, replacement


class CleaningWarning(UserWarning):
    """Cleaning removed a large share of a document, emptied one, or met identical documents."""


def normalise_texts(texts: Sequence[str]) -> dict[int, tuple[str, list[Span], Any]]:
    """:func:`normalise_text` of the texts that need it, by position; decided for all at once in polars (Rust)."""
    import polars as pl

    # an ASCII text without "\r" needs nothing (two C-speed checks); the regex runs on the others only
    maybe = [i for i, t in enumerate(texts) if "\r" in t or not t.isascii()]
    if not maybe:
        return {}
    needs = pl.Series([texts[i] for i in maybe], dtype=pl.String).str.contains(_NEEDS.pattern).fill_null(False)
    return {maybe[j]: normalise_text(texts[maybe[j]], check=False) for j in np.flatnonzero(needs.to_numpy())}


_DIGEST_CHUNK = 2000  # texts digested a task


class NormalisedTexts(Sequence):
    """The texts as the rules see them (:func:`normalise_text`), made on access: the corpus is never copied whole.

    :meth:`take` gives a few of them compactly for a worker process (a :class:`~discourse.text_store.TextStore`
    keeps its UTF-8 bytes: the worker decodes and normalises, not the caller); :meth:`digests` are the
    texts' :func:`~discourse.text_store.text_digest`, computed once (in tasks on ``executor``) for both
    corpus-wide detectors.
    """

    def __init__(self, texts: Sequence[str]) -> None:
        self._texts = texts
        self._digests: list[bytes] | None = None

    def __len__(self) -> int:
        return len(self._texts)

    def __getitem__(self, i: Any) -> Any:
        return normalise_text(self._texts[i])[0]

    def take(self, positions: Any) -> "NormalisedTexts":
        return NormalisedTexts(take_texts(self._texts, positions))

    def digests(self, executor: Any = None) -> list[bytes]:
        if self._digests is None:
            starts = range(0, len(self), _DIGEST_CHUNK)
            chunks = (self.take(range(lo, min(lo + _DIGEST_CHUNK, len(self)))) for lo in starts)
            joined = b"".join(ordered_map(_digests, chunks, executor=executor, ahead=4))
            self._digests = [joined[k:k + 16] for k in range(0, len(joined), 16)]
        return self._digests


def _digests(texts: Sequence[str]) -> bytes:
    """The digests of a chunk of texts, joined (a task: module level, picklable)."""
    return b"".join(map(text_digest, texts))


def texts_at(texts: Sequence[str], positions: Any) -> Sequence[str]:
    """The texts at ``positions``, compact to send to a worker (a TextStore or NormalisedTexts keeps its bytes)."""
    return texts.take(positions) if isinstance(texts, NormalisedTexts) else take_texts(texts, positions)


def text_digests(texts: Sequence[str], executor: Any = None) -> list[bytes]:
    """:func:`~discourse.text_store.text_digest` of every text (once, in tasks, for :class:`NormalisedTexts`)."""
    return texts.digests(executor) if isinstance(texts, NormalisedTexts) else [text_digest(t) for t in texts]


def normalise_text(text: str, check: bool = True) -> tuple[str, list[Span], Any]:
    """The normalised view of ``text``, its normalisation spans and the raw offset of each of its characters.

    Returns ``(normalised, spans, positions)``; ``positions`` is None when nothing changed
    (the common case, decided by one regex search unless ``check`` is False).
    """
    # an ASCII text (a flag of the str: no scan) without "\r" needs nothing; the regex runs on the others only
    if check and ((text.isascii() and "\r" not in text) or not _NEEDS.search(text)):
        return text, [], None
    spans: list[Span] = []
    for m in _NEEDS.finditer(text):  # C-speed scan; only the characters found are visited in Python
        i, c = m.start(), m.group()
        if c != "\r":
            spans.append((i, i + 1, _RULE_OF[c], ""))
        elif text.startswith("\n", i + 1):
            spans.append((i, i + 1, "normalise:crlf", ""))
        else:
            spans.append((i, i + 1, "normalise:cr", "\n"))
    positions = np.delete(np.arange(len(text)), [s for s, _, _, rep in spans if not rep])
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_DELETE), spans, positions


def to_raw(spans: list[tuple[int, int, str]], positions: Any) -> list[tuple[int, int, str]]:
    """Rule spans found in the normalised text, as offsets into the raw text."""
    if positions is None:
        return spans
    return [(int(positions[s]), int(positions[e - 1]) + 1, rule) for s, e, rule in spans]


def _is_normalisation(rule: str) -> bool:
    return rule.startswith("normalise:")


def separate_words(text: str, removed: list[Span]) -> list[Span]:
    """Give a removal between two non-space characters a one-space replacement (invisible characters excepted).

    ``removed`` is sorted and disjoint (raw offsets). Abutting rows form one run: a run
    with a replacement already separates; a run of invisible characters only joins the
    word halves on purpose.
    """
    out = list(removed)
    i = 0
    while i < len(out):
        j = i
        while j + 1 < len(out) and out[j + 1][0] == out[j][1]:
            j += 1
        s, e = out[i][0], out[j][1]
        # any two non-space characters may join into one token (3(Reuters).5, Russia(Reuters)-led)
        glued = s > 0 and e < len(text) and not text[s - 1].isspace() and not text[e].isspace()
        if glued and not any(r[3] for r in out[i:j + 1]):
            rules = [k for k in range(i, j + 1) if not out[k][2].startswith("normalise:")]
            if rules:
                out[rules[0]] = (*out[rules[0]][:3], " ")
        i = j + 1
    return out


def joined_tokens(raw: Sequence[str], texts: Sequence[str], ids: Sequence[str], audit: Any,
                  count: Callable[[list[str]], np.ndarray]) -> int:
    """Raw tokens lost by joining (minus tokens gained by splitting) where cleaning cut inside a token.

    A cut next to white space (or at either end of the text) is a token boundary, so tokens
    add up there; every other cut (an invisible character inside a word, a span rule inside
    ``xBloombergy``) is counted exactly, by the tokenizer's own ``count``, on its documents:
    raw tokens - read tokens - tokens of the removed texts.
    """
    where = {d: i for i, d in enumerate(ids)}

    def boundary(text: str, p: int) -> bool:
        return p == 0 or p == len(text) or text[p - 1].isspace() or text[p].isspace()

    docs = {d for d, s, e in zip(audit["doc_id"], audit["start"], audit["end"])
            if not (boundary(raw[where[d]], s) and boundary(raw[where[d]], e))}
    if not docs:
        return 0
    pos = [where[d] for d in docs]
    removed = audit.loc[audit["doc_id"].isin(docs), "text"].tolist()
    return int(count([raw[i] for i in pos]).sum() - count([texts[i] for i in pos]).sum() - count(removed).sum())


def removal_checks(ids: Sequence[str], raw: Sequence[str], texts: Sequence[str],
                   removed: Sequence[list[Span]], max_removed: float) -> dict[str, Any]:
    """Documents a rule took more than ``max_removed`` of, documents emptied, identical documents; warns.

    Returns ``{"heavy_removals": [{"doc_id", "rule", "share"}...], "emptied": [...],
    "duplicates": [[doc_id, ...], ...]}`` for the cleaning parameters.
    """
    heavy, emptied = [], []
    for doc_id, text, kept, rows in zip(ids, raw, texts, removed):
        if not rows:
            continue
        chars: dict[str, int] = defaultdict(int)
        for s, e, rule, _ in rows:
            chars[rule] += e - s
        heavy += [{"doc_id": doc_id, "rule": rule, "share": round(n / len(text), 4)}
                  for rule, n in chars.items() if n / len(text) > max_removed]
        if text.strip() and not kept.strip():
            emptied.append(doc_id)
    checks = {"heavy_removals": heavy, "emptied": emptied, "duplicates": duplicate_groups(ids, raw)}
    warn_removals(checks, max_removed)
    return checks


def duplicate_groups(ids: Sequence[str], raw: Sequence[str] | None = None, *,
                     keys: Sequence[Any] | None = None) -> list[list[str]]:
    """Ids of identical (non-blank) texts, one list per text met more than once, in corpus order.

    ``keys`` instead of ``raw``: a digest per text (None for a blank one), as a store keeps them.
    """
    first, same = {}, defaultdict(list)
    if keys is None:  # identical texts found by digest: the corpus' texts are not held as keys
        keys = (text_digest(text) if text.strip() else None for text in raw)
    for doc_id, key in zip(ids, keys):
        if key is not None:
            if key in first:
                same[key].append(doc_id)
            else:
                first[key] = doc_id
    return [[doc_id, *same[key]] for key, doc_id in first.items() if key in same]


def warn_removals(checks: dict[str, Any], max_removed: float) -> None:
    """The :class:`CleaningWarning` of each finding of :func:`removal_checks` (heavy, emptied, identical)."""
    heavy, emptied, duplicates = checks["heavy_removals"], checks["emptied"], checks["duplicates"]
    if heavy:
        by_rule: dict[str, list[str]] = defaultdict(list)
        for h in heavy:
            by_rule[h["rule"]].append(h["doc_id"])
        listed = "; ".join(f"rule {r!r}: {_some(d)}" for r, d in by_rule.items())
        warnings.warn(f"cleaning removed more than {max_removed:.0%} of {len(heavy)} document(s) by one rule "
                      f"({listed}); see corpus.params['cleaning']['heavy_removals']", CleaningWarning, stacklevel=4)
    if emptied:
        warnings.warn(f"cleaning EMPTIED {len(emptied)} document(s) ({_some(emptied)}); they are kept with an "
                      "empty text and listed in corpus.params['cleaning']['emptied']", CleaningWarning, stacklevel=4)
    if duplicates:
        warnings.warn(f"{sum(map(len, duplicates))} documents are identical copies in {len(duplicates)} group(s) "
                      f"({'; '.join(_some(g) for g in duplicates[:3])}); the recurring-line detector counts each "
                      "text once; see corpus.params['cleaning']['duplicates']", CleaningWarning, stacklevel=4)


def _some(ids: list[str], n: int = 5) -> str:
    shown = ", ".join(map(str, ids[:n]))
    return shown + (f" and {len(ids) - n} more" if len(ids) > n else "")
