"""The bulk cut of concordance text (discourse.kwic_text) equals the line-by-line rule it replaced: on edge
hits (document start and end), sentence-bounded and empty contexts, line breaks, non-ASCII whitespace and
text Arrow cannot hold; and kwic on a synthetic multi-outlet corpus gives the per-line result."""
from __future__ import annotations

import pickle
import sys
import warnings

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from discourse import kwic
from discourse.kwic_bytes import ByteLines, line_texts, views
from discourse.kwic_text import (WHITESPACE, char_strings, fold_strings, join_strings, line_parts, python_contexts,
                                 sides, take_strings)
from discourse.partitions import SplitTokens


def test_whitespace_is_pythons_and_arrows():
    everything = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000]
    assert set(WHITESPACE) == {c for c in everything if c.isspace()}
    # Arrow's trim (fold_strings) strips exactly these: "a" stays, a space around it goes
    trimmed = pc.utf8_trim_whitespace(pa.array([c + "a" + c for c in everything], pa.large_string()))
    assert {c for c, t in zip(everything, trimmed.to_pylist()) if t == "a"} == set(WHITESPACE)


TEXTS = ["  Lead\n\n  para two  ends ", "é\u2003x \u00a0y\u3000\n z\t", "plain words here", "", "\x1cA\x85B\u2028 ",
         "Москва\r\n  и\tКиев ", "e\u0301te\u0301\u00a0\U0001F600 \U0001F1FA\U0001F1F8\r\n\r\nfin", "\u2028\u2029\n\t \u00a0"]


def _bounds(rng, texts, n):
    """Random lines: documents (non-decreasing) and four rising character offsets in each."""
    docs = np.sort(rng.integers(0, len(texts), n))
    cuts = np.sort(np.array([rng.integers(0, len(texts[d]) + 1, 4) for d in docs]), axis=1)
    return docs, cuts


def _encoded(texts):
    """The texts as a store holds them (UTF-8, one after the other) and the byte offset of every character."""
    from discourse.text_store import utf8_offsets

    data = b"".join(t.encode("utf-8", "surrogatepass") for t in texts)
    ptr = np.cumsum([0] + [len(t.encode("utf-8", "surrogatepass")) for t in texts])
    chars = np.concatenate([np.arange(len(t) + 1) for t in texts])  # every offset, the end included
    doc_ptr = np.cumsum([0] + [len(t) + 1 for t in texts])
    return np.frombuffer(data, np.uint8), ptr, utf8_offsets(np.frombuffer(data, np.uint8), ptr, doc_ptr, chars), doc_ptr


def _reference(texts, docs, cuts):
    spans = [(cuts[:, 0], cuts[:, 1]), (cuts[:, 1], cuts[:, 2]), (cuts[:, 2], cuts[:, 3])]
    return python_contexts(texts, docs, spans, [True, False, True])


@pytest.mark.parametrize("seed", range(6))
def test_bulk_cut_equals_line_by_line(seed):
    """Hostile text (CRLF, U+2028, NBSP, tabs, Cyrillic, combining marks, emoji, empty and all-blank
    documents): the character route and the byte route give the per-line rule's strings."""
    rng = np.random.default_rng(seed)
    docs, cuts = _bounds(rng, TEXTS, 400)
    want = _reference(TEXTS, docs, cuts)
    by_chars = char_strings(TEXTS, docs, cuts)
    assert isinstance(by_chars, pa.Array) and len(by_chars) == 3 * len(docs)
    data, ptr, byte_at, doc_ptr = _encoded(TEXTS)
    at = ptr[docs, None] + byte_at[doc_ptr[docs, None] + cuts]
    [by_bytes] = line_texts([ByteLines(data, at)])  # folded already
    assert [s.to_pylist() for s in by_bytes] == want
    # lines of several partitions (each its own buffer) made together, and batches of BATCH lines
    half = len(docs) // 2
    parts = [ByteLines(data, at[:half]), ByteLines(data, at[half:half]), ByteLines(data, at[half:])]
    made = line_texts(parts)
    assert parts == [None] * 3 and [sum((m[i].to_pylist() for m in made), []) for i in range(3)] == want
    assert pickle.loads(pickle.dumps(ByteLines(data, at))) == [s for s in by_bytes]  # travels as strings
    both, nodes = line_parts(by_chars)  # the route of both: one take of the contexts, the folded appended
    assert [both.to_pylist()[:len(docs)], nodes.to_pylist(), both.to_pylist()[len(docs):]] == want
    for left, node, right in [sides(by_chars)]:
        assert [fold_strings(left).to_pylist(), node.to_pylist(), fold_strings(right).to_pylist()] == want
        order = rng.permutation(len(docs))
        assert take_strings(pa.chunked_array([node]), order).tolist() == [want[1][i] for i in order]
    assert "" in want[0] and any("\n" in TEXTS[d][x:y] for d, x, y in zip(docs, cuts[:, 0], cuts[:, 1]))
    assert any("\r" in x or "\u2028" in x for x in want[1])  # hostile whitespace inside a node is kept


