"""NewsAPI-style JSON: a saved response of NewsAPI's ``/v2/everything`` or ``/v2/top-headlines``.

The layout (NewsAPI's documentation)::

    {"status": "ok", "totalResults": 1234,
     "articles": [{"source": {"id": "bbc-news", "name": "BBC News"}, "author": "…", "title": "…",
                   "description": "…", "url": "…", "urlToImage": "…",
                   "publishedAt": "2021-12-10T11:46:00Z", "content": "… [+2345 chars]"}]}

Mapped to the standard metadata (:data:`~discourse.readers.plainnews.NEWS_COLUMNS`): ``outlet``
(``source.name``, else the URL's domain), ``byline`` (``author``), ``title``, ``url``, ``date``
(``publishedAt``), ``source_format="newsapi-json"``, ``export_file``, ``position`` (1-based place in
``articles``); ``description`` is kept as metadata, and ``truncated`` says whether the text was cut.

NewsAPI's ``content`` is **not the article**: it is cut to about 200 characters and ends in a marker
``… [+2345 chars]``. Every such article is read with a warning ("text truncated by NewsAPI: 200
characters of about 2,545 …"), the marker removed from the text and ``truncated=True``, so that an
analysis can leave them out (``corpus.select(truncated=False)``); nothing is taken as full text
silently. An article without ``content`` is skipped ("no content"); an entry that is not an object
is skipped. Articles in the file = read + skipped. ``status`` other than ``"ok"`` (an error response
saved by mistake) is an error naming NewsAPI's code and message. ``totalResults`` larger than the
articles held (one page of a paged result) is a note.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterator

from ..corpus import ReadReport
from ..read_options import ReadOptions
from .compressed import decode_source, doc_stem, inner_suffix
from .plainnews import domain_of, head_text, news_record

__all__ = ["TRUNCATION", "is_newsapi", "parse_newsapi", "read_newsapi"]

TRUNCATION = re.compile(r"\s*(?:…|\.\.\.)?\s*\[\+(\d[\d,]*) chars\]\s*$")


def is_newsapi(path: Path) -> bool:
    """Whether ``path`` (a ``.json``) is a NewsAPI response: an object with an ``articles`` list and a
    ``status`` or ``totalResults``."""
    if inner_suffix(path) != ".json":
        return False
    head = head_text(path, 1 << 16)
    return bool(re.search(r'"articles"\s*:\s*\[', head)) and bool(re.search(r'"(status|totalResults)"\s*:', head))


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def parse_newsapi(data: Any, source: str, report: ReadReport, *, id_column: str = "id",
                  export_file: str | None = None) -> Iterator[dict]:
    """The article records of a parsed NewsAPI response (see the module notes)."""
    if not isinstance(data, dict) or not isinstance(data.get("articles"), list):
        raise ValueError(f"{source}: not a NewsAPI response (expected an object with an 'articles' list)")
    if data.get("status", "ok") != "ok":
        raise ValueError(f"{source}: NewsAPI status {data.get('status')!r} ({data.get('code')}: "
                         f"{data.get('message')}); this file holds an error, not articles"[:500])
    articles = data["articles"]
    total = data.get("totalResults")
    if isinstance(total, int) and total > len(articles):
        report.note(f"{source}: NewsAPI reports totalResults={total:,}; this file holds {len(articles):,} "
                    "articles (one page of the results)")
    export_file = export_file or Path(source).name
    stem = doc_stem(export_file.split("!")[-1])  # the member inside a zip, as the zip reader names it
    for position, art in enumerate(articles, start=1):
        doc_id = f"{stem}-{position}"  # NewsAPI gives articles no id; the url is metadata
        if not isinstance(art, dict):
            report.add("skipped", source, f"article is a JSON {type(art).__name__}, not an object", position, doc_id)
            continue
        content, url = _text(art.get("content")), _text(art.get("url"))
        if content is None:
            report.add("skipped", source, "no content (NewsAPI gave no text for this article; fetch it from "
                                          "its url)", position, doc_id)
            continue
        cut = TRUNCATION.search(content)
        if cut:
            body = content[:cut.start()].rstrip()
            more = int(cut.group(1).replace(",", ""))
            report.add("warning", source, f"text truncated by NewsAPI: {len(body):,} characters of about "
                                          f"{len(body) + more:,} ('[+{more} chars]' removed); not the full "
                                          "text", position, doc_id)
            content = body
        src = art.get("source") if isinstance(art.get("source"), dict) else {}
        rec = news_record(
            content, source, position, id_column=id_column, doc_id=doc_id, fallback_id=doc_id,
            outlet=_text(src.get("name")) or domain_of(url),
            byline=_text(art.get("author")), title=_text(art.get("title")), url=url,
            date=_text(art.get("publishedAt")), source_format="newsapi-json", export_file=export_file,
            description=_text(art.get("description")), truncated=bool(cut))
        yield rec


def read_newsapi(path: Path, report: ReadReport, *, options: ReadOptions, encoding: str | None = None,
                 export_file: str | None = None, **_: Any) -> list[dict]:
    """The articles of a saved NewsAPI response (``.json``, or ``.json.gz``/``.bz2``)."""
    text = decode_source(path, report, encoding)
    try:
        data = json.loads(text)
    except ValueError as e:
        raise ValueError(f"{path}: not valid JSON ({e})") from None
    return list(parse_newsapi(data, str(path), report, id_column=options.id_column,
                              export_file=export_file or path.name))
