"""HTML of every display and of the report index: one Jinja2 environment, templates in ``templates/``.

Autoescaping is on for every template, so any text taken from the data
(article text, titles, metadata, parameters, notes) is escaped where a
template inserts it, and a name missing from a template's context is an error
(``StrictUndefined``). The only ready-made HTML a template receives is a
pandas table from :func:`html_table`, which escapes its own cells and formats
numbers for reading (:mod:`discourse.render.formatting`: thousands separators,
fixed decimals, no exponents, "—" for a missing value). A result's parameters
are folded into one ``<details>`` line under its summary.

Templates
---------
``result_header.html.j2``, ``result.html.j2``
    A result table: summary line, note, parameters and first rows (:func:`result_html`).
``kwic.html.j2``
    Concordance lines with the node highlighted (:func:`kwic_html`).
``provenance.html.j2``, ``tokens.html.j2``, ``corpus.html.j2``, ``read_report.html.j2``
    The rich displays of :class:`~discourse.provenance.Provenance`, Tokens, Corpus and ReadReport.
``notes.html.j2``, ``prose.html.j2``
    A notebook's notes (its warnings, once each) and headings or prose written from its parameters.
``index.html.j2``
    The index page of the rendered reports (:func:`index_html`).
``scope_note.html.j2``
    What a corpus can support (:func:`discourse.overview.scope_note`).

Data is never markup, nor Markdown, nor mathematics: nothing here emits
Markdown (whose links and images a renderer would make live), and every
fragment :func:`render` returns is wrapped in an element of the classes
:data:`NO_MATH` (``tex2jax_ignore``: MathJax 2, which nbconvert's HTML
reports load; ``mathjax_ignore``: MathJax 3 and 4, as in JupyterLab), as is
every table from :func:`html_table` and the body of the index page, so a ``$x^2$``,
``$$…$$`` or ``\\(…\\)`` in a title or an outlet name is shown as written,
not typeset. (An entity such as ``&#36;`` would not do: MathJax reads the
page's text, where the entity is already a ``$`` again.)
"""
from __future__ import annotations

import datetime as _dt
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

import pandas as pd
from markupsafe import Markup

from ..version import __version__
from .formatting import MISSING, is_missing, readable, table_formatters

if TYPE_CHECKING:
    import jinja2

__all__ = ["NO_MATH", "render", "environment", "html_table", "scalar_params", "summary_line", "result_header",
           "result_html", "kwic_html", "index_html", "DEFAULT_ROWS"]

DEFAULT_ROWS = 10
NO_MATH = "tex2jax_ignore mathjax_ignore"  # classes whose content MathJax 2 and MathJax 3/4 leave alone
_KWIC_CONTEXT = ("left", "node", "right", "term", "position", "start", "end")  # concordance columns that are not metadata

# markupsafe writes ' and " as &#39; and &#34;; html.escape, which built these displays before the
# templates, wrote &#x27; and &quot;. Writing the same bytes keeps saved outputs comparable.
_ENTITIES = (("&#39;", "&#x27;"), ("&#34;", "&quot;"))


@lru_cache(maxsize=None)
def environment() -> jinja2.Environment:
    """The package's Jinja2 environment (built on first use, so ``import discourse`` does not load jinja2)."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.PackageLoader("discourse.render", "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["repr"] = repr
    env.globals["no_math"] = NO_MATH
    return env


def render(template_name: str, **context: Any) -> str:
    """Render the template ``template_name`` (a file in ``templates/``) with ``context``; every value is escaped.

    Parameters
    ----------
    template_name : str
        E.g. ``"result.html.j2"``.
    **context
        The names the template uses; a missing one raises ``jinja2.UndefinedError``.

    Returns
    -------
    str
        The HTML: a fragment wrapped in ``<div class='tex2jax_ignore mathjax_ignore'>`` (see :data:`NO_MATH`),
        or a whole page (starting ``<!DOCTYPE``), whose ``<body>`` carries those classes.
    """
    page = environment().get_template(template_name).render(**context)
    for entity, same in _ENTITIES:
        page = page.replace(entity, same)
    if not page.startswith("<!DOCTYPE"):
        page = f"<div class='{NO_MATH}'>{page}</div>"
    return page


def html_table(frame: pd.DataFrame, **options: Any) -> Markup:
    """``frame.to_html(escape=True, **options)``, ready for a template (pandas escapes every cell).

    Numbers are formatted for reading and missing values show as "—"
    (:mod:`discourse.render.formatting`); ``formatters`` in ``options`` override a column's.
    The table has the classes :data:`NO_MATH`, so MathJax leaves its cells alone.
    """
    frame, formatters = readable(frame)
    formatters.update(options.pop("formatters", {}))
    return Markup(frame.to_html(escape=True, formatters=formatters, na_rep=MISSING, classes=NO_MATH, **options))


def scalar_params(attrs: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters of a result worth a line: scalars and short lists and dicts (not big nested tables)."""
    out = {}
    for k, v in attrs.items():
        if k == "analysis":
            continue
        if isinstance(v, (str, int, float, bool)) or v is None:
            out[k] = v
        elif isinstance(v, (list, tuple)) and len(v) <= 12:
            out[k] = list(v)
        elif isinstance(v, dict) and len(v) <= 6 and all(isinstance(x, (str, int, float, bool)) or x is None
                                                         for x in v.values()):
            out[k] = dict(v)
    return out


