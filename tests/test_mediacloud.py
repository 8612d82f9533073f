"""Media Cloud / GDELT CSV and NewsAPI JSON: detection, exact fields, every skip reported.

The fixtures are invented stories written in the exports' layouts.
"""
import csv
import gzip
import io
import json
import zipfile

import pandas as pd
import pytest

import discourse as dc
from discourse.readers.detect import detect_format
from discourse.readers.mediacloud import MEDIACLOUD_NO_TEXT, is_mediacloud, table_layout
from discourse.readers.newsapi import TRUNCATION, is_newsapi
from test_readers import _read as read  # read_corpus with its DiscourseReadWarnings caught

MC_HEADER = ["id", "indexed_date", "language", "media_name", "media_url", "publish_date", "title", "url", "text"]
MC_ROWS = [
    ["a1", "2024-05-02 10:00:00", "en", "Harbour Gazette", "harbourgazette.example", "2024-05-01 08:30:00",
     "Ferry service returns", "https://www.harbourgazette.example/ferry", "The ferry returned on Monday."],
    ["a2", "2024-05-02 10:00:00", "en", "", "", "2024-05-01T09:00:00Z", "Quay repairs begin",
     "https://news.valleypost.example/quay", "Repairs to the quay began at dawn."],
    ["a3", "2024-05-02 10:00:00", "en", "Harbour Gazette", "harbourgazette.example", "2024-05-01",
     "Tide tables printed", "https://www.harbourgazette.example/tides", ""],
]


def write_csv(path, header, rows):
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def detected_read(path, fmt, **kw):
    """``path`` detected as ``fmt`` and read: (corpus, its DiscourseReadWarnings)."""
    assert detect_format(path) == fmt
    return read(path, **kw)


def fields(corpus, doc_id, names):
    """The metadata ``names`` of document ``doc_id``, as a dict."""
    return dict(zip(names, corpus.metadata.loc[doc_id, names].tolist()))


def test_layouts_by_header():
    assert table_layout(MC_HEADER) == "mediacloud-csv"
    assert table_layout(["stories_id", "publish_date", "title", "url", "language", "media_id", "media_name",
                         "media_url"]) == "mediacloud-csv"
    assert table_layout(["url", "url_mobile", "title", "seendate", "socialimage", "domain", "language",
                         "sourcecountry"]) == "gdelt-csv"
    assert table_layout(["id", "url", "title", "publish_date", "text"]) is None  # no Media Cloud column
    assert table_layout(["id", "outlet", "date", "text"]) is None


def test_mediacloud_csv_exact_fields_and_report(tmp_path):
    p = write_csv(tmp_path / "mc-stories.csv", MC_HEADER, MC_ROWS)
    corpus, caught = detected_read(p, "mediacloud")
    assert corpus.ids == ["a1", "a2"]
    m = corpus.metadata
    expected = {"outlet": "Harbour Gazette", "date": "2024-05-01T08:30", "title": "Ferry service returns",
                "url": "https://www.harbourgazette.example/ferry", "language": "en", "source_format": "mediacloud-csv",
                "export_file": "mc-stories.csv", "position": 1, "media_url": "harbourgazette.example",
                "indexed_date": "2024-05-02 10:00:00"}
    assert fields(corpus, "a1", list(expected)) == expected
    assert m.loc["a2", ["outlet", "date", "position"]].tolist() == ["news.valleypost.example", "2024-05-01T09:00Z", 2]
    assert pd.isna(m.loc["a2", "media_url"])
    assert "media_name" not in m.columns and "publish_date" not in m.columns
    assert corpus["a1"].text == "The ferry returned on Monday."
    rows = corpus.report.frame
    assert rows[rows["action"] == "skipped"][["source", "line", "doc_id", "reason"]].values.tolist() == [
        [str(p), 4, "a3", MEDIACLOUD_NO_TEXT]]
    assert rows[rows["action"] == "read"]["line"].tolist() == [2, 3]
    assert (rows["action"] != "warning").all()
    assert f"{p}: outlet taken from the URL's domain for 1 row without a source name" in corpus.report.notes
    assert len(rows[rows["action"].isin(["read", "skipped"])]) == len(MC_ROWS)  # rows = read + skipped
    assert len(caught) == 1


