"""Factiva exports: RTF and HTML files holding many articles, read one record an article.

Both of Factiva's layouts are read (:mod:`~discourse.readers.factiva_text`,
:mod:`~discourse.readers.factiva_html`): the field-coded one ("Full Article/Report plus Indexing":
``HD``, ``BY``, ``WC``, ``PD``, ``ET``, ``SN``, ``SC``, ``ED``, ``PG``, ``LA``, ``CY``, ``LP``, ``TD``,
``CO``, ``IN``, ``NS``, ``RE``, ``IPC``, ``PUB``, ``AN``, in any order) and the plain "Article Format".
RTF is converted to text with striprtf, HTML parsed with lxml. A file is taken for a Factiva export by
its content (:func:`sniff_factiva`), so a Nexis RTF or a saved web page is left to its own reader.

Metadata columns (``None`` where the export has no value): ``outlet`` (SN), ``date`` (PD, with ET
when given), ``title`` (HD), ``byline`` (BY), ``section`` (SE, else PG), ``dateline`` (DLN), ``length``
(WC, words, int), ``language`` (LA, as written), ``url`` (none in Factiva exports), ``source_format``
(``"factiva-rtf"``/``"factiva-html"``), ``export_file`` (relative to the corpus root; ``archive.zip!member``),
``position`` (1-based, in the export file), ``edition`` (ED), ``page`` (PG), ``source_code`` (SC),
``copyright`` (CY), ``publisher`` (PUB), ``accession_number`` (AN), and Factiva's coding as the
descriptors joined with `` | `` (the ``code : `` prefixes left out): ``factiva_companies`` (CO),
``factiva_industries`` (IN), ``factiva_subjects`` (NS), ``factiva_regions`` (RE). The text is the lead
paragraph(s) and the text paragraphs (LP + TD), a blank line between paragraphs. The document id is
the accession number (``Document NYTF000020211210ehca0001q`` -> ``NYTF000020211210ehca0001q``), so an
article exported twice is read once (the second is reported as a duplicate id); without one, the id is
the file's stem and the position (``export-3``).

Reported: an article without any text is skipped (``no text (no LP or TD paragraphs)``); one without
a headline, date, source name or accession number, or whose header was not found, is read with a
warning per article; text lines outside every article are a warning; the page furniture removed
(Factiva's page footers, the search summary, page text outside the HTML article blocks) is one note
per export file with the counts, e.g. ``a.rtf: Factiva furniture not read as text: 2 page footers; the
search summary (7 lines)``, with a note comparing the summary's ``Results Found`` with the article
blocks in the file (a search exported in batches states its whole count). So the articles in an export
= read + skipped.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path, PurePosixPath
from typing import Any, Iterator

from ..corpus import ReadReport
from ..decoding import SkipItem, decode_text
from ..read_options import ReadOptions
from .compressed import decode_into, doc_stem, inner_suffix, read_source
from .factiva_html import looks_like_factiva_html, parse_factiva_html
from .factiva_text import (AN_LINE, FactivaArticle, is_field_coded, parse_field_coded, parse_plain,
                           strip_furniture)

__all__ = ["FACTIVA_SUFFIXES", "sniff_factiva", "factiva_format", "read_factiva", "factiva_file",
           "factiva_records"]

FACTIVA_SUFFIXES = {".rtf", ".html", ".htm"}
_ACCESSION = re.compile(r"(?:Document|Dokument|Documento)[ \t]+[A-Za-z0-9]{8}(?:19|20)\d{6}[A-Za-z0-9]{9}\b")
_CODES = {"CO": "factiva_companies", "IN": "factiva_industries", "NS": "factiva_subjects", "RE": "factiva_regions"}


def _rtf_text(text: str) -> str:
    if not text.lstrip().startswith("{\\rtf"):
        return text  # a text file saved as .rtf
    from striprtf.striprtf import rtf_to_text

    try:
        return rtf_to_text(text, errors="replace")
    except Exception as e:  # striprtf raises whatever its regex walk meets on a broken file
        raise SkipItem(f"RTF not parsed ({type(e).__name__}: {e})") from None


def sniff_factiva(text: str, name: str) -> str | None:
    """``"factiva-rtf"`` or ``"factiva-html"`` when ``text`` (decoded, from a file named ``name``) is a
    Factiva export, else ``None``: an HTML page with Factiva's article blocks; an RTF whose text has
    field-coded articles or a Factiva accession number (``Document NYTF000020211210ehca0001q``)."""
    return _sniff(text, name)[0]


def _sniff(text: str, name: str) -> tuple[str | None, str]:
    """``(kind or None, the text to parse)``: an RTF's text converted once, for the sniff and the parse."""
    suffix = inner_suffix(name)
    if suffix in {".html", ".htm"}:
        return ("factiva-html" if looks_like_factiva_html(text) else None), text
    if suffix != ".rtf":
        return None, text
    try:
        plain = _rtf_text(text)
    except SkipItem:
        return None, text
    found = _ACCESSION.search(plain) or is_field_coded(plain.splitlines())
    return ("factiva-rtf" if found else None), plain


