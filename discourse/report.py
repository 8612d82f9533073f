"""Execute the notebooks headless and render them as HTML reports.

``python -m discourse.report`` (also ``discourse report``) executes every
``notebooks/*.ipynb`` with nbclient, renders each as a self-contained HTML
report in ``reports/`` (figures embedded as PNG data URIs, article text
escaped), saves the executed notebook next to it, and writes
``reports/index.html`` linking them all. A failing cell makes the command
exit with status 1, naming the notebook and the cell.

Parameters are injected as papermill does: the cell tagged ``parameters``
holds the defaults, and a cell tagged ``injected-parameters`` with the new
values is inserted right after it. ``--corpus PATH`` sets ``corpus_path``.

Reproducible: notebooks run with ``PYTHONHASHSEED=0`` and their own fixed
seeds, figures are PNG, execution timings are not recorded, so executing twice
gives the same tables and figures.
"""
from __future__ import annotations

import argparse
import ast
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

import pandas as pd

from .progress import progress_bar
from .render import index_html

__all__ = ["build_reports", "execute_notebook", "render_html", "notebook_title", "NotebookError", "ReportResult",
           "parameters_cell", "inject_parameters", "parse_parameter", "add_arguments", "run", "main",
           "PARAMETERS_TAG", "INJECTED_TAG", "DEFAULT_TIMEOUT"]

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


def inject_parameters(nb: Any, parameters: Mapping[str, Any]) -> int | None:
    """Insert a cell assigning ``parameters`` after the ``parameters`` cell (at the top if none).

    Values must be Python literals (str, numbers, bool, None, lists, dicts).
    Returns the index of the injected cell (None when there is nothing to inject).
    """
    import nbformat

    if not parameters:
        return None
    lines = ["# Parameters injected by discourse.report"]
    for name, value in parameters.items():
        if not str(name).isidentifier():
            raise ValueError(f"parameter name {name!r} is not a Python identifier")
        try:
            ast.literal_eval(repr(value))
        except (ValueError, SyntaxError):
            raise ValueError(f"parameter {name!r}: {value!r} is not a Python literal") from None
        lines.append(f"{name} = {value!r}")
    cell = nbformat.v4.new_code_cell("\n".join(lines), metadata={"tags": [INJECTED_TAG]})
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


def execute_notebook(path: str | Path, parameters: Mapping[str, Any] | None = None, *,
                     timeout: int = DEFAULT_TIMEOUT, kernel_name: str = "python3",
                     cwd: str | Path | None = None) -> Any:
    """Execute a notebook headless with nbclient; return the executed ``NotebookNode``.

    Parameters
    ----------
    path : path of the ``.ipynb`` file
    parameters : mapping, optional
        Values injected after the ``parameters`` cell (see :func:`inject_parameters`).
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
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    injected = inject_parameters(nb, parameters or {})
    # The kernel talks over Unix sockets in a private temporary folder: no TCP port (and no
    # "unencrypted TCP" warning), nothing left behind.
    sockets = tempfile.TemporaryDirectory(prefix="discourse-kernel-")
    km = KernelManager(kernel_name=kernel_name, transport="ipc", ip=os.path.join(sockets.name, "kernel"))
    client = NotebookClient(nb, km=km, timeout=timeout, kernel_name=kernel_name, record_timing=False,
                            coalesce_streams=True,  # how print() output is chunked varies run to run
                            resources={"metadata": {"path": str(cwd or path.parent)}})
    try:
        client.execute(env=_kernel_env())
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as e:
        index = next((i for i, c in enumerate(nb.cells)
                      if any(o.get("output_type") == "error" for o in c.get("outputs", []))), None)
        if index is None:  # timeout or dead kernel: the first cell never finished
            index = next((i for i, c in enumerate(nb.cells)
                          if c.cell_type == "code" and c.get("execution_count") is None), None)
        ename, evalue = type(e).__name__, str(e).strip().splitlines()[-1] if str(e).strip() else ""
        if index is not None:
            err = next((o for o in nb.cells[index].get("outputs", []) if o.get("output_type") == "error"), None)
            if err is not None:
                ename, evalue = err.get("ename", ename), err.get("evalue", evalue)
        cell_no = None
        if index is not None and index != injected:
            cell_no = index + 1 - (1 if injected is not None and index > injected else 0)
        source = nb.cells[index].source if index is not None else ""
        raise NotebookError(str(path), cell_no, source, ename, evalue, nb) from None
    finally:
        if km.has_kernel:
            km.shutdown_kernel(now=True)
        sockets.cleanup()
    return nb


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