def test_lines_made_in_batches_equal_lines_made_at_once(monkeypatch):
    import discourse.kwic_bytes as kb

    rng = np.random.default_rng(7)
    docs, cuts = _bounds(rng, TEXTS, 200)
    data, ptr, byte_at, doc_ptr = _encoded(TEXTS)
    at = ptr[docs, None] + byte_at[doc_ptr[docs, None] + cuts]
    pieces = np.split(np.arange(len(docs)), [10, 11, 60, 130])
    whole = [[s.to_pylist() for s in m] for m in line_texts([ByteLines(data, at[i]) for i in pieces])]
    monkeypatch.setattr(kb, "BATCH", 25)  # several batches, a partition larger than one batch
    batched = [[s.to_pylist() for s in m] for m in line_texts([ByteLines(data, at[i]) for i in pieces])]
    assert batched == whole and [sum((m[i] for m in whole), []) for i in range(3)] == _reference(TEXTS, docs, cuts)


def test_runs_bounded_by_map_bytes_and_maps_counted_after_room_is_made(monkeypatch):
    import discourse.kwic_bytes as kb

    rng = np.random.default_rng(8)
    docs, cuts = _bounds(rng, TEXTS, 120)
    data, ptr, byte_at, doc_ptr = _encoded(TEXTS)
    at = ptr[docs, None] + byte_at[doc_ptr[docs, None] + cuts]
    pieces = np.split(np.arange(len(docs)), [30, 31, 70])
    whole = [[s.to_pylist() for s in m] for m in line_texts([ByteLines(data, at[i]) for i in pieces])]
    events = []
    monkeypatch.setattr(kb, "make_room", lambda nbytes, mapped=0: events.append(("room", nbytes + mapped)))
    monkeypatch.setattr(kb, "RUN_BYTES", len(data))  # one partition's map a run: every partition its own cast
    parts = [ByteLines(data, at[i], again=lambda k=k: events.append(("again", k))) for k, i in enumerate(pieces)]
    runs = [[s.to_pylist() for s in m] for m in line_texts(parts)]
    assert runs == whole
    # a run a partition; room made for its strings and its map's bytes, then its map counted in use
    assert [e[0] for e in events] == ["room", "again"] * len(pieces)
    assert [e[1] for e in events[1::2]] == list(range(len(pieces)))
    assert all(nbytes >= len(data) for _, nbytes in events[0::2])


def test_the_byte_offsets_of_every_character():
    data, ptr, byte_at, doc_ptr = _encoded(TEXTS + ["a\ud800b"])  # a lone surrogate: three bytes, one character
    for d, text in enumerate(TEXTS + ["a\ud800b"]):
        here = byte_at[doc_ptr[d]:doc_ptr[d + 1]]
        assert here.tolist() == [len(text[:c].encode("utf-8", "surrogatepass")) for c in range(len(text) + 1)]


def _view_strings(data, a, b):
    v = views(data, a, b, 0)
    buffers = [pa.py_buffer(data)] if len(data) else [pa.py_buffer(b"")]
    return pa.Array.from_buffers(pa.string_view(), len(a), [None, pa.py_buffer(v), *buffers]).to_pylist()


def test_views_of_short_long_and_final_windows():
    text = "x" * 5 + "ünïcødé window longer than twelve bytes" + "\U0001F600"
    data = np.frombuffer(text.encode(), np.uint8)
    n = len(data)
    cuts = np.array([[0, 1, 2, 3], [0, 5, 30, n], [n - 4, n - 4, n, n], [n, n, n, n], [2, 2, 2, 14]])
    a, b = cuts[:, :-1].ravel(), cuts[:, 1:].ravel()
    got = _view_strings(data, a, b)
    assert got == [bytes(data[x:y]).decode() for x, y in zip(a, b)] and got[7] == "\U0001F600"
    short = np.frombuffer("abé".encode(), np.uint8)  # shorter than a view's 12 bytes
    assert _view_strings(short, np.array([0, 1, 4]), np.array([4, 2, 4])) == ["abé", "b", ""]
    [made] = line_texts([ByteLines(data, cuts)])
    assert [m.to_pylist() for m in made] == _reference([text], np.zeros(len(cuts), np.int64),
                                                       np.array([[len(data[:c].tobytes().decode()) for c in row]
                                                                 for row in cuts]))
    assert [len(m) for m in line_texts([ByteLines(data, cuts[:0])])[0]] == [0, 0, 0]


