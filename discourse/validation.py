"""Every argument check of the public entry points, with one wording each.

Analyses validate their arguments here, at the public entry (quanteda's
practice), so a researcher sees the same message for the same mistake
whichever function they called.
"""
from __future__ import annotations

from typing import Any, Collection, Iterable, Sequence

import numpy as np
import pandas as pd

__all__ = ["check_choice", "check_choices", "check_count", "check_fraction", "check_span", "check_words",
           "check_column_names", "require_column", "missing_column_error"]


def check_choice(name: str, value: Any, allowed: Iterable[Any]) -> None:
    """``ValueError`` unless ``value`` is one of ``allowed``: "name must be one of [...], not 'x'"."""
    allowed = list(allowed)
    if value not in allowed:
        raise ValueError(f"{name} must be one of {allowed}, not {value!r}")


def check_choices(name: str, values: Iterable[Any], allowed: Sequence[Any]) -> None:
    """``ValueError`` naming every value of ``values`` that is not in ``allowed``."""
    bad = [x for x in values if x not in allowed]
    if bad:
        raise ValueError(f"unknown {name} {bad}; choose from {list(allowed)}")


def check_words(name: str, values: Any) -> None:
    """``TypeError`` unless ``values`` is an iterable of strings (a lone string is not: "say ['x'] for one word")."""
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise TypeError(f"{name} must be a list or set of words, not {values!r}"
                        + (f"; for one word say [{values!r}]" if isinstance(values, str) else ""))
    bad = [w for w in values if not isinstance(w, str)] if isinstance(values, Collection) else []  # not a one-shot iterator
    if bad:
        raise TypeError(f"{name} must hold words (str), not {bad[0]!r}")


def _is_int(value: Any) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def check_count(name: str, value: Any, *, minimum: int = 0, optional: bool = False) -> None:
    """``ValueError`` unless ``value`` is an integer ``>= minimum`` (``None`` allowed when ``optional``).

    The wording is "name must be a non-negative integer" for ``minimum=0`` and
    "name must be an integer >= k" otherwise.
    """
    if value is None and optional:
        return
    if not _is_int(value) or value < minimum:
        what = "a non-negative integer" if minimum == 0 else f"an integer >= {minimum}"
        raise ValueError(f"{name} must be {what}, not {value!r}")


def check_fraction(name: str, value: Any) -> None:
    """``ValueError`` unless ``0 < value < 1`` (a significance level, a confidence level)."""
    if not isinstance(value, (int, float, np.floating)) or isinstance(value, bool) or not 0 < value < 1:
        raise ValueError(f"{name} must lie strictly between 0 and 1, not {value!r}")


def check_span(left: Any, right: Any, what: str = "span") -> None:
    """A window of ``left`` and ``right`` tokens: non-negative integers, not both 0."""
    for side, v in (("left", left), ("right", right)):
        if not _is_int(v) or v < 0:
            raise ValueError(f"{side} {what} must be a non-negative integer, not {v!r}")
    if left == 0 and right == 0:
        raise ValueError(f"the window is empty: left and right {what}s are both 0")


def check_column_names(name: str, value: Any, *, single: bool = False, optional: bool = False) -> tuple[str, ...]:
    """A column name, or (unless ``single``) a list of them, as a tuple; ``()`` for ``None`` when ``optional``.

    ``ValueError`` otherwise: "name must be a column name (or a list of column names), not ...".
    """
    if value is None and optional:
        return ()
    names = [value] if isinstance(value, str) else value
    if isinstance(names, (list, tuple)) and (len(names) == 1 or not single) \
            and all(isinstance(n, str) for n in names) and len(set(names)) == len(names):
        return tuple(names)
    what = "a column name" if single else "a column name or a list of distinct column names"
    raise ValueError(f"{name} must be {what}, not {value!r}")


def missing_column_error(column: Any, columns: Iterable[Any], extra: str = "") -> KeyError:
    """The one "no metadata column" error: the column asked for and the columns there are."""
    return KeyError(f"no metadata column {column!r}; columns are {list(columns)}{extra}")


def require_column(frame: pd.DataFrame, column: Any) -> None:
    """``KeyError`` unless ``column`` is a column of the metadata table ``frame``."""
    if column not in frame.columns:
        raise missing_column_error(column, frame.columns)
