"""Keyness measures against independent routes: scipy, hand computations with their sources."""
import math

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from scipy import stats
from scipy.stats.contingency import odds_ratio

import discourse as dc
from discourse.keyness import keyness
from discourse.stats.association import keyness_measures
from discourse.stats.multiple import adjust_pvalues
from discourse.stats.tests import bootstrap_test, mann_whitney_test, welch_test

# (a, b, n_a, n_b): ordinary, zero in either corpus, equal relative frequencies, tiny and huge counts
CASES = [(50, 20, 10_000, 12_000), (0, 7, 5_000, 9_000), (9, 0, 5_000, 9_000), (10, 20, 1_000, 2_000),
         (1, 1, 100, 100_000), (3_000_000_000, 2_000_000_000, 10 ** 12, 9 * 10 ** 11), (1, 0, 10 ** 9, 10 ** 9)]


def _table(a, b, n_a, n_b):
    return np.array([[a, b], [n_a - a, n_b - b]], dtype=float)


def _measures(case, **kw):
    a, b, n_a, n_b = case
    return {k: v[0] for k, v in keyness_measures(np.array([a]), np.array([b]), n_a, n_b, **kw).items()}


@pytest.mark.parametrize("case", CASES)
def test_dunning_g2_and_chi2_match_scipy(case):
    m = _measures(case, ll_cells="dunning")
    g2, p, _, _ = stats.chi2_contingency(_table(*case), correction=False, lambda_="log-likelihood")
    assert abs(m["log_likelihood"]) == pytest.approx(g2, rel=1e-7, abs=1e-9)
    assert m["p_value"] == pytest.approx(p, rel=1e-6, abs=1e-12)
    x2, *_ = stats.chi2_contingency(_table(*case), correction=False)
    x2y, *_ = stats.chi2_contingency(_table(*case), correction=True)
    assert m["chi2"] == pytest.approx(x2, rel=1e-7, abs=1e-9)
    assert m["chi2_yates"] == pytest.approx(x2y, rel=1e-7, abs=1e-9)


@pytest.mark.parametrize("case", CASES[:5])
def test_rayson_two_cell_g2_by_hand(case):
    # Rayson & Garside (2000): G2 = 2 * sum_i O_i ln(O_i / E_i) over the term's two cells, E_i = n_i (a+b) / N
    a, b, n_a, n_b = case
    e = [n_a * (a + b) / (n_a + n_b), n_b * (a + b) / (n_a + n_b)]
    g2 = 2 * sum(o * math.log(o / ei) for o, ei in zip((a, b), e) if o > 0)
    m = _measures(case)
    assert abs(m["log_likelihood"]) == pytest.approx(g2, rel=1e-9, abs=1e-12)
    assert np.sign(m["log_likelihood"]) == np.sign(a / n_a - b / n_b)
    assert m["expected_target"] == pytest.approx(e[0])


def test_two_cell_g2_worked_by_hand():
    # 15 vs 5 occurrences in two corpora of 1M words: E = 10 each, G2 = 2 (15 ln 1.5 + 5 ln 0.5)
    # = 2 (6.08198 - 3.46574) = 5.2325, above the 3.84 cut-off of p < 0.05 (1 d.f.)
    m = _measures((15, 5, 1_000_000, 1_000_000))
    assert m["log_likelihood"] == pytest.approx(2 * (15 * math.log(1.5) + 5 * math.log(0.5)))
    assert m["log_likelihood"] == pytest.approx(5.2325, abs=1e-4)
    assert m["p_value"] < 0.05


def test_equal_relative_frequencies_give_no_effect():
    m = _measures((10, 20, 1_000, 2_000))
    assert m["log_likelihood"] == 0 and m["p_value"] == 1 and m["chi2"] == pytest.approx(0, abs=1e-12)
    assert m["log_ratio"] == 0 and m["percent_diff"] == 0 and m["odds_ratio"] == pytest.approx(1)
    assert m["log_ratio_conservative"] == 0 and m["simple_maths"] == pytest.approx(1)


