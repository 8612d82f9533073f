"""Provenance: versions, corpus fingerprint, methods paragraph (discourse.provenance)."""
from __future__ import annotations

import hashlib
import json

import numpy as np
import pandas as pd
import pytest

import discourse as dc
from discourse.corpus import Corpus, corpus_hash
from discourse.methods import REFERENCES, methods_paragraph
from discourse.provenance import package_versions, provenance


@pytest.fixture(scope="module")
def sample():
    corpus = dc.read_corpus(dc.sample_corpus_path())
    tokens = dc.tokenize(dc.clean(corpus))
    return corpus, tokens


def test_package_versions_match_installed():
    v = package_versions(["numpy", "pandas", "surely-not-a-package-xyz"])
    assert v["numpy"] == np.__version__
    assert v["pandas"] == pd.__version__
    assert v["surely-not-a-package-xyz"] == "not installed"
    assert v["python"].count(".") == 2


def test_corpus_hash_is_sha256_of_metadata_and_texts(sample):
    corpus, tokens = sample
    # independent route: the documented recipe, written out with hashlib
    h = hashlib.sha256(corpus.metadata.to_csv().encode("utf-8"))
    for t in corpus.texts:
        h.update(hashlib.sha256(t.encode("utf-8")).digest())
    assert corpus_hash(corpus) == h.hexdigest()
    # cleaning keeps the raw texts, so the fingerprint of the cleaned corpus is that of the raw one
    assert corpus_hash(dc.clean(corpus)) == h.hexdigest()
    assert len(corpus_hash(tokens)) == 64


def test_corpus_hash_changes_with_one_character(sample):
    corpus, _ = sample
    texts = list(corpus.texts)
    texts[0] = texts[0] + " "
    changed = Corpus(texts, corpus.metadata.copy())
    assert corpus_hash(changed) != corpus_hash(corpus)


def test_corpus_hash_of_file_and_bad_input(tmp_path):
    f = tmp_path / "manifest.csv"
    f.write_bytes(b"id,outlet\n1,RT\n")
    assert corpus_hash(f) == hashlib.sha256(b"id,outlet\n1,RT\n").hexdigest()
    with pytest.raises(TypeError, match="cannot fingerprint"):
        corpus_hash(42)


def test_methods_paragraph_from_frequency_attrs(sample):
    corpus, tokens = sample
    freq = dc.frequencies(tokens, by="outlet")
    text, refs = methods_paragraph([freq], tokens=tokens, corpus=corpus)
    assert f"{tokens.n_tokens:,} tokens counted" in text
    assert corpus_hash(corpus)[:12] in text
    assert "per million" in text and "by outlet" in text
    assert "stop words kept" in text and "hyphenated words kept whole" in text
    assert "rule-based cleaning" in text
    assert refs == []


def test_methods_paragraph_cites_each_method_once():
    keyness = pd.DataFrame({"term": ["a"]})
    keyness.attrs = {"analysis": "keyness", "by": "outlet", "target": "RT", "reference": "TFI Post",
                     "min_freq": 3}
    topics = {"analysis": "topics", "n_topics": 8, "seed": 11, "units": "paragraph", "min_df": 2}
    coherence = pd.DataFrame({"topic": [1]})
    coherence.attrs = {"analysis": "coherence", "coherence": "c_v", "topn": 10}
    text, refs = methods_paragraph([keyness, keyness, topics, coherence])
    assert text.count("log-likelihood") == 1  # the same analysis twice is described once
    assert "RT against TFI Post" in text and "adjusted p < 0.05" in text
    assert "K = 8" in text and "random seed 11" in text and "paragraphs as modelling units" in text
    assert "Topic coherence (c_v)" in text
    for key in ("rayson2000", "hardie2014", "dunning1993", "blei2003", "roder2015"):
        assert REFERENCES[key] in refs
    assert len(refs) == len(set(refs))


def test_methods_paragraph_unknown_analysis_lists_parameters():
    res = pd.DataFrame({"x": [1]})
    res.attrs = {"analysis": "semantic_prosody", "window": 4, "measure": "z"}
    text, refs = methods_paragraph([res])
    assert "semantic prosody" in text and "window = 4" in text and "measure = z" in text
    assert refs == []


