"""Tests of n-grams and clusters (discourse.ngrams) against NLTK's ngrams and hand computations."""
from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest
from nltk.util import ngrams as nltk_ngrams
from scipy import stats

from discourse.ngrams import _encode, ngrams


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
