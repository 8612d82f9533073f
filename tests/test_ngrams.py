"""Tests of n-grams and clusters (discourse.ngrams) against NLTK's ngrams and hand computations."""
from __future__ import annotations

import math
from collections import Counter

import warnings

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from nltk.util import ngrams as nltk_ngrams
from scipy import stats

import discourse as dc
from discourse.ngram_buckets import gram_columns
from discourse.ngrams import _encode, _row_order, _term_ranks, ngrams


def _nltk_counts(tokens, n, sentence=True, outlet=None):
    """Counter of n-grams (space-joined) per sentence (or document) with nltk.util.ngrams, and doc counts."""
    counts, docs = Counter(), Counter()
    for d in range(tokens.n_docs):
        if outlet is not None and tokens.metadata["outlet"].iloc[d] != outlet:
            continue
        toks = tokens.doc_tokens(d)
        sent = tokens.sent[tokens.doc_ptr[d]:tokens.doc_ptr[d + 1]]
        units = [toks]
        if sentence:
            cuts = np.flatnonzero(np.diff(sent)) + 1
            units = [toks[a:b] for a, b in zip(np.r_[0, cuts], np.r_[cuts, len(toks)])]
        seen = set()
        for u in units:
            for g in nltk_ngrams(u, n):
                counts[" ".join(g)] += 1
                seen.add(" ".join(g))
        docs.update(seen)
    return counts, docs


@pytest.mark.parametrize("n, sentence", [(1, True), (2, True), (3, False), (4, True)])
def test_counts_match_nltk(synth, n, sentence):
    res = ngrams(synth, n, sentence=sentence, min_freq=1)
    counts, docs = _nltk_counts(synth, n, sentence)
    assert dict(zip(res["ngram"], res["freq"])) == dict(counts)
    assert dict(zip(res["ngram"], res["doc_freq"])) == dict(docs)
    assert res.attrs["group_ngrams"]["all"] == sum(counts.values())


def test_by_group_counts_and_keyness_by_hand(synth):
    res = ngrams(synth, 2, by="outlet", min_freq=3)
    a_counts, _ = _nltk_counts(synth, 2, outlet="Outlet A")
    rest = _nltk_counts(synth, 2, outlet="Outlet B")[0] + _nltk_counts(synth, 2, outlet="Outlet C")[0]
    part = res[res.group == "Outlet A"].set_index("ngram")
    assert dict(part["freq"]) == {k: v for k, v in a_counts.items() if v >= 3}
    n_a, n_b = sum(a_counts.values()), sum(rest.values())
    for gram, row in part.head(10).iterrows():
        a, b = a_counts[gram], rest[gram]
        assert row["freq_other"] == b
        # Rayson & Garside (2000): G2 = 2 (a ln(a/E_a) + b ln(b/E_b)), E_i = n_i (a + b) / (n_a + n_b)
        e_a, e_b = n_a * (a + b) / (n_a + n_b), n_b * (a + b) / (n_a + n_b)
        g2 = 2 * (a * math.log(a / e_a) + (b * math.log(b / e_b) if b else 0))
        assert abs(row["log_likelihood"]) == pytest.approx(g2)
        assert np.sign(row["log_likelihood"]) == np.sign(a / n_a - b / n_b)
        # Hardie (2014): log2 of the ratio of relative frequencies, a zero count as 0.5
        assert row["log_ratio"] == pytest.approx(math.log2((a / n_a) / ((b or 0.5) / n_b)))
    assert part["freq"].is_monotonic_decreasing


def test_clusters_containing_a_node(sample):
    group = ["Russia", "Russian", "Moscow", "Kremlin", "Putin"]
    terms = {"russia", "russian", "moscow", "kremlin", "putin"}
    counts, _ = _nltk_counts(sample, 3)
    res = ngrams(sample, 3, containing=group, min_freq=1)
    assert dict(zip(res["ngram"], res["freq"])) == {g: c for g, c in counts.items() if terms & set(g.split())}
    left = ngrams(sample, 3, containing=group, position=0, min_freq=1)
    assert dict(zip(left["ngram"], left["freq"])) == {g: c for g, c in counts.items() if g.split()[0] in terms}
    # per-million base is every trigram of the group, not only the clusters
    assert res.attrs["group_ngrams"]["all"] == sum(counts.values())
    phrase = ngrams(sample, 3, containing="Russia's", min_freq=1)
    assert all(" russia 's" in f" {g}" for g in phrase["ngram"]) and len(phrase) > 0


def test_wide_vocabulary_encoding_agrees():
    rng = np.random.default_rng(1)
    ids = rng.integers(0, 50, 2000).astype(np.int32)
    p = np.arange(len(ids) - 5)
    small_rows, small_inv = _encode(ids, p, 5, 50)            # one int64 key per n-gram
    wide_rows, wide_inv = _encode(ids, p, 5, 10 ** 6)         # 10^30 > 2^62: rows of ids
    np.testing.assert_array_equal(small_rows[small_inv], wide_rows[np.ravel(wide_inv)])
    np.testing.assert_array_equal(small_rows[small_inv], np.stack([ids[p + j] for j in range(5)], 1))


def test_top_and_validation(sample):
    res = ngrams(sample, 2, by="outlet", top=5, min_freq=1)
    assert res.groupby("group").size().max() == 5
    assert res.attrs["n"] == 2 and res.attrs["by"] == "outlet"
    for bad in (0, -1, 1.5):
        with pytest.raises(ValueError):
            ngrams(sample, bad)
    with pytest.raises(ValueError, match="containing"):
        ngrams(sample, 2, position=0)
    with pytest.raises(ValueError):
        ngrams(sample, 2, containing="russia", position=2)


