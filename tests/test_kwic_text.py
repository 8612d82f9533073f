"""The bulk cut of concordance text (discourse.kwic_text) equals the line-by-line rule it replaced: on edge
hits (document start and end), sentence-bounded and empty contexts, line breaks, non-ASCII whitespace and
text Arrow cannot hold; and kwic on a synthetic multi-outlet corpus gives the per-line result."""
from __future__ import annotations

import sys
import warnings

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from discourse import kwic
from discourse.kwic_text import WHITESPACE, context_texts, join_strings, python_contexts, take_strings
from discourse.partitions import SplitTokens


def test_whitespace_is_pythons():
    assert set(WHITESPACE) == {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}


TEXTS = ["  Lead\n\n  para two  ends ", "é\u2003x \u00a0y\u3000\n z\t", "plain words here", "", "\x1cA\x85B\u2028 "]


def _spans(rng, texts, n):
    docs = np.sort(rng.integers(0, len(texts), n))
    a = np.array([rng.integers(0, len(texts[d]) + 1) for d in docs])
    b = np.array([rng.integers(x, len(texts[d]) + 1) for x, d in zip(a, docs)])
    return docs, a, b


@pytest.mark.parametrize("seed", range(6))
def test_bulk_cut_equals_line_by_line(seed):
    rng = np.random.default_rng(seed)
    docs, a, b = _spans(rng, TEXTS, 300)
    spans = [(a, b), (a, b), (np.zeros_like(a), b)]
    fold = [True, False, True]
    got = context_texts(TEXTS, docs, spans, fold)
    want = python_contexts(TEXTS, docs, spans, fold)
    assert all(isinstance(x, pa.Array) for x in got)
    assert [x.to_pylist() for x in got] == want
    assert "" in want[0] and any("\n" in TEXTS[d][x:y] for d, x, y in zip(docs, a, b))  # the cases occur


def test_no_lines_and_lone_surrogates():
    assert context_texts(TEXTS, np.zeros(0, np.int64), [(np.zeros(0), np.zeros(0))], [True]) == [[]]
    odd = ["a \ud800 b\n c"]  # a lone surrogate: kept as Python strings, same rule
    docs, a, b = np.array([0, 0]), np.array([0, 2]), np.array([9, 9])
    got = context_texts(odd, docs, [(a, b)], [True])
    assert got == python_contexts(odd, docs, [(a, b)], [True]) == [["a \ud800 b c", "\ud800 b c"]]
    joined = join_strings([pa.array(["x"], pa.large_string()), [], got[0]])
    assert joined == ["x", "a \ud800 b c", "\ud800 b c"]
    assert take_strings(joined, np.array([2, 0])) == ["\ud800 b c", "x"]


def _per_line(tokens, lines: pd.DataFrame, left: int, right: int, sentence: bool) -> list[tuple[str, str, str]]:
    """The lines' text by the old rule, one Python slice a line, from their token positions (and the count
    of contexts that span a line break)."""
    out, breaks = [], 0
    starts, ends, texts = tokens.starts, tokens.ends, tokens.texts
    doc_of = {d: i for i, d in enumerate(tokens.doc_ids)}
    for row in lines.itertuples():
        d = doc_of[row.doc_id]
        p0 = tokens.doc_ptr[d] + row.position
        p1 = p0 + len(row.term.split())
        lo, hi = tokens.doc_ptr[d], tokens.doc_ptr[d + 1]
        if sentence:
            sent = tokens.sent
            lo = max(lo, int(np.searchsorted(sent, sent[p0], side="left")))
            hi = min(hi, int(np.searchsorted(sent, sent[p1 - 1], side="right")))
        a, b = max(p0 - left, lo), min(p1 - 1 + right, hi - 1)
        text = texts[d]
        lft = text[starts[a] if a < p0 else starts[p0]:starts[p0]]
        rgt = text[ends[p1 - 1]:ends[b] if b >= p1 else ends[p1 - 1]]
        fold = [" ".join(x.split()) if "\n" in x else x.strip() for x in (lft, rgt)]
        breaks += ("\n" in lft) + ("\n" in rgt)
        out.append((fold[0], text[starts[p0]:ends[p1 - 1]], fold[1]))
    return out, breaks


@pytest.mark.parametrize("case", [dict(window=5), dict(window=(0, 9), sentence=True), dict(window=0),
                                  dict(window=(12, 1), by="outlet", sort="L1")])
@pytest.mark.parametrize("n", [1, 3])
def test_kwic_equals_the_per_line_route(synth, case, n):
    news = synth  # the synthetic multi-outlet corpus (conftest), cleaned: paragraphs keep their line breaks
    corpus = news if n == 1 else SplitTokens(news, n)
    word = news.vocab[int(np.argmax(np.asarray(news.dtm.sum(axis=0)).ravel()))]
    breaks = 0
    for query in (word, news.doc_tokens(0)[0], f"{news.doc_tokens(1)[0]} {news.doc_tokens(1)[1]}"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            lines = kwic(corpus, query, **case)
        w = case["window"]
        left, right = (w, w) if np.isscalar(w) else w
        want, n_breaks = _per_line(news, lines, left, right, case.get("sentence", False))
        assert list(zip(lines["left"], lines["node"], lines["right"])) == want
        breaks += n_breaks
        assert (lines["position"] == 0).any() or query != news.doc_tokens(0)[0]  # an edge hit at a document start
    assert breaks > 0 or case["window"] == 0 or case.get("sentence")  # folded contexts were compared