def factiva_format(path: Path) -> str | None:
    """``"factiva"`` when the file at ``path`` is a Factiva export (for :func:`detect_format`)."""
    if path.is_dir() or inner_suffix(path) not in FACTIVA_SUFFIXES:
        return None
    try:
        data = read_source(path)
    except (SkipItem, OSError):
        return None
    text = data.decode("utf-8", errors="replace")
    return "factiva" if sniff_factiva(text, path.name) else None


def read_factiva(path: Path, report: ReadReport, *, options: ReadOptions, encoding: str | None,
                 **_: Any) -> list[dict]:
    """Every article of one Factiva export file (``read_corpus(..., format="factiva")``)."""
    try:
        data = read_source(path)
    except SkipItem as e:
        report.add("skipped", str(path), str(e))
        return []
    return list(factiva_records(data, str(path), path.name, report, encoding, options.id_column,
                                force=True) or [])


def factiva_file(source: Path, rel: str, report: ReadReport, encoding: str | None,
                 id_column: str) -> list[dict] | None:
    """The articles of a file in a folder walk when it is a Factiva export, else ``None`` (not Factiva)."""
    if inner_suffix(source) not in FACTIVA_SUFFIXES:
        return None
    try:
        data = read_source(source)
    except SkipItem:
        return None  # the file's own reader reports it
    records = factiva_records(data, str(source), rel, report, encoding, id_column)
    return None if records is None else list(records)


def factiva_records(data: bytes, source: str, export_file: str, report: ReadReport, encoding: str | None,
                    id_column: str, force: bool = False) -> Iterator[dict] | None:
    """The articles of one export's bytes (a file or ``archive.zip!member`` named ``source``), or ``None``
    when they are not a Factiva export (unless ``force``: then an export with no article is reported)."""
    name = PurePosixPath(source.replace("\\", "/")).name
    if inner_suffix(name) not in FACTIVA_SUFFIXES:
        return None
    try:
        text, used = decode_into(data, source, report, encoding) if force else _quiet_decode(data, encoding)
    except SkipItem as e:
        if not force:
            return None  # not known to be Factiva: the file's own reader reports it
        report.add("skipped", source, str(e))
        return iter(())
    kind, text = _sniff(text, name)
    if kind is None and not force:
        return None
    if not force:  # decoded quietly to sniff: now report the decoding notes
        decode_into(data, source, report, encoding)
    kind = kind or ("factiva-html" if inner_suffix(name) in {".html", ".htm"} else "factiva-rtf")
    try:
        articles, removed, loose, found = _parse(text, kind)
    except SkipItem as e:
        report.add("skipped", source, str(e))
        return iter(())
    _report_furniture(report, export_file, removed, found, len(articles))
    if loose:
        n = len(loose)
        report.add("warning", source, f"{n} line{'s' if n > 1 else ''} of text after the last article: not read "
                                      f"({loose[0].strip()[:60]!r}{' …' if n > 1 else ''})")
    if not articles:
        report.add("skipped", source, "no Factiva article found in the export")
    return _records(articles, source, export_file, report, kind, used, id_column)


