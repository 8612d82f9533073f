"""Corpus overviews and notebook-parameter helpers: what a corpus holds and what it can support.

:func:`documents_table` and :func:`audit_summary` describe the documents and
what cleaning removed; :func:`scope_note` says whether the corpus supports
description or inference; :func:`comparison_groups` and :func:`resolve_node`
keep a notebook running when its parameters do not fit
another corpus (and say so); :func:`group_names` lists the groups a heading names.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pandas as pd

from .render import render
from .validation import require_column

__all__ = ["documents_table", "audit_summary", "Note", "scope_note", "comparison_groups", "resolve_node",
           "group_names"]


def documents_table(tokens: Any, columns: Sequence[str] = ("outlet", "date", "title")) -> pd.DataFrame:
    """One row per document: metadata, tokens counted, distinct terms, characters removed by cleaning.

    Columns ``doc_id``, the requested metadata ``columns`` that exist, ``tokens``,
    ``types``, ``characters`` (cleaned text), ``removed_spans`` and
    ``removed_characters`` (from the cleaning audit; 0 without one).
    """
    meta = tokens.metadata
    out = pd.DataFrame({"doc_id": meta.index.astype(str)})
    for col in columns:
        if col in meta.columns:
            out[col] = meta[col].to_numpy()
    out["tokens"] = tokens.doc_lengths
    out["types"] = np.diff(tokens.dtm.indptr)
    out["characters"] = [len(t) for t in tokens.texts]
    audit = getattr(tokens, "audit", None)
    if audit is not None and len(audit):
        per_doc = audit.assign(chars=audit["end"] - audit["start"]).groupby("doc_id").agg(
            removed_spans=("rule", "size"), removed_characters=("chars", "sum"))
        out = out.join(per_doc, on="doc_id")
    out["removed_spans"] = out.get("removed_spans", pd.Series(0, index=out.index)).fillna(0).astype(int)
    out["removed_characters"] = out.get("removed_characters", pd.Series(0, index=out.index)).fillna(0).astype(int)
    out.attrs = {"analysis": "documents", "documents": len(out), "tokens": int(out["tokens"].sum())}
    return out


def audit_summary(data: Any, by: str | None = "outlet") -> pd.DataFrame:
    """The cleaning audit summarised: one row per (group, rule).

    ``data`` is a cleaned Corpus or its Tokens. Columns ``group`` (value of
    ``by``; "all" without it), ``rule``, ``spans``, ``characters`` removed,
    ``documents`` affected and the rule's ``description`` (from the cleaning
    profiles file).
    """
    from .cleaning import load_profiles

    audit = getattr(data, "audit", None)
    cols = ["group", "rule", "spans", "characters", "documents", "description"]
    if audit is None:
        raise ValueError("no cleaning audit: run discourse.clean() on the corpus first")
    meta = data.metadata
    if by is not None:
        require_column(meta, by)
    a = audit.assign(characters=audit["end"] - audit["start"],
                     group=meta[by].reindex(audit["doc_id"]).to_numpy() if by else "all")
    out = (a.groupby(["group", "rule"], dropna=False)
            .agg(spans=("rule", "size"), characters=("characters", "sum"), documents=("doc_id", "nunique"))
            .reset_index() if len(a) else pd.DataFrame(columns=cols[:-1]))
    cleaning = (getattr(data, "params", {}) or {}).get("cleaning", {})
    profiles = cleaning.get("profiles", "default")
    try:
        rules = load_profiles(profiles if profiles != "custom" else "default")["rules"]
    except (OSError, ValueError):
        rules = {}
    described = {**{k: v.get("description", "") for k, v in rules.items()},
                 "recurring_line": "a line recurring across many documents of one group (boilerplate)"}
    out["description"] = out["rule"].map(described).fillna("")
    out = out.sort_values(["group", "characters"], ascending=[True, False], kind="stable").reset_index(drop=True)
    out.attrs = {"analysis": "cleaning_audit", "by": by, "spans": int(len(audit)),
                 "characters_removed": int((audit["end"] - audit["start"]).sum()), "profiles": str(profiles)}
    return out[cols]


class Note:
    """A short note: plain ``text``, and the same note as escaped HTML (``html``) for Jupyter.

    Never Markdown: a note names groups, and a group name is data, which a
    Markdown renderer would turn into live links, images or typeset mathematics.
    """

    def __init__(self, text: str, html: str) -> None:
        self.text, self.html = text, html

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text


_VERDICTS = (  # (documents in the smallest group below which it applies, the verdict, its advice)
    (2, "Description, not inference.",
     "At least one group is a single article, so every difference reported here describes these texts; it cannot be "
     "generalised to the outlet, and p-values of token-level statistics (which treat tokens as independent) overstate "
     "the evidence. Use effect sizes and concordance lines to describe, not to test."),
    (10, "Mostly descriptive.",
     "With fewer than ten documents in some group, treat significance as a ranking device, and check how many "
     "documents carry each key item (range, dispersion) before calling it typical of an outlet."),
    (None, "Comparison across outlets is possible",
     "with care: token-level p-values still assume independent tokens, so prefer effect sizes, document-level "
     "dispersion and the concordance lines that show what a number means."),
)


def scope_note(tokens: Any, by: str = "outlet") -> Note:
    """What the corpus can support: description or inference, given documents per group.

    Token-level tests (log-likelihood, chi-squared, MI) treat tokens as
    independent draws, which they are not within a text; with one text per
    group, any difference may be a property of that text rather than of the
    outlet (Brezina 2018, ch. 3; Lijffijt et al. 2016), so results are
    descriptive. The note is computed from the corpus, so it stays true when
    the notebook runs on another corpus.
    """
    meta = tokens.metadata
    require_column(meta, by)
    sizes = meta[by].value_counts(dropna=True).sort_index()
    tok = pd.Series(tokens.doc_lengths, index=meta.index).groupby(meta[by].to_numpy()).sum()
    groups = [{"name": str(g), "documents": int(n), "tokens": int(tok.get(g, 0))} for g, n in sizes.items()]
    smallest = int(sizes.min()) if len(sizes) else 0
    verdict, advice = next((v, a) for below, v, a in _VERDICTS if below is None or smallest < below)
    listed = "; ".join(f"{g['name']}: {g['documents']:,} document{'s' if g['documents'] != 1 else ''}, "
                       f"{g['tokens']:,} tokens" for g in groups)
    text = f"Corpus: {len(meta):,} documents in {len(groups)} {by} groups ({listed}).\n\n{verdict} {advice}"
    return Note(text, render("scope_note.html.j2", documents=len(meta), by=by, groups=groups, verdict=verdict,
                             advice=advice))


# --------------------------------------------------------------------------- notebook parameters
def comparison_groups(tokens: Any, by: str, target: Any, reference: Any) -> tuple[Any, Any]:
    """The target and reference groups to compare, falling back when they are not in the corpus.

    Lets a notebook switch to another corpus by changing ``corpus_path`` only:
    when ``target`` (or ``reference``, unless ``"rest"``) is not a value of
    ``by``, the two largest groups (by tokens) are used instead, and a note
    says so. Raises ``ValueError`` when the corpus has fewer than two groups.
    """
    meta = tokens.metadata
    require_column(meta, by)
    sizes = pd.Series(tokens.doc_lengths, index=meta.index).groupby(meta[by].to_numpy()).sum()
    sizes = sizes.sort_values(ascending=False, kind="stable")
    if len(sizes) < 2:
        raise ValueError(f"comparison needs at least two {by} groups; the corpus has {list(sizes.index)}")
    order = list(sizes.index)
    new_target = target if target in order else order[0]
    new_reference = reference if reference == "rest" or (reference in order and reference != new_target) \
        else next(g for g in order if g != new_target)
    if (new_target, new_reference) != (target, reference):
        print(f"Note: {by} groups {target!r} vs {reference!r} cannot be compared in this corpus; comparing "
              f"{new_target!r} with {new_reference!r} (the largest groups). Set target and reference in the "
              "parameters cell to choose.")
    return new_target, new_reference


def resolve_node(tokens: Any, node: Any, *, by: str | None = None, groups: Sequence[Any] = ()) -> Any:
    """The node query if it occurs in the corpus, else the most frequent content word shared by ``groups``.

    A fallback keeps an unattended report running on a new corpus; it is announced,
    and the framing notebook's node should then be set to what the research is about.
    """
    from .query import find
    from .stopwords import english_stopwords

    if len(find(tokens, node).start):
        return node
    from .partitions import term_totals

    counts = term_totals(tokens)
    if by is not None and groups:
        from .grouping import group_counts

        labels, freq, _, _ = group_counts(tokens, by)
        rows = [labels.index(g) for g in groups if g in labels]
        if rows:  # shared: present in every compared group
            counts = np.where(np.asarray((freq[rows] > 0).sum(axis=0)).ravel() == len(rows), counts, 0)
    stop = english_stopwords()
    vocab = tokens.vocab.to_numpy()
    for i in np.argsort(-counts, kind="stable"):
        term = str(vocab[i])
        if counts[i] > 0 and term.isalpha() and term not in stop:
            print(f"Note: the node {node!r} does not occur in this corpus; using {term!r}, its most frequent "
                  "shared content word. Set node in the parameters cell to what the study is about.")
            return term
    raise ValueError(f"the node {node!r} does not occur in this corpus, and no content word could replace it")


def group_names(data: Any, by: str) -> list[Any]:
    """The values of the metadata column ``by`` (missing values left out), the group with most documents first."""
    meta = data.metadata
    require_column(meta, by)
    return list(meta[by].value_counts(dropna=True, sort=True).index)
