"""Every argument check of the public entry points, with one wording each.

Analyses validate their arguments here, at the public entry (quanteda's
practice), so a researcher sees the same message for the same mistake
whichever function they called.
"""
from __future__ import annotations

import warnings
from typing import Any, Collection, Iterable, Sequence

import numpy as np
import pandas as pd

__all__ = ["check_choice", "check_choices", "check_count", "check_fraction", "check_span", "check_words",
           "check_column_names", "require_column", "missing_column_error", "EmptyResultWarning", "check_tokens",
           "check_grouping", "check_group", "check_two_groups", "check_rest", "check_pairs", "absent_query",
           "warn_empty", "check_min_freq", "check_span_length", "check_topics", "check_terms", "check_threshold",
           "check_selection", "warn_one_part", "check_policy", "check_switch", "check_new_path", "invalid_store", "check_weight",
           "check_in_memory"]


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


def check_weight(name: str, value: Any) -> None:
    """``ValueError`` unless ``value`` is a finite non-negative number (a weight, a multiplier)."""
    if not isinstance(value, (int, float, np.integer, np.floating)) or isinstance(value, bool) \
            or not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a non-negative number, not {value!r}")


def check_in_memory(function: str, tokens: Any) -> None:
    """``ValueError`` when ``tokens`` is a partitioned corpus (a store) and ``function`` needs it in memory."""
    if callable(getattr(tokens, "partition", None)) or not hasattr(tokens, "dtm"):  # the Partitioned protocol
        raise ValueError(f"{function}: needs the tokens in memory (discourse.tokenize); a partitioned corpus "
                         "(a store) is not supported yet: select the documents to align and tokenize them")


def check_policy(name: str, value: Any, allowed: Iterable[Any], frame: pd.DataFrame) -> None:
    """One of ``allowed``, or a preference ``{column: [values in order]}`` naming one column of ``frame``."""
    if not isinstance(value, dict):
        check_choice(name, value, allowed)
        return
    if len(value) != 1 or isinstance(next(iter(value.values())), str):
        raise ValueError(f"{name} as a preference must map one column to a list of values, e.g. "
                         f"{{'outlet': ['AP', 'Reuters']}}, not {value!r}")
    require_column(frame, next(iter(value)))


def check_switch(name: str, value: Any, options: str = "options") -> None:
    """``ValueError`` unless ``value`` is None (auto), True, False or a dict of ``options`` (a step's switch)."""
    if value is None or isinstance(value, (bool, dict)):
        return
    raise ValueError(f"{name} must be None (auto), True, False or a dict of {options}, not {value!r}")


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


# -- degenerate input: the corpus, its groups and empty results (issue 11) ------------------------------------------

class EmptyResultWarning(UserWarning):
    """A valid call whose result is empty (an absent node, a filter no term passes); the message says why."""


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def check_tokens(function: str, tokens: Any, by: Any = None, labels: pd.Series | None = None) -> None:
    """``ValueError`` when ``tokens`` has no documents (an empty selection) or no counted token.

    "keyness: the corpus is empty (0 documents) ..." / "keyness: the corpus has no
    counted tokens: 3 documents, 12 tokens read, all dropped (stopword: 12)". With
    ``labels`` (the groups of ``by``, :func:`discourse.grouping.group_labels`), also
    :func:`check_grouping`.
    """
    if tokens.n_docs == 0:
        raise ValueError(f"{function}: the corpus is empty (0 documents); was it made by a selection "
                         "(select(), Tokens.select()) that matched no document?")
    if tokens.n_tokens == 0:
        rec = tokens.reconciliation
        read = int(rec.loc[rec["stage"] == "read", "tokens"].sum())
        dropped = rec[rec["stage"] == "dropped"]
        why = ", ".join(f"{r}: {int(n):,}" for r, n in zip(dropped["reason"], dropped["tokens"]))
        raise ValueError(f"{function}: the corpus has no counted tokens: {_plural(tokens.n_docs, 'document')}, "
                         + (f"{_plural(read, 'token')} read, all dropped ({why})" if read else "no token in the text"))
    if labels is not None:
        check_grouping(function, labels, by, tokens.metadata.columns)


def check_grouping(function: str, labels: pd.Series, by: Any, columns: Iterable[Any], name: str = "by") -> None:
    """``ValueError`` when ``by`` puts no document in any group (every value missing: no parsable date, say).

    ``name`` is the argument that named the grouping (``by``, ``parts``, a covariate).
    """
    if by is None or len(labels) == 0 or labels.notna().any():
        return
    n = _plural(len(labels), "document")
    if by not in list(columns):  # a period of the date column; grouping.group_labels gives the reasons
        why = labels.attrs.get("why")
        raise ValueError(f"{function}: {name}={by!r} groups documents by the {by} of their 'date', but none of the "
                         f"{n} has a parsable date{f' ({why})' if why else ''}; name the date column with "
                         "date_column=..., state its format with date_format=..., or group by a metadata column")
    raise ValueError(f"{function}: {name}={by!r} puts no document in a group: the column {by!r} is empty "
                     f"for all {n}")


def check_group(function: str, value: Any, groups: Sequence[Any], by: Any, role: str = "") -> None:
    """``ValueError`` unless ``value`` is one of ``groups``: "keyness: target group 'Nope' not found in column ...".

    ``role`` ("target", "reference") says which argument named it.
    """
    if value not in list(groups):
        raise ValueError(f"{function}: {role + ' ' if role else ''}group {value!r} not found in column {by!r}; "
                         f"groups are: {list(groups)}")