def test_yates_rules():
    small, large = (2, 1, 1_000, 1_000), (500, 300, 10_000, 10_000)
    for case in (small, large):
        always, never, rule = (_measures(case, yates=y)["chi2_yates"] for y in ("always", "never", "small"))
        assert never == pytest.approx(_measures(case)["chi2"])
        expected = stats.chi2_contingency(_table(*case), correction=False)[3]
        assert rule == (always if expected.min() < 5 else never)
    assert _measures(small, yates="small")["chi2_yates"] < _measures(small)["chi2"]


def test_log_ratio_and_interval_by_hand():
    # Hardie (2014): LR = log2 of the ratio of relative frequencies; a zero becomes 0.5
    a, b, n_a, n_b = 50, 20, 10_000, 12_000
    m = _measures((a, b, n_a, n_b), confidence=0.95)
    lr = math.log2((a / n_a) / (b / n_b))
    half = 1.959963984540054 * math.sqrt(1 / a + 1 / b) / math.log(2)
    assert m["log_ratio"] == pytest.approx(lr)
    assert (m["log_ratio_ci_low"], m["log_ratio_ci_high"]) == pytest.approx((lr - half, lr + half))
    assert m["log_ratio_conservative"] == pytest.approx(lr - half)
    katz = _measures((a, b, n_a, n_b), ci_method="binomial")
    assert katz["log_ratio_ci_high"] - lr == pytest.approx(
        1.959963984540054 * math.sqrt(1 / a - 1 / n_a + 1 / b - 1 / n_b) / math.log(2))
    z = _measures((0, 70, 5_000, 9_000))
    assert z["log_ratio"] == pytest.approx(math.log2((0.5 / 5_000) / (70 / 9_000)))
    assert z["log_ratio_conservative"] == pytest.approx(z["log_ratio_ci_high"]) and z["log_ratio_ci_high"] < 0
    assert _measures((0, 7, 5_000, 9_000), zero="add")["log_ratio"] == pytest.approx(
        math.log2((0.5 / 5_000) / (7.5 / 9_000)))
    assert _measures((0, 7, 5_000, 9_000), zero="none")["log_ratio"] == -np.inf
    # an interval that includes 0 gives a conservative LR of 0
    assert _measures((6, 5, 1_000, 1_000))["log_ratio_conservative"] == 0


def test_percent_diff_bic_ell_simple_maths_by_hand():
    a, b, n_a, n_b = 50, 20, 10_000, 12_000
    m = _measures((a, b, n_a, n_b), simple_maths_n=10)
    pm_a, pm_b = a / n_a * 1e6, b / n_b * 1e6
    assert m["percent_diff"] == pytest.approx((pm_a - pm_b) * 100 / pm_b)  # Gabrielatos & Marchi (2012)
    g2 = abs(m["log_likelihood"])
    assert m["bic"] == pytest.approx(g2 - math.log(n_a + n_b))  # Wilson (2013), df = 1
    e_min = min(n_a * (a + b) / (n_a + n_b), n_b * (a + b) / (n_a + n_b))
    assert m["ell"] == pytest.approx(g2 / ((n_a + n_b) * math.log(e_min)))  # Johnston et al. (2006)
    assert m["simple_maths"] == pytest.approx((pm_a + 10) / (pm_b + 10))  # Kilgarriff (2009)
    zero_ref = _measures((9, 0, 5_000, 9_000))
    assert zero_ref["percent_diff"] == pytest.approx((9 / 5_000 * 1e6 - 1e-18) * 100 / 1e-18)
    assert _measures((9, 0, 5_000, 9_000), pct_diff_zero=None)["percent_diff"] == np.inf
    assert np.isnan(_measures((1, 1, 100, 100_000))["ell"])  # E_min <= 1: undefined


@pytest.mark.parametrize("case", [(50, 20, 10_000, 12_000), (3, 40, 2_000, 5_000)])
def test_odds_ratio_matches_scipy(case):
    expected = odds_ratio(_table(*case).astype(int), kind="sample").statistic
    assert _measures(case)["odds_ratio"] == pytest.approx(expected)