def test_provenance_record_escapes_and_serialises(sample, tmp_path):
    corpus, tokens = sample
    freq = dc.frequencies(tokens, by="outlet", top=3)
    p = provenance({"node": "<script>alert(1)</script>", "seed": 0}, results=[freq], tokens=tokens,
                   corpus=corpus)
    assert p.corpus_hash == corpus.manifest_hash()
    html = p._repr_html_()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    record = json.loads(p.to_json(tmp_path / "prov.json"))
    assert record == json.loads((tmp_path / "prov.json").read_text(encoding="utf-8"))
    assert record["parameters"]["seed"] == 0 and record["corpus_sha256"] == p.corpus_hash
    assert "numpy" in record["versions"] and record["methods"] == p.methods
    assert "Methods" in repr(p)


def test_methods_paragraph_counts_the_cleaning_audit(sample):
    from discourse.overview import audit_summary, documents_table

    corpus, tokens = sample
    cleaned = dc.clean(corpus)
    text, _ = methods_paragraph([audit_summary(cleaned), documents_table(tokens)])
    removed = int((cleaned.audit["end"] - cleaned.audit["start"]).sum())
    assert text == f"Cleaning removed {len(cleaned.audit):,} spans ({removed:,} characters), each listed with its rule in the audit."


# --------------------------------------------------------------------------- one fingerprint for corpus and tokens
def _recipe(metadata, texts) -> str:
    """The documented fingerprint, written out with hashlib (independent of discourse.corpus.fingerprint)."""
    h = hashlib.sha256(metadata.to_csv().encode("utf-8"))
    for t in texts:
        h.update(hashlib.sha256(t.encode("utf-8")).digest())
    return h.hexdigest()


def test_tokens_carry_the_fingerprint_of_their_corpus(sample):
    corpus, tokens = sample
    raw = _recipe(corpus.metadata, corpus.texts)
    assert corpus_hash(tokens) == corpus_hash(corpus) == tokens.manifest_hash() == raw
    # tokens of the cleaned corpus: still the raw texts' fingerprint, although tokens.texts are cleaned
    assert tokens.texts != corpus.texts
    # a subset is another corpus: metadata and the (cleaned) texts it holds
    half = tokens.select(np.arange(tokens.n_docs) == 0)
    assert corpus_hash(half) == _recipe(half.metadata, half.texts) != raw
    everything = tokens.select(np.ones(tokens.n_docs, bool))
    assert corpus_hash(everything) == _recipe(tokens.metadata, tokens.texts) != raw
    # plain texts: generated ids and the texts themselves
    plain = dc.tokenize(["One text.", "Another text."])
    assert corpus_hash(plain) == _recipe(plain.metadata, ["One text.", "Another text."])
    # replaced metadata no longer describes the corpus read: the tokens' own fingerprint
    relabelled = dc.tokenize(dc.clean(corpus))
    relabelled.metadata = relabelled.metadata.assign(outlet="one outlet")
    assert corpus_hash(relabelled) == _recipe(relabelled.metadata, relabelled.texts) != raw


def test_tokenize_does_not_hash_eagerly(sample, monkeypatch):
    corpus, _ = sample

    def fail(self):
        raise AssertionError("manifest_hash called during tokenize")

    monkeypatch.setattr(Corpus, "manifest_hash", fail)
    tokens = dc.tokenize(corpus)
    monkeypatch.undo()
    assert tokens.manifest_hash() == _recipe(corpus.metadata, corpus.texts)


def test_saved_topic_model_carries_the_report_fingerprint(sample, tmp_path):
    from discourse.topics import fit_lda, load_topic_model

    corpus, tokens = sample
    model = fit_lda(tokens, k=2, seed=0, passes=2, units="paragraph", min_df=1)
    record = provenance({}, results=[model.params], tokens=tokens, corpus=corpus)  # the notebooks' last cell
    assert model.params["corpus_hash"] == record.corpus_hash == _recipe(corpus.metadata, corpus.texts)
    loaded = load_topic_model(model.save(tmp_path / "lda"), tokens=tokens)  # fingerprint checked on load
    assert loaded.params["corpus_hash"] == record.corpus_hash
    with pytest.raises(ValueError, match="fingerprints differ"):
        load_topic_model(tmp_path / "lda", tokens=tokens.select(np.arange(tokens.n_docs) == 0))


