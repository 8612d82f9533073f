"""Execute the notebooks headless and render them as HTML reports.

``python -m discourse.report`` (also ``discourse report``) executes every
``notebooks/*.ipynb`` with papermill, renders each as a self-contained HTML
report in ``reports/`` (figures embedded as PNG data URIs, article text
escaped), saves the executed notebook next to it, and writes
``reports/index.html`` linking them all. A failing cell makes the command
exit with status 1, naming the notebook, the cell and the line that raised.

Notebooks are executed by :mod:`discourse.execution` (papermill; its names
are re-exported here): the cell tagged ``parameters`` holds the defaults, and a
cell tagged ``injected-parameters`` with the new values is inserted right
after it. ``--corpus PATH`` sets ``corpus_path``; ``-p NAME=VALUE`` sets any
parameter, e.g. the reading options ``-p text_column=body -p outlet_column=source``.

Reproducible: notebooks run with ``PYTHONHASHSEED=0`` and their own fixed
seeds, figures are PNG, stream outputs are coalesced, and neither nbclient's
nor papermill's execution timings are kept, so executing twice gives the same
tables, figures and HTML.
"""
from __future__ import annotations

import argparse
import ast
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

import pandas as pd

from .execution import (DEFAULT_TIMEOUT, INJECTED_TAG, PARAMETERS_TAG, NotebookError, check_parameters,
                        execute_notebook, failing_line, inject_parameters, parameters_cell)
from .progress import progress_bar
from .render import index_html

__all__ = ["build_reports", "execute_notebook", "render_html", "notebook_title", "NotebookError", "failing_line",
           "ReportResult", "parameters_cell", "check_parameters", "inject_parameters", "parse_parameter",
           "add_arguments", "run", "main", "PARAMETERS_TAG", "INJECTED_TAG", "DEFAULT_TIMEOUT"]


@dataclass
class ReportResult:
    """Outcome of one notebook: status, paths, seconds, error message."""

    notebook: str
    title: str
    status: str
    html: str | None
    seconds: float
    error: str = ""


# --------------------------------------------------------------------------- parameters
def parse_parameter(text: str) -> tuple[str, Any]:
    """``NAME=VALUE`` from the command line; VALUE is a Python literal or else a string."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip().isidentifier():
        raise ValueError(f"parameters are NAME=VALUE, got {text!r}")
    try:
        return name.strip(), ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return name.strip(), value


# --------------------------------------------------------------------------- render
def notebook_title(nb: Any, default: str) -> str:
    """The first Markdown heading of a notebook (its title)."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return default


def render_html(nb: Any, path: str | Path, title: str | None = None) -> Path:
    """Render an executed notebook to one self-contained HTML file.

    Figures are embedded (PNG data URIs); text outputs are escaped by
    nbconvert, and HTML outputs come from escaping renderers (pandas, the
    discourse displays), so article text never becomes markup.
    """
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", embed_images=True)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title or Path(path).stem}})
    path = Path(path)
    path.write_text(body, encoding="utf-8")
    return path


