"""Saved HTML pages: article text and metadata extracted with trafilatura (Barbaresi 2021)."""
from __future__ import annotations

from ..decoding import SkipItem

__all__ = ["extract_html"]


def extract_html(page: str) -> dict:
    import trafilatura

    doc = trafilatura.bare_extraction(page, with_metadata=True, include_comments=False)
    if doc is None or not (doc.text or "").strip():
        raise SkipItem("HTML page: no article text could be extracted")
    return {"_text": doc.text, "title": doc.title, "date": doc.date, "site": doc.sitename,
            "url": doc.url, "author": doc.author}
