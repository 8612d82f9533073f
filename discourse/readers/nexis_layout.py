"""The layout of a Nexis Uni / Lexis export, as lines of text: articles, their fields, their body.

An export (DOCX, RTF or plain text, one article or many) is a sequence of article blocks,
each ended by an ``End of Document`` line (``Ende des Dokuments`` in German exports), the
layout the public parsers read (LexisNexisTools, Gruber 2018, ``lnt_read``):

.. code-block:: text

    [cover page and result list: first block of a multi-article export only]
    Headline
    Publication
    December 10, 2021 Friday          <- the date line as written (10. Dezember 2021 Freitag)
    [edition lines, a copyright line]
    Section: NEWS; Pg. 4               (Rubrik:)
    Length: 512 words                  (Länge: 512 Wörter)
    Byline: Jane Roe                   (Author:, Autor:)
    Dateline: LONDON
    Body                               (or Text)
    paragraphs ...
    Classification
    Language: ENGLISH                  (Sprache:)
    Publication-Type: Newspaper
    Subject: ... ; Geographic: ... ; Load-Date: December 11, 2021
    End of Document

The article is found from its date line: the last line before the first field line that
parses as a date (:func:`discourse.dates.parse_dates`); the two lines above it are the
headline and the publication. Fields are read by label wherever they stand in the header
or the classification block (exports change the order). What is not body text, the cover
page, ``Body`` markers, classification blocks, ``Page N of M`` lines, copyright notices
and ``End of Document`` lines, is counted in :attr:`Article.removed` and the export's
``furniture``, never dropped silently; what cannot be read is a problem or a skip reason.
The German labels are LexisNexisTools' (``LÄNGE``, ``RUBRIK``, ``SPRACHE``, ``AUTOR``);
``Ende des Dokuments`` is assumed, as no public parser documents a German Nexis Uni export.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..dates import parse_dates

__all__ = ["Article", "HEADER_LABELS", "CLASSIFICATION_LABELS", "FIELDS", "split_export", "looks_like_nexis"]

HEADER_LABELS = {"section": "section", "rubrik": "section", "length": "length", "länge": "length",
                 "byline": "byline", "author": "byline", "autor": "byline", "dateline": "dateline",
                 "highlight": "highlight"}
CLASSIFICATION_LABELS = {
    "language": "language", "sprache": "language", "load-date": "load_date", "publication-type": None,
    "subject": None, "geographic": None, "industry": None, "organization": None, "person": None,
    "company": None, "ticker": None, "graphic": None, "grafik": None, "notes": None, "document-type": None,
    "journal-code": None, "correction-date": None, "update": None, "country": None, "city": None, "state": None}
LABELS = {**HEADER_LABELS, **CLASSIFICATION_LABELS}
# labels read as fields above the 'Body' line: a headline such as "Update: ..." is not a field
_IN_HEADER = {*HEADER_LABELS, "language", "sprache", "load-date", "publication-type"}
# the metadata every article carries (None where the export does not give it)
FIELDS = ("title", "outlet", "date", "section", "length", "byline", "dateline", "language", "edition",
          "highlight", "load_date")
_LABEL = re.compile(r"^(" + "|".join(re.escape(k) for k in sorted(LABELS, key=len, reverse=True)) + r")\s*:\s*(.*)$",
                    re.I)
_END = {"end of document", "ende des dokuments"}
_BODY = {"body", "text"}
_CLASSIFICATION = {"classification", "klassifikation"}
_PAGE = re.compile(r"^(?:page|seite)\s+\d+\s+(?:of|von)\s+\d+$", re.I)
_COPYRIGHT = re.compile(r"^(?:copyright|©|\(c\))\s*(?:©|\(c\))?\s*\d{4}\b", re.I)
_RESERVED = re.compile(r"rights reserved|rechte vorbehalten", re.I)
_SNIFF_END = re.compile(r"^\s*(?:end of document|ende des dokuments)\s*$", re.I | re.M)
_SNIFF_FIELD = re.compile(r"^\s*(length|länge|load-date)\s*:", re.I | re.M)
_SNIFF_BODY = re.compile(r"^\s*(?:body|text)\s*$", re.I | re.M)
_DATE_HINT = re.compile(r"\b\d{4}\b")
_LENGTH = re.compile(r"^(\d[\d,.]*)\s*(?:words?|wörter|worte)?\b", re.I)


@dataclass
class Article:
    """One article block of an export: its ``fields``, body ``paragraphs``, what was ``removed``
    (kind -> lines), ``problems`` (warnings) and ``skip`` (the reason it cannot be read, or ``None``)."""

    position: int
    fields: dict = field(default_factory=lambda: dict.fromkeys(FIELDS))
    paragraphs: list = field(default_factory=list)
    removed: Counter = field(default_factory=Counter)
    problems: list = field(default_factory=list)
    skip: str | None = None


def _clean(line: str) -> str:
    return " ".join(line.replace("\u200b", " ").replace("\ufeff", " ").split())  # str.split: NBSP too


def _label(line: str, labels: set | dict = LABELS) -> tuple[str, str] | None:
    m = _LABEL.match(line)
    return (m.group(1).lower(), m.group(2).strip()) if m and m.group(1).lower() in labels else None


def _is_copyright(line: str) -> bool:
    """A copyright notice: ``Copyright 2021 ...``/``© 2021 ...``, with "All Rights Reserved" or short (12 words at
    most), so that a body sentence beginning "Copyright 2021 was ..." is kept."""
    return bool(_COPYRIGHT.match(line)) and (bool(_RESERVED.search(line)) or len(line.split()) <= 12)


def looks_like_nexis(lines: list[str]) -> bool:
    """Whether the lines are a Nexis export: an ``End of Document`` line and a ``Length:`` or
    ``Load-Date:`` field, or (an export cut short) ``Body``, ``Length:`` and ``Load-Date:``."""
    text = "\n".join(lines)  # one regex search over the export, not a pass per line
    end = _SNIFF_END.search(text) is not None
    names = {LABELS[m.lower()] for m in _SNIFF_FIELD.findall(text)}
    body = _SNIFF_BODY.search(text) is not None
    return (end and bool(names & {"length", "load_date"})) or (body and {"length", "load_date"} <= names)


def split_export(lines: list[str]) -> tuple[list[Article], Counter]:
    """The articles of an export, in order, and the furniture outside any article (kind -> lines)."""
    furniture: Counter = Counter()
    blocks: list[list[str]] = [[]]
    for raw in lines:
        line = _clean(raw)
        if not line:
            continue
        if _PAGE.match(line):
            furniture["'Page N of M' lines"] += 1
        elif line.lower() in _END:
            furniture["'End of Document' lines"] += 1
            blocks.append([])
        else:
            blocks[-1].append(line)
    last = blocks.pop()
    unended = bool(last) and (any(x.lower() in _BODY for x in last) or any(_label(x) for x in last))
    if unended:
        blocks.append(last)
    elif last:
        furniture["lines after the last 'End of Document'"] += len(last)
    articles: list[Article] = []
    dated = _date_lines({x for block in blocks for x in block})
    for i, block in enumerate(blocks):
        if not block:
            furniture["empty blocks between 'End of Document' lines"] += 1
            continue
        art = _article(block, len(articles) + 1, i == 0, dated)
        articles.append(art)
        if unended and i == len(blocks) - 1:
            art.problems.append("no 'End of Document' line after the article: read to the end of the file "
                                "(the export may be cut short)")
    return articles, furniture


def _date_lines(lines: set[str]) -> set[str]:
    """The lines that are a date alone (one :func:`parse_dates` call for the whole export: it is vectorised)."""
    hinted = sorted(x for x in lines if len(x) <= 80 and _DATE_HINT.search(x) and not _label(x))
    if not hinted:
        return set()
    parsed = parse_dates(hinted)
    ok = (parsed["status"] == "ok") & (parsed["format"] != "other (dateutil)")  # a class, not a guess
    return {x for x, good in zip(hinted, ok) if good}


def _article(block: list[str], position: int, first: bool, dated: set[str]) -> Article:
    art = Article(position)
    body_at = next((k for k, x in enumerate(block) if x.lower() in _BODY), None)
    first_field = next((k for k, x in enumerate(block) if _label(x, _IN_HEADER)), None)
    if body_at is None:
        if first_field is None:
            art.skip = "no 'Body' line and no field lines (Length:, Section:, Byline: ...): cannot tell the header " \
                       "from the text"
            return art
        end = first_field
        while end < len(block) and (_label(block[end], _IN_HEADER) or _is_copyright(block[end])):
            end += 1
        header, rest = block[:end], block[end:]
        art.problems.append("no 'Body' line: the header taken to end at the last field line")
    else:
        header, rest = block[:body_at], block[body_at + 1:]
        art.removed["'Body' markers"] += 1
    first_field = next((k for k, x in enumerate(header) if _label(x, _IN_HEADER)), len(header))
    _header_lines(art, header[:first_field], first, dated)
    _fields(art, header[first_field:], header=True)
    cut = next((k for k, x in enumerate(rest) if x.lower() in _CLASSIFICATION), None)
    if cut is None:  # no marker: the classification block is the run of field lines at the end
        cut = len(rest)
        while cut > 0 and _label(rest[cut - 1]) and LABELS[_label(rest[cut - 1])[0]] not in HEADER_LABELS.values():
            cut -= 1
        if not any(LABELS[_label(x)[0]] in ("language", "load_date") for x in rest[cut:]):
            cut = len(rest)  # a last paragraph such as "Notes: ..." alone is text, not a classification block
    tail = rest[cut:]
    if tail:
        art.removed["classification block lines"] += len(tail)
        _fields(art, [x for x in tail if x.lower() not in _CLASSIFICATION], header=False)
    for line in rest[:cut]:
        if _is_copyright(line):
            art.removed["copyright notices"] += 1
        else:
            art.paragraphs.append(line)
    _length(art)
    if not art.paragraphs:
        art.skip = "no body text after the header" + (" ('Body' line followed by no text)" if body_at is not None
                                                     else "")
    return art


def _header_lines(art: Article, pre: list[str], first: bool, dated: set[str]) -> None:
    """Headline, publication, date and edition from the unlabelled lines above the first field."""
    ok = [k for k, x in enumerate(pre) if x in dated]
    if not ok:
        art.removed["copyright notices"] += sum(map(_is_copyright, pre))
        pre = [x for x in pre if not _is_copyright(x)]
        if pre:
            art.removed["header lines not read"] += len(pre)
        shown = ", ".join(repr(x[:60]) for x in pre[:3]) + (" ..." if len(pre) > 3 else "")
        art.problems.append("no date line above the fields: headline, publication and date not found"
                            + (f"; {len(pre)} line{'s' if len(pre) != 1 else ''} above the fields not read "
                               f"({shown})" if pre else ""))
        return
    d = ok[-1]
    art.fields["date"] = pre[d]
    if d >= 2:
        art.fields["title"], art.fields["outlet"] = pre[d - 2], pre[d - 1]
    elif d == 1:
        art.fields["title"] = pre[0]
        art.problems.append("one line above the date: read as the headline; no publication line")
    else:
        art.problems.append("no headline and publication lines above the date")
    before = pre[:max(d - 2, 0)]
    if before and first:
        art.removed["cover page lines"] += len(before)
    elif before:
        art.removed["header lines not read"] += len(before)
        art.problems.append(f"{len(before)} line{'s' if len(before) != 1 else ''} above the headline not read "
                            f"({', '.join(repr(x[:60]) for x in before[:3])})")
    edition = []
    for line in pre[d + 1:]:
        if _is_copyright(line):
            art.removed["copyright notices"] += 1
        else:
            edition.append(line)
    art.fields["edition"] = "; ".join(edition) or None


def _fields(art: Article, lines: list[str], header: bool) -> None:
    """Labelled lines into ``art.fields`` (the first of a repeated field kept); other lines counted."""
    previous = None
    for line in lines:
        found = _label(line)
        if found is None:
            if _is_copyright(line):
                art.removed["copyright notices"] += 1
            elif previous == "highlight":  # a highlight may run over several paragraphs
                art.fields["highlight"] += " " + line
            elif header:
                art.removed["header lines not read"] += 1
                art.problems.append(f"header line not read: {line[:80]!r}")
            continue
        name = LABELS[found[0]]
        previous = name
        if name is None:
            continue
        if art.fields.get(name) is not None:
            art.problems.append(f"field {found[0]!r} given twice: the first kept ({art.fields[name]!r})")
            continue
        art.fields[name] = found[1] or None


def _length(art: Article) -> None:
    value = art.fields["length"]
    if value is None:
        return
    m = _LENGTH.match(value)
    if m is None:
        art.problems.append(f"length {value!r} is not a number of words: left empty")
        art.fields["length"] = None
    else:
        art.fields["length"] = int(re.sub(r"[,.]", "", m.group(1)))
