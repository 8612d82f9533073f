"""ProQuest plain-text exports ("TXT - Text Only" from ProQuest Global Newsstream and its other databases).

The layout, as the export writes it (learned from its public documentation and the public parsers of
Hennesy & Naughton's ``pq_parser`` and ``metaknowledge``; no code taken from them):

* blocks separated by rules, lines of ``_`` (ProQuest writes 60) or of ``=``;
* a header block ("Report Information from ProQuest", a "Table of contents" listing the titles) and
  footer blocks ("Bibliography", "Search Strategy", "Contact ProQuest", the copyright line): not
  articles, named in the report's notes and not counted as documents;
* one article a block: optionally ``Document 3 of 25``, then the title on a line of its own, then
  fields written ``Label: value``, one a paragraph (``Author:``, ``Publication title:``,
  ``Publication date:``, ``Section:``, ``Dateline:``, ``Full text:``, ``Publisher:``,
  ``Place of publication:``, ``Source type:``, ``Language of publication:``, ``ProQuest document ID:``,
  ``Document URL:``, ``Copyright:``, ``Last updated:``, ``Database:`` …), in whatever order;
* ``Full text:`` (and ``Abstract:``) run over many paragraphs until the next line that starts with a
  field label ProQuest writes (:data:`FIELDS`); a line such as ``CAPTION: …`` inside the text is text.

Mapped to the standard metadata (:data:`~discourse.readers.plainnews.NEWS_COLUMNS`): ``title``
(``Title:``, else the title line), ``byline`` (``Author:``), ``outlet`` (``Publication title:``, as
written), ``date`` (``Publication date:``), ``section``, ``dateline``, ``length`` (``Word count:`` where
given), ``language`` (``Language of publication:``, as written), ``url`` (``Document URL:``), the
ProQuest document ID as the document id, ``source_format="proquest-txt"``, ``export_file`` and
``position`` (the article's place among the file's article blocks, 1-based).

What is reported (``corpus.report``, with the file and position): an article block without
``Full text:`` is **skipped** ("no full text (abstract only)" when ProQuest gave an abstract: an
abstract is not the article's wording, and mixing abstracts with texts would skew a comparison of
outlets; read the abstracts with your own script if you need them); a block with none of ProQuest's
fields is skipped ("not a ProQuest document"); a ``Document N of M`` count that disagrees with the
blocks found is a warning. Articles in the export = read + skipped. Windows line ends (CRLF) and
classic Mac ends (CR) are read as line ends.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator

from ..corpus import ReadReport
from ..read_options import ReadOptions
from ..decoding import SkipItem, decode_text
from .compressed import decode_into, decode_source, doc_stem, inner_suffix
from .files import TEXT_SUFFIXES
from .plainnews import head_text, news_record

__all__ = ["FIELDS", "is_proquest", "looks_proquest", "parse_proquest", "proquest_member", "read_proquest"]

FIELDS = ("Title", "Author", "Publication title", "Publication info", "Publication year", "Publication date",
          "Section", "Dateline", "Full text", "Abstract", "Links", "Subject", "Location", "People",
          "Company / organization", "Identifier / keyword", "Publisher", "Place of publication",
          "Country of publication", "Publication subject", "ISSN", "Source type", "Language of publication",
          "Document type", "ProQuest document ID", "Document URL", "Copyright", "Last updated", "Database",
          "Pages", "Edition", "Column", "Credit", "Word count", "Document feature", "Number of pages")
_FIELD = re.compile(r"^(" + "|".join(re.escape(f) for f in sorted(FIELDS, key=len, reverse=True))
                    + r"):(?:[ \t]+(.*))?$", re.IGNORECASE)
_CANONICAL = {f.lower(): f for f in FIELDS}
_RULE = re.compile(r"^[ \t]*(?:_{10,}|={10,})[ \t]*$", re.MULTILINE)
_DOC_N = re.compile(r"^Document\s+(\d+)\s+of\s+(\d+)\s*$", re.IGNORECASE)
_MULTI_PARAGRAPH = {"Full text", "Abstract"}
# blocks ProQuest writes around the articles (the search report, its table of contents, the footers)
_FURNITURE = re.compile(r"^(Report Information from ProQuest|Table of contents|Bibliography|Search Strategy|"
                        r"Contact ProQuest|Contact us at|Database copyright|Terms and Conditions|"
                        r"Copyright\s*(?:©|\(c\))?\s*\d{4}\s+ProQuest)", re.IGNORECASE)


def is_proquest(path: Path) -> bool:
    """Whether ``path`` is a ``.txt`` (also ``.txt.gz``) that looks like a ProQuest plain-text export
    (:func:`looks_proquest` of its first megabyte)."""
    return inner_suffix(path) in TEXT_SUFFIXES and looks_proquest(head_text(path))


def looks_proquest(head: str) -> bool:
    """Whether the start of a text is a ProQuest export's: a rule line and either ProQuest's report
    header or an article field only ProQuest writes (``ProQuest document ID:``)."""
    head = head[: 1 << 20].replace("\r\n", "\n").replace("\r", "\n")
    if not _RULE.search(head):
        return False
    return "Report Information from ProQuest" in head or bool(
        re.search(r"^ProQuest document ID:", head, re.MULTILINE | re.IGNORECASE))


def _fields(lines: list[str]) -> tuple[str | None, dict[str, str], list[str]]:
    """``(title line, {field: value}, unlabeled lines)`` of one article block's lines (the ``Document N of M``
    line removed). A field's value runs to the next field; ``Full text``/``Abstract`` keep their paragraphs."""
    lead: list[str] = []
    fields: dict[str, list[str]] = {}
    current: str | None = None
    for line in lines:
        m = _FIELD.match(line.strip()) if line[:1] not in " \t" or current is None else None
        if m:
            current = _CANONICAL[m.group(1).lower()]
            fields.setdefault(current, [])
            if fields[current]:  # a field repeated (Title at the top and in the details): first one kept
                current = "_repeat"
                fields.setdefault(current, [])
                continue
            fields[current].append(m.group(2) or "")
        elif current is None:
            lead.append(line)
        else:
            fields[current].append(line)
    out = {}
    for name, parts in fields.items():
        if name == "_repeat":
            continue
        if name in _MULTI_PARAGRAPH:
            value = "\n".join(p.rstrip() for p in parts).strip()
            value = re.sub(r"\n{3,}", "\n\n", value)
        else:
            value = " ".join(p.strip() for p in parts if p.strip())
        out[name] = value
    paragraphs = [p.strip() for p in lead if p.strip()]
    return (paragraphs[0] if paragraphs else None), out, paragraphs[1:]


