"""Keyness plots: diverging keyword bars, effect size against significance, frequency in A against B.

Each function takes the DataFrame of :func:`discourse.keyness.keyness` (one
comparison, or pick one with ``target``/``reference``) and returns a matplotlib Axes.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from .base import safe_label

__all__ = ["keyness_bars", "keyness_volcano", "keyness_scatter"]

_PALETTE = {"over": "#c0392b", "under": "#2c7fb8", "equal": "#7f7f7f"}


def _one_comparison(result: pd.DataFrame, target, reference) -> pd.DataFrame:
    required = {"target", "reference", "term", "direction"}
    if not required <= set(result.columns):
        raise ValueError(f"expected a keyness result with columns {sorted(required)}")
    df = result
    if target is not None:
        df = df[df["target"] == target]
    if reference is not None:
        df = df[df["reference"] == reference]
    pairs = df[["target", "reference"]].drop_duplicates()
    if len(pairs) > 1:
        listed = ", ".join(f"{t} vs {r}" for t, r in pairs.itertuples(index=False))
        raise ValueError(f"the result holds several comparisons ({listed}); choose one with target= and reference=")
    if df.empty:
        raise ValueError("no rows to plot (is the keyword list empty? try keyness(..., keep='all'))")
    return df


def _title(df: pd.DataFrame) -> str:
    return f"{df['target'].iloc[0]} vs {df['reference'].iloc[0]}"


def keyness_bars(result: pd.DataFrame, n: int = 15, *, measure: str = "log_ratio", target=None, reference=None,
                 significant_only: bool = True, ax: plt.Axes | None = None) -> plt.Axes:
    """Diverging bar chart: the ``n`` strongest over- and underused keywords of one comparison.

    Bars extend right for overuse in the target and left for underuse, by
    ``measure`` (a signed effect size, Log Ratio by default).
    """
    df = _one_comparison(result, target, reference)
    if measure not in df.columns:
        raise ValueError(f"no column {measure!r} in the result")
    if significant_only and "significant" in df.columns:
        df = df[df["significant"]]
    over = df[df["direction"] == "over"].nlargest(n, measure)
    under = df[df["direction"] == "under"].nsmallest(n, measure)
    data = pd.concat([over, under.iloc[::-1]])
    if data.empty:
        raise ValueError("no keywords to plot")
    data = data.assign(label=data["term"].map(safe_label))
    if ax is None:
        _, ax = plt.subplots(figsize=(7, max(3, 0.28 * len(data) + 1)))
    sns.barplot(data=data, x=measure, y="label", hue="direction", palette=_PALETTE, dodge=False, ax=ax,
                order=data["label"].tolist())
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set(xlabel=measure.replace("_", " "), ylabel="", title=f"Keywords: {_title(df)}")
    return ax


def keyness_volcano(result: pd.DataFrame, *, effect: str = "log_ratio", p: str = "p_adjusted", label: int = 10,
                    target=None, reference=None, ax: plt.Axes | None = None) -> plt.Axes:
    """Effect size (x) against significance, ``-log10`` of the (adjusted) p-value (y).

    p-values of 0 (below double precision) are drawn at the smallest positive float;
    the ``label`` terms with the largest absolute effect among significant ones are named.
    """
    df = _one_comparison(result, target, reference)
    missing = [c for c in (effect, p) if c not in df.columns]
    if missing:
        raise ValueError(f"no column(s) {missing} in the result")
    df = df.dropna(subset=[effect, p])
    y = -np.log10(np.clip(df[p].to_numpy(dtype=float), np.finfo(float).tiny, 1))
    data = df.assign(neg_log10_p=y)
    hue = "significant" if "significant" in data.columns else "direction"
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 5))
    sns.scatterplot(data=data, x=effect, y="neg_log10_p", hue=hue, s=18, linewidth=0, ax=ax)
    named = data[data[hue]] if hue == "significant" else data
    for row in named.reindex(named[effect].abs().sort_values(ascending=False).index).head(label).itertuples():
        ax.annotate(safe_label(row.term), (getattr(row, effect), row.neg_log10_p), fontsize=8,
                    xytext=(3, 3), textcoords="offset points")
    ax.axvline(0, color="grey", linewidth=0.8)
    ax.set(xlabel=effect.replace("_", " "), ylabel=f"-log10 {p.replace('_', ' ')}", title=_title(df))
    return ax


def keyness_scatter(result: pd.DataFrame, *, label: int = 10, target=None, reference=None,
                    ax: plt.Axes | None = None) -> plt.Axes:
    """Frequency per million in the target (x) against the reference (y), log-log.

    Zero frequencies are drawn at half the smallest non-zero value, on the
    edge of the plot; the diagonal is equal relative frequency. Best on
    ``keyness(..., keep="all")``.
    """
    df = _one_comparison(result, target, reference)
    x, y = df["per_million_target"].to_numpy(float), df["per_million_reference"].to_numpy(float)
    positive = np.r_[x[x > 0], y[y > 0]]
    floor = positive.min() / 2 if positive.size else 1.0
    data = df.assign(x=np.where(x > 0, x, floor), y=np.where(y > 0, y, floor))
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 6))
    hue = data["direction"].where(data["significant"], "not significant") if "significant" in data else data["direction"]
    palette = {**_PALETTE, "not significant": "#bbbbbb"}
    sns.scatterplot(data=data, x="x", y="y", hue=hue, palette=palette, s=14, linewidth=0, ax=ax)
    lim = [floor, max(data["x"].max(), data["y"].max()) * 1.5]
    ax.plot(lim, lim, color="black", linewidth=0.8)
    ax.set(xscale="log", yscale="log", xlim=lim, ylim=lim, title=_title(df),
           xlabel=f"per million, {df['target'].iloc[0]}", ylabel=f"per million, {df['reference'].iloc[0]}")
    if "log_ratio" in data and label:
        for row in data.reindex(data["log_ratio"].abs().sort_values(ascending=False).index).head(label).itertuples():
            ax.annotate(safe_label(row.term), (row.x, row.y), fontsize=8, xytext=(3, 3), textcoords="offset points")
    return ax
