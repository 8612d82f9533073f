"""Topic models by outlet: term tables, document proportions, prevalence with uncertainty, plots."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from scipy import stats  # noqa: E402

import discourse as dc  # noqa: E402
from discourse.plots.topics import plot_k_sweep, plot_prevalence, plot_topic_terms  # noqa: E402
from discourse.datasets import make_news_corpus  # noqa: E402
from discourse.grouping import group_labels  # noqa: E402
from discourse.topics import (TopicModelWarning, document_topics, estimate_effect, fit_lda,  # noqa: E402
                              prevalence_difference, representative_documents, topic_prevalence, topic_terms)


@pytest.fixture(scope="module")
def synthetic():
    sc = make_news_corpus(200_000, n_topics=5, seed=2)
    tokens = dc.tokenize(dc.clean(dc.Corpus.from_records(sc.records)))
    return sc, tokens, fit_lda(tokens, 5, seed=0)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_relevance_formula_and_ordering(synthetic):
    _, _, m = synthetic
    phi = m.topic_word
    counts = np.asarray(m.corpus.bow.sum(axis=0)).ravel()
    p_w = counts / counts.sum()
    terms = topic_terms(m, 8, lambda_=0.3)
    row = terms.iloc[0]
    j = m.corpus.vocab.get_loc(row["term"])
    k = row["topic"] - 1
    # Sievert & Shirley (2014), eq. 1
    assert row["relevance"] == pytest.approx(0.3 * np.log(phi[k, j]) + 0.7 * np.log(phi[k, j] / p_w[j]))
    assert row["lift"] == pytest.approx(phi[k, j] / p_w[j])
    assert row["term_freq"] == counts[j]
    for _, g in terms.groupby("topic"):
        assert list(g["rank"]) == list(range(1, 9)) and g["relevance"].is_monotonic_decreasing
    # lambda = 1 ranks by probability
    by_prob = topic_terms(m, 5, lambda_=1.0)
    for k in range(m.k):
        expected = m.corpus.vocab.to_numpy()[np.argsort(-phi[k])[:5]]
        assert list(by_prob.loc[by_prob["topic"] == k + 1, "term"]) == list(expected)
    assert terms.attrs["lambda"] == 0.3 and terms.attrs["seed"] == 0
    with pytest.raises(ValueError, match="lambda_"):
        topic_terms(m, lambda_=1.5)


def test_document_topics_tidy_and_wide_agree(synthetic):
    _, tokens, m = synthetic
    tidy = document_topics(m)
    wide = document_topics(m, wide=True)
    assert len(tidy) == tokens.n_docs * m.k
    assert np.allclose(tidy.groupby("doc_id")["share"].sum(), 1)
    pivot = tidy.pivot(index="doc_id", columns="label", values="share")[m.labels]
    np.testing.assert_allclose(pivot.to_numpy(), wide.set_index("doc_id").loc[pivot.index, m.labels].to_numpy())
    assert "outlet" in tidy.columns


def test_planted_document_topics_are_recovered(synthetic):
    sc, _, m = synthetic
    from scipy.optimize import linear_sum_assignment

    theta = m.doc_topics
    corr = np.corrcoef(theta.T, sc.doc_topic.T)[: m.k, m.k:]
    r, c = linear_sum_assignment(corr, maximize=True)
    assert corr[r, c].mean() > 0.9


def test_representative_documents_have_the_highest_shares(synthetic):
    _, tokens, m = synthetic
    rep = representative_documents(m, 3, snippet=80)
    theta = m.doc_topics
    for k in range(m.k):
        got = rep.loc[rep["topic"] == k + 1, "share"].to_numpy()
        np.testing.assert_allclose(got, np.sort(theta[:, k])[::-1][:3])
    assert (rep["text"].str.len() <= 82).all() and {"outlet", "title"} <= set(rep.columns)
    units = representative_documents(m, 1, level="unit")
    assert len(units) == m.k


def test_prevalence_means_and_intervals_match_scipy_bootstrap(synthetic):
    _, _, m = synthetic
    prev = topic_prevalence(m, "outlet", n_boot=2000, seed=1)
    tidy = document_topics(m)
    means = tidy.groupby(["outlet", "topic"])["share"].mean()
    for _, row in prev.iterrows():
        assert row["share"] == pytest.approx(means[row["group"], row["topic"]])
        assert row["ci_low"] <= row["share"] <= row["ci_high"]
    # independent route: scipy's percentile bootstrap of the mean (its own resamples, so a tolerance)
    row = prev.iloc[2]
    x = tidy.loc[(tidy["outlet"] == row["group"]) & (tidy["topic"] == row["topic"]), "share"].to_numpy()
    ref = stats.bootstrap((x,), np.mean, n_resamples=4000, method="percentile", random_state=0).confidence_interval
    assert row["ci_low"] == pytest.approx(ref.low, abs=0.01)
    assert row["ci_high"] == pytest.approx(ref.high, abs=0.01)
    assert prev.attrs["by"] == "outlet" and prev.attrs["bootstrap_seed"] == 1
    # reproducible
    pd.testing.assert_frame_equal(prev, topic_prevalence(m, "outlet", n_boot=2000, seed=1))


def test_prevalence_difference_finds_planted_outlet_emphasis(synthetic):
    sc, _, m = synthetic
    diff = prevalence_difference(m, "Outlet A", "Outlet B", n_boot=1000)
    assert np.allclose(diff["difference"], diff["share_a"] - diff["share_b"])
    assert (diff["ci_low"] <= diff["difference"]).all() and (diff["difference"] <= diff["ci_high"]).all()
    assert ((diff["p_value"] > 0) & (diff["p_value"] <= 1)).all()
    # against the truth: the difference of the planted document proportions' means, topic by topic
    from discourse.topics import topic_recovery

    rec = topic_recovery(m, sc.topic_word, sc.vocab)
    outlet = np.array([r["outlet"] for r in sc.records])
    truth = sc.doc_topic[outlet == "Outlet A"].mean(0) - sc.doc_topic[outlet == "Outlet B"].mean(0)
    got = diff.set_index("topic").loc[rec["topic"]]
    np.testing.assert_allclose(got["difference"], truth[rec["known_topic"] - 1], atol=0.03)
    covered = (got["ci_low"].to_numpy() <= truth[rec["known_topic"] - 1]) & (
        truth[rec["known_topic"] - 1] <= got["ci_high"].to_numpy())
    assert covered.sum() >= 4
    with pytest.raises(ValueError, match="b group 'Nobody' not found in column 'outlet'"):
        prevalence_difference(m, "Outlet A", "Nobody")


def test_estimate_effect_equals_group_mean_differences(synthetic):
    _, _, m = synthetic
    eff = estimate_effect(m, "~ outlet", n_sims=30, seed=0)
    prev = topic_prevalence(m, "outlet", n_boot=200)
    share = prev.set_index(["group", "topic"])["share"]
    for k in (1, 3):
        e = eff[eff["topic"] == k].set_index("term")["estimate"]
        # with one factor, OLS on treatment dummies gives the reference mean and the differences of means
        assert e["(Intercept)"] == pytest.approx(share["Outlet A", k], abs=0.01)
        assert e["outlet[T.Outlet B]"] == pytest.approx(share["Outlet B", k] - share["Outlet A", k], abs=0.01)
    assert (eff["std_error"] > 0).all() and eff["p_value"].between(0, 1).all()
    ref = estimate_effect(m, "outlet", reference={"outlet": "Outlet C"}, topics=[2], n_sims=5)
    assert set(ref["term"]) == {"(Intercept)", "outlet[T.Outlet A]", "outlet[T.Outlet B]"}
    with pytest.raises(ValueError, match="reference level"):
        estimate_effect(m, "outlet", reference={"outlet": "X"})


def test_group_by_month_and_small_group_warning(synthetic):
    _, tokens, m = synthetic
    months = group_labels(tokens.metadata, "month")
    assert months.str.match(r"2021-\d\d").all()
    prev = topic_prevalence(m, "month", n_boot=200)
    assert prev["group"].nunique() == months.nunique()
    with pytest.raises(KeyError, match="no metadata column"):
        topic_prevalence(m, "colour")
    sample = dc.load_sample()
    with pytest.warns(TopicModelWarning):
        small = fit_lda(sample, 2, units="paragraph", min_df=2)
    with pytest.warns(TopicModelWarning, match="one document each"):  # no interval at all (NaN)
        topic_prevalence(small, "outlet", n_boot=200)
    meta = m.corpus.metadata
    m.corpus.metadata = meta.assign(desk=np.where(np.arange(len(meta)) < 3, "three", "many"))
    try:
        with pytest.warns(TopicModelWarning, match=r"fewer than 10 documents \(\{'three': 3\}\)"):
            few = topic_prevalence(m, "desk", n_boot=200)
        assert few[["ci_low", "ci_high"]].notna().all().all()  # unreliable, but an interval
    finally:
        m.corpus.metadata = meta


def test_plots_return_axes_and_escape_labels(synthetic):
    _, _, m = synthetic
    prev = topic_prevalence(m, "outlet", n_boot=200)
    prev["label"] = prev["label"].str.replace("T1 ", "T1 $x$ ", regex=False)
    ax = plot_prevalence(prev)
    assert isinstance(ax, plt.Axes)
    assert any("\\$x\\$" in t.get_text() for t in ax.get_yticklabels())
    assert len(ax.get_yticklabels()) == m.k
    axes = plot_topic_terms(topic_terms(m, 6), col_wrap=3)
    assert len(axes) == m.k and all(isinstance(a, plt.Axes) for a in axes)
    sweep = pd.DataFrame({"k": [3, 3, 5, 5], "seed": [0, 1, 0, 1], "c_npmi": [0.1, 0.12, 0.2, 0.21],
                          "perplexity": [300, 310, 250, 255], "stability": [0.6, 0.6, 0.99, 0.99]})
    axes = plot_k_sweep(sweep)
    assert len(axes) == 3 and axes[0].get_xlabel() == "number of topics K"
    with pytest.raises(ValueError, match="topic_prevalence"):
        plot_prevalence(sweep)


def test_estimate_effect_keeps_its_simulation_seed_apart_from_the_model_seed():
    import warnings

    import discourse as dc
    from discourse.datasets import make_news_corpus
    from discourse.topics import estimate_effect, fit_lda

    sc = make_news_corpus(40_000, seed=1)
    tokens = dc.tokenize(dc.clean(dc.Corpus.from_records(sc.records)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = fit_lda(tokens, k=4, seed=0, min_df=2)
        effects = estimate_effect(model, ["outlet"], seed=5)
    assert effects.attrs["simulation_seed"] == 5 and effects.attrs["seed"] == 0  # model seed unchanged
    paragraph = dc.methods_paragraph([effects])
    assert "simulations (seed 5)" in str(paragraph)


# -- what cannot be estimated is NaN, with a note ------------------------------
@pytest.fixture(scope="module")
def one_per_outlet():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fit_lda(dc.load_sample(), 4, seed=0, units="paragraph", min_df=2)


def test_one_document_per_outlet_has_no_interval_and_no_p_value(one_per_outlet):
    m = one_per_outlet
    with pytest.warns(TopicModelWarning, match="no interval for RT, TFI Post: one document each"):
        prev = topic_prevalence(m, "outlet", n_boot=200)
    assert prev[["ci_low", "ci_high"]].isna().all().all() and prev["share"].notna().all()
    assert prev.attrs["no_interval"] == ["RT", "TFI Post"] and prev.attrs["n_docs"] == {"RT": 1, "TFI Post": 1}
    # before: every topic got p = 2 / (n_boot + 1), the smallest possible (0.0009995 with 2000 replicates)
    with pytest.warns(TopicModelWarning, match="RT and TFI Post have one document each"):
        diff = prevalence_difference(m, "RT", "TFI Post", n_boot=2000)
    assert diff[["ci_low", "ci_high", "p_value", "p_adjusted"]].isna().all().all()
    assert not diff["significant"].any() and diff.attrs["n_tests"] == 0
    np.testing.assert_allclose(diff["difference"], diff["share_a"] - diff["share_b"])  # still described
    with pytest.warns(TopicModelWarning, match="no residual degree of freedom"):
        eff = estimate_effect(m, "outlet", n_sims=10)
    assert eff[["std_error", "t", "p_value", "p_adjusted", "ci_low", "ci_high"]].isna().all().all()
    share = document_topics(m).pivot(index="outlet", columns="topic", values="share")
    slope = eff[eff["term"] == "outlet[T.TFI Post]"].set_index("topic")["estimate"]
    # the estimate is the difference of the two documents' shares, up to the posterior draws
    np.testing.assert_allclose(slope.to_numpy(), (share.loc["TFI Post"] - share.loc["RT"]).to_numpy(), atol=0.05)
    assert eff.attrs["residual_df"] == 0 and set(eff.attrs["no_inference"]) == set(eff["term"])


def test_many_documents_keep_their_intervals_and_adjusted_p_values(synthetic):
    _, _, m = synthetic
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", TopicModelWarning)  # nothing to warn about with many documents
        prev = topic_prevalence(m, "outlet", n_boot=200)
        diff = prevalence_difference(m, "Outlet A", "Outlet B", n_boot=500)
        eff = estimate_effect(m, "outlet", n_sims=10)
    assert prev[["ci_low", "ci_high"]].notna().all().all() and prev.attrs["notes"] == []
    assert diff["p_value"].notna().all() and diff.attrs["n_tests"] == m.k and diff.attrs["notes"] == []
    assert diff["p_adjusted"].to_numpy() == pytest.approx(1 - (1 - diff["p_value"].to_numpy()) ** m.k)  # Šidák
    assert (diff["significant"] == (diff["p_adjusted"] < 0.05)).all()
    assert eff["std_error"].notna().all() and eff.attrs["no_inference"] == []
    for _, part in eff.groupby("term"):  # each term over the K topics
        assert part["p_adjusted"].to_numpy() == pytest.approx(1 - (1 - part["p_value"].to_numpy()) ** m.k)


def test_a_level_with_one_document_has_no_standard_error(synthetic):
    _, tokens, m = synthetic
    meta = m.corpus.metadata.copy()
    lone = meta.index[0]
    meta["desk"] = np.where(np.arange(len(meta)) % 2 == 0, "home", "world")
    meta.loc[lone, "desk"] = "lone"  # one document
    m.corpus.metadata = meta
    try:
        with pytest.warns(TopicModelWarning, match=r"desk\[T.lone\]: one document each"):
            eff = estimate_effect(m, "desk", n_sims=10)
        lone_rows = eff["term"] == "desk[T.lone]"
        assert eff.loc[lone_rows, ["std_error", "p_value", "ci_low"]].isna().all().all()
        assert eff.loc[~lone_rows, ["std_error", "p_value", "ci_low"]].notna().all().all()
        with pytest.warns(TopicModelWarning, match="reference level has one document"):
            ref = estimate_effect(m, "desk", reference={"desk": "lone"}, n_sims=10)
        assert ref[["std_error", "p_value"]].isna().all().all()
    finally:
        m.corpus.metadata = tokens.metadata


def test_prevalence_plot_does_not_claim_an_interval_it_does_not_have():
    # one document per outlet: topic_prevalence gives NaN intervals, and the axis label must not call them bootstrap
    frame = pd.DataFrame({"group": ["RT", "TFI Post"] * 2, "topic": [1, 1, 2, 2], "label": ["a b", "a b", "c d", "c d"],
                          "share": [0.6, 0.4, 0.4, 0.6], "ci_low": np.nan, "ci_high": np.nan, "n_docs": 1})
    frame.attrs = {"analysis": "topic prevalence", "by": "outlet", "ci": 0.95}
    ax = plot_prevalence(frame)
    assert ax.get_xlabel() == "mean topic share (no interval where a group has one document)"
    both = frame.assign(ci_low=frame["share"] - 0.1, ci_high=frame["share"] + 0.1)
    both.attrs = frame.attrs
    assert plot_prevalence(both).get_xlabel() == "mean topic share (95% bootstrap interval)"
    plt.close("all")
