"""The data side of the collocate and topic explorers (discourse.explore.collocate_data, topic_data).

Independent routes: the co-occurrence lines are checked against the node's hits found by
:func:`discourse.query.find` and a by-hand scan of the token ids in each window (Evert 2008's
surface co-occurrence), and against :func:`discourse.kwic.kwic`'s own lines; relevance against
its formula (Sievert & Shirley 2014) worked by hand and against :func:`discourse.topics.topic_terms`
at several λ; prevalence against :func:`discourse.topics.topic_prevalence`; passages against the
document-topic table.
"""
from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from discourse.collocates import collocates, compare_collocates
from discourse.explore.collocate_data import collocate_data, network_layout
from discourse.explore.topic_data import relevance, relevance_candidates, topic_data, topic_passages
from discourse.kwic import kwic
from discourse.query import find
from discourse.topics import TopicModelWarning, document_topics, fit_lda, topic_prevalence, topic_terms

RUSSIA = ["Russia", "Russian", "Moscow", "Kremlin", "Putin"]


def _node(synth):
    return synth.vocab[synth.ids[100]]


def _lines_by_hand(tokens, node, collocate, left, right):
    """Per document index, the node hits with ``collocate`` in [start - left, end - 1 + right] (same document)."""
    hits = find(tokens, node)
    cid = tokens.term_id(collocate)
    out = {}
    for s, n, d in zip(hits.start.tolist(), hits.length.tolist(), hits.doc.tolist()):
        lo = max(s - left, tokens.doc_ptr[d])
        hi = min(s + n - 1 + right, tokens.doc_ptr[d + 1] - 1)
        window = [j for j in range(lo, hi + 1) if not s <= j < s + n]
        if any(tokens.ids[j] == cid for j in window):
            out.setdefault(d, []).append(s)
    return out


@pytest.fixture(scope="module")
def by_outlet(synth):
    return collocate_data(synth, _node(synth), top=6, lines=3, min_freq=1, min_coll_freq=2)


def test_collocate_table_is_each_groups_top(synth, by_outlet):
    ref = collocates(synth, _node(synth), by="outlet", top=6, min_freq=1, min_coll_freq=2)
    t = by_outlet.table
    assert list(zip(t["group"], t["collocate"])) == list(zip(ref["group"], ref["collocate"]))
    assert np.allclose(t["score"], ref["log_dice"])
    assert t.groupby("group").size().max() == 6


def test_cooccurrence_lines_match_the_windows_by_hand(synth, by_outlet):
    t, lines = by_outlet.table, by_outlet.lines
    outlet = synth.metadata["outlet"].to_numpy()
    ids = synth.metadata.index.to_numpy()
    checked = 0
    for g, coll, total, shown in zip(t["group"], t["collocate"], t["lines"], t["shown"]):
        hand = _lines_by_hand(synth, _node(synth), coll, 5, 5)
        in_group = {d: s for d, s in hand.items() if outlet[d] == g}
        assert total == sum(len(s) for s in in_group.values())
        mine = lines[(lines["group"] == g) & (lines["collocate"] == coll)]
        assert len(mine) == shown == min(total, 3)  # the cap
        assert set(mine["doc_id"]) <= {ids[d] for d in in_group}
        checked += total > 3
    assert checked  # some collocate had more lines than the cap: the sample was exercised


def test_cooccurrence_lines_are_kwic_lines_sampled_reproducibly(synth, by_outlet):
    node = _node(synth)
    row = by_outlet.table.sort_values("lines").iloc[-1]
    ref = kwic(synth, node, 8, near=row["collocate"], near_window=(5, 5))
    ref = ref[synth.metadata["outlet"].reindex(ref["doc_id"]).to_numpy() == row["group"]]
    mine = by_outlet.lines[(by_outlet.lines["group"] == row["group"])
                           & (by_outlet.lines["collocate"] == row["collocate"])]
    key = ["doc_id", "left", "node", "right"]
    assert set(map(tuple, mine[key].to_numpy())) <= set(map(tuple, ref[key].to_numpy()))
    again = collocate_data(synth, node, top=6, lines=3, min_freq=1, min_coll_freq=2)
    pd.testing.assert_frame_equal(again.lines, by_outlet.lines)
    other = collocate_data(synth, node, top=6, lines=3, min_freq=1, min_coll_freq=2, seed=5)
    assert not other.lines.equals(by_outlet.lines)