def test_monroe_log_odds_by_hand():
    # Monroe, Colaresi & Quinn (2008): delta_w = log-odds in i minus log-odds in j with
    # pseudo-counts alpha_w; var ~ 1/(y_i + a_w) + 1/(y_j + a_w)
    y_i, y_j = np.array([30, 0, 5, 100]), np.array([10, 4, 5, 400])
    n_i, n_j = 1_000, 2_000
    alpha = np.array([2.0, 0.5, 1.0, 10.0])
    a0 = alpha.sum()
    m = keyness_measures(y_i, y_j, n_i, n_j, prior=alpha)
    mf = keyness_measures(y_i, y_j, n_i, n_j, prior=alpha, lor_variance="full")
    for w in range(4):
        oi = (y_i[w] + alpha[w]) / (n_i + a0 - y_i[w] - alpha[w])
        oj = (y_j[w] + alpha[w]) / (n_j + a0 - y_j[w] - alpha[w])
        delta = math.log(oi) - math.log(oj)
        var = 1 / (y_i[w] + alpha[w]) + 1 / (y_j[w] + alpha[w])
        full = var + 1 / (n_i + a0 - y_i[w] - alpha[w]) + 1 / (n_j + a0 - y_j[w] - alpha[w])
        assert m["log_odds_dirichlet"][w] == pytest.approx(delta)
        assert m["log_odds_z"][w] == pytest.approx(delta / math.sqrt(var))
        assert mf["log_odds_z"][w] == pytest.approx(delta / math.sqrt(full))


def test_absent_term_is_nan_and_validation():
    m = keyness_measures(np.array([0, 3]), np.array([0, 1]), 100, 100)
    assert all(np.isnan(v[0]) for v in m.values())
    with pytest.raises(ValueError, match="ll_cells"):
        keyness_measures([1], [1], 10, 10, ll_cells="both")
    with pytest.raises(ValueError, match="corpus size"):
        keyness_measures([11], [1], 10, 10)


# --------------------------------------------------------------------------- multiple comparisons
def test_adjust_pvalues():
    p = np.array([0.01, 0.04, 0.03, 0.005, np.nan])
    # Holm (1979), hand: sorted 0.005*4, 0.01*3, 0.03*2, 0.04*1 -> 0.02, 0.03, 0.06, max(0.04, 0.06)
    assert adjust_pvalues(p, "holm")[:4] == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert np.isnan(adjust_pvalues(p, "holm")[4])
    assert adjust_pvalues(p, "bonferroni")[:4] == pytest.approx([0.04, 0.16, 0.12, 0.02])
    assert adjust_pvalues(p, "sidak")[:4] == pytest.approx(1 - (1 - p[:4]) ** 4)
    rng = np.random.default_rng(1)
    q = rng.uniform(size=200) ** 3
    assert adjust_pvalues(q, "bh") == pytest.approx(stats.false_discovery_control(q, method="bh"))
    assert adjust_pvalues(np.array([1e-20]) , "sidak")[0] == pytest.approx(1e-20)  # no cancellation
    with pytest.raises(ValueError, match="method"):
        adjust_pvalues(q, "tukey")


# --------------------------------------------------------------------------- text-level tests
def _docs(seed, n, k, density=0.3, scale=1.0):
    rng = np.random.default_rng(seed)
    x = rng.poisson(scale, size=(n, k)) * (rng.uniform(size=(n, k)) < density)
    x[:, 0] = 0  # a term absent from this side
    return x.astype(float)


def test_welch_and_mann_whitney_match_scipy():
    x, y = _docs(0, 12, 6), _docs(1, 9, 6, density=0.6, scale=2)
    y[:, 1] = x[:3, 1].sum()  # constant column on one side
    t, p = welch_test(sp.csr_matrix(x), sp.csr_matrix(y))
    ref = stats.ttest_ind(x, y, equal_var=False, axis=0)
    ok = ~np.isnan(ref.statistic)
    assert np.allclose(t[ok], ref.statistic[ok]) and np.allclose(p[ok], ref.pvalue[ok])
    u, pu = mann_whitney_test(sp.csr_matrix(x), sp.csr_matrix(y))
    for j in range(1, 6):
        r = stats.mannwhitneyu(x[:, j], y[:, j], method="asymptotic", use_continuity=True)
        assert u[j] == pytest.approx(r.statistic) and pu[j] == pytest.approx(r.pvalue)


