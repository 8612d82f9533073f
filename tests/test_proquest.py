"""ProQuest plain-text exports: the layout, its known breakages, and every block reported.

The fixtures are invented articles written in the layout of ProQuest's "TXT - Text Only" export.
"""
import gzip
import zipfile

import pandas as pd
import pytest

import discourse as dc
from discourse.corpus import ReadReport
from discourse.readers.detect import detect_format
from discourse.readers.proquest import is_proquest, parse_proquest
from test_readers import _read as read  # read_corpus with its DiscourseReadWarnings caught

RULE = "_" * 60

HEADER = f"""{RULE}

Report Information from ProQuest
December 01 2026 09:12
{RULE}

Table of contents

1. Harbour plan wins council vote
2. Rail strike talks resume
3. Orchard growers count frost damage
4. Library extends opening hours
"""

DOC1 = """Harbour plan wins council vote

Author: Marsh, Ellen

Publication info: The Northfield Courier ; Northfield [Northfield]. 04 Mar 2021: A.3.

ProQuest document ID: 2497000001

Document URL: https://www.proquest.com/newspapers/harbour-plan/docview/2497000001/se-2

Full text: The council approved the harbour plan on Wednesday after a long debate.

Supporters said the new quay would bring ferries back to the town.

CAPTION: The old quay at low tide.

Subject: Harbors; City councils

Title: Harbour plan wins council vote

Publication title: The Northfield Courier; Northfield

Publication year: 2021

Publication date: Mar 4, 2021

Section: Local News

Dateline: NORTHFIELD

Publisher: Northfield Media Group

Place of publication: Northfield

Source type: Newspaper

Language of publication: English

Document type: News

ProQuest document ID: 2497000001

Document URL: https://www.proquest.com/newspapers/harbour-plan/docview/2497000001/se-2

Copyright: Copyright Northfield Media Group Mar 4, 2021

Last updated: 2021-03-05

Database: Global Newsstream
"""

# changed field order (date and outlet first, Full text last) and no Author
DOC2 = """Rail strike talks resume

Publication date: Mar 5, 2021

Publication title: Valley Evening Post

ProQuest document ID: 2497000002

Title: Rail strike talks resume

Language of publication: English

Full text: Union leaders and the operator met again on Friday.

No agreement was reached, a spokesperson said.
"""

# abstract only: no Full text
DOC3 = """Orchard growers count frost damage

Author: Reyes, Tomas

Abstract: Growers say a late frost cut the apple crop.

Publication title: Valley Evening Post

Publication date: Mar 6, 2021

ProQuest document ID: 2497000003
"""

DOC4 = """Library extends opening hours

Author: Okafor, Ada

Full text: The central library will open on Sundays from April.

Publication title: The Northfield Courier; Northfield

Publication date: Mar 7, 2021

Section: Community

ProQuest document ID: 2497000004
"""

FOOTER = f"""{RULE}

Bibliography
Citation style: APA 7th - American Psychological Association, 7th Edition

Marsh, E. (2021, Mar 04). Harbour plan wins council vote. The Northfield Courier.
{RULE}

Search Strategy
Set#: S1
Searched for: harbour OR rail
Databases: Global Newsstream
{RULE}

Contact ProQuest
Copyright © 2026 ProQuest LLC. All rights reserved. - Terms and Conditions
"""


def export(docs, numbered=True, header=True):
    """An export of ``docs``: ``numbered`` True (every one), False (none) or a set of 1-based numbers."""
    parts = [HEADER] if header else []
    for i, doc in enumerate(docs, start=1):
        head = f"Document {i} of {len(docs)}\n\n" if numbered is True or (numbered and i in numbered) else ""
        parts.append(f"{RULE}\n\n{head}{doc.rstrip()}\n")
    return "".join(parts) + FOOTER


@pytest.fixture
def pq_file(tmp_path):
    p = tmp_path / "ProQuestDocuments-2026-12-01.txt"
    p.write_text(export([DOC1, DOC2, DOC3, DOC4], numbered={2, 3, 4}), encoding="utf-8")  # doc 1 unnumbered
    return p


