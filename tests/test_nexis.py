"""Nexis Uni / Lexis exports (issue 12, readers): DOCX, RTF and text exports alone, in a folder and in a zip;
exact fields per article, exact read-report rows, articles in an export = read + skipped, and the known
breakages (first article without its header, changed field order, no byline, German labels, no final
'End of Document', a corrupt zip member). Fixtures are invented (tests/nexis_fixtures.py)."""
from __future__ import annotations

import warnings

import pandas as pd
import pytest

import discourse as dc
from discourse.readers import DiscourseReadWarning
from discourse.readers.detect import detect_format
from nexis_fixtures import (ARTICLES, article_lines, docx_bytes, export_lines, rtf_text, write_docx, write_rtf,
                            write_txt, write_zip)

FIELDS = ["title", "outlet", "date_raw", "section", "length", "byline", "dateline", "language", "edition",
          "load_date", "source_format", "export_file", "position"]
TEXTS = ["The harbour council voted on Thursday to run ferries every twenty minutes.\n\n"
         "Residents of the east bank said the change was overdue.",
         "Ferry crews said the new timetable would mean steadier shifts.\n\nA union spokesman called it a fair "
         "compromise.",
         "Sir, twenty minutes is still too long to wait in the rain."]
GERMAN = {"title": "Hafenrat stimmt neuem Fahrplan zu", "outlet": "Beispielstadt Anzeiger",
          "date": "10. Dezember 2021 Freitag", "section": "Lokales; S. 3", "length": "318 Wörter",
          "byline": "Erika Muster", "dateline": None, "language": "GERMAN", "load_date": "11. Dezember 2021",
          "body": ["Der Hafenrat hat am Donnerstag einen neuen Fährfahrplan beschlossen."]}
GERMAN_LABELS = {"section": "Rubrik", "length": "Länge", "byline": "Autor", "body": "Text",
                 "classification": "Klassifikation", "language": "Sprache"}


def _expected(fmt: str, export: str, positions=(1, 2, 3)) -> list[list]:
    rows = [["Harbour council backs new ferry timetable", "The Example Gazette", "December 10, 2021 Friday",
             "NEWS; Pg. 4", 212, "Jane Roe", "PORTVILLE", "ENGLISH", "Final Edition", "December 11, 2021"],
            ["Ferry workers welcome timetable", "Portville Evening Post", "December 11, 2021 Saturday", "LOCAL",
             1045, None, None, "ENGLISH", None, "December 12, 2021"],
            ["Letters: the ferry question", "The Example Gazette", "December 13, 2021 Monday", "OPINION; Pg. 12",
             98, "Sam Poe", None, "ENGLISH", None, "December 14, 2021"]]
    return [rows[p - 1] + [fmt, export, p] for p in positions]


def _read(path, **kw):
    kw.setdefault("dedup", False)  # the reader as such: the fixtures repeat articles (de-duplication: test_read_dedup)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DiscourseReadWarning)
        return dc.read_corpus(path, **kw)


def _fields(corpus) -> list[list]:
    meta = corpus.metadata[FIELDS].astype(object)
    return [[None if v != v else v for v in row] for row in meta.itertuples(index=False)]


def _rows(corpus, tmp_path) -> list[tuple]:
    f = corpus.report.frame
    return [(s.replace(str(tmp_path) + "/", ""), None if pd.isna(line) else int(line), None if pd.isna(d) else d,
             a, r) for s, line, d, a, r in f.itertuples(index=False)]


NOTE = ("Nexis export, 3 articles (3 read, 0 skipped); removed as not body text: 'Body' markers 3, "
        "'End of Document' lines 3, classification block lines 15, copyright notices 1, cover page lines 11")


def test_multi_article_docx_reads_every_article_after_the_cover_page(tmp_path):
    path = write_docx(tmp_path / "ferry.docx", export_lines())
    assert detect_format(path) == "nexis"
    corpus = _read(path)
    assert corpus.ids == ["ferry#1", "ferry#2", "ferry#3"]
    assert _fields(corpus) == _expected("nexis-docx", "ferry.docx")
    assert corpus.metadata["date"].tolist() == ["2021-12-10", "2021-12-11", "2021-12-13"]
    assert corpus.metadata["url"].isna().all() and corpus.metadata["highlight"].isna().all()
    assert [d.text for d in corpus] == TEXTS
    assert _rows(corpus, tmp_path) == [("ferry.docx", p, f"ferry#{p}", "read", f"nexis-docx article {p} of 3")
                                       for p in (1, 2, 3)]
    assert corpus.report.notes[0] == f"{path}: {NOTE}"  # the footer's 'Page 1 of 3' is not in the body


