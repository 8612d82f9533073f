"""Story alignment (issue 14): planted events recovered, the one-per-outlet rule, determinism, the sweep, the tables."""
from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pandas as pd
import pytest

import discourse as dc
from discourse.datasets.synthetic import make_event_corpus
from discourse.partitions import SplitTokens
from discourse.stories import align_stories, story_threshold_sweep, with_stories


def _pairs(groups) -> set[tuple[str, str]]:
    return {tuple(sorted(p)) for docs in groups for p in itertools.combinations(docs, 2)}


def _truth(meta: pd.DataFrame) -> set[tuple[str, str]]:
    return _pairs(g.index.tolist() for _, g in meta[meta["event"].notna()].groupby("event"))


@pytest.fixture(scope="module")
def events():
    corpus = make_event_corpus(400, n_outlets=5, coverage=0.5, n_filler=300, seed=3)
    return dc.tokenize(corpus)


@pytest.fixture(scope="module")
def aligned(events):
    return align_stories(events, pairs=True)


def test_generator_is_seeded_and_carries_the_truth():
    a, b = make_event_corpus(30, n_filler=10, seed=5), make_event_corpus(30, n_filler=10, seed=5)
    assert list(a.texts) == list(b.texts) and a.metadata.equals(b.metadata)
    assert list(make_event_corpus(30, n_filler=10, seed=6).texts) != list(a.texts)
    meta = a.metadata
    assert {"outlet", "date", "event", "copy_of"} <= set(meta.columns)
    assert meta["event"].isna().sum() == 10 and meta["event"].nunique() == 30
    # an outlet reports an event once, within date_jitter (2) days of the others
    assert not meta[meta["event"].notna()].duplicated(["event", "outlet"]).any()
    span = pd.to_datetime(meta["date"]).groupby(meta["event"]).agg(lambda d: (d.max() - d.min()).days)
    assert span.max() <= 2


def test_planted_events_pairwise_precision_and_recall(events, aligned):
    stories, _ = aligned
    predicted, true = _pairs(stories["documents"]), _truth(events.metadata)
    tp = len(predicted & true)
    precision, recall = tp / len(predicted), tp / len(true)
    assert precision >= 0.95 and recall >= 0.95, (precision, recall)


def test_one_document_per_outlet_per_story(events, aligned):
    stories, pairs = aligned
    assert (stories["n_docs"] == stories["n_outlets"]).all()
    assert all(len(set(o)) == len(o) for o in stories["outlets"])
    meta = events.metadata
    for docs, outlets in zip(stories["documents"], stories["outlets"]):
        assert meta.loc[docs, "outlet"].tolist() == outlets
    # lifting the rule can only merge stories further (same edges, fewer blocks)
    loose = align_stories(events, one_per_group=False)
    assert loose.attrs["pairs_blocked"] == 0
    assert loose.attrs["documents_in_stories"] >= stories.attrs["documents_in_stories"]


def test_blocked_edge_keeps_outlets_apart():
    """Two articles of one outlet that both match a third: only the closer joins it."""
    base = "Kallas Estonia NATO summit talks 2021 Tallinn Baltic security minister alliance"
    texts = [base + " plan", base + " plan agreed", base + " fears"]
    corpus = dc.Corpus(texts=texts, metadata=pd.DataFrame(
        {"outlet": ["RT", "TFI", "TFI"], "date": ["2021-12-10"] * 3}, index=["r", "t1", "t2"]))
    tokens = dc.tokenize(corpus)
    stories, pairs = align_stories(tokens, pairs=True, threshold=0.1)
    assert stories["documents"].tolist() == [["r", "t1"]]
    # r-t2 is blocked (r's story holds TFI's t1); t1-t2, one outlet, is never a candidate
    assert pairs[["doc_a", "doc_b", "role"]].values.tolist() == [["r", "t1", "joined"], ["r", "t2", "blocked"]]
    assert stories.attrs["pairs_blocked"] == 1 and stories.attrs["candidate_pairs"] == 2
    assert stories.attrs["singletons"] == 1
    loose = align_stories(tokens, threshold=0.1, one_per_group=False)
    assert loose["n_docs"].tolist() == [3]


