"""Per-outlet boilerplate: planted furniture found as exact patterns, removed with an audit, body untouched."""
import re
import warnings

import numpy as np
import pandas as pd
import pytest

import discourse as dc
from discourse.boilerplate import PATTERN_COLUMNS, boilerplate_rules
from discourse.corpus import Corpus
from discourse.datasets.furniture import SHARED_LINE, make_furniture_corpus, removal_scores

WORD = re.compile(r"\w+")  # the test's own token count, independent of the detector's tokens
EXPECTED = {
    ("Coastal Times", "Coastal Times | Home | Politics | Sport", "line", "header"),
    ("Coastal Times", "© # Coastal Times. All rights reserved.", "line", "footer"),
    ("Coastal Times", "contributed to this report.", "span", "footer"),
    ("Metro Herald", "Metro Herald - Breaking News, Latest News and Videos", "line", "header"),
    ("Metro Herald", "JUST WATCHED", "line", "inline"),
    ("Metro Herald", "Replay", "line", "inline"),
    ("Metro Herald", "More Videos ...", "line", "inline"),
    ("Metro Herald", "MUST WATCH", "line", "inline"),
    ("Metro Herald", "Photos:", "span", "inline"),
    ("Metro Herald", "Hide Caption # of #", "line", "inline"),
    ("Northwire", "— Northwire", "line", "footer"),
    ("Northwire", "© # Northwire Ltd. All rights reserved.", "line", "footer"),
}
NO_RULES = {"rules": {}, "profiles": {}}


@pytest.fixture(scope="module")
def planted():
    return make_furniture_corpus(400, seed=3)


@pytest.fixture(scope="module")
def patterns(planted):
    return dc.detect_boilerplate(planted.corpus)


def test_detects_exactly_the_planted_furniture(patterns):
    assert list(patterns.columns) == PATTERN_COLUMNS
    assert set(zip(patterns.outlet, patterns.text, patterns.kind, patterns.position)) == EXPECTED
    assert patterns.accept.all() and (patterns.share_elsewhere == 0).all()
    # ids 1.. per outlet, most frequent first; rule names carry them
    head = patterns[patterns.outlet == "Metro Herald"].iloc[0]
    assert (head.id, head.rule, head.text) == (1, "boilerplate:Metro Herald:1",
                                               "Metro Herald - Breaking News, Latest News and Videos")
    assert patterns.attrs["boilerplate"] == {"by": "outlet", "n": 8, "min_share": 0.2, "max_elsewhere": 0.02,
                                             "min_docs": 3, "numbers": "normalised", "edge_lines": 3,
                                             "sample": 2000, "seed": 0, "documents_distinct": 400,
                                             "documents_sampled": 400}


def test_share_counts_documents_by_hand(planted, patterns):
    meta = planted.corpus.metadata
    nw = [t for t, o in zip(planted.corpus.texts, meta.outlet) if o == "Northwire"]
    by_hand = sum("\n— Northwire\n" in t for t in nw)
    row = patterns[(patterns.outlet == "Northwire") & (patterns.text == "— Northwire")].iloc[0]
    assert row.documents == by_hand and row.share == round(by_hand / len(nw), 4)
    years = {m for t in nw for m in re.findall(r"© (\d{4}) Northwire", t)}
    assert len(years) > 5  # one pattern covers every year
    rx = re.compile(patterns[patterns.text.str.startswith("© # Northwire")].pattern.iloc[0].replace("(?im)", ""),
                    re.I | re.M)
    assert all(rx.search(f"© {y} Northwire Ltd. All rights reserved.") for y in years)
    assert planted.corpus.ids.index(row.example) >= 0 and meta.loc[row.example, "outlet"] == "Northwire"


