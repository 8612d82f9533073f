"""Normalisation before cleaning, no glued words, and cleaning never empties a document silently (issue 11)."""
import unicodedata
import warnings

import pandas as pd
import pytest

import discourse as dc
from discourse import CleaningWarning
from discourse.normalisation import JOINED

RULES = {"rules": {
    "also_read": {"kind": "line", "pattern": r"^[ \t]*Also read\s*:.*$"},
    "timestamp": {"kind": "line", "pattern": r"^[ \t]*\d{1,2}:\d{2}[ \t]*$"},
    "reuters": {"kind": "span", "pattern": r"\(Reuters\)"},
    "player": {"kind": "block", "pattern": r"^Podcasts$"},
}, "profiles": {"all": {"rules": ["also_read", "timestamp", "reuters", "player"]}}}

# a user's span rule that also cuts inside words ("xBloombergy" -> "x y": one raw token, two read)
HOSTILE = {"rules": {**RULES["rules"], "bloomberg": {"kind": "span", "pattern": "Bloomberg"}},
           "profiles": {"all": {"rules": [*RULES["profiles"]["all"]["rules"], "bloomberg"]}}}

BODY = ["Also read: Nato slips", "Moscow warned the alliance on Friday.", "27:26", "The talks resume in Geneva.",
        "Also read: Biden throws down"]


def corpus(texts, outlet=None):
    records = [{"id": f"d{i}", "text": t, "outlet": outlet or f"o{i}"} for i, t in enumerate(texts)]
    return dc.Corpus.from_records(records)


def clean(texts, outlet=None, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CleaningWarning)
        return dc.clean(corpus(texts, outlet), RULES, **kw)


def rebuilt(c):
    """The cleaned texts from the raw texts and the audit alone: raw with each span replaced by its replacement."""
    out = []
    for doc_id, raw in zip(c.ids, c.raw):
        pieces, pos = [], 0
        for r in c.audit[c.audit.doc_id == doc_id].sort_values("start").itertuples():
            assert r.start >= pos and raw[r.start:r.end] == r.text
            pieces += [raw[pos:r.start], r.replacement]
            pos = r.end
        out.append(unicodedata.normalize("NFC", "".join(pieces) + raw[pos:]))
    return out


def reconciles(c):
    """raw tokens (tokenized independently from the raw text) = removed by rule + read; read = counted + dropped."""
    tokens = dc.tokenize(c)
    rec = tokens.reconciliation.set_index(["stage", "reason"])["tokens"]
    raw = dc.tokenize(c.raw, punctuation="keep").n_tokens
    assert rec[("raw", "all tokens in the raw text")] == raw
    assert raw == rec.loc["removed by cleaning"].sum() + rec[("read", "all tokens in the cleaned text")]
    assert rec[("read", "all tokens in the cleaned text")] == rec[("counted", "counted")] + rec.get("dropped", pd.Series(dtype=int)).sum()
    return tokens


def terms(tokens, doc=0):
    vocab = list(tokens.vocab)
    row = tokens.dtm[doc]
    return sorted(vocab[j] for j in row.indices)


@pytest.mark.parametrize("eol", ["\r", "\r\n", "mixed"])
def test_line_endings_are_normalised_before_line_rules(eol):
    lf = clean(["\n".join(BODY)])
    raw = "\r\n".join(BODY[:2]) + "\r" + "\n".join(BODY[2:]) if eol == "mixed" else eol.join(BODY)
    other = clean([raw])
    # the CR-only file once lost its whole article: "Also read: .*$" matched the one long "line"
    assert other.texts == lf.texts == ["Moscow warned the alliance on Friday.\nThe talks resume in Geneva.\n"]
    assert other.raw == [raw]
    assert rebuilt(other) == other.texts
    rules = set(other.audit.rule)
    assert {"also_read", "timestamp"} <= rules
    assert ("normalise:cr" in rules) == (eol != "\r\n") and ("normalise:crlf" in rules) == (eol == "\r\n")
    reconciles(other)