def test_mediacloud_without_text_column_is_all_skipped_or_titles_on_request(tmp_path):
    header = ["stories_id", "publish_date", "title", "url", "language", "media_id", "media_name", "media_url"]
    rows = [["101", "2019-05-01 09:00:00", "Council sets budget", "https://a.example/1", "en", "7", "A Daily",
             "http://a.example"],
            ["102", "2019-05-02 09:00:00", "Budget vote delayed", "https://b.example/2", "en", "8", "B Times",
             "http://b.example"]]
    p = write_csv(tmp_path / "legacy.csv", header, rows)
    with pytest.raises(ValueError, match="no documents could be read"):
        dc.read_corpus(p)
    corpus, _ = read(p, text_column="title")
    assert corpus.ids == ["101", "102"]
    assert [d.text for d in corpus] == ["Council sets budget", "Budget vote delayed"]
    assert corpus.metadata["outlet"].tolist() == ["A Daily", "B Times"]
    assert corpus.metadata["media_id"].tolist() == ["7", "8"]
    assert f"{p}: text read from 'title' (text_column)" in corpus.report.notes


def test_gdelt_artlist_csv(tmp_path):
    header = ["url", "url_mobile", "title", "seendate", "socialimage", "domain", "language", "sourcecountry",
              "text"]
    rows = [["https://www.riverside.example/storm", "", "Storm closes bridge", "20240301T081500Z", "",
             "riverside.example", "English", "United States", "The bridge closed at eight."]]
    p = write_csv(tmp_path / "gdelt.csv", header, rows)
    corpus, _ = detected_read(p, "mediacloud")
    assert corpus.ids == ["gdelt-2"]
    assert corpus.metadata.loc["gdelt-2", ["outlet", "date", "title", "language", "source_format",
                                           "sourcecountry"]].tolist() == [
        "riverside.example", "2024-03-01T08:15Z", "Storm closes bridge", "English", "gdelt-csv", "United States"]


def test_generic_csv_with_url_and_title_reads_as_before(tmp_path):
    p = write_csv(tmp_path / "plain.csv", ["id", "url", "title", "publish_date", "outlet", "text"],
                  [["x", "https://a.example", "T", "2024-01-01", "A", "Some text."]])
    assert not is_mediacloud(p)
    assert detect_format(p) == "csv"
    corpus, _ = read(p)
    assert corpus.metadata.columns.tolist() == ["url", "title", "publish_date", "outlet"]


def test_mediacloud_gzip_and_malformed_row_reconcile(tmp_path):
    text = "\n".join([",".join(MC_HEADER), ",".join(MC_ROWS[0]), "a9,too,few", ""])
    p = tmp_path / "mc.csv.gz"
    p.write_bytes(gzip.compress(text.encode()))
    corpus, _ = detected_read(p, "mediacloud")
    assert corpus.ids == ["a1"]
    rows = corpus.report.frame
    assert rows[rows["action"] == "skipped"][["line", "reason"]].values.tolist() == [
        [3, "malformed row: 3 fields, header has 9"]]


# ---------------------------------------------------------------------------------------------- NewsAPI
def newsapi_response():
    return {"status": "ok", "totalResults": 57, "articles": [
        {"source": {"id": "harbour-gazette", "name": "Harbour Gazette"}, "author": "Ellen Marsh",
         "title": "Ferry service returns", "description": "The ferry is back.",
         "url": "https://www.harbourgazette.example/ferry", "urlToImage": "https://img.example/f.jpg",
         "publishedAt": "2024-05-01T08:30:00Z",
         "content": "The ferry returned on Monday after two years, carrying its first passengers\u2026 [+1834 chars]"},
        {"source": {"id": None, "name": None}, "author": None, "title": "Quay repairs begin", "description": None,
         "url": "https://news.valleypost.example/quay", "urlToImage": None, "publishedAt": "2024-05-02T07:00:00Z",
         "content": "Repairs to the quay began at dawn."},
        {"source": {"id": None, "name": "Valley Post"}, "author": "T. Reyes", "title": "Tide tables printed",
         "description": "New tables.", "url": "https://news.valleypost.example/tides", "urlToImage": None,
         "publishedAt": "2024-05-03T07:00:00Z", "content": None},
        "not an article",
    ]}


