"""Grouping documents: ``by=`` as a metadata column or a period of ``date``, as labels, codes or matrices.

Every analysis groups through this module, so ``by`` means the same thing in
frequencies, dispersion, keyness, collocates, n-grams, concordances and topic
prevalence: a metadata column, ``None`` (one group ``"all"``), or a period of
the ``date`` column (``"year"``, ``"quarter"``, ``"month"``, ``"week"``, ``"day"``).
Documents with a missing value belong to no group. For a period that is never
silent: the documents without a parsable date (empty, unparsable, implausible
or ambiguous, as :func:`discourse.dates.parse_dates` says) are counted in a
``UserWarning`` and in the labels' ``.attrs`` (``no_group``, split into
``no_date``, ``rejected_when_read`` (see ``date_raw``) and ``unparsable``), and
a corpus with no parsable date at all is an error naming the cause.
"""
from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .dates import to_timestamps
from .partitions import map_partitions, merge_sum
from .validation import missing_column_error

if TYPE_CHECKING:  # pragma: no cover
    from .tokens import Tokens

__all__ = ["PERIODS", "group_labels", "group_matrix", "group_counts", "doc_codes", "two_group_codes"]

PERIODS = {"year": "Y", "quarter": "Q", "month": "M", "week": "W", "day": "D"}


def group_labels(metadata: pd.DataFrame, by: str | None, *, warn: bool = True) -> pd.Series:
    """The group of every document: a metadata column, or a period of ``date``.

    ``by`` is a column name, ``None`` (one group "all"), or one of ``"year"``,
    ``"quarter"``, ``"month"``, ``"week"``, ``"day"`` to group by that period of
    the ``date`` column (when no column has that name). Documents with a
    missing value belong to no group, and are counted in a ``UserWarning``
    ("by='outlet': 3 of 120 documents have no 'outlet' value and are in no
    group") and in ``.attrs["no_group"]``; when none has a value, the analysis'
    :func:`~discourse.validation.check_grouping` raises, naming itself.

    A period of ``date`` is the period of each value as read by
    :func:`discourse.dates.to_timestamps` (the UTC time for a value with a zone,
    the time as written otherwise). Documents without a parsable date are
    counted in a ``UserWarning`` ("by='year': 4,444 of 37,554 documents have no
    parsable date and are in no group ...") and in ``.attrs["no_group"]``, with
    the reasons in ``.attrs["why"]``; when no document has one, the analysis'
    :func:`~discourse.validation.check_grouping` raises with them.
    ``warn=False`` leaves the warning to the analysis' entry, which computes the
    labels once for its checks (so one call warns once).
    """
    if by is None:
        return pd.Series("all", index=metadata.index, name="group")
    if by in metadata.columns:
        labels = metadata[by].rename("group")
        n_out, n = int(labels.isna().sum()), len(labels)
        if warn and n_out and n_out < n:  # all missing: the entry's check_grouping raises, naming the function
            warnings.warn(f"by={by!r}: {n_out:,} of {n:,} documents have no {by!r} value and are in no group",
                          UserWarning, stacklevel=2)
        labels.attrs = {"by": by, "no_group": n_out}
        return labels
    if by in PERIODS and "date" in metadata.columns:
        return _period_labels(metadata, by, warn)
    raise missing_column_error(by, metadata.columns, f" (or a period of 'date': {list(PERIODS)})")


def _period_labels(metadata: pd.DataFrame, by: str, warn: bool = True) -> pd.Series:
    """The ``by`` period of every date; the documents in no period counted, warned about, or the error."""
    parsed = to_timestamps(metadata["date"])
    stamps, n = parsed["timestamp"], len(parsed)
    n_out = int(stamps.isna().sum())
    empty = (parsed["status"] == "missing").to_numpy()
    rejected = empty & metadata["date_raw"].notna().to_numpy() if "date_raw" in metadata.columns else empty & False
    parts = [(int((empty & ~rejected).sum()), "without a date"),
             (int(rejected.sum()), "not parsed or implausible when read (see corpus.report)"),
             (n_out - int(empty.sum()), "unparsable, implausible or ambiguous")]
    why = ", ".join(f"{k:,} {what}" for k, what in parts if k)
    if warn and n_out and n_out < n:  # none parsable: the entry's check_grouping raises with this ``why``
        warnings.warn(f"by={by!r}: {n_out:,} of {n:,} documents have no parsable date and are in no group ({why})",
                      UserWarning, stacklevel=3)
    labels = stamps.dt.to_period(PERIODS[by]).astype(str).where(stamps.notna()).rename("group")
    labels.attrs = {"by": by, "no_group": n_out, "why": why,
                    **dict(zip(("no_date", "rejected_when_read", "unparsable"), (k for k, _ in parts)))}
    return labels