def test_detected_and_read_with_exact_fields(pq_file):
    assert detect_format(pq_file) == "proquest"
    corpus, caught = read(pq_file)
    assert corpus.ids == ["2497000001", "2497000002", "2497000004"]
    m = corpus.metadata
    first = m.loc["2497000001"]
    assert first["title"] == "Harbour plan wins council vote"
    assert first["byline"] == "Marsh, Ellen"
    assert first["outlet"] == "The Northfield Courier; Northfield"
    assert first["date"] == "2021-03-04"
    assert first["section"] == "Local News"
    assert first["dateline"] == "NORTHFIELD"
    assert first["language"] == "English"
    assert first["url"] == "https://www.proquest.com/newspapers/harbour-plan/docview/2497000001/se-2"
    assert first["source_format"] == "proquest-txt"
    assert first["export_file"] == "ProQuestDocuments-2026-12-01.txt"
    assert first["position"] == 1
    assert pd.isna(first["length"])  # the export states no word count
    assert first["date_raw"] == "Mar 4, 2021"
    # the body keeps its paragraphs, a CAPTION: line is text, and stops at the next field (Subject:)
    assert corpus["2497000001"].text == (
        "The council approved the harbour plan on Wednesday after a long debate.\n\n"
        "Supporters said the new quay would bring ferries back to the town.\n\n"
        "CAPTION: The old quay at low tide.")
    second = m.loc["2497000002"]  # changed field order, no Author
    assert second["title"] == "Rail strike talks resume"
    assert second["outlet"] == "Valley Evening Post"
    assert second["date"] == "2021-03-05"
    assert second["position"] == 2
    assert pd.isna(second["byline"])  # missing, not invented
    assert corpus["2497000002"].text == ("Union leaders and the operator met again on Friday.\n\n"
                                        "No agreement was reached, a spokesperson said.")
    assert m.loc["2497000004", "position"] == 4
    assert m.loc["2497000004", "section"] == "Community"
    assert len(caught) == 1  # the skipped abstract-only document


def test_report_rows_and_reconciliation(pq_file):
    corpus, _ = read(pq_file)
    rows = corpus.report.frame
    src = str(pq_file)
    skipped = rows[rows["action"] == "skipped"]
    assert skipped[["source", "line", "doc_id", "reason"]].values.tolist() == [
        [src, 3, "2497000003", "no full text (abstract only): ProQuest gives no 'Full text:' for this document"]]
    read_rows = rows[rows["action"] == "read"]
    assert read_rows["line"].tolist() == [1, 2, 4]
    assert read_rows["doc_id"].tolist() == ["2497000001", "2497000002", "2497000004"]
    assert len(read_rows) + len(skipped) == 4  # the documents in the export
    assert (f"{src}: ProQuest header and footer blocks not read as articles: Report Information from ProQuest, "
            "Table of contents, Bibliography, Search Strategy, Contact ProQuest") in corpus.report.notes


def test_crlf_export_reads_the_same(tmp_path, pq_file):
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(pq_file.read_bytes().replace(b"\n", b"\r\n"))
    assert is_proquest(crlf)
    a, b = read(pq_file)[0], read(crlf)[0]
    assert a.ids == b.ids
    assert [d.text for d in a] == [d.text for d in b]
    assert "\r" not in "".join(d.text for d in b)
    cols = ["title", "outlet", "date", "byline", "position"]
    assert a.metadata[cols].astype(str).values.tolist() == b.metadata[cols].astype(str).values.tolist()


def test_no_header_no_numbers_and_a_count_mismatch():
    report = ReadReport()
    text = export([DOC1, DOC2], numbered=False, header=False)
    recs = list(parse_proquest(text, "e.txt", report))
    assert [r["id"] for r in recs] == ["2497000001", "2497000002"]
    assert [r["position"] for r in recs] == [1, 2]
    # numbered "of 3" but two article blocks: a warning, the two read
    report = ReadReport()
    text = export([DOC1, DOC2], numbered=True).replace(" of 2\n", " of 3\n")
    assert len(list(parse_proquest(text, "e.txt", report))) == 2
    assert report.frame[["action", "reason"]].values.tolist() == [
        ["warning", "the export numbers its documents 'of 3' but holds 2 article blocks"]]


