"""Dispersion measures against Gries (2008)'s toy corpus and loop computations of the published formulas."""
import math

import numpy as np
import pytest
import scipy.sparse as sp
from scipy import stats

import discourse as dc
from discourse.dispersion import dispersion
from discourse.stats.dispersion import arf, dispersion_measures

# Gries (2008: 410): five corpus parts of 9, 10, 10, 10 and 11 words; "a" occurs 1, 2, 3, 4, 5 times
GRIES_PARTS = ["b a m n i b e u p", "b a s a t b e w q n", "b c a g a b e s t a", "b a g h a b e a a t",
               "b a h a a b e a x a t"]


@pytest.fixture(scope="module")
def toy():
    return dc.tokenize(GRIES_PARTS)


def _by_hand(v, sizes, sd_ddof=0):
    """The published formulas, one part at a time (Gries 2008; Lijffijt & Gries 2012)."""
    n, f, total = len(v), sum(v), sum(sizes)
    s = [x / total for x in sizes]
    p = [vi / ni for vi, ni in zip(v, sizes)]
    mean = sum(p) / n
    sd = math.sqrt(sum((x - mean) ** 2 for x in p) / (n - sd_ddof))
    q = [x / sum(p) for x in p]
    return {
        "juilland_d": 1 - (sd / mean) / math.sqrt(n - 1),
        "carroll_d2": -sum(x * math.log2(x) for x in q if x > 0) / math.log2(n),
        "rosengren_s": sum(math.sqrt(si * vi) for si, vi in zip(s, v)) ** 2 / f,
        "dp": 0.5 * sum(abs(vi / f - si) for vi, si in zip(v, s)),
        "dp_norm": 0.5 * sum(abs(vi / f - si) for vi, si in zip(v, s)) / (1 - min(s)),
    }


def test_gries_toy_corpus_published_dp(toy):
    d = dispersion(toy).set_index("term")
    assert d.loc["a", "dp"] == pytest.approx(0.18)  # Gries (2008): DP of "a" = 0.18
    assert d.loc["b", "dp"] == pytest.approx(0.02)  # b: twice in every part, parts of unequal size
    assert d.loc["a", "range"] == 5 and d.loc["a", "parts"] == 5 and d.loc["x", "range"] == 1


@pytest.mark.parametrize("term", ["a", "b", "t", "g", "x"])
def test_measures_match_formulas(toy, term):
    d = dispersion(toy).set_index("term")
    j = toy.term_id(term)
    v = toy.dtm[:, j].toarray().ravel().tolist()
    expected = _by_hand(v, toy.doc_lengths.tolist())
    for name, val in expected.items():
        assert d.loc[term, name] == pytest.approx(val, abs=1e-12), name
    p = np.array(v) / toy.doc_lengths
    # independent routes: numpy's SD and scipy's entropy
    assert d.loc[term, "juilland_d"] == pytest.approx(1 - np.std(p) / p.mean() / 2)
    assert d.loc[term, "carroll_d2"] == pytest.approx(stats.entropy(p, base=2) / math.log2(5), abs=1e-12)


def test_conventions(toy):
    d = dispersion(toy, sd="sample", dp_norm="equal_parts", direction="evenness").set_index("term")
    v = toy.dtm[:, toy.term_id("a")].toarray().ravel().tolist()
    hand = _by_hand(v, toy.doc_lengths.tolist(), sd_ddof=1)
    assert d.loc["a", "juilland_d"] == pytest.approx(hand["juilland_d"])
    assert d.loc["a", "dp"] == pytest.approx(1 - 0.18)
    assert d.loc["a", "dp_norm"] == pytest.approx(1 - 0.18 / (1 - 1 / 5))
    with pytest.raises(ValueError, match="sd"):
        dispersion(toy, sd="robust")


