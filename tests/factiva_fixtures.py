"""Invented Factiva exports for tests/test_factiva.py (no real article text): the field-coded and the
plain layouts as RTF and HTML, written the way Factiva writes them, with the known breakages."""
from __future__ import annotations

from discourse.datasets.export_writers import factiva_rtf

AN1 = "COASTH0020211210ehca0001q"
AN2 = "NLEDG00020211211ehcb0002r"
AN3 = "VWIRE00020211212ehcc0003s"
AN4 = "COASTH0020211213ehcd0004t"
FOOTER = "Page {} of 4 \u00a9 2021 Factiva, Inc. All rights reserved."
SUMMARY = ["Search Summary", "Text\tharbour", "Date\t01/12/2021 to 31/12/2021", "Source\tAll Sources",
           "Language\tEnglish", "Results Found\t4", "Timestamp\t14 December 2021 9:05"]

# article 1: the usual order, a code in prose ("TD Bank", a repeated "TD" line), CO/NS/RE codes
ARTICLE_1 = ["HD\tHarbour plan wins council vote", "BY\tBy Mara Quill", "WC\t412 words", "PD\t10 December 2021",
             "ET\t11:46 GMT", "SN\tThe Coastal Herald", "SC\tCOASTH", "PG\tA4", "LA\tEnglish",
             "CY\t(c) 2021 Coastal Herald Ltd. All rights reserved.",
             "LP\tThe council approved the harbour plan on Thursday.", "", "Opponents said they would appeal.",
             "TD\tThe vote was seven to four.", "TD Bank, which lends to the port, declined to comment.",
             "TD\tThis line repeats a code inside the text.",
             "CO\tchrbr : Coastal Harbour Board | tdbnk : TD Bank", "IN\ti5020 : Construction",
             "NS\tgcat : Political/General News | gpol : Domestic Politics", "RE\tuk : United Kingdom",
             "IPC\tHRB", "PUB\tCoastal Herald Ltd.", f"AN\tDocument {AN1}"]
# article 2: changed field order (SN and PD before HD, codes between LP and TD), no byline but a
# "BY  " line in the text, a section
ARTICLE_2 = ["SN\tNorthern Ledger", "PD\t11 December 2021", "SE\tBusiness", "HD\tPort rates rise again",
             "WC\t1,204 words", "LA\tEnglish", "LP\tRates at the northern port rose for a third month.",
             "NS\tecat : Economic News", "TD\tShippers blamed fuel costs.", "",
             "BY  the end of the week, traders expect a pause.",
             f"AN\tDocument {AN2}"]
# article 3: a lead paragraph only (no TD); the fields as RTF table cells ("HD|value|"), two paragraphs
# in one cell ("\u00b6" = a paragraph mark inside the cell)
ARTICLE_3 = ["HD|Ferry timetable changes|", "WC|38 words|", "PD|12 December 2021|", "SN|Valley Wire|",
             "LA|English|", "LP|Winter sailings start on Monday.\u00b6Ferries run hourly.|", f"AN|Document {AN3}|"]
# article 4: no text at all (skipped)
ARTICLE_4 = ["HD\tCorrection", "PD\t13 December 2021", "SN\tThe Coastal Herald", f"AN\tDocument {AN4}"]

TEXT_1 = ("The council approved the harbour plan on Thursday.\n\nOpponents said they would appeal.\n\n"
          "The vote was seven to four.\n\nTD Bank, which lends to the port, declined to comment.\n\n"
          "TD\tThis line repeats a code inside the text.")
TEXT_2 = ("Rates at the northern port rose for a third month.\n\nShippers blamed fuel costs.\n\n"
          "BY  the end of the week, traders expect a pause.")  # a header code in the text, no byline: text
TEXT_3 = "Winter sailings start on Monday.\n\nFerries run hourly."

# the first article lacks the usual header: it starts with uncoded lines, then SN/LP/TD and no HD or PD
FIRST_HEADERLESS = ["Quay works delayed", "SN\tThe Coastal Herald", "LP\tWork on the quay will start late.",
                    "TD\tThe contractor cited storms.", "AN\tDocument COASTH0020211214ehce0005u", "\f",
                    "HD\tSecond story", "PD\t15 December 2021", "SN\tThe Coastal Herald",
                    "TD\tA second story follows.", "AN\tDocument COASTH0020211215ehcf0006v"]

