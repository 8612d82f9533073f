"""Numbers and missing values formatted for reading, one formatter per table column.

Tables in reports are read, not parsed: integers get thousands separators
(``12,345``), floats a fixed number of decimals per column chosen from the
column's magnitude (``62,500.0`` per million, never ``6.25e+04``), p-values
four decimals with ``< 0.0001`` below that, and a missing value (``NaN``,
``None``, ``NaT``, ``<NA>``) shows as an em dash ``—``. The values in the
DataFrame are untouched: exports write them in full.
"""
from __future__ import annotations

import math
import re
from typing import Any, Callable

import numpy as np
import pandas as pd

__all__ = ["MISSING", "P_MIN", "is_missing", "decimals_for", "format_number", "column_formatter",
           "table_formatters", "readable"]

MISSING = "\u2014"  # em dash: the sign for "no value" in published tables
P_MIN = 1e-4  # p-values below this show as "< 0.0001"
_P_COLUMN = re.compile(r"^(p|p_.*|.*_p|.*p_value.*|.*p_adjusted.*|.*pvalue.*)$")


def is_missing(value: Any) -> bool:
    """True for None, NaN, NaT and pandas' NA (and False for any other value, including lists)."""
    if value is None:
        return True
    try:
        out = pd.isna(value)
    except (TypeError, ValueError):
        return False
    return bool(out) if isinstance(out, (bool, np.bool_)) else False


def decimals_for(values: Any) -> int:
    """Decimals for a float column: from the median magnitude of its non-zero finite values.

    >= 100: 1 decimal (``62,500.0``); >= 1: 2; >= 0.01: 3; smaller: 4.
    Columns whose finite values are all whole numbers (counts stored as
    floats because of a missing value) get 0.
    """
    x = np.asarray(pd.to_numeric(pd.Series(values), errors="coerce"), dtype=float)
    x = x[np.isfinite(x)]
    if not len(x) or np.all(x == np.round(x)) and np.all(np.abs(x) < 1e15):
        return 0
    nonzero = np.abs(x[x != 0])
    m = float(np.median(nonzero)) if len(nonzero) else 0.0
    return 1 if m >= 100 else 2 if m >= 1 else 3 if m >= 0.01 else 4


def format_number(value: Any, decimals: int = 2, *, p_value: bool = False) -> str:
    """One number for reading: thousands separators, ``decimals`` fixed decimals, no exponent.

    Integers (and bools) are written whole; infinities as ``∞``/``−∞``;
    ``p_value=True`` writes four decimals and ``< 0.0001`` for smaller positive
    values. Missing values give :data:`MISSING`.
    """
    if is_missing(value):
        return MISSING
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    x = float(value)
    if math.isinf(x):
        return "\u221e" if x > 0 else "\u2212\u221e"
    if p_value:
        return f"< {P_MIN:.4f}" if 0 < x < P_MIN else f"{x:.4f}"
    return f"{x:,.{decimals}f}"


def _text(value: Any) -> str:
    return MISSING if is_missing(value) else str(value)


def column_formatter(series: pd.Series, name: Any = None) -> Callable[[Any], str]:
    """The formatter of one column: numbers as :func:`format_number`, dates as ISO, text as is; missing as —."""
    name = series.name if name is None else name
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return _text
    if pd.api.types.is_integer_dtype(dtype):
        return format_number
    if pd.api.types.is_float_dtype(dtype):
        p_value = bool(_P_COLUMN.match(str(name)))
        decimals = 4 if p_value else decimals_for(series)
        return lambda v: format_number(v, decimals, p_value=p_value)
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return lambda v: MISSING if is_missing(v) else (v.date().isoformat() if v == v.normalize() else v.isoformat(sep=" "))
    return _text


def table_formatters(frame: pd.DataFrame) -> dict[Any, Callable[[Any], str]]:
    """``to_html(formatters=...)`` for every column of ``frame`` (see :func:`column_formatter`)."""
    out = {}
    for i, col in enumerate(frame.columns):
        if col in out:  # a duplicated column name: pandas takes one formatter per name
            continue
        out[col] = column_formatter(frame.iloc[:, i], col)
    return out


def readable(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[Any, Callable[[Any], str]]]:
    """``frame`` ready for ``to_html``: its formatters, and nullable columns (``Int64``, ``boolean``) formatted
    in advance, as pandas writes their ``<NA>`` without calling a formatter or ``na_rep``."""
    formatters = table_formatters(frame)
    nullable = [c for c in formatters if isinstance(frame[c].dtype, pd.api.extensions.ExtensionDtype)
                and not isinstance(frame[c].dtype, (pd.StringDtype, pd.CategoricalDtype, pd.DatetimeTZDtype))
                and frame[c].isna().any()]
    if nullable:
        frame = frame.assign(**{str(c): frame[c].map(formatters[c]).astype(object) for c in nullable
                                if isinstance(c, str)})
        formatters.update({c: _text for c in nullable if isinstance(c, str)})
    return frame, formatters
