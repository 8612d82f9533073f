"""The view layer: rich display of result tables, and reproducible notebook settings.

Result tables are plain pandas DataFrames whose ``attrs`` record the analysis
and its parameters (or :class:`AnnotatedFrame`, which also shows its note). In
Jupyter, :func:`setup_notebook` registers an HTML formatter that shows such a
table as a summary line, its parameters and its first rows (other DataFrames
display as usual), fixes the seeds and makes figures byte-reproducible PNGs.
:func:`show` displays one table that way.

The HTML comes from the templates of :mod:`discourse.render`, which escape all
text taken from the data (article text is untrusted). This module computes
nothing: it imports no analysis module.
"""
from __future__ import annotations

import random
import warnings

import numpy as np
import pandas as pd

from .render import DEFAULT_ROWS, result_html, scalar_params, summary_line

__all__ = ["AnnotatedFrame", "ResultView", "show", "setup_notebook", "DEFAULT_ROWS"]

_ROWS = {"rows": DEFAULT_ROWS}  # rows shown by the notebook formatter (setup_notebook(rows=...))


class AnnotatedFrame(pd.DataFrame):
    """A result DataFrame that shows ``attrs["note"]`` (e.g. the collocation parameters) with its rows.

    It is an ordinary DataFrame otherwise (slicing, sorting and export keep the class and attrs).
    In Jupyter it displays as every result table does (:func:`discourse.render.result_html`:
    summary line, the note, the parameters and the first rows, all HTML-escaped); the number of
    rows is the one set by :func:`setup_notebook`.
    """

    @property
    def _constructor(self):
        return type(self)

    def _note(self) -> str:
        return str(self.attrs.get("note", ""))

    def __repr__(self) -> str:
        note = self._note()
        return (note + "\n" if note else "") + super().__repr__()

    def _repr_html_(self) -> str:
        return result_html(self, _ROWS["rows"])


def show(result: pd.DataFrame, rows: int = DEFAULT_ROWS) -> "ResultView":
    """Display a result table (summary line, parameters, first rows); in a notebook, the cell output."""
    return ResultView(result, rows)


class ResultView:
    """A result table wrapped for display (see :func:`show`)."""

    def __init__(self, result: pd.DataFrame, rows: int = DEFAULT_ROWS) -> None:
        self.result, self.rows = result, rows

    def _repr_html_(self) -> str:
        return result_html(self.result, self.rows)

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in scalar_params(self.result.attrs).items())
        return f"{summary_line(self.result)}\n{params}\n{self.result.head(self.rows).to_string()}"


def _frame_html(df: pd.DataFrame) -> str | None:
    if type(df)._repr_html_ is not pd.DataFrame._repr_html_:  # a result class with its own display
        return df._repr_html_()
    if df.attrs.get("analysis"):
        return result_html(df, _ROWS["rows"])
    return df.to_html(escape=True, max_rows=pd.get_option("display.max_rows"),
                      max_cols=pd.get_option("display.max_columns"))


def setup_notebook(seed: int = 0, *, rich: bool = True, rows: int = DEFAULT_ROWS, dpi: int = 100) -> None:
    """Reproducible, readable notebook output.

    Seeds Python's and numpy's global generators, sets the seaborn theme, makes
    inline figures PNG (byte-identical across runs, unlike SVG with its random
    ids; ``svg.hashsalt`` is fixed too for users who switch) and, with
    ``rich=True``, displays result tables with :func:`result_html` (their first
    ``rows`` rows; the whole table stays in the variable, and :func:`discourse.export.export` writes it all).
    """
    _ROWS["rows"] = rows
    import matplotlib as mpl
    import seaborn as sns

    random.seed(seed)
    np.random.seed(seed)
    # warnings without the kernel's temporary file names, which change from run to run
    warnings.formatwarning = lambda message, category, *args, **kwargs: f"{category.__name__}: {message}\n"
    sns.set_theme(context="notebook", style="whitegrid")  # before rcParams: it resets them
    mpl.rcParams.update({"svg.hashsalt": f"discourse-{seed}", "figure.dpi": dpi,
                         "savefig.dpi": dpi, "figure.figsize": (7.5, 4.0)})
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is there whenever a kernel is
        return
    ip = get_ipython()
    if ip is None:
        return
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("png")
    except ImportError:  # pragma: no cover
        pass
    with warnings.catch_warnings():  # without ipywidgets tqdm.auto warns once, then uses text bars
        warnings.simplefilter("ignore")
        import tqdm.auto  # noqa: F401
    if rich:
        ip.display_formatter.formatters["text/html"].for_type(pd.DataFrame, _frame_html)
