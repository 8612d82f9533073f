"""De-duplication: planted exact, near, version and syndicated copies; MinHash against exact Jaccard; policies."""
from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

import discourse as dc
from discourse.dedup import dedup
from discourse.dedup_shingles import (candidate_pairs, collision_probability, estimated_jaccard, exact_jaccard,
                                      lsh_params, shingle_hashes, signatures)
from discourse.syndication import wire_credit

# an invented vocabulary: consonant-vowel syllable pairs ("bako", "dume", ...), never real text
_C, _V = "bdfgklmnprstvz", "aeiou"
VOCAB = [a + b + c + d for a, b, c, d in itertools.product(_C, _V, _C, _V)][:3000]


def _words(rng, n):
    return list(rng.choice(VOCAB, n))


def _block_edit(rng, words, frac):
    """Replace a contiguous block of ``frac`` of the words by fresh invented ones (word shingles change there only)."""
    k = max(1, round(frac * len(words)))
    start = int(rng.integers(0, len(words) - k + 1))
    fresh = [f"{w}x" for w in rng.choice(VOCAB, k)]   # "bakox": never in VOCAB
    return words[:start] + fresh + words[start + k:]


def _planted():
    """Ten source articles in three outlets and their planted copies (expected clusters in the docstring of each)."""
    rng = np.random.default_rng(7)
    src = {f"s{i}": _words(rng, 300) for i in range(10)}
    recs = [dict(id=k, text=" ".join(w), outlet=["Alpha", "Beta", "Gamma"][i % 3], title=f"Story {i}",
                 url=f"https://alpha.example/{i}", date=f"2024-03-{i + 1:02d}") for i, (k, w) in enumerate(src.items())]
    meta = {r["id"]: r for r in recs}

    def copy(new_id, of, words, **over):
        recs.append({**meta[of], "id": new_id, "text": " ".join(words), "url": None, "title": f"Copy {new_id}",
                     **over})

    copy("exact0", "s0", src["s0"])                                            # exact, same outlet (Alpha)
    copy("near90", "s1", _block_edit(rng, src["s1"], 0.05))                    # J ~ 0.89, Beta
    copy("near70", "s2", _block_edit(rng, src["s2"], 0.176))                   # J ~ 0.68: below 0.8
    wire = src["s3"]                                                           # s3 is Alpha's
    recs[3]["text"] = "WASHINGTON (AP) \u2014 " + " ".join(wire)
    copy("syn_b", "s3", wire, outlet="Beta", text="WASHINGTON (AP) \u2014 " + " ".join(wire))
    copy("syn_c", "s3", _block_edit(rng, wire, 0.02), outlet="Gamma")
    copy("syn_c2", "s3", _block_edit(rng, wire, 0.02), outlet="Gamma")         # Gamma ran it twice
    copy("ver1", "s4", _block_edit(rng, src["s4"], 0.15), url="https://alpha.example/4",
         date="2024-03-20")                                                    # same url, J ~ 0.72, later
    copy("ver2", "s4", _block_edit(rng, src["s4"], 0.12), title="Story 4", date="2024-03-10")  # same headline
    recs[6]["text"] += "\nReporting by Kemo Lasu; Editing by Pira Dunes"       # a Reuters credit line, no copy
    return recs


@pytest.fixture(scope="module")
def planted():
    return dc.tokenize(dc.Corpus.from_records(_planted()))


@pytest.fixture(scope="module")
def result(planted):
    return dedup(planted)


def _clusters(res):
    return {frozenset(g.doc_id) for _, g in res.audit.groupby("cluster")}