def test_one_article_docx_without_cover(tmp_path):
    corpus = _read(write_docx(tmp_path / "one.docx", article_lines(ARTICLES[2])))
    assert corpus.ids == ["one#1"]
    assert _fields(corpus) == [_expected("nexis-docx", "one.docx", [3])[0][:-1] + [1]]
    assert [d.text for d in corpus] == TEXTS[2:]
    assert corpus.report.notes[0].endswith("1 article (1 read, 0 skipped); removed as not body text: 'Body' "
                                           "markers 1, 'End of Document' lines 1, classification block lines 5")


def test_rtf_export_written_by_hand(tmp_path):
    art = {**ARTICLES[1], "body": ["Crews at the Café Quay landing said “fair enough”.", "Copyright 2021 Portville "
                                   "Evening Post"]}
    path = write_rtf(tmp_path / "post.rtf", article_lines(ARTICLES[0]) + article_lines(art))
    corpus = _read(path)
    assert _fields(corpus) == _expected("nexis-rtf", "post.rtf", [1, 2])
    assert [d.text for d in corpus] == [TEXTS[0], "Crews at the Café Quay landing said “fair enough”."]
    assert corpus.report.notes[0] == (f"{path}: Nexis export, 2 articles (2 read, 0 skipped); removed as not body "
                                      "text: 'Body' markers 2, 'End of Document' lines 2, classification block "
                                      "lines 10, copyright notices 2")  # the page header group is not text


def test_plain_text_export_and_its_page_lines(tmp_path):
    path = write_txt(tmp_path / "ferry.txt", export_lines())
    assert detect_format(path) == "nexis"
    corpus = _read(path)
    assert _fields(corpus) == _expected("nexis-txt", "ferry.txt")
    assert [d.text for d in corpus] == TEXTS
    assert corpus.report.notes[0] == f"{path}: " + NOTE.replace("lines 3,", "lines 3, 'Page N of M' lines 3,")


def test_zip_of_exports_with_a_corrupt_member(tmp_path):
    path = write_zip(tmp_path / "batch.zip", {
        "exports/ferry.docx": docx_bytes(export_lines()), "exports/broken.docx": b"PK\x03\x04 cut short",
        "exports/post.rtf": rtf_text(article_lines(ARTICLES[1])).encode("ascii"),
        "exports/notes.txt": b"A plain note, not an export."})
    corpus = _read(path)
    assert corpus.ids == ["exports/ferry#1", "exports/ferry#2", "exports/ferry#3", "exports/post#1", "exports/notes"]
    nexis = corpus.select(source_format="nexis-docx")
    assert _fields(nexis) == _expected("nexis-docx", "batch.zip!exports/ferry.docx")
    assert corpus.metadata.loc["exports/post#1", "export_file"] == "batch.zip!exports/post.rtf"
    assert corpus["exports/notes"].text == "A plain note, not an export."
    assert _rows(corpus, tmp_path) == [
        *[("batch.zip!exports/ferry.docx", p, f"exports/ferry#{p}", "read", f"nexis-docx article {p} of 3")
          for p in (1, 2, 3)],
        ("batch.zip!exports/broken.docx", None, None, "skipped",
         "not a readable DOCX file (BadZipFile: File is not a zip file)"),
        ("batch.zip!exports/post.rtf", 1, "exports/post#1", "read", "nexis-rtf article 1 of 1"),
        ("batch.zip!exports/notes.txt", None, "exports/notes", "read", "encoding utf-8")]


def test_folder_of_exports_beside_plain_files(tmp_path):
    import docx

    write_docx(tmp_path / "ferry.docx", export_lines())
    (tmp_path / "sub").mkdir()
    write_txt(tmp_path / "sub" / "letters.txt", article_lines(ARTICLES[2]))
    memo = docx.Document()
    memo.add_paragraph("Minutes of the staff meeting.")
    memo.save(tmp_path / "memo.docx")
    (tmp_path / "memo.rtf").write_text("{\\rtf1\\ansi A memo.\\par}", encoding="ascii")
    (tmp_path / "story.txt").write_text("A story that is not an export.", encoding="utf-8")
    corpus = _read(tmp_path)
    assert corpus.ids == ["ferry#1", "ferry#2", "ferry#3", "story", "sub/letters#1"]
    assert corpus.metadata.loc["sub/letters#1", "export_file"] == "sub/letters.txt"
    reason = ("not a Nexis export (no 'End of Document' line with 'Length:' or 'Load-Date:' fields): {} files are "
              "read only as Nexis Uni/Lexis exports")
    assert [r for r in _rows(corpus, tmp_path) if r[3] == "skipped"] == [
        ("memo.docx", None, None, "skipped", reason.format(".docx")),
        ("memo.rtf", None, None, "skipped", reason.format(".rtf"))]
    with pytest.raises(ValueError, match=r"no documents could be read \(not a Nexis export"):
        _read(tmp_path / "memo.docx")
    assert detect_format(tmp_path / "story.txt") == "txt"  # a plain text file is read as before


