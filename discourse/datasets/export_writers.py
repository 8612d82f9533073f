"""Writers of archive-export containers (DOCX, RTF, ZIP) for the synthetic exports and the tests.

Only the container is written here: a paragraph a line, the way Nexis Uni and Factiva write their
DOCX and RTF downloads (page furniture in a header or footer, a page break before each article).
The article layouts are the callers' (:mod:`discourse.datasets.archives`, ``tests/*_fixtures.py``).
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Iterable, Mapping

__all__ = ["docx_bytes", "write_docx", "rtf_escape", "nexis_rtf", "factiva_rtf", "write_zip"]


def docx_bytes(lines: Iterable[str], *, breaks_before: Iterable[str] = (), footer: str | None = None) -> bytes:
    """A DOCX of ``lines``, one paragraph a line, a page break before each line in ``breaks_before``."""
    import docx  # python-docx, a runtime dependency

    document = docx.Document()
    if footer is not None:  # page furniture in the footer, as Nexis writes it
        document.sections[0].footer.paragraphs[0].text = footer
    breaks = set(breaks_before)
    for line in lines:
        if line in breaks and document.paragraphs:
            document.add_page_break()
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def write_docx(path: Path, lines: Iterable[str], **kwargs) -> Path:
    """Write :func:`docx_bytes` to ``path``."""
    Path(path).write_bytes(docx_bytes(lines, **kwargs))
    return Path(path)


def rtf_escape(line: str) -> str:
    """RTF-escape one line: ``\\``, ``{``, ``}`` escaped, non-ASCII as ``\\uN?`` (signed 16-bit)."""
    out = []
    for ch in line:
        code = ord(ch)
        if ch in "\\{}":
            out.append("\\" + ch)
        elif code < 128:
            out.append(ch)
        else:
            out.append(f"\\u{code if code < 32768 else code - 65536}?")
    return "".join(out)


def nexis_rtf(lines: Iterable[str]) -> str:
    """An RTF as Nexis writes one: font table, a page header group, a paragraph (``\\par``) a line."""
    head = "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\froman Times New Roman;}}\n" \
           "{\\header\\pard\\qr Page 1 of 2\\par}\n"
    return head + "".join(f"\\pard\\plain\\f0\\fs24 {rtf_escape(x)}\\par\n" for x in lines) + "}"


def factiva_rtf(lines: Iterable[str]) -> str:
    """An RTF of ``lines`` (``"\\f"`` = a page break) as Factiva's RTF writes text: a paragraph a line,
    tabs as ``\\tab``, ``\u00b6`` as a paragraph mark inside a cell, ``|`` separating table cells."""
    out = []
    for line in lines:
        if line == "\f":
            out.append("\\page")
            continue
        esc = rtf_escape(line).replace("\u00b6", "\\par ").replace("\\u182?", "\\par ").replace("\t", "\\tab ")
        if "|" in esc:  # a table row: code cell, value cell
            cells = [c for c in esc.split("|") if c]
            out.append("\\trowd\\cellx1200\\cellx9000 " + "".join(f"{c}\\cell " for c in cells) + "\\row")
        else:
            out.append(f"{{\\f0\\fs20 {esc}}}\\par")
    return "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss Arial;}}\n" + "\n".join(out) + "\n}"


def write_zip(path: Path, members: Mapping[str, bytes]) -> Path:
    """A ZIP of ``members`` (name -> bytes), deflated."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return Path(path)