def group_matrix(tokens: "Tokens", by: str | None) -> tuple[list[Any], sp.csr_matrix]:
    """Indicator matrix (groups x documents) for :func:`group_labels`; ``None`` -> one group "all"."""
    n = tokens.n_docs
    if by is None:
        return ["all"], sp.csr_matrix(np.ones((1, n), np.int32))
    codes, labels = pd.factorize(group_labels(tokens.metadata, by, warn=False), sort=True)  # the entry warned
    ok = codes >= 0
    g = sp.csr_matrix((np.ones(ok.sum(), np.int32), (codes[ok], np.flatnonzero(ok))), shape=(len(labels), n))
    return list(labels), g


def group_counts(tokens: "Tokens", by: str | None) -> tuple[list[Any], sp.csr_matrix, sp.csr_matrix, np.ndarray]:
    """Per-group term counts, document frequencies and number of documents.

    Returns ``(labels, freq, docfreq, n_docs)`` with ``freq`` and ``docfreq`` as
    groups x terms sparse matrices (int64).
    """
    labels, g = group_matrix(tokens, by)
    freq, docfreq = merge_sum(map_partitions(tokens, _group_part, g))
    n_docs = np.asarray(g.sum(axis=1)).ravel()
    return labels, freq, docfreq, n_docs


def _group_part(part: "Tokens", first: int, g: sp.csr_matrix) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """One partition's share of :func:`group_counts`: its term counts and document frequencies by group."""
    gk = g[:, first:first + part.n_docs]
    present = part.dtm.copy()
    present.data = np.ones_like(present.data)
    return (gk @ part.dtm).astype(np.int64).tocsr(), (gk @ present).astype(np.int64).tocsr()


def doc_codes(tokens: "Tokens", by: str | None) -> tuple[list[Any], np.ndarray]:
    """Group labels and each document's group code (-1: no group)."""
    labels, g = group_matrix(tokens, by)
    coo = g.tocoo()
    codes = np.full(tokens.n_docs, -1, np.int64)
    codes[coo.col] = coo.row
    return labels, codes


def two_group_codes(tokens: "Tokens", by: str, groups: Sequence[Any] | None = None,
                    target: Any = None) -> tuple[Any, Any, np.ndarray]:
    """Labels of groups A and B and each document's code (0 = A, 1 = B, -1 = neither).

    ``groups=(A, B)`` for two values of ``by``; ``target=A`` for A against all
    other documents (B is then ``"rest"``); neither, when ``by`` has exactly two values.
    """
    labels, codes = doc_codes(tokens, by)
    if groups is not None and target is not None:
        raise ValueError("give either groups=(A, B) or target=A (one against the rest), not both")
    if groups is None and target is None:
        if len(labels) != 2:
            raise ValueError(f"{by!r} has {len(labels)} groups {labels[:10]}: choose groups=(A, B) or target=A")
        groups = labels
    if target is not None:
        if target not in labels:
            raise ValueError(f"target {target!r} is not a value of {by!r}: {labels[:20]}")
        t = labels.index(target)
        return target, "rest", np.where(codes == t, 0, np.where(codes >= 0, 1, -1))
    groups = list(groups)
    if len(groups) != 2 or groups[0] == groups[1]:
        raise ValueError(f"groups must be two different values of {by!r}, not {groups!r}")
    missing = [g for g in groups if g not in labels]
    if missing:
        raise ValueError(f"{missing} not values of {by!r}: {labels[:20]}")
    ia, ib = labels.index(groups[0]), labels.index(groups[1])
    return groups[0], groups[1], np.where(codes == ia, 0, np.where(codes == ib, 1, -1))
