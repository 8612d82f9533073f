"""Helpers shared by the plot modules: a figure when no Axes is given, input checks, safe labels."""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes

__all__ = ["figure_axes", "require_result", "safe_label"]


def figure_axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    """``ax``, or the Axes of a new figure of ``size`` inches (width, height) when ``ax`` is None."""
    if ax is None:
        _, ax = plt.subplots(figsize=size)
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