def test_first_article_without_its_header_is_read_not_lost(tmp_path):
    lines = list(export_lines()[:11]) + article_lines(ARTICLES[0], header=False) + article_lines(ARTICLES[1])
    corpus = _read(write_docx(tmp_path / "cut.docx", lines))
    assert corpus.ids == ["cut#1", "cut#2"]
    first = _fields(corpus)[0]
    assert first == [None, None, None, "NEWS; Pg. 4", 212, "Jane Roe", "PORTVILLE", "ENGLISH", None,
                     "December 11, 2021", "nexis-docx", "cut.docx", 1]
    assert [d.text for d in corpus] == TEXTS[:2]
    warned = [r for r in _rows(corpus, tmp_path) if r[3] == "warning"]
    assert warned == [("cut.docx", 1, "cut#1", "warning",
                       "no date line above the fields: headline, publication and date not found; 12 lines above the "
                       "fields not read ('Nexis Uni®', 'Documents (3)', '1. Harbour council backs new ferry "
                       "timetable' ...)")]
    assert corpus.report.notes[0].endswith("copyright notices 1, header lines not read 12")


def test_changed_field_order_gives_the_same_fields(tmp_path):
    corpus = _read(write_txt(tmp_path / "order.txt", export_lines(order="changed")))
    assert _fields(corpus) == _expected("nexis-txt", "order.txt")
    assert [d.text for d in corpus] == TEXTS
    assert corpus.report.warnings.empty


def test_article_without_byline_has_no_byline_and_no_warning(tmp_path):
    corpus = _read(write_docx(tmp_path / "post.docx", article_lines(ARTICLES[1])))
    assert corpus.metadata["byline"].isna().all() and corpus.metadata["dateline"].isna().all()
    assert corpus.report.warnings.empty


def test_german_export(tmp_path):
    path = write_docx(tmp_path / "anzeiger.docx", article_lines(GERMAN, end="Ende des Dokuments",
                                                                labels=GERMAN_LABELS))
    corpus = _read(path)
    assert _fields(corpus) == [["Hafenrat stimmt neuem Fahrplan zu", "Beispielstadt Anzeiger",
                                "10. Dezember 2021 Freitag", "Lokales; S. 3", 318, "Erika Muster", None, "GERMAN",
                                None, "11. Dezember 2021", "nexis-docx", "anzeiger.docx", 1]]
    assert corpus.metadata["date"].tolist() == ["2021-12-10"]
    assert [d.text for d in corpus] == GERMAN["body"]


def test_missing_end_of_document_at_the_end_of_the_file(tmp_path):
    path = write_rtf(tmp_path / "cut.rtf", article_lines(ARTICLES[0]) + article_lines(ARTICLES[1], end=None))
    corpus = _read(path)
    assert _fields(corpus) == _expected("nexis-rtf", "cut.rtf", [1, 2])
    assert [r for r in _rows(corpus, tmp_path) if r[3] == "warning"] == [
        ("cut.rtf", 2, "cut#2", "warning", "no 'End of Document' line after the article: read to the end of the "
                                           "file (the export may be cut short)")]