def test_planted_clusters_exact_membership(result):
    assert _clusters(result) == {frozenset({"s0", "exact0"}), frozenset({"s1", "near90"}),
                                 frozenset({"s3", "syn_b", "syn_c", "syn_c2"}), frozenset({"s4", "ver1", "ver2"})}
    a = result.audit.set_index("doc_id")
    assert a.loc[["exact0", "near90", "syn_c2", "ver2", "s4"], "kind"].tolist() == \
        ["exact", "near", "near", "version", "version"]
    assert a.loc[["s3", "syn_b", "syn_c"], "kind"].tolist() == ["syndicated"] * 3
    assert a.loc[["exact0", "near90", "syn_c2", "s4", "ver2"], "action"].eq("removed").all()
    assert a.loc[["s0", "s1", "ver1"], "action"].eq("kept").all()      # ver1 is the latest version
    assert a.loc[["s3", "syn_b", "syn_c"], "action"].eq("marked").all()
    assert "near70" not in set(a.index)                                 # J ~ 0.68 < 0.8: left apart


def test_lower_threshold_finds_the_70_percent_copy(planted):
    res = dedup(planted, threshold=0.5)   # J = 0.68 is 4 standard errors (0.041) above 0.5
    assert frozenset({"s2", "near70"}) in _clusters(res)
    assert res.audit.set_index("doc_id").at["near70", "jaccard"] == pytest.approx(239 / 353)


def test_minhash_estimate_within_its_standard_error_of_the_exact_jaccard(result):
    """sqrt(J(1-J)/k) is the standard error of the MinHash estimate (Broder 1997); 4 SE: p < 1e-4 per pair."""
    rows = result.audit.dropna(subset=["reference"])
    assert len(rows) == 7
    k = result.audit.attrs["num_perm"]
    for est, j in zip(rows.similarity, rows.jaccard):
        assert abs(est - j) <= 4 * math.sqrt(j * (1 - j) / k) + 1e-12


def test_estimates_over_a_range_of_similarities_and_exact_jaccard_by_python_sets():
    rng = np.random.default_rng(3)
    base = _words(rng, 400)
    docs = [base] + [_block_edit(rng, base, f) for f in (0.02, 0.08, 0.15, 0.25, 0.4)]
    t = dc.tokenize(dc.Corpus.from_records([{"id": f"d{i}", "text": " ".join(w)} for i, w in enumerate(docs)]))
    hashes, offsets = shingle_hashes(t.ids, t.doc_ptr, 5)
    sig = signatures(hashes, offsets, 256, 11)
    grams = [set(zip(*(t.doc_tokens(d)[i:] for i in range(5)))) for d in range(t.n_docs)]
    for d in range(1, t.n_docs):
        truth = len(grams[0] & grams[d]) / len(grams[0] | grams[d])   # an independent route: Python sets of 5-grams
        j = exact_jaccard(hashes[offsets[0]:offsets[1]], hashes[offsets[d]:offsets[d + 1]])
        assert j == pytest.approx(truth, abs=1e-12)
        est = float(estimated_jaccard(sig, np.array([0]), np.array([d]))[0])
        assert abs(est - truth) <= 4 * math.sqrt(truth * (1 - truth) / 256)


def test_shingles_per_document_and_short_documents():
    ids = np.array([1, 2, 3, 4, 5, 6, 7, 1, 2, 9], dtype=np.int32)
    ptr = np.array([0, 7, 9, 9, 10])            # 7 tokens, 2 tokens, empty, 1 token
    hashes, offsets = shingle_hashes(ids, ptr, 5)
    assert np.diff(offsets).tolist() == [3, 1, 0, 1]
    assert len(set(hashes.tolist())) == 5        # the short document (1, 2) is not the 5-gram (1, 2, 3, 4, 5)


def test_lsh_bands_are_chosen_for_recall_at_the_threshold():
    b, r = lsh_params(0.8, 128)
    assert (b, r) == (21, 6) and b * r <= 128
    assert collision_probability(0.8, b, r) >= 0.99 and collision_probability(0.3, b, r) < 0.02
    sig = np.array([[1, 2, 3, 4], [1, 2, 9, 9], [7, 7, 7, 7]], dtype=np.uint32)
    assert candidate_pairs(sig, np.arange(3), 2, 2).tolist() == [[0, 1]]


