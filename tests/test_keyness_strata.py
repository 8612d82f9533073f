"""Stratified keyness (``keyness(..., strata="story")``) against statsmodels, scipy and a hand computation.

The ``story`` column is put into the metadata here (the alignment of stories is
another module): a hand-built two-story corpus, a synthetic corpus with planted
story labels (one story covered by one outlet only, some documents in no story)
and the sample corpus (one story of two outlets).
"""
import copy

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.contingency_tables import StratifiedTable

import discourse as dc
from discourse.datasets import make_news_corpus
from discourse.partitions import SplitTokens

# the planted corpus has 5 documents in no story (warned at every call; asserted in the hand-computed test)
pytestmark = [pytest.mark.filterwarnings("ignore:by='story'.*no 'story' value:UserWarning"),
              pytest.mark.filterwarnings("ignore:text-level tests:UserWarning")]


def with_column(tokens, **columns):
    """A shallow copy of ``tokens`` whose metadata has the extra columns (the corpus itself is untouched)."""
    out = copy.copy(tokens)
    out.metadata = tokens.metadata.assign(**columns)
    return out


def _doc(outlet, story, war, fill):
    return {"outlet": outlet, "story": story, "text": " ".join(["war"] * war + ["fill"] * fill)}


@pytest.fixture(scope="module")
def two_stories():
    """Story s1: A has war 3 of 10 tokens, B 1 of 10; s2: A 2 of 8, B 2 of 12; s3 (A only) and a story-less doc."""
    records = [_doc("A", "s1", 3, 7), _doc("B", "s1", 1, 9), _doc("A", "s2", 2, 6), _doc("B", "s2", 2, 10),
               _doc("A", "s3", 5, 1), _doc("B", None, 4, 0)]
    return dc.tokenize(dc.Corpus.from_records(records))


@pytest.fixture(scope="module")
def news():
    """Three outlets; stories planted by document order, a story only outlet-0 covers, 5 documents in none."""
    sc = make_news_corpus(40_000, n_outlets=3, seed=5)
    t = dc.tokenize(dc.clean(dc.Corpus.from_records(sc.records)))
    outlets = sorted(t.metadata["outlet"].unique())
    story = pd.Series([f"story{i % 9}" for i in range(t.n_docs)], index=t.metadata.index, dtype=object)
    first = t.metadata["outlet"] == outlets[0]
    story[first & (np.arange(t.n_docs) % 9 == 0)] = "solo"  # only the first outlet covers it
    story.iloc[:5] = None
    return with_column(t, story=story), outlets


def _tables(tokens, target, reference, strata, by="outlet"):
    """Per used stratum the 2x2 tables of every term, from the document-term matrix (the independent route)."""
    meta = tokens.metadata
    dtm = tokens.dtm.toarray()
    out = []
    for s in sorted(meta[strata].dropna().astype(str).unique()):
        in_s = np.array([x is not None and str(x) == s for x in meta[strata]])
        at = dtm[in_s & (meta[by] == target).to_numpy()].sum(axis=0)
        ar = dtm[in_s & (meta[by] == reference).to_numpy()].sum(axis=0)
        if at.sum() and ar.sum():
            out.append((s, at, ar))
    return out