def test_network_links_each_group_to_its_collocates(by_outlet):
    nodes, edges = by_outlet.nodes, by_outlet.edges
    hubs = set(nodes.loc[nodes["kind"] == "node", "name"])
    assert hubs == set(by_outlet.table["group"])
    pairs = set(zip(edges["group"], nodes.set_index("name").loc[edges["target"], "collocate"]))
    assert pairs == set(zip(by_outlet.table["group"], by_outlet.table["collocate"]))
    assert (nodes[["x", "y"]].abs().to_numpy() <= 1 + 1e-9).all()
    assert ((edges["weight"] > 0) & (edges["weight"] <= 1)).all()
    shared = nodes[(nodes["kind"] == "collocate") & nodes["group"].str.contains(",")]
    assert all(len(edges[edges["target"] == n]) == len(g.split(", ")) for n, g in zip(shared["name"], shared["group"]))


def test_network_layout_is_seeded():
    table = pd.DataFrame({"group": ["A", "A", "B"], "collocate": ["x", "y", "x"], "score": [3.0, 1.0, 2.0]})
    one, _ = network_layout(table, ["A", "B"], seed=1)
    two, _ = network_layout(table, ["A", "B"], seed=1)
    pd.testing.assert_frame_equal(one, two)
    # a collocate spelled like a hub keeps its own node
    clash, _ = network_layout(pd.DataFrame({"group": ["A"], "collocate": ["A"], "score": [1.0]}), ["A"])
    assert sorted(clash["name"]) == ["A", "· A"]


def test_compare_mode_sides_and_distribution(sample):
    d = collocate_data(sample, RUSSIA, groups=("TFI Post", "RT"), left=2, right=2, min_coll_freq=1, top=5)
    ref = compare_collocates(sample, RUSSIA, groups=("TFI Post", "RT"), left=2, right=2, min_coll_freq=1)
    t = d.table
    assert t.loc[t["group"] == "TFI Post", "collocate"].tolist() == ref[ref["log_likelihood"] > 0]["collocate"].head(5).tolist()
    assert (t.loc[t["group"] == "RT", "log_likelihood"] < 0).all()
    assert "aggression" in set(t.loc[t["group"] == "TFI Post", "collocate"])  # the module's worked example
    for coll, la, lb in zip(t["collocate"], t["lines_a"], t["lines_b"]):
        hand = _lines_by_hand(sample, RUSSIA, coll, 2, 2)
        outlet = sample.metadata["outlet"].to_numpy()
        assert la == sum(len(s) for d_, s in hand.items() if outlet[d_] == "TFI Post")
        assert lb == sum(len(s) for d_, s in hand.items() if outlet[d_] == "RT")
    assert d.attrs["mode"] == "compare" and "at most 25" in d.caps["rule"]


def test_collocate_data_validates_caps(synth):
    with pytest.raises(ValueError, match="top"):
        collocate_data(synth, _node(synth), top=0)


# --------------------------------------------------------------------------- topics
@pytest.fixture(scope="module")
def model(synth):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TopicModelWarning)
        return fit_lda(synth, k=4, seed=0, passes=3)


def test_relevance_formula_by_hand():
    # λ = 0.5, p(w|t) = 0.1, p(w) = 0.01: 0.5 ln 0.1 + 0.5 ln 10 = 0 (Sievert & Shirley 2014, eq. 1)
    assert relevance(0.1, 0.01, 0.5) == pytest.approx(0.0, abs=1e-12)
    assert relevance(0.1, 0.01, 1.0) == pytest.approx(math.log(0.1))
    assert relevance(0.1, 0.01, 0.0) == pytest.approx(math.log(10))