def test_bootstrap_test():
    counts_t = sp.csr_matrix(np.c_[np.full(20, 5), np.arange(20) % 3])
    counts_r = sp.csr_matrix(np.c_[np.zeros(15), np.arange(15) % 3])
    len_t, len_r = np.full(20, 100), np.full(15, 100)
    p = bootstrap_test(counts_t, len_t, counts_r, len_r, n_boot=199, seed=3)
    assert p[0] == pytest.approx(2 / 200)  # the term never occurs in the reference: smallest p
    assert p[1] > 0.2  # same distribution on both sides
    assert np.array_equal(p, bootstrap_test(counts_t, len_t, counts_r, len_r, n_boot=199, seed=3))


# --------------------------------------------------------------------------- keyness over Tokens
@pytest.fixture(scope="module")
def synthetic():
    from discourse.datasets import make_news_corpus

    sc = make_news_corpus(150_000, seed=7)
    return sc, dc.tokenize(dc.clean(dc.Corpus.from_records(sc.records)))


def test_planted_outlet_words_top_the_lists(synthetic):
    sc, tokens = synthetic
    k = keyness(tokens, n_boot=200, text_tests=("welch", "mann_whitney", "bootstrap"))
    assert set(k["target"]) == set(sc.outlets) and (k["reference"] == "rest").all()
    for outlet, words in sc.outlet_words.items():
        over = k[(k["target"] == outlet) & (k["direction"] == "over")]
        top = over["term"].head(len(words))
        assert top.isin(words).mean() >= 0.9  # precision at k = number of planted words
        under = k[(k["target"] == outlet) & (k["direction"] == "under")]
        others = {w for o, ws in sc.outlet_words.items() if o != outlet for w in ws}
        assert under["term"].head(5).isin(others).all()  # the other outlets' words are negative keywords
    assert k["significant"].all() and (k["p_adjusted"] < 0.05).all()
    assert k[["welch_p", "mann_whitney_p", "bootstrap_p"]].notna().all().all()
    for side in ("target", "reference"):  # DP is undefined for a frequency of 0, and only there
        assert k[f"dp_{side}"].isna().equals(k[f"freq_{side}"] == 0)


def test_keyness_table_consistency(synthetic):
    _, tokens = synthetic
    outlets = sorted(tokens.metadata["outlet"].unique())
    k = keyness(tokens, outlets[0], outlets[1], keep="all", text_tests=("welch",))
    freq = dc.frequencies(tokens, by="outlet")
    a = freq[freq.group == outlets[0]].set_index("term")
    row = k.set_index("term").loc[a.index[0]]
    assert row["freq_target"] == a["freq"].iloc[0] and row["doc_freq_target"] == a["doc_freq"].iloc[0]
    assert row["per_million_target"] == pytest.approx(a["per_million"].iloc[0])
    assert k.attrs["seed"] == 0 and k.attrs["ll_cells"] == "rayson" and k.attrs["correction"] == "sidak"
    # every term is in one of the outlets (absent="drop"); p_adjusted is Šidák over those terms
    assert ((k.freq_target + k.freq_reference) > 0).all()
    assert k["p_adjusted"].to_numpy() == pytest.approx(adjust_pvalues(k["p_value"].to_numpy(), "sidak"))
    # sorted: overuse by Log Ratio descending, then underuse by Log Ratio ascending
    over, under = k[k.direction == "over"], k[k.direction == "under"]
    assert over["log_ratio"].is_monotonic_decreasing and under["log_ratio"].is_monotonic_increasing
    assert list(k["direction"].unique()[:2]) == ["over", "under"]


