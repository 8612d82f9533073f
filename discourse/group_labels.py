"""Group labels: the metadata values analyses group by, read as one label per group.

An outlet written ``"RT"``, ``"RT "``, ``"R\\u200bT"`` (a zero-width space) or
``"ＲＴ"`` (fullwidth) is one outlet; left as read, ``by="outlet"`` would split it
into four groups. At read time each value of a grouping column
(``group_columns``, default ``("outlet",)``) is therefore:

1. normalised: Unicode NFKC (compatibility forms such as fullwidth letters and the
   no-break space to their plain form; Unicode Standard Annex #15), invisible
   format characters (category ``Cf``: zero-width, bidi controls, BOM, soft hyphen)
   removed, runs of whitespace made one space, ends stripped;
2. mapped through the ``aliases`` (``{"Fox Online News": "Fox News"}``), whose
   keys are normalised the same way;
3. merged with its case-only variants (``"RT"``/``"rt"``) only when
   ``case_merge=True``, to the most frequent spelling (the first read on a tie).
   Case variants are always reported, merged or not.

Every value changed is reported (``corpus.report.labels``: column, variant,
label, documents, step; one note per label in ``corpus.report.notes``), and the
value as read is kept in a column ``<column>_raw`` whenever one changed, so
nothing is lost silently. Clean labels are left exactly as they are.
"""
from __future__ import annotations

import unicodedata
from typing import Any, Mapping

import pandas as pd

__all__ = ["LABEL_COLUMNS", "normalise_label", "check_aliases", "normalise_groups"]

LABEL_COLUMNS = ["column", "variant", "label", "documents", "step"]


def normalise_label(value: Any) -> Any:
    """NFKC, format (``Cf``) characters removed, whitespace collapsed and stripped; a non-string is returned as is."""
    if not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFKC", value)
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return " ".join(text.split())  # str.split knows every Unicode space (NBSP, thin space, ideographic)


def check_aliases(aliases: Any) -> dict[str, str] | None:
    """``aliases`` as a dict of label -> label (``None`` for none); ``ValueError`` naming the bad entry."""
    if aliases is None:
        return None
    if not isinstance(aliases, Mapping):
        raise ValueError(f"aliases must be a mapping of label -> label, such as {{'Fox Online News': 'Fox News'}}, "
                         f"not {aliases!r}")
    for key, value in aliases.items():
        if not isinstance(key, str) or not isinstance(value, str) or not value.strip():
            raise ValueError(f"aliases must map a label to a label (both strings), not {key!r}: {value!r}")
    return dict(aliases)


def _shown(variants: list[tuple[Any, int]]) -> str:
    return ", ".join(f"{v!r} ({n:,})" for v, n in variants)


def normalise_groups(meta: pd.DataFrame, columns: tuple[str, ...], aliases: dict[str, str] | None,
                     case_merge: bool, report: Any) -> pd.DataFrame:
    """``meta`` with the grouping ``columns`` normalised (see the module notes), each change in ``report``.

    ``report`` gets rows in ``report.label_rows`` and a note per label; a column whose values changed
    keeps the values as read in ``<column>_raw`` (inserted after it).
    """
    alias_of = {normalise_label(k): v for k, v in (aliases or {}).items()}
    for col in columns:
        if col not in meta.columns:
            continue
        raw = meta[col]
        labels = raw.map(normalise_label).map(lambda v: alias_of.get(v, v) if isinstance(v, str) else v)
        rows: list[dict] = []
        counts = raw[raw.map(lambda v: isinstance(v, str))].value_counts(sort=False)
        for variant, n in counts.items():
            label = alias_of.get(normalise_label(variant), normalise_label(variant))
            if label != variant:
                step = "alias" if normalise_label(variant) in alias_of else "normalised"
                rows.append({"column": col, "variant": variant, "label": label, "documents": int(n), "step": step})
        for label in dict.fromkeys(r["label"] for r in rows if r["step"] in {"normalised", "alias"}):
            merged = [(r["variant"], r["documents"]) for r in rows
                      if r["label"] == label and r["step"] in {"normalised", "alias"}]
            report.note(f"{col}: {_shown(merged)} read as {label!r}")
        labels = _case_variants(col, labels, case_merge, rows, report)
        report.label_rows.extend(rows)
        if not labels.equals(raw):
            meta = meta.assign(**{col: labels.astype(object)})
            if f"{col}_raw" in meta.columns:  # the report still holds every variant
                report.note(f"{col}: values as read not kept in {col + '_raw'!r}, a column of that name exists")
            else:
                meta.insert(meta.columns.get_loc(col) + 1, f"{col}_raw", raw)
    return meta


def _case_variants(col: str, labels: pd.Series, case_merge: bool, rows: list[dict], report: Any) -> pd.Series:
    """Case-only variants among ``labels``: always reported, merged to the most frequent only with ``case_merge``."""
    counts = labels[labels.map(lambda v: isinstance(v, str))].value_counts(sort=False)
    groups: dict[str, list[tuple[str, int]]] = {}
    for label, n in counts.items():
        groups.setdefault(label.casefold(), []).append((label, int(n)))
    target: dict[str, str] = {}
    for variants in groups.values():
        if len(variants) < 2:
            continue
        keep = max(variants, key=lambda vn: vn[1])[0]  # max keeps the first on a tie: the first read
        if case_merge:
            target.update({v: keep for v, _ in variants if v != keep})
            rows.extend({"column": col, "variant": v, "label": keep, "documents": n, "step": "case"}
                        for v, n in variants if v != keep)
            report.note(f"{col}: case variants {_shown(variants)} merged as {keep!r} (case_merge=True)")
        else:
            rows.extend({"column": col, "variant": v, "label": v, "documents": n, "step": "case variant, not merged"}
                        for v, n in variants)
            report.note(f"{col}: case variants {_shown(variants)} kept apart (pass case_merge=True to merge them)")
    return labels.map(lambda v: target.get(v, v) if isinstance(v, str) else v) if target else labels
