"""Tests of the synthetic news corpus generator (discourse.datasets.synthetic)."""
from __future__ import annotations

import collections
import json
import re

import numpy as np
import pandas as pd
import pytest

from discourse.datasets.synthetic import (
    ENGLISH_STOP_WORDS,
    FUNCTION_WORDS,
    iter_news_records,
    make_news_corpus,
    write_news_jsonl,
)

WORD = re.compile(r"[a-z]+")
SENT_SPLIT = re.compile(r"(?<=[.?])\s+")


@pytest.fixture(scope="module")
def sc():
    return make_news_corpus(60_000, seed=0)


@pytest.fixture(scope="module")
def sc_plain():
    return make_news_corpus(60_000, boilerplate=False, seed=0)


@pytest.fixture(scope="module")
def big():
    """Large enough for frequency statistics (~110 documents per outlet)."""
    return make_news_corpus(200_000, seed=0)


def body_of(rec: dict, lines: list[str]) -> str:
    """The text without its boilerplate lines."""
    drop = set(lines)
    return "\n".join(ln for ln in rec["text"].split("\n") if ln not in drop).strip("\n")


def outlet_counts(corpus) -> dict[str, collections.Counter]:
    counts = {o: collections.Counter() for o in corpus.outlet_words}
    for r in corpus.records:
        body = body_of(r, corpus.boilerplate_lines[r["outlet"]])
        counts[r["outlet"]].update(WORD.findall(body.lower()))
    return counts


# ----------------------------------------------------------------------------- determinism


def test_same_seed_byte_identical():
    a = make_news_corpus(20_000, seed=7)
    b = make_news_corpus(20_000, seed=7)
    assert json.dumps(a.records) == json.dumps(b.records)
    assert np.array_equal(a.topic_word, b.topic_word)
    assert np.array_equal(a.doc_topic, b.doc_topic)
    assert a.vocab == b.vocab and a.outlet_words == b.outlet_words


def test_different_seed_differs():
    a = make_news_corpus(20_000, seed=1)
    b = make_news_corpus(20_000, seed=2)
    assert [r["text"] for r in a.records] != [r["text"] for r in b.records]
    assert len(set(a.vocab) & set(b.vocab)) < 0.5 * len(a.vocab)
    assert not np.allclose(a.outlet_topic_prior, b.outlet_topic_prior)


def test_model_does_not_depend_on_size():
    a = make_news_corpus(5_000, seed=3)
    b = make_news_corpus(40_000, seed=3)
    assert a.vocab == b.vocab
    assert np.array_equal(a.topic_word, b.topic_word)
    assert a.outlet_words == b.outlet_words


def test_params_recorded(sc):
    assert sc.params == dict(
        n_tokens=60_000, n_outlets=3, n_topics=20, doc_tokens=600, n_outlet_words=15, boilerplate=True, seed=0
    )


# ----------------------------------------------------------------------------- sizes and shapes


@pytest.mark.parametrize("n_tokens,doc_tokens", [(60_000, 600), (12_345, 300), (5, 600), (3_000, 10)])
def test_token_count_matches_target(n_tokens, doc_tokens):
    c = make_news_corpus(n_tokens, doc_tokens=doc_tokens, seed=0)
    bodies = [body_of(r, c.boilerplate_lines[r["outlet"]]) for r in c.records]
    n_ws = sum(len(b.split()) for b in bodies)
    assert c.n_word_tokens == n_tokens == n_ws
    assert list(c.doc_n_tokens) == [len(b.split()) for b in bodies]
    # A word tokenizer that splits compounds and possessives stays within 5%.
    n_words = sum(len(WORD.findall(b.lower())) + len(re.findall(r"\d+", b)) for b in bodies)
    assert abs(n_words - n_tokens) <= max(2, 0.05 * n_tokens)
    assert len(c.records) == max(1, round(n_tokens / doc_tokens))


def test_document_lengths_vary_around_mean(sc):
    L = sc.doc_n_tokens
    assert 550 < L.mean() < 650
    assert L.std() > 100 and L.min() >= 30


