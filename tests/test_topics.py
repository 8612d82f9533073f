"""Topic models: units and vocabulary, reproducibility, recovery of planted topics, evaluation."""
from __future__ import annotations

import itertools
import json
import warnings
from collections import Counter

import numpy as np
import pandas as pd
import pytest

import discourse as dc
from discourse.datasets import make_news_corpus
from discourse.topics import (TopicModel, TopicModelWarning, choose_k, coherence, fit_lda, load_topic_model,
                              match_topics, prepare_corpus, topic_recovery)


@pytest.fixture(scope="module")
def synthetic():
    sc = make_news_corpus(200_000, n_topics=5, seed=0)
    tokens = dc.tokenize(dc.clean(dc.Corpus.from_records(sc.records)))
    return sc, tokens


@pytest.fixture(scope="module")
def model(synthetic):
    return fit_lda(synthetic[1], 5, seed=0)


@pytest.fixture(scope="module")
def sample():
    return dc.load_sample()


# -- units and vocabulary ------------------------------------------------------
def test_document_units_match_gensim_dictionary_filters(synthetic):
    _, tokens = synthetic
    corpus = prepare_corpus(tokens, min_df=5, max_df=0.5, stopwords="english")
    # independent route: gensim's own Dictionary + filter_extremes on the token lists
    from gensim.corpora import Dictionary

    stop = dc.english_stopwords()
    words = set(tokens.types.loc[tokens.types["class"] == "word", "term"])
    docs = [[w for w in doc if w not in stop and w in words] for doc in tokens]
    d = Dictionary(docs)
    d.filter_extremes(no_below=5, no_above=0.5, keep_n=None)
    assert set(corpus.vocab) == set(d.token2id)
    for i in (0, 17, 200):
        expected = Counter(w for w in docs[i] if w in d.token2id)
        row = corpus.bow[i]
        got = {corpus.vocab[j]: c for j, c in zip(row.indices, row.data)}
        assert got == dict(expected)
    assert corpus.unit_texts([3])[0] == [w for w in docs[3] if w in d.token2id]


def test_gensim_views_match_gensim_built_from_the_unit_texts(sample):
    # TopicCorpus.dictionary() and gensim_corpus() are filled from the bow matrix (the helpers
    # shared with Tokens); independent route: gensim's Dictionary and doc2bow on the units' words
    from gensim.corpora import Dictionary

    corpus = prepare_corpus(sample, units="paragraph", min_df=1, max_df=1.0)
    texts = corpus.unit_texts()
    ours, theirs = corpus.dictionary(), Dictionary(texts)
    assert (ours.num_docs, ours.num_pos, ours.num_nnz) == (theirs.num_docs, theirs.num_pos, theirs.num_nnz)
    assert ours.num_docs == corpus.n_units > sample.n_docs
    assert set(ours.token2id) == set(theirs.token2id) == set(corpus.vocab)
    for term, i in theirs.token2id.items():
        j = ours.token2id[term]
        assert (ours.cfs[j], ours.dfs[j]) == (theirs.cfs[i], theirs.dfs[i])
    def words(bow, d):
        return sorted((d[i], c) for i, c in bow)

    rows = np.array([0, 3, corpus.n_units - 1])
    for bow, r in zip(corpus.gensim_corpus(rows), rows):
        assert words(bow, ours) == words(theirs.doc2bow(texts[r]), theirs)
    assert len(corpus.gensim_corpus()) == corpus.n_units


def test_paragraph_and_chunk_units_add_up_to_documents(synthetic):
    _, tokens = synthetic
    doc = prepare_corpus(tokens, min_df=1, max_df=1.0)
    for units in ("paragraph", 100):
        c = prepare_corpus(tokens, units=units, min_df=1, max_df=1.0)
        assert list(c.vocab) == list(doc.vocab)
        agg = pd.DataFrame(c.bow.toarray()).groupby(c.unit_doc).sum().to_numpy()
        np.testing.assert_array_equal(agg, doc.bow.toarray())
        assert c.n_units > doc.n_units
    paras = prepare_corpus(tokens, units="paragraph", min_df=1, max_df=1.0)
    # the synthetic bodies separate paragraphs by blank lines: count them directly in the text
    text = tokens.texts[0]
    n_blocks = sum(1 for block in text.split("\n\n") if any(ch.isalpha() for ch in block))
    assert (paras.unit_doc == 0).sum() == n_blocks


