"""Helpers shared by the plot modules: figures, input checks, safe labels, and the readability rules.

Every plot follows the same rules, so a figure is readable as drawn:

- figures the plots create use matplotlib's constrained layout, so titles, tick labels and
  legends stay inside the figure (:func:`figure_axes`, :func:`place_legend`);
- every text is at least :data:`MIN_FONTSIZE` points (:func:`label_fontsize`);
- markers lie wholly inside the axes (:func:`fit_markers`);
- point labels never overlap each other, the markers or an inside legend
  (:func:`place_labels`, greedy candidate placement by textalloc; Kjellson 2022);
- text on a coloured background meets the WCAG 2.1 contrast ratio of 4.5:1
  (:func:`contrast_ratio`, :func:`readable_text_color`);
- a table with no rows gives an Axes that says so (:func:`empty_axes`), not an error.
"""
from __future__ import annotations

import contextlib
import io
import warnings

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.colors import to_rgb
from matplotlib.text import Text

__all__ = ["MIN_FONTSIZE", "LABEL_GID", "PlotWarning", "figure_axes", "require_result", "safe_label", "short_label",
           "label_fontsize", "empty_axes", "place_legend", "fit_markers", "place_labels", "relative_luminance",
           "contrast_ratio", "readable_text_color"]

#: The smallest font size (points) of any text in a plot.
MIN_FONTSIZE = 8.0
#: The ``gid`` of the point labels drawn by :func:`place_labels` (tests and users can find them by it).
LABEL_GID = "discourse-point-label"


class PlotWarning(UserWarning):
    """Something asked for could not be drawn (a label without room, say)."""


def figure_axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    """``ax``, or the Axes of a new figure of ``size`` inches (width, height) with constrained layout."""
    if ax is None:
        _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


def require_result(df: pd.DataFrame, what: str, *, analysis: str | None = None, columns: set | None = None) -> None:
    """Fail early, naming ``what`` was expected, unless ``df`` is the right result table.

    ``analysis``: the value ``attrs["analysis"]`` must have; ``columns``: columns it must contain.
    """
    if analysis is not None and df.attrs.get("analysis") != analysis:
        raise ValueError(f"expected the result of {what} (attrs['analysis'] == {analysis!r}), "
                         f"got {df.attrs.get('analysis')!r}")
    if columns is not None and not columns <= set(df.columns):
        raise ValueError(f"expected {what} with columns {sorted(columns)}; got {list(df.columns)}")


def safe_label(s) -> str:
    """Labels are untrusted text: keep matplotlib from reading ``$...$`` as mathtext."""
    return str(s).replace("$", r"\$")


def short_label(s, width: int = 40) -> str:
    """:func:`safe_label` of ``s``, shortened in the middle to ``width`` characters ("rt_2021…nato_biden").

    Long outlet names, document ids and topic labels would otherwise squeeze the axes
    or run off the figure; the middle goes because the start and the end identify.
    """
    s = str(s)
    if len(s) > width:
        head = (width - 1) - (width - 1) // 2
        s = s[:head] + "…" + s[len(s) - (width - 1) // 2:]
    return safe_label(s)


def label_fontsize() -> float:
    """Font size of point labels: 80% of the body text size, at least :data:`MIN_FONTSIZE`."""
    return max(MIN_FONTSIZE, 0.8 * float(mpl.rcParams["font.size"]))


def empty_axes(ax: Axes, message: str, *, title: str | None = None) -> Axes:
    """Say ``message`` in the middle of ``ax`` (a table with no rows): no ticks, the title kept."""
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, wrap=True,
            fontsize=max(MIN_FONTSIZE, mpl.rcParams["font.size"]), color="0.25")
    ax.set_xticks([])
    ax.set_yticks([])
    if title is not None:
        ax.set_title(title)
    return ax