# the plain "Article Format" layout: the first article without any header (a body and its Document
# line), then one with a section and a byline credit, and one without byline
PLAIN = ["Notice to mariners about the channel buoys.", "Document VWIRE00020220305ei350003c", "\f",
         "Business; 2", "Harbour fees frozen", "By Ilse Marten", "Staff reporter", "288 words", "3 March 2022",
         "08:15", "Northern Ledger", "NLEDG", "Late Edition", "B2", "English",
         "Copyright 2022 Northern Ledger Media.", "", "Fees at the harbour will not rise this year.", "",
         "The board met on Wednesday.", "", "Document NLEDG00020220303ei330001a", "\f",
         "Tide gauge replaced", "51 words", "4 March 2022", "Valley Wire", "VWIRE", "English",
         "A new tide gauge was fitted at the pier.", "Document VWIRE00020220304ei340002b",
         FOOTER.format(3)]


def rtf(lines: list[str]) -> str:
    """An RTF document of ``lines`` the way Factiva's RTF writes text (``"\\f"`` = a page break)."""
    return factiva_rtf(lines)


def multi_article_rtf() -> str:
    return rtf([*ARTICLE_1, FOOTER.format(1), "\f", *ARTICLE_2, FOOTER.format(2), "\f", *ARTICLE_3, "\f",
                *ARTICLE_4, FOOTER.format(3), "\f", *SUMMARY])


def _row(code: str, value: str) -> str:
    return f'<tr><td class="index" valign="top"><b>{code}</b>&nbsp;</td><td>{value}</td></tr>'


def html_field_coded() -> str:
    """Two articles as Factiva's HTML writes the field-coded layout (a table per article)."""
    paras = lambda *ps: "".join(f'<p class="articleParagraph enarticleParagraph">{p}</p>' for p in ps)  # noqa: E731
    a1 = "".join([_row("HD", "Harbour plan wins council vote"), _row("BY", "By Mara Quill"),
                  _row("WC", "412 words"), _row("PD", "10 December 2021"), _row("SN", "The Coastal Herald"),
                  _row("LA", "English"), _row("LP", paras("The council approved the plan.")),
                  _row("TD", paras("The vote was seven to four.", "TD Bank declined to comment.")),
                  _row("CO", "chrbr : Coastal Harbour Board<br/>tdbnk : TD Bank"),
                  _row("AN", f"Document {AN1}")])
    a2 = "".join([_row("HD", "Port rates rise again"), _row("PD", "11 December 2021"),
                  _row("SN", "Northern Ledger"), _row("LP", paras("Rates rose for a third month.")),
                  _row("AN", f"Document {AN2}")])
    art = '<div id="article-{0}" class="article"><div class="article enArticle"><table border="0">{1}</table></div></div>'
    return ('<html><head><meta charset="utf-8"><title>Factiva</title></head><body>'
            '<div id="navcontainer"><h1>Dow Jones Factiva</h1></div>'
            + art.format(AN1, a1) + "<br/>" + art.format(AN2, a2)
            + '<table class="searchSummary"><tr><td>Search Summary</td></tr><tr><td>Text</td><td>harbour</td></tr></table>'
            '<div id="footer">\u00a9 2021 Factiva, Inc. All rights reserved.</div></body></html>')


def html_article_format() -> str:
    """One article as Factiva's HTML "Article Format" writes it (divs, then paragraphs)."""
    return ('<html><head><meta charset="utf-8"><title>Factiva</title></head><body>'
            f'<div id="article-{AN1}" class="article"><div class="article enArticle"><p></p>'
            '<div>City Desk; 3</div><div id="hd"><span class="enHeadline">Harbour plan wins council vote </span></div>'
            '<div class="author">Mara Quill</div><div>412 words</div><div>10 December 2021</div>'
            '<div>The Coastal Herald</div><div>COASTH</div><div>English</div>'
            '<div>(c) 2021 Coastal Herald Ltd.</div><p></p>'
            '<p class="articleParagraph enarticleParagraph">The council approved the plan. </p>'
            '<p class="articleParagraph enarticleParagraph">The vote was seven to four.</p>'
            f'<p>Coastal Herald Online</p><p>Document {AN1}</p></div></div>'
            '<div>\u00a9 2021 Factiva, Inc. All rights reserved.</div></body></html>')