def test_recall_of_furniture_and_body_untouched(planted):
    cleaned = dc.clean(planted.corpus, NO_RULES, recurring=False, boilerplate=True)
    audit = cleaned.audit
    assert audit.rule.str.startswith("boilerplate:").all()
    scores = removal_scores(planted, audit)
    furniture, body, body_removed = scores["furniture"], scores["body"], scores["body_removed"]
    assert furniture > 3000 and body > 90_000
    assert scores["recall"] >= 0.95 and scores["body_share"] <= 0.005
    assert body_removed == 0  # on this corpus: not one body word
    # the audit reconstructs the cleaned text, and no two words were glued
    for doc_id, raw, text in zip(cleaned.ids[:50], cleaned.raw[:50], cleaned.texts[:50]):
        rows = audit[audit.doc_id == doc_id].sort_values("start")
        out, pos = [], 0
        for s, e, t, rep in zip(rows.start, rows.end, rows.text, rows.replacement):
            assert raw[s:e] == t
            out += [raw[pos:s], rep]
            pos = e
        assert "".join(out) + raw[pos:] == text
        assert set(WORD.findall(text)) <= set(WORD.findall(raw))  # a glued word would be a new token


def test_a_line_every_outlet_shares_is_no_outlets_boilerplate(planted, patterns):
    share = np.mean([bool(s) for s in planted.shared])
    assert share > 0.5  # in most documents of every outlet ...
    assert not patterns.text.str.contains("newsletter", case=False).any()  # ... so in none's patterns
    cleaned = dc.clean(planted.corpus, NO_RULES, recurring=False, boilerplate=True)
    assert sum(SHARED_LINE in t for t in cleaned.texts) == sum(SHARED_LINE in t for t in planted.corpus.texts)


def test_outlet_without_furniture_and_one_document_per_outlet(planted, patterns):
    assert "Plain Post" not in set(patterns.outlet)
    few = Corpus(planted.corpus.texts[:4], planted.corpus.metadata.iloc[:4])  # one document per outlet
    out = dc.detect_boilerplate(few)
    assert out.empty and list(out.columns) == PATTERN_COLUMNS
    cleaned = dc.clean(few, NO_RULES, recurring=False, boilerplate=True)
    assert cleaned.audit.empty and list(cleaned.texts) == list(few.texts)
    assert dc.detect_boilerplate(Corpus([], pd.DataFrame({"outlet": []}))).empty
    assert dc.detect_boilerplate(planted.corpus, by="no_such_column").empty
    unnamed = Corpus(list(planted.corpus.texts[:8]), pd.DataFrame({"outlet": [None] * 8}, index=range(8)))
    assert dc.detect_boilerplate(unnamed).empty  # documents without an outlet are not searched


def test_one_outlet_has_no_elsewhere(planted):
    meta = planted.corpus.metadata
    keep = np.flatnonzero(meta.outlet == "Northwire")
    one = Corpus([planted.corpus.texts[i] for i in keep], meta.iloc[keep])
    out = dc.detect_boilerplate(one)
    # with no other outlet there is no max_elsewhere test: the outlet's furniture is found, and so are the
    # newsletter line every outlet has and the commonest line endings (review them: the docstring says so)
    assert {"— Northwire", "© # Northwire Ltd. All rights reserved.", SHARED_LINE} <= set(out.text)
    assert out.share_elsewhere.isna().all()


def test_identical_copies_count_once():
    texts = ["Shared furniture line here\nunique body %d words" % i for i in range(2)] * 5
    meta = pd.DataFrame({"outlet": ["A"] * 10}, index=[f"d{i}" for i in range(10)])
    assert dc.detect_boilerplate(Corpus(texts, meta)).empty  # two distinct texts < min_docs


def test_exact_numbers_split_the_years(planted):
    out = dc.detect_boilerplate(planted.corpus, numbers="exact")
    assert not out.text.str.contains("#").any()
    assert (out.text.str.match(r"© \d{4} Northwire")).sum() == 0  # no one year reaches 20% of documents
    assert "— Northwire" in set(out.text)