@pytest.mark.parametrize("lam", [0.0, 0.3, 0.6, 1.0])
def test_candidates_hold_the_exact_top_terms_at_every_lambda(model, lam):
    d = topic_data(model, n_terms=10, n_boot=200)
    for k in range(1, model.k + 1):
        cand = d.terms[d.terms["topic"] == k]
        r = relevance(cand["p_topic"].to_numpy(), cand["p_corpus"].to_numpy(), lam)
        mine = cand["term"].to_numpy()[np.argsort(-r, kind="stable")[:10]]
        ref = topic_terms(model, n=10, lambda_=lam)
        assert set(mine) == set(ref.loc[ref["topic"] == k, "term"])


def test_candidates_cover_the_grid_by_brute_force():
    rng = np.random.default_rng(0)
    phi = rng.dirichlet(np.full(50, 0.3), size=3)
    p_w = rng.dirichlet(np.ones(50))
    cand = relevance_candidates(phi, p_w, 5)
    for lam in np.linspace(0, 1, 101):
        r = lam * np.log(phi) + (1 - lam) * np.log(phi / p_w)
        for k in range(3):
            assert set(np.argsort(-r[k])[:5]) <= set(cand[k].tolist())


def test_prevalence_is_topic_prevalence(model):
    d = topic_data(model, n_boot=300, seed=2)
    pd.testing.assert_frame_equal(d.prevalence, topic_prevalence(model, by="outlet", n_boot=300, seed=2))


def test_passages_are_the_top_documents_per_topic_and_outlet(model, synth):
    p = topic_passages(model, "outlet", n=2, chars=120)
    wide = document_topics(model, wide=True).set_index("doc_id")[model.labels]
    outlet = model.corpus.metadata["outlet"]
    for (k, g), part in p.groupby(["topic", "group"]):
        shares = wide.loc[outlet.index[outlet == g], model.labels[k - 1]]
        assert np.allclose(sorted(part["share"], reverse=True), sorted(shares, reverse=True)[:2])
        assert part["rank"].tolist() == [1, 2]
    texts = dict(zip(synth.metadata.index, synth.texts))
    for doc, text in zip(p["doc_id"], p["text"]):
        assert len(text) <= 122
        assert text.rstrip(" …") in " ".join(texts[doc].split())


def test_terms_from_a_topic_terms_table(model):
    table = topic_terms(model, n=15)
    d = topic_data(table)
    freq = model.corpus.term_freq.astype(float)
    p_w = pd.Series(freq / freq.sum(), index=model.corpus.vocab)
    assert np.allclose(d.terms["p_corpus"], p_w.loc[d.terms["term"]].to_numpy(), rtol=1e-6)
    assert d.prevalence is None and d.passages is None


def test_topic_data_checks_the_corpus(model, sample):
    with pytest.raises(ValueError, match="not the corpus"):
        topic_data(model, sample)


@pytest.mark.parametrize("n", [1, 3])
def test_collocate_data_on_partitions_equals_in_memory(synth, by_outlet, n):
    from discourse.partitions import SplitTokens

    split = collocate_data(SplitTokens(synth, n), _node(synth), top=6, lines=3, min_freq=1, min_coll_freq=2)
    pd.testing.assert_frame_equal(split.table, by_outlet.table)
    pd.testing.assert_frame_equal(split.lines, by_outlet.lines)


def test_topic_data_of_a_model_fitted_on_partitions_equals_in_memory(synth, model):
    from discourse.partitions import SplitTokens

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TopicModelWarning)
        split = fit_lda(SplitTokens(synth, 3), k=4, seed=0, passes=3)
    mine, ref = topic_data(split, n_boot=200), topic_data(model, n_boot=200)
    pd.testing.assert_frame_equal(mine.terms, ref.terms)
    pd.testing.assert_frame_equal(mine.passages, ref.passages)
