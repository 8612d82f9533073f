"""Corpus overview plots: document lengths, cleaning audit, most frequent terms.

Each function takes a result DataFrame and returns a matplotlib Axes.
"""
from __future__ import annotations

import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

from .base import figure_axes, safe_label

__all__ = ["document_lengths", "cleaning_audit", "top_terms"]




def document_lengths(documents: pd.DataFrame, by: str = "outlet", ax: Axes | None = None) -> Axes:
    """Tokens per document by group (one dot per document, bar = mean).

    ``documents`` is :func:`discourse.display.documents_table`.
    """
    if by not in documents.columns:
        raise KeyError(f"no column {by!r} in the documents table; columns are {list(documents.columns)}")
    ax = figure_axes(ax, (7.5, 4.0))
    order = sorted(documents[by].dropna().astype(str).unique())
    data = documents.assign(**{by: documents[by].astype(str)})
    sns.barplot(data=data, x="tokens", y=by, order=order, errorbar=None, color="0.85", ax=ax)
    sns.stripplot(data=data, x="tokens", y=by, order=order, color="0.2", size=4, ax=ax)
    ax.set(xlabel="tokens counted per document", ylabel=by, title="Document length")
    return ax


def cleaning_audit(summary: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Characters removed by each cleaning rule, per group.

    ``summary`` is :func:`discourse.display.audit_summary`.
    """
    ax = figure_axes(ax, (7.5, 0.6 + 0.45 * max(1, summary["rule"].nunique())))
    if summary.empty:
        ax.text(0.5, 0.5, "nothing removed", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return ax
    sns.barplot(data=summary.assign(group=summary["group"].astype(str)), x="characters", y="rule",
                hue="group", errorbar=None, ax=ax)
    ax.set(xlabel="characters removed", ylabel="cleaning rule", title="What cleaning removed")
    return ax


def top_terms(freq: pd.DataFrame, n: int = 15, measure: str = "per_million", ax: Axes | None = None) -> Axes:
    """The ``n`` most frequent terms of each group, side by side.

    ``freq`` is :func:`discourse.frequencies`; ``measure`` is ``per_million``
    (comparable across groups of different size) or ``freq``.
    """
    if measure not in freq.columns:
        raise KeyError(f"no column {measure!r}; choose 'per_million' or 'freq'")
    top = freq[freq["rank"] <= n]
    terms = (top.groupby("term")[measure].sum().sort_values(ascending=False, kind="stable").index.tolist())
    data = freq[freq["term"].isin(terms)].assign(group=lambda d: d["group"].astype(str))
    # terms are untrusted text: a "$" must not switch matplotlib to mathtext
    data = data.assign(term=data["term"].map(safe_label))
    terms = [safe_label(t) for t in terms]
    ax = figure_axes(ax, (7.5, 1.0 + 0.25 * len(terms)))
    sns.barplot(data=data, x=measure, y="term", hue="group", order=terms, errorbar=None, ax=ax)
    ax.set(xlabel=measure.replace("_", " "), ylabel="", title=f"Top {n} terms per group")
    return ax
