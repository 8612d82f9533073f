"""The reading options of :func:`discourse.read_corpus`: which columns hold what, and how dates are written.

A table's columns rarely carry the names the analyses use. :class:`ReadOptions`
maps them, and records every mapping in the corpus' read report:

* ``text_column``: the column holding the text, or several columns joined in
  order with a blank line between them (e.g. a headline and a sub-heading read
  as one text; a row missing one part keeps the others);
* ``id_column``: the document ids (made from the file name and row number when absent);
* ``outlet_column``, ``date_column``, ``title_column``: a column read as
  ``outlet``, ``date`` or ``title``, the names the notebooks and
  :func:`discourse.overview.documents_table` use;
* ``metadata_columns``: the metadata columns to keep (default: all);
* ``date_format``, ``dayfirst`` and ``date_bounds``: ``date`` parsed value by
  value by :func:`discourse.dates.parse_dates` (by default: the formats news
  sources write; ``date_format="keep"`` keeps the values as written) and
  written as ISO 8601; a value that does not parse, is implausible or is an
  ambiguous slash date is left empty and reported (one warning per document),
  and the values as read are kept in ``date_raw`` whenever any was changed;
* ``group_columns`` (default ``("outlet",)``), ``aliases`` and ``case_merge``: the
  grouping labels normalised, aliased and (on request) case-merged, each change
  reported (:mod:`discourse.group_labels`);
* ``outlets``: the outlet registry (:mod:`discourse.outlets`) read into the
  ``outlet`` column through the same mechanism, every raw name reported with its rule.

An unnamed column (the index a spreadsheet or ``DataFrame.to_csv`` wrote, with
an empty header or pandas' ``Unnamed: 0``) is not read as metadata; the read
report says so.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

import pandas as pd

from .corpus import ReadReport
from .dates import DEFAULT_BOUNDS, check_date_bounds, parse_dates
from .group_labels import check_aliases, normalise_groups
from .outlets import check_outlets
from .validation import check_column_names, missing_column_error

__all__ = ["ReadOptions", "TEXT_SEPARATOR", "RENAMED", "RECORD_KEYS", "is_unnamed"]

TEXT_SEPARATOR = "\n\n"  # between the parts of a text read from several columns: a paragraph break
RENAMED = ("outlet", "date", "title")  # the standard metadata names a column can be read as
RECORD_KEYS = ("_text", "_source", "_line", "_how")  # the readers' keys of a record that are not metadata
_UNNAMED = re.compile(r"^(Unnamed: \d+(_level_\d+)?|__index_level_\d+__)$")


def is_unnamed(column: Any) -> bool:
    """A column without a name: an empty header, pandas' ``Unnamed: 0`` or pyarrow's ``__index_level_0__``."""
    return not str(column).strip() or bool(_UNNAMED.match(str(column)))


_UNNAMED_SEEN: dict[str, bool] = {}


def _unnamed(column: Any) -> bool:
    """:func:`is_unnamed`, remembered for the few distinct names of a corpus' string columns (once a key of every record)."""
    if type(column) is not str:
        return is_unnamed(column)
    seen = _UNNAMED_SEEN.get(column)
    if seen is None:
        if len(_UNNAMED_SEEN) > 10_000:  # bounded: names from untrusted files
            _UNNAMED_SEEN.clear()
        seen = _UNNAMED_SEEN[column] = is_unnamed(column)
    return seen


