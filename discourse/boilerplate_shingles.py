r"""Word shingles of text lines for :func:`discourse.detect_boilerplate`, and its first two passes.

Pass 1 is a module-level function of a list of texts (picklable: the detector runs it in this process
or in worker processes, a chunk of an outlet's documents a task); it returns the chunk's token streams
too, which pass 3 (:mod:`discourse.boilerplate_patterns`) takes instead of tokenizing again, and pass 2
is computed from its counts (:func:`union_doc_freq`). Tokens are ``\w+`` or single
punctuation marks, casefolded, a run of digits one placeholder when numbers are normalised; each
token is stored as a 64-bit hash of its word (:func:`pandas.util.hash_array`, fixed key), not as
an id in a shared vocabulary, so the hashes of a task agree with those of every other task and
process. Shingles do not cross line breaks (Broder 1997; the detector's docstring gives the rules).
"""
from __future__ import annotations

import re
import numpy as np
import pandas as pd

from .dedup_shingles import shingle_hashes

__all__ = ["LineStreams", "doc_freq", "shingle_doc_freq", "shingle_chunk", "merge_doc_freq", "union_doc_freq",
           "token_offsets", "TOKEN"]

TOKEN = re.compile(r"\w+|[^\w\s]")
_EDGE_MULT = np.uint64(0xC2B2AE3D27D4EB4F)
_NUM = "\x00#"  # the placeholder token of a run of digits (never a token itself)
_WORDS_AT_ONCE = 200_000  # token strings held at a time before they are hashed (bounds memory)


def _word_hashes(words: list[str], normalise_numbers: bool) -> np.ndarray:
    """A 64-bit hash of every casefolded word: casefolded in one call on the joined words (a token never
    holds a line break) and factorised in C, so only the distinct words are hashed."""
    if not words:
        return np.zeros(0, np.uint64)
    codes, uniques = pd.factorize(np.array("\n".join(words).casefold().split("\n"), dtype=object))
    if normalise_numbers:  # every run of digits is one token type
        uniques = np.array([_NUM if w.isdigit() else w for w in uniques], dtype=object)
    return pd.util.hash_array(np.asarray(uniques, dtype=object), categorize=False)[codes]


def shingle_doc_freq(texts: list[str], n: int, normalise_numbers: bool) -> tuple[np.ndarray, np.ndarray]:
    """Pass 1 (a chunk of one outlet's texts): its distinct shingles, sorted, and how many texts hold each."""
    return shingle_chunk(texts, n, normalise_numbers)[:2]


def shingle_chunk(texts: list[str], n: int, normalise_numbers: bool) -> tuple[np.ndarray, np.ndarray, dict]:
    """Pass 1 as a task: :func:`shingle_doc_freq` and the chunk's token streams (:meth:`LineStreams.arrays`),
    which the detector keeps for pass 3, so that a document is tokenized and hashed once."""
    s = LineStreams(texts, normalise_numbers)
    f = s.features(n)
    return (*doc_freq(f["h"], s.line_doc[f["line"]]), s.arrays())


def union_doc_freq(h: np.ndarray, df: np.ndarray, union: np.ndarray) -> np.ndarray:
    """Pass 2 from pass 1's counts (no text shingled again): the counts ``df`` of the sorted distinct
    shingles ``h`` at the positions of the sorted ``union`` (0 where a shingle of the union is not in ``h``)."""
    out = np.zeros(len(union), np.int64)
    if not len(h) or not len(union):
        return out
    at = np.minimum(np.searchsorted(union, h), len(union) - 1)
    hit = union[at] == h
    out[at[hit]] = df[hit]
    return out


