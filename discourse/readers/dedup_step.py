"""The de-duplication step of :func:`~discourse.readers.read_corpus` (``dedup=``).

News archives hold the same article twice (two searches, two exports), updated versions of
one story and one wire text run by several outlets (see :mod:`discourse.dedup`). A corpus read
from news-archive exports is therefore de-duplicated by default: its texts are tokenized with
the default tokenizer (:func:`discourse.tokenizer.tokenize`; shingles from the shared token
stream, as :func:`discourse.dedup.dedup` does for a Corpus), :func:`~discourse.dedup.dedup` runs
with its defaults (or the options given), and the corpus of the **kept** documents is returned,
in the order read, its metadata gaining ``syndicated``, ``wire`` and ``dup_cluster``.

``dedup=None`` (auto) is on when some document came from a news-archive reader (its
``source_format`` starts with one of :data:`NEWS_FORMATS`), off otherwise; a table (CSV, TSV,
JSONL, Parquet) whose ``source_format`` column names an archive is a corpus written earlier
(by ``discourse import``, already de-duplicated): off, with a note. Whatever was done is said
in ``corpus.report.notes`` and recorded in ``corpus.params["dedup"]`` (the audit's settings and
counts, the form the methods paragraph reads); ``corpus.dedup`` is the
:class:`~discourse.dedup.Deduplication` without its tokens.
"""
from __future__ import annotations

import inspect
from typing import Any

import pandas as pd

from ..corpus import Corpus
from ..dedup import dedup as find_duplicates
from ..validation import check_choices, check_switch

__all__ = ["NEWS_FORMATS", "TABLE_FORMATS", "DEDUP_OPTIONS", "check_dedup", "news_export_count", "dedup_step"]

# what the news-archive readers write in ``source_format`` (nexis-docx, factiva-rtf, proquest-txt, mediacloud-csv,
# gdelt-csv (read by the Media Cloud reader), newsapi-json)
NEWS_FORMATS = ("nexis", "factiva", "proquest", "mediacloud", "gdelt", "newsapi")
TABLE_FORMATS = ("csv", "tsv", "jsonl", "parquet")
# the keyword options of discourse.dedup a dict may pass (tokens is the step's own)
DEDUP_OPTIONS = tuple(p for p in inspect.signature(find_duplicates).parameters if p != "tokens")


def check_dedup(value: Any) -> None:
    """``dedup=`` is None (auto), True, False or a dict of :func:`discourse.dedup` options."""
    check_switch("dedup", value, "discourse.dedup options")
    if isinstance(value, dict):
        check_choices("dedup option", list(value), DEDUP_OPTIONS)


def news_export_count(corpus: Corpus) -> int:
    """How many documents came from a news-archive export (``source_format`` of :data:`NEWS_FORMATS`)."""
    if "source_format" not in corpus.metadata.columns:
        return 0
    fmt = corpus.metadata["source_format"].astype("string").str.lower()
    return int(fmt.str.startswith(NEWS_FORMATS).fillna(False).sum())


def _decide(corpus: Corpus, value: Any, fmt: str) -> tuple[bool, str]:
    """Whether to de-duplicate and why (the words of the report note)."""
    if value is False:
        return False, "dedup=False"
    if value is True:
        return True, "dedup=True"
    if isinstance(value, dict):
        return True, f"dedup={value!r}"
    found = news_export_count(corpus)
    if not found:
        return False, ""
    if fmt in TABLE_FORMATS:
        return False, (f"auto: a {fmt} table whose source_format names news archives ({found} documents) is a corpus "
                       "read before (as discourse import writes it); pass dedup=True to de-duplicate it")
    return True, f"auto: news-archive exports ({found} of {len(corpus)} documents)"


def dedup_step(corpus: Corpus, value: Any, fmt: str) -> Corpus:
    """``corpus`` de-duplicated as ``dedup=value`` says (see the module docstring), or as it is.

    Returns the corpus of the kept documents with ``dedup`` set and ``params["dedup"]`` recorded,
    or ``corpus`` itself (``dedup`` None) when off. The read report gains one note either way,
    except when auto found no news-archive export (then nothing changes).
    """
    from ..tokenizer import tokenize   # the default tokenizer: the token stream every analysis counts

    on, why = _decide(corpus, value, fmt)
    if not on:
        if why:
            corpus.report.note(f"not de-duplicated: {why}")
        return corpus
    options = dict(value) if isinstance(value, dict) else {}
    result = find_duplicates(tokenize(corpus), **options)
    docs = result.documents
    mask = docs["kept"].to_numpy()
    kept = corpus.take(mask)
    kept.metadata = kept.metadata.assign(syndicated=docs["syndicated"].to_numpy()[mask],
                                         wire=docs["wire"].to_numpy()[mask],
                                         dup_cluster=pd.array(docs["cluster"].array[mask], dtype="Int64"))
    kept.dedup = result.without_tokens()   # the tokens are the corpus' to make again: not kept twice in memory
    kept.params = {**corpus.params, "dedup": {**result.audit.attrs, "mode": why, "options": options}}
    corpus.report.note(f"de-duplicated: {result.summary()}; {why}")
    return kept