@dataclass(frozen=True)
class ReadOptions:
    """Which columns hold the text, the ids and the metadata, and how dates are parsed (see the module notes)."""

    text_columns: tuple[str, ...] = ("text",)
    id_column: str = "id"
    metadata_columns: tuple[str, ...] | None = None
    outlet_column: str | None = None
    date_column: str | None = None
    title_column: str | None = None
    date_format: str | None = None
    dayfirst: bool | None = None
    group_columns: tuple[str, ...] = ("outlet",)
    aliases: dict[str, str] | None = None
    case_merge: bool = False
    date_bounds: tuple[str | None, str | None] = DEFAULT_BOUNDS
    outlets: Any = None  # an OutletRegistry (discourse.outlets), or None: no registry

    @classmethod
    def build(cls, text_column: str | Sequence[str] = "text", id_column: str = "id",
              metadata_columns: str | Sequence[str] | None = None, outlet_column: str | None = None,
              date_column: str | None = None, title_column: str | None = None, date_format: str | None = None,
              dayfirst: bool | None = None, group_columns: str | Sequence[str] = ("outlet",),
              aliases: dict[str, str] | None = None, case_merge: bool = False,
              date_bounds: tuple[str | None, str | None] = DEFAULT_BOUNDS, outlets: Any = None) -> "ReadOptions":
        """The options from :func:`~discourse.read_corpus`'s arguments, checked."""
        texts = check_column_names("text_column", text_column)
        if not texts:
            raise ValueError("text_column must name at least one column")
        (id_col,) = check_column_names("id_column", id_column, single=True)
        renames = {}
        for name, value in (("outlet_column", outlet_column), ("date_column", date_column),
                            ("title_column", title_column)):
            renames[name] = check_column_names(name, value, single=True, optional=True)
        if date_format is not None and (not isinstance(date_format, str) or not date_format.strip()):
            raise ValueError(f"date_format must be a strftime format such as '%d/%m/%Y', 'ISO8601', 'epoch', "
                             f"'mixed' or 'keep', not {date_format!r}")
        if dayfirst not in (None, True, False):
            raise ValueError(f"dayfirst must be True, False or None (from the column), not {dayfirst!r}")
        keep = check_column_names("metadata_columns", metadata_columns, optional=True)
        groups = check_column_names("group_columns", group_columns)
        if not isinstance(case_merge, bool):
            raise ValueError(f"case_merge must be True or False, not {case_merge!r}")
        return cls(texts, id_col, None if metadata_columns is None else keep,
                   *(v[0] if v else None for v in renames.values()), date_format, dayfirst,
                   groups, check_aliases(aliases), case_merge, tuple(check_date_bounds(date_bounds)),
                   check_outlets(outlets))

    @property
    def renames(self) -> dict[str, str]:
        """Source column -> standard name, for the columns read as ``outlet``, ``date`` or ``title``."""
        pairs = zip((self.outlet_column, self.date_column, self.title_column), RENAMED)
        return {src: std for src, std in pairs if src is not None and src != std}

    @property
    def parses_dates(self) -> bool:
        """Whether ``date`` is parsed: unless ``date_format="keep"``."""
        return self.date_format != "keep"

    def params(self) -> dict[str, Any]:
        """The options as recorded in ``corpus.params`` (a single text column as a string)."""
        return {"text_column": self.text_columns[0] if len(self.text_columns) == 1 else list(self.text_columns),
                "id_column": self.id_column,
                "metadata_columns": None if self.metadata_columns is None else list(self.metadata_columns),
                "outlet_column": self.outlet_column, "date_column": self.date_column,
                "title_column": self.title_column, "date_format": self.date_format, "dayfirst": self.dayfirst,
                "group_columns": list(self.group_columns), "aliases": None if self.aliases is None else dict(self.aliases),
                "case_merge": self.case_merge, "date_bounds": list(self.date_bounds),
                "outlets": None if self.outlets is None else self.outlets.params()}

    # ----------------------------------------------------------------------- columns of a table
    def check_columns(self, path: Any, columns: Iterable[Any]) -> None:
        """``ValueError`` when no text column is there (naming the columns there are); ``KeyError`` for any other
        column the options name that is missing."""
        columns = list(columns)
        present = [c for c in self.text_columns if c in columns]
        if not present:
            names = self.text_columns[0] if len(self.text_columns) == 1 else list(self.text_columns)
            raise ValueError(f"{path}: no text column {names!r}; columns are {columns}. "
                             "Pass text_column=... to name it (or a list of columns, joined in order).")
        if len(present) < len(self.text_columns):
            missing = [c for c in self.text_columns if c not in columns]
            raise missing_column_error(missing[0], columns, f" (text_column names {list(self.text_columns)})")
        self.check_metadata_columns(columns)

    def check_metadata_columns(self, columns: Iterable[Any]) -> None:
        """``KeyError`` for a column named by ``outlet_column``, ``date_column``, ``title_column`` or
        ``metadata_columns`` that is not among ``columns``; ``ValueError`` when a column read as ``outlet``
        (or date, title) would replace a column of that name."""
        columns = list(columns)
        for src in [*self.renames, *(self.metadata_columns or ())]:
            if src not in columns:
                raise missing_column_error(src, columns)
        for src, std in self.renames.items():
            if std in columns:
                raise ValueError(f"{std}_column={src!r} would replace the existing column {std!r}; "
                                 f"leave {std}_column unset to use {std!r}, or rename one of the two columns")

    def text(self, row: dict) -> tuple[str | None, str]:
        """The text of a table row and how it was made (empty for a single column).

        Several columns are joined in order with :data:`TEXT_SEPARATOR`;
        empty parts are left out and named.
        """
        if len(self.text_columns) == 1:
            value = row.get(self.text_columns[0])
            return (value if isinstance(value, str) else None), ""
        parts = {c: row.get(c) for c in self.text_columns}
        kept = [c for c, v in parts.items() if isinstance(v, str) and v.strip()]
        text = TEXT_SEPARATOR.join(parts[c].strip() for c in kept) if kept else None
        empty = [c for c in self.text_columns if c not in kept]
        how = "text from " + " + ".join(map(repr, kept or self.text_columns))
        return text, how + (f" ({', '.join(map(repr, empty))} empty)" if empty and kept else "")

    def metadata(self, record: dict) -> dict:
        """A record's metadata: unnamed and unselected columns left out, columns read as outlet/date/title renamed."""
        out = {}
        renames = self.renames  # (a property: made once a record, not once a key)
        for key, value in record.items():
            if key in RECORD_KEYS or key == self.id_column:
                out[key] = value
            elif key in renames:
                out[renames[key]] = value
            elif _unnamed(key):
                continue
            elif self.metadata_columns is None or key in self.metadata_columns or key == "source_file":
                out[key] = value
        return out

    # ----------------------------------------------------------------------- the read report
    def report(self, report: ReadReport, columns: Iterable[Any], n_joined: int = 0) -> None:
        """Record in ``report`` what the options did to the columns: joined, renamed, dropped, unnamed."""
        columns = list(dict.fromkeys(columns))
        if len(self.text_columns) > 1:
            report.note(f"text read from the columns {', '.join(map(repr, self.text_columns))}, joined in that "
                        f"order with a blank line between them ({n_joined:,} documents lack a part: the others are kept)")
        for src, std in self.renames.items():
            report.note(f"column {src!r} read as {std!r}")
        unnamed = [c for c in columns if is_unnamed(c) and c != self.id_column]
        if unnamed:
            report.note(f"unnamed column{'s' if len(unnamed) > 1 else ''} {', '.join(map(repr, unnamed))} "
                        "(an index saved with the table?) not read as metadata")
        if self.metadata_columns is not None:
            used = {*self.text_columns, self.id_column, *self.renames, *unnamed, "source_file"}
            dropped = [c for c in columns if c not in used and c not in self.metadata_columns]
            if dropped:
                report.note(f"metadata_columns: {len(dropped)} column{'s' if len(dropped) > 1 else ''} not kept "
                            f"({', '.join(map(repr, dropped[:10]))}{' …' if len(dropped) > 10 else ''})")

    def group_labels(self, metadata: pd.DataFrame, report: ReadReport) -> pd.DataFrame:
        """The grouping columns normalised, aliased and (with ``case_merge``) case-merged, each change reported.

        ``KeyError`` for a column named in ``group_columns`` (other than the default ``outlet``) that is not there.
        """
        for col in self.group_columns:
            if col != "outlet" and col not in metadata.columns:
                raise missing_column_error(col, metadata.columns, " (named in group_columns)")
        if self.aliases:
            report.note(f"aliases: {', '.join(f'{k!r} -> {v!r}' for k, v in self.aliases.items())}")
        columns = self.group_columns if self.outlets is None or "outlet" in self.group_columns \
            else (*self.group_columns, "outlet")  # the registry reads outlets whatever else is grouped
        return normalise_groups(metadata, columns, self.aliases, self.case_merge, report, self.outlets)

    def parse_dates(self, metadata: pd.DataFrame, report: ReadReport) -> pd.DataFrame:
        """``date`` parsed value by value (:func:`discourse.dates.parse_dates`) and written as ISO 8601.

        A value that does not parse, is implausible or is ambiguous is left empty, with one warning per
        document naming the value and the reason; the values as read go to ``date_raw`` (after ``date``)
        whenever any was changed. Without a ``date`` column nothing happens, unless a date option was
        given (then ``KeyError``); ``date_format="keep"`` keeps the values as written.
        """
        explicit = self.date_format not in (None, "keep") or self.dayfirst is not None
        if not self.parses_dates or ("date" not in metadata.columns and not explicit):
            return metadata
        if "date" not in metadata.columns:
            raise missing_column_error("date", metadata.columns, " (date_format and dayfirst parse the 'date' "
                                                                  "column; name yours with date_column=...)")
        raw = metadata["date"]
        fmt = None if self.date_format == "mixed" else self.date_format
        parsed = parse_dates(raw, dayfirst=self.dayfirst, date_format=fmt, date_bounds=self.date_bounds)
        counts = parsed.attrs["counts"]
        if counts["missing"] == len(parsed):
            return metadata
        bad = parsed[~parsed["status"].isin(["ok", "missing"])]
        if len(bad):  # each warning names the document's file and line, as its "read" row does
            read = report.frame.query("action == 'read'").drop_duplicates("doc_id").set_index("doc_id")
            where = {d: (r.source, None if pd.isna(r.line) else int(r.line)) for d, r in read.iterrows()}
        for doc_id, row in bad.iterrows():
            source, line = where.get(doc_id, ("date", None))
            report.add("warning", source, f"date {row['raw']!r} {row['reason']}: left empty", line, doc_id)
        how = f"date_format={self.date_format!r}" if fmt else \
            "the formats of discourse.dates" + ("" if self.dayfirst is None else f", dayfirst={self.dayfirst}")
        left = [f"{counts[k]:,} {what}" for k, what in (("unparsable", "did not parse"), ("implausible", "implausible"),
                                                       ("ambiguous", "ambiguous")) if counts[k]]
        as_read = raw.astype(object).where(raw.notna(), None)
        written = parsed["date"].astype(object).where(parsed["status"] == "ok", None)
        changed = written.ne(as_read.map(lambda v: None if v is None else str(v).strip())) & as_read.notna()
        report.note(f"dates parsed with {how} and written as ISO 8601: {counts['ok']:,} parsed"
                    + (f"; {', '.join(left)}: left empty (see the report)" if left else "")
                    + ("; the values as read are in 'date_raw'" if changed.any() else ""))
        if parsed.attrs["order_note"]:
            report.note(parsed.attrs["order_note"])
        n_zoned = int(parsed["aware"].sum())
        if n_zoned:
            report.note(f"{n_zoned:,} date{'s' if n_zoned != 1 else ''} with a time zone converted to UTC (written "
                        "with Z); dates without one are kept in the time they were written in (no zone assumed)")
        out = metadata.assign(date=written.astype("str"))  # pandas' text dtype, as every text column: NaN if empty
        if changed.any():
            out.insert(list(out.columns).index("date") + 1, "date_raw", raw)
        return out