def test_no_lines_and_lone_surrogates():
    assert len(char_strings(TEXTS, np.zeros(0, np.int64), np.zeros((0, 4), np.int64))) == 0
    odd = ["a \ud800 b\n c"]  # a lone surrogate: kept as Python strings, same rule
    docs, cuts = np.array([0, 0]), np.array([[0, 8, 8, 8], [2, 3, 8, 8]])
    got = char_strings(odd, docs, cuts)
    assert isinstance(got, list)
    left, node, right = sides(got)
    assert [fold_strings(left), node, fold_strings(right)] == _reference(odd, docs, cuts)
    assert fold_strings(left) == ["a \ud800 b c", "\ud800"] and node == ["", " b\n c"]
    data, ptr, byte_at, doc_ptr = _encoded(odd)
    at = ptr[docs, None] + byte_at[doc_ptr[docs, None] + cuts]
    # not valid UTF-8 for Arrow: that partition's lines as Python strings, the others' as Arrow strings
    clean, cptr, cbyte_at, cdoc_ptr = _encoded(["plain a b"])
    made = line_texts([ByteLines(clean, np.array([[0, 6, 7, 9]])), ByteLines(data, at)])
    assert [m.to_pylist() for m in made[0]] == [["plain"], ["a"], ["b"]]
    assert made[1] == _reference(odd, docs, cuts) and isinstance(made[1][0], list)
    joined = join_strings([pa.array(["x"], pa.large_string()), [], got])
    assert joined == ["x", "a \ud800 b\n c", "", "", "\ud800", " b\n c", ""]
    assert take_strings(joined, np.array([4, 0])) == ["\ud800", "x"]


def test_a_store_of_hostile_text_gives_the_in_memory_lines(tmp_path):
    """The byte route end to end: a store's lines (cut from texts.bin at the stored byte offsets) equal
    the in-memory ones (cut from the decoded texts), hits at document starts and ends, windows larger
    than the document, sentence-bounded, sorted."""
    import discourse as dc

    records = [{"doc_id": f"d{i}", "outlet": "AB"[i % 2], "text": t + " word"} for i, t in enumerate(TEXTS)]
    corpus = dc.Corpus.from_records(records + [{"doc_id": "e", "outlet": "A", "text": ""}])
    store = dc.build_store(corpus, tmp_path / "hostile.store", clean=False, partition_docs=3)
    memory = dc.tokenize(corpus)
    assert store.partition(0)._utf8 is not None
    for query in ("word", "москва", "fin", "para", "y"):
        for case in (dict(window=50), dict(window=(2, 0)), dict(window=3, sentence=True), dict(sort="L1")):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                pd.testing.assert_frame_equal(dc.kwic(store, query, **case), dc.kwic(memory, query, **case),
                                              check_exact=True)
    lines = dc.kwic(store, "word", window=50)
    assert (lines["right"] == "").all() and lines["left"].str.contains("Москва и Киев").any()


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


def test_folding_every_whitespace_character_next_to_others():
    """Every whitespace character (one to three UTF-8 bytes) and characters that share their first byte but
    are not whitespace (U+200B, U+2030, U+3001, U+00A9, curly quotes) fold by the per-line rule."""
    others = ["\u200b", "\u2030", "\u3001", "\u00a9", "\u201c", "\u1681", "\U0001F600", "x"]
    strings = [f"{c}a{c}{d}\n{d}{c}b{c}" for c in list(WHITESPACE) + others for d in (" ", "\u2028", "")]
    strings += [f"{c}{d}a{d}{c}" for c in list(WHITESPACE) + others for d in ("\t", "\u00a0")]
    got = fold_strings(pa.array(strings, pa.large_string()))
    assert got.to_pylist() == [" ".join(x.split()) if "\n" in x else x.strip() for x in strings]



@pytest.mark.parametrize("tail", [[], [""], ["", ""], ["\n \u3000"], ["a\n b", "", ""], ["  \n a \n ", "\n\n", " b\n "]])
def test_folding_when_the_last_strings_are_empty_or_blank(tail):
    """Empty and all-blank strings (an empty context at a document's end, a context of blank lines) among
    folded ones, last of all too, and blank runs across two folded strings: each line keeps exactly its own
    bytes (the sums of kept bytes a line end at the end of the data)."""
    strings = ["x\n  y", "", "\t\n", "p  q", "\u2028z\u00a0\u00a0w\n"] + tail
    for route in (fold_strings(pa.array(strings, pa.large_string())).to_pylist(),
                  line_parts(pa.array([s for x in strings for s in (x, "n", x)], pa.large_string()))[0].to_pylist()):
        want = [" ".join(x.split()) if "\n" in x else x.strip() for x in strings]
        assert route[:len(strings)] == want
