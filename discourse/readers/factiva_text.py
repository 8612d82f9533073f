"""Factiva exports as lines of text (an RTF export after striprtf): the two layouts Factiva writes.

* **Field-coded** ("Full Article/Report plus Indexing"): each field starts on its own line with a
  two- or three-letter code (``HD`` headline, ``BY``, ``WC`` word count, ``PD`` date, ``ET`` time,
  ``SN`` source name, ``SC``, ``ED``, ``PG``, ``LA``, ``CY``, ``LP`` lead paragraph, ``TD`` text,
  ``CO``/``IN``/``NS``/``RE`` codes, ``IPC``, ``PUB``, ``AN`` accession number, ...) followed by a
  tab, two spaces or a table cell (``HD|...``), or alone with its value on the lines below. ``AN``
  closes an article; a second ``HD`` before any ``AN`` starts the next one. Inside a value only a code
  the article has not had yet starts a field, so a ``TD`` line in prose does not split the article.
* **Article format** (plain): section, headline, byline, ``512 words``, ``10 December 2021``,
  time, source name, source code, edition, page, language, copyright, the body, and ``Document …``
  (the accession number) closing the article; the header is found from its word-count line.

Not body text, removed and counted (:func:`strip_furniture`): Factiva's page footers
(``Page 2 of 9 © 2021 Factiva, Inc. All rights reserved.``) and the search summary table.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

__all__ = ["FIELD_CODES", "BODY_CODES", "HEADER_CODES", "FactivaArticle", "code_line", "is_field_coded", "strip_furniture",
           "parse_field_coded", "parse_plain", "plain_header", "AN_LINE"]

FIELD_CODES = ("SE", "HD", "BY", "CR", "WC", "PD", "ET", "SN", "SC", "ED", "PG", "VOL", "LA", "CY", "DLN", "CLM",
               "LP", "TD", "CT", "RF", "ART", "CX", "CO", "IN", "NS", "RE", "IPC", "IPD", "PUB", "RST", "AN")
BODY_CODES = ("LP", "TD")
HEADER_CODES = ("SE", "HD", "BY", "CR", "WC", "PD", "ET", "SN", "SC", "ED", "PG", "VOL", "LA", "CY", "DLN", "CLM")
# a code, then a tab, two spaces, a table cell mark or the end of the line (one space is prose: "TD Bank said")
_CODE = re.compile(r"^[ \t]*(%s)(?:[ \t]*\|[ \t]*|\t[ \t]*| {2,}|[ \t]*$)(.*?)[ \t|]*$" % "|".join(FIELD_CODES))
AN_LINE = re.compile(r"^[ \t]*(?:Document|Dokument|Documento)[ \t]+([A-Za-z0-9]{10,})[ \t]*$")
_FOOTER = re.compile(r"^[ \t]*(?:Page[ \t]+\d+[ \t]+of[ \t]+\d+[ \t]*)?(?:(?:©|\(c\)|Copyright)[ \t]*\d{4}[ \t]+"
                     r"Factiva,?[ \t]+Inc\.?.*)?$", re.I)
_SUMMARY_LABELS = re.compile(r"^[ \t]*(?:Text|Date|Source|Author|Company|Subject|Industry|Region|Language|"
                             r"Results Found|Timestamp)(?:[ \t]*(?:\||\t| {2,})(.*?))?[ \t|]*$", re.I)
_WORDS = re.compile(r"^[ \t]*(\d[\d,.]*)[ \t]+(?:words|Wörter|mots|palabras|parole|palavras|woorden|ord)[ \t]*$", re.I)
_DATE = re.compile(r"^\d{1,2}[ .]+\w+\.?[ ]+\d{4}$|^\w+\.?[ ]+\d{1,2},?[ ]+\d{4}$|^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^\d{1,2}[:.]\d{2}(?:[ ]*[AaPp]\.?[Mm]\.?)?(?:[ ]+[A-Z]{2,5})?$")
_BYLINE = re.compile(r"^(?:By|From|Von|Par|Por|Di)[ ]+\S", re.I)
_LANGUAGES = {"english", "german", "french", "spanish", "italian", "portuguese", "dutch", "chinese", "japanese",
              "russian", "arabic", "swedish", "danish", "norwegian", "finnish", "polish", "turkish", "korean",
              "englisch", "deutsch", "französisch", "spanisch", "anglais", "allemand", "français", "inglés"}


@dataclass
class FactivaArticle:
    """One article block: its fields (code -> lines as written), layout, and what is odd about it."""

    fields: dict[str, list[str]] = field(default_factory=dict)
    layout: str = "field-coded layout"
    problems: list[str] = field(default_factory=list)

    def value(self, code: str, sep: str = " ") -> str | None:
        """The field's lines joined (``None`` when absent or empty)."""
        parts = [s.strip() for s in self.fields.get(code, ()) if s.strip()]
        return sep.join(parts) if parts else None

    def paragraphs(self, code: str) -> list[str]:
        return [s.strip() for s in self.fields.get(code, ()) if s.strip()]