def merge_doc_freq(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """:func:`shingle_doc_freq` of disjoint chunks of texts summed: that of all their texts."""
    if len(parts) == 1:
        return parts[0]
    h = np.concatenate([p[0] for p in parts])
    df = np.concatenate([p[1] for p in parts])
    order = np.argsort(h, kind="stable")
    h, df = h[order], df[order]
    starts = np.flatnonzero(np.r_[True, h[1:] != h[:-1]]) if len(h) else np.zeros(0, np.int64)
    return h[starts], np.add.reduceat(df, starts) if len(h) else df


def doc_freq(h: np.ndarray, d: np.ndarray, counts: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """The distinct shingles of ``h`` (occurring in documents ``d``), sorted, with the number of documents each
    occurs in; with ``counts=False``, the shingle of every distinct (document, shingle) pair (no counts)."""
    order = np.lexsort((h, d))
    hs, ds = h[order], d[order]
    first = np.r_[True, (hs[1:] != hs[:-1]) | (ds[1:] != ds[:-1])] if len(hs) else np.zeros(0, bool)
    hu = hs[first]
    del order, hs, ds, first
    if not counts:
        return hu, np.zeros(0, np.int64)
    hu.sort()
    starts = np.flatnonzero(np.r_[True, hu[1:] != hu[:-1]]) if len(hu) else np.zeros(0, np.int64)
    return hu[starts], np.diff(np.r_[starts, len(hu)])


def token_offsets(text: str, begin: int, first: int, count: int) -> tuple[list[int], list[int]]:
    """Character offsets of ``count`` tokens from the ``first`` token of the line starting at ``begin``."""
    end = text.find("\n", begin)
    chosen = list(TOKEN.finditer(text, begin, len(text) if end < 0 else end))[first:first + count]
    return [m.start() for m in chosen], [m.end() for m in chosen]


class LineStreams:
    """Every token of every line of the texts: normalised ids, character offsets, line and document pointers."""

    def __init__(self, texts: list[str], normalise_numbers: bool) -> None:
        self.texts = texts = list(texts)  # decoded (and normalised) once
        # tokens found by findall (C speed) a line at a time; their character offsets are found
        # again only for the few spans reported (:meth:`offsets`). Each token is stored as the hash of its
        # word (8 bytes a token, not a str)
        words: list[str] = []  # the words not yet hashed (at most about _WORDS_AT_ONCE)
        chunks, done = [], 0
        line_ptr, line_start, line_doc, doc_line = [0], [], [], [0]
        for d, text in enumerate(texts):
            pos = 0
            for line in text.split("\n"):
                found = TOKEN.findall(line)
                if found:
                    words += found
                    line_ptr.append(done + len(words))
                    line_start.append(pos)
                    line_doc.append(d)
                pos += len(line) + 1
            doc_line.append(len(line_doc))
            if len(words) >= _WORDS_AT_ONCE:
                chunks.append(_word_hashes(words, normalise_numbers))
                done, words = done + len(words), []
        chunks.append(_word_hashes(words, normalise_numbers))
        codes = np.concatenate(chunks)
        self.ids = np.asarray(codes, dtype=np.uint64)
        self.line_ptr = np.asarray(line_ptr, dtype=np.int64)
        self.line_start = line_start
        self.line_doc = np.asarray(line_doc, dtype=np.int64)
        self.doc_line = np.asarray(doc_line, dtype=np.int64)

    def arrays(self) -> dict[str, np.ndarray]:
        """The streams as arrays (what :meth:`from_arrays` needs besides the texts): kept between passes."""
        return {"ids": self.ids, "line_ptr": self.line_ptr, "line_start": np.asarray(self.line_start, np.int64),
                "line_doc": self.line_doc, "doc_line": self.doc_line}

    @classmethod
    def from_arrays(cls, texts: list[str], arrays: dict[str, np.ndarray]) -> "LineStreams":
        """The streams of ``texts`` from :meth:`arrays` of them (nothing tokenized or hashed again)."""
        s = cls.__new__(cls)
        s.texts = list(texts)
        s.ids, s.line_ptr, s.line_doc, s.doc_line = (arrays[k] for k in ("ids", "line_ptr", "line_doc", "doc_line"))
        s.line_start = arrays["line_start"].tolist()
        return s

    def offsets(self, line: int, a: int, b: int) -> tuple[list[int], list[int]]:
        """Character offsets (in the document) of tokens ``a:b`` (stream positions) of ``line``."""
        return token_offsets(self.texts[int(self.line_doc[line])], self.line_start[line],
                             a - int(self.line_ptr[line]), b - a)

    def features(self, n: int) -> dict[str, np.ndarray]:
        """Shingles of every line (hash, line, first token, length): its ``n``-grams (the line itself when
        shorter) and its first and last 2..n-1 tokens."""
        lengths = np.diff(self.line_ptr)
        hashes, offsets = shingle_hashes(self.ids, self.line_ptr, n)
        counts = np.diff(offsets.astype(np.int64))
        line = np.repeat(np.arange(len(lengths)), counts)
        first = np.arange(len(hashes)) - np.repeat(offsets[:-1].astype(np.int64), counts)
        h, ln, st, lens = [hashes], [line], [self.line_ptr[line] + first], [np.minimum(lengths[line], n)]
        for k in range(2, n):
            lines = np.flatnonzero(lengths > k)
            for tag, begin in ((1, self.line_ptr[lines]), (2, self.line_ptr[lines + 1] - k)):
                x = np.full(len(lines), np.uint64(tag * 1_000_003 + k))
                for j in range(k):
                    x = x * _EDGE_MULT + self.ids[begin + j] + np.uint64(7)
                h.append(x ^ (x >> np.uint64(29)))
                ln.append(lines)
                st.append(begin)
                lens.append(np.full(len(lines), k))
        return {"h": np.concatenate(h), "line": np.concatenate(ln), "start": np.concatenate(st),
                "len": np.concatenate(lens)}