def _arf_by_hand(positions, N):
    # Savický & Hlaváčová (2002): v = N/f; ARF = (1/v) sum_i min(d_i, v), cyclic distances
    f = len(positions)
    v = N / f
    d = [positions[0] + N - positions[-1]] + [positions[i] - positions[i - 1] for i in range(1, f)]
    return sum(min(x, v) for x in d) / v


def test_arf_matches_definition(toy):
    words = " ".join(GRIES_PARTS).split()
    got = arf(toy.ids, len(toy.vocab))
    for term in ("a", "b", "t", "x"):
        pos = [i for i, w in enumerate(words) if w == term]
        assert got[toy.term_id(term)] == pytest.approx(_arf_by_hand(pos, len(words)))
    rng = np.random.default_rng(0)
    ids = rng.integers(0, 30, 500)
    got = arf(ids, 31)
    for t in range(30):
        assert got[t] == pytest.approx(_arf_by_hand(np.flatnonzero(ids == t).tolist(), 500))
    assert np.isnan(got[30])
    # ARF = f for perfectly regular spacing; 10 adjacent occurrences in 100 tokens (v = 10):
    # nine gaps of 1 and one cyclic gap of 91 (counted as v) give (9 + 10) / 10 = 1.9
    assert arf(np.tile([0, 1], 50), 2)[0] == pytest.approx(50)
    assert arf(np.r_[np.zeros(10, int), np.ones(90, int)], 2)[0] == pytest.approx(1.9)


def test_other_parts_and_groups():
    rng = np.random.default_rng(0)
    texts = [" ".join(rng.choice(list("abcdefgh"), rng.integers(20, 80))) for _ in range(12)]
    corpus = dc.Corpus.from_records([{"id": f"d{i}", "text": t, "outlet": "XY"[i % 2], "month": i // 4}
                                     for i, t in enumerate(texts)])
    tokens = dc.tokenize(corpus)
    chunks = dispersion(tokens, parts=50)
    assert chunks["parts"].iloc[0] == math.ceil(tokens.n_tokens / 50)
    # chunks by hand: counts of "a" in each 50-token slice of the stream
    ids = tokens.ids
    v = [int(np.sum(ids[i:i + 50] == tokens.term_id("a"))) for i in range(0, len(ids), 50)]
    sizes = [len(ids[i:i + 50]) for i in range(0, len(ids), 50)]
    row = chunks.set_index("term").loc["a"]
    assert row["dp"] == pytest.approx(_by_hand(v, sizes)["dp"])
    months = dispersion(tokens, parts="month").set_index("term")
    assert months.loc["a", "parts"] == 3
    grouped = dispersion(tokens, by="outlet", terms=["a", "b"])
    assert set(grouped["group"]) == {"X", "Y"} and set(grouped["term"]) == {"a", "b"}
    x_docs = (tokens.metadata["outlet"] == "X").to_numpy()
    x = dispersion_measures(tokens.dtm[x_docs], tokens.doc_lengths[x_docs])
    ga = grouped[(grouped.group == "X") & (grouped.term == "a")].iloc[0]
    assert ga["dp"] == pytest.approx(x["dp"][tokens.term_id("a")])
    assert ga.attrs == {} or grouped.attrs["by"] == "outlet"


def test_edge_cases():
    counts = sp.csr_matrix(np.array([[0, 3, 0], [0, 0, 0], [0, 2, 5]]))
    m = dispersion_measures(counts, np.array([10, 0, 20]))  # an empty part is ignored
    assert np.isnan(m["dp"][0]) and np.isnan(m["juilland_d"][0])  # absent term
    assert m["range"][1] == 2 and m["dp"][2] == pytest.approx(0.5 * (abs(0 - 1 / 3) + abs(1 - 2 / 3)))
    one = dispersion_measures(sp.csr_matrix(np.array([[4]])), np.array([10]))
    assert np.isnan(one["juilland_d"][0]) and one["dp"][0] == 0  # one part: no variation to measure
    with pytest.raises(ValueError, match="sizes"):
        dispersion_measures(counts, np.array([1, 0, 20]))