def test_chunks_are_cut_at_sentence_starts(synthetic):
    _, tokens = synthetic
    c = prepare_corpus(tokens, units=50, min_df=1, max_df=1.0, stopwords=None, words_only=False)
    starts = c.units["start"].to_numpy()
    for u in range(1, 30):
        if c.unit_doc[u] == c.unit_doc[u - 1]:
            text = tokens.texts[c.unit_doc[u]]
            assert text[:starts[u]].rstrip()[-1] in ".?!", "a chunk should begin a sentence"


def test_phrases_join_frequent_pairs_without_stop_word_edges(synthetic):
    _, tokens = synthetic
    c = prepare_corpus(tokens, phrases=True, phrase_min_count=3, phrase_threshold=1.0, min_df=2)
    stop = dc.english_stopwords()
    phrases = [t for t in c.vocab if "_" in t]
    assert phrases, "a low threshold should find phrases"
    for p in phrases:
        parts = p.split("_")
        assert parts[0] not in stop and parts[-1] not in stop
    assert c.params["phrases"] is True
    none = prepare_corpus(tokens, phrases=True, phrase_threshold=1e9)  # nothing passes: same as without
    plain = prepare_corpus(tokens)
    assert list(none.vocab) == list(plain.vocab) and (none.bow != plain.bow).nnz == 0


def test_prepare_validation(synthetic, sample):
    _, tokens = synthetic
    with pytest.raises(ValueError, match="units"):
        prepare_corpus(tokens, units="sentence")
    with pytest.raises(ValueError, match="max_df"):
        prepare_corpus(tokens, max_df=2)
    with pytest.raises(TypeError, match="Tokens"):
        prepare_corpus(["a text"])
    with pytest.raises(ValueError, match="too little text"):
        fit_lda(sample, 3, units="document", min_df=2, max_df=0.5)  # in both documents and in at most one
    with pytest.raises(ValueError, match="k must be"):
        fit_lda(tokens, 1)


# -- fitting -----------------------------------------------------------------
def test_same_seed_same_topics_and_proportions(synthetic, model):
    again = fit_lda(synthetic[1], 5, seed=0)
    np.testing.assert_array_equal(model.topic_word, again.topic_word)
    np.testing.assert_array_equal(model.gamma, again.gamma)
    other = fit_lda(synthetic[1], 5, seed=1, init="random")
    assert not np.array_equal(model.topic_word, other.topic_word)
    assert model.params["reproducible"] and model.params["implementation"] == "LdaModel"


def test_recovers_planted_topics(synthetic, model):
    sc, _ = synthetic
    rec = topic_recovery(model, sc.topic_word, sc.vocab)
    assert rec.attrs["mean_cosine"] >= 0.9
    assert sorted(rec["known_topic"]) == [1, 2, 3, 4, 5]
    # every fitted topic has the planted topic's heaviest word among its top 20 terms
    top = np.argsort(-model.topic_word, axis=1)[:, :20]
    vocab = model.corpus.vocab.to_numpy()
    for t, known in zip(rec["topic"], rec["known_topic"]):
        assert sc.vocab[int(np.argmax(sc.topic_word[known - 1]))] in set(vocab[top[t - 1]])


def test_document_proportions_are_token_weighted_unit_means(synthetic):
    _, tokens = synthetic
    m = fit_lda(tokens, 5, seed=0, units="paragraph", passes=3)
    units = m.corpus.units
    theta = m.unit_topics
    assert np.allclose(theta.sum(axis=1), 1)
    w = units["n_tokens"].to_numpy(float)
    for d in (0, 5, 99):
        rows = np.flatnonzero(m.corpus.unit_doc == d)
        np.testing.assert_allclose(m.doc_topics[d], (theta[rows] * w[rows, None]).sum(0) / w[rows].sum(), rtol=1e-6)


def test_small_corpus_warns(sample):
    with pytest.warns(TopicModelWarning, match="per topic"):
        m = fit_lda(sample, 3, units="paragraph", min_df=2)
    assert m.doc_topics.shape == (2, 3)
    assert m.corpus.n_units > 2


def test_multicore_is_flagged_not_reproducible(synthetic):
    m = fit_lda(synthetic[1], 3, seed=0, workers=2, passes=1)
    assert m.params["implementation"] == "LdaMulticore" and m.params["reproducible"] is False


