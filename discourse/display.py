"""The view layer: rich display of result tables, and reproducible notebook settings.

Result tables are plain pandas DataFrames whose ``attrs`` record the analysis
and its parameters (or :class:`AnnotatedFrame`, which also shows its note). In
Jupyter, :func:`setup_notebook` registers an HTML formatter that shows such a
table as a summary line, its parameters (folded) and its first rows, with
numbers formatted for reading and "—" for missing values (other DataFrames get
the same formatting); it fixes the seeds, makes figures byte-reproducible PNGs
and collects warnings into the notebook's notes (:mod:`discourse.notes`),
shown once by :func:`show_notes`. :func:`show` displays one table;
:func:`heading` and :func:`paragraph` write headings and prose from the
notebook's parameters, escaped (a corpus' outlet names are data, never markup).

The HTML comes from the templates of :mod:`discourse.render`, which escape all
text taken from the data (article text is untrusted). This module computes
nothing: it imports no analysis module.
"""
from __future__ import annotations

import random
import string
import warnings
from typing import Any

import numpy as np
import pandas as pd

from .notes import NOTES, Notes
from .render import DEFAULT_ROWS, html_table, render, result_html, scalar_params, summary_line

__all__ = ["AnnotatedFrame", "ResultView", "Prose", "show", "show_notes", "heading", "paragraph", "setup_notebook",
           "DEFAULT_ROWS"]

_ROWS = {"rows": DEFAULT_ROWS}  # rows shown by the notebook formatter (setup_notebook(rows=...))
# A table pandas renders itself (a result shown before setup_notebook) holds data too: pandas then marks it
# tex2jax_ignore, so MathJax does not typeset a "$x^2$" in a title or an outlet name (see discourse.render.NO_MATH).
_NO_MATHJAX = ("display.html.use_mathjax", False)
pd.set_option(*_NO_MATHJAX)


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
    return html_table(df, max_rows=pd.get_option("display.max_rows"), max_cols=pd.get_option("display.max_columns"))


# --------------------------------------------------------------------------- headings and prose
_LISTED = 8  # items of a list written out in prose; longer lists end "and N more"


def _spoken(value: Any) -> str:
    """A parameter value as prose: a list as "a, b and c" (at most 8 items, then "and N more"), else ``str``."""
    if isinstance(value, (list, tuple)):
        items = [str(v) for v in value]
        if len(items) > _LISTED:
            items = items[:_LISTED - 1] + [f"{len(items) - _LISTED + 1:,} more"]
        return " and ".join(items) if len(items) < 3 else ", ".join(items[:-1]) + " and " + items[-1]
    return str(value)


class Prose:
    """A heading or a paragraph written from a template and parameter values; displays as escaped HTML.

    The template is the notebook's own text; ``{name}`` fields are replaced by
    the values (lists read as "a, b and c"), which are escaped like every
    other text (outlet names, nodes and titles come from the corpus). In a
    paragraph the values are set in bold. Never rendered as Markdown.
    """

    TAGS = ("h1", "h2", "h3", "h4", "p")

    def __init__(self, template: str, tag: str = "p", **values: Any) -> None:
        if tag not in self.TAGS:
            raise ValueError(f"tag must be one of {list(self.TAGS)}, not {tag!r}")
        self.tag, self.parts = tag, []
        for literal, name, spec, conversion in string.Formatter().parse(template):
            if literal:
                self.parts.append({"text": literal, "value": False})
            if name is not None:
                if name not in values:
                    raise KeyError(f"no value for {{{name}}} in {template!r}")
                text = _spoken(values[name])
                self.parts.append({"text": format(text, spec) if spec else text, "value": True})

    @property
    def text(self) -> str:
        return "".join(p["text"] for p in self.parts)

    def __repr__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        return render("prose.html.j2", tag=self.tag, parts=self.parts, bold=self.tag == "p")


def heading(template: str, *, level: int = 2, **values: Any) -> Prose:
    """A heading from the parameters, e.g. ``heading("How {target} writes about {node}", target=..., node=...)``."""
    return Prose(template, f"h{level}", **values)


def paragraph(template: str, **values: Any) -> Prose:
    """A paragraph from the parameters, the values in bold (see :class:`Prose`)."""
    return Prose(template, "p", **values)


# --------------------------------------------------------------------------- notes
def _cell_number() -> int | None:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover
        return None
    ip = get_ipython()
    # IPython counts the cell before running it (run_cell_async), so the running cell is one less
    return None if ip is None else int(ip.execution_count) - 1


def _record_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """``warnings.showwarning`` in a notebook: the warning becomes a note (a shown notes section is updated)."""
    NOTES.record(message, category, _cell_number())
    if NOTES.handle is not None:
        NOTES.handle.update(NOTES)


def show_notes() -> Notes | None:
    """Display the notebook's notes: every warning raised so far, once each (the last section of a notebook).

    Displayed with a display id, so a warning raised in a later cell updates
    this section instead of printing a box. Outside a notebook it returns the
    notes (they print as text); in one it displays them and returns None.
    """
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover
        return NOTES
    if get_ipython() is None:
        return NOTES
    NOTES.handle = display(NOTES, display_id=True)
    return None


def _notes_after_failure(result: Any) -> None:
    """After a failed cell: show the notes collected so far, unless they are on show already."""
    if not result.success and NOTES.handle is None and len(NOTES):
        show_notes()


def setup_notebook(seed: int = 0, *, rich: bool = True, rows: int = DEFAULT_ROWS, dpi: int = 100) -> None:
    """Reproducible, readable notebook output.

    Seeds Python's and numpy's global generators, sets the seaborn theme, makes
    inline figures PNG (byte-identical across runs, unlike SVG with its random
    ids; ``svg.hashsalt`` is fixed too for users who switch) and, with
    ``rich=True``, displays result tables with :func:`result_html` (their first
    ``rows`` rows; the whole table stays in the variable, and :func:`discourse.export.export` writes it all).
    Tables pandas renders itself are marked for MathJax to leave alone (pandas'
    ``display.html.use_mathjax``, also set on import). In a notebook, warnings are
    collected as notes from here on (none is printed under its cell); end the
    notebook with :func:`show_notes`.
    """
    _ROWS["rows"] = rows
    pd.set_option(*_NO_MATHJAX)  # again, in case the options were reset
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
    NOTES.clear()
    warnings.showwarning = _record_warning
    if _notes_after_failure not in ip.events.callbacks["post_run_cell"]:
        ip.events.register("post_run_cell", _notes_after_failure)
    if rich:
        ip.display_formatter.formatters["text/html"].for_type(pd.DataFrame, _frame_html)
