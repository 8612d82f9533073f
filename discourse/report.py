"""Execute the notebooks headless and render them as HTML reports.

``python -m discourse.report`` (also ``discourse report``) executes every
``notebooks/*.ipynb`` with papermill, renders each as a self-contained HTML
report in ``reports/`` (figures embedded as PNG data URIs, article text
escaped), saves the executed notebook next to it, and writes
``reports/index.html`` linking them all. A failing cell makes the command
exit with status 1, naming the notebook and the cell.

Parameters are injected by papermill: the cell tagged ``parameters`` holds
the defaults, and a cell tagged ``injected-parameters`` with the new values is
inserted right after it. ``--corpus PATH`` sets ``corpus_path``. Each kernel
talks over Unix sockets in a private temporary folder and is shut down after
its notebook.

Reproducible: notebooks run with ``PYTHONHASHSEED=0`` and their own fixed
seeds, figures are PNG, stream outputs are coalesced, and neither nbclient's
nor papermill's execution timings are kept, so executing twice gives the same
tables, figures and HTML.
"""
from __future__ import annotations

import argparse
import ast
import logging
import os
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

import pandas as pd

from .progress import progress_bar
from .render import index_html

__all__ = ["build_reports", "execute_notebook", "render_html", "notebook_title", "NotebookError", "ReportResult",
           "parameters_cell", "check_parameters", "inject_parameters", "parse_parameter", "add_arguments", "run",
           "main", "PARAMETERS_TAG", "INJECTED_TAG", "DEFAULT_TIMEOUT"]

PARAMETERS_TAG = "parameters"
INJECTED_TAG = "injected-parameters"
DEFAULT_TIMEOUT = 600


class NotebookError(RuntimeError):
    """A notebook cell failed. ``notebook``, ``cell`` (1-based, as in the saved notebook) and ``nb``."""

    def __init__(self, notebook: str, cell: int | None, source: str, ename: str, evalue: str,
                 nb: Any = None) -> None:
        self.notebook, self.cell, self.source, self.ename, self.evalue, self.nb = (
            notebook, cell, source, ename, evalue, nb)
        first = next((ln.strip() for ln in source.splitlines() if ln.strip()), "")
        where = f"cell {cell}" if cell is not None else "injected parameters cell"
        super().__init__(f"{notebook}: {where} failed ({first[:60]!r}): {ename}: {evalue}")


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
def parameters_cell(nb: Any) -> int | None:
    """Index of the cell tagged ``parameters`` (papermill convention), or None."""
    for i, cell in enumerate(nb.cells):
        if PARAMETERS_TAG in cell.get("metadata", {}).get("tags", []):
            return i
    return None


def check_parameters(parameters: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters as a dict, once each name is an identifier and papermill writes each value back exactly.

    papermill writes str, numbers, bool, None, and lists and dicts of them as
    Python literals; anything else (a tuple, a set, an object) it would write
    as a string, so such values are refused rather than silently changed.

    Parameters
    ----------
    parameters : mapping
        Parameter names and values, e.g. from :func:`parse_parameter`.

    Returns
    -------
    dict
        The same parameters.

    Raises
    ------
    ValueError
        A name is not a Python identifier, or a value is not such a literal.
    """
    from papermill.translators import PythonTranslator

    for name, value in parameters.items():
        if not str(name).isidentifier():
            raise ValueError(f"parameter name {name!r} is not a Python identifier")
        try:
            same = repr(ast.literal_eval(PythonTranslator.translate(value))) == repr(value)
        except (ValueError, SyntaxError):
            same = False
        if not same:
            raise ValueError(f"parameter {name!r}: {value!r} is not a Python literal papermill can inject "
                             "(str, number, bool, None, or a list or dict of them)")
    return dict(parameters)


def inject_parameters(nb: Any, parameters: Mapping[str, Any]) -> int | None:
    """Insert the cell papermill injects: ``parameters`` assigned after the ``parameters`` cell (at the top if none).

    The code is papermill's own translation, so a notebook prepared here reads
    as one :func:`execute_notebook` runs. Values must be Python literals (see
    :func:`check_parameters`). Returns the index of the injected cell (None
    when there is nothing to inject).
    """
    import nbformat
    from papermill.translators import translate_parameters

    if not parameters:
        return None
    source = translate_parameters("python3", "python", check_parameters(parameters), "Parameters")
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": [INJECTED_TAG]})
    cell["id"] = INJECTED_TAG
    at = parameters_cell(nb)
    index = 0 if at is None else at + 1
    nb.cells.insert(index, cell)
    return index


def parse_parameter(text: str) -> tuple[str, Any]:
    """``NAME=VALUE`` from the command line; VALUE is a Python literal or else a string."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip().isidentifier():
        raise ValueError(f"parameters are NAME=VALUE, got {text!r}")
    try:
        return name.strip(), ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return name.strip(), value


# --------------------------------------------------------------------------- execute and render
def _kernel_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)  # the inline backend must capture the figures
    env["PYTHONHASHSEED"] = "0"  # set/dict-of-set iteration order, hence ties, stay fixed
    env["TQDM_DISABLE"] = "1"  # progress bars (with timings) would make reports differ run to run
    return env