def test_significant_rests_on_the_corrected_p_value(synth):
    res = ngrams(synth, 2, by="outlet", min_freq=3)
    assert res.attrs["correction"] == "sidak"
    for outlet, part in res.groupby("group"):
        m = res.attrs["n_tests"][outlet]
        assert m == len(part)  # every listed n-gram of the group is one test
        assert part["p_adjusted"].to_numpy() == pytest.approx(1 - (1 - part["p_value"].to_numpy()) ** m)
        assert (part["significant"] == (part["p_adjusted"] < 0.05)).all()
    assert (res["p_value"] < 0.05).sum() > res["significant"].sum()
    bh = ngrams(synth, 2, by="outlet", min_freq=3, correction="bh", alpha=0.1)
    part = bh[bh.group == "Outlet A"]
    assert part["p_adjusted"].to_numpy() == pytest.approx(stats.false_discovery_control(part["p_value"], method="bh"))
    assert (bh["significant"] == (bh["p_adjusted"] < 0.1)).all()
    assert "significant" not in ngrams(synth, 2).columns  # one group: nothing to compare


# a tiny corpus whose terms begin one another ("new", "newer", "news") and are not all ASCII: the row order of
# the n-grams' text is made from term ranks, so these are the cases where the two orders could part
TINY = [("new york said the news", "X"), ("newer news said new york", "Y"), ("über news said the newer news", "X"),
        ("the news said new york", "Z"), ("new york news said the news", "Y"), ("the newer york said über news", "Z")]


def _tiny_counts(tokens):
    """(group, bigram) -> (count, documents) by a Counter over each sentence's tokens (the independent route)."""
    freq, docs = Counter(), Counter()
    for d in range(tokens.n_docs):
        outlet, toks = tokens.metadata["outlet"].iloc[d], tokens.doc_tokens(d)
        sent = tokens.sent[tokens.doc_ptr[d]:tokens.doc_ptr[d + 1]]
        grams = [(outlet, f"{a} {b}") for a, b, s, t in zip(toks, toks[1:], sent, sent[1:]) if s == t]
        freq.update(grams)
        docs.update(set(grams))
    return freq, docs


def test_compact_dtypes_on_both_routes_and_a_counter_count(tmp_path):
    corpus = dc.Corpus.from_records([{"text": t, "outlet": o} for t, o in TINY])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tokens = dc.tokenize(dc.clean(corpus))
        store = dc.build_store(corpus, tmp_path / "tiny.store", partition_docs=2)
    assert store.n_partitions == 3
    memory, on_store = ngrams(tokens, 2, by="outlet", min_freq=1), ngrams(store, 2, by="outlet", min_freq=1)
    for res in (memory, on_store):
        assert isinstance(res["group"].dtype, pd.CategoricalDtype)
        assert list(res["group"].cat.categories) == ["X", "Y", "Z"] and res["group"].cat.codes.dtype == np.int8
        assert isinstance(res["ngram"].dtype, pd.StringDtype) and res["ngram"].dtype.storage == "pyarrow"
        assert {c: str(res[c].dtype) for c in res.columns[2:]} == {
            "freq": "int64", "per_million": "float64", "doc_freq": "int64", "range": "float64", "freq_other": "int64",
            "log_likelihood": "float64", "p_value": "float64", "p_adjusted": "float64", "significant": "bool",
            "log_ratio": "float64", "rank": "int64"}
    pd.testing.assert_frame_equal(on_store, memory, check_exact=True)
    freq, docs = _tiny_counts(tokens)
    # rows by group, then count descending, then the n-gram's text in Python's string order
    expected = sorted(freq, key=lambda k: (k[0], -freq[k], k[1]))
    assert list(zip(memory["group"], memory["ngram"])) == expected
    assert memory["freq"].tolist() == [freq[k] for k in expected]
    assert memory["doc_freq"].tolist() == [docs[k] for k in expected]
    totals = Counter()
    for (group, _), c in freq.items():
        totals[group] += c
    assert memory["freq_other"].tolist() == [sum(freq[(h, k[1])] for h in "XYZ") - freq[k] for k in expected]
    assert memory["per_million"].tolist() == pytest.approx([freq[k] / totals[k[0]] * 1e6 for k in expected])
    assert memory["rank"].tolist() == [1 + sum(e[0] == k[0] for e in expected[:i]) for i, k in enumerate(expected)]
    assert memory.attrs["group_ngrams"] == dict(totals)


def test_row_order_with_terms_joined_text_cannot_order():
    """A term holding a space (or a character below it) breaks the term-rank order: the joined texts are ranked."""
    vocab = ["a", "a b", "b", "a\tc", "ab", "c"]
    terms = pa.array(vocab, type=pa.large_string())
    assert _term_ranks(terms) is None
    assert _term_ranks(pa.array(["b", "ab", "a", "é"], type=pa.large_string())).tolist() == [2, 1, 0, 3]
    rng = np.random.default_rng(4)
    rows = rng.integers(0, len(vocab), (300, 2))
    kept = {"cols": gram_columns(rows, len(vocab)), "group": rng.integers(0, 2, 300).astype(np.int32),
            "freq": rng.integers(1, 4, 300)}
    order = _row_order(kept, 2, len(vocab), terms)
    frame = pd.DataFrame({"group": kept["group"], "freq": kept["freq"],
                          "ngram": [f"{vocab[a]} {vocab[b]}" for a, b in rows]})
    by_pandas = frame.sort_values(["group", "freq", "ngram"], ascending=[True, False, True], kind="stable").index
    np.testing.assert_array_equal(order, by_pandas)