def place_legend(ax: Axes, *, title: str | None = None):
    """Put the legend of ``ax`` beside the axes (upper right, outside), wholly inside the figure.

    A figure with a layout engine (the plots make theirs with constrained layout) reserves
    the room itself. On a figure without one, the axes gives up the room on its right
    within its own place, so the legend neither covers data nor runs off the figure (and
    a neighbouring axes keeps its place); when the axes is too narrow for that, the legend
    goes inside it at matplotlib's ``loc="best"``. Returns the legend (or None).
    """
    import seaborn as sns

    if ax.get_legend() is None:
        return None
    kwargs = {} if title is None else {"title": title}
    sns.move_legend(ax, "upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0, **kwargs)
    fig = ax.figure
    if fig.get_layout_engine() is not None:
        return ax.get_legend()
    width = ax.get_legend().get_window_extent(fig.canvas.get_renderer()).width / fig.bbox.width
    box = ax.get_position()
    narrower = (box.width - width - 0.01) / 1.02  # the legend starts at 1.02 axes widths
    if narrower < 0.5 * box.width:
        sns.move_legend(ax, "best", **kwargs)
    else:
        ax.set_position([box.x0, box.y0, narrower, box.height])
        ax.title.set_x(0.5 * box.width / narrower)  # the title stays centred over the axes' whole place
    return ax.get_legend()


def _markers(ax: Axes) -> tuple[np.ndarray, np.ndarray]:
    """Data coordinates (n, 2) and radii in pixels of every marker of the scatter collections of ``ax``."""
    xy, radius = [np.empty((0, 2))], [np.empty(0)]
    for coll in ax.collections:
        if not isinstance(coll, PathCollection) or not coll.get_visible() or coll.get_offset_transform() != ax.transData:
            continue
        offsets = np.ma.filled(np.ma.asarray(coll.get_offsets(), dtype=float), np.nan)
        if not len(offsets):
            continue
        sizes = np.broadcast_to(np.asarray(coll.get_sizes(), float), (len(offsets),)) if len(coll.get_sizes()) \
            else np.full(len(offsets), mpl.rcParams["lines.markersize"] ** 2)
        ok = np.isfinite(offsets).all(axis=1)
        xy.append(offsets[ok])
        # scatter sizes are areas in points^2: the marker's half-width is sqrt(s) / 2 points
        radius.append(np.sqrt(sizes[ok]) / 2 * ax.figure.dpi / 72)
    return np.vstack(xy), np.concatenate(radius)


def fit_markers(ax: Axes, *, pad: float = 3.0) -> None:
    """Widen the axis limits of ``ax`` until every marker lies wholly inside the axes, ``pad`` points to spare.

    Autoscaling leaves a margin proportional to the data range, so large markers at the
    extremes were half cut off by the axes edge. Limits only grow; log axes are fitted in
    log space. Call it after everything that changes the layout (legend, labels of the axes).
    """
    fig = ax.figure
    for _ in range(2):  # the new limits can change the tick labels and so the layout once more
        fig.draw_without_rendering()
        xy, radius = _markers(ax)
        if not len(xy):
            return
        need = radius + pad * fig.dpi / 72
        for i, (axis, get, put, length) in enumerate(((ax.xaxis, ax.get_xlim, ax.set_xlim, ax.bbox.width),
                                                      (ax.yaxis, ax.get_ylim, ax.set_ylim, ax.bbox.height))):
            scale = axis.get_transform()
            lim = get()
            flipped = lim[0] > lim[1]
            lo, hi = sorted(np.asarray(scale.transform(np.asarray(lim, float)), float))
            at = np.asarray(scale.transform(xy[:, i]), float)
            new_lo, new_hi = lo, hi
            for _ in range(8):  # fixed point: wider limits shrink the units per pixel
                per_px = (new_hi - new_lo) / max(length, 1.0)
                new_lo, new_hi = min(lo, np.min(at - need * per_px)), max(hi, np.max(at + need * per_px))
            if (new_lo, new_hi) != (lo, hi):
                limits = scale.inverted().transform(np.array([new_lo, new_hi]))
                put(limits[::-1] if flipped else limits)


def _box_points(bbox, step: float) -> np.ndarray:
    """Display points on a grid of ``step`` pixels covering ``bbox`` (an obstacle as points for textalloc)."""
    xs = np.arange(bbox.x0, bbox.x1 + step, step)
    ys = np.arange(bbox.y0, bbox.y1 + step, step)
    return np.array([(x, y) for x in xs for y in ys])


def _merge_coincident(x: np.ndarray, y: np.ndarray, labels: list[str], most: int = 4):
    """One label per position: labels of points drawn at the same place are joined ("bloc, discuss")."""
    groups: dict[tuple[float, float], list[str]] = {}
    for xi, yi, lab in zip(x, y, labels):
        groups.setdefault((float(xi), float(yi)), []).append(lab)
    keys = list(groups)
    joined = [", ".join(v[:most]) + (f" +{len(v) - most}" if len(v) > most else "") for v in groups.values()]
    return np.array([k[0] for k in keys]), np.array([k[1] for k in keys]), joined


def place_labels(ax: Axes, x, y, labels, *, fontsize: float | None = None, color=None, box: bool = False,
                 weight: str = "normal", max_distance: float = 0.25, width: int = 40) -> list[Text]:
    """Label the points (``x``, ``y``) of ``ax`` with ``labels`` so that no two labels overlap.

    The one label-placement step of every plot. Labels are placed greedily in the order
    given (put the most important first) at the first free candidate position around
    their point (textalloc; Kjellson 2022), avoiding the other labels, every scatter
    marker of ``ax`` (at its drawn size), texts already in ``ax`` and a legend inside the
    axes, and staying inside the axes; a thin line joins a label set apart to its point.
    Points drawn at the same place get one label listing them. Deterministic: the same
    figure gives the same positions. A label that finds no free place is left out and
    named in a :class:`PlotWarning`. ``labels`` are raw text: they are escaped and shortened
    to ``width`` characters here (:func:`short_label`).

    ``box=True`` draws each label on an opaque white box (for labels beside coloured
    nodes); the text colour is then :func:`readable_text_color` of the box. Returns the
    placed Text objects (their ``gid`` is :data:`LABEL_GID`).
    """
    import textalloc

    x, y = np.asarray(x, float), np.asarray(y, float)
    labels = [short_label(s, width) for s in labels]
    ok = np.isfinite(x) & np.isfinite(y)
    if ax.get_xscale() == "log":
        ok &= x > 0
    if ax.get_yscale() == "log":
        ok &= y > 0
    x, y, labels = _merge_coincident(x[ok], y[ok], [s for s, keep in zip(labels, ok) if keep])
    if not labels:
        return []
    fontsize = max(MIN_FONTSIZE, fontsize or label_fontsize())
    background = "white"
    color = color if color is not None else (readable_text_color(background) if box else "0.15")
    fig = ax.figure
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    # obstacles as points with a size in pixels: markers at their radius, boxes as a grid of points
    xy, radius = _markers(ax)
    step = fontsize * fig.dpi / 72 / 2
    boxes = [t.get_window_extent(renderer) for t in ax.texts if t.get_visible() and t.get_text()]
    legend = ax.get_legend()
    if legend is not None and legend.get_visible():
        extent = legend.get_window_extent(renderer)
        if extent.overlaps(ax.bbox):
            boxes.append(extent)
            # pin it where it is: a "best" legend would move onto the labels at the next draw
            legend.set_loc(tuple(ax.transAxes.inverted().transform((extent.x0, extent.y0))))
    if boxes:
        grid = np.vstack([_box_points(b, step) for b in boxes])
        xy = np.vstack([xy, ax.transData.inverted().transform(grid)])
        radius = np.concatenate([radius, np.full(len(grid), step)])
    at_points = {(float(a), float(b)): r for (a, b), r in zip(xy, radius)}
    own = [at_points.get((float(a), float(b)), 0.0) for a, b in zip(x, y)]
    with contextlib.redirect_stdout(io.StringIO()):  # textalloc prints when nothing fits; we warn instead
        _, _, texts, _ = textalloc.allocate(
            ax, x, y, labels, x_scatter=xy[:, 0], y_scatter=xy[:, 1], scatter_sizes=radius,
            text_scatter_sizes=own, textsize=fontsize, fontweight=weight, textcolor=color, margin=0.008,
            min_distance=0.006, max_distance=max_distance, draw_lines=True, linecolor="0.55", linewidth=0.6,
            draw_all=False, nbr_candidates=400, avoid_label_lines_overlap=False, zorder=5,
            va="bottom")  # the measured box is the drawn one (the default baseline puts descenders below it)
    placed = [t for t in texts if t is not None]
    for t in placed:
        t.set_gid(LABEL_GID)
        t.set_clip_on(False)
        if box:
            t.set_bbox(dict(boxstyle="square,pad=0.1", facecolor=background, edgecolor="none", alpha=1.0))
    missing = [lab for lab, t in zip(labels, texts) if t is None]
    if missing:
        warnings.warn(f"{len(missing)} of {len(labels)} labels found no free place and are not drawn: "
                      f"{', '.join(missing)} (ask for fewer labels or a larger figure)", PlotWarning, stacklevel=3)
    return placed


def relative_luminance(color) -> float:
    """WCAG 2.1 relative luminance of a matplotlib colour (W3C 2018, "relative luminance").

    L = 0.2126 R + 0.7152 G + 0.0722 B of the linearised sRGB channels,
    c / 12.92 for c <= 0.04045, else ((c + 0.055) / 1.055) ** 2.4.
    """
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a, b) -> float:
    """WCAG 2.1 contrast ratio (L1 + 0.05) / (L2 + 0.05) of two colours, L1 the lighter; 1 to 21.

    Text needs at least 4.5 (success criterion 1.4.3, level AA).
    """
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable_text_color(background) -> str:
    """Black or white, whichever contrasts more with ``background`` (WCAG 2.1 contrast ratio)."""
    return "black" if contrast_ratio("black", background) >= contrast_ratio("white", background) else "white"