def test_save_and_load_round_trip(tmp_path, synthetic, model):
    path = model.save(tmp_path / "lda")
    back = load_topic_model(path, tokens=synthetic[1])
    np.testing.assert_array_equal(back.topic_word, model.topic_word)
    np.testing.assert_array_equal(back.gamma, model.gamma)
    assert back.params == json.loads(json.dumps(model.params, default=str))
    assert back.params["corpus_hash"] == model.params["corpus_hash"]
    assert back.corpus.unit_texts([2]) == model.corpus.unit_texts([2])
    other = synthetic[1].select(np.arange(synthetic[1].n_docs) < 10)
    with pytest.raises(ValueError, match="fingerprints differ"):
        TopicModel.load(path, tokens=other)


# -- evaluation ----------------------------------------------------------------
def test_match_topics_is_the_best_permutation():
    rng = np.random.default_rng(3)
    a, b = rng.random((5, 30)), rng.random((5, 30))
    got = match_topics(a, b)
    cos = (a / np.linalg.norm(a, axis=1, keepdims=True)) @ (b / np.linalg.norm(b, axis=1, keepdims=True)).T
    best = max(itertools.permutations(range(5)), key=lambda p: sum(cos[i, p[i]] for i in range(5)))
    assert list(got["topic_b"] - 1) == list(best)
    assert got.attrs["mean_cosine"] == pytest.approx(np.mean([cos[i, best[i]] for i in range(5)]))


def test_u_mass_matches_hand_computation(model):
    coh = coherence(model, ("u_mass",), topn=6, max_units=None)
    present = (model.corpus.bow > 0).astype(int).tocsc()
    for k in range(model.k):
        top = np.argsort(-model.topic_word[k], kind="stable")[:6]
        # Mimno et al. (2011): sum over ordered pairs j < i of log((D(w_i, w_j) + eps) / D(w_j)), averaged
        scores = []
        for i in range(1, 6):
            for j in range(i):
                d_ij = present[:, top[i]].multiply(present[:, top[j]]).sum()
                scores.append(np.log((d_ij + 1e-12) / present[:, top[j]].sum()))
        assert coh.loc[k, "u_mass"] == pytest.approx(np.mean(scores), rel=1e-6)
    assert coh.attrs["overall"]["u_mass"] == pytest.approx(coh["u_mass"].mean())


def test_npmi_matches_hand_computation_on_windows(model):
    coh = coherence(model, ("c_npmi",), topn=4, window=10, max_units=40, seed=1)
    from discourse.topics.evaluate import _sample_units

    texts = model.corpus.unit_texts(_sample_units(model.corpus.n_units, 40, 1))
    vocab = model.corpus.vocab.to_numpy()
    # Röder et al. (2015): sliding windows of 10 tokens (a text shorter than that is one window), with
    # gensim's incremental update: the token leaving the window is unmarked even if it recurs inside it
    windows = []
    for t in texts:
        if len(t) <= 10:
            windows.append(set(t))
            continue
        current = set(t[:10])
        windows.append(set(current))
        for i in range(1, len(t) - 9):
            current.discard(t[i - 1])
            current.add(t[i + 9])
            windows.append(set(current))
    n = len(windows)
    for k in (0, 2):
        words = vocab[np.argsort(-model.topic_word[k], kind="stable")[:4]]
        vals = []
        for i in range(1, 4):
            for j in range(i):
                p_i = sum(words[i] in w for w in windows) / n
                p_j = sum(words[j] in w for w in windows) / n
                p_ij = sum(words[i] in w and words[j] in w for w in windows) / n
                vals.append(np.log((p_ij + 1e-12) / (p_i * p_j)) / -np.log(p_ij + 1e-12))
        assert coh.loc[k, "c_npmi"] == pytest.approx(np.mean(vals), abs=1e-6)


def test_coherence_never_nan(model):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TopicModelWarning)
        coh = coherence(model, ("c_npmi", "u_mass", "c_v"), max_units=1)  # one unit: many top terms absent
    assert np.isfinite(coh[["c_npmi", "u_mass", "c_v"]].to_numpy()).all()
    few = coh["n_terms"] < 2
    assert (coh.loc[few, "c_npmi"] == -1).all()
    with pytest.raises(ValueError, match="measures"):
        coherence(model, ("c_w2v",))


