"""The ``discourse`` command, run as a subprocess (discourse.cli)."""
from __future__ import annotations

import io
import json
import subprocess
import sys

import pandas as pd
import pytest

import discourse as dc
from discourse.cli import build_parser, main

CORPUS = str(dc.sample_corpus_path())


def run(*args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "discourse.cli", *args], capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture(scope="module")
def tokens():
    return dc.load_sample()


def test_every_subcommand_has_help():
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    assert {"inspect", "audit", "frequencies", "keyness", "collocates", "kwic", "topics", "report"} <= set(commands)
    proc = run("report", "--help")
    assert proc.returncode == 0 and "usage: discourse report" in proc.stdout and "--corpus" in proc.stdout
    for name, sub in commands.items():  # every subcommand documents itself
        assert sub.description and sub.format_help().startswith(f"usage: discourse {name}")


def test_frequencies_to_stdout_match_the_library(tokens):
    proc = run("frequencies", CORPUS, "--by", "outlet", "--top", "5", "-q")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""  # --quiet: no progress
    got = pd.read_csv(io.StringIO(proc.stdout))
    want = dc.frequencies(tokens, by="outlet", top=5)
    pd.testing.assert_frame_equal(got[["group", "term", "freq", "rank"]].reset_index(drop=True),
                                  want[["group", "term", "freq", "rank"]].reset_index(drop=True),
                                  check_dtype=False)


def test_frequencies_to_excel_and_csv_with_parameters(tmp_path, tokens):
    xlsx, csv = tmp_path / "freq.xlsx", tmp_path / "freq.csv"
    assert run("frequencies", CORPUS, "--min-freq", "3", "-o", str(xlsx), "-q").returncode == 0
    proc = run("frequencies", CORPUS, "--min-freq", "3", "-o", str(csv))
    assert proc.returncode == 0
    assert "reading" in proc.stderr and "rows written to" in proc.stderr  # progress on stderr
    sheets = pd.read_excel(xlsx, sheet_name=None)
    assert set(sheets) == {"results", "parameters"}
    want = dc.frequencies(tokens, by="outlet", min_freq=3)
    assert len(sheets["results"]) == len(want) == len(pd.read_csv(csv))
    params = json.loads((tmp_path / "freq.params.json").read_text(encoding="utf-8"))
    assert params["analysis"] == "frequencies" and params["min_freq"] == 3
    assert dict(zip(sheets["parameters"]["parameter"], sheets["parameters"]["value"]))["min_freq"] == "3"


def test_inspect_and_audit(tmp_path):
    proc = run("inspect", CORPUS, "-q")
    assert proc.returncode == 0, proc.stderr
    assert "2 documents read, 0 skipped" in proc.stdout and "Description, not inference" in proc.stdout
    out = tmp_path / "audit.csv"
    assert run("audit", CORPUS, "-o", str(out), "-q").returncode == 0
    audit = pd.read_csv(out)
    corpus = dc.clean(dc.read_corpus(CORPUS))
    assert len(audit) == len(corpus.audit) and set(audit["rule"]) == set(corpus.audit["rule"])
    summary = pd.read_csv(io.StringIO(run("audit", CORPUS, "--summary", "-q").stdout))
    assert summary["spans"].sum() == len(corpus.audit)
    assert summary["characters"].sum() == (corpus.audit["end"] - corpus.audit["start"]).sum()


def test_keyness_kwic_collocates(tmp_path):
    proc = run("keyness", CORPUS, "--target", "RT", "--reference", "TFI Post", "--keep", "all", "-q")
    assert proc.returncode == 0, proc.stderr
    table = pd.read_csv(io.StringIO(proc.stdout))
    assert {"term", "log_likelihood", "log_ratio"} <= set(table.columns)
    assert set(table["target"]) == {"RT"}
    proc = run("kwic", CORPUS, "--node", "russia", "--by", "outlet", "-q")
    assert proc.returncode == 0, proc.stderr
    lines = pd.read_csv(io.StringIO(proc.stdout))
    assert len(lines) > 0 and set(lines["node"].str.lower()) == {"russia"}
    proc = run("collocates", CORPUS, "--node", "russia", "moscow", "--min-freq", "1", "--min-coll-freq", "1", "-q")
    assert proc.returncode == 0, proc.stderr
    assert "collocate" in pd.read_csv(io.StringIO(proc.stdout)).columns


def test_topics_terms_and_prevalence():
    args = ("topics", CORPUS, "--topics", "3", "--units", "paragraph", "--min-df", "2", "--seed", "4", "-q")
    proc = run(*args)
    assert proc.returncode == 0, proc.stderr
    terms = pd.read_csv(io.StringIO(proc.stdout))
    assert sorted(terms["topic"].unique()) == [1, 2, 3] and (terms.groupby("topic").size() == 10).all()
    assert "discourse: warning: fitting 3 topics" in proc.stderr  # the small-corpus warning, on one line
    prevalence = pd.read_csv(io.StringIO(run(*args, "--table", "prevalence").stdout))
    # each outlet's shares are a distribution over the topics
    assert prevalence.groupby("group")["share"].sum().round(6).eq(1).all()


@pytest.mark.parametrize("args, message", [
    (("frequencies", "no/such/corpus"), "no such file or folder: no/such/corpus"),
    (("frequencies", CORPUS, "--by", "nope"), "no metadata column 'nope'"),
    (("keyness", CORPUS, "--target", "Nowhere"), "Nowhere"),
    (("frequencies", CORPUS, "-o", "table.docx"), "cannot export"),
])
def test_errors_are_one_clear_line(args, message, capsys):
    assert main([*args, "-q"]) == 1  # in-process: the same entry point, without interpreter start-up
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("discourse: error:") and message in lines[0]


def test_errors_in_a_subprocess_and_usage_errors():
    proc = run("kwic", CORPUS, "--node", "russia", "--window", "-3", "-q")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.strip() == "discourse: error: window (left) must be a non-negative integer, not -3"
    proc = run("frequencies")
    assert proc.returncode == 2 and "usage:" in proc.stderr


def test_report_subcommand_runs_the_notebooks_on_a_given_corpus(tmp_path, capsys):
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [new_markdown_cell("# Corpus size"), new_code_cell('corpus_path = "../corpus"'),
                new_code_cell("import discourse as dc\nprint(len(dc.read_corpus(corpus_path)), 'documents')")]
    nb.cells[1].metadata["tags"] = ["parameters"]
    (tmp_path / "nbs").mkdir()
    nbformat.write(nb, tmp_path / "nbs" / "size.ipynb")
    # in-process (the subprocess route of the report is tested in test_report.py)
    assert main(["report", "--notebooks", str(tmp_path / "nbs"), "--out", str(tmp_path / "out"),
                 "--corpus", CORPUS, "-q"]) == 0
    assert "1 of 1 notebooks rendered" in capsys.readouterr().out
    assert "2 documents" in (tmp_path / "out" / "size.html").read_text(encoding="utf-8")
    assert "href='size.html'" in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