def test_hand_computed_two_stories(two_stories):
    # Mantel & Haenszel (1959); Agresti (2013), Categorical Data Analysis, 3rd ed., §6.3:
    # OR_MH = sum_k a_k d_k / n_k / sum_k b_k c_k / n_k, with the tables (a b / c d) of "war":
    #   s1: A 3 | 7, B 1 | 9 (n=20)    s2: A 2 | 6, B 2 | 10 (n=20)
    with pytest.warns(UserWarning, match="1 of 6 documents have no 'story' value"):
        k = dc.keyness(two_stories, "A", "B", strata="story", keep="all")
    war = k.set_index("term").loc["war"]
    sum_r, sum_s = 3 * 9 / 20 + 2 * 10 / 20, 7 * 1 / 20 + 6 * 2 / 20
    assert war["mh_odds_ratio"] == pytest.approx(sum_r / sum_s, rel=1e-12)  # 2.35 / 0.95
    # CMH: sum(a - E a) = (3 - 10*4/20) + (2 - 8*4/20) = 1.4; Var = 10*10*4*16/(20^2*19) + 8*12*4*16/(20^2*19)
    x2 = 1.4 ** 2 / ((10 * 10 * 4 * 16 + 8 * 12 * 4 * 16) / (400 * 19))
    assert x2 == pytest.approx(1.1875)
    assert war["cmh_statistic"] == pytest.approx(x2, rel=1e-12)
    assert war["cmh_p_value"] == pytest.approx(stats.chi2.sf(x2, 1), rel=1e-12)
    # Robins, Breslow & Greenland (1986): P = (a+d)/n = 0.6 and Q = 0.4 in both strata
    var = (0.6 * sum_r / sum_r ** 2 + (0.6 * sum_s + 0.4 * sum_r) / (sum_r * sum_s) + 0.4 * sum_s / sum_s ** 2) / 2
    z = stats.norm.ppf(0.975)
    assert war["mh_log_odds_ci_low"] == pytest.approx(np.log(sum_r / sum_s) - z * np.sqrt(var), rel=1e-12)
    assert war["mh_odds_ratio_ci_high"] == pytest.approx(np.exp(np.log(sum_r / sum_s) + z * np.sqrt(var)), rel=1e-12)
    # both stories lean to A (27 > 7, 20 > 12): 2 of 2, sign test p = 0.5; s3 (A only) and the story-less doc out
    assert (war["strata_target"], war["strata_reference"], war["strata_tie"], war["n_strata"]) == (2, 0, 0, 2)
    assert war["sign_test_p"] == pytest.approx(stats.binomtest(2, 2).pvalue)
    assert (war["freq_target"], war["freq_reference"]) == (5, 3)
    assert k.attrs["strata_used"] == {"A vs B": ["s1", "s2"]}
    assert k.attrs["strata_dropped"] == {"A vs B": {"target_only": ["s3"], "reference_only": []}}
    assert k.attrs["n_strata"]["A vs B"] == {"used": 2, "target_only": 1, "reference_only": 0}
    assert k.attrs["docs_without_stratum"] == 1
    assert k.attrs["sizes"]["A vs B"] == {"target": 18, "reference": 22}