def test_external_reference_equals_internal_comparison(synthetic):
    _, tokens = synthetic
    outlets = sorted(tokens.metadata["outlet"].unique())
    inside = keyness(tokens, outlets[0], "rest", keep="all", text_tests=())
    rest = dc.frequencies(tokens.select(tokens.metadata["outlet"] != outlets[0]))
    table = rest.set_index("term")["freq"]
    outside = keyness(tokens, outlets[0], table, keep="all", text_tests=(), dirichlet_prior="uniform")
    both = inside.merge(outside, on="term", suffixes=("", "_ext"))
    assert len(both) == len(inside)
    assert np.allclose(both["log_likelihood"], both["log_likelihood_ext"])
    assert np.allclose(both["log_ratio"], both["log_ratio_ext"])
    assert outside["dp_reference"].isna().all() and outside["welch_p"].isna().all()
    df = pd.DataFrame({"term": ["zzqx"], "freq": [40]})  # a term the corpus never uses: negative keyword
    ext = keyness(tokens, outlets[0], df, reference_size=inside.attrs["sizes"][f"{outlets[0]} vs rest"]["target"])
    assert "zzqx" in set(ext.loc[ext.direction == "under", "term"])
    with pytest.raises(ValueError, match="reference_size"):
        keyness(tokens, outlets[0], df, reference_size=10)


def test_pairwise_and_absent(synthetic):
    sc, tokens = synthetic
    k = keyness(tokens, reference="pairwise", keep="all", text_tests=())
    assert sorted(set(zip(k.target, k.reference))) == [("Outlet A", "Outlet B"), ("Outlet A", "Outlet C"),
                                                       ("Outlet B", "Outlet C")]
    ab = k[(k.target == "Outlet A") & (k.reference == "Outlet B")]
    assert not ab["term"].isin(sc.outlet_words["Outlet C"]).any()  # absent from both: dropped
    kept = keyness(tokens, "Outlet A", "Outlet B", keep="all", absent="nan", text_tests=())
    c_words = kept[kept.term.isin(sc.outlet_words["Outlet C"])]
    assert len(c_words) == len(sc.outlet_words["Outlet C"]) and c_words["log_likelihood"].isna().all()
    with pytest.raises(ValueError, match="overlap"):
        keyness(tokens, "Outlet A", ["Outlet A", "Outlet B"])
    with pytest.raises(ValueError, match="target group 'Outlet Z' not found"):
        keyness(tokens, "Outlet Z")


def test_sample_corpus_text_level_is_nan_with_message():
    tokens = dc.load_sample()
    with pytest.warns(UserWarning, match="at least 2 documents"):
        k = keyness(tokens, "RT", keep="all")
    assert len(k) > 0 and k[["welch_t", "mann_whitney_p", "bootstrap_p"]].isna().all().all()
    assert any("RT vs rest" in note for note in k.attrs["notes"])
    assert k["log_likelihood"].notna().all()
    with pytest.raises(ValueError, match="sort_by"):
        keyness(tokens, sort_by="t_score")


def test_document_columns_match_independent_routes(synthetic):
    from discourse.stats.dispersion import gries_dp

    _, tokens = synthetic
    k = keyness(tokens, "Outlet B", "pairwise", keep="all", text_tests=("welch", "mann_whitney"))
    k = k[k.reference == "Outlet C"].set_index("term")
    out = tokens.metadata["outlet"].to_numpy()
    dense_len = tokens.doc_lengths
    for term in k.sort_values("freq_target", ascending=False).index[[0, 5, 50, 400]]:
        col = tokens.dtm[:, tokens.term_id(term)].toarray().ravel()
        x, y = (col[out == o] / dense_len[out == o] for o in ("Outlet B", "Outlet C"))
        row = k.loc[term]
        assert row["welch_p"] == pytest.approx(stats.ttest_ind(x, y, equal_var=False).pvalue)
        mw = stats.mannwhitneyu(x, y, method="asymptotic")
        assert row["mann_whitney_u"] == pytest.approx(mw.statistic) and row["mann_whitney_p"] == pytest.approx(mw.pvalue)
        assert row["doc_freq_target"] == np.count_nonzero(col[out == "Outlet B"])
        b = out == "Outlet B"
        assert row["dp_target"] == pytest.approx(gries_dp(col[b][:, None], dense_len[b])[0])