def test_distributions_sum_to_one(sc):
    K, V = sc.topic_word.shape
    assert (K, V) == (20, len(sc.vocab))
    assert np.all(sc.topic_word > 0)
    np.testing.assert_allclose(sc.topic_word.sum(axis=1), 1.0, atol=1e-12)
    assert sc.doc_topic.shape == (len(sc.records), K)
    assert np.all(sc.doc_topic >= 0)
    np.testing.assert_allclose(sc.doc_topic.sum(axis=1), 1.0, atol=1e-9)
    assert sc.outlet_topic_prior.shape == (3, K)
    np.testing.assert_allclose(sc.outlet_topic_prior.sum(axis=1), 1.0, atol=1e-12)


def test_topics_are_distinct_and_concentrated(sc):
    tw = sc.topic_word
    top = np.sort(tw, axis=1)[:, ::-1]
    assert np.all(top[:, :120].sum(axis=1) > 0.85)  # most mass on its own ~60-120 words
    assert np.all(top[:, :60].sum(axis=1) > 0.6)
    n = tw / np.linalg.norm(tw, axis=1, keepdims=True)
    cos = n @ n.T
    np.fill_diagonal(cos, 0)
    assert cos.max() < 0.2


def test_documents_are_topically_sparse(sc):
    # Dirichlet(small alpha): one or two topics dominate a document.
    assert np.median(sc.doc_topic.max(axis=1)) > 0.4
    eff = 1.0 / (sc.doc_topic**2).sum(axis=1)
    assert np.median(eff) < 5


# ----------------------------------------------------------------------------- records


def test_records_fields_and_outlets(sc):
    recs = sc.records
    assert all(list(r) == ["id", "outlet", "domain", "date", "title", "text"] for r in recs)
    ids = [r["id"] for r in recs]
    assert len(set(ids)) == len(ids) and ids[0] == "doc000000"
    counts = collections.Counter(r["outlet"] for r in recs)
    assert set(counts) == {"Outlet A", "Outlet B", "Outlet C"} == set(sc.outlet_words)
    assert max(counts.values()) - min(counts.values()) <= 1
    for r in recs:
        assert r["domain"] == "outlet-" + r["outlet"].split()[-1].lower() + ".example"
    dates = pd.to_datetime([r["date"] for r in recs])
    assert dates.min().year == dates.max().year == 2021
    assert dates.is_monotonic_increasing
    assert dates.month.nunique() == 12


def test_many_outlets_named_and_balanced():
    c = make_news_corpus(30_000, n_outlets=30, n_outlet_words=5, seed=0)
    names = {r["outlet"] for r in c.records}
    assert len(names) == 30 and {"Outlet A", "Outlet Z", "Outlet AA", "Outlet AD"} <= names
    words = [w for ws in c.outlet_words.values() for w in ws]
    assert len(words) == len(set(words)) == 150


def test_vocabulary_is_clean_pseudo_words(sc):
    v = sc.vocab
    assert 4900 <= len(v) <= 5100 and len(set(v)) == len(v)
    assert all(re.fullmatch(r"[a-z]{4,10}", w) for w in v)
    assert not set(v) & ENGLISH_STOP_WORDS
    planted = [w for ws in sc.outlet_words.values() for w in ws]
    assert all(re.fullmatch(r"[a-z]{4,10}", w) for w in planted)
    assert len(set(planted)) == len(planted) == 45 and not set(planted) & set(v)
    assert not set(planted) & ENGLISH_STOP_WORDS
    gensim_pp = pytest.importorskip("gensim.parsing.preprocessing")
    assert not set(v) & set(gensim_pp.STOPWORDS)
    assert set(FUNCTION_WORDS) <= set(gensim_pp.STOPWORDS) | ENGLISH_STOP_WORDS


