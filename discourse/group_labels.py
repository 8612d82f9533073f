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
3. for ``outlet``, when ``read_corpus(..., outlets=...)`` names a registry, read
   through :mod:`discourse.outlets` (a value the aliases leave alone): every raw
   name gets a row with its rule, mapped or not, and an outlet missing is taken
   from the ``url`` column's registered domain;
4. merged with its case-only variants (``"RT"``/``"rt"``) only when
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
                     case_merge: bool, report: Any, outlets: Any = None) -> pd.DataFrame:
    """``meta`` with the grouping ``columns`` normalised (see the module notes), each change in ``report``.

    ``report`` gets rows in ``report.label_rows`` and a note per label; a column whose values changed
    keeps the values as read in ``<column>_raw`` (inserted after it). ``outlets`` (an
    :class:`discourse.outlets.OutletRegistry`) maps the ``outlet`` values ``aliases`` leave alone, one
    row for every raw name (step ``outlets: <rule>``, unmapped ones kept), and fills a missing outlet
    from the ``url`` column's domain.
    """
    alias_of = {normalise_label(k): v for k, v in (aliases or {}).items()}
    if outlets is not None and "outlet" not in meta.columns and "url" not in meta.columns:
        report.note("outlets: no 'outlet' or 'url' column, the outlet registry was not applied "
                    "(name the outlet column with outlet_column=...)")
    for col in columns:
        if col not in meta.columns:
            continue
        registry = outlets if col == "outlet" else None
        raw = meta[col]
        counts = raw[raw.map(lambda v: isinstance(v, str))].value_counts(sort=False)
        found = {v: _label(v, alias_of, registry) for v in counts.index}
        labels = raw.map(lambda v: found[v][0] if isinstance(v, str) else v)
        rows = [{"column": col, "variant": v, "label": found[v][0], "documents": int(n), "step": found[v][1]}
                for v, n in counts.items() if found[v][0] != v or registry is not None]
        for label in dict.fromkeys(r["label"] for r in rows if r["label"] != r["variant"]):
            merged = [(r["variant"], r["documents"]) for r in rows if r["label"] == label and r["variant"] != label]
            report.note(f"{col}: {_shown(merged)} read as {label!r}")
        if registry is not None:
            _outlet_notes(rows, registry, report)
        labels = _case_variants(col, labels, case_merge, rows, report)
        report.label_rows.extend(rows)
        if not labels.equals(raw):
            meta = meta.assign(**{col: labels.astype(object)})
            if f"{col}_raw" in meta.columns:  # the report still holds every variant
                report.note(f"{col}: values as read not kept in {col + '_raw'!r}, a column of that name exists")
            else:
                meta.insert(meta.columns.get_loc(col) + 1, f"{col}_raw", raw)
    return meta if outlets is None or "url" not in meta.columns else _outlet_from_url(meta, outlets, report)


def _label(value: str, alias_of: dict[str, str], registry: Any) -> tuple[str, str]:
    """``(label, step)`` of one raw value: normalised, then an alias, then (for outlets) the registry."""
    label = normalise_label(value)
    if label in alias_of:
        return alias_of[label], "alias"
    if registry is None:
        return label, "normalised"
    name, rule = registry.match(label)
    return (label if rule == "unmapped" else name), f"outlets: {rule}"


def _outlet_notes(rows: list[dict], registry: Any, report: Any) -> None:
    """One note on what the registry did: names mapped, and every name left unmapped."""
    mapped = [r for r in rows if r["step"] != "outlets: unmapped"]
    left = [(r["variant"], r["documents"]) for r in rows if r["step"] == "outlets: unmapped"]
    report.note(f"outlets: registry {', '.join(registry.files)} (sha256 {registry.sha256[:12]}): "
                f"{len(mapped):,} raw name{'s' if len(mapped) != 1 else ''} mapped to "
                f"{len({r['label'] for r in mapped}):,} outlets ({sum(r['documents'] for r in mapped):,} documents)"
                + (f"; {len(left):,} not in the registry, kept as written: {_shown(left)}" if left else ""))


def _outlet_from_url(meta: pd.DataFrame, registry: Any, report: Any) -> pd.DataFrame:
    """A missing ``outlet`` taken from the registered domain of ``url``; each host reported, mapped or not."""
    outlet = meta["outlet"] if "outlet" in meta.columns else pd.Series(None, index=meta.index, dtype=object)
    empty = outlet.map(lambda v: not isinstance(v, str) or not v.strip()) & meta["url"].map(
        lambda v: isinstance(v, str) and bool(v.strip()))
    if not empty.any():
        return meta
    from_url = meta.loc[empty, "url"].map(registry.from_domain)
    hosts = meta.loc[empty, "url"].map(lambda v: registry.host(v) or v)
    for host, n in hosts.value_counts(sort=False).items():
        name = from_url[hosts == host].iloc[0]
        name = name if isinstance(name, str) else None
        report.label_rows.append({"column": "outlet", "variant": host, "label": name, "documents": int(n),
                                  "step": "outlets: domain from url" if name else "outlets: url domain unmapped"})
    n_mapped = int(from_url.notna().sum())
    report.note(f"outlets: {int(empty.sum()):,} documents without an outlet: {n_mapped:,} taken from the domain of "
                f"their url" + (f", {int(empty.sum()) - n_mapped:,} left empty (domain not in the registry)"
                                 if n_mapped < empty.sum() else ""))
    filled = outlet.astype(object).copy()
    filled.loc[from_url.index[from_url.notna()]] = from_url[from_url.notna()]
    return meta.assign(outlet=filled)


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
