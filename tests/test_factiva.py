"""Factiva exports (RTF, HTML, folders and ZIPs of them): exact fields per article, exact report rows,
and reconciliation (articles in the export = read + skipped). Fixtures: tests/factiva_fixtures.py."""
import gzip
import warnings
import zipfile

import pandas as pd
import pytest

import discourse as dc
from discourse.readers import DiscourseReadWarning
from discourse.readers.detect import detect_format
from discourse.readers.factiva import sniff_factiva
from factiva_fixtures import (AN1, AN2, AN3, AN4, FIRST_HEADERLESS, PLAIN, TEXT_1, TEXT_2, TEXT_3,
                              html_article_format, html_field_coded, multi_article_rtf, rtf)

STANDARD = ["outlet", "date", "title", "byline", "section", "dateline", "length", "language", "url",
            "source_format", "export_file", "position"]


def _read(path, **kw):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        corpus = dc.read_corpus(path, **kw)
    return corpus, [w for w in caught if issubclass(w.category, DiscourseReadWarning)]


def _meta(corpus, doc_id, columns=STANDARD):
    row = corpus.metadata.loc[doc_id, columns]
    return {k: (None if pd.isna(v) else v.item() if hasattr(v, "item") else v) for k, v in row.items()}


def _rows(corpus, source_end=""):
    f = corpus.report.frame
    f = f[f["source"].str.endswith(source_end)]
    return [(None if pd.isna(r.line) else int(r.line), r.doc_id, r.action, r.reason) for r in f.itertuples()]


@pytest.fixture
def export(tmp_path):
    path = tmp_path / "Factiva-20211214-0905.rtf"
    path.write_text(multi_article_rtf(), encoding="ascii")
    return path


def test_field_coded_rtf_reads_every_article_with_its_fields(export):
    corpus, caught = _read(export)
    assert list(corpus.metadata.index) == [AN1, AN2, AN3]
    assert corpus.texts == [TEXT_1, TEXT_2, TEXT_3]
    name = export.name
    assert _meta(corpus, AN1) == {
        "outlet": "The Coastal Herald", "date": "2021-12-10T11:46Z", "title": "Harbour plan wins council vote",
        "byline": "By Mara Quill", "section": "A4", "dateline": None, "length": 412, "language": "English",
        "url": None, "source_format": "factiva-rtf", "export_file": name, "position": 1}
    assert _meta(corpus, AN1, ["date_raw", "page", "source_code", "copyright", "publisher", "accession_number",
                               "factiva_companies", "factiva_industries", "factiva_subjects", "factiva_regions"]) == {
        "date_raw": "10 December 2021 11:46 GMT", "page": "A4", "source_code": "COASTH",
        "copyright": "(c) 2021 Coastal Herald Ltd. All rights reserved.", "publisher": "Coastal Herald Ltd.",
        "accession_number": AN1, "factiva_companies": "Coastal Harbour Board | TD Bank",
        "factiva_industries": "Construction", "factiva_subjects": "Political/General News | Domestic Politics",
        "factiva_regions": "United Kingdom"}
    # changed field order, no byline, a section (SE); the codes between LP and TD are not text
    assert _meta(corpus, AN2) == {
        "outlet": "Northern Ledger", "date": "2021-12-11", "title": "Port rates rise again", "byline": None,
        "section": "Business", "dateline": None, "length": 1204, "language": "English", "url": None,
        "source_format": "factiva-rtf", "export_file": name, "position": 2}
    assert corpus.metadata.loc[AN2, "factiva_subjects"] == "Economic News"
    # fields as RTF table cells, a lead paragraph and no TD
    assert _meta(corpus, AN3) == {
        "outlet": "Valley Wire", "date": "2021-12-12", "title": "Ferry timetable changes", "byline": None,
        "section": None, "dateline": None, "length": 38, "language": "English", "url": None,
        "source_format": "factiva-rtf", "export_file": name, "position": 3}
    how = "factiva field-coded layout, encoding utf-8"
    assert _rows(corpus) == [(4, AN4, "skipped", "no text (no LP or TD paragraphs)"),
                             (1, AN1, "read", how), (2, AN2, "read", how), (3, AN3, "read", how)]
    assert f"{name}: Factiva furniture not read as text: 3 page footers; the search summary (7 lines)" \
        in corpus.report.notes
    assert len(caught) == 1 and "1 skipped" in str(caught[0].message)