def test_newsapi_exact_fields_truncation_and_reconciliation(tmp_path):
    p = tmp_path / "everything.json"
    p.write_text(json.dumps(newsapi_response()), encoding="utf-8")
    assert is_newsapi(p)
    corpus, caught = detected_read(p, "newsapi")
    assert corpus.ids == ["everything-1", "everything-2"]
    m = corpus.metadata
    expected = {"outlet": "Harbour Gazette", "byline": "Ellen Marsh", "title": "Ferry service returns",
                "url": "https://www.harbourgazette.example/ferry", "date": "2024-05-01T08:30Z",
                "source_format": "newsapi-json", "export_file": "everything.json", "position": 1,
                "description": "The ferry is back.", "truncated": True}
    assert fields(corpus, "everything-1", list(expected)) == expected
    assert corpus["everything-1"].text == ("The ferry returned on Monday after two years, carrying its first "
                                           "passengers")
    assert m.loc["everything-2", ["outlet", "truncated", "position"]].tolist() == [
        "news.valleypost.example", False, 2]
    assert pd.isna(m.loc["everything-2", "byline"])
    rows = corpus.report.frame
    src = str(p)
    assert rows[rows["action"] != "read"][["source", "line", "doc_id", "action", "reason"]].values.tolist() == [
        [src, 1, "everything-1", "warning", "text truncated by NewsAPI: 75 characters of about 1,909 "
                                            "('[+1834 chars]' removed); not the full text"],
        [src, 3, "everything-3", "skipped", "no content (NewsAPI gave no text for this article; fetch it from "
                                            "its url)"],
        [src, 4, "everything-4", "skipped", "article is a JSON str, not an object"]]
    assert len(rows[rows["action"].isin(["read", "skipped"])]) == 4  # articles = read + skipped
    assert f"{src}: NewsAPI reports totalResults=57; this file holds 4 articles (one page of the results)" \
        in corpus.report.notes
    assert len(caught) == 1


def test_newsapi_error_response_and_plain_json(tmp_path):
    err = tmp_path / "err.json"
    err.write_text(json.dumps({"status": "error", "code": "apiKeyInvalid", "message": "Your API key is invalid.",
                               "articles": []}), encoding="utf-8")
    with pytest.raises(ValueError, match=r"NewsAPI status 'error' \(apiKeyInvalid: Your API key is invalid.\)"):
        dc.read_corpus(err)
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"rows": [1, 2]}), encoding="utf-8")
    assert not is_newsapi(other)
    with pytest.raises(ValueError, match="cannot tell the format"):
        dc.read_corpus(other)


def test_mediacloud_csv_inside_a_zip_beside_a_generic_table(tmp_path):
    p = tmp_path / "bundle.zip"
    mc = tmp_path / "mc.csv"
    write_csv(mc, MC_HEADER, MC_ROWS)
    with zipfile.ZipFile(p, "w") as z:
        z.write(mc, "mc/stories.csv")
        z.writestr("other.csv", "id,outlet,text\nz1,Other Daily,A generic row.\n")
    corpus, _ = read(p)
    assert corpus.ids == ["a1", "a2", "z1"]
    assert corpus.metadata.loc["a1", ["export_file", "source_format"]].tolist() == [
        "bundle.zip!mc/stories.csv", "mediacloud-csv"]
    assert pd.isna(corpus.metadata.loc["z1", "source_format"])  # read by the generic table reader
    skipped = corpus.report.frame.query("action == 'skipped'")
    assert skipped[["source", "line", "reason"]].values.tolist() == [
        [f"{p}!mc/stories.csv", 4, MEDIACLOUD_NO_TEXT]]


@pytest.mark.parametrize("content, body, more", [
    ("Quay repairs began at dawn\u2026 [+2103 chars]", "Quay repairs began at dawn", 2103),
    ("Quay repairs began at dawn... [+12,003 chars]", "Quay repairs began at dawn", 12003),
    ("Quay repairs began at dawn [+7 chars]", "Quay repairs began at dawn", 7),
])
def test_newsapi_truncation_markers(content, body, more):
    cut = TRUNCATION.search(content)
    assert content[:cut.start()] == body and int(cut.group(1).replace(",", "")) == more
    assert TRUNCATION.search("The text mentions [+3 chars] in the middle of a sentence.") is None
