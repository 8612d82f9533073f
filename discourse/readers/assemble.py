"""Records to a :class:`~discourse.corpus.Corpus`: ids, duplicates, empty texts, required metadata."""
from __future__ import annotations

from typing import Any, Iterable, Sequence

import pandas as pd

from ..corpus import Corpus, ReadReport
from ..read_options import RECORD_KEYS, ReadOptions

__all__ = ["assemble", "missing", "clean_id"]


def assemble(records: Iterable[dict], report: ReadReport, options: ReadOptions,
              required: Sequence[str], on_duplicate: str) -> Corpus:
    texts: list[str] = []
    metas: list[dict] = []
    seen: dict[str, str] = {}
    columns: dict[str, None] = {}  # every column met, in order (for the read report)
    id_column = options.id_column
    for rec in records:
        columns.update(dict.fromkeys(k for k in rec if k not in RECORD_KEYS))
        rec = options.metadata(rec)
        source, line = rec.pop("_source"), rec.pop("_line", None)
        text = rec.pop("_text")
        doc_id = str(rec.pop(id_column))
        if doc_id in seen:
            where = f"{source}{'' if line is None else f':{line}'}"
            if on_duplicate == "error":
                raise ValueError(f"duplicate document id {doc_id!r} at {where} (first read from {seen[doc_id]})")
            if on_duplicate == "skip":
                report.add("skipped", source, f"duplicate id {doc_id!r} (first read from {seen[doc_id]})",
                           line, doc_id)
                continue
            n = 2
            while f"{doc_id}-{n}" in seen:
                n += 1
            report.add("warning", source, f"duplicate id {doc_id!r} renamed to {doc_id}-{n}", line, doc_id)
            doc_id = f"{doc_id}-{n}"
        seen[doc_id] = f"{source}{'' if line is None else f':{line}'}"
        if not isinstance(text, str) or not text.strip():
            report.add("skipped", source, "empty text", line, doc_id)
            continue
        for col in required:
            if missing(rec.get(col)):
                report.add("warning", source, f"missing metadata {col!r}", line, doc_id)
        report.add("read", source, rec.pop("_how", ""), line, doc_id)
        texts.append(text)
        metas.append({"doc_id": doc_id, **rec})
    if not texts:
        reasons = "; ".join(report.frame["reason"].astype(str).head(5))
        raise ValueError(f"no documents could be read ({reasons})")
    options.check_metadata_columns([c for c in columns if c not in options.text_columns])
    read = report.frame[report.frame["action"] == "read"]["reason"]
    options.report(report, columns, int(read.str.endswith("empty)").sum()))
    meta = options.group_labels(options.parse_dates(pd.DataFrame(metas).set_index("doc_id"), report), report)
    return Corpus(texts, meta, report)


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