def code_line(line: str) -> tuple[str, str] | None:
    """``(code, value)`` when ``line`` starts a field-coded field, else ``None``."""
    m = _CODE.match(line)
    return (m[1], m[2]) if m else None


def is_field_coded(lines: list[str]) -> bool:
    """Whether ``lines`` hold field-coded articles: a headline or accession code and a text code."""
    codes = {c[0] for c in map(code_line, lines) if c}
    return bool(codes & {"HD", "AN"}) and bool(codes & set(BODY_CODES))


def strip_furniture(lines: list[str]) -> tuple[list[str], Counter, str | None]:
    """``lines`` without Factiva's page footers and search summary; the counts removed, and the summary's
    ``Results Found`` value when it has one. Blank lines stay (paragraph breaks)."""
    kept: list[str] = []
    removed: Counter = Counter()
    found = None
    in_summary = False
    for line in lines:
        if line.strip().lower() == "search summary":
            in_summary = True
            removed["search summary"] += 1
            removed["search summary lines"] += 1
            continue
        if in_summary:
            m = _SUMMARY_LABELS.match(line)
            if m or not line.strip():
                removed["search summary lines"] += bool(line.strip())
                if m and line.strip().lower().startswith("results found"):
                    found = (m[1] or "").strip() or None
                continue
            in_summary = False
        if line.strip() and _FOOTER.match(line):
            removed["Factiva page footers"] += 1
            continue
        kept.append(line)
    return kept, removed, found


def _starts_field(code: str, art: FactivaArticle, current: str | None) -> bool:
    """Whether a code line starts a field of ``art``. A code the article had is the value's text (but
    ``HD`` after a body starts the next article); once the text has begun (LP/TD), so is a header code
    (a ``BY  …`` line in prose must not swallow the rest of the text), while the codes Factiva writes
    after or between the text fields (TD, CO, IN, NS, RE, IPC, PUB, AN, …) still start fields."""
    in_body = bool(set(art.fields) & set(BODY_CODES))
    if code == "HD" and "HD" in art.fields:
        return in_body or current != "HD"
    return code not in art.fields and (not in_body or code not in HEADER_CODES)


def parse_field_coded(lines: list[str]) -> tuple[list[FactivaArticle], list[str]]:
    """The field-coded articles of ``lines``, and the text lines after the last article (read by no article)."""
    articles: list[FactivaArticle] = []
    art: FactivaArticle | None = None
    current: str | None = None
    loose: list[str] = []  # text lines before the first code of an article
    cells = False  # the fields are RTF table cells
    for line in lines:
        found = code_line(line)
        if found and art is not None and not _starts_field(found[0], art, current):
            found = None
        if found is None:
            if art is None:
                if line.strip():
                    loose.append(line)
            else:  # a paragraph of a table cell ends with the cell mark: "…second paragraph.|"
                art.fields[current].append(line.rstrip().rstrip("|") if cells else line)
            continue
        code, value = found
        cells = bool(re.match(r"[ \t]*[A-Z]{2,3}[ \t]*\|", line))
        if art is None or code in art.fields:  # none open, or a second HD: the next article
            art = FactivaArticle()
            articles.append(art)
            if loose:
                n = len(loose)
                art.problems.append(f"{n} line{'s' if n > 1 else ''} before the first field code: kept as body text")
                art.fields["_loose"] = loose
                loose = []
        art.fields[code] = [value] if value.strip() else []
        current = code
        if code == "AN":
            art, current = None, None
    return articles, loose