def test_wordfreq_reference_adapts_possessives(monkeypatch):
    import importlib
    import sys
    import types

    refs = importlib.import_module("discourse.references")  # where the wordfreq table is cached

    fake = types.SimpleNamespace(get_frequency_dict=lambda lang, wordlist: {
        "the": 0.5, "nato": 0.1, "russia": 0.2, "russia's": 0.1, "war": 0.1})
    monkeypatch.setitem(sys.modules, "wordfreq", types.ModuleType("wordfreq"))
    monkeypatch.setattr(sys.modules["wordfreq"], "get_frequency_dict", fake.get_frequency_dict, raising=False)
    refs.wordfreq_table.cache_clear()
    try:
        tokens = dc.load_sample()
        k = keyness(tokens, None, "wordfreq", by=None, keep="all", reference_size=1_000_000)
        ref = k.set_index("term")["freq_reference"]
        # "russia's" (0.1) goes to "russia" and to the clitic "'s", as the default tokenizer splits it;
        # splitting adds tokens, so proportions are renormalised by the new total 1.1
        assert ref["russia"] == pytest.approx(0.3 / 1.1 * 1e6) and ref["'s"] == pytest.approx(0.1 / 1.1 * 1e6)
        assert ref["the"] == pytest.approx(0.5 / 1.1 * 1e6) and k.attrs["reference"] == "wordfreq"
        assert (k["reference"] == "wordfreq").all() and k["dp_reference"].isna().all()
    finally:
        refs.wordfreq_table.cache_clear()


def test_mann_whitney_keeps_values_apart_that_rounding_would_merge():
    # 1 and 1 + 2e-16 differ, but col + val/2 rounds them to one key in column 2000: exact fallback
    x = np.zeros((4, 2001))
    y = np.zeros((3, 2001))
    x[:2, 2000], y[:, 2000] = 1.0, [1.0 + 2.2e-16, 1.0 + 2.2e-16, 0.5]
    u, p = mann_whitney_test(sp.csr_matrix(x), sp.csr_matrix(y))
    r = stats.mannwhitneyu(x[:, 2000], y[:, 2000], method="asymptotic")
    assert u[2000] == pytest.approx(r.statistic) and p[2000] == pytest.approx(r.pvalue)


def test_options_reach_the_table(synthetic):
    _, tokens = synthetic
    base = keyness(tokens, "Outlet A", keep="all", text_tests=())
    bh = keyness(tokens, "Outlet A", keep="all", text_tests=(), correction="bh", min_freq=5)
    assert (bh.freq_target + bh.freq_reference).min() >= 5 and len(bh) < len(base)
    assert bh["p_adjusted"].to_numpy() == pytest.approx(stats.false_discovery_control(bh["p_value"].to_numpy()))
    dunning = keyness(tokens, "Outlet A", keep="all", text_tests=(), ll_cells="dunning").set_index("term")
    row = dunning.iloc[0]
    table = _table(row.freq_target, row.freq_reference, *dunning.attrs["sizes"]["Outlet A vs rest"].values())
    g2 = stats.chi2_contingency(table, correction=False, lambda_="log-likelihood")[0]
    assert abs(row.log_likelihood) == pytest.approx(g2)
    by_g2 = keyness(tokens, "Outlet A", sort_by="log_likelihood", text_tests=())
    over = by_g2[by_g2.direction == "over"]
    assert over["log_likelihood"].is_monotonic_decreasing
    listed = keyness(tokens, "Outlet A", text_tests=("welch",))
    everything = keyness(tokens, "Outlet A", text_tests=("welch",), text_terms="all")
    assert listed["welch_p"].to_numpy() == pytest.approx(everything["welch_p"].to_numpy())
    assert everything.attrs["text_terms"] == "all" and listed.attrs["text_tests"] == ["welch"]


