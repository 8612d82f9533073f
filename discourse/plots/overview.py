"""Corpus overview plots: document lengths, cleaning audit, most frequent terms.

Each function takes a result DataFrame and returns a matplotlib Axes; a table without
rows gives an Axes that says so. Group names and terms are shortened and escaped
(:func:`~discourse.plots.base.short_label`).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

from .base import empty_axes, figure_axes, place_legend, short_label

__all__ = ["document_lengths", "cleaning_audit", "top_terms", "syndication_bars"]


def document_lengths(documents: pd.DataFrame, by: str = "outlet", ax: Axes | None = None) -> Axes:
    """Tokens per document by group (one dot per document, bar = mean).

    ``documents`` is :func:`discourse.display.documents_table`.
    """
    if by not in documents.columns:
        raise KeyError(f"no column {by!r} in the documents table; columns are {list(documents.columns)}")
    # a document without a group value is shown as "—", not dropped
    data = documents.assign(**{by: documents[by].map(lambda v: "—" if pd.isna(v) else short_label(v))})
    order = sorted(data[by].unique())
    ax = figure_axes(ax, (7.5, max(3.0, 1.4 + 0.45 * len(order))))
    if data.empty:
        return empty_axes(ax, "no documents", title="Document length")
    sns.barplot(data=data, x="tokens", y=by, order=order, errorbar=None, color="0.85", ax=ax)
    # seaborn jitters with numpy's global generator: a fixed seed makes the figure reproducible,
    # and the caller's generator state is put back afterwards
    state = np.random.get_state()
    try:
        np.random.seed(0)
        sns.stripplot(data=data, x="tokens", y=by, order=order, color="0.2", size=4, ax=ax)
    finally:
        np.random.set_state(state)
    ax.set(xlabel="tokens counted per document", ylabel=short_label(by), title="Document length")
    return ax


def cleaning_audit(summary: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Characters removed by each cleaning rule, per group.

    ``summary`` is :func:`discourse.display.audit_summary`.
    """
    ax = figure_axes(ax, (7.5, 1.4 + 0.45 * max(1, summary["rule"].nunique())))
    if summary.empty:
        return empty_axes(ax, "nothing removed", title="What cleaning removed")
    data = summary.assign(group=summary["group"].astype(str).map(short_label), rule=summary["rule"].map(short_label))
    sns.barplot(data=data, x="characters", y="rule", hue="group", errorbar=None, ax=ax)
    ax.set(xlabel="characters removed", ylabel="cleaning rule", title="What cleaning removed")
    place_legend(ax, title=short_label(summary.attrs.get("by") or "group"))
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
    data = freq[freq["term"].isin(terms)].assign(group=lambda d: d["group"].astype(str).map(short_label))
    # terms are untrusted text: a "$" must not switch matplotlib to mathtext
    data = data.assign(term=data["term"].map(short_label))
    terms = list(dict.fromkeys(short_label(t) for t in terms))
    groups = max(1, data["group"].nunique())
    ax = figure_axes(ax, (7.5, max(3.0, 1.4 + 0.12 * len(terms) * (1 + groups))))
    title = f"Top {n} terms per group"
    if data.empty:
        return empty_axes(ax, "no terms in the table", title=title)
    sns.barplot(data=data, x=measure, y="term", hue="group", order=terms, errorbar=None, ax=ax)
    ax.set(xlabel=measure.replace("_", " "), ylabel="", title=title)
    place_legend(ax, title=short_label(freq.attrs.get("by") or "group"))
    return ax


def syndication_bars(share: pd.DataFrame, measure: str = "token_share", ax: Axes | None = None) -> Axes:
    """The share of each outlet's text that is syndicated (the same wire text run by several outlets).

    ``share`` is :func:`discourse.syndication_share` (``Deduplication.syndication_share()``); ``measure``
    is ``token_share`` (share of the outlet's tokens, default) or ``document_share``. The ``(all)`` row is
    the dashed line; each bar is labelled with its syndicated and total counts.
    """
    if measure not in ("token_share", "document_share"):
        raise KeyError(f"no measure {measure!r}; choose 'token_share' or 'document_share'")
    by = share.attrs.get("by") or share.columns[0]
    rows = share[share[by] != "(all)"]
    ax = figure_axes(ax, (7.5, max(2.5, 1.4 + 0.4 * len(rows))))
    title = "Syndicated text by " + short_label(by)
    if rows.empty:
        return empty_axes(ax, "no outlets in the table", title=title)
    unit = "tokens" if measure == "token_share" else "documents"
    labels = [short_label(v) for v in rows[by]]
    y = np.arange(len(rows))
    ax.barh(y, rows[measure].fillna(0).to_numpy(), color="0.55")
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    for i, (n, total) in enumerate(zip(rows[f"syndicated_{unit}"], rows[unit])):
        ax.annotate(f"{n:,} of {total:,}", (0, i), xytext=(3, 0), textcoords="offset points", va="center",
                    fontsize=8)
    whole = share.loc[share[by] == "(all)", measure]
    if len(whole) and pd.notna(whole.iloc[0]):
        ax.axvline(whole.iloc[0], color="0.2", linestyle="--", linewidth=1, label="whole corpus")
        place_legend(ax)
    ax.set(xlim=(0, 1), xlabel=f"share of {unit} syndicated", ylabel="", title=title)
    return ax
