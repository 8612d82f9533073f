"""The README's snippets run as written, on the sample corpus.

Every fenced ```python block is executed statement by statement in one namespace, and every line of
every ```bash block runs in bash (one test each, so they run in parallel), each from a scratch folder
that holds what the README's paths name (a copy of ``corpus/`` and ``notebooks/``), with ``.venv/bin`` on
``PATH`` as an activated environment has it (``python`` and ``discourse`` there are this interpreter and
its ``discourse.cli`` entry point).

"Runs" means: no exception and exit status 0, every table a Python expression shows has rows, every
table command's output (``-o FILE`` or standard output) has rows, and no query goes without hits. The
lines not run are listed in ``NOT_RUN`` with the reason; the list must match the README exactly.
"""
from __future__ import annotations

import ast
import os
import re
import shlex
import shutil
import subprocess
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"

# Shell lines of the README that this test does not run, each with the reason (exact commands, comments
# stripped). `make` builds .venv and is what CI runs; the benchmarks take about 15 minutes.
NOT_RUN = {
    "make report": "make's own target (installs .venv, then `python -m discourse.report`, run below)",
    "make test": "the test suite itself (.ci/run runs it)",
    "make bench": "every benchmark, about 15 minutes",
    **{f".venv/bin/python benchmarks/bench_{name}.py": "one of the benchmarks `make bench` runs"
       for name in ("pipeline", "keyness", "collocates_kwic", "topics", "report", "versions", "memory")},
}
TABLE_COMMANDS = {"inspect", "audit", "frequencies", "keyness", "collocates", "kwic", "topics"}


@dataclass
class Snippet:
    language: str
    line: int  # README line of the block's first code line
    code: str


def snippets(text: str) -> list[Snippet]:
    """The fenced code blocks of a Markdown text, with their language and starting line."""
    out, lines = [], text.splitlines()
    i = 0
    while i < len(lines):
        m = re.match(r"^```(\w*)\s*$", lines[i])
        if m:
            end = next(j for j in range(i + 1, len(lines)) if lines[j].startswith("```"))
            out.append(Snippet(m.group(1), i + 2, "\n".join(lines[i + 1:end])))
            i = end
        i += 1
    return out


def _command(line: str) -> str:
    """A shell line without its comment, words joined by single spaces."""
    return shlex.join(shlex.split(line, comments=True))


def shell_lines(text: str) -> list[tuple[int, str]]:
    return [(s.line + k, line) for s in snippets(text) if s.language in ("bash", "sh", "shell")
            for k, line in enumerate(s.code.splitlines()) if _command(line)]


def _scratch(work: Path) -> dict:
    """``work`` gets the README's paths (corpus/, notebooks/) and an activated ``.venv/bin``; returns its env."""
    shutil.copytree(ROOT / "corpus", work / "corpus")  # the link's target, as a user's clone has it
    shutil.copytree(ROOT / "notebooks", work / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    bin_dir = work / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    # the console script `discourse` is discourse.cli:main (pyproject's [project.scripts]); both run this interpreter
    for name, args in (("python", ""), ("discourse", " -m discourse.cli")):
        (bin_dir / name).write_text(f'#!/bin/sh\nexec "{sys.executable}"{args} "$@"\n')
        (bin_dir / name).chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}", "TQDM_DISABLE": "1"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
    return env


SHELL_LINES = shell_lines(README.read_text(encoding="utf-8"))
RUN = [(n, line) for n, line in SHELL_LINES if _command(line) not in NOT_RUN]


def test_every_snippet_is_run_or_listed_with_its_reason():
    languages = {s.language for s in snippets(README.read_text(encoding="utf-8"))}
    assert {"python", "bash"} <= languages and languages <= {"python", "bash"}, languages  # no block unchecked
    skipped = {_command(line) for _, line in SHELL_LINES if _command(line) in NOT_RUN}
    assert skipped == set(NOT_RUN), f"NOT_RUN lists lines the README no longer has: {set(NOT_RUN) - skipped}"
    assert len(RUN) >= 8 and len(RUN) + len(NOT_RUN) == len(SHELL_LINES)
    assert any(_command(line).startswith("discourse report") for _, line in RUN)
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts == {"discourse": "discourse.cli:main"}  # what the `discourse` stand-in runs


def test_python_snippets_run_as_written(tmp_path, monkeypatch):
    """Each statement of each ```python block, in order, in one namespace; all failures listed at once."""
    _scratch(tmp_path)
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": "__readme__"}
    failures, ran, undefined = [], 0, set()  # names a failed statement would have bound
    for snippet in (s for s in snippets(README.read_text(encoding="utf-8")) if s.language == "python"):
        for stmt in ast.parse(snippet.code).body:
            where = f"README.md:{snippet.line + stmt.lineno - 1}: {ast.get_source_segment(snippet.code, stmt)}"
            ran += 1
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # warnings are the library's to test; results are ours
                    if isinstance(stmt, ast.Expr):
                        value = eval(compile(ast.Expression(stmt.value), "README.md", "eval"), namespace)
                        if isinstance(value, pd.DataFrame) and value.empty:
                            failures.append(f"{where}\n    -> an empty table ({value.shape[1]} columns)")
                    else:
                        exec(compile(ast.Module([stmt], []), "README.md", "exec"), namespace)
            except Exception as e:  # noqa: BLE001 - report every failing line, not the first
                if isinstance(e, NameError) and e.name in undefined:
                    failures.append(f"{where}\n    -> (not run: {e.name!r} comes from a failed line above)")
                else:
                    failures.append(f"{where}\n    -> {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}")
                undefined |= {n.id for n in ast.walk(stmt) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    assert ran >= 15  # both blocks were found and run
    assert not failures, "README Python lines that do not work as written:\n" + "\n".join(failures)


def _table_rows(command: list[str], stdout: str, cwd: Path) -> int | None:
    """Rows of the table a `discourse` table command wrote (-o FILE, else standard output); None for others."""
    if len(command) < 2 or command[0] != "discourse" or command[1] not in TABLE_COMMANDS:
        return None
    output = next((command[i + 1] for i, w in enumerate(command[:-1]) if w in ("-o", "--output")), None)
    if output is None:
        return max(len(stdout.strip().splitlines()) - 1, 0) if command[1] != "inspect" else len(stdout.splitlines())
    path = cwd / output
    return len(pd.read_excel(path) if path.suffix == ".xlsx" else pd.read_csv(path, sep=None, engine="python"))


@pytest.mark.parametrize("number, line", RUN, ids=[f"README.md:{n} {_command(line)[:60]}" for n, line in RUN])
def test_shell_line_runs_as_written(number, line, tmp_path):
    """One shell line of the README in bash from a scratch folder: exit 0, rows in its table, hits for its query."""
    env = _scratch(tmp_path)
    proc = subprocess.run(["bash", "-c", line], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    where = f"README.md:{number}: {_command(line)}"
    assert proc.returncode == 0, f"{where}\n    -> exit {proc.returncode}: {proc.stderr.strip()[-1500:]}"
    no_hits = re.search(r"discourse: no hits for .*", proc.stderr)
    assert not no_hits, f"{where}\n    -> {no_hits.group(0)}"
    command = shlex.split(line, comments=True)
    assert _table_rows(command, proc.stdout, tmp_path) != 0, f"{where}\n    -> an empty table"
    if command[:2] == ["discourse", "report"]:
        assert (tmp_path / "reports" / "index.html").exists()
