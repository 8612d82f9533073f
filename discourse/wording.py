"""Shared wording of the methods sentences: numbers, test counts, corrections, window spans.

Used by :mod:`discourse.methods` and :mod:`discourse.methods_topics`, so that a
correction or a number reads the same in every sentence.
"""
from __future__ import annotations

from typing import Any, Mapping

from .stats.multiple import METHOD_NAMES

__all__ = ["fmt", "tests_phrase", "correction_clause", "window_span", "HOUSE_STYLE", "STOP_LIST_NAMES"]

HOUSE_STYLE = "house-style terms (honorifics, abbreviated titles, said/says, agency tags, page furniture)"
STOP_LIST_NAMES = {"english": "English stop words (gensim)", "house_style": HOUSE_STYLE,
                   "english+house_style": f"English stop words (gensim) and {HOUSE_STYLE}"}


def fmt(value: Any) -> str:
    """A parameter value as text: floats without trailing zeros, lists joined by commas."""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return str(value)


def tests_phrase(counts: Any, per: str = "comparison") -> str:
    """"402 tests" for one family, "2,141 to 2,300 tests per comparison" (or ``per`` group) for several."""
    values = sorted(counts.values()) if isinstance(counts, Mapping) else [counts] if counts is not None else []
    if not values:
        return ""
    if values[0] == values[-1]:
        return f"{values[0]:,} tests" + (f" per {per}" if len(values) > 1 else "")
    return f"{values[0]:,} to {values[-1]:,} tests per {per}"


_CITED = {"sidak": ("Šidák 1967", "sidak1967"), "bonferroni": ("Bonferroni; Dunn 1961", "dunn1961"),
          "holm": ("Holm 1979", "holm1979"), "bh": ("Benjamini–Hochberg 1995", "benjamini1995"),
          "by": ("Benjamini–Yekutieli 2001", "benjamini2001")}


def correction_clause(a: Mapping, keys: list[str], scope: str = "", per: str = "comparison") -> str:
    """"; p-values were adjusted for multiple comparisons{scope} (Šidák 1967; 402 tests)"; cites the method in ``keys``.

    ``a`` holds ``correction`` and ``n_tests`` (a number, or one per comparison or group).
    """
    method = a.get("correction") or "none"
    tests = tests_phrase(a.get("n_tests"), per)
    if method == "none":
        return f"; p-values were not adjusted for multiple comparisons{scope}" + (f" ({tests})" if tests else "")
    name, key = _CITED.get(method, (METHOD_NAMES.get(method, str(method)), None))
    keys += [key] if key and key not in keys else []
    return f"; p-values were adjusted for multiple comparisons{scope} ({name}" + (f"; {tests})" if tests else ")")


def window_span(a: Mapping) -> str:
    """``"L5-R5"`` from the ``left`` and ``right`` of a result's attrs."""
    left, right = a.get("left"), a.get("right")
    return f"L{left}-R{right}" if left is not None and right is not None else "a symmetric"
