"""Within one story: outlet-only terms and collocates, aligned concordances, and the agenda/framing decomposition.

The ``story`` column is put into the metadata here (story alignment is another
module): the sample corpus is one story of two outlets (RT, TFI Post); a
hand-built corpus has two shared stories, one covered by one outlet only, and a
document in no story.
"""
import copy

import numpy as np
import pandas as pd
import pytest

import discourse as dc
from discourse.datasets import make_news_corpus
from discourse.partitions import SplitTokens

pytestmark = pytest.mark.filterwarnings("ignore:by='story'.*no 'story' value:UserWarning")

RUSSIA = ["russia", "russian", "russia's"]


def with_column(tokens, **columns):
    out = copy.copy(tokens)
    out.metadata = tokens.metadata.assign(**columns)
    return out


@pytest.fixture(scope="module")
def story(sample):
    return with_column(sample, story="nato-summit")


@pytest.fixture(scope="module")
def hand():
    rows = [("A", "s1", 3, 7), ("B", "s1", 1, 9), ("A", "s2", 2, 6), ("B", "s2", 2, 10), ("A", "s3", 5, 1),
            ("B", None, 4, 0)]
    return dc.tokenize(dc.Corpus.from_records([{"outlet": o, "story": s, "text": " ".join(["war"] * w + ["fill"] * f)}
                                               for o, s, w, f in rows]))


def test_terms_only_one_outlet_used(story, sample):
    c = dc.story_contrast(story, node=["russia", "russian"])
    terms = c[c["kind"] == "term"]
    # the independent route: each outlet's set of counted terms in its documents
    used = {o: set(sum((sample.doc_tokens(i) for i in np.flatnonzero(sample.metadata["outlet"] == o)), []))
            for o in ("RT", "TFI Post")}
    stop = dc.english_stopwords()
    for mine, other in (("RT", "TFI Post"), ("TFI Post", "RT")):
        expected = {w for w in used[mine] - used[other] if w not in stop}
        assert set(terms.loc[terms["group"] == mine, "term"]) == expected
    row = terms.set_index(["group", "term"]).loc[("RT", "concerns")]  # RT's only; both use "aggression"
    i = int(np.flatnonzero(sample.metadata["outlet"] == "RT")[0])
    assert row["freq"] == sample.doc_tokens(i).count("concerns") == 1
    assert row["documents"] == [sample.doc_ids[i]]
    assert "aggression" not in set(terms["term"])
    coll = c[c["kind"] == "collocate"].set_index(["group", "term"])
    # the sample's wording: RT "Russia's concerns", TFI Post "Russian aggression" (see test_aligned_lines)
    assert ("RT", "concerns") in coll.index and ("TFI Post", "aggression") in coll.index
    assert ("TFI Post", "concerns") not in coll.index and ("RT", "aggression") not in coll.index
    assert not set(coll.xs("RT").index) & set(coll.xs("TFI Post").index)
    assert c.attrs["story_tokens"] == {o: int(sample.doc_lengths[sample.metadata["outlet"] == o].sum())
                                       for o in ("RT", "TFI Post")}


def test_whole_corpus_as_story_and_partitions(story, sample):
    one = dc.story_contrast(story, node=["russia"])
    pd.testing.assert_frame_equal(dc.story_contrast(sample, strata=None, node=["russia"]), one)
    split = dc.story_contrast(SplitTokens(story, 2), node=["russia"])
    pd.testing.assert_frame_equal(split, one)


def test_aligned_lines(story):
    long = dc.aligned_kwic(story, RUSSIA, window=3)
    kw = dc.kwic(story, RUSSIA, 3, by="outlet")
    assert len(long) == len(kw) and list(long["doc_id"]) == list(kw["doc_id"])
    assert (long["group"] == kw["group"]).all() and list(long["right"]) == list(kw["right"])
    wide = dc.aligned_kwic(story, RUSSIA, window=3, layout="wide")
    assert list(wide.columns.get_level_values(0).unique()) == ["RT", "TFI Post"]
    assert len(wide) == kw["group"].value_counts().max()
    rt = long[long["group"] == "RT"]
    assert list(wide[("RT", "node")].iloc[:len(rt)]) == list(rt["node"])
    assert (wide[("RT", "node")].iloc[len(rt):] == "").all()
    # the wording the issue names, read from the data: RT's "Russia's concerns", TFI Post's "Russian aggression"
    said = {(g, f"{n} {r.split()[0]}") for g, n, r in zip(long["group"], long["node"], long["right"])}
    assert ("RT", "Russia\u2019s concerns") in said and ("TFI Post", "Russian aggression") in said