def test_text_rendering(sc_plain):
    n_sent = n_q = n_poss = n_hyph = n_num = n_comma = 0
    for r in sc_plain.records:
        text = r["text"]
        assert "\n\n" in text and "\n\n\n" not in text and text == text.strip()
        for para in text.split("\n\n"):
            for s in SENT_SPLIT.split(para):
                words = s.split()
                assert 8 <= len(words) <= 30, s
                assert words[0][0].isupper() or words[0][0].isdigit()
                assert s[-1] in ".?"
                n_sent += 1
                n_q += s.endswith("?")
        n_poss += len(re.findall(r"[a-z]'s\b", text))
        n_hyph += len(re.findall(r"[a-z]-[a-z]", text))
        n_num += len(re.findall(r"\b\d+\b", text))
        n_comma += text.count(",")
        title = r["title"].split()
        assert 5 <= len(title) <= 10 and title[0][0].isupper()
    n_tok = sc_plain.n_word_tokens
    assert 0.02 < n_q / n_sent < 0.1
    for n in (n_poss, n_hyph, n_num):
        assert 0.002 * n_tok < n < 0.03 * n_tok
    assert 0.01 * n_tok < n_comma < 0.1 * n_tok


def test_token_mix(big):
    counts = collections.Counter()
    for r in big.records:
        counts.update(WORD.findall(body_of(r, big.boilerplate_lines[r["outlet"]]).lower()))
    total = sum(counts.values())
    fw = sum(counts[w] for w in FUNCTION_WORDS)
    assert 0.40 < fw / total < 0.50
    assert counts.most_common(1)[0][0] == "the"
    in_vocab = sum(counts[w] for w in big.vocab)
    assert 0.45 < in_vocab / total < 0.6
    # Every token is a function word, a topic word, a planted word or an "s" of a possessive.
    planted = {w for ws in big.outlet_words.values() for w in ws}
    known = set(FUNCTION_WORDS) | set(big.vocab) | planted | {"s"}
    assert set(counts) <= known


def test_text_follows_planted_topics(big):
    vocab = {w: i for i, w in enumerate(big.vocab)}
    X = np.zeros((len(big.records), len(vocab)))
    for d, r in enumerate(big.records):
        for w in WORD.findall(r["text"].lower()):
            j = vocab.get(w)
            if j is not None:
                X[d, j] += 1
    # Corpus-wide: observed word frequencies match the model's expectation.
    expected = (big.doc_topic * big.doc_n_tokens[:, None]).sum(axis=0) @ big.topic_word
    obs = X.sum(axis=0)
    assert obs @ expected / np.linalg.norm(obs) / np.linalg.norm(expected) > 0.95
    # Per document: the most likely topic given the words is the planted dominant topic.
    loglik = X @ np.log(big.topic_word).T
    assert np.mean(loglik.argmax(axis=1) == big.doc_topic.argmax(axis=1)) > 0.9
    # Outlets emphasise topics according to their priors.
    outlet_idx = {o: i for i, o in enumerate(big.outlet_words)}
    o = np.array([outlet_idx[r["outlet"]] for r in big.records])
    M = np.array([big.doc_topic[o == i].mean(axis=0) for i in range(len(outlet_idx))])
    P = big.outlet_topic_prior
    assert np.corrcoef((M - M.mean(0)).ravel(), (P - P.mean(0)).ravel())[0, 1] > 0.25


# ----------------------------------------------------------------------------- planted outlet words


def test_outlet_words_only_in_their_outlet(big):
    counts = outlet_counts(big)
    for o, words in big.outlet_words.items():
        own_total = sum(counts[o].values())
        own = sum(counts[o][w] for w in words)
        other = sum(counts[p][w] for p in counts if p != o for w in words)
        assert 0.008 < own / own_total < 0.03  # planted rate ~1.5%
        assert own > 20 * (other + 1)
        assert all(counts[o][w] >= 10 for w in words)


def test_outlet_words_top_keyness(big):
    counts = outlet_counts(big)
    total = collections.Counter()
    for c in counts.values():
        total.update(c)
    N = sum(total.values())
    for o, c in counts.items():
        n1 = sum(c.values())
        n2 = N - n1
        g2 = {}
        for w, a in c.items():
            b = total[w] - a
            if a / n1 <= b / n2:
                continue
            e1, e2 = n1 * (a + b) / N, n2 * (a + b) / N
            g2[w] = 2 * (a * np.log(a / e1) + (b * np.log(b / e2) if b else 0.0))
        top = sorted(g2, key=g2.get, reverse=True)
        assert set(top[:10]) <= set(big.outlet_words[o])
        assert len(set(top[:15]) & set(big.outlet_words[o])) >= 13