def summary_line(result: pd.DataFrame) -> str:
    """One line (plain text) describing a result table: analysis, size and main grouping."""
    name = str(result.attrs.get("analysis", "table")).replace("_", " ")
    line = f"{name}: {len(result):,} rows \u00d7 {result.shape[1]} columns"
    if "group" in result.columns and len(result):
        groups = result["group"].dropna().unique()
        line += f"; {len(groups)} group{'s' if len(groups) != 1 else ''}"
    return line


def _header_context(result: pd.DataFrame) -> dict[str, Any]:
    params = scalar_params(result.attrs)
    note = params.pop("note", None)  # shown under the summary line, not again among the parameters
    return {"summary": summary_line(result), "note": str(note) if note else "", "params": params}


def result_header(result: pd.DataFrame) -> str:
    """HTML ``<p>`` with a result's summary line, its note and its parameters (escaped).

    A result's ``attrs["note"]`` (e.g. the collocation parameters notation of
    Brezina et al. 2015) is shown under the summary line instead of among the parameters.
    """
    return render("result_header.html.j2", **_header_context(result))


def result_html(result: pd.DataFrame, rows: int = DEFAULT_ROWS) -> str:
    """HTML for a result table: :func:`result_header` and the first ``rows`` rows (escaped).

    With a ``group`` column of several values, the first ``rows`` rows of each
    group are shown. Every piece of text is HTML-escaped.
    """
    grouped = "group" in result.columns and result["group"].nunique() > 1
    first = result.groupby("group", sort=False).head(rows) if grouped else result.head(rows)
    what = f"first {rows} rows of each group" if grouped else f"first {min(rows, len(result))}"
    more = f"{what} of {len(result):,} rows" if len(first) < len(result) else ""
    table = html_table(first, max_cols=30)
    return render("result.html.j2", **_header_context(result), table=table, more=more)


def kwic_html(concordance: pd.DataFrame, max_rows: int = 200) -> str:
    """HTML of concordance lines: :func:`result_header`, then metadata, left context, node and right context.

    Parameters
    ----------
    concordance : DataFrame
        With ``left``, ``node`` and ``right`` columns (a :class:`~discourse.kwic.Concordance`).
    max_rows : int
        Lines shown; a note says how many there are when some are left out.
    """
    columns = [c for c in concordance.columns if c not in _KWIC_CONTEXT]
    shown = concordance.head(max_rows)
    formats = table_formatters(shown[columns])
    lines = [{"meta": [MISSING if is_missing(rec[c]) else formats[c](rec[c]) for c in columns], "left": str(rec["left"]), "node": str(rec["node"]),
              "right": str(rec["right"])} for rec in shown.to_dict("records")]
    more = f"first {max_rows} of {len(concordance):,} lines" if len(concordance) > max_rows else ""
    return render("kwic.html.j2", **_header_context(concordance), columns=[str(c) for c in columns],
                  lines=lines, more=more)


def index_html(results: Sequence[Any], parameters: Mapping[str, Any]) -> str:
    """The index page of the rendered reports: one row per notebook, and the parameters of the run.

    Parameters
    ----------
    results : sequence of :class:`~discourse.report.ReportResult`
        Each with ``notebook``, ``title``, ``status`` (``"ok"`` or not), ``html``
        (the report's path, or None), ``seconds`` and ``error``.
    parameters : mapping
        The parameters injected into every notebook.
    """
    # the href is the report's file name, which the template URL-quotes: "javascript:x.html" stays a relative link
    reports = [{"href": Path(r.html).name if r.html else "", "title": r.title, "notebook": r.notebook,
                "ok": r.status == "ok", "error": r.error, "seconds": r.seconds} for r in results]
    generated = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return render("index.html.j2", reports=reports, parameters=dict(parameters), generated=generated,
                  version=__version__)
