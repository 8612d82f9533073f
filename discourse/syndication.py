"""Wire credits and the syndication share of each outlet (:func:`discourse.dedup.dedup` marks, this module counts).

A near-duplicate cluster spanning two or more outlets is syndicated copy, the
same (usually wire) text run by several outlets; :func:`wire_credit` names
the agency where the text or byline says so, from the small documented list
:data:`WIRE_PATTERNS`. :func:`syndication_share` reports, per outlet, how many
documents and tokens are syndicated.
"""
from __future__ import annotations

import re
from typing import Any, Sequence

import numpy as np
import pandas as pd

__all__ = ["WIRE_PATTERNS", "wire_credit", "wire_credits", "syndication_share"]

_DASH = r"\s*[-\u2013\u2014]"
# agency -> patterns; searched in the first and last 400 characters of the text and in the byline.
# Datelines "CITY (AP) —", "CITY (Reuters) -", "(AFP) -"; credit lines "Reporting by ...; Editing by ...",
# "— Agence France-Presse", "Associated Press" bylines and "The Associated Press contributed to this report".
WIRE_PATTERNS: dict[str, tuple[str, ...]] = {
    "AP": (r"\(AP\)" + _DASH, r"\bAssociated Press\b", r"^\s*By\s+(?:The\s+)?AP\b"),
    "Reuters": (r"\(Reuters\)" + _DASH, r"\bThomson Reuters\b", r"\bReporting by\b[^\n]{0,200}\bEditing by\b",
                r"^\s*(?:By\s+)?Reuters\s*$", r"[-\u2013\u2014]\s*Reuters\s*$"),
    "AFP": (r"\(AFP\)" + _DASH, r"\bAgence France[- ]Presse\b", r"[-\u2013\u2014]\s*AFP\s*$", r"^\s*(?:By\s+)?AFP\s*$"),
    "Bloomberg": (r"\(Bloomberg\)" + _DASH, r"^\s*By\s+Bloomberg\b", r"\bBloomberg News\s*$"),
    "UPI": (r"\(UPI\)" + _DASH, r"\bUnited Press International\b"),
    "dpa": (r"\(dpa\)" + _DASH, r"\bDeutsche Presse-Agentur\b"),
}
_COMPILED = {wire: [re.compile(p, re.MULTILINE) for p in pats] for wire, pats in WIRE_PATTERNS.items()}
_EDGE = 400   # characters at the head and the tail of a text where datelines and credit lines sit


def wire_credit(text: str, byline: Any = None) -> str | None:
    """The first agency of :data:`WIRE_PATTERNS` credited in ``text``'s head or tail or in ``byline``; None if none.

    Several credits (an AP story with Reuters material) are joined with ``"+"``
    in the order of :data:`WIRE_PATTERNS`.
    """
    text = text or ""
    where = [text[:_EDGE], text[-_EDGE:] if len(text) > _EDGE else ""]
    if isinstance(byline, str) and byline:
        where.append(byline)
    found = [wire for wire, pats in _COMPILED.items() if any(p.search(w) for p in pats for w in where if w)]
    return "+".join(found) if found else None


def wire_credits(texts: Sequence[str], bylines: Sequence[Any] | None = None) -> list[str | None]:
    """:func:`wire_credit` of every text (with its byline when given)."""
    bylines = [None] * len(texts) if bylines is None else list(bylines)
    return [wire_credit(t, b) for t, b in zip(texts, bylines)]


def syndication_share(result: Any, by: str = "outlet") -> pd.DataFrame:
    """Per outlet: documents and tokens read, how many are syndicated, and their shares.

    Parameters
    ----------
    result : Deduplication
        The result of :func:`discourse.dedup.dedup` (its ``documents`` table, one
        row per document read, with ``syndicated``, ``wire`` and ``tokens``).
    by : str
        The outlet column.

    Returns
    -------
    DataFrame
        One row per outlet: ``documents``, ``syndicated_documents``,
        ``document_share`` (syndicated / documents), ``tokens``,
        ``syndicated_tokens``, ``token_share``, and ``wire_credited``
        (documents with a wire credit in the text, syndicated or not) and
        ``wires`` (the agencies credited, by count). A last row ``(all)``
        totals the corpus. Shares of an outlet with no tokens are NaN.
    """
    from .validation import require_column

    docs = result.documents
    require_column(docs, by)
    d = docs.assign(_outlet=docs[by].astype(object).where(docs[by].notna(), "(none)"),
                    _syn_tokens=np.where(docs["syndicated"], docs["tokens"], 0),
                    _wired=docs["wire"].notna())
    g = d.groupby("_outlet", sort=True)
    out = pd.DataFrame({
        "documents": g.size(),
        "syndicated_documents": g["syndicated"].sum().astype(int),
        "tokens": g["tokens"].sum().astype(int),
        "syndicated_tokens": g["_syn_tokens"].sum().astype(int),
        "wire_credited": g["_wired"].sum().astype(int),
        "wires": g["wire"].agg(lambda s: ", ".join(f"{k} ({v})" for k, v in s.value_counts().items())),
    })
    total = out[["documents", "syndicated_documents", "tokens", "syndicated_tokens", "wire_credited"]].sum()
    out.loc["(all)"] = list(total) + [", ".join(f"{k} ({v})" for k, v in d["wire"].value_counts().items())]
    out["document_share"] = out["syndicated_documents"] / out["documents"]
    out["token_share"] = out["syndicated_tokens"] / out["tokens"].where(out["tokens"] > 0)
    out = out[["documents", "syndicated_documents", "document_share", "tokens", "syndicated_tokens",
               "token_share", "wire_credited", "wires"]]
    out.index.name = by
    out = out.reset_index()
    out.attrs = {"analysis": "syndication_share", "by": by, **{k: v for k, v in result.audit.attrs.items()
                                                              if k in ("threshold", "shingle", "num_perm")}}
    return out
