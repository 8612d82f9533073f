"""Nexis Uni / Lexis exports: DOCX, RTF and plain-text files of one article or many, alone, in a
folder or in a ``.zip`` archive; one record per article.

The container is opened by a well-kept parser (python-docx for DOCX, striprtf for RTF; text is
decoded by :mod:`discourse.decoding`); the layout, articles split at ``End of Document``, the
header fields, the body and what is not body text, is :mod:`discourse.readers.nexis_layout`.
A file is taken for a Nexis export from its content (:func:`looks_like_nexis`), not its suffix:
a ``.txt`` file that is not one is read as plain text as before; a ``.docx`` or ``.rtf`` file
that is not one is reported as skipped (``discourse`` reads these formats only as Nexis exports).

Each article gives ``title``, ``outlet``, ``date`` (the export's date line as written, e.g.
``December 10, 2021 Friday``; :func:`~discourse.readers.read_corpus` parses it), ``section``,
``length`` (words, as the export states), ``byline``, ``dateline``, ``language``, ``edition``,
``highlight``, ``load_date``, ``url`` (``None``: Nexis gives none), ``source_format``
(``nexis-docx``, ``nexis-rtf``, ``nexis-txt``), ``export_file`` (the path relative to the corpus,
``archive.zip!member`` in an archive), ``position`` (1-based, in the export) and the body
paragraphs as the text, a blank line between them. The document id is ``<file stem>#<position>``.

Reported: every article that cannot be read is *skipped* with its position and reason, every
field that cannot be read a *warning* (articles in an export = read + skipped); one read-report
note per export counts what was removed as not body text (cover page, ``Body`` markers,
classification blocks, ``Page N of M`` lines, copyright notices, ``End of Document`` lines).
"""
from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from pathlib import Path, PurePosixPath
from typing import Any

from ..corpus import ReadReport
from ..decoding import SkipItem
from ..read_options import ReadOptions
from .compressed import decode_into, doc_stem, expansion_limit
from .nexis_layout import FIELDS, looks_like_nexis, split_export

__all__ = ["NEXIS_SUFFIXES", "is_nexis_file", "is_nexis_member", "nexis_records", "read_nexis",
           "nexis_file_records", "looks_like_nexis"]

NEXIS_SUFFIXES = {".docx", ".rtf"}  # read only as Nexis exports
_SNIFFED = {".txt", ".text"}  # read as Nexis exports when their content is one
# a cheap first look at the bytes: looks_like_nexis needs 'End of Document' or a 'Load-Date:' field
_MARKERS = re.compile(rb"End of Document|Ende des Dokuments|Load-Date", re.I)


def is_nexis_file(path: Path) -> bool:
    """Whether ``path`` is read by this module: a ``.docx``/``.rtf`` file, or a text file holding a Nexis export."""
    suffix = Path(path).suffix.lower()
    if suffix in NEXIS_SUFFIXES:
        return True
    if suffix not in _SNIFFED or not Path(path).is_file():
        return False
    try:
        data = Path(path).read_bytes()
    except OSError:
        return False  # the text reader reports it
    return is_nexis_member(path.name, data)


def is_nexis_member(name: str, data: bytes) -> bool:
    """Whether an archive member (or a file's bytes) named ``name`` is read by this module."""
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in NEXIS_SUFFIXES:
        return True
    if suffix not in _SNIFFED or not _MARKERS.search(data[:4 * 2**20]):
        return False
    text = data.decode("utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8", "replace")
    return looks_like_nexis(text.splitlines())


def read_nexis(path: Path, report: ReadReport, *, options: ReadOptions, encoding: str | None,
               **_: Any) -> list[dict]:
    """The articles of one export file (the ``"nexis"`` format of :func:`~discourse.readers.read_corpus`)."""
    return nexis_file_records(path, path.name, report, encoding, options.id_column)


def nexis_file_records(path: Path, relative: str, report: ReadReport, encoding: str | None,
                       id_column: str) -> list[dict]:
    """The articles of the export file ``path``, named ``relative`` (to the corpus folder) in ``export_file``."""
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        report.add("skipped", str(path), f"cannot be read: {e.strerror or e}")
        return []
    return nexis_records(data, str(path), relative, report, encoding, id_column)