# --------------------------------------------------------------------------- methods paragraph per analysis
def test_ngrams_paragraph_says_whether_sentences_bound_them(sample):
    from discourse.ngrams import ngrams

    _, tokens = sample
    within = ngrams(tokens, 3, by="outlet", min_freq=1)
    across = ngrams(tokens, 3, by="outlet", min_freq=1, sentence=False)
    # the two settings do count different n-grams (more when sentence ends are crossed)
    assert sum(across.attrs["group_ngrams"].values()) > sum(within.attrs["group_ngrams"].values())
    text_within, _ = methods_paragraph([within])
    text_across, refs = methods_paragraph([across])
    assert "within sentences" in text_within and "across sentence boundaries" not in text_within
    assert "across sentence boundaries" in text_across and "within sentences" not in text_across
    assert "n = 3" in text_across and "for each outlet" in text_across
    assert REFERENCES["dunning1993"] in refs  # two outlets: each against the other, by G2


def test_dispersion_paragraph_names_parts_and_measures(sample):
    import importlib
    import inspect

    from discourse.dispersion import dispersion

    _, tokens = sample
    full = dispersion(tokens, by="outlet")
    text, refs = methods_paragraph([full])
    assert "over documents" in text and "for each outlet" in text
    for name in ("range", "Juilland's D", "Carroll's D2", "Rosengren's S", "Gries's DP", "DPnorm", "ARF"):
        assert name in text, name
    for key in ("juilland1970", "carroll1970", "rosengren1971", "gries2008", "lijffijt2012", "savicky2002"):
        assert REFERENCES[key] in refs, key
    # one Juilland citation, the one discourse.stats.dispersion gives
    source = inspect.getsource(importlib.import_module("discourse.stats.dispersion"))
    assert "Juilland, A., Brodin, D. & Davidovitch, C. (1970)" in source
    assert "Juilland, Brodin & Davidovitch 1970" in text
    assert not any("1964" in r for r in REFERENCES.values())
    # chunks of 50 tokens: as many parts as the text has chunks
    chunks = dispersion(tokens, parts=50, dp_norm="equal_parts", direction="evenness")
    assert set(chunks["parts"]) == {-(-tokens.n_tokens // 50)}
    text, refs = methods_paragraph([chunks[["term", "freq", "dp", "arf"]]])  # only the measures shown
    assert "chunks of 50 tokens" in text and "over documents" not in text
    assert "Gries's DP" in text and "ARF" in text and "Juilland" not in text and "Carroll" not in text
    assert "reported as 1 \u2212 the value" in text
    assert REFERENCES["juilland1970"] not in refs
    by_outlet = dispersion(tokens, parts="outlet")
    assert "over the values of outlet" in methods_paragraph([by_outlet])[0]


def test_topic_regression_and_k_sweep_paragraphs(synth):
    from discourse.topics import choose_k, estimate_effect, fit_lda

    model = fit_lda(synth, k=3, seed=0, passes=2)
    effects = estimate_effect(model, "outlet", n_sims=5, seed=4)
    text, refs = methods_paragraph([effects])
    assert "estimateEffect" in text and "method of composition" in text and "bootstrap" not in text
    assert f"{effects.attrs['n_docs']:,} documents" in text and "5 simulations" in text
    assert "outlet" in text
    assert refs == [REFERENCES[k] for k in ("roberts2014", "roberts2019", "tanner1996", "sidak1967")]  # + correction
    sweep = choose_k(synth, [2, 3], seeds=[0, 1], passes=1, max_units=200)
    text, refs = methods_paragraph([sweep])
    assert "K = 2, 3" in text and "seeds 0, 1" in text and "10% of units held out" in text
    assert REFERENCES["greene2014"] in refs and REFERENCES["roder2015"] in refs