def test_lone_cr_is_audited_as_a_replacement():
    c = clean(["Moscow said.\rGeneva replied.\r\nKyiv waited."])
    assert c.texts == ["Moscow said.\nGeneva replied.\nKyiv waited."]
    rows = c.audit[["rule", "start", "end", "text", "replacement"]].values.tolist()
    assert rows == [["normalise:cr", 12, 13, "\r", "\n"], ["normalise:crlf", 28, 29, "\r", ""]]
    assert rebuilt(c) == c.texts


@pytest.mark.parametrize("char,rule", [("\u200b", "normalise:zero_width"), ("\u200c", "normalise:zero_width"),
                                       ("\u200d", "normalise:zero_width"), ("\u2060", "normalise:zero_width"),
                                       ("\u00ad", "normalise:soft_hyphen"), ("\ufeff", "normalise:bom"),
                                       ("\u200e", "normalise:bidi"), ("\u202e", "normalise:bidi"),
                                       ("\u2068", "normalise:bidi")])
def test_invisible_characters_are_removed_and_join_the_word(char, rule):
    c = clean([f"Troops left Kalinin{char}grad{char} on Monday."])
    assert c.texts == ["Troops left Kaliningrad on Monday."]
    assert c.audit[["rule", "start", "end", "text", "replacement"]].values.tolist() == [
        [rule, 19, 20, char, ""], [rule, 24, 25, char, ""]]
    tokens = reconciles(c)
    assert terms(tokens) == sorted(["troops", "left", "kaliningrad", "on", "monday"])
    rec = tokens.reconciliation.set_index("reason")["tokens"]
    assert rec[JOINED] == 1 and rec[rule] == 2  # the two removed characters were punctuation tokens in the raw text


def test_several_invisible_characters_and_a_bom_at_the_start():
    raw = "\ufeffThe \u202bKalinin\u200b\u00adgrad\u202c garrison\u200d."
    c = clean([raw])
    assert c.texts == ["The Kaliningrad garrison."]
    assert c.audit.rule.tolist() == ["normalise:bom", "normalise:bidi", "normalise:zero_width",
                                     "normalise:soft_hyphen", "normalise:bidi", "normalise:zero_width"]
    assert rebuilt(c) == c.texts
    assert terms(reconciles(c)) == ["garrison", "kaliningrad", "the"]


@pytest.mark.parametrize("raw,expected", [
    ("LONDON(Reuters)Russia said", "LONDON Russia said"),
    ("LONDON (Reuters)Russia said", "LONDON Russia said"),
    ("LONDON (Reuters) Russia said", "LONDON  Russia said"),
    ("LONDON\u200b(Reuters)Russia said", "LONDON Russia said"),
    ("(Reuters)Russia said", "Russia said"),
])
def test_span_removal_never_glues_words(raw, expected):
    c = clean([raw])
    assert c.texts == [expected]
    assert rebuilt(c) == c.texts
    tokens = reconciles(c)
    assert terms(tokens) == (["london", "russia", "said"] if "LONDON" in raw else ["russia", "said"])
    assert "londonrussia" not in set(tokens.vocab)
    row = c.audit[c.audit.rule == "reuters"].iloc[0]
    assert (row.text, row.replacement) == ("(Reuters)", " " if raw.startswith("LONDON(") or "\u200b" in raw else "")


def test_a_rule_taking_most_of_a_document_warns_with_document_and_rule():
    texts = ["Moscow warned.\nPodcasts\n" + "27:26 " * 40, "Moscow warned the alliance on Friday."]
    with pytest.warns(CleaningWarning, match=r"more than 50% of 1 document\(s\) by one rule \(rule 'player': d0\)"):
        c = dc.clean(corpus(texts), RULES)
    heavy = c.params["cleaning"]["heavy_removals"]
    assert heavy == [{"doc_id": "d0", "rule": "player", "share": round((len(texts[0]) - 15) / len(texts[0]), 4)}]
    assert c.texts[0] == "Moscow warned.\n"
    with warnings.catch_warnings():
        warnings.simplefilter("error", CleaningWarning)
        quiet = dc.clean(corpus(texts), RULES, max_removed=0.95)  # the share is configurable
    assert quiet.params["cleaning"]["heavy_removals"] == []
    with pytest.raises(ValueError, match="max_removed must lie strictly between 0 and 1"):
        dc.clean(corpus(texts), RULES, max_removed=1.5)


