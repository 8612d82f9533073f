r"""Word shingles of text lines for :func:`discourse.detect_boilerplate`, and its three passes as tasks.

Each pass is a module-level function of a list of texts (picklable: the detector runs them in this
process or in worker processes, an outlet or a batch a task). Tokens are ``\w+`` or single
punctuation marks, casefolded, a run of digits one placeholder when numbers are normalised; each
token is stored as a 64-bit hash of its word (:func:`pandas.util.hash_array`, fixed key), not as
an id in a shared vocabulary, so the hashes of a task agree with those of every other task and
process. Shingles do not cross line breaks (Broder 1997; the detector's docstring gives the rules).
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any

import numpy as np
import pandas as pd

from .dedup_shingles import shingle_hashes

__all__ = ["LineStreams", "doc_freq", "shingle_doc_freq", "merge_doc_freq", "sample_doc_freq", "outlet_patterns"]

_TOKEN = re.compile(r"\w+|[^\w\s]")
_DIGITS = re.compile(r"\d+")
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
    s = LineStreams(texts, normalise_numbers)
    f = s.features(n)
    return doc_freq(f["h"], s.line_doc[f["line"]])


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


def sample_doc_freq(texts: list[str], n: int, normalise_numbers: bool, union: np.ndarray) -> np.ndarray:
    """Pass 2 (a batch of texts): in how many of the texts each shingle of the sorted ``union`` occurs."""
    s = LineStreams(texts, normalise_numbers)
    f = s.features(n)
    h, d = f["h"], s.line_doc[f["line"]]
    keep = np.isin(h, union)
    hu, _ = doc_freq(h[keep], d[keep], counts=False)
    return np.bincount(np.searchsorted(union, hu), minlength=len(union))


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


def outlet_patterns(texts: list[str], doc_ids: list, cand_h: np.ndarray, cand_else: np.ndarray, name: Any,
                    n_o: int, elsewhere: bool, min_docs: int, edge_lines: int, params: dict) -> list[dict]:
    """Pass 3 (one outlet's texts, ids ``doc_ids``): the pattern rows, the tokens its recurring shingles
    ``cand_h`` (shares elsewhere ``cand_else``) cover, merged into spans."""
    s = LineStreams(texts, params["numbers"] == "normalised")
    feat = s.features(params["n"])
    h = feat["h"]
    hit = np.isin(h, cand_h)
    order = np.argsort(cand_h)
    values = np.nan_to_num(cand_else[order][np.searchsorted(cand_h[order], h[hit])].astype(float), nan=0.0)
    starts, lens = feat["start"][hit], feat["len"][hit]
    cover = np.zeros(len(s.ids) + 1, dtype=np.int64)
    np.add.at(cover, starts, 1)
    np.add.at(cover, starts + lens, -1)
    covered = np.cumsum(cover)[:-1] > 0
    worst = np.zeros(len(s.ids))  # largest share elsewhere of a shingle covering each token
    for j in range(params["n"]):  # a shingle covers at most n tokens: one vector operation per offset
        inside = lens > j
        np.maximum.at(worst, starts[inside] + j, values[inside])
    return _patterns(s, covered, worst, name, n_o, doc_ids, min_docs, edge_lines, params, elsewhere)


def _patterns(s: "LineStreams", covered: np.ndarray, worst: np.ndarray, name: Any, n_o: int, doc_ids: list,
              min_docs: int, edge_lines: int, params: dict, elsewhere: bool) -> list[dict]:
    """One outlet's runs of covered tokens within a line, grouped by their token sequence into patterns."""
    tok_line = np.repeat(np.arange(len(s.line_ptr) - 1), np.diff(s.line_ptr))
    # a run starts at a covered token whose predecessor is uncovered or on another line
    prev_same = np.r_[False, (tok_line[1:] == tok_line[:-1]) & covered[:-1]]
    run_start = np.flatnonzero(covered & ~prev_same)
    next_same = np.r_[(tok_line[1:] == tok_line[:-1]) & covered[1:], False]
    run_end = np.flatnonzero(covered & ~next_same) + 1
    occ: dict[tuple, list] = defaultdict(list)
    for a, b in zip(run_start.tolist(), run_end.tolist()):
        line = int(tok_line[a])
        d = int(s.line_doc[line])
        key = tuple(s.ids[a:b].tolist())
        lo, hi = int(s.line_ptr[line]), int(s.line_ptr[line + 1])
        rel, total = line - int(s.doc_line[d]), int(s.doc_line[d + 1] - s.doc_line[d])
        pos = "header" if rel < edge_lines else "footer" if rel >= total - edge_lines else "inline"
        occ[key].append((d, pos, a == lo and b == hi, a, b, float(worst[a:b].max()), line))
    rows = []
    for toks, hits in occ.items():
        documents = len({h[0] for h in hits})
        if documents < min_docs:
            continue
        d0, _, _, a, b = hits[0][:5]
        starts, ends = s.offsets(hits[0][6], a, b)
        text = s.texts[d0][starts[0]:ends[-1]]
        whole = sum(h[2] for h in hits) * 2 >= len(hits)
        body = _regex(s.texts[d0], starts, ends, params["numbers"] == "normalised")
        rows.append({"outlet": name, "text": _DIGITS.sub("#", text) if params["numbers"] == "normalised"
                     else text, "pattern": (r"(?im)^[ \t]*" + body + r"[ \t]*$") if whole else "(?i)" + body,
                     "kind": "line" if whole else "span",
                     "position": Counter(h[1] for h in hits).most_common(1)[0][0], "documents": documents,
                     "share": round(documents / n_o, 4),
                     "share_elsewhere": round(max(h[5] for h in hits), 4) if elsewhere else np.nan,
                     "example": doc_ids[d0], "accept": True})
    return rows


def _regex(text: str, starts: list, ends: list, normalised: bool) -> str:
    """An RE2 expression for the token sequence: words escaped, digits ``\\d+``, white space between words."""
    parts = []
    for k, (a, b) in enumerate(zip(starts, ends)):
        tok = text[a:b]
        if k:
            word = tok[0].isalnum() or tok[0] == "_"
            prev = text[ends[k - 1] - 1]
            parts.append(r"\s+" if word and (prev.isalnum() or prev == "_") else r"\s*")
        parts.append(r"\d+" if normalised and tok.isdigit() else re.escape(tok))
    body = "".join(parts)
    first, last = text[starts[0]], text[ends[-1] - 1]
    return (r"\b" if first.isalnum() else "") + body + (r"\b" if last.isalnum() else "")


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
                found = _TOKEN.findall(line)
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

    def offsets(self, line: int, a: int, b: int) -> tuple[list[int], list[int]]:
        """Character offsets (in the document) of tokens ``a:b`` (stream positions) of ``line``."""
        text = self.texts[int(self.line_doc[line])]
        begin = self.line_start[line]
        end = text.find("\n", begin)
        found = list(_TOKEN.finditer(text, begin, len(text) if end < 0 else end))
        first = a - int(self.line_ptr[line])
        chosen = found[first:first + b - a]
        return [m.start() for m in chosen], [m.end() for m in chosen]

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
