"""Invented Nexis Uni / Lexis exports for tests/test_nexis.py, written in the layouts the public parsers
describe (LexisNexisTools' lnt_read: the cover page with Job Number / Search Terms / Narrowed by, labels
followed by a no-break space, 'Body', 'Classification', 'Load-Date:', 'End of Document'). All text is invented."""
from __future__ import annotations

from pathlib import Path

from discourse.datasets.export_writers import docx_bytes, nexis_rtf, write_zip  # noqa: F401 (re-exported)
from discourse.datasets.export_writers import nexis_rtf as rtf_text  # noqa: F401 (re-exported)
from discourse.datasets.export_writers import write_docx as _write_docx

NBSP = "\u00a0"

ARTICLES = [
    {"title": "Harbour council backs new ferry timetable", "outlet": "The Example Gazette",
     "date": "December 10, 2021 Friday", "edition": "Final Edition",
     "copyright": "Copyright 2021 Example Gazette Ltd All Rights Reserved", "section": "NEWS; Pg. 4",
     "length": "212 words", "byline": "Jane Roe", "dateline": "PORTVILLE",
     "body": ["The harbour council voted on Thursday to run ferries every twenty minutes.",
              "Residents of the east bank said the change was overdue."],
     "language": "ENGLISH", "load_date": "December 11, 2021"},
    {"title": "Ferry workers welcome timetable", "outlet": "Portville Evening Post",
     "date": "December 11, 2021 Saturday", "section": "LOCAL", "length": "1,045 words", "byline": None,
     "dateline": None, "body": ["Ferry crews said the new timetable would mean steadier shifts.",
                                "A union spokesman called it a fair compromise."],
     "language": "ENGLISH", "load_date": "December 12, 2021"},
    {"title": "Letters: the ferry question", "outlet": "The Example Gazette", "date": "December 13, 2021 Monday",
     "section": "OPINION; Pg. 12", "length": "98 words", "byline": "Sam Poe", "dateline": None,
     "body": ["Sir, twenty minutes is still too long to wait in the rain."],
     "language": "ENGLISH", "load_date": "December 14, 2021"},
]

COVER = ["Nexis Uni®", "Documents (3)", "1. Harbour council backs new ferry timetable", "Client/Matter: -None-",
         "Search Terms: ferry timetable", "Search Type: Terms and Connectors",
         "Narrowed by: Content Type News; Timeline: Dec 01, 2021 to Dec 31, 2021",
         "2. Ferry workers welcome timetable", "3. Letters: the ferry question",
         "Job Number: 158203", "Date and Time: Monday, December 13, 2021 10:02:00 AM EST"]


def article_lines(a: dict, *, order: str = "standard", end: str | None = "End of Document",
                  labels: dict | None = None, header: bool = True) -> list[str]:
    """The lines of one article; ``order="changed"`` moves the fields about (Language above Body,
    Byline before Section, Load-Date before the Classification marker's other fields)."""
    lab = {"section": "Section", "length": "Length", "byline": "Byline", "dateline": "Dateline",
           "body": "Body", "classification": "Classification", "language": "Language", "load_date": "Load-Date",
           **(labels or {})}

    def f(key: str, value) -> list[str]:
        return [] if value is None else [f"{lab[key]}:{NBSP}{value}"]

    top = [a["title"], a["outlet"], a["date"]] if header else []
    top += [a[k] for k in ("edition", "copyright") if a.get(k)]
    if order == "standard":
        fields = f("section", a["section"]) + f("length", a["length"]) + f("byline", a["byline"]) \
            + f("dateline", a["dateline"])
        tail = f("language", a["language"]) + ["Publication-Type: Newspaper", "Subject: TRANSPORT (90%); "
                                               "MUNICIPAL GOVERNMENT (72%)"] + f("load_date", a["load_date"])
    else:
        fields = f("byline", a["byline"]) + f("length", a["length"]) + f("language", a["language"]) \
            + f("dateline", a["dateline"]) + f("section", a["section"])
        tail = f("load_date", a["load_date"]) + ["Geographic: PORTVILLE (79%)", "Publication-Type: Web Publication"]
    return top + fields + [lab["body"], *a["body"], lab["classification"], *tail] + ([end] if end else [])


def export_lines(articles=ARTICLES, *, cover: bool = True, **kw) -> list[str]:
    lines = list(COVER) if cover else []
    for a in articles:
        lines += article_lines(a, **kw)
    return lines


def write_docx(path: Path, lines: list[str]) -> Path:
    """A DOCX as Nexis Uni writes one: a paragraph a line, a page break before each article's headline."""
    return _write_docx(path, lines, breaks_before={a["title"] for a in ARTICLES}, footer="Page 1 of 3")


def write_rtf(path: Path, lines: list[str]) -> Path:
    path.write_text(nexis_rtf(lines), encoding="ascii")
    return path


def write_txt(path: Path, lines: list[str]) -> Path:
    """A plain-text export: blank lines between paragraphs, a 'Page N of M' line between articles."""
    out, page = [], 1
    for line in lines:
        if line == "End of Document":
            out += [line, "", f"Page {page} of 3", ""]
            page += 1
        else:
            out += [line, ""]
    path.write_text("\n".join(out), encoding="utf-8")
    return path