def test_tables_have_their_columns_and_counts(events, aligned):
    stories, pairs = aligned
    assert list(stories.columns) == ["story", "n_docs", "n_outlets", "outlets", "documents", "mean_similarity",
                                     "min_similarity", "shared_terms", "first_date", "last_date",
                                     "date_span_days", "near_duplicates"]
    assert list(pairs.columns) == ["doc_a", "doc_b", "outlet_a", "outlet_b", "similarity", "date_gap_days",
                                   "shared_terms", "shingle_jaccard", "near_duplicate", "role", "story"]
    assert stories["story"].tolist() == [f"S{k:04d}" for k in range(1, len(stories) + 1)]
    assert stories["first_date"].is_monotonic_increasing
    assert (stories["min_similarity"] <= stories["mean_similarity"] + 1e-12).all()
    assert (stories["date_span_days"] <= 3).all()   # within the window (jitter 2)
    assert all(1 <= len(t) <= 5 for t in stories["shared_terms"])
    a = stories.attrs
    assert a["documents"] == events.n_docs == a["documents_in_stories"] + a["singletons"]
    assert a["documents_in_stories"] == stories["n_docs"].sum()
    assert a["pairs_above_threshold"] == len(pairs) and (pairs["similarity"] >= a["threshold"]).all()
    assert a["pairs_joined"] == (pairs["role"] == "joined").sum() == (stories["n_docs"] - 1).sum()
    assert a["candidate_pairs"] >= a["pairs_above_threshold"]
    for key in ("by", "date", "window_days", "threshold", "weighting", "entity_weight", "number_weight",
                "one_per_group", "top_terms", "undated"):
        assert key in a
    assert pairs["similarity"].round(12).is_monotonic_decreasing   # ties compared to 12 decimals
    assert (pairs["date_gap_days"] <= 3).all() and (pairs["outlet_a"] != pairs["outlet_b"]).all()


def test_candidate_count_by_hand(events):
    """Candidate pairs = documents of different outlets within 3 days, counted over all pairs."""
    meta = events.metadata
    day = pd.to_datetime(meta["date"]).to_numpy().astype("datetime64[D]").astype(int)
    out = meta["outlet"].to_numpy()
    gap = np.abs(day[:, None] - day[None, :])
    diff = out[:, None] != out[None, :]
    expected = int(np.triu((gap <= 3) & diff, 1).sum())
    assert align_stories(events).attrs["candidate_pairs"] == expected


def test_cosine_by_hand(events, aligned):
    """The pair similarity is the cosine of sublinear smoothed TF-IDF rows times the column weights
    (Manning, Raghavan & Schuetze 2008, eq. 6.14 and 6.10; sklearn's TfidfTransformer(sublinear_tf=True)),
    recomputed densely for the two documents with scipy's cosine distance."""
    from scipy.spatial.distance import cosine

    from discourse.story_similarity import term_weights

    _, pairs = aligned
    weight, _, _ = term_weights(events, 2.0, 2.0)
    n = events.n_docs
    df = (events.dtm > 0).sum(axis=0).A1
    idf = np.log((1 + n) / (1 + df)) + 1
    pos = {d: i for i, d in enumerate(events.doc_ids)}

    def vec(d):
        tf = events.dtm[pos[d]].toarray().ravel().astype(float)
        return np.where(tf > 0, 1 + np.log(np.where(tf > 0, tf, 1)), 0) * idf * weight

    top = pd.concat([pairs.head(10), pairs.tail(10)])
    sims = [1 - cosine(vec(a), vec(b)) for a, b in zip(top["doc_a"], top["doc_b"])]
    np.testing.assert_allclose(top["similarity"], sims, rtol=1e-9)


def test_deterministic_and_independent_of_input_order(events, aligned):
    stories, pairs = aligned
    again, pairs2 = align_stories(events, pairs=True)
    pd.testing.assert_frame_equal(stories, again)
    pd.testing.assert_frame_equal(pairs, pairs2)
    order = np.random.default_rng(0).permutation(events.n_docs)
    corpus = dc.Corpus(texts=[events.texts[i] for i in order], metadata=events.metadata.iloc[order])
    shuffled = align_stories(dc.tokenize(corpus))
    assert {frozenset(d) for d in shuffled["documents"]} == {frozenset(d) for d in stories["documents"]}


def test_sweep_agrees_with_align_stories_at_each_threshold(events):
    ths = [0.15, 0.3, 0.5, 0.7]
    sweep = story_threshold_sweep(events, ths)
    assert sweep["threshold"].tolist() == ths
    assert sweep["documents_aligned"].is_monotonic_decreasing
    assert sweep["pairs_above_threshold"].is_monotonic_decreasing
    for row in sweep.itertuples():
        st = align_stories(events, threshold=row.threshold)
        assert (row.stories, row.documents_aligned, row.pairs_above_threshold, row.pairs_blocked) == \
            (len(st), st.attrs["documents_in_stories"], st.attrs["pairs_above_threshold"], st.attrs["pairs_blocked"])
        assert row.mean_story_size == pytest.approx(st["n_docs"].mean())


