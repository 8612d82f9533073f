"""Export of result tables with their parameters, so a table never leaves without its provenance.

Text cells a spreadsheet would evaluate are neutralised (OWASP, "CSV Injection"), and file
names built from data (outlet names, parameters) go through :func:`safe_filename`.
"""
from __future__ import annotations

import csv
import hashlib
import json
import re
import unicodedata
import warnings
from pathlib import Path
from typing import IO, Any

import pandas as pd

__all__ = ["export", "params_path", "neutralise_formulas", "safe_filename", "ExportWarning", "FORMULA_PREFIXES",
           "write_csv"]

#: First characters that make a spreadsheet evaluate a cell (OWASP, "CSV Injection"): formula
#: starts ``=``, ``+``, ``-``, ``@`` and tab/carriage return, which some importers strip first.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# Windows reserves these device names, with or without an extension, in any case.
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"{d}{i}" for d in ("COM", "LPT") for i in (*"123456789", "¹", "²", "³"))}
_FORBIDDEN = re.compile(r'[/\\<>:"|?*]')  # separators and the characters Windows forbids in a name


class ExportWarning(UserWarning):
    """An export changed cells (formula neutralisation), and says how many."""


def _neutral(value: Any) -> tuple[Any, int]:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value, 1
    return value, 0


def _is_text(dtype: Any) -> bool:
    return dtype == object or isinstance(dtype, (pd.StringDtype, pd.CategoricalDtype))


def _neutral_index(index: pd.Index) -> tuple[pd.Index, int]:
    """Labels and names of an index (or the columns), level by level for a MultiIndex."""
    n = 0

    def fix(value: Any) -> Any:
        nonlocal n
        value, changed = _neutral(value)
        n += changed
        return value

    if not _is_text(index.dtype) and not any(isinstance(name, str) for name in index.names):
        return index, 0  # numbers only (a RangeIndex): nothing to neutralise
    names = [fix(name) for name in index.names]
    if isinstance(index, pd.MultiIndex):
        levels = [pd.Index([fix(v) for v in level], dtype=object) if _is_text(level.dtype) else level
                  for level in index.levels]
        return (index.set_levels(levels).set_names(names), n) if n else (index, 0)
    labels = [fix(v) for v in index] if _is_text(index.dtype) else list(index)
    return (pd.Index(labels, dtype=object, name=names[0]) if n else index), n


def neutralise_formulas(table: pd.DataFrame, *, index: bool = True) -> tuple[pd.DataFrame, int]:
    """A copy of ``table`` in which no text cell starts a spreadsheet formula, and how many cells changed.

    Following OWASP's recommendation against CSV (formula) injection (OWASP Foundation, "CSV
    Injection"), a text cell, column name or index label starting with one of
    :data:`FORMULA_PREFIXES` (``=``, ``+``, ``-``, ``@``, tab, carriage return) gets a leading
    single quote: ``=HYPERLINK("http://x")`` becomes ``'=HYPERLINK("http://x")``, which a
    spreadsheet shows as text. Numbers, including negative numbers, are left as they are; only
    strings change. ``index=False`` leaves the index alone (it is not written). ``.attrs`` are
    kept unchanged.
    """
    out = table.copy()
    n = 0
    for i in range(out.shape[1]):
        column = out.iloc[:, i]
        if _is_text(column.dtype):
            fixed = column.astype(object)  # a categorical maps its categories, NaN included: map the values
            hit = fixed.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_PREFIXES)).astype(bool)
            if hit.any():
                fixed[hit] = "'" + fixed[hit]
                out.isetitem(i, fixed)
                n += int(hit.sum())
    out.columns, n_columns = _neutral_index(out.columns)
    out.index, n_index = _neutral_index(out.index) if index else (out.index, 0)
    out.attrs = dict(table.attrs)
    return out, n + n_columns + n_index