def test_choose_k_sweep(synthetic):
    _, tokens = synthetic
    sweep = choose_k(tokens, [3, 5], seeds=[0, 1], passes=3, max_units=200)
    assert list(sweep.columns) == ["k", "seed", "c_npmi", "u_mass", "perplexity", "stability"]
    assert len(sweep) == 4 and np.isfinite(sweep.to_numpy(float)).all()
    assert ((sweep["stability"] > 0) & (sweep["stability"] <= 1 + 1e-9)).all()
    # the planted K (5) is the most stable
    by_k = sweep.groupby("k")["stability"].mean()
    assert by_k[5] > by_k[3]
    assert sweep.attrs["n_test_units"] + sweep.attrs["n_train_units"] == 333


# -- defaults that fit the corpus ----------------------------------------------
@pytest.mark.parametrize("n, expected", [(2, (1, 1.0)), (9, (1, 1.0)), (10, (2, 0.5)), (400, (2, 0.5)),
                                         (401, (3, 0.5)), (800, (4, 0.5)), (801, (5, 0.5)), (10**6, (5, 0.5))])
def test_vocabulary_filter_rule(n, expected):
    from discourse.topics.prepare import vocabulary_filters

    assert vocabulary_filters(n) == expected


def test_default_vocabulary_filters_follow_the_number_of_units(synthetic, sample):
    _, tokens = synthetic
    docs = prepare_corpus(tokens)  # 200k tokens: a few hundred documents
    n = docs.n_units
    assert docs.params["min_df"] == min(5, max(2, int(np.ceil(0.005 * n)))) and docs.params["max_df"] == 0.5
    assert docs.params["adapted"] == ["min_df", "max_df"] and f"({n:,})" in docs.params["notes"][0]
    # same vocabulary as gensim's filter_extremes with those values (the test above checks that route)
    same = prepare_corpus(tokens, min_df=docs.params["min_df"], max_df=0.5)
    assert list(same.vocab) == list(docs.vocab) and same.params["adapted"] == [] and same.params["notes"] == []
    two = prepare_corpus(sample)  # two documents: no document-frequency filter
    assert (two.params["min_df"], two.params["max_df"]) == (1, 1.0) and two.bow.shape[1] > 0
    fixed = prepare_corpus(sample, units="paragraph", min_df=3)
    assert fixed.params["min_df"] == 3 and fixed.params["adapted"] == ["max_df"]


def test_readme_call_runs_on_the_sample_with_paragraphs_and_says_so(sample):
    # dc.fit_lda(tokens, k=20, seed=0): 2 documents cannot carry 20 topics; their 22 paragraphs are modelled
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        m = fit_lda(sample, k=20, seed=0)
    said = [str(w.message) for w in caught if issubclass(w.category, TopicModelWarning)]
    assert any(s.startswith("2 documents are too few for 20 topics") for s in said)
    assert any(s.startswith("fitting 20 topics on 22 units") for s in said)  # and K stays small-corpus-warned
    paragraphs = prepare_corpus(sample, units="paragraph")
    assert m.k == 20 and m.params["units"] == "paragraph" and m.corpus.n_units == paragraphs.n_units == 22
    assert m.params["units_rule"].startswith("paragraphs: 2 documents") and m.params["n_documents"] == 2
    assert any("22 paragraphs" in note for note in m.params["notes"])
    assert m.doc_topics.shape == (2, 20)  # shares still per document
    with pytest.warns(TopicModelWarning, match="fitting 2 topics on 2 units"):
        kept = fit_lda(sample, k=2, seed=0, units="document")  # asked for: kept, and no note about units
    assert kept.params["units"] == "document" and kept.params["units_rule"] == "given"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        given = fit_lda(prepare_corpus(sample), 2, seed=0)  # a prepared corpus is used as is
    assert given.corpus.n_units == 2 and not any("too few for" in str(w.message) for w in caught)


def test_cli_topics_with_defaults_on_the_sample(tmp_path):
    from discourse.cli import main

    out = tmp_path / "topics.csv"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert main(["topics", str(dc.sample_corpus_path()), "-q", "-o", str(out)]) == 0
    table = pd.read_csv(out)
    assert table["topic"].nunique() == 10 and len(table) == 100