def test_unparsable_block_and_missing_id_are_reported():
    report = ReadReport()
    stray = "Some words pasted between the rules with no fields at all."
    nofull = "Untitled note\n\nPublication title: Valley Evening Post\n"
    nodoc_id = DOC4.replace("ProQuest document ID: 2497000004\n", "")
    text = export([stray, nofull, nodoc_id], numbered=False)
    recs = list(parse_proquest(text, "x/e.txt", report, export_file="e.txt"))
    assert [(r["id"], r["position"], r["title"]) for r in recs] == [("e-3", 3, "Library extends opening hours")]
    assert report.frame[["action", "line", "reason"]].values.tolist() == [
        ["skipped", 1, "not a ProQuest document: no ProQuest fields (Full text:, Publication title:, "
                       "ProQuest document ID: …) in this block"],
        ["skipped", 2, "no full text: ProQuest gives no 'Full text:' for this document"]]


def test_equals_rules_and_a_plain_text_article_is_not_proquest(tmp_path):
    p = tmp_path / "eq.txt"
    p.write_text(export([DOC1, DOC4]).replace(RULE, "=" * 40), encoding="utf-8")
    corpus, _ = read(p)
    assert corpus.ids == ["2497000001", "2497000004"]
    plain = tmp_path / "story.txt"
    plain.write_text("A story.\n\nPublication title: mentioned in the text\n" + RULE + "\nmore", encoding="utf-8")
    assert not is_proquest(plain)
    assert detect_format(plain) == "txt"
    assert read(plain)[0].ids == ["story"]


def test_no_article_blocks_is_an_error(tmp_path):
    p = tmp_path / "empty_pq.txt"
    p.write_text(HEADER + FOOTER, encoding="utf-8")
    with pytest.raises(ValueError, match="no ProQuest article blocks found"):
        dc.read_corpus(p)


def test_folder_walk_reads_a_proquest_export_beside_plain_texts(tmp_path):
    d = tmp_path / "exports"
    (d / "2021").mkdir(parents=True)
    (d / "2021" / "pq.txt").write_text(export([DOC1, DOC3]), encoding="utf-8")
    (d / "note.txt").write_text("A plain article about the harbour.", encoding="utf-8")
    corpus, _ = read(d)
    assert corpus.ids == ["2497000001", "note"]
    assert corpus.metadata.loc["2497000001", ["export_file", "position", "source_format"]].tolist() == [
        "2021/pq.txt", 1, "proquest-txt"]
    skipped = corpus.report.frame.query("action == 'skipped'")
    assert skipped[["source", "line", "reason"]].values.tolist() == [
        [str(d / "2021" / "pq.txt"), 2, "no full text (abstract only): ProQuest gives no 'Full text:' for this "
                                        "document"]]


def test_zip_with_a_proquest_member_and_a_corrupt_member(tmp_path):
    p = tmp_path / "exports.zip"
    broken = b"This member's bytes are damaged after zipping." * 3
    with zipfile.ZipFile(p, "w", zipfile.ZIP_STORED) as z:
        z.writestr("a/pq.txt", export([DOC2, DOC4]))
        z.writestr("b/broken.txt", broken)
        z.writestr("c/plain.txt", "A plain article.")
    data = p.read_bytes()
    at = data.index(broken)
    p.write_bytes(data[:at] + b"X" + data[at + 1:])  # the stored CRC no longer matches
    corpus, _ = read(p)
    assert corpus.ids == ["2497000002", "2497000004", "c/plain"]
    assert corpus.metadata.loc["2497000004", ["export_file", "position"]].tolist() == ["exports.zip!a/pq.txt", 2]
    skipped = corpus.report.frame.query("action == 'skipped'")
    assert skipped[["source", "reason"]].values.tolist() == [
        [f"{p}!b/broken.txt", "not a readable zip member file: Bad CRC-32 for file 'b/broken.txt'"]]


def test_gzipped_export_is_detected(tmp_path):
    p = tmp_path / "pq.txt.gz"
    p.write_bytes(gzip.compress(export([DOC4]).encode("utf-8")))
    assert detect_format(p) == "proquest"
    corpus, _ = read(p)
    assert corpus.ids == ["2497000004"]
    assert corpus.metadata.loc["2497000004", "export_file"] == "pq.txt.gz"