def nexis_records(data: bytes, source: str, export_file: str, report: ReadReport, encoding: str | None,
                  id_column: str) -> list[dict]:
    """One record per article of the export ``data`` (a file or an archive member named ``source``)."""
    suffix = PurePosixPath(export_file).suffix.lower()
    kind = {".docx": "docx", ".rtf": "rtf"}.get(suffix, "txt")
    try:
        lines = {"docx": _docx_lines, "rtf": _rtf_lines, "txt": _text_lines}[kind](data, source, report, encoding)
    except SkipItem as e:
        report.add("skipped", source, str(e))
        return []
    if not looks_like_nexis(lines):
        report.add("skipped", source, "not a Nexis export (no 'End of Document' line with 'Length:' or "
                                      f"'Load-Date:' fields): {suffix} files are read only as Nexis Uni/Lexis exports")
        return []
    articles, furniture = split_export(lines)
    stem = doc_stem(export_file.split("!")[-1])  # in an archive, the member's path (as archive.py names ids)
    records, removed = [], Counter(furniture)
    for art in articles:
        doc_id = f"{stem}#{art.position}"
        removed.update(art.removed)
        if art.skip is not None:
            report.add("skipped", source, art.skip, art.position, doc_id)
            continue
        for problem in art.problems:
            report.add("warning", source, problem, art.position, doc_id)
        records.append({**{k: art.fields[k] for k in FIELDS}, "url": None, "source_format": f"nexis-{kind}",
                        "export_file": export_file, "position": art.position, "source_file": export_file,
                        id_column: doc_id, "_text": "\n\n".join(art.paragraphs), "_source": source,
                        "_line": art.position, "_how": f"nexis-{kind} article {art.position} of {len(articles)}"})
    if not articles:
        report.add("skipped", source, "a Nexis export holding no article")
    counts = ", ".join(f"{kind_} {n:,}" for kind_, n in sorted(removed.items()))
    report.note(f"{source}: Nexis export, {len(articles)} article{'s' if len(articles) != 1 else ''} "
                f"({len(records)} read, {len(articles) - len(records)} skipped); removed as not body text: "
                f"{counts or 'nothing'}")
    return records


def _text_lines(data: bytes, source: str, report: ReadReport, encoding: str | None) -> list[str]:
    return decode_into(data, source, report, encoding)[0].splitlines()


def _docx_lines(data: bytes, source: str, report: ReadReport, encoding: str | None) -> list[str]:
    """The paragraphs of a DOCX file in document order (tables' too), each line break a line."""
    import docx  # python-docx
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:  # a DOCX is a zip: bounded like any archive
            expanded = sum(i.file_size for i in z.infolist())
        if expanded > expansion_limit(len(data)):
            raise SkipItem(f"not read: expands to {expanded:,} bytes from {len(data):,} (a likely decompression bomb)")
        document = docx.Document(io.BytesIO(data))
    except SkipItem:
        raise
    except Exception as e:  # python-docx raises many kinds (BadZipFile, KeyError, XMLSyntaxError, ...)
        raise SkipItem(f"not a readable DOCX file ({type(e).__name__}: {e})"[:300]) from None
    lines: list[str] = []
    for p in document.element.body.iter(qn("w:p")):
        lines.extend(Paragraph(p, document).text.split("\n"))
    return lines


def _rtf_lines(data: bytes, source: str, report: ReadReport, encoding: str | None) -> list[str]:
    from striprtf.striprtf import rtf_to_text

    text = decode_into(data, source, report, encoding)[0]
    if not text.lstrip().startswith("{\\rtf"):
        raise SkipItem("not an RTF file (it does not begin with '{\\rtf')")
    codepage = re.search(r"\\ansicpg(\d+)", text[:2000])
    try:
        return rtf_to_text(text, encoding=f"cp{codepage.group(1)}" if codepage else "cp1252",
                           errors="replace").splitlines()
    except (LookupError, ValueError, IndexError) as e:
        raise SkipItem(f"not a readable RTF file ({e})"[:300]) from None