def _length(value: str | None) -> int | None:
    m = re.search(r"\d[\d,]*", value or "")
    return int(m.group(0).replace(",", "")) if m else None


def parse_proquest(text: str, source: str, report: ReadReport, *, id_column: str = "id",
                   export_file: str | None = None) -> Iterator[dict]:
    """The article records of one ProQuest export's text (see the module notes); skipped blocks reported."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    export_file = export_file or Path(source).name
    stem = doc_stem(export_file.split("!")[-1])  # the member inside a zip, as the zip reader names it
    furniture: list[str] = []
    position, stated = 0, None
    for block in _RULE.split(text):
        lines = block.strip("\n").split("\n")
        first = next((ln.strip() for ln in lines if ln.strip()), "")
        if not first:
            continue
        if _FURNITURE.match(first):
            furniture.append(first[:40])
            continue
        position += 1
        numbered = _DOC_N.match(first)
        if numbered:
            stated = int(numbered.group(2))
            lines = lines[[ln.strip() for ln in lines].index(first) + 1:]
        title_line, fields, _ = _fields(lines)
        doc_id = fields.get("ProQuest document ID")
        if not fields or set(fields) <= {"Title"}:
            report.add("skipped", source, "not a ProQuest document: no ProQuest fields (Full text:, "
                                          "Publication title:, ProQuest document ID: …) in this block", position)
            continue
        body = fields.get("Full text", "")
        if not body.strip():
            why = "no full text (abstract only)" if fields.get("Abstract", "").strip() else "no full text"
            report.add("skipped", source, f"{why}: ProQuest gives no 'Full text:' for this document", position,
                       doc_id)
            continue
        yield news_record(
            body, source, position, id_column=id_column, doc_id=doc_id, fallback_id=f"{stem}-{position}",
            title=fields.get("Title") or title_line, byline=fields.get("Author"),
            outlet=fields.get("Publication title"), date=fields.get("Publication date"),
            section=fields.get("Section"), dateline=fields.get("Dateline"),
            length=_length(fields.get("Word count")), language=fields.get("Language of publication"),
            url=fields.get("Document URL"), source_format="proquest-txt", export_file=export_file)
    if stated is not None and stated != position:
        report.add("warning", source, f"the export numbers its documents 'of {stated}' but holds {position} "
                                      "article blocks")
    if furniture:
        report.note(f"{source}: ProQuest header and footer blocks not read as articles: "
                    + ", ".join(dict.fromkeys(furniture)))
    if position == 0:  # the whole file skipped, reported (read_corpus fails when nothing else is read)
        report.add("skipped", source, "no ProQuest article blocks found (blocks are separated by lines of '_')")


def proquest_member(data: bytes, name: str, source: str, report: ReadReport, options: ReadOptions,
                    encoding: str | None, export_file: str) -> list[dict] | None:
    """The articles of an archive member ``name`` (bytes ``data``) when it is a ProQuest ``.txt`` export,
    else ``None`` (the member is read as the archive reads it, also when it cannot be decoded)."""
    if inner_suffix(name) not in TEXT_SUFFIXES:
        return None
    try:
        if not looks_proquest(decode_text(data[: 1 << 20])[0]):
            return None
        text = decode_into(data, source, report, encoding)[0]
    except SkipItem:  # undecodable: the archive reads and reports it as it does any text member
        return None
    return list(parse_proquest(text, source, report, id_column=options.id_column, export_file=export_file))


def read_proquest(path: Path, report: ReadReport, *, options: ReadOptions, encoding: str | None = None,
                  export_file: str | None = None, **_: Any) -> list[dict]:
    """The articles of a ProQuest plain-text export (``.txt``, or ``.txt.gz``/``.bz2``)."""
    text = decode_source(path, report, encoding)
    return list(parse_proquest(text, str(path), report, id_column=options.id_column,
                               export_file=export_file or path.name))