def test_field_codes_inside_the_text_do_not_split_the_article(export):
    corpus, _ = _read(export)
    text = corpus.texts[0]
    assert "TD Bank, which lends to the port, declined to comment." in text  # "TD" + one space: prose
    assert text.endswith("TD\tThis line repeats a code inside the text.")  # a code the article had: prose
    assert len(corpus) == 3 and not any("Factiva" in t or "Search Summary" in t for t in corpus.texts)
    # a header code inside the text of an article without one ("BY  the end of the week") is text
    assert corpus.texts[1].endswith("BY  the end of the week, traders expect a pause.")
    assert pd.isna(corpus.metadata.loc[AN2, "byline"])


def test_reconciliation_articles_in_the_export_are_read_plus_skipped(export):
    corpus, _ = _read(export)
    per_article = corpus.report.frame.dropna(subset=["line"])
    counts = per_article[per_article["action"] != "warning"]["action"].value_counts().to_dict()
    assert counts == {"read": 3, "skipped": 1}  # 4 article blocks in the export
    assert sum(counts.values()) == multi_article_rtf().count("AN\\tab Document") + \
        multi_article_rtf().count("AN\\cell Document")


def test_first_article_without_the_usual_header_is_read_and_reported(tmp_path):
    path = tmp_path / "first.rtf"
    path.write_text(rtf(FIRST_HEADERLESS))
    corpus, _ = _read(path)
    first, second = "COASTH0020211214ehce0005u", "COASTH0020211215ehcf0006v"
    assert list(corpus.metadata.index) == [first, second]
    assert corpus.texts == ["Quay works delayed\n\nWork on the quay will start late.\n\nThe contractor cited storms.",
                            "A second story follows."]
    assert _meta(corpus, first, ["outlet", "title", "date", "position"]) == {
        "outlet": "The Coastal Herald", "title": None, "date": None, "position": 1}
    how = "factiva field-coded layout, encoding utf-8"
    assert _rows(corpus) == [(1, first, "warning", "1 line before the first field code: kept as body text"),
                             (1, first, "warning", "no headline (HD)"),
                             (1, first, "warning", "no publication date (PD)"),
                             (1, first, "read", how), (2, second, "read", how)]


def test_plain_article_format_rtf(tmp_path):
    path = tmp_path / "plain.rtf"
    path.write_text(rtf(PLAIN))
    corpus, _ = _read(path)
    a0, a1, a2 = "VWIRE00020220305ei350003c", "NLEDG00020220303ei330001a", "VWIRE00020220304ei340002b"
    assert list(corpus.metadata.index) == [a0, a1, a2]
    assert corpus.texts == ["Notice to mariners about the channel buoys.",
                            "Fees at the harbour will not rise this year.\n\nThe board met on Wednesday.",
                            "A new tide gauge was fitted at the pier."]
    assert _meta(corpus, a1) == {
        "outlet": "Northern Ledger", "date": "2022-03-03T08:15", "title": "Harbour fees frozen",
        "byline": "By Ilse Marten", "section": "Business; 2", "dateline": None, "length": 288,
        "language": "English", "url": None, "source_format": "factiva-rtf", "export_file": "plain.rtf",
        "position": 2}
    assert _meta(corpus, a1, ["edition", "page", "source_code", "copyright"]) == {
        "edition": "Late Edition", "page": "B2", "source_code": "NLEDG",
        "copyright": "Copyright 2022 Northern Ledger Media."}
    assert _meta(corpus, a2, ["title", "byline", "outlet", "source_code", "length", "position"]) == {
        "title": "Tide gauge replaced", "byline": None, "outlet": "Valley Wire", "source_code": "VWIRE",
        "length": 51, "position": 3}
    assert _meta(corpus, a0, ["title", "outlet", "date", "position"]) == {
        "title": None, "outlet": None, "date": None, "position": 1}
    how = "factiva article format, encoding utf-8"
    assert _rows(corpus) == [
        (1, a0, "warning", "no header (word count, date and source lines) found: read as text without metadata"),
        (1, a0, "read", how), (2, a1, "read", how), (3, a2, "read", how)]
    assert "plain.rtf: Factiva furniture not read as text: 1 page footer" in corpus.report.notes


