"""Cleaning: chrome never reaches the counts; raw text untouched; every removal audited."""
import hashlib
import unicodedata

import numpy as np
import pytest

import discourse as dc
from discourse.datasets import make_news_corpus

CHROME_TERMS = ["icon", "bookmarkicon", "chevron", "downicon", "vkicon", "fm", "podcasts", "0:00", "27:26",
                "27:2", "jinping", "slips", "throws", "media", "dec", "11:46"]


@pytest.fixture(scope="module")
def sample():
    return dc.read_corpus(dc.sample_corpus_path())


@pytest.fixture(scope="module")
def cleaned(sample):
    return dc.clean(sample)


def test_no_chrome_token_in_any_frequency_table(cleaned):
    tokens = dc.tokenize(cleaned)
    for by in (None, "outlet"):
        table = dc.frequencies(tokens, by=by)
        assert not set(CHROME_TERMS) & set(table["term"]), set(CHROME_TERMS) & set(table["term"])
    # the headline's words that also occur in the body keep only their body counts
    rt = dc.frequencies(tokens, by="outlet", terms=["furious"]).set_index("group")["freq"]
    rt_body = cleaned.texts[cleaned.ids.index("rt_2021-12-10_nato_biden")]
    assert rt["RT"] == rt_body.count("furious") == 1


def test_raw_text_is_never_modified(sample, cleaned):
    assert cleaned.raw == sample.texts
    for doc_id in cleaned.ids:
        path = dc.sample_corpus_path() / cleaned.metadata.loc[doc_id, "source_file"]
        assert path.read_bytes().decode("utf-8") == cleaned.raw[cleaned.ids.index(doc_id)]
    # the seeds shipped byte-for-byte
    digests = {p.name: hashlib.sha256(p.read_bytes()).hexdigest()[:12] for p in dc.sample_corpus_path().glob("*.txt")}
    assert digests == {"003_3933fc4ee2bbde09.txt": "03f3e78aca33", "000_afe3cd3c283cb472.txt": "3519763002f6"}


def test_audit_lists_every_removed_span(cleaned):
    audit = cleaned.audit
    assert list(audit.columns) == ["doc_id", "rule", "start", "end", "text", "replacement"]
    for doc_id, raw, text in zip(cleaned.ids, cleaned.raw, cleaned.texts):
        rows = audit[audit.doc_id == doc_id].sort_values("start")
        for r in rows.itertuples():
            assert raw[r.start:r.end] == r.text
        # rebuilding the cleaned text from the raw text and the audit gives the same text
        kept, pos = [], 0
        for r in rows.itertuples():
            assert r.start >= pos  # spans do not overlap
            kept.append(raw[pos:r.start] + r.replacement)
            pos = r.end
        kept.append(raw[pos:])
        assert unicodedata.normalize("NFC", "".join(kept)) == text
    rules = audit.groupby("doc_id")["rule"].agg(set).to_dict()
    assert {"icon_sprite_line", "dateline", "headline", "podcast_player"} <= rules["rt_2021-12-10_nato_biden"]
    assert rules["tfipost_nato_biden"] == {"also_read"}
    assert (audit[audit.rule == "also_read"]["text"].str.startswith("Also read:")).all()
    assert len(audit[audit.rule == "also_read"]) == 3
    assert len(audit[audit.rule == "headline"]) == 2  # the headline stood twice


def test_reconciliation_against_an_independent_count(sample, cleaned):
    tokens = dc.tokenize(cleaned)
    rec = tokens.reconciliation.set_index(["stage", "reason"])["tokens"]
    # raw tokens, counted independently by tokenizing the uncleaned corpus with nothing dropped
    raw_tokens = dc.tokenize(sample, punctuation="keep")
    assert rec[("raw", "all tokens in the raw text")] == raw_tokens.n_tokens
    removed = rec.loc["removed by cleaning"].sum()
    read = rec[("read", "all tokens in the cleaned text")]
    assert rec[("raw", "all tokens in the raw text")] == removed + read
    dropped = rec.loc["dropped"].sum()
    assert read == rec[("counted", "counted")] + dropped
    assert rec[("counted", "counted")] == tokens.n_tokens == tokens.dtm.sum()


def test_user_profile_file(tmp_path, sample):
    cfg = tmp_path / "mine.yaml"
    cfg.write_text(
        "rules:\n"
        "  bloomberg:\n    kind: span\n    pattern: 'Bloomberg(?: Quint)?'\n"
        "profiles:\n  all:\n    rules: [bloomberg]\n", encoding="utf-8")
    out = dc.clean(sample, cfg)
    assert all("Bloomberg" not in t for t in out.texts)
    assert set(out.audit["text"]) == {"Bloomberg", "Bloomberg Quint"}
    assert "Also read" in out.texts[1]  # rules not in this profile do not run


