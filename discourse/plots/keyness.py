"""Keyness plots: diverging keyword bars, effect size against significance, frequency in A against B.

Each function takes the DataFrame of :func:`discourse.keyness.keyness` (one
comparison, or pick one with ``target``/``reference``) and returns a matplotlib Axes.
A table without rows gives an Axes that says so.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from .base import empty_axes, figure_axes, fit_markers, place_labels, place_legend, short_label

__all__ = ["keyness_bars", "keyness_volcano", "keyness_scatter"]

_PALETTE = {"over": "#c0392b", "under": "#2c7fb8", "equal": "#7f7f7f"}
_EMPTY = "no keywords in the table\n(try keyness(..., keep='all') for the whole ranking)"


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
    return df


def _pair(df: pd.DataFrame, target=None, reference=None) -> tuple[str, str]:
    """The comparison's two group names, shortened for labels (from ``attrs`` when there are no rows)."""
    if len(df):
        target, reference = df["target"].iloc[0], df["reference"].iloc[0]
    else:
        target = target if target is not None else df.attrs.get("target", "target")
        reference = reference if reference is not None else df.attrs.get("reference", "reference")
    return short_label(target), short_label(reference)


def _title(df: pd.DataFrame, target=None, reference=None) -> str:
    return " vs ".join(_pair(df, target, reference))


def keyness_bars(result: pd.DataFrame, n: int = 15, *, measure: str = "log_ratio", target=None, reference=None,
                 significant_only: bool = True, ax: plt.Axes | None = None) -> plt.Axes:
    """Diverging bar chart: the ``n`` strongest over- and underused keywords of one comparison.

    Bars extend right for overuse in the target and left for underuse, by
    ``measure`` (a signed effect size, Log Ratio by default). The figure grows with the
    number of bars.
    """
    df = _one_comparison(result, target, reference)
    if measure not in df.columns:
        raise ValueError(f"no column {measure!r} in the result")
    title = f"Keywords: {_title(df, target, reference)}"
    if significant_only and "significant" in df.columns:
        df = df[df["significant"].fillna(False).astype(bool)]
    over = df[df["direction"] == "over"].nlargest(n, measure)
    under = df[df["direction"] == "under"].nsmallest(n, measure)
    data = pd.concat([over, under.iloc[::-1]])
    ax = figure_axes(ax, (7.0, max(3.0, 0.28 * len(data) + 1.2)))
    if data.empty:
        message = (_EMPTY if result.empty else
                   "no significant keywords\n(significant_only=False shows the strongest by effect size)")
        return empty_axes(ax, message, title=title)
    data = data.assign(label=data["term"].map(short_label))
    sns.barplot(data=data, x=measure, y="label", hue="direction", palette=_PALETTE, dodge=False, ax=ax,
                order=data["label"].tolist())
    ax.axvline(0, color="black", linewidth=0.8)
    if "significant" in data.columns and not data["significant"].fillna(False).astype(bool).any():
        # a keyness fallback lists the largest effects when nothing is significant: the title must not say keywords
        title = f"Largest effects, none significant after correction: {_title(df, target, reference)}"
    ax.set(xlabel=measure.replace("_", " "), ylabel="", title=title)
    place_legend(ax)
    return ax


def keyness_volcano(result: pd.DataFrame, *, effect: str = "log_ratio", p: str = "p_adjusted", label: int = 10,
                    target=None, reference=None, ax: plt.Axes | None = None) -> plt.Axes:
    """Effect size (x) against significance, ``-log10`` of the (adjusted) p-value (y).

    p-values of 0 (below double precision) are drawn at the smallest positive float;
    terms whose p-value could not be estimated (NaN) are left out. The ``label`` terms
    with the largest absolute effect among significant ones are named, without overlaps.
    """
    df = _one_comparison(result, target, reference)
    missing = [c for c in (effect, p) if c not in df.columns]
    if missing:
        raise ValueError(f"no column(s) {missing} in the result")
    title = _title(df, target, reference)
    df = df.dropna(subset=[effect, p])
    ax = figure_axes(ax, (7.5, 5.0))
    if df.empty:
        return empty_axes(ax, _EMPTY if result.empty else f"no term with an estimated {p}", title=title)
    y = -np.log10(np.clip(df[p].to_numpy(dtype=float), np.finfo(float).tiny, 1))
    data = df.assign(neg_log10_p=y)
    hue = "significant" if "significant" in data.columns else "direction"
    if hue == "significant":
        data = data.assign(significant=data["significant"].fillna(False).astype(bool))
    sns.scatterplot(data=data, x=effect, y="neg_log10_p", hue=hue, s=18, linewidth=0, ax=ax)
    ax.axvline(0, color="grey", linewidth=0.8)
    ax.set(xlabel=effect.replace("_", " "), ylabel=f"-log10 {p.replace('_', ' ')}", title=title)
    place_legend(ax)
    fit_markers(ax)
    named = data[data[hue]] if hue == "significant" else data
    named = named.reindex(named[effect].abs().sort_values(ascending=False, kind="stable").index).head(label)
    place_labels(ax, named[effect], named["neg_log10_p"], named["term"])
    return ax


def keyness_scatter(result: pd.DataFrame, *, label: int = 10, target=None, reference=None,
                    ax: plt.Axes | None = None) -> plt.Axes:
    """Frequency per million in the target (x) against the reference (y), log-log.

    Zero frequencies are drawn at half the smallest non-zero value, on the
    edge of the plot; the diagonal is equal relative frequency. The ``label`` terms
    with the largest absolute Log Ratio are named, without overlaps. Best on
    ``keyness(..., keep="all")``.
    """
    df = _one_comparison(result, target, reference)
    title = _title(df, target, reference)
    names = _pair(df, target, reference)
    ax = figure_axes(ax, (7.5, 6.0))
    if df.empty:
        return empty_axes(ax, _EMPTY, title=title)
    x, y = df["per_million_target"].to_numpy(float), df["per_million_reference"].to_numpy(float)
    positive = np.r_[x[x > 0], y[y > 0]]
    floor = positive.min() / 2 if positive.size else 1.0
    data = df.assign(x=np.where(x > 0, x, floor), y=np.where(y > 0, y, floor))
    if "significant" in data:
        hue = data["direction"].where(data["significant"].fillna(False).astype(bool), "not significant")
    else:
        hue = data["direction"]
    palette = {**_PALETTE, "not significant": "#bbbbbb"}
    sns.scatterplot(data=data, x="x", y="y", hue=hue, palette=palette, s=14, linewidth=0, ax=ax)
    top = max(data["x"].max(), data["y"].max()) * 1.5
    ax.set(xscale="log", yscale="log", xlim=(floor, top), ylim=(floor, top), title=title,
           xlabel=f"per million, {names[0]}", ylabel=f"per million, {names[1]}")
    ax.axline((floor, floor), (top, top), color="black", linewidth=0.8)  # equal relative frequency
    place_legend(ax)
    fit_markers(ax)
    if "log_ratio" in data and label:
        named = data.reindex(data["log_ratio"].abs().sort_values(ascending=False, kind="stable").index).head(label)
        place_labels(ax, named["x"], named["y"], named["term"])
    return ax