@pytest.mark.parametrize("policy,kept", [("first", "s0"), ("longest", "exact0"), ("earliest", "exact0"),
                                         ("latest", "s0"), ({"source": ["archive", "web"]}, "exact0")])
def test_keep_policies(policy, kept):
    rng = np.random.default_rng(1)
    w = _words(rng, 200)
    recs = [dict(id="s0", text=" ".join(w), outlet="Alpha", date="2024-05-02", source="web"),
            dict(id="exact0", text=" ".join(w + ["zebux"]), outlet="Alpha", date="2024-05-01", source="archive"),
            dict(id="other", text=" ".join(_words(rng, 200)), outlet="Alpha", date="2024-05-03", source="web")]
    res = dedup(dc.tokenize(dc.Corpus.from_records(recs)), keep=policy)
    a = res.audit.set_index("doc_id")
    assert a.action.to_dict() == {kept: "kept", ({"s0", "exact0"} - {kept}).pop(): "removed"}
    assert res.tokens.doc_ids == [d for d in ["s0", "exact0", "other"] if d != ({"s0", "exact0"} - {kept}).pop()]


def test_keep_all_marks_and_removes_nothing(planted):
    res = dedup(planted, keep="all", versions="all")
    assert res.audit.attrs["documents_kept"] == planted.n_docs
    assert (res.audit.action != "removed").all() and (res.audit.action == "marked").sum() == 8
    assert res.tokens.n_docs == planted.n_docs


def test_reconciliation_read_equals_kept_plus_removed_by_kind(result, planted):
    a = result.audit.attrs
    assert a["documents_read"] == planted.n_docs == 18
    assert a["removed"] == {"exact": 1, "near": 2, "version": 2, "syndicated": 0}
    assert a["documents_read"] == a["documents_kept"] + sum(a["removed"].values())
    rec = result.reconciliation
    assert rec.loc[rec.stage == "read", "documents"].item() == rec.loc[rec.stage != "read", "documents"].sum()
    assert result.tokens.n_docs == a["documents_kept"] == 13 == int(result.kept.sum())
    assert a["clusters_by_kind"] == {"exact": 1, "near": 2, "version": 1, "syndicated": 1}


def test_syndication_marked_with_wire_and_share_by_outlet(result, planted):
    meta = result.tokens.metadata
    assert meta.loc[["s3", "syn_b", "syn_c"], "syndicated"].all() and meta.syndicated.sum() == 3
    assert meta.loc[["s3", "syn_b"], "wire"].tolist() == ["AP", "AP"]
    assert meta.at["s6", "wire"] == "Reuters" and not meta.at["s6", "syndicated"]
    share = result.syndication_share().set_index("outlet")
    lengths = pd.Series(planted.doc_lengths, index=planted.doc_ids)
    docs = planted.metadata
    for outlet in ("Alpha", "Beta", "Gamma"):
        ids = docs.index[docs.outlet == outlet]
        syn = [d for d in ["s3", "syn_b", "syn_c", "syn_c2"] if d in ids]
        assert share.at[outlet, "documents"] == len(ids)
        assert share.at[outlet, "syndicated_documents"] == len(syn)
        assert share.at[outlet, "token_share"] == pytest.approx(lengths[syn].sum() / lengths[ids].sum())
    assert share.at["(all)", "syndicated_documents"] == 4 and share.at["(all)", "documents"] == 18
    assert share.at["Alpha", "wires"] == "AP (1), Reuters (1)"


def test_syndicated_remove_keeps_one_copy_overall(planted):
    res = dedup(planted, syndicated="remove")
    a = res.audit.set_index("doc_id")
    assert a.loc[["s3", "syn_b", "syn_c", "syn_c2"], "action"].tolist() == ["kept", "removed", "removed", "removed"]
    assert res.audit.attrs["removed"]["syndicated"] == 2