def test_bad_profiles_are_clear_errors(tmp_path):
    with pytest.raises(ValueError, match="kind must be one of"):
        dc.load_profiles({"rules": {"x": {"kind": "nope"}}, "profiles": {}})
    with pytest.raises(ValueError, match="invalid or missing pattern"):
        dc.load_profiles({"rules": {"x": {"kind": "line", "pattern": "("}}, "profiles": {}})
    with pytest.raises(ValueError, match="undefined rules"):
        dc.load_profiles({"rules": {}, "profiles": {"p": {"rules": ["ghost"]}}})


def test_recurring_lines_detector_removes_outlet_boilerplate():
    sc = make_news_corpus(60_000, n_outlets=3, seed=3)
    corpus = dc.Corpus.from_records(sc.records)
    found = dc.recurring_lines(corpus)
    for outlet, lines in sc.boilerplate_lines.items():
        assert set(lines) <= found[outlet]
    cleaned = dc.clean(corpus)
    assert (cleaned.audit.rule.isin(["recurring_line", "share_line"])).any()
    for text in cleaned.texts:
        for lines in sc.boilerplate_lines.values():
            assert not any(line in text for line in lines)
    # the bodies are intact: identical to the corpus generated without boilerplate
    plain = make_news_corpus(60_000, n_outlets=3, seed=3, boilerplate=False)
    assert [t.strip() for t in cleaned.texts] == [r["text"].strip() for r in plain.records]


def test_recurring_detector_never_fires_on_one_document_outlets(sample):
    assert dc.recurring_lines(sample) == {}


def _recurring_by_hand(corpus, group="outlet", min_docs=3, min_share=0.5, min_chars=3):
    """The definition, counted on the strings themselves (no hashing): lines in at least
    max(min_docs, min_share * distinct documents) of a group's distinct documents."""
    import collections

    found = {}
    for key, positions in corpus.metadata.groupby(group, dropna=True).indices.items():
        texts = {corpus.texts[i] for i in positions}
        if len(positions) < min_docs or len(texts) < min_docs:
            continue
        counts = collections.Counter(ln for t in texts for ln in {x.strip() for x in t.splitlines()}
                                     if len(ln) >= min_chars)
        lines = {ln for ln, c in counts.items() if c >= max(min_docs, min_share * len(texts))}
        if lines:
            found[key] = lines
    return found


@pytest.fixture(scope="module")
def recurring_corpus():
    sc = make_news_corpus(60_000, n_outlets=4, seed=5)
    records = list(sc.records)
    # a line in exactly half of one outlet's distinct documents (at the threshold) and one just below it
    first = records[0]["outlet"]
    own = [k for k, r in enumerate(sc.records) if r["outlet"] == first]
    for j, k in enumerate(own):
        extra = ("Half of them carry this line." if j % 2 == 0 else "") + ("\nA few less than half." if j % 2 and j > 2 else "")
        records[k] = {**records[k], "text": records[k]["text"] + "\n" + extra}
    copies = [{**r, "id": f"copy{k}"} for k, r in enumerate(records[:7])]  # identical copies count once
    return dc.Corpus.from_records(records + copies)


def test_chunked_and_pooled_recurring_lines_equal_the_whole(recurring_corpus, monkeypatch):
    """Passes 1 and 2 count chunks of a group's documents with a stable hash (pandas hash_array); in chunks of 7
    documents or of 1,000, in worker processes or here, the lines equal the definition counted by hand."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    import discourse.recurring as rec

    expected = _recurring_by_hand(recurring_corpus)
    first = recurring_corpus.metadata.outlet.iloc[0]
    assert "Half of them carry this line." in expected[first] and "A few less than half." not in expected[first]
    assert len(expected) == 4 and all(expected.values())
    assert dc.recurring_lines(recurring_corpus) == expected
    monkeypatch.setattr(rec, "_CHUNK", 7)
    assert dc.recurring_lines(recurring_corpus) == expected
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        assert dc.recurring_lines(recurring_corpus, executor=pool) == expected
        # as the store build runs it: on the normalised texts, their digests computed once for both detectors
        lines, _ = dc.cleaning.detections(recurring_corpus, boilerplate=False, executor=pool)
    assert lines == expected


def test_recurring_lines_are_exact_when_every_line_hash_collides(recurring_corpus, monkeypatch):
    """A hash only selects candidates; pass 2 counts the lines themselves, so even one hash for all lines
    (every line a candidate) gives exactly the recurring lines."""
    import discourse.recurring as rec

    monkeypatch.setattr(rec, "_hashes", lambda lines: np.zeros(len(lines), np.uint64))
    monkeypatch.setattr(rec, "_CHUNK", 50)
    assert dc.recurring_lines(recurring_corpus) == _recurring_by_hand(recurring_corpus)
