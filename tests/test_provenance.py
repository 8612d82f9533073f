"""Provenance: versions, corpus fingerprint, methods paragraph (discourse.provenance)."""
from __future__ import annotations

import hashlib
import json

import numpy as np
import pandas as pd
import pytest

import discourse as dc
from discourse.corpus import Corpus
from discourse.provenance import (REFERENCES, corpus_hash, methods_paragraph, package_versions,
                                  provenance)


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
    from discourse.display import audit_summary, documents_table

    corpus, tokens = sample
    cleaned = dc.clean(corpus)
    text, _ = methods_paragraph([audit_summary(cleaned), documents_table(tokens)])
    removed = int((cleaned.audit["end"] - cleaned.audit["start"]).sum())
    assert text == f"Cleaning removed {len(cleaned.audit):,} spans ({removed:,} characters), each listed with its rule in the audit."