@pytest.mark.parametrize("correction", [False, True])
def test_against_statsmodels(news, correction):
    t, outlets = news
    k = dc.keyness(t, outlets[0], outlets[1], strata="story", keep="all", cmh_correction=correction)
    tables = _tables(t, outlets[0], outlets[1], "story")
    assert k.attrs["strata_used"][f"{outlets[0]} vs {outlets[1]}"] == [s for s, _, _ in tables]
    assert "solo" in k.attrs["strata_dropped"][f"{outlets[0]} vs {outlets[1]}"]["target_only"]
    at, ar = np.array([x for _, x, _ in tables]), np.array([x for _, _, x in tables])
    nt, nr = at.sum(axis=1), ar.sum(axis=1)
    rows = k.set_index("term")
    rng = np.random.default_rng(0)
    checked = 0
    for term in rng.choice(rows.index.to_numpy(), 300, replace=False):
        j = t.term_id(term)
        st = StratifiedTable(np.array([[at[:, j], nt - at[:, j]], [ar[:, j], nr - ar[:, j]]], dtype=float))
        row = rows.loc[term]
        with np.errstate(all="ignore"):
            odds, test = st.oddsratio_pooled, st.test_null_odds(correction=correction)
            low, high = st.oddsratio_pooled_confint()
        dev = abs((at[:, j] - nt * (at[:, j] + ar[:, j]) / (nt + nr)).sum())
        if correction and dev < 0.5:  # statsmodels squares |x| - 0.5 < 0; we floor it at 0
            assert row["cmh_statistic"] == 0
        else:
            assert row["cmh_statistic"] == pytest.approx(test.statistic, rel=1e-9)
            assert row["cmh_p_value"] == pytest.approx(test.pvalue, rel=1e-6, abs=1e-12)
        if np.isfinite(odds) and odds > 0:
            assert row["mh_odds_ratio"] == pytest.approx(odds, rel=1e-12)
            assert row["mh_odds_ratio_ci_low"] == pytest.approx(low, rel=1e-9)
            assert row["mh_odds_ratio_ci_high"] == pytest.approx(high, rel=1e-9)
            checked += 1
        else:  # a zero in every stratum's a d or b c: 0 or inf, and no interval
            assert row["mh_odds_ratio"] == odds or (np.isnan(odds) and np.isnan(row["mh_odds_ratio"]))
            assert np.isnan(row["mh_odds_ratio_ci_low"]) and np.isnan(row["mh_odds_ratio_ci_high"])
        lean = np.sign(at[:, j] * (nr - ar[:, j]) - (nt - at[:, j]) * ar[:, j])
        assert (row["strata_target"], row["strata_reference"]) == ((lean > 0).sum(), (lean < 0).sum())
        m = int((lean != 0).sum())
        assert row["sign_test_p"] == pytest.approx(stats.binomtest(int((lean > 0).sum()), m).pvalue if m else np.nan,
                                                   rel=1e-12, nan_ok=True)
    assert checked > 100


def test_wilcoxon_over_stories(news):
    t, outlets = news
    k = dc.keyness(t, outlets[0], outlets[2], strata="story", keep="all")
    tables = _tables(t, outlets[0], outlets[2], "story")
    at, ar = np.array([x for _, x, _ in tables], float), np.array([x for _, _, x in tables], float)
    nt, nr = at.sum(axis=1), ar.sum(axis=1)
    for _, row in k.iloc[::2].iterrows():  # every other term: ties and one-stratum terms included
        j = t.term_id(row["term"])
        a, c = at[:, j], ar[:, j]
        ratio = np.log2((np.where(a > 0, a, 0.5) / nt) / (np.where(c > 0, c, 0.5) / nr))[(a + c) > 0]
        res = stats.wilcoxon(ratio)
        assert row["wilcoxon_statistic"] == pytest.approx(res.statistic)
        assert row["wilcoxon_p"] == pytest.approx(res.pvalue, rel=1e-12)


def test_partitions_equal(news):
    t, outlets = news
    whole = dc.keyness(t, outlets[0], strata="story", keep="all")
    for n in (2, 5):
        split = dc.keyness(SplitTokens(t, n), outlets[0], strata="story", keep="all")
        pd.testing.assert_frame_equal(split, whole, rtol=1e-12)
        assert split.attrs["strata_used"] == whole.attrs["strata_used"]


def test_significant_list_and_correction(news):
    t, outlets = news
    full = dc.keyness(t, outlets[0], outlets[1], strata="story", keep="all", correction="holm")
    listed = dc.keyness(t, outlets[0], outlets[1], strata="story", correction="holm")
    assert listed["significant"].all() and len(listed) == int(full["significant"].sum()) > 0
    from discourse.stats.multiple import adjust_pvalues
    assert np.allclose(full["p_adjusted"], adjust_pvalues(full["cmh_p_value"].to_numpy(), "holm"), rtol=1e-12)
    assert full.attrs["n_tests"][f"{outlets[0]} vs {outlets[1]}"] == len(full)