def test_review_save_load_and_clean(planted, patterns, tmp_path):
    reviewed = patterns.copy()
    reviewed.loc[reviewed.text == "Photos:", "accept"] = False  # a researcher rejects one
    path = dc.save_profile(reviewed, tmp_path / "furniture.yaml")
    config = dc.load_profiles(path)
    assert set(config["rules"]) == set(reviewed.rule[reviewed.accept])
    assert config["profiles"]["boilerplate:Northwire"] == {
        "match": {"outlet": "Northwire"}, "rules": ["boilerplate:Northwire:1", "boilerplate:Northwire:2"]}
    from_file = dc.clean(planted.corpus, path, recurring=False, boilerplate=False)
    from_table = dc.clean(planted.corpus, NO_RULES, recurring=False, boilerplate=reviewed)
    assert from_file.audit.equals(from_table.audit)
    assert "Photos:" in " ".join(from_file.texts) and "Hide Caption" not in " ".join(from_file.texts)
    assert from_table.params["cleaning"]["boilerplate"] == "reviewed"
    # a pattern the researcher adds by hand is one more row
    added = pd.concat([reviewed, pd.DataFrame([{**reviewed.iloc[0].to_dict(), "id": 99, "rule": "boilerplate:x:99",
                                                 "pattern": "(?i)Photos:", "kind": "span", "accept": True}])])
    assert "boilerplate:x:99" in boilerplate_rules(NO_RULES, added)["rules"]


def test_removal_separates_words_and_warns_when_it_empties():
    texts = ["Roe,contributed to this report.Next word"] * 1 + ["contributed to this report."] + [
        f"{w} contributed to this report." for w in ("alpha one", "beta two;", "gamma three,")]
    meta = pd.DataFrame({"outlet": ["A"] * 5}, index=[f"d{i}" for i in range(5)])
    corpus = Corpus(texts, meta)
    found = dc.detect_boilerplate(corpus, min_share=0.5)
    assert list(found.text) == ["contributed to this report."]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cleaned = dc.clean(corpus, NO_RULES, recurring=False, boilerplate=found)
    assert cleaned.texts[0] == "Roe, Next word"  # one space where the span was cut between two characters
    assert cleaned.params["cleaning"]["emptied"] == ["d1"]
    assert any("EMPTIED 1 document" in str(w.message) for w in caught)


@pytest.mark.parametrize("kwargs, message", [
    ({"n": 1}, "n must be"), ({"min_share": 1.5}, "min_share must lie strictly between 0 and 1"),
    ({"numbers": "roman"}, "numbers must be one of"),
])
def test_arguments_are_checked(planted, kwargs, message):
    with pytest.raises(ValueError, match=message):
        dc.detect_boilerplate(planted.corpus, **kwargs)


STARTER_EXAMPLES = [  # (outlet, a line of invented text, rule that must remove it)
    ("CNN", "JUST WATCHED", "video_chrome_line"), ("CNN", "More Videos ...", "video_chrome_line"),
    ("CNN", "MUST WATCH", "video_chrome_line"), ("CNN", "Replay", "video_chrome_line"),
    ("CNN", "A crowd gathers at dusk. Hide Caption 3 of 43", "gallery_caption"),
    ("CNN", "Photos: A crowd gathers at dusk.", "gallery_prefix"),
    ("Reuters", "(Reporting by Jan Roe; Editing by Kim Doe)", "reuters_reporting_line"),
    ("Reuters", "Our Standards: The Thomson Reuters Trust Principles.", "reuters_standards_line"),
    ("Reuters", "— Reuters", "wire_credit_line"), ("Local Daily", " - AP", "wire_credit_line"),
    ("AFP", "AFP", "afp_credit_line"),
    ("Associated Press", "This material may not be published, broadcast, rewritten or redistributed.",
     "ap_rights_line"),
    ("Local Daily", "Jan Roe in Springfield contributed to this report.", "contributed_line"),
    ("Local Daily", "Copyright 2023 Local Daily Media Group", "copyright_line"),
    ("Local Daily", "© 2019-2024 Local Daily. All rights reserved.", "copyright_line"),
    ("Local Daily", "Local Daily Media. All rights reserved.", "rights_reserved_line"),
]