def test_near_duplicates_are_marked_with_the_shingles(events, aligned):
    stories, pairs = aligned
    meta = events.metadata
    copies = meta[meta["copy_of"].notna()]
    assert len(copies)
    marked = {tuple(sorted(p)) for p in pairs.loc[pairs["near_duplicate"], ["doc_a", "doc_b"]].to_numpy()}
    for doc, source in copies["copy_of"].items():
        assert tuple(sorted((doc, source))) in marked
    assert stories["near_duplicates"].sum() >= len(copies)


def test_with_stories_adds_a_column_usable_as_by(events, aligned):
    stories, _ = aligned
    tokens = with_stories(events, stories)
    assert tokens.metadata["story"].notna().sum() == stories["n_docs"].sum()
    assert "story" not in events.metadata.columns   # the original is untouched
    assert tokens.params["stories"]["threshold"] == stories.attrs["threshold"]
    with pytest.warns(UserWarning, match="have no 'story' value"):   # the singletons are in no story
        freq = dc.frequencies(tokens, by="story")
    assert set(freq["group"]) == set(stories["story"])


def test_the_sample_is_one_story_of_two_outlets():
    tokens = dc.load_sample()
    stories, pairs = align_stories(tokens, pairs=True)
    assert stories["outlets"].tolist() == [["RT", "TFI Post"]]
    assert stories.attrs["undated_documents"] == 1   # TFI Post has no date: compared with every document
    assert {"nato", "biden", "russia"} <= set(stories["shared_terms"][0])
    assert pairs["date_gap_days"].isna().all() and not pairs["near_duplicate"].any()
    with pytest.raises(ValueError, match="no parsable 'date'"):
        align_stories(tokens, undated="error")
    assert len(align_stories(tokens, undated="drop")) == 0


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(threshold=1.5), ValueError, "threshold must lie strictly between 0 and 1"),
    (dict(weighting="lsa"), ValueError, r"weighting must be one of \['tfidf', 'bm25'\]"),
    (dict(window_days=-1), ValueError, "window_days must be a non-negative integer"),
    (dict(entity_weight=-2), ValueError, "entity_weight must be a non-negative number"),
    (dict(undated="skip"), ValueError, "undated must be one of"),
    (dict(date="published"), KeyError, "no metadata column 'published'"),
    (dict(by="section"), KeyError, "no metadata column 'section'"),
])
def test_arguments_are_checked(events, kwargs, error, match):
    with pytest.raises(error, match=match):
        align_stories(events, **kwargs)


def test_a_partitioned_corpus_is_a_clear_error(events):
    with pytest.raises(ValueError, match="needs the tokens in memory"):
        align_stories(SplitTokens(events, 3))


def test_sweep_plot_takes_the_sweep(events):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from discourse.plots import plot_story_sweep

    sweep = story_threshold_sweep(events, [0.2, 0.3, 0.5])
    ax = plot_story_sweep(sweep, threshold=0.3)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["documents aligned", "stories", "threshold 0.3"]
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), sweep["documents_aligned"])
    plt.close(ax.figure)
    with pytest.raises(ValueError, match="story_threshold_sweep"):
        plot_story_sweep(align_stories(events))


def test_methods_paragraph_describes_the_alignment(aligned):
    stories, _ = aligned
    text, refs = dc.methods_paragraph([stories])
    a = stories.attrs
    assert "at most 3 days apart" in text and "cosine of at least 0.3" in text
    assert f"{a['documents_in_stories']:,} fell into {a['stories']:,} stories" in text
    assert any("Wagstaff" in r for r in refs) and any("Salton" in r for r in refs)


def test_without_a_date_column_every_document_is_undated():
    """``date=None`` (a corpus without dates): every pair of outlets' documents is compared, as undated ones are."""
    tokens = dc.load_sample()
    no_dates = dataclasses.replace(tokens, metadata=tokens.metadata.drop(columns=["date"]))
    with pytest.raises(KeyError, match="date"):
        dc.align_stories(no_dates)
    stories = dc.align_stories(no_dates, date=None)
    assert stories.attrs["undated_documents"] == 2 and stories.attrs["date"] is None
    assert stories["outlets"].tolist() == dc.align_stories(tokens)["outlets"].tolist()
    with pytest.raises(ValueError, match=r"have no date \(date=None\)"):
        dc.align_stories(no_dates, date=None, undated="error")