def test_sample_one_story(sample):
    t = with_column(sample, story="the one story")
    k = dc.keyness(t, "RT", strata="story", keep="all")
    assert k.attrs["n_strata"] == {"RT vs rest": {"used": 1, "target_only": 0, "reference_only": 0}}
    # with one stratum, MH is the table's own odds ratio: a d / (b c)
    pooled = dc.keyness(sample, "RT", keep="all", zero="none").set_index("term")
    both = k.set_index("term").join(pooled[["odds_ratio"]], how="inner")
    finite = np.isfinite(both["mh_odds_ratio"]) & (both["mh_odds_ratio"] > 0)
    assert finite.sum() > 20
    assert np.allclose(both.loc[finite, "mh_odds_ratio"], both.loc[finite, "odds_ratio"], rtol=1e-12)
    assert (k["strata_target"] + k["strata_reference"] + k["strata_tie"] == 1).all()


def test_validation(news, two_stories):
    t, outlets = news
    with pytest.raises(KeyError, match="no metadata column 'stories'"):
        dc.keyness(t, outlets[0], strata="stories")
    with pytest.raises(ValueError, match="strata='outlet' is also by='outlet'"):
        dc.keyness(t, outlets[0], strata="outlet")
    with pytest.raises(ValueError, match="sort_by='odds_ratio' does not apply"):
        dc.keyness(t, outlets[0], strata="story", sort_by="odds_ratio")
    with pytest.raises(ValueError, match="external reference has no strata"):
        dc.keyness(t, outlets[0], pd.Series({"the": 10.0}), strata="story")
    with pytest.raises(ValueError, match="strata='story' puts no document in a group"):
        dc.keyness(with_column(t, story=None), outlets[0], strata="story")
    with pytest.raises(ValueError, match="no stratum of 'story' has tokens of both"):
        dc.keyness(with_column(t, story=t.metadata["outlet"]), outlets[0], outlets[1], strata="story")
    with pytest.raises(ValueError, match="group 'Nope' not found"):
        dc.keyness(two_stories, "A", "Nope", strata="story")


def test_methods_paragraph(two_stories):
    k = dc.keyness(two_stories, "A", "B", strata="story", keep="all", correction="holm")
    text, refs = dc.methods_paragraph([k])
    assert "2 values of 'story' covered by both sides were used; left out: 1 covered by the target only" in text
    assert "1 document without a 'story' value left out" in text
    assert "Mantel & Haenszel 1959" in text and "without continuity correction" in text and "Holm" in text
    assert any(r.startswith("Robins, J., Breslow, N., & Greenland, S. (1986)") for r in refs)


def test_zero_cells_and_empty_partitions(news):
    t, outlets = news
    k = dc.keyness(t, outlets[0], outlets[1], strata="story", keep="all")
    # absent from the reference in every used story: OR = inf, and no interval (never a made-up number)
    only_target = k[k["freq_reference"] == 0]
    assert len(only_target) > 10
    assert np.isinf(only_target["mh_odds_ratio"]).all()
    assert only_target[["mh_log_odds_ci_low", "mh_odds_ratio_ci_high", "mh_log_odds_se"]].isna().all().all()
    assert k.loc[k["freq_target"] == 0, "mh_odds_ratio"].eq(0).all()
    n = t.n_docs
    split = dc.keyness(SplitTokens(t, bounds=[0, 0, n // 2, n // 2, n]), outlets[0], outlets[1], strata="story",
                       keep="all")
    pd.testing.assert_frame_equal(split, k, rtol=1e-12)


def test_store(news, tmp_path):
    t, outlets = news
    sc = make_news_corpus(40_000, n_outlets=3, seed=5)
    corpus = dc.Corpus.from_records(sc.records)
    corpus.metadata["story"] = t.metadata["story"].to_numpy()
    store = dc.build_store(corpus, tmp_path / "c.store", partition_docs=15)
    assert store.n_partitions > 1
    pd.testing.assert_frame_equal(dc.keyness(store, outlets[0], strata="story", keep="all"),
                                  dc.keyness(t, outlets[0], strata="story", keep="all"), rtol=1e-12)