def test_starter_profiles_load_and_match_examples():
    from discourse.boilerplate import starter_profiles

    config = starter_profiles()
    assert {"headline", "also_read", "gallery_caption", "copyright_line"} <= set(config["rules"])  # default kept
    body = "The council met on Tuesday and voted 7 to 2 on the budget."
    after = "Residents will be asked for their views at a meeting in the spring."
    texts = [f"{body}\n{line}\n{after}" for _, line, _ in STARTER_EXAMPLES]
    meta = pd.DataFrame({"outlet": [o for o, _, _ in STARTER_EXAMPLES]},
                        index=[f"s{i}" for i in range(len(texts))])
    cleaned = dc.clean(Corpus(texts, meta), config, recurring=False)
    for (outlet, line, rule), doc_id, text in zip(STARTER_EXAMPLES, cleaned.ids, cleaned.texts):
        rows = cleaned.audit[cleaned.audit.doc_id == doc_id]
        assert list(rows.rule) == [rule], (line, list(rows.rule))
        assert text.startswith(body + "\n") and text.endswith(after)  # the body lines are untouched
    # CNN chrome is not removed from other outlets: the profile matches the outlet
    other = dc.clean(Corpus([f"{body}\nJUST WATCHED\n"], pd.DataFrame({"outlet": ["Local Daily"]}, index=["x"])),
                     config, recurring=False)
    assert other.audit.empty


def test_methods_paragraph_states_the_detector(planted):
    cleaned = dc.clean(planted.corpus, NO_RULES, recurring=False, boilerplate=True)
    assert cleaned.params["cleaning"]["boilerplate_patterns"] == len(EXPECTED)
    text, _ = dc.methods_paragraph(corpus=cleaned)
    assert ("recurring spans of outlet boilerplate removed (12 patterns of word 8-gram shingles in at least 20% of "
            "one outlet's documents and at most 2% of the other documents, numbers normalised)") in text


def test_a_sample_of_each_outlet_finds_the_same_furniture(planted, patterns):
    """With at most 60 documents an outlet searched (seeded), every planted pattern is still found, and the
    sample is reproducible; the removal rules then apply to every document."""
    sampled = dc.detect_boilerplate(planted.corpus, sample=60, seed=5)
    assert set(zip(sampled.outlet, sampled.text)) == set(zip(patterns.outlet, patterns.text))
    outlets = planted.corpus.metadata.outlet.value_counts()
    assert sampled.attrs["boilerplate"]["documents_sampled"] == sum(min(60, n) for n in outlets)
    assert sampled.equals(dc.detect_boilerplate(planted.corpus, sample=60, seed=5))
    spans = [set(zip(c.audit.doc_id, c.audit.start, c.audit.end)) for c in
             (dc.clean(planted.corpus, NO_RULES, recurring=False, boilerplate=p) for p in (sampled, patterns))]
    assert spans[0] == spans[1]  # the same spans removed, in documents outside the sample too
    with pytest.raises(ValueError, match="sample"):
        dc.detect_boilerplate(planted.corpus, sample=0)


def test_clean_removes_detected_boilerplate_by_default(planted):
    """``clean`` runs the detector by default (sampled): its spans are audited as ``boilerplate:*`` rules;
    ``boilerplate=False`` leaves them."""
    on, off = dc.clean(planted.corpus), dc.clean(planted.corpus, boilerplate=False)
    assert on.audit.rule.str.startswith("boilerplate:").any()
    assert not off.audit.rule.str.startswith("boilerplate:").any()
    assert on.params["cleaning"]["boilerplate"] is True and on.params["cleaning"]["boilerplate_params"]["sample"] == 2000


def test_methods_paragraph_states_the_detection_and_its_sample(planted):
    from dataclasses import replace

    from discourse.methods import methods_paragraph

    cleaned = dc.clean(planted.corpus)
    text, _ = methods_paragraph(corpus=cleaned)
    assert "word 8-gram shingles in at least 20% of one outlet's documents" in text and "sample" not in text
    bp = {**cleaned.params["cleaning"]["boilerplate_params"], "documents_sampled": 300}  # as if 2,000 had capped it
    sampled = replace(cleaned, params={**cleaned.params, "cleaning": {**cleaned.params["cleaning"],
                                                                     "boilerplate_params": bp}})
    assert "seeded sample of at most 2,000 documents per outlet, 300 of 400 distinct documents" in \
        methods_paragraph(corpus=sampled)[0]