def test_html_field_coded_export(tmp_path):
    path = tmp_path / "export.html"
    path.write_text(html_field_coded(), encoding="utf-8")
    corpus, _ = _read(path)
    assert list(corpus.metadata.index) == [AN1, AN2]
    assert corpus.texts == ["The council approved the plan.\n\nThe vote was seven to four.\n\nTD Bank declined to comment.",
                            "Rates rose for a third month."]
    assert _meta(corpus, AN1) == {
        "outlet": "The Coastal Herald", "date": "2021-12-10", "title": "Harbour plan wins council vote",
        "byline": "By Mara Quill", "section": None, "dateline": None, "length": 412, "language": "English",
        "url": None, "source_format": "factiva-html", "export_file": "export.html", "position": 1}
    assert corpus.metadata.loc[AN1, "factiva_companies"] == "Coastal Harbour Board | TD Bank"
    how = "factiva field-coded layout, encoding utf-8"
    assert _rows(corpus) == [(1, AN1, "read", how), (2, AN2, "read", how)]
    assert ("export.html: Factiva furniture not read as text: 1 page footer; 90 characters of page text outside "
            "the articles; the search summary") in corpus.report.notes


def test_html_article_format_export(tmp_path):
    path = tmp_path / "article.htm"
    path.write_text(html_article_format(), encoding="utf-8")
    corpus, _ = _read(path)
    assert corpus.texts == ["The council approved the plan.\n\nThe vote was seven to four."]
    assert _meta(corpus, AN1) == {
        "outlet": "The Coastal Herald", "date": "2021-12-10", "title": "Harbour plan wins council vote",
        "byline": "Mara Quill", "section": "City Desk; 3", "dateline": None, "length": 412, "language": "English",
        "url": None, "source_format": "factiva-html", "export_file": "article.htm", "position": 1}
    assert _rows(corpus) == [(1, AN1, "read", "factiva article format, encoding utf-8")]
    assert ("article.htm: Factiva furniture not read as text: 1 page footer; 1 source note line; 48 characters "
            "of page text outside the articles") in corpus.report.notes


def test_zip_of_exports_with_a_corrupt_member(tmp_path, export):
    path = tmp_path / "exports.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(export, "batch1/a.rtf")
        z.writestr("batch1/b.html", html_field_coded().replace(AN1, "COASTH0020211216ehcg0007w"))
        z.writestr("batch2/broken.rtf", rtf(FIRST_HEADERLESS) * 3)
        z.writestr("readme.pdf", b"%PDF-1.4")
    data = bytearray(path.read_bytes())
    info = zipfile.ZipFile(path).getinfo("batch2/broken.rtf")
    start = info.header_offset + 30 + len(info.filename) + 10
    data[start:start + 8] = b"\x00" * 8  # corrupt the member's compressed bytes
    path.write_bytes(bytes(data))
    corpus, _ = _read(path)
    assert list(corpus.metadata.index) == [AN1, AN2, AN3, "COASTH0020211216ehcg0007w"]
    assert corpus.metadata["export_file"].tolist() == ["exports.zip!batch1/a.rtf"] * 3 + ["exports.zip!batch1/b.html"]
    assert corpus.metadata["position"].tolist() == [1, 2, 3, 1]
    skipped = corpus.report.skipped
    assert skipped["source"].str.replace(str(path), "Z").tolist() == ["Z!batch1/a.rtf", "Z!batch1/b.html",
                                                                      "Z!batch2/broken.rtf", "Z!readme.pdf"]
    assert skipped["reason"].tolist()[0] == "no text (no LP or TD paragraphs)"
    assert skipped["reason"].tolist()[1].startswith("duplicate id 'NLEDG00020211211ehcb0002r' (first read from ")
    assert skipped["reason"].tolist()[2].startswith("not a readable zip member file: Error -3 while decompressing")
    assert skipped["reason"].tolist()[3] == "not a corpus file (.pdf): not read"
    member = corpus.report.frame[corpus.report.frame["source"].str.endswith("!batch1/a.rtf")]
    assert member.groupby("action").size().to_dict() == {"read": 3, "skipped": 1}  # the 4 articles of a.rtf