def test_articles_in_the_export_are_read_plus_skipped(tmp_path):
    lines = (article_lines(ARTICLES[0]) + ["Empty story", "The Example Gazette", "December 12, 2021 Sunday",
                                           "Length: 0 words", "Body", "Classification", "Load-Date: December 12, 2021",
                                           "End of Document", "A stray line with no fields", "End of Document"]
             + article_lines({**ARTICLES[2], "length": "about a hundred words"}))
    corpus = _read(write_txt(tmp_path / "mixed.txt", lines))
    rows = _rows(corpus, tmp_path)
    assert rows == [
        ("mixed.txt", 2, "mixed#2", "skipped", "no body text after the header ('Body' line followed by no text)"),
        ("mixed.txt", 3, "mixed#3", "skipped", "no 'Body' line and no field lines (Length:, Section:, Byline: ...): "
                                               "cannot tell the header from the text"),
        ("mixed.txt", 4, "mixed#4", "warning", "length 'about a hundred words' is not a number of words: left empty"),
        ("mixed.txt", 1, "mixed#1", "read", "nexis-txt article 1 of 4"),
        ("mixed.txt", 4, "mixed#4", "read", "nexis-txt article 4 of 4")]
    given = lines.count("End of Document")  # four articles given in the export
    per_article = {r[1] for r in rows if r[3] in ("read", "skipped")}
    assert len(per_article) == given == len(corpus) + len(corpus.report.skipped) == 4
    assert corpus.metadata["length"].isna().tolist() == [False, True]
    assert "(2 read, 2 skipped)" in corpus.report.notes[0]


def test_no_furniture_in_the_texts_and_a_headline_like_a_field(tmp_path):
    art = {**ARTICLES[0], "title": "Update: ferries every twenty minutes"}
    corpus = _read(write_txt(tmp_path / "u.txt", export_lines([art, *ARTICLES[1:]])))
    assert corpus.metadata["title"].tolist()[0] == "Update: ferries every twenty minutes"
    for doc in corpus:
        for furniture in ("End of Document", "Load-Date", "Copyright", "Classification", "Page 1", "Job Number",
                          "Length:", "Body"):
            assert furniture not in doc.text


def test_format_nexis_by_name_and_plain_text_unchanged(tmp_path):
    path = write_txt(tmp_path / "ferry.txt", export_lines(cover=False))
    assert len(_read(path, format="nexis")) == 3
    assert len(_read(path, format="txt")) == 1  # asked for as one text file, it is one


def test_a_docx_expanding_past_the_bound_is_skipped(tmp_path, monkeypatch):
    import discourse.readers.nexis as nexis

    path = write_docx(tmp_path / "big.docx", export_lines())
    monkeypatch.setattr(nexis, "expansion_limit", lambda compressed: 1000)  # as for a decompression bomb
    with pytest.raises(ValueError, match=r"no documents could be read \(not read: expands to [\d,]+ bytes from "
                                         r"[\d,]+ \(a likely decompression bomb\)\)"):
        _read(path)


def test_highlight_over_two_paragraphs_and_upper_case_labels(tmp_path):
    lines = article_lines(ARTICLES[2])
    at = lines.index("Body")
    lines[at:at] = ["Highlight: Readers write about the ferry.", "More letters on page 13."]
    lines = [x.replace("Length:", "LENGTH:") for x in lines]
    corpus = _read(write_txt(tmp_path / "h.txt", lines))
    assert corpus.metadata["highlight"].tolist() == ["Readers write about the ferry. More letters on page 13."]
    assert corpus.metadata["length"].tolist() == [98]
    assert corpus.report.warnings.empty


def test_copyright_notices_and_a_classification_block_without_its_marker(tmp_path):
    # a long sentence beginning "Copyright 2021" is text; "(c) 2021 The Example Gazette" is a notice
    kept = "Copyright 2021 was the year the harbour council changed its timetable twice, the mayor said at the quay."
    lines = ["Ferry notes", "The Example Gazette", "December 15, 2021 Wednesday", "Length: 40 words", "Body",
             "The last ferry now leaves at midnight.", kept, "(c) 2021 The Example Gazette", "Notes: timetable from "
             "January.", "Language: ENGLISH", "Load-Date: December 16, 2021", "End of Document",
             *article_lines({**ARTICLES[2], "body": [*ARTICLES[2]["body"], "Notes: letters may be shortened."]})]
    corpus = _read(write_txt(tmp_path / "c.txt", lines))
    assert [d.text for d in corpus] == [f"The last ferry now leaves at midnight.\n\n{kept}",
                                        "Sir, twenty minutes is still too long to wait in the rain.\n\n"
                                        "Notes: letters may be shortened."]
    # the first article's block has no 'Classification' marker: its run of field lines ending in Language and
    # Load-Date is the block (a "Notes:" line next to it goes with it: Notes is a Nexis field); the second's
    # marker keeps its last paragraph "Notes: ..." in the text
    assert corpus.metadata["language"].tolist() == ["ENGLISH", "ENGLISH"]
    assert corpus.metadata["load_date"].tolist() == ["December 16, 2021", "December 14, 2021"]
    assert corpus.report.notes[0].endswith("classification block lines 8, copyright notices 1")  # 3 + 5