def _quiet_decode(data: bytes, encoding: str | None) -> tuple[str, str]:
    text, used, _notes = decode_text(data, encoding)
    return text, used


def _parse(text: str, kind: str) -> tuple[list[FactivaArticle], Counter, list[str], str | None]:
    if kind == "factiva-html":
        articles, removed = parse_factiva_html(text)
        return articles, removed, [], None
    lines, removed, found = strip_furniture(text.replace("\f", "\n").splitlines())  # text: the RTF's, converted
    articles, loose = (parse_field_coded if is_field_coded(lines) else parse_plain)(lines)
    return articles, removed, loose, found


_FURNITURE = {"Factiva page footers": ("page footer", "page footers"),
              "source notes in article-format blocks": ("source note line", "source note lines"),
              "characters of page text outside the articles": ("character of page text outside the articles",
                                                               "characters of page text outside the articles")}


def _report_furniture(report: ReadReport, export_file: str, removed: Counter, found: str | None,
                      n_articles: int) -> None:
    parts = [f"{n:,} {labels[n != 1]}" for what, labels in _FURNITURE.items() if (n := removed[what])]
    if removed["search summary"]:
        lines = removed["search summary lines"]
        parts.append("the search summary" + (f" ({lines} lines)" if lines else ""))
    if parts:
        report.note(f"{export_file}: Factiva furniture not read as text: {'; '.join(parts)}")
    if found is not None:  # a search exported in batches of 100 says its whole count in every file
        report.note(f"{export_file}: the search summary says 'Results Found' {found}; the file holds "
                    f"{n_articles:,} article block{'s' if n_articles != 1 else ''}")


def _codes(art: FactivaArticle, code: str) -> str | None:
    items = [i.strip() for line in art.paragraphs(code) for i in line.split("|") if i.strip()]
    names = [i.split(" : ", 1)[1].strip() if " : " in i else i for i in items]
    return " | ".join(names) if names else None


def _records(articles: list[FactivaArticle], source: str, export_file: str, report: ReadReport, kind: str,
             used: str, id_column: str) -> Iterator[dict]:
    for position, art in enumerate(articles, 1):
        an = art.value("AN")
        if an:
            m = AN_LINE.match(an)
            an = m[1] if m else an
        doc_id = an or f"{doc_stem(export_file)}-{position}"
        paragraphs = art.paragraphs("_loose") + art.paragraphs("LP") + art.paragraphs("TD")
        if not paragraphs:
            report.add("skipped", source, "no text (no LP or TD paragraphs)", position, doc_id)
            continue
        problems = list(art.problems)
        if not any(p.startswith("no header") for p in problems):  # else these go without saying
            problems += [f"no {what} ({code})" for code, what in
                         (("HD", "headline"), ("PD", "publication date"), ("SN", "source name"))
                         if not art.value(code)]
        if not an:
            problems.append("no accession number (AN): id made from the file and position")
        for problem in dict.fromkeys(problems):
            report.add("warning", source, problem, position, doc_id)
        wc = re.match(r"\s*(\d[\d,.]*)", art.value("WC") or "")
        date = " ".join(v for v in (art.value("PD"), art.value("ET")) if v) or None
        yield {"_text": "\n\n".join(paragraphs), "_source": source, "_line": position,
               "_how": f"factiva {art.layout}, encoding {used}", id_column: doc_id,
               "outlet": art.value("SN"), "date": date, "title": art.value("HD"), "byline": art.value("BY"),
               "section": art.value("SE") or art.value("PG"), "dateline": art.value("DLN"),
               "length": int(re.sub(r"[,.]", "", wc[1])) if wc else None, "language": art.value("LA"),
               "url": None, "source_format": kind, "export_file": export_file, "position": position,
               "edition": art.value("ED"), "page": art.value("PG"), "source_code": art.value("SC"),
               "copyright": art.value("CY"), "publisher": art.value("PUB"), "accession_number": an,
               **{col: _codes(art, code) for code, col in _CODES.items()}}
