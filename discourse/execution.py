"""Execute one notebook headless with papermill: parameters, kernel, failures.

:func:`execute_notebook` runs a notebook with papermill: the cell tagged
``parameters`` holds the defaults, and a cell tagged ``injected-parameters``
with the new values is inserted right after it (:func:`inject_parameters`
prepares a notebook the same way). Each kernel talks over Unix sockets in a
private temporary folder and is shut down after its notebook. A failing cell
raises :class:`NotebookError`, which names the notebook, the cell, and the
line of the cell that raised (read from IPython's traceback), not the cell's
first line. :mod:`discourse.report` builds the reports on top of this.
"""
from __future__ import annotations

import ast
import logging
import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

__all__ = ["execute_notebook", "NotebookError", "failing_line", "parameters_cell", "check_parameters",
           "inject_parameters", "PARAMETERS_TAG", "INJECTED_TAG", "DEFAULT_TIMEOUT"]

PARAMETERS_TAG = "parameters"
INJECTED_TAG = "injected-parameters"
DEFAULT_TIMEOUT = 600


class NotebookError(RuntimeError):
    """A notebook cell failed: the message names the notebook, the cell, the failing line and the error.

    ``notebook`` (path), ``cell`` (1-based, as in the saved notebook; None for
    the injected parameters cell), ``line`` (1-based line of that cell where the
    error was raised, from the traceback; None when unknown, e.g. a timeout),
    ``code`` (that line's text), ``source`` (the cell's code), ``ename``,
    ``evalue`` and ``nb`` (the partly executed notebook). For example
    ``03_keyness.ipynb, cell 3, line 4: corpus = dc.read_corpus(corpus_path): ValueError: …``.
    """

    def __init__(self, notebook: str, cell: int | None, source: str, ename: str, evalue: str,
                 nb: Any = None, line: int | None = None) -> None:
        self.notebook, self.cell, self.source, self.ename, self.evalue, self.nb = (
            notebook, cell, source, ename, evalue, nb)
        lines = source.splitlines()
        self.line = line if line is not None and 1 <= line <= len(lines) else None
        self.code = lines[self.line - 1].strip() if self.line is not None else ""
        where = f"cell {cell}" if cell is not None else "injected parameters cell"
        if self.line is not None:
            code = self.code if len(self.code) <= 100 else self.code[:99] + "\u2026"
            if len(code) == len(self.code) and _continues(source, self.line):
                code += " \u2026"  # the statement goes on over the next lines
            where += f", line {self.line}: {code}"
        super().__init__(f"{Path(notebook).name}, {where}: {ename}: {evalue}")


def _continues(source: str, line: int) -> bool:
    """Whether the statement on ``line`` of ``source`` goes on to a later line (False when it cannot be parsed)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython syntax (magics), or the error itself
        return False
    return any(isinstance(node, ast.stmt) and not isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.If, ast.For,
                                                                    ast.While, ast.With, ast.Try))
               and node.lineno <= line < (node.end_lineno or node.lineno) for node in ast.walk(tree))


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_CELL_FRAME = re.compile(r"^[ \t]*(?:Cell|Input) In ?\[\s*\d*\s*\], line (\d+)", re.M)


def failing_line(traceback: Sequence[str]) -> int | None:
    """The line of the cell where the error was raised: the first frame of IPython's traceback that is in the cell.

    IPython writes such a frame as ``Cell In[7], line 4`` (colours stripped); the
    frames after it are inside the functions the cell called. None when no frame is in the cell.
    """
    match = _CELL_FRAME.search(_ANSI.sub("", "\n".join(traceback or [])))
    return int(match.group(1)) if match else None


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


# --------------------------------------------------------------------------- execute
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
        When a cell fails; names the notebook, the cell and the line that
        raised, and carries the partially executed notebook in ``.nb`` (to render the failure).
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
            failure = e.cell_index, e.source, e.ename, e.evalue, failing_line(e.traceback)
        except (CellTimeoutError, DeadKernelError) as e:  # papermill lets these through, without a banner
            lines = str(e).strip().splitlines()  # the first line says what happened; a cell preview follows
            failure = None, None, type(e).__name__, lines[0] if lines else "", None
        finally:
            if km.has_kernel:
                run_sync(km.shutdown_kernel)(now=True)
        if failure is not None:
            nb = nbformat.read(saved, as_version=4)
    _make_deterministic(nb)
    if failure is None:
        return nb
    index, source, ename, evalue, line = failure
    if index is None:  # timeout or dead kernel: the last code cell the kernel began
        index = max((i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.execution_count), default=None)
    cell, source = _failed_cell(nb, index, source)
    raise NotebookError(str(path), cell, source, ename, evalue, nb, line) from None