def build_reports(notebooks: str | Path = "notebooks", out: str | Path = "reports", *,
                  corpus: str | Path | None = None, parameters: Mapping[str, Any] | None = None,
                  pattern: str = "*.ipynb", timeout: int = DEFAULT_TIMEOUT,
                  kernel_name: str = "python3", progress: bool = True) -> pd.DataFrame:
    """Execute every notebook in ``notebooks`` and render ``out/<name>.html`` plus ``out/index.html``.

    Parameters
    ----------
    notebooks, out : paths
        Folder of notebooks; folder for the reports (created).
    corpus : path, optional
        Run on this corpus (injected as ``corpus_path``, made absolute).
    parameters : mapping, optional
        Further parameters injected into every notebook.
    pattern : str
        Glob of notebooks to run.

    Returns
    -------
    DataFrame
        One row per notebook: ``notebook``, ``title``, ``status`` (``ok`` or
        ``failed``), ``html`` (report path), ``seconds`` and ``error``. A failed
        notebook is still rendered (up to the failing cell) so the error can be read.
    """
    import nbformat

    nb_dir, out_dir = Path(notebooks), Path(out)
    if not nb_dir.is_dir():
        raise FileNotFoundError(f"no notebooks folder {nb_dir}")
    paths = sorted(p for p in nb_dir.glob(pattern) if not p.name.startswith("."))
    if not paths:
        raise FileNotFoundError(f"no notebooks matching {pattern!r} in {nb_dir}")
    params = dict(parameters or {})
    if corpus is not None:
        if not Path(corpus).exists():
            raise FileNotFoundError(f"no such corpus: {corpus}")
        params["corpus_path"] = str(Path(corpus).resolve())
    tables = (out_dir / "tables").resolve()
    if tables != (nb_dir.resolve().parent / "reports" / "tables"):  # notebooks export there by default
        params.setdefault("export_dir", str(tables))
    out_dir.mkdir(parents=True, exist_ok=True)
    results: list[ReportResult] = []
    for path in progress_bar(paths, enabled=progress, postfix=lambda p: p.name, desc="notebooks",
                             unit="notebook", file=sys.stderr):
        t0 = time.perf_counter()
        status, error = "ok", ""
        try:
            nb = execute_notebook(path, params, timeout=timeout, kernel_name=kernel_name)
        except NotebookError as e:
            nb, status, error = e.nb, "failed", str(e)
        title = notebook_title(nb, path.stem)
        target = out_dir / f"{path.stem}.html"
        render_html(nb, target, title)
        nbformat.write(nb, out_dir / path.name)
        results.append(ReportResult(str(path), title, status, str(target), time.perf_counter() - t0, error))
    (out_dir / "index.html").write_text(index_html(results, params), encoding="utf-8")
    frame = pd.DataFrame([r.__dict__ for r in results])
    frame.attrs = {"analysis": "reports", "notebooks": str(nb_dir), "out": str(out_dir),
                   "parameters": params}
    return frame


# --------------------------------------------------------------------------- command line
def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The report options (shared by ``python -m discourse.report`` and ``discourse report``)."""
    parser.add_argument("--notebooks", default="notebooks", metavar="DIR",
                        help="folder of notebooks to execute (default: notebooks)")
    parser.add_argument("--out", default="reports", metavar="DIR",
                        help="folder for the HTML reports and index.html (default: reports)")
    parser.add_argument("--corpus", metavar="PATH",
                        help="run on this corpus instead of each notebook's default (sets corpus_path)")
    parser.add_argument("-p", "--parameter", action="append", default=[], metavar="NAME=VALUE",
                        help="set a notebook parameter (VALUE is a Python literal or a string); repeatable")
    parser.add_argument("--only", default="*.ipynb", metavar="GLOB",
                        help="run only the notebooks matching this pattern (default: *.ipynb)")
    parser.add_argument("--timeout", type=int, default=DEFAULT_TIMEOUT, help="seconds allowed per cell")
    parser.add_argument("--kernel", default="python3", help="Jupyter kernel name (default: python3)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    """Build the reports from parsed arguments; print a summary; return the exit status."""
    params = dict(parse_parameter(p) for p in args.parameter)
    table = build_reports(args.notebooks, args.out, corpus=args.corpus, parameters=params,
                          pattern=args.only, timeout=args.timeout, kernel_name=args.kernel,
                          progress=not args.quiet)
    failed = table[table["status"] != "ok"]
    for row in failed.itertuples():
        print(f"error: {row.error}", file=sys.stderr)
    n_ok = len(table) - len(failed)
    print(f"{n_ok} of {len(table)} notebooks rendered to {Path(args.out) / 'index.html'}",
          file=sys.stderr if len(failed) else sys.stdout)
    return 1 if len(failed) else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m discourse.report``."""
    parser = argparse.ArgumentParser(prog="python -m discourse.report",
                                     description="Execute the notebooks and render HTML reports with an index page.")
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return run(args)
    except (FileNotFoundError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
