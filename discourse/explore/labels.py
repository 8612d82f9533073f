"""Labels of an explorer's plot that do not collide: the plots' one label-placement step, in pixels of the page.

The explorers draw their labels where :func:`discourse.plots.base.place_labels`
(greedy candidate placement, textalloc; Kjellson 2022) puts them on a
matplotlib Axes of the same frame size in pixels, scales and ranges as the
Bokeh plot (72 dpi, so a point is a pixel), with every point of the plot as an
obstacle. The positions hold for the plot as first drawn; zooming in spreads
them apart (they never come closer).
"""
from __future__ import annotations

import warnings
from typing import Sequence

import numpy as np
import pandas as pd

from ..plots.base import place_labels, short_label

__all__ = ["LABEL_PX", "label_positions"]

#: Font size of the labels, in CSS pixels (= points at 72 dpi).
LABEL_PX = 11


def label_positions(x: Sequence[float], y: Sequence[float], labels: Sequence[str], *, obstacles_x: Sequence[float],
                    obstacles_y: Sequence[float], width: int, height: int, x_range: tuple[float, float],
                    y_range: tuple[float, float], x_log: bool = False, y_log: bool = False,
                    marker_px: float = 6.0) -> pd.DataFrame:
    """Where to draw ``labels`` (most important first) next to their points so that none collide.

    Parameters
    ----------
    x, y, labels
        The labelled points (data coordinates) and their raw text.
    obstacles_x, obstacles_y
        Every point drawn (labels avoid them).
    width, height
        The plot's frame in pixels (Bokeh's ``frame_width``/``frame_height``).
    x_range, y_range, x_log, y_log
        The plot's ranges and whether each axis is logarithmic.
    marker_px
        Diameter of the markers in pixels.

    Returns
    -------
    DataFrame
        One row per placed label: ``label`` (the raw text of its first point), ``text`` (as drawn,
        shortened), ``x``, ``y`` (the label's anchor), ``align`` (``left``/``center``/``right``),
        ``baseline`` (``bottom``/``middle``/``top``) and ``point_x``, ``point_y`` (its point, for a leader
        line). Labels that found no free place are left out (as in the static plots).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    # a figure on its own Agg canvas, outside pyplot: a notebook's backend and figures are left as they are
    fig = Figure(figsize=(width / 72, height / 72), dpi=72)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set(xscale="log" if x_log else "linear", yscale="log" if y_log else "linear")
    ax.scatter(np.asarray(obstacles_x, float), np.asarray(obstacles_y, float), s=marker_px ** 2, linewidths=0)
    ax.set(xlim=x_range, ylim=y_range)
    points = {short_label(lab): (float(a), float(b)) for lab, a, b in zip(labels, x, y)}
    raw = {short_label(lab): str(lab) for lab in labels}
    with warnings.catch_warnings():  # a label without room is left out, as the page's caps say
        warnings.simplefilter("ignore")
        texts = place_labels(ax, x, y, list(labels), fontsize=LABEL_PX)
    rows = []
    for t in texts:
        shown = t.get_text()
        first = shown.split(", ")[0]
        px, py = points.get(first, t.get_position())
        rows.append({"label": raw.get(first, first.replace("\\$", "$")), "text": shown.replace("\\$", "$"),
                     "x": float(t.get_position()[0]), "y": float(t.get_position()[1]),
                     "align": {"center": "center", "right": "right"}.get(t.get_ha(), "left"),
                     "baseline": {"top": "top", "center": "middle", "center_baseline": "middle"}.get(
                         t.get_va(), "bottom"),
                     "point_x": px, "point_y": py})
    return pd.DataFrame(rows, columns=["label", "text", "x", "y", "align", "baseline", "point_x", "point_y"])
