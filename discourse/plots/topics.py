"""Topic-model plots: prevalence by group with intervals, top terms per topic, the K sweep.

Each function takes a result DataFrame of :mod:`discourse.topics` and returns
matplotlib Axes (an array of Axes for the multi-panel plots); a table without rows gives
an Axes that says so. Figures use constrained layout, so legends and labels stay inside.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from .base import empty_axes, figure_axes, fit_markers, place_legend, require_result, short_label

__all__ = ["plot_prevalence", "plot_topic_terms", "plot_k_sweep"]


def plot_prevalence(prevalence: pd.DataFrame, *, topics=None, ax: plt.Axes | None = None) -> plt.Axes:
    """Mean topic share by group with its bootstrap interval (from :func:`topic_prevalence`).

    One row per topic, one colour per group, points dodged vertically.
    """
    require_result(prevalence, "a topic_prevalence result", columns={"group", "topic", "label", "share", "ci_low", "ci_high"})
    df = prevalence if topics is None else prevalence[prevalence["topic"].isin(list(topics))]
    groups = list(pd.unique(df["group"]))
    labels = list(pd.unique(df.sort_values("topic")["label"]))
    ax = figure_axes(ax, (7.5, max(3.0, 0.45 * len(labels) * max(1, len(groups) / 2) + 1.4)))
    ci = prevalence.attrs.get("ci", 0.95)
    if df.empty:
        return empty_axes(ax, "no topics in the table", title="Topic prevalence")
    palette = dict(zip(groups, sns.color_palette(n_colors=len(groups))))
    width = 0.6
    offset = {g: (i - (len(groups) - 1) / 2) * width / max(len(groups), 1) for i, g in enumerate(groups)}
    row = {lab: i for i, lab in enumerate(labels)}
    y = df["label"].map(row).to_numpy(float) + df["group"].map(offset).to_numpy(float)
    ax.hlines(y, df["ci_low"], df["ci_high"], colors=df["group"].map(palette).tolist(), linewidth=1.5)
    names = {g: short_label(g) for g in groups}
    sns.scatterplot(x=df["share"].to_numpy(), y=y, hue=df["group"].map(names).to_numpy(),
                    palette={names[g]: c for g, c in palette.items()}, ax=ax, zorder=3, s=30)
    ax.set_yticks(range(len(labels)), [short_label(lab, 50) for lab in labels])
    ax.invert_yaxis()
    # an interval that could not be estimated (one document per group) is NaN: the label says so
    estimated = df[["ci_low", "ci_high"]].notna().all(axis=1)
    ax.set_xlabel(f"mean topic share ({ci:.0%} bootstrap interval)" if estimated.all() else
                  "mean topic share (no interval where a group has one document)" if not estimated.any() else
                  f"mean topic share ({ci:.0%} bootstrap interval; none where a group has one document)")
    ax.set_ylabel("")
    place_legend(ax, title=short_label(prevalence.attrs.get("by") or "group"))
    fit_markers(ax)
    return ax


def plot_topic_terms(terms: pd.DataFrame, *, topics=None, n: int = 10, col_wrap: int = 4,
                     value: str = "probability") -> np.ndarray:
    """Bar charts of the top terms of each topic (from :func:`topic_terms`), one panel per topic.

    Bars show ``value`` (``"probability"``, ``"lift"`` or ``"relevance"``) in
    the relevance order of the table. Returns the array of Axes.
    """
    require_result(terms, "a topic_terms result", columns={"topic", "label", "rank", "term", value})
    df = terms[terms["rank"] <= n]
    if topics is not None:
        df = df[df["topic"].isin(list(topics))]
    ids = sorted(pd.unique(df["topic"]))
    if not ids:
        return np.array([empty_axes(figure_axes(None, (6.0, 3.0)), "no topics in the table", title="Topic terms")])
    ncol = min(col_wrap, len(ids))
    nrow = int(np.ceil(len(ids) / ncol))
    fig, axes = plt.subplots(nrow, ncol, figsize=(3.4 * ncol, 0.28 * n * nrow + 1.0 * nrow + 0.4), squeeze=False,
                             layout="constrained")
    for ax, k in zip(axes.ravel(), ids):
        part = df[df["topic"] == k].sort_values("rank")
        sns.barplot(x=part[value].to_numpy(), y=[short_label(t, 24) for t in part["term"]], ax=ax, color="#4c72b0")
        ax.set_title(short_label(part["label"].iloc[0], 36), fontsize="small")
        ax.set_xlabel(value)
    for ax in axes.ravel()[len(ids):]:
        ax.set_visible(False)
    lam = terms.attrs.get("lambda")
    if lam is not None:
        fig.suptitle(f"Top terms by relevance (λ = {lam})", fontsize="medium")
    return axes.ravel()[:len(ids)]


def plot_k_sweep(sweep: pd.DataFrame) -> np.ndarray:
    """Coherence, held-out perplexity and stability against K (from :func:`choose_k`).

    One panel per measure; the line is the mean over seeds with the seeds'
    spread (seaborn's standard-deviation band). Returns the array of Axes.
    """
    require_result(sweep, "a choose_k result", columns={"k", "seed"})
    measures = [m for m in ("c_npmi", "u_mass", "c_v", "c_uci", "perplexity", "stability") if m in sweep.columns]
    if sweep.empty or not measures:
        return np.array([empty_axes(figure_axes(None, (6.0, 3.0)), "no models in the sweep", title="Choosing K")])
    fig, axes = plt.subplots(1, len(measures), figsize=(3.4 * len(measures), 3.2), squeeze=False, layout="constrained")
    axes = axes.ravel()
    better = {"perplexity": "lower is better"}
    for ax, m in zip(axes, measures):
        sns.lineplot(data=sweep, x="k", y=m, marker="o", errorbar="sd", ax=ax)
        ax.set_title(f"{m} ({better.get(m, 'higher is better')})", fontsize="small")
        ax.set_xlabel("number of topics K")
        ax.set_xticks(sorted(pd.unique(sweep["k"])))
    return axes