def test_chunked_and_pooled_detection_equals_the_whole(planted, patterns, monkeypatch):
    """Passes 1 and 2 shingle chunks of documents and sum their counts; on worker processes or here, in
    chunks of 37 documents or of all, the patterns are the same (hashes of words agree between processes)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    import discourse.boilerplate as bp

    monkeypatch.setattr(bp, "_CHUNK", 37)
    chunked = dc.detect_boilerplate(planted.corpus)
    pd.testing.assert_frame_equal(chunked, patterns)
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        pooled = dc.detect_boilerplate(planted.corpus, executor=pool)
    pd.testing.assert_frame_equal(pooled, patterns)
    assert pooled.attrs == patterns.attrs


def test_merged_chunk_counts_equal_the_counts_of_all():
    from discourse.boilerplate_shingles import merge_doc_freq, shingle_doc_freq

    texts = [f"line {i % 3} of a text\nsecond line here {i % 2}\nend" for i in range(30)]
    whole = shingle_doc_freq(texts, 3, True)
    parts = merge_doc_freq([shingle_doc_freq(texts[k:k + 7], 3, True) for k in range(0, 30, 7)])
    np.testing.assert_array_equal(parts[0], whole[0])
    np.testing.assert_array_equal(parts[1], whole[1])
    assert whole[1].max() == 30 and whole[1].sum() > 30  # the "end" line is in every text


def test_each_sampled_document_is_tokenized_once(planted, patterns, monkeypatch):
    """Pass 1's token streams serve pass 3 and its counts pass 2: one LineStreams per pass-1 chunk, the same patterns."""
    import discourse.boilerplate as bp
    from discourse.boilerplate_shingles import LineStreams

    made = []
    init = LineStreams.__init__

    def counted(self, texts, *args):
        made.append(len(texts))
        init(self, texts, *args)

    monkeypatch.setattr(LineStreams, "__init__", counted)
    monkeypatch.setattr(bp, "_CHUNK", 37)
    pd.testing.assert_frame_equal(dc.detect_boilerplate(planted.corpus), patterns)
    assert sum(made) == patterns.attrs["boilerplate"]["documents_sampled"]  # every sampled document once
    assert max(made) <= 37


def test_pass_two_from_pass_one_counts_and_pass_three_by_chunks_equal_the_whole():
    from discourse.boilerplate_patterns import chunk_occurrences, merge_occurrences
    from discourse.boilerplate_shingles import shingle_chunk, shingle_doc_freq, union_doc_freq

    texts = [f"Head line {i % 3} here\nbody {i} words of a text run\nShare this story now\nend" for i in range(40)]
    h, df, arrays = shingle_chunk(texts, 3, True)
    union = np.unique(np.r_[h[df >= 20], np.uint64(12345)])  # one shingle of the union in no text
    # pass 2 as it was: the documents of all the texts that hold each shingle of the union (by hand, a set a text)
    by_text = [set(shingle_doc_freq([t], 3, True)[0].tolist()) for t in texts]
    expected = np.array([sum(int(u) in s for s in by_text) for u in union])
    np.testing.assert_array_equal(union_doc_freq(h, df, union), expected)
    assert expected[np.searchsorted(union, np.uint64(12345))] == 0 and expected.max() == 40
    cand = h[df >= 20]
    whole = chunk_occurrences(texts, arrays, cand, np.zeros(len(cand)), 3, 1)
    parts = [(chunk_occurrences(texts[k:k + 7], shingle_chunk(texts[k:k + 7], 3, True)[2], cand,
                                np.zeros(len(cand)), 3, 1), range(k, k + 7)) for k in range(0, 40, 7)]
    merged = merge_occurrences(parts)
    assert list(merged) == list(whole) and merged == whole  # same sequences, first-occurrence order, counts
    assert max(e[0] for e in whole.values()) == 40  # "Share this story now" in every text
