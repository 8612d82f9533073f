"""Headless execution, parameter injection, failure reporting and HTML rendering (discourse.report)."""
from __future__ import annotations

import subprocess
import sys

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from discourse.report import (INJECTED_TAG, NotebookError, ReportResult, _index_html, execute_notebook,
                              inject_parameters, parameters_cell, parse_parameter)


def _notebook(*cells):
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for i, (kind, src) in enumerate(cells):
        cell = new_markdown_cell(src) if kind == "md" else new_code_cell(src)
        if kind == "params":
            cell.metadata["tags"] = ["parameters"]
        cell["id"] = f"c{i}"
        nb.cells.append(cell)
    return nb


def test_inject_parameters_after_the_parameters_cell():
    nb = _notebook(("md", "# T"), ("params", "x = 1\nname = 'a'"), ("code", "print(x)"))
    assert parameters_cell(nb) == 1
    at = inject_parameters(nb, {"x": 2, "name": "it's", "groups": ["RT", None], "opts": {"k": 1.5}})
    assert at == 2
    cell = nb.cells[2]
    assert cell.metadata["tags"] == [INJECTED_TAG]
    ns: dict = {}
    exec(nb.cells[1].source + "\n" + cell.source, ns)  # the injected values win, as Python literals
    assert (ns["x"], ns["name"], ns["groups"], ns["opts"]) == (2, "it's", ["RT", None], {"k": 1.5})
    nbformat.validate(nb)


def test_inject_parameters_edge_cases():
    nb = _notebook(("code", "print(1)"))
    assert inject_parameters(nb, {}) is None and len(nb.cells) == 1
    assert inject_parameters(nb, {"x": 1}) == 0  # no parameters cell: at the top, as papermill does
    with pytest.raises(ValueError, match="not a Python identifier"):
        inject_parameters(nb, {"not valid": 1})
    with pytest.raises(ValueError, match="not a Python literal"):
        inject_parameters(nb, {"x": object()})


def test_parse_parameter():
    assert parse_parameter("top_n=20") == ("top_n", 20)
    assert parse_parameter("target=RT") == ("target", "RT")
    assert parse_parameter("nodes=['russia', 'moscow']") == ("nodes", ["russia", "moscow"])
    assert parse_parameter("reference=None") == ("reference", None)
    with pytest.raises(ValueError, match="NAME=VALUE"):
        parse_parameter("oops")


def test_failing_cell_is_named_with_its_number_in_the_saved_notebook(tmp_path):
    nb = _notebook(("md", "# Fails"), ("params", "x = 1"), ("code", "y = x + 1"),
                   ("code", "raise ValueError(f'boom {y}')"), ("code", "print('never')"))
    path = tmp_path / "fails.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(NotebookError) as info:
        execute_notebook(path, {"x": 41})
    err = info.value
    assert err.cell == 4  # 1-based, as the user sees it: the injected cell is not counted
    assert (err.ename, err.evalue) == ("ValueError", "boom 42")
    assert "fails.ipynb: cell 4 failed" in str(err) and "raise ValueError" in str(err)
    assert err.nb.cells[-1].get("outputs") == []  # execution stopped at the failure


def test_report_command_renders_figures_escapes_and_fails_loudly(tmp_path):
    nbdir, out = tmp_path / "nbs", tmp_path / "out"
    nbdir.mkdir()
    ok = _notebook(
        ("md", "# A <b>good</b> report"), ("params", "label = 'default'"),
        ("code", "import matplotlib.pyplot as plt, pandas as pd\n"
                 "from discourse.display import setup_notebook\nsetup_notebook(0)"),
        ("code", "pd.DataFrame({'text': ['<script>alert(\"xss\")</script>', label]})"),
        ("code", "fig, ax = plt.subplots(); ax.plot([1, 2, 3]); ax.set_title(label)"))
    bad = _notebook(("md", "# Broken"), ("code", "1 / 0"))
    nbformat.write(ok, nbdir / "a_ok.ipynb")
    nbformat.write(bad, nbdir / "b_bad.ipynb")
    proc = subprocess.run([sys.executable, "-m", "discourse.report", "--notebooks", str(nbdir), "--out", str(out),
                           "-p", "label=<i>injected</i>", "-q"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1
    assert "b_bad.ipynb: cell 2 failed" in proc.stderr and "ZeroDivisionError" in proc.stderr
    assert "Traceback" not in proc.stderr
    page = (out / "a_ok.html").read_text(encoding="utf-8")
    assert page.count('src="data:image/png;base64,') == 1  # the figure, embedded
    assert '<script>alert("xss")' not in page and "&lt;script&gt;alert(" in page
    assert "&lt;i&gt;injected&lt;/i&gt;" in page  # the injected value reached the table, escaped
    assert (out / "b_bad.html").exists()  # the failure is rendered up to the failing cell
    executed = nbformat.read(out / "a_ok.ipynb", as_version=4)
    assert INJECTED_TAG in executed.cells[2].metadata["tags"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "href='a_ok.html'" in index and "href='b_bad.html'" in index
    assert "A &lt;b&gt;good&lt;/b&gt; report" in index and "<b>failed</b>" in index


def test_index_page_escapes_everything():
    page = _index_html([ReportResult("nb/<x>.ipynb", "<img src=x onerror=alert(1)>", "failed", "r/x.html", 1.0,
                                     "cell 1 failed: <script>")], {"node": "<b>"})
    assert "<img src=x" not in page and "&lt;img src=x" in page
    assert "<script>" not in page and "&lt;b&gt;" in page


def test_report_command_usage_errors(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "discourse.report", "--notebooks", str(tmp_path / "none")],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.strip().startswith("error: no notebooks folder") and "Traceback" not in proc.stderr