def test_story_validation(story, hand):
    with pytest.raises(ValueError, match="is not a value of 'story'"):
        dc.story_contrast(story, "other")
    with pytest.raises(ValueError, match="name the story"):
        dc.aligned_kwic(hand, "war")
    with pytest.raises(ValueError, match="covered by 1 value"):
        dc.story_contrast(hand, "s3")
    with pytest.raises(KeyError, match="no metadata column 'event'"):
        dc.story_contrast(story, strata="event")
    with pytest.raises(ValueError, match="needs strata="):
        dc.story_contrast(story, "nato-summit", strata=None)
    with pytest.raises(ValueError, match="layout must be one of"):
        dc.aligned_kwic(story, "russia", layout="side")


def test_agenda_framing_by_hand(hand):
    out = dc.agenda_framing(hand, ["war", "fill"], "A", "B", per=1).set_index("term")
    war = out.loc["war"]
    # A: s1 3/10, s2 2/8, s3 5/6 (A only) -> 10/24 tokens; B: s1 1/10, s2 2/12, no story 4/4 -> 7/26
    w_a, r_a = np.array([10, 8]) / 24, np.array([3 / 10, 2 / 8])
    w_b, r_b = np.array([10, 12]) / 26, np.array([1 / 10, 2 / 12])
    # Kitagawa (1955): composition at the mean rate, rate at the mean weight (symmetric weights)
    agenda = ((w_a - w_b) * (r_a + r_b) / 2).sum()
    framing = ((r_a - r_b) * (w_a + w_b) / 2).sum()
    non_shared = 6 / 24 * 5 / 6 - 4 / 26 * 1.0
    assert war["difference"] == pytest.approx(10 / 24 - 7 / 26, rel=1e-12)
    assert (war["agenda"], war["framing"], war["non_shared"]) == pytest.approx((agenda, framing, non_shared), rel=1e-12)
    assert agenda + framing + non_shared == pytest.approx(10 / 24 - 7 / 26, rel=1e-12)
    assert (war["n_shared"], war["n_target_only"], war["n_reference_only"]) == (2, 1, 0)
    assert war["shared_share_target"] == pytest.approx(18 / 24) and war["shared_share_reference"] == pytest.approx(22 / 26)
    assert out.attrs["stories_target_only"] == ["s3"] and out.attrs["tokens_without_story"] == {"target": 0,
                                                                                              "reference": 4}


def test_agenda_framing_adds_up():
    sc = make_news_corpus(30_000, n_outlets=3, seed=7)
    t = dc.tokenize(dc.clean(dc.Corpus.from_records(sc.records)))
    stories = np.array([f"e{i % 6}" for i in range(t.n_docs)], dtype=object)
    stories[(t.metadata["outlet"] == t.metadata["outlet"].iloc[0]).to_numpy() & (np.arange(t.n_docs) % 6 == 1)] = "solo"
    stories[::11] = None
    t = with_column(t, story=stories)
    target = sorted(t.metadata["outlet"].unique())[0]
    terms = list(t.vocab[:200])
    out = dc.agenda_framing(t, terms, target)
    parts = out["agenda"] + out["framing"] + out["non_shared"]
    assert np.allclose(parts, out["difference"], rtol=1e-10, atol=1e-9)
    assert (out["difference"].abs() > 0).sum() > 100
    mine = (t.metadata["outlet"] == target).to_numpy()  # the pooled rates, from the document-term matrix
    ids = [t.term_id(w) for w in terms]
    rate = np.asarray(t.dtm[mine][:, ids].sum(axis=0)).ravel() / t.doc_lengths[mine].sum() * 1e4
    assert np.allclose(out["rate_target"], rate, rtol=1e-12)
    rest = np.asarray(t.dtm[~mine][:, ids].sum(axis=0)).ravel() / t.doc_lengths[~mine].sum() * 1e4
    assert np.allclose(out["rate_reference"], rest, rtol=1e-12)
    split = dc.agenda_framing(SplitTokens(t, 5), terms, target)
    pd.testing.assert_frame_equal(split, out, rtol=1e-12)
