"""Story alignment plot: stories found and documents aligned against the similarity threshold.

Takes the table of :func:`discourse.story_threshold_sweep` and returns a matplotlib Axes.
"""
from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes

from .base import empty_axes, figure_axes, place_legend, require_result

__all__ = ["plot_story_sweep"]


def plot_story_sweep(sweep: pd.DataFrame, *, threshold: float | None = None, ax: Axes | None = None) -> Axes:
    """Stories found and documents aligned (left axis) against the threshold, from one similarity computation.

    A plateau (few stories gained or lost over a range of thresholds) is where a
    threshold is easy to justify; ``threshold`` (e.g. the one used) is drawn as a
    dashed line. Returns the Axes.
    """
    require_result(sweep, "a story_threshold_sweep result", analysis="story_threshold_sweep",
                   columns={"threshold", "stories", "documents_aligned"})
    ax = figure_axes(ax, (6.0, 3.6))
    if sweep.empty:
        return empty_axes(ax, "no thresholds in the sweep", title="Stories by threshold")
    ax.plot(sweep["threshold"], sweep["documents_aligned"], marker="o", color="#2c7fb8", label="documents aligned")
    ax.plot(sweep["threshold"], sweep["stories"], marker="s", color="#c0392b", label="stories")
    if threshold is not None:
        ax.axvline(threshold, color="0.35", linestyle="--", linewidth=1, label=f"threshold {threshold:g}")
    n = sweep.attrs.get("documents")
    ax.set_xlabel("similarity threshold (cosine)")
    ax.set_ylabel("count" if n is None else f"count (of {n:,} documents)")
    ax.set_ylim(bottom=0)
    ax.set_title("Stories by threshold")
    ax.legend()
    place_legend(ax)
    return ax