def test_zip_with_an_export_and_a_text_member_reads_both(tmp_path):
    path = tmp_path / "mixed.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("export.html", html_field_coded())
        z.writestr("zz_note.txt", "A researcher's own note about the harbour.")
    corpus, caught = _read(path)
    assert list(corpus.metadata.index) == [AN1, AN2, "zz_note"]
    assert corpus.report.skipped.empty and corpus.report.warnings.empty and caught == []


def test_folder_mixing_factiva_and_text_files_dedups_by_accession_number(tmp_path, export):
    d = tmp_path / "exports"
    d.mkdir()
    (d / "a.rtf").write_bytes(export.read_bytes())
    (d / "sub").mkdir()
    (d / "sub" / "again.html").write_text(html_field_coded())  # AN1 and AN2 again: a second download
    (d / "note.txt").write_text("A researcher's own note about the harbour.")
    (d / "first.rtf.gz").write_bytes(gzip.compress(rtf(FIRST_HEADERLESS).encode()))
    corpus, _ = _read(d)
    assert list(corpus.metadata.index) == [AN1, AN2, AN3, "COASTH0020211214ehce0005u",
                                           "COASTH0020211215ehcf0006v", "note"]
    assert corpus.metadata["export_file"].tolist()[:5] == ["a.rtf"] * 3 + ["first.rtf.gz"] * 2
    assert pd.isna(corpus.metadata.loc["note", "source_format"])  # not an export: no Factiva columns
    dup = corpus.report.skipped
    assert dup["reason"].str.startswith("duplicate id").sum() == 2
    assert dup[dup["reason"].str.startswith("duplicate id")]["line"].tolist() == [1, 2]


def test_sniffing_tells_factiva_from_nexis_and_plain_web_pages(tmp_path, export):
    assert detect_format(export) == "factiva"
    page = tmp_path / "page.html"
    page.write_text("<html><body><article><h1>Quay</h1><p>A saved web page about the quay.</p></article></body></html>")
    assert detect_format(page) == "html"
    nexis = rtf(["Harbour plan wins", "The Coastal Herald", "December 10, 2021 Friday", "Length: 412 words",
                 "Body", "The council approved the plan.", "End of Document"])
    assert sniff_factiva(nexis, "nexis.rtf") is None
    assert sniff_factiva(html_article_format(), "a.html") == "factiva-html"
    assert sniff_factiva(multi_article_rtf(), "a.rtf") == "factiva-rtf"


def test_the_search_summary_count_is_compared_with_the_file(tmp_path, export):
    corpus, _ = _read(export)
    assert f"{export.name}: the search summary says 'Results Found' 4; the file holds 4 article blocks" \
        in corpus.report.notes
    path = tmp_path / "batch2.rtf"  # one batch of a larger search: a note, not a warning
    path.write_text(multi_article_rtf().replace("Results Found\\tab 4", "Results Found\\tab 1,240"))
    corpus, _ = _read(path)
    assert "batch2.rtf: the search summary says 'Results Found' 1,240; the file holds 4 article blocks" \
        in corpus.report.notes
    assert corpus.report.warnings.empty


def test_an_export_with_no_article_is_reported(tmp_path):
    path = tmp_path / "empty.rtf"
    path.write_text(rtf(["Search Summary", "Text\tharbour", "Results Found\t0"]))
    with pytest.raises(ValueError, match="no Factiva article found in the export"):
        dc.read_corpus(path, format="factiva")
