"""Readers: every format, and every kind of bad input reported with file, line and reason."""
import json
import warnings

import pandas as pd
import pytest

import discourse as dc
from discourse.readers import DiscourseReadWarning

CP1252_TEXT = "The \u201cfour major\u201d allies \u2013 a caf\u00e9\u2019s view of NATO enlargement and Russia."
LATIN1_TEXT = "Na\u00efve fa\u00e7ade: the r\u00f4le of the \u00e9lite in M\u00fcnchen and Z\u00fcrich, said the m\u00e9dia."
UTF16_TEXT = "Moscow\u2019s concerns about NATO were discussed in Gen\u00e8ve and \u041c\u043e\u0441\u043a\u0432\u0430."


def _read(path, **kw):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        corpus = dc.read_corpus(path, **kw)
    return corpus, [w for w in caught if issubclass(w.category, DiscourseReadWarning)]


@pytest.fixture
def messy_folder(tmp_path):
    d = tmp_path / "messy"
    d.mkdir()
    (d / "utf8.txt").write_text("Plain UTF-8 text about Russia\u2019s concerns.", encoding="utf-8")
    (d / "cp1252.txt").write_bytes(CP1252_TEXT.encode("cp1252"))
    (d / "latin1.txt").write_bytes(LATIN1_TEXT.encode("latin-1"))
    (d / "utf16.txt").write_bytes(UTF16_TEXT.encode("utf-16"))  # with BOM
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 20)
    manifest = pd.DataFrame([
        {"id": "a", "outlet": "X", "source_file": "utf8.txt"},
        {"id": "b", "outlet": "Y", "source_file": "cp1252.txt"},
        {"id": "c", "outlet": "Y", "source_file": "latin1.txt"},
        {"id": "d", "outlet": "Z", "source_file": "utf16.txt"},
        {"id": "e", "outlet": "Z", "source_file": "empty.txt"},
        {"id": "f", "outlet": "Z", "source_file": "binary.txt"},
        {"id": "g", "outlet": "Z", "source_file": "missing.txt"},
        {"id": "a", "outlet": "Q", "source_file": "utf8.txt"},  # duplicate id (and file)
    ])
    manifest.to_csv(d / "manifest.csv", index=False)
    return d


def test_messy_folder_reads_good_files_and_reports_every_skip(messy_folder):
    corpus, caught = _read(messy_folder)
    assert corpus.ids == ["a", "b", "c", "d"]
    texts = dict(zip(corpus.ids, corpus.texts))
    assert texts["b"] == CP1252_TEXT
    assert texts["c"] == LATIN1_TEXT
    assert texts["d"] == UTF16_TEXT
    assert corpus.metadata.loc["d", "outlet"] == "Z"
    report = corpus.report.frame
    skipped = corpus.report.skipped
    reasons = dict(zip(skipped["source"].str.rsplit("/", n=1).str[-1], skipped["reason"]))
    assert reasons["empty.txt"] == "empty file"
    assert reasons["binary.txt"].startswith("binary file")
    assert "missing file 'missing.txt'" in reasons["manifest.csv"] or any(
        "missing.txt" in r for r in skipped["reason"])
    assert any("duplicate id 'a'" in r for r in skipped["reason"])
    # the non-UTF-8 fallbacks are reported as warnings naming the encoding
    warn = corpus.report.warnings
    assert any("cp1252.txt" in s for s in warn["source"])
    assert any("latin1.txt" in s for s in warn["source"])
    # every input item is accounted for: 4 read + 4 skipped (empty, binary, missing, duplicate)
    assert (report["action"] == "read").sum() == 4
    assert len(skipped) == 4
    # and a warning summarises it, naming files
    assert caught and "binary.txt" in str(caught[0].message)


def test_manifest_row_line_numbers(messy_folder):
    corpus, _ = _read(messy_folder)
    missing = corpus.report.skipped[corpus.report.skipped["reason"].str.contains("missing file")]
    assert missing["line"].tolist() == [8]  # header is line 1; row "g" is line 8


def test_decode_bytes_edge_cases():
    assert dc.decode_bytes("x\u00e9".encode("utf-8-sig")) == ("x\u00e9", "utf-8-sig")
    text, enc = dc.decode_bytes("\u201cquoted\u201d \u2013 text with enough context to detect".encode("cp1252"))
    assert text.startswith("\u201cquoted\u201d") and enc == "cp1252"
    cyrillic = "\u041c\u043e\u0441\u043a\u0432\u0430 \u0438 \u041d\u0410\u0422\u041e \u043e\u0431\u0441\u0443\u0434\u0438\u043b\u0438 \u0431\u0435\u0437\u043e\u043f\u0430\u0441\u043d\u043e\u0441\u0442\u044c."
    assert dc.decode_bytes(cyrillic.encode("cp1251")) == (cyrillic, "cp1251")
    from discourse.decoding import SkipItem
    with pytest.raises(SkipItem, match="empty"):
        dc.decode_bytes(b"   \n ")
    with pytest.raises(SkipItem, match="binary"):
        dc.decode_bytes(b"abc\x00def")