# ----------------------------------------------------------------------------- boilerplate


def test_boilerplate_lines_in_most_documents_of_their_outlet(big):
    by_outlet = collections.defaultdict(list)
    for r in big.records:
        by_outlet[r["outlet"]].append(set(r["text"].split("\n")))
    for o, lines in big.boilerplate_lines.items():
        assert 2 <= len(lines) <= 3
        assert any(o in ln for ln in lines)
        for ln in lines:
            share = np.mean([ln in doc for doc in by_outlet[o]])
            assert 0.65 < share < 0.95, (ln, share)
            for p, docs in by_outlet.items():
                if p != o and ln not in big.boilerplate_lines[p]:
                    assert not any(ln in doc for doc in docs)


def test_boilerplate_words_absent_from_bodies(sc):
    bp_words = set()
    for lines in sc.boilerplate_lines.values():
        for ln in lines:
            bp_words |= set(WORD.findall(ln.lower()))
    bp_words -= ENGLISH_STOP_WORDS
    assert {"outlet", "example"} & bp_words
    body_words = set()
    for r in sc.records:
        body_words |= set(WORD.findall(body_of(r, sc.boilerplate_lines[r["outlet"]]).lower()))
        body_words |= set(WORD.findall(r["title"].lower()))
    assert not bp_words & body_words


def test_no_boilerplate_same_bodies(sc, sc_plain):
    assert all(v == [] for v in sc_plain.boilerplate_lines.values())
    all_lines = {ln for lines in sc.boilerplate_lines.values() for ln in lines}
    n_with = 0
    for a, b in zip(sc.records, sc_plain.records):
        assert {k: v for k, v in a.items() if k != "text"} == {k: v for k, v in b.items() if k != "text"}
        assert not all_lines & set(b["text"].split("\n"))
        assert body_of(a, sc.boilerplate_lines[a["outlet"]]) == b["text"]
        n_with += a["text"] != b["text"]
    assert n_with > 0.9 * len(sc.records)
    np.testing.assert_array_equal(sc.doc_topic, sc_plain.doc_topic)


# ----------------------------------------------------------------------------- export and streaming


def test_to_jsonl_roundtrip(sc, tmp_path):
    path = sc.to_jsonl(tmp_path / "c.jsonl")
    with open(path, encoding="utf-8") as fh:
        back = [json.loads(line) for line in fh]
    assert back == sc.records


def test_to_frame_and_csv(sc, tmp_path):
    df = sc.to_frame()
    assert list(df.columns) == ["id", "outlet", "domain", "date", "title", "text"]
    assert len(df) == len(sc.records) and df["text"].tolist() == [r["text"] for r in sc.records]
    back = pd.read_csv(sc.to_csv(tmp_path / "c.csv"), dtype=str, keep_default_na=False)
    assert back["text"].tolist() == df["text"].tolist()
    assert back["id"].tolist() == df["id"].tolist()


def test_iter_news_records_matches_make_news_corpus(tmp_path):
    kw = dict(n_outlets=4, n_topics=8, doc_tokens=250, n_outlet_words=6, seed=11)
    it = iter_news_records(10_000, **kw)
    assert iter(it) is it  # a lazy iterator
    streamed = list(it)
    assert streamed == make_news_corpus(10_000, **kw).records
    n = write_news_jsonl(tmp_path / "s.jsonl", 10_000, **kw)
    with open(tmp_path / "s.jsonl", encoding="utf-8") as fh:
        assert [json.loads(line) for line in fh] == streamed and n == len(streamed)


@pytest.mark.parametrize(
    "kw", [dict(n_tokens=0), dict(n_outlets=0), dict(n_topics=0), dict(doc_tokens=0), dict(n_outlet_words=-1)]
)
def test_invalid_arguments(kw):
    with pytest.raises(ValueError):
        make_news_corpus(**kw)