def _kernel_manager(kernel_name: str, folder: str) -> Any:
    """A kernel manager for one notebook: Unix sockets in ``folder`` (no TCP port, no "unencrypted TCP"
    warning), and the kernel started with :func:`_kernel_env`.

    papermill's nbclient starts the kernel (in the notebook's folder, with an
    in-memory history) but passes it no environment, hence the override. The
    manager is asynchronous, as nbclient's own: with a blocking one, nbclient
    neither enforces the cell timeout nor notices a dead kernel.
    """
    from jupyter_client.manager import AsyncKernelManager

    env = _kernel_env()

    class ReportKernelManager(AsyncKernelManager):
        async def start_kernel(self, **kw: Any) -> None:
            kw.setdefault("env", env)
            await super().start_kernel(**kw)

    return ReportKernelManager(kernel_name=kernel_name, transport="ipc", ip=os.path.join(folder, "kernel"))


@contextmanager
def _papermill_errors_only() -> Iterator[None]:
    """papermill's log shows errors only, while it runs here.

    The reports give every notebook the same parameters, so papermill's warnings
    that one is missing from a notebook's parameters cell (or that it cannot
    parse a commented line of that cell) are expected, not news.
    """
    log = logging.getLogger("papermill")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        log.setLevel(level)


def _make_deterministic(nb: Any) -> None:
    """Drop what papermill records about the run (times, temporary paths), and give its cells fixed ids.

    Rendered reports then depend only on the notebook and its outputs: the ids
    of the cells papermill inserts are random, and they are part of the HTML.
    """
    from papermill.execute import ERROR_MARKER_TAG

    for key in ("start_time", "end_time", "duration", "input_path", "output_path"):
        nb.metadata.get("papermill", {}).pop(key, None)
    markers = 0
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        if cell.metadata.get("tags") == []:  # papermill tags every cell
            del cell.metadata["tags"]
        tags = cell.metadata.get("tags", [])
        if INJECTED_TAG in tags:
            cell["id"] = INJECTED_TAG
        elif ERROR_MARKER_TAG in tags:  # the error banner and the anchor before the failed cell
            cell["id"], markers = f"papermill-error-{markers}", markers + 1


def _failed_cell(nb: Any, index: int | None, source: str | None) -> tuple[int | None, str]:
    """The 1-based number of cell ``index`` as the user counts it (the injected cell and papermill's banner
    do not count; None for the injected cell itself), and its source."""
    from papermill.execute import ERROR_MARKER_TAG

    cells = [c for c in nb.cells if ERROR_MARKER_TAG not in c.metadata.get("tags", [])]
    if index is None or index >= len(cells):
        return None, source or ""
    if INJECTED_TAG in cells[index].metadata.get("tags", []):
        return None, cells[index].source
    number = sum(INJECTED_TAG not in c.metadata.get("tags", []) for c in cells[:index + 1])
    return number, cells[index].source if source is None else source


def execute_notebook(path: str | Path, parameters: Mapping[str, Any] | None = None, *,
                     timeout: int = DEFAULT_TIMEOUT, kernel_name: str = "python3",
                     cwd: str | Path | None = None) -> Any:
    """Execute a notebook headless with papermill; return the executed ``NotebookNode``.

    Parameters
    ----------
    path : path of the ``.ipynb`` file
    parameters : mapping, optional
        Values papermill injects after the ``parameters`` cell (see :func:`check_parameters`).
    timeout : int
        Seconds allowed per cell.
    kernel_name : str
        Jupyter kernel (default ``python3``: the Python running this function).
    cwd : path, optional
        Working directory of the kernel; default the notebook's folder (as in Jupyter).

    Raises
    ------
    NotebookError
        When a cell fails; names the notebook and the cell, and carries the
        partially executed notebook in ``.nb`` (to render the failure).
    """
    import nbformat
    import papermill
    from jupyter_core.utils import run_sync
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    path = Path(path)
    params = check_parameters(parameters or {})
    cwd = str(cwd or path.parent)
    failure = None
    with tempfile.TemporaryDirectory(prefix="discourse-kernel-") as private:
        saved = os.path.join(private, "executed.ipynb")  # papermill saves as cells run: what a failure leaves
        km = _kernel_manager(kernel_name, private)
        try:
            with _papermill_errors_only():
                nb = papermill.execute_notebook(
                    str(path), saved, parameters=params, kernel_name=kernel_name, cwd=cwd, progress_bar=False,
                    log_output=False, execution_timeout=timeout, km=km, record_timing=False,
                    coalesce_streams=True)  # how print() output is chunked varies run to run
        except PapermillExecutionError as e:
            failure = e.cell_index, e.source, e.ename, e.evalue
        except (CellTimeoutError, DeadKernelError) as e:  # papermill lets these through, without a banner
            lines = str(e).strip().splitlines()  # the first line says what happened; a cell preview follows
            failure = None, None, type(e).__name__, lines[0] if lines else ""
        finally:
            if km.has_kernel:
                run_sync(km.shutdown_kernel)(now=True)
        if failure is not None:
            nb = nbformat.read(saved, as_version=4)
    _make_deterministic(nb)
    if failure is None:
        return nb
    index, source, ename, evalue = failure
    if index is None:  # timeout or dead kernel: the last code cell the kernel began
        index = max((i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.execution_count), default=None)
    cell, source = _failed_cell(nb, index, source)
    raise NotebookError(str(path), cell, source, ename, evalue, nb) from None


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