def check_two_groups(function: str, groups: Sequence[Any], by: Any) -> None:
    """``ValueError`` when a comparison has fewer than two groups to compare."""
    if len(groups) < 2:
        raise ValueError(f"{function}: by={by!r} has {_plural(len(groups), 'group')} ({list(groups)}); "
                         "a comparison needs at least 2")


def check_rest(function: str, target: Sequence[Any], others: Sequence[Any], groups: Sequence[Any], by: Any) -> None:
    """``ValueError`` when the reference "rest" (the groups besides the target) is empty."""
    check_two_groups(function, groups, by)
    if not others:
        raise ValueError(f"{function}: reference 'rest' is empty: {by!r} has no group besides the target "
                         f"{list(target)}")


def check_pairs(function: str, pairs: Sequence[Any], groups: Sequence[Any], by: Any) -> None:
    """``ValueError`` when a comparison found no pair of sides: one group, or every group was the reference."""
    if not pairs:
        check_two_groups(function, groups, by)
        raise ValueError(f"{function}: nothing to compare: every group of {by!r} ({list(groups)}) is the reference")


def absent_query(function: str, what: str, query: Any, n_tokens: int) -> str:
    """The one wording of an absent node or query.

    "collocates: node 'zzz' does not occur in the corpus (0 of 12,345 tokens)".
    """
    return f"{function}: {what} {query!r} does not occur in the corpus (0 of {_plural(n_tokens, 'token')})"


def warn_empty(message: str) -> None:
    """An :class:`EmptyResultWarning`: ``message`` (the cause) + "; the result is empty"."""
    warnings.warn(f"{message}; the result is empty", EmptyResultWarning, stacklevel=3)


def check_min_freq(function: str, name: str, value: int, counts: Any, what: str = "term") -> bool:
    """Warn (:class:`EmptyResultWarning`) and return False when no ``what`` reaches ``name=value``.

    ``counts`` are the frequencies there are (any array-like): "frequencies: no
    term reaches min_freq=1,000 (the most frequent occurs 9 times); the result is empty".
    """
    highest = int(np.asarray(counts).max(initial=0))
    if value <= highest:
        return True
    warn_empty(f"{function}: no {what} reaches {name}={value:,} (the most frequent occurs "
               f"{_plural(int(highest), 'time')})")
    return False


def check_terms(function: str, terms: Any, vocab: Any, n_tokens: int) -> None:
    """Words (:func:`check_words`); an :class:`EmptyResultWarning` when none of them occurs in ``vocab``."""
    if terms is None:
        return
    check_words("terms", terms)
    terms = list(terms)
    if not pd.Index(vocab).isin(terms).any():
        warn_empty(f"{function}: none of the terms {terms[:10]} occurs in the corpus "
                   f"(0 of {_plural(n_tokens, 'token')})")


def check_threshold(function: str, threshold: float | None, measure: str, values: Any) -> None:
    """An :class:`EmptyResultWarning` when values exist but none reaches ``threshold`` of ``measure``."""
    values = np.asarray(values, float)
    if threshold is None or not len(values) or (values >= threshold).any():
        return
    warn_empty(f"{function}: no collocate reaches threshold={threshold:g} of {measure} "
               f"(the highest is {np.nanmax(values):.3g})")


def check_selection(function: str, where: Any, mask: np.ndarray) -> None:
    """An :class:`EmptyResultWarning` when ``where`` selects no document."""
    if where is not None and len(mask) and not mask.any():
        warn_empty(f"{function}: where={where!r} selects none of the {_plural(len(mask), 'document')}")


def warn_one_part(function: str, groups: Sequence[Any], undefined: Sequence[str]) -> None:
    """A ``UserWarning`` naming the groups of one corpus part, where the dispersion measures ``undefined`` are NaN."""
    if groups:
        warnings.warn(f"{function}: {_plural(len(groups), 'group')} ({list(groups)[:10]}) "
                      f"{'has' if len(groups) == 1 else 'have'} a single part: {', '.join(undefined)} "
                      "are undefined there (NaN); use more documents or parts=<tokens per chunk>", stacklevel=3)


def check_span_length(function: str, n: int, longest: int, unit: str) -> bool:
    """Warn (:class:`EmptyResultWarning`) and return False when ``n`` tokens fit in no ``unit`` (sentence, document)."""
    if n <= longest:
        return True
    warn_empty(f"{function}: n={n} is longer than every {unit} (the longest has {_plural(int(longest), 'token')})")
    return False


def check_topics(function: str, k: int, n_units: int, unit: str) -> None:
    """``ValueError`` when there are more topics than modelling units (documents, paragraphs)."""
    if k > n_units:
        raise ValueError(f"{function}: {k} topics but only {_plural(n_units, unit)} to model; choose k <= "
                         f"{n_units} or smaller units (units='paragraph' or a chunk size)")


def check_new_path(name: str, path: Any, overwrite: bool) -> None:
    """``FileExistsError`` when ``path`` exists and ``overwrite`` is false (nothing is replaced silently)."""
    from pathlib import Path

    if Path(path).exists() and not overwrite:
        raise FileExistsError(f"{name} {str(path)!r} already exists; pass overwrite=True to replace it")


def invalid_store(path: Any, problem: str) -> ValueError:
    """The error for a directory that is not a readable store (say what is wrong and what to do)."""
    return ValueError(f"{str(path)!r} is not a discourse store: {problem}; build one with discourse.build_store")