def test_csv_without_text_column_is_a_clear_error(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("id,outlet,body\n1,RT,hello\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"no text column 'text'.*\['id', 'outlet', 'body'\]"):
        dc.read_corpus(p)
    corpus = dc.read_corpus(p, text_column="body")
    assert corpus.texts == ["hello"] and corpus.metadata.loc["1", "outlet"] == "RT"


def test_csv_malformed_row_is_skipped_with_line(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text('id,outlet,text\n1,RT,"first, with comma"\n2,RT,too,many,fields\n3,TFI,third\n', encoding="utf-8")
    corpus, caught = _read(p)
    assert corpus.ids == ["1", "3"]
    bad = corpus.report.skipped
    assert bad["line"].tolist() == [3] and "5 fields" in bad["reason"].iloc[0]
    assert caught


def test_tsv_and_missing_metadata_warning(tmp_path):
    p = tmp_path / "t.tsv"
    p.write_text("id\toutlet\ttext\n1\tRT\tone\n2\t\ttwo\n", encoding="utf-8")
    corpus, caught = _read(p, required=["outlet"])
    assert corpus.ids == ["1", "2"]
    assert pd.isna(corpus.metadata.loc["2", "outlet"])
    w = corpus.report.warnings
    assert w["doc_id"].tolist() == ["2"] and "missing metadata 'outlet'" in w["reason"].iloc[0]


def test_jsonl_broken_line_and_duplicates(tmp_path):
    p = tmp_path / "t.jsonl"
    lines = [json.dumps({"id": "x1", "outlet": "RT", "text": "one"}),
             '{"id": "x2", "outlet": "RT", "text": "broken',
             json.dumps({"id": "x3", "outlet": "TFI", "text": "three"}),
             json.dumps(["not", "an", "object"]),
             json.dumps({"id": "x1", "outlet": "TFI", "text": "dup"}),
             json.dumps({"id": "x4", "outlet": "TFI", "text": ""})]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    corpus, caught = _read(p)
    assert corpus.ids == ["x1", "x3"]
    skipped = corpus.report.skipped.set_index("line")["reason"]
    assert skipped[2].startswith("invalid JSON")
    assert "not an object" in skipped[4]
    assert "duplicate id 'x1'" in skipped[5]
    assert skipped[6] == "empty text"
    renamed, _ = _read(p, on_duplicate="rename")
    assert renamed.ids == ["x1", "x3", "x1-2"]
    with pytest.raises(ValueError, match="duplicate document id 'x1'.*t.jsonl:5"):
        dc.read_corpus(p, on_duplicate="error")


def test_parquet_and_no_id_column(tmp_path):
    p = tmp_path / "t.parquet"
    pd.DataFrame({"outlet": ["RT", "TFI"], "text": ["a b c", "d e"], "date": ["2021-12-10", None]}).to_parquet(p)
    corpus = dc.read_corpus(p)
    assert corpus.ids == ["t-1", "t-2"]
    assert corpus.metadata["outlet"].tolist() == ["RT", "TFI"]


def test_front_matter_folder(tmp_path):
    d = tmp_path / "fm"
    d.mkdir()
    (d / "one.txt").write_text("---\nid: doc-1\noutlet: RT\ndate: 2021-12-10\n---\nBody of the first.\n", encoding="utf-8")
    (d / "two.txt").write_text("No front matter here.", encoding="utf-8")
    corpus = dc.read_corpus(d)
    assert corpus.ids == ["doc-1", "two"]
    assert corpus.texts[0].strip() == "Body of the first."
    assert corpus.metadata.loc["doc-1", "outlet"] == "RT"


def test_html_page_extraction(tmp_path):
    para = "NATO allies met in Brussels to discuss talks with Russia about security guarantees. " * 4
    page = (f"<html><head><title>Allies meet</title><meta property='og:site_name' content='Example News'>"
            f"<meta name='date' content='2021-12-10'></head><body><nav>Home | World | Sport</nav>"
            f"<article><h1>Allies meet in Brussels</h1><p>{para}</p><p>{para}</p></article>"
            f"<footer>Subscribe to our newsletter</footer></body></html>")
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    corpus = dc.read_corpus(tmp_path / "page.html")
    assert "NATO allies met in Brussels" in corpus.texts[0]
    assert "Subscribe" not in corpus.texts[0] and "Home | World" not in corpus.texts[0]
    meta = corpus.metadata.iloc[0]
    assert meta["date"] == "2021-12-10" and meta["site"] == "Example News"


def test_file_not_in_manifest_is_kept_with_warning(tmp_path):
    d = tmp_path / "m"
    d.mkdir()
    (d / "listed.txt").write_text("listed text", encoding="utf-8")
    (d / "extra.txt").write_text("extra text", encoding="utf-8")
    (d / "manifest.yaml").write_text("- {id: L, outlet: RT, source_file: listed.txt}\n", encoding="utf-8")
    corpus, caught = _read(d)
    assert corpus.ids == ["L", "extra"]
    assert "not in manifest" in corpus.report.warnings["reason"].iloc[0]


def test_nothing_readable_is_an_error(tmp_path):
    d = tmp_path / "bad"
    d.mkdir()
    (d / "empty.txt").write_bytes(b"")
    with pytest.raises(ValueError, match="no documents could be read.*empty file"):
        dc.read_corpus(d)
    with pytest.raises(FileNotFoundError):
        dc.read_corpus(tmp_path / "nope")


def test_sample_corpus_manifest_and_raw_bytes():
    corpus = dc.read_corpus(dc.sample_corpus_path())
    meta = corpus.metadata
    assert set(meta["outlet"]) == {"RT", "TFI Post"}
    assert list(meta.columns[:5]) == ["outlet", "domain", "date", "title", "language"]
    tfi = meta[meta.outlet == "TFI Post"].iloc[0]
    assert pd.isna(tfi["date"]) and pd.isna(tfi["title"])  # not invented
    rt = meta[meta.outlet == "RT"].iloc[0]
    assert rt["title"] == "Some NATO members furious with Biden \u2013 media"
    for doc_id, text in zip(corpus.ids, corpus.texts):
        path = dc.sample_corpus_path() / meta.loc[doc_id, "source_file"]
        assert path.read_bytes().decode("utf-8") == text
    assert corpus.report.summary() == "2 documents read, 0 skipped, 0 warnings"


def test_select_and_groupby():
    corpus = dc.read_corpus(dc.sample_corpus_path())
    assert len(corpus.select(outlet="RT")) == 1
    assert set(corpus.groupby("outlet")) == {"RT", "TFI Post"}
    assert len(corpus.select("domain == 'tfipost.com'")) == 1
    with pytest.raises(KeyError, match="no metadata column 'paper'"):
        corpus.groupby("paper")


# --------------------------------------------------------------------------- reading options
def test_text_from_two_columns_joined_in_order_and_reported(tmp_path):
    path = tmp_path / "headlines.csv"
    pd.DataFrame({"headline": ["Talks resume", "Markets fall", None],
                  "subheading": ["Both sides meet in Geneva", None, None],
                  "outlet": ["A", "B", "B"]}).to_csv(path, index=False)
    corpus, caught = _read(path, text_column=["headline", "subheading"])
    assert corpus.texts == ["Talks resume\n\nBoth sides meet in Geneva", "Markets fall"]
    assert list(corpus.metadata.columns) == ["outlet"]  # the text columns are not metadata
    reasons = corpus.report.frame["reason"].tolist()
    assert reasons[:2] == ["text from 'headline' + 'subheading'", "text from 'headline' ('subheading' empty)"]
    assert corpus.report.skipped["reason"].tolist() == ["empty text"] and len(caught) == 1
    assert any("joined in that order with a blank line" in n and "1 documents lack a part" in n
               for n in corpus.report.notes)
    assert corpus.params["text_column"] == ["headline", "subheading"]
    with pytest.raises(KeyError, match="no metadata column 'dek'"):
        dc.read_corpus(path, text_column=["headline", "dek"])
    with pytest.raises(ValueError, match="text_column must be a column name or a list"):
        dc.read_corpus(path, text_column=3)


def test_other_column_names_are_read_as_outlet_date_and_title(tmp_path):
    path = tmp_path / "news.csv"
    frame = pd.DataFrame({"uid": ["n1", "n2"], "body": ["Text one.", "Text two."],
                          "source": ["Daily Planet", "Globe & Mail <b>"], "published": ["03/04/2021", "31/12/2021"],
                          "headline": ["First", None], "section": ["world", "world"], "wordcount": [2, 2]})
    frame.to_csv(path)  # with the index: a column without a name
    assert open(path, encoding="utf-8").readline().startswith(",uid,")
    corpus, _ = _read(path, text_column="body", id_column="uid", outlet_column="source", date_column="published",
                      title_column="headline", date_format="%d/%m/%Y", metadata_columns=["section"])
    assert corpus.ids == ["n1", "n2"]
    meta = corpus.metadata
    # '' (the saved index) is not metadata; the dates as read are kept next to the parsed ones
    assert list(meta.columns) == ["outlet", "date", "date_raw", "title", "section"]
    assert meta["date_raw"].tolist() == ["03/04/2021", "31/12/2021"]
    assert meta["outlet"].tolist() == ["Daily Planet", "Globe & Mail <b>"]
    assert meta["date"].tolist() == ["2021-04-03", "2021-12-31"]  # day first, as the format says; ISO 8601
    assert meta["title"].tolist()[0] == "First" and meta["title"].isna().tolist() == [False, True]
    notes = " | ".join(corpus.report.notes)
    for expected in ("column 'source' read as 'outlet'", "column 'published' read as 'date'",
                     "unnamed column '' (an index saved with the table?) not read as metadata",
                     "metadata_columns: 1 column not kept ('wordcount')",
                     "dates parsed with date_format='%d/%m/%Y' and written as ISO 8601"):
        assert expected in notes, notes
    assert "source" in repr(corpus.report) and "read as" in corpus._repr_html_()
    # pandas' name for such a column, when a table went through read_csv and to_csv again
    pd.read_csv(path).to_csv(tmp_path / "again.csv", index=False)
    again, _ = _read(tmp_path / "again.csv", text_column="body", outlet_column="source")
    assert "Unnamed: 0" not in again.metadata.columns
    assert any("unnamed column 'Unnamed: 0'" in n for n in again.report.notes)


def test_reading_option_errors_name_the_columns(tmp_path):
    path = tmp_path / "news.csv"
    pd.DataFrame({"body": ["x"], "source": ["A"], "outlet": ["B"]}).to_csv(path, index=False)
    with pytest.raises(ValueError, match="outlet_column='source' would replace the existing column 'outlet'"):
        dc.read_corpus(path, text_column="body", outlet_column="source")
    with pytest.raises(KeyError, match=r"no metadata column 'site'; columns are \['body', 'source', 'outlet'\]"):
        dc.read_corpus(path, text_column="body", date_column="site")
    with pytest.raises(KeyError, match="no metadata column 'date'"):
        dc.read_corpus(path, text_column="body", date_format="%Y")
    with pytest.raises(ValueError, match="no text column 'text'.*Pass text_column=..."):
        dc.read_corpus(path)
    with pytest.raises(ValueError, match="on_duplicate must be one of"):
        dc.read_corpus(path, text_column="body", on_duplicate="keep")


def test_dates_that_do_not_parse_are_left_empty_and_reported(tmp_path):
    path = tmp_path / "dates.jsonl"
    rows = [{"id": "a", "text": "x", "date": "03.04.2021"}, {"id": "b", "text": "y", "date": "2021-13-45"},
            {"id": "c", "text": "z", "date": None}]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    corpus, caught = _read(path, date_format="%d.%m.%Y")
    assert corpus.metadata["date"].fillna("(empty)").tolist() == ["2021-04-03", "(empty)", "(empty)"]
    warned = corpus.report.warnings
    assert warned["doc_id"].tolist() == ["b"]  # a missing date is missing, not a parse failure
    assert warned["reason"].tolist() == ["date '2021-13-45' does not parse with date_format='%d.%m.%Y': left empty"]
    assert len(caught) == 1 and "1 did not parse" in " ".join(corpus.report.notes)
    assert corpus.metadata["date_raw"].fillna("(empty)").tolist() == ["03.04.2021", "2021-13-45", "(empty)"]  # kept
    dayfirst, _ = _read(path, dayfirst=True)
    assert dayfirst.metadata["date"].tolist()[0] == "2021-04-03"
    # no date option: every value parsed on its own; '03.04.2021' reads both ways, so it is not guessed
    plain, _ = _read(path)
    assert plain.metadata["date"].isna().all() and plain.metadata["date"].dtype == "str"
    assert plain.report.warnings["reason"].tolist() == [
        "date '03.04.2021' is ambiguous: 3 April 2021 (day first) or 4 March 2021 (month first); pass dayfirst=True "
        "or dayfirst=False: left empty", "date '2021-13-45' is not a calendar date (month 13): left empty"]
    kept, _ = _read(path, date_format="keep")  # as written
    assert kept.metadata["date"].tolist()[:2] == ["03.04.2021", "2021-13-45"] and "date_raw" not in kept.metadata
