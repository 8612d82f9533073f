"""Records to a :class:`~discourse.corpus.Corpus`: ids, duplicates, empty texts, required metadata."""
from __future__ import annotations

from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd

from ..corpus import Corpus, ReadReport
from ..read_options import RECORD_KEYS, ReadOptions
from ..text_store import TextStoreBuilder, spill_directory

__all__ = ["assemble", "missing", "clean_id"]


def assemble(records: Iterable[dict], report: ReadReport, options: ReadOptions,
              required: Sequence[str], on_duplicate: str) -> Corpus:
    """The corpus of ``records``, consumed one at a time (a reader may yield them as it reads).

    Texts go into a compact :class:`~discourse.text_store.TextStore` (in a temporary file within
    :func:`~discourse.text_store.spilling`) and metadata into one list a column, so nothing but the
    corpus itself is held.
    """
    texts = TextStoreBuilder(spill=spill_directory())
    meta = _Columns()
    seen: dict[str, tuple[str, int | None]] = {}  # id -> where first read
    sources: dict[str, str] = {}  # one string a source file, not one a record
    columns: dict[str, None] = {}  # every column met, in order (for the read report)
    id_column = options.id_column
    for rec in records:
        columns.update(dict.fromkeys(k for k in rec if k not in RECORD_KEYS))
        rec = options.metadata(rec)
        source, line = rec.pop("_source"), rec.pop("_line", None)
        source = sources.setdefault(source, source)
        text = rec.pop("_text")
        doc_id = str(rec.pop(id_column))
        if doc_id in seen:
            where, first = _where(source, line), _where(*seen[doc_id])
            if on_duplicate == "error":
                raise ValueError(f"duplicate document id {doc_id!r} at {where} (first read from {first})")
            if on_duplicate == "skip":
                report.add("skipped", source, f"duplicate id {doc_id!r} (first read from {first})", line, doc_id)
                continue
            n = 2
            while f"{doc_id}-{n}" in seen:
                n += 1
            report.add("warning", source, f"duplicate id {doc_id!r} renamed to {doc_id}-{n}", line, doc_id)
            doc_id = f"{doc_id}-{n}"
        seen[doc_id] = (source, line)
        if not isinstance(text, str) or not text.strip():
            report.add("skipped", source, "empty text", line, doc_id)
            continue
        for col in required:
            if missing(rec.get(col)):
                report.add("warning", source, f"missing metadata {col!r}", line, doc_id)
        report.add("read", source, rec.pop("_how", ""), line, doc_id)
        texts.append(text)
        meta.append({"doc_id": doc_id, **rec})
    del seen
    if not len(texts):
        reasons = "; ".join(report.frame["reason"].astype(str).head(5))
        raise ValueError(f"no documents could be read ({reasons})")
    options.check_metadata_columns([c for c in columns if c not in options.text_columns])
    n_joined = sum(reason.endswith("empty)") for reason in report.reasons("read"))
    options.report(report, columns, n_joined)
    frame = options.group_labels(options.parse_dates(meta.frame().set_index("doc_id"), report), report)
    return Corpus(texts.finish(), frame, report)


def _where(source: str, line: int | None) -> str:
    return f"{source}{'' if line is None else f':{line}'}"


class _Columns:
    """Metadata rows gathered as one list a column (a dict a row costs several times more);
    a column missing from a row is NaN there, as ``pd.DataFrame(list_of_dicts)`` makes it."""

    _MAX_SHARED = 10_000  # distinct values a column's repeated strings are shared for (outlet, date, ...)

    def __init__(self) -> None:
        self._cols: dict[str, list] = {}
        self._shared: dict[str, dict | None] = {}  # column -> {value: the one str object kept for it}
        self._n = 0

    def append(self, row: dict) -> None:
        n = self._n
        for key, value in row.items():
            col = self._cols.get(key)
            if col is None:
                col = self._cols[key] = [np.nan] * n
                self._shared[key] = {} if key != "doc_id" else None
            shared = self._shared[key]
            if shared is not None and type(value) is str:  # one object per distinct value, not one per row
                value = shared.setdefault(value, value)
                if len(shared) > self._MAX_SHARED:  # a column of distinct values (titles): stop
                    self._shared[key] = None
            col.append(value)
        self._n = n = n + 1
        for col in self._cols.values():
            if len(col) < n:
                col.append(np.nan)

    def frame(self) -> pd.DataFrame:
        self._shared, columns = {}, {}
        for key in list(self._cols):  # column by column: each list is freed once converted
            values = self._cols.pop(key)
            column = pd.Series(values)
            if column.dtype.kind == "f" and column.hasnans and column.notna().any() and all(
                    type(v) is int or v is None or v != v for v in values):  # whole numbers with gaps (NaN != NaN)
                column = column.astype("Int64")  # (a Nexis ``length`` beside plain files) stay whole numbers
            columns[key] = column
        return pd.DataFrame(columns)


def missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def clean_id(value: Any) -> str | None:
    return None if missing(value) else str(value).strip()
