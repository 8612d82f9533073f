"""Factiva HTML exports (the page Factiva's "Format for Saving" writes), parsed with lxml.

Each article is a ``<div class="article enArticle">`` (``de``/``fr``… for other languages). In the
field-coded layout it holds a table, one row a field: the code in the first cell (``<b>HD</b>``), the
value in the second, the ``LP``/``TD`` paragraphs as ``<p class="articleParagraph …">``. In the
article format it holds ``<div>`` lines (section, ``<span class="enHeadline">``, ``<div class="author">``,
word count, date, source …), the paragraphs, and a last ``<p>Document …</p>``. Everything outside the
article blocks (navigation, logo, the search summary, the ``© Factiva`` footer) is not read; other
``<p>`` lines inside an article-format block (a source note) are not body text either; both are counted.
"""
from __future__ import annotations

import re
from collections import Counter

from ..decoding import SkipItem
from .factiva_text import AN_LINE, FIELD_CODES, FactivaArticle, plain_header

__all__ = ["looks_like_factiva_html", "parse_factiva_html"]

_ARTICLE_CLASS = re.compile(r"""class\s*=\s*["'][^"']*\b[a-z]{2}Article\b""")
_ARTICLES = "//div[contains(concat(' ', normalize-space(@class), ' '), 'Article ')]"


def looks_like_factiva_html(text: str) -> bool:
    """A Factiva page: an ``enArticle``-style block and Factiva's paragraphs or name."""
    head = text[:2_000_000]
    return bool(_ARTICLE_CLASS.search(head)) and ("articleParagraph" in head or "Factiva" in head)


def _lines(element) -> list[str]:
    """The element's text, a line per ``<br>`` or paragraph."""
    for br in element.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for p in element.iter("p"):
        p.tail = "\n" + (p.tail or "")
    return [" ".join(s.split()) for s in element.text_content().split("\n") if s.strip()]


def _table_article(rows) -> FactivaArticle:
    art = FactivaArticle()
    for row in rows:
        cells = row.xpath("./td")
        code = re.sub(r"[^A-Z]", "", cells[0].text_content())
        art.fields[code] = _lines(cells[1]) if len(cells) > 1 else []
    return art


def _format_article(block, removed: Counter) -> FactivaArticle:
    lines: list[str] = []
    headline = byline = None
    an = None
    body: list[str] = []
    for el in block.iterchildren():
        cls = el.get("class") or ""
        text = " ".join(el.text_content().split())
        if el.tag == "p" and "articleParagraph" in cls:
            body.append(text)
        elif el.tag == "p" and text:
            m = AN_LINE.match(text)
            if m:
                an = m[1]
            else:
                removed["source notes in article-format blocks"] += 1
        elif el.tag == "div" and text:
            if el.get("id") == "hd" or el.xpath(".//span[contains(@class, 'Headline')]"):
                headline = len(lines)
            elif "author" in cls:
                byline = len(lines)
            lines.append(text)
    return plain_header(lines + body, an, headline, byline)


def parse_factiva_html(text: str) -> tuple[list[FactivaArticle], Counter]:
    """The article blocks of a Factiva HTML page, and the counts of page text not read."""
    from lxml import etree, html

    try:
        doc = html.document_fromstring(text)
    except (etree.ParserError, ValueError) as e:
        raise SkipItem(f"HTML not parsed: {e}") from None
    removed: Counter = Counter()
    articles = []
    blocks = doc.xpath(_ARTICLES)
    for block in blocks:
        rows = [r for r in block.xpath(".//tr[td]")
                if re.sub(r"[^A-Z]", "", r.xpath("./td")[0].text_content()) in FIELD_CODES]
        articles.append(_table_article(rows) if rows else _format_article(block, removed))
    for block in blocks:
        block.drop_tree()
    rest = " ".join(doc.text_content().split()) if doc.body is not None else ""
    if "search summary" in rest.lower():
        removed["search summary"] += 1
    if re.search(r"(?:©|\(c\)|Copyright)\s*\d{4}\s+Factiva", rest, re.I):
        removed["Factiva page footers"] += 1
    if rest:
        removed["characters of page text outside the articles"] += len(rest)
    return articles, removed