def safe_filename(text: Any, *, max_bytes: int = 150) -> str:
    """A file name (one path component) made from data such as an outlet name or a parameter.

    Deterministic: the text is NFC-normalised; path separators, the characters Windows forbids
    (``<>:"|?*``) and control/format characters (Unicode categories C*) become ``_``; a run of
    two or more dots becomes ``_``; runs of ``_`` collapse to one; leading and trailing dots,
    spaces and ``_`` are stripped; a Windows device name (``CON``, ``NUL``, ``COM1``…, also with
    an extension) gets a leading ``_``; an empty result is ``unnamed``. A name longer than
    ``max_bytes`` UTF-8 bytes is cut at a character boundary and ends in ``-`` plus 8 hex digits
    of the SHA-1 of the original text, so two long names with the same beginning do not collide.
    Unicode letters are kept: ``safe_filename("Reuters/AP") == "Reuters_AP"``,
    ``safe_filename("../../etc") == "etc"``, ``safe_filename("CON") == "_CON"``.
    """
    original = str(text)
    name = unicodedata.normalize("NFC", original)
    name = "".join("_" if unicodedata.category(ch).startswith("C") else ch for ch in name)
    name = re.sub(r"_+", "_", re.sub(r"\.{2,}", "_", _FORBIDDEN.sub("_", name)))
    name = name.strip(" ._") or "unnamed"
    if name.split(".")[0].strip(" ").upper() in _RESERVED:
        name = "_" + name
    if len(name.encode("utf-8")) > max_bytes:
        digest = hashlib.sha1(original.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        head = name.encode("utf-8")[: max(max_bytes - 9, 1)].decode("utf-8", "ignore").rstrip(" .")
        name = f"{head}-{digest}"
    return name


def _announce(name: str, n: int) -> None:
    if n:
        warnings.warn(f"{name}: {n} cell(s) starting with =, +, -, @, tab or carriage return were prefixed "
                      "with ' so a spreadsheet shows them as text (raw=True keeps them as they are)",
                      ExportWarning, stacklevel=3)


def write_csv(table: pd.DataFrame, target: str | Path | IO[str], *, sep: str = ",", index: bool = False,
              raw: bool = False) -> int:
    """Write ``table`` as CSV (UTF-8, header) with formula-like text neutralised; the number of cells changed.

    Text fields are quoted (``csv.QUOTE_NONNUMERIC``), as OWASP recommends next to the
    leading quote; it also keeps a carriage return inside a field from splitting the row.
    ``raw=True`` writes the text as it is. An :class:`ExportWarning` gives the count.
    """
    table, n = (table, 0) if raw else neutralise_formulas(table, index=index)
    table.to_csv(target, index=index, sep=sep, quoting=csv.QUOTE_NONNUMERIC)
    _announce(Path(target).name if isinstance(target, (str, Path)) else "standard output", n)
    return n


def params_path(path: str | Path) -> Path | None:
    """The parameters sidecar :func:`export` writes next to a ``.csv``/``.tsv`` table (``freq.params.json``);
    None for other files (an ``.xlsx`` keeps its parameters in a sheet)."""
    path = Path(path)
    return path.with_suffix(".params.json") if path.suffix.lower() in {".csv", ".tsv"} else None


def _parameter_sheet(attrs: dict[str, Any]) -> pd.DataFrame:
    """One row per parameter; a value that is not a string is written as its JSON text."""
    return pd.DataFrame({"parameter": list(attrs),
                         "value": [v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, default=str)
                                   for v in attrs.values()]}, dtype=object)


def _write_xlsx(path: Path, result: pd.DataFrame, parameters: pd.DataFrame, index: bool) -> None:
    with pd.ExcelWriter(path, engine="openpyxl") as xl:
        result.to_excel(xl, sheet_name="results", index=index)
        parameters.to_excel(xl, sheet_name="parameters", index=False)
        for sheet in xl.sheets.values():
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.data_type == "f":  # openpyxl reads a string starting with "=" as a formula
                        cell.data_type = "s"


def export(result: pd.DataFrame, path: str | Path, *, index: bool = False, raw: bool = False) -> Path:
    """Write a result table with its parameters: ``.csv``/``.tsv`` (plus ``.params.json``) or ``.xlsx``.

    CSV is UTF-8 with a header; the parameters (``result.attrs``) go to a JSON
    sidecar ``<name>.params.json``. Excel files get a ``results`` sheet and a
    ``parameters`` sheet. Returns the path written; ``path`` is used as given (build a
    name from data with :func:`safe_filename`).

    Text a spreadsheet would evaluate is neutralised by default (OWASP, "CSV Injection"; see
    :func:`neutralise_formulas`): a text cell, column name or index label starting with ``=``,
    ``+``, ``-``, ``@``, tab or carriage return gets a leading ``'``, in the table and in the
    parameters sheet; numbers are unchanged. The count is recorded as ``neutralised_cells`` in
    the sidecar or parameters sheet and announced with an :class:`ExportWarning`. The JSON
    sidecar keeps the parameters exactly (a spreadsheet does not evaluate JSON).
    ``raw=True`` writes the text unchanged: unsafe to open in a spreadsheet when the data
    are untrusted (an ``.xlsx`` still stores such text as text, never as a formula).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in {".csv", ".tsv", ".xlsx"}:
        raise ValueError(f"cannot export to {path.name!r}: use a .csv, .tsv or .xlsx file name")
    if suffix == ".xlsx":
        table, n = (result, 0) if raw else neutralise_formulas(result, index=index)
        parameters = _parameter_sheet(dict(result.attrs))
        if not raw:
            parameters, n_parameters = neutralise_formulas(parameters, index=False)
            n += n_parameters
        parameters.loc[len(parameters)] = ["neutralised_cells", str(n)]
        _write_xlsx(path, table, parameters, index)
        _announce(path.name, n)
    else:
        n = write_csv(result, path, sep="\t" if suffix == ".tsv" else ",", index=index, raw=raw)
        params = json.dumps({**result.attrs, "neutralised_cells": n}, indent=2, ensure_ascii=False, default=str)
        params_path(path).write_text(params + "\n", encoding="utf-8")
    return path