def test_an_emptied_document_is_kept_listed_and_warned_about():
    texts = ["Also read: Nato slips\r27:26\r", "Moscow warned the alliance on Friday."]
    with pytest.warns(CleaningWarning) as caught:
        c = dc.clean(corpus(texts), RULES)
    assert [str(w.message) for w in caught] == [
        "cleaning removed more than 50% of 1 document(s) by one rule (rule 'also_read': d0); "
        "see corpus.params['cleaning']['heavy_removals']",
        "cleaning EMPTIED 1 document(s) (d0); they are kept with an empty text and listed in "
        "corpus.params['cleaning']['emptied']"]
    assert c.ids == ["d0", "d1"] and c.texts == ["", texts[1]]
    assert c.params["cleaning"]["emptied"] == ["d0"]
    assert rebuilt(c) == c.texts
    reconciles(c)


def test_identical_documents_are_reported_not_emptied_by_the_recurring_detector():
    story = "Moscow warned the alliance on Friday.\nThe talks resume in Geneva.\nOfficials declined to comment."
    texts = [story] * 4 + ["Another story about Kyiv.\nShare the news today."]
    with pytest.warns(CleaningWarning, match=r"4 documents are identical copies in 1 group\(s\) \(d0, d1, d2, d3\)"):
        c = dc.clean(corpus(texts, outlet="Wire"), {"rules": {}, "profiles": {}})
    assert c.texts == texts
    assert c.params["cleaning"]["duplicates"] == [["d0", "d1", "d2", "d3"]]
    assert dc.recurring_lines(corpus(texts, outlet="Wire")) == {}
    # real boilerplate shared by distinct documents is still found, copies counted once
    texts2 = [f"Story {w} happened.\nSubscribe to our channel" for w in ("one", "two", "three")] + [texts[0]] * 3
    found = dc.recurring_lines(corpus(texts2, outlet="Wire"))
    assert found == {"Wire": {"Subscribe to our channel"}}


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_hostile_mixtures_rebuild_from_the_audit_and_reconcile(seed):
    """Seeded random documents of words, line breaks of every kind, invisible characters and chrome."""
    import random

    rng = random.Random(seed)
    pieces = ["Kalinin", "grad", "Russia", "xBloombergy", "Bloomberg", "Nato's", "U.S.-led", "talks", "3.5%", " ", " ", ".", "-", "'",
              "\u200b", "\u00ad", "\ufeff", "\u202e", "\u2066", "(Reuters)", "\r", "\r\n", "\n", "\n27:26\n",
              "\nAlso read: more\n", "\nPodcasts\n"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 60))) for _ in range(300)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CleaningWarning)
        c = dc.clean(corpus(texts, outlet="Wire"), HOSTILE)
        lf = dc.clean(corpus([t.replace("\r\n", "\n").replace("\r", "\n") for t in texts], outlet="Wire"), HOSTILE)
    assert c.raw == texts
    assert rebuilt(c) == c.texts
    reconciles(c)
    # line rules see the same lines whatever the line endings
    assert c.texts == lf.texts
    assert not any(ch in t for t in c.texts for ch in "\r\u200b\u00ad\ufeff\u202e\u2066")


def test_a_cut_inside_a_token_is_a_reconciliation_row():
    # "xBloombergy": one raw token, but two read ("x", "y") and one removed ("Bloomberg"): -2
    c = dc.clean(corpus(["xBloombergy said.\r\n", "Moscow\r\n"]), HOSTILE)
    assert c.texts == ["x y said.\n", "Moscow\n"]
    rec = reconciles(c).reconciliation.set_index("reason")["tokens"]
    assert rec[JOINED] == -2 and rec["bloomberg"] == 1 and rec["normalise:crlf"] == 0