@pytest.mark.parametrize("text,byline,wire", [
    ("LONDON (Reuters) - Ministers met.", None, "Reuters"), ("PARIS (AFP) \u2013 Talks resumed.", None, "AFP"),
    ("Talks resumed.\n\u2014 Agence France-Presse", None, "AFP"), ("Rain fell.", "By The Associated Press", "AP"),
    ("Rain fell all day in the valley.", None, None), ("The app (APP) failed.", None, None)])
def test_wire_credit_patterns(text, byline, wire):
    assert wire_credit(text, byline) == wire


def test_degenerate_inputs():
    one = dedup(dc.tokenize(dc.Corpus.from_records([{"id": "a", "text": "nothing to compare here"}])))
    assert one.audit.empty and one.audit.attrs["documents_kept"] == 1 and one.tokens.doc_ids == ["a"]
    rng = np.random.default_rng(5)
    distinct = dedup(dc.tokenize(dc.Corpus.from_records(
        [{"id": f"d{i}", "text": " ".join(_words(rng, 100))} for i in range(6)] + [{"id": "e1", "text": ""},
                                                                                   {"id": "e2", "text": ""}])))
    assert distinct.audit.empty and distinct.audit.attrs["documents_kept"] == 8
    assert distinct.audit.attrs["empty_documents"] == 2   # empty texts are not duplicates of each other
    short = dedup(dc.tokenize(dc.Corpus.from_records([{"id": "a", "text": "bako dume"}, {"id": "b", "text": "bako dume"}])))
    assert _clusters(short) == {frozenset({"a", "b"})} and short.audit.attrs["removed"]["exact"] == 1


def test_arguments_are_validated(planted):
    with pytest.raises(ValueError, match="threshold must lie strictly between 0 and 1"):
        dedup(planted, threshold=1.5)
    with pytest.raises(ValueError, match="keep must be one of"):
        dedup(planted, keep="best")
    with pytest.raises(ValueError, match="shingle must be an integer >= 1"):
        dedup(planted, shingle=0)
    with pytest.raises(KeyError):
        dedup(planted, keep={"nonexistent": ["x"]})
    with pytest.raises(ValueError, match="keep as a preference must map one column to a list of values"):
        dedup(planted, keep={"outlet": "Alpha"})


def test_methods_paragraph_states_settings_and_counts(result):
    text, refs = dc.methods_paragraph([result.audit])
    for part in ("word 5-gram shingles", "128 permutations (seed 1)", "21 bands of 6 rows", "at least 0.8",
                 "Of 18 documents read, 13 were kept and 5 removed (1 exact duplicates, 2 near duplicates, "
                 "2 other versions, 0 syndicated copies)"):
        assert part in text
    assert any(r.startswith("Broder, A. Z. (1997)") for r in refs)


def test_a_corpus_without_outlets_and_the_documents_table():
    rng = np.random.default_rng(9)
    w = _words(rng, 120)
    corpus = dc.Corpus.from_records([{"id": "a", "text": "(Reuters) - " + " ".join(w)},
                                     {"id": "b", "text": "(Reuters) - " + " ".join(w)},
                                     {"id": "c", "text": " ".join(_words(rng, 120)) + "\n(AP) \u2014 and AFP"}])
    res = dedup(corpus)                          # a Corpus is tokenized with the defaults
    docs = res.documents.set_index("doc_id")
    assert docs.kind.iloc[:2].tolist() == ["exact", "exact"] and pd.isna(docs.kind.iloc[2])
    assert docs.kept.tolist() == [True, False, True] and docs.action.tolist() == ["kept", "removed", "kept"]
    assert docs.wire.tolist() == ["Reuters", "Reuters", "AP"]   # "and AFP" is no credit line
    assert res.tokens.metadata.dup_cluster.tolist() == [0, pd.NA]
    assert res.syndication_share().set_index("outlet").at["(none)", "documents"] == 3