def test_one_vs_rest_shares_ranks_and_matches_scipy(synthetic):
    _, tokens = synthetic
    k = keyness(tokens)  # three comparisons over the same documents: Mann-Whitney ranks sorted once
    out = tokens.metadata["outlet"].to_numpy()
    length = tokens.doc_lengths
    for outlet in ("Outlet A", "Outlet C"):
        rows = k[(k.target == outlet)].set_index("term")
        for term in rows.index[[0, len(rows) // 2, -1]]:
            col = tokens.dtm[:, tokens.term_id(term)].toarray().ravel() / length
            mw = stats.mannwhitneyu(col[out == outlet], col[out != outlet], method="asymptotic")
            assert rows.loc[term, "mann_whitney_u"] == pytest.approx(mw.statistic)
            assert rows.loc[term, "mann_whitney_p"] == pytest.approx(mw.pvalue, rel=1e-6, abs=1e-300)


def test_each_against_the_rest_with_nothing_significant_is_an_empty_table():
    # regression: the shared Mann-Whitney ranks were built over zero candidate terms and raised IndexError
    # (fallback=0 asks for the bare significance filter: no rows when nothing passes it)
    import warnings

    import discourse as dc

    tokens = dc.load_sample()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        none = dc.keyness(tokens, reference="rest", fallback=0)
        every = dc.keyness(tokens, reference="rest", keep="all")
    assert len(none) == 0 and list(none.columns) == list(every.columns)
    assert none.attrs["fallback_used"] == [] and "note" not in none.attrs
    assert set(every["target"]) == {"RT", "TFI Post"}
    assert every["welch_p"].isna().all()  # one document per outlet: no text-level test


# --------------------------------------------------------------------------- nothing significant
def test_nothing_significant_shows_the_top_terms_by_effect_with_a_note(sample):
    # The README's call on the two-article sample: no term survives the Šidák correction (402 tests),
    # so the list shows the 20 largest Log Ratios per direction, flagged not significant, and says so.
    with pytest.warns(UserWarning) as caught:
        k = keyness(sample, target="RT", reference="TFI Post")
    said = [str(w.message) for w in caught]
    assert said[0].startswith("RT vs TFI Post: none significant") and "text-level tests" in said[1]
    every = keyness(sample, target="RT", reference="TFI Post", keep="all", text_tests=())
    m = len(every)  # every term of the two texts is tested (min_freq=1)
    assert not every["significant"].any() and k.attrs["n_tests"] == {"RT vs TFI Post": m}
    assert len(k) == 40 and not k["significant"].any()
    assert (k["direction"] == "over").sum() == 20 and (k["direction"] == "under").sum() == 20
    note = k.attrs["note"]
    assert note.startswith(f"RT vs TFI Post: none significant at \u03b1=0.05 after \u0160id\u00e1k correction ({m} tests)")
    assert "top 20 per direction by Log Ratio" in note and note in k.attrs["notes"]
    assert k.attrs["fallback_used"] == ["RT vs TFI Post"]
    # the rows are the top of the full ranking: no over-used term outside them has a larger Log Ratio
    over = every[every["direction"] == "over"].sort_values(["log_ratio", "term"], ascending=[False, True])
    assert k[k["direction"] == "over"]["term"].tolist() == over["term"].head(20).tolist()
    under = every[every["direction"] == "under"].sort_values(["log_ratio", "term"])
    assert k[k["direction"] == "under"]["term"].tolist() == under["term"].head(20).tolist()
    # ranked by another effect size, and a smaller list
    with pytest.warns(UserWarning, match="by log-likelihood"):
        ll = keyness(sample, target="RT", reference="TFI Post", sort_by="log_likelihood", fallback=5, text_tests=())
    assert len(ll) == 10 and ll["log_likelihood"].iloc[0] == every["log_likelihood"].max()


def test_content_only_drops_stop_words_from_the_listing_not_from_the_tests(synthetic):
    _, tokens = synthetic
    full = keyness(tokens, "Outlet A", keep="all", text_tests=())
    content = keyness(tokens, "Outlet A", keep="all", text_tests=(), content_only=True)
    stop = dc.english_stopwords()
    assert full["term"].isin(stop).any() and not content["term"].isin(stop).any()
    assert set(content["term"]) == set(full["term"]) - stop
    same = full.set_index("term").loc[content["term"], ["p_adjusted", "log_ratio"]]
    np.testing.assert_array_equal(same.to_numpy(), content[["p_adjusted", "log_ratio"]].to_numpy())  # same m
    assert content.attrs["n_tests"] == full.attrs["n_tests"] and content.attrs["content_only"] is True