def parse_plain(lines: list[str]) -> tuple[list[FactivaArticle], list[str]]:
    """The article-format articles of ``lines`` (each closed by its ``Document …`` line), and blank-only
    trailing text (an article without a closing line is kept, with a problem noted)."""
    articles: list[FactivaArticle] = []
    block: list[str] = []
    for line in lines:
        m = AN_LINE.match(line)
        if m is None:
            block.append(line)
            continue
        articles.append(plain_header([s for s in block if s.strip()], an=m[1]))
        block = []
    rest = [s for s in block if s.strip()]
    if rest:
        art = plain_header(rest, an=None)
        art.problems.append("no closing 'Document …' line (accession number)")
        articles.append(art)
    return articles, []


def plain_header(lines: list[str], an: str | None, headline: int | None = None,
                 byline: int | None = None) -> FactivaArticle:
    """One article-format block (non-blank lines, the ``Document`` line left out) as fields.

    The header is found from the word-count line (``512 words``): before it the section, the headline
    and the byline (``headline``/``byline`` give their positions when the HTML marks them; else the
    byline is the line starting ``By``, the headline the line before it or before the word count);
    after it the date, time, source name, source code, edition, page, language and copyright. The
    body is every line after the header.
    """
    art = FactivaArticle(layout="article format")
    if an:
        art.fields["AN"] = [an]
    lines = [s.strip() for s in lines]
    wc = next((i for i, s in enumerate(lines[:15]) if _WORDS.match(s)), None)
    if wc is None:
        art.problems.append("no header (word count, date and source lines) found: read as text without metadata")
        art.fields["TD"] = lines
        return art
    pre = lines[:wc]
    if byline is None:
        byline = next((i for i, s in enumerate(pre) if _BYLINE.match(s)), None)
    if headline is None and pre:  # the line before the byline, else the last before the word count
        headline = byline - 1 if byline is not None else len(pre) - 1
    if headline is not None and 0 <= headline < len(pre) and headline != byline:
        art.fields["HD"] = [pre[headline]]
        if headline > 0:
            art.fields["SE"] = ["; ".join(pre[:headline])]
    if byline is not None and byline < len(pre):
        art.fields["BY"] = [pre[byline]]
        if pre[byline + 1:]:
            art.fields["CR"] = pre[byline + 1:]
    art.fields["WC"] = [lines[wc]]
    i = wc + 1
    for code, pattern in (("PD", _DATE), ("ET", _TIME)):
        if i < len(lines) and pattern.match(lines[i]):
            art.fields[code] = [lines[i]]
            i += 1
    if i < len(lines):
        art.fields["SN"] = [lines[i]]
        i += 1
    if i < len(lines) and re.fullmatch(r"[A-Z0-9]{2,10}", lines[i]):
        art.fields["SC"] = [lines[i]]
        i += 1
    end = i
    for j in range(i, min(i + 4, len(lines))):
        low = lines[j].lower()
        if low.startswith(("copyright", "©", "(c)")):
            end = j + 1
            break
        if low in _LANGUAGES:
            end = j + 1
    for s in lines[i:end]:
        low = s.lower()
        code = ("CY" if low.startswith(("copyright", "©", "(c)")) else "LA" if low in _LANGUAGES
                else "PG" if re.fullmatch(r"[A-Z]?\d{1,4}[A-Z]?", s) else "ED")
        art.fields.setdefault(code, []).append(s)
    art.fields["TD"] = lines[end:]
    return art
