"""Reconciliation on hostile input (issue 11): nothing is dropped without being counted.

Three identities, each checked against numbers computed here, independently of
the package (counting the files, rows and lines written; tokenising with a
plain regex, which agrees with the package's token definition on these texts:
ASCII words, integers and punctuation characters, no hyphen, apostrophe, URL or
decimal):

- documents given = read + skipped (by reason), from ``corpus.report``;
- raw tokens = tokens read + tokens removed by each cleaning rule, from
  ``tokens.reconciliation`` (rows ``raw``, ``removed by cleaning``, ``read``);
- tokens read = counted + dropped (by reason), from the same table, with
  ``counted`` equal to the document-term matrix.
"""
import re
import warnings
from collections import Counter

import pandas as pd
import pytest

import discourse as dc

WORD = re.compile(r"\w+|[^\w\s]")  # a word or number, or one punctuation character


def regex_tokens(texts):
    return sum(len(WORD.findall(t)) for t in texts)


def read_quietly(path, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return dc.read_corpus(path, **kw)


def skipped_by_reason(corpus):
    """Skipped items by the reason's kind (the text before any quoted name or parenthesis)."""
    reasons = corpus.report.skipped["reason"].str.replace(r"\s*[('\"].*$|:.*$", "", regex=True)
    return reasons.value_counts().to_dict()


def rec(tokens):
    return tokens.reconciliation.set_index(["stage", "reason"])["tokens"]


# -- documents given = read + skipped ------------------------------------------------------------------------------

@pytest.fixture
def folder(tmp_path):
    """A manifest naming a missing file, an empty and a blank file, an id twice; identical files; a file not listed."""
    d = tmp_path / "corpus"
    d.mkdir()
    files = {"a.txt": "LONDON (Reuters) - Moscow said the talks went well.\nRead more: subscribe now\n",
             "b.txt": "Washington said the 3 rounds of talks failed.",
             "empty.txt": "", "blank.txt": "  \n \n",
             "c.txt": "Kyiv said nothing at all.", "c2.txt": "Kyiv said nothing at all.",
             "unlisted.txt": "Not in the manifest, read all the same."}
    for name, text in files.items():
        (d / name).write_text(text, encoding="utf-8")
    rows = [("a", "a.txt", "RT"), ("b", "b.txt", "BBC"), ("gone", "missing.txt", "RT"), ("a", "b.txt", "RT"),
            ("e", "empty.txt", "RT"), ("bl", "blank.txt", "BBC"), ("c", "c.txt", "RT"), ("c2", "c2.txt", "BBC")]
    pd.DataFrame(rows, columns=["id", "source_file", "outlet"]).to_csv(d / "manifest.csv", index=False)
    return d, files, rows


def test_folder_documents_given_are_read_or_skipped_by_reason(folder):
    d, files, rows = folder
    corpus = read_quietly(d)
    unlisted = set(files) - {f for _, f, _ in rows}
    given = len(rows) + len(unlisted)  # every manifest row, and every text file the manifest does not name
    seen, expected = set(), Counter()
    for doc_id, name, _ in rows:
        if name not in files:
            expected["manifest row names a missing file"] += 1
        elif not files[name].strip():
            expected["empty file"] += 1
        elif doc_id in seen:
            expected["duplicate id"] += 1
        else:
            seen.add(doc_id)
    assert (given, dict(expected)) == (9, {"manifest row names a missing file": 1, "empty file": 2,
                                           "duplicate id": 1})
    assert skipped_by_reason(corpus) == dict(expected)
    assert len(corpus) == given - sum(expected.values()) == 5
    assert len(corpus) + len(corpus.report.skipped) == given
    assert (corpus.report.frame["action"] == "read").sum() == len(corpus)
    assert sorted(corpus.ids) == sorted(seen | {n.removesuffix(".txt") for n in unlisted})


def test_csv_with_malformed_rows_reconciles(tmp_path):
    lines = ["1,RT,Fine text one.", "2,BBC,Too,many,fields", "3,RT", "4,RT,", "5,RT,Good again.",
             "1,RT,an id seen before"]
    path = tmp_path / "t.csv"
    path.write_text("id,outlet,text\n" + "\n".join(lines) + "\n", encoding="utf-8")
    corpus = read_quietly(path)
    fields = [len(line.split(",")) for line in lines]
    expected = {"malformed row": sum(n != 3 for n in fields), "empty text": 1, "duplicate id": 1}
    assert expected == {"malformed row": 2, "empty text": 1, "duplicate id": 1}
    assert skipped_by_reason(corpus) == expected
    assert len(lines) == len(corpus) + sum(expected.values()) == len(corpus) + len(corpus.report.skipped)
    assert corpus.ids == ["1", "5"]


def test_csv_broken_quote_does_not_swallow_rows_uncounted(tmp_path):
    lines = ['1,RT,"Fine text one."', '2,BBC,"Broken quote here', '3,RT,"Swallowed?"', "4,RT,Good again.",
             "5,BBC,Last one."]
    path = tmp_path / "t.csv"
    path.write_text("id,outlet,text\n" + "\n".join(lines) + "\n", encoding="utf-8")
    corpus = read_quietly(path)
    assert len(lines) == len(corpus) + len(corpus.report.skipped)
    assert corpus.ids == ["1", "2", "3", "4", "5"]  # row 2 re-read with its quote literal, row 3 recovered
    assert corpus["2"].text == '"Broken quote here'


def test_jsonl_with_invalid_lines_reconciles(tmp_path):
    lines = ['{"id": "1", "outlet": "RT", "text": "Fine."}', "{not json}", "", "[1, 2]",
             '{"id": "2", "outlet": "RT"}', '{"id": "3", "outlet": "BBC", "text": ""}',
             '{"id": "1", "outlet": "BBC", "text": "an id seen before"}',
             '{"id": "4", "outlet": "BBC", "text": "Good."}']
    path = tmp_path / "t.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    corpus = read_quietly(path)
    given = sum(1 for line in lines if line.strip())  # a blank line is no item
    expected = {"invalid JSON": 1, "line is a JSON list, not an object": 1, "no": 1, "empty text": 1,
                "duplicate id": 1}  # "no 'text' field" cut at the quote
    assert skipped_by_reason(corpus) == expected
    assert given == len(corpus) + sum(expected.values()) == len(corpus) + len(corpus.report.skipped) == 7
    assert corpus.ids == ["1", "4"]
    assert 3 not in corpus.report.frame["line"].dropna().tolist()


# -- raw tokens = read + removed by rule; read = counted + dropped -------------------------------------------------

BOILER = "Follow us on Telegram for more news"
RECORDS = [
    ("r1", "RT", f"LONDON (Reuters) - Moscow said the talks went well.\nRead more: subscribe now\n"
                 f"The minister agreed.\n{BOILER}"),
    ("r2", "RT", f"Kyiv said the 3 rounds of talks failed.\r\n{BOILER}\r\nRead more: our podcast"),
    ("r3", "RT", f"Washington said little.\r{BOILER}"),
    ("r4", "RT", "Identical copy of a wire story about the talks."),
    ("r5", "RT", "Identical copy of a wire story about the talks."),
    ("b1", "BBC", "Read more: everything\nRead more: again"),
    ("b2", "BBC", "The BBC (Reuters) reported an agreement of 12 points, 4 of them new."),
]
PROFILE = {"rules": {"read_more": {"kind": "line", "pattern": "^Read more:"},
                     "reuters_tag": {"kind": "span", "pattern": r"\(Reuters\)"}},
           "profiles": {"all": {"rules": ["read_more", "reuters_tag"]}}}


@pytest.fixture(scope="module")
def cleaned():
    corpus = dc.Corpus.from_records([{"id": i, "outlet": o, "text": t} for i, o, t in RECORDS])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the heavy-removal and duplicate warnings: tested in test_cleaning
        return dc.clean(corpus, PROFILE)


def test_cleaning_keeps_every_document_and_reports_identical_ones(cleaned):
    assert cleaned.ids == [i for i, _, _ in RECORDS]  # documents in = documents out: cleaning drops none
    assert cleaned.params["cleaning"]["duplicates"] == [["r4", "r5"]]
    assert cleaned.texts[3] == cleaned.texts[4] == RECORDS[3][2]  # identical copies not emptied as boilerplate
    # a line rule removes the whole line its pattern matches ("^Read more:"), not only the match
    assert not any(word in t for t in cleaned.texts for word in ("subscribe", "podcast", "everything", "again"))
    assert cleaned.texts[5] == ""  # b1 held only such lines: emptied, kept, and listed
    assert cleaned.params["cleaning"]["emptied"] == ["b1"]
    assert {"doc_id": "b1", "rule": "read_more", "share": 1.0} in cleaned.params["cleaning"]["heavy_removals"]


def test_raw_tokens_are_read_plus_removed_by_rule(cleaned):
    tokens = dc.tokenize(cleaned)
    r = rec(tokens)
    raw = regex_tokens(t for _, _, t in RECORDS)
    read = regex_tokens(cleaned.texts)
    by_rule = {rule: regex_tokens(g["text"]) for rule, g in cleaned.audit.groupby("rule")}
    # from the records: the four "Read more:" lines whole, the tag twice ("(", "reuters", ")"), the line recurring
    # in three RT documents (7 tokens each); normalising line endings removes no token
    lines = [line for _, _, t in RECORDS for line in re.split(r"\r\n|\r|\n", t)]
    expected = {"read_more": regex_tokens(line for line in lines if line.startswith("Read more:")),
                "reuters_tag": 3 * sum(t.count("(Reuters)") for _, _, t in RECORDS),
                "recurring_line": regex_tokens([BOILER]) * sum(t.count(BOILER) for _, o, t in RECORDS if o == "RT")}
    assert expected == {"read_more": 18, "reuters_tag": 6, "recurring_line": 21}
    assert {k: v for k, v in by_rule.items() if v} == expected
    assert set(by_rule) - set(expected) == {"normalise:crlf", "normalise:cr"}
    assert r[("raw", "all tokens in the raw text")] == raw == read + sum(by_rule.values())
    assert r["removed by cleaning"].to_dict() == by_rule
    assert r[("read", "all tokens in the cleaned text")] == read


def test_tokens_read_are_counted_plus_dropped_by_reason(cleaned):
    stop = dc.english_stopwords()
    tokens = dc.tokenize(cleaned, stopwords="english", numbers="drop", min_length=3)
    words = [w for t in cleaned.texts for w in WORD.findall(t)]
    reasons = Counter("punctuation" if not w[0].isalnum() else "number" if w.isdigit()
                      else "stopword" if w.lower() in stop else "short" if len(w) < 3 else "counted" for w in words)
    r = rec(tokens)
    assert r[("read", "all tokens in the cleaned text")] == len(words)
    assert r[("counted", "counted")] == reasons["counted"] == tokens.n_tokens == tokens.dtm.sum()
    assert r["dropped"].to_dict() == {k: v for k, v in reasons.items() if k != "counted"}
    assert len(words) == reasons["counted"] + r["dropped"].sum()
    counted = Counter(w.lower() for w in words if w[0].isalpha() and w.lower() not in stop and len(w) >= 3)
    assert dict(zip(tokens.vocab, tokens.dtm.sum(axis=0).A1.tolist())) == counted


def test_the_three_identities_end_to_end_from_a_hostile_folder(folder):
    d, files, rows = folder
    corpus = read_quietly(d)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cleaned = dc.clean(corpus, PROFILE, min_docs=2)
    tokens = dc.tokenize(cleaned, stopwords="english")
    r = rec(tokens)
    raw = regex_tokens(files[f"{i}.txt"] if f"{i}.txt" in files else files["b.txt"] for i in corpus.ids)
    assert raw == regex_tokens(corpus.texts)  # the texts as read are the files' texts
    assert r[("raw", "all tokens in the raw text")] == raw
    assert raw == r["removed by cleaning"].sum() + r[("read", "all tokens in the cleaned text")]
    assert r[("read", "all tokens in the cleaned text")] == r[("counted", "counted")] + r["dropped"].sum()
    assert r[("counted", "counted")] == tokens.dtm.sum()


def test_a_selection_of_documents_reconciles_on_its_own(cleaned):
    """Tokens.select once carried the whole corpus's table: its counted tokens were not the subset's."""
    stop = dc.english_stopwords()
    tokens = dc.tokenize(cleaned, stopwords="english", numbers="drop")
    for outlet in ("RT", "BBC"):
        sub = tokens.select(tokens.metadata.outlet == outlet)
        r = rec(sub)
        words = [w for i, t in zip(cleaned.ids, cleaned.texts) if cleaned.metadata.loc[i, "outlet"] == outlet
                 for w in WORD.findall(t)]
        reasons = Counter("punctuation" if not w[0].isalnum() else "number" if w.isdigit()
                          else "stopword" if w.lower() in stop else "counted" for w in words)
        assert r[("read", "all tokens in the cleaned text")] == len(words)
        assert r[("counted", "counted")] == reasons["counted"] == sub.n_tokens == sub.dtm.sum()
        assert r["dropped"].to_dict() == {k: v for k, v in reasons.items() if k != "counted" and v}
        assert "raw" not in r.index.get_level_values("stage")  # the cleaning rows are the whole corpus's
    # the two outlets' tables add up to the corpus's read, counted and dropped rows
    parts = [rec(tokens.select(tokens.metadata.outlet == o)) for o in ("RT", "BBC")]
    whole = rec(tokens)
    whole = whole[whole.index.get_level_values("stage").isin(["read", "counted", "dropped"])]
    assert parts[0].add(parts[1], fill_value=0).astype(int).sort_index().equals(whole.sort_index())
