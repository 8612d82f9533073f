"""The ``discourse`` command, run as a subprocess (discourse.cli)."""
from __future__ import annotations

import io
import json
import re
import subprocess
import sys

import pandas as pd
import pytest

import discourse as dc
from discourse.cli import build_parser, main
from discourse.cli_flags import flag_names, flag_wording

CORPUS = str(dc.sample_corpus_path())


def run(*args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    """The command in a subprocess (interpreter start-up included: kept for the entry point itself)."""
    return subprocess.run([sys.executable, "-m", "discourse.cli", *args], capture_output=True, text=True,
                          timeout=timeout)


def cli(capsys, *args: str) -> tuple[int, str, str]:
    """The command in-process (the same entry point, without the start-up): exit status, stdout, stderr."""
    capsys.readouterr()
    try:
        code = main(list(args))
    except SystemExit as e:  # argparse's usage errors
        code = e.code
    out, err = capsys.readouterr()
    return code, out, err


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


def test_frequencies_to_excel_and_csv_with_parameters(tmp_path, tokens, capsys):
    xlsx, csv = tmp_path / "freq.xlsx", tmp_path / "freq.csv"
    code, _, err = cli(capsys, "frequencies", CORPUS, "--min-freq", "3", "-o", str(xlsx), "-q")
    assert code == 0 and err == f"discourse: wrote {xlsx} ({len(pd.read_excel(xlsx)):,} rows)\n"  # even with -q
    code, _, err = cli(capsys, "frequencies", CORPUS, "--min-freq", "3", "-o", str(csv))
    assert code == 0 and "discourse: reading" in err  # progress on stderr
    # every file written is named, the parameters sidecar too, and nothing else was written
    rows = len(pd.read_csv(csv))
    assert err.splitlines()[-1] == f"discourse: wrote {csv} ({rows:,} rows) and {tmp_path / 'freq.params.json'} (parameters)"
    assert sorted(f.name for f in tmp_path.iterdir()) == ["freq.csv", "freq.params.json", "freq.xlsx"]
    sheets = pd.read_excel(xlsx, sheet_name=None)
    assert set(sheets) == {"results", "parameters"}
    want = dc.frequencies(tokens, by="outlet", min_freq=3)
    assert len(sheets["results"]) == len(want) == len(pd.read_csv(csv))
    params = json.loads((tmp_path / "freq.params.json").read_text(encoding="utf-8"))
    assert params["analysis"] == "frequencies" and params["min_freq"] == 3
    assert dict(zip(sheets["parameters"]["parameter"], sheets["parameters"]["value"]))["min_freq"] == "3"


def test_inspect_and_audit(tmp_path, capsys):
    code, out, err = cli(capsys, "inspect", CORPUS, "-q")
    assert code == 0, err
    assert "2 documents read, 0 skipped" in out and "Description, not inference" in out
    out = tmp_path / "audit.csv"
    assert cli(capsys, "audit", CORPUS, "-o", str(out), "-q")[0] == 0
    audit = pd.read_csv(out)
    corpus = dc.clean(dc.read_corpus(CORPUS))
    assert len(audit) == len(corpus.audit) and set(audit["rule"]) == set(corpus.audit["rule"])
    summary = pd.read_csv(io.StringIO(cli(capsys, "audit", CORPUS, "--summary", "-q")[1]))
    assert summary["spans"].sum() == len(corpus.audit)
    assert summary["characters"].sum() == (corpus.audit["end"] - corpus.audit["start"]).sum()


def test_keyness_kwic_collocates(capsys):
    code, out, err = cli(capsys, "keyness", CORPUS, "--target", "RT", "--reference", "TFI Post", "--keep", "all", "-q")
    assert code == 0, err
    table = pd.read_csv(io.StringIO(out))
    assert {"term", "log_likelihood", "log_ratio"} <= set(table.columns)
    assert set(table["target"]) == {"RT"}
    code, out, err = cli(capsys, "kwic", CORPUS, "--node", "russia", "--by", "outlet", "-q")
    assert code == 0, err
    lines = pd.read_csv(io.StringIO(out))
    assert len(lines) > 0 and set(lines["node"].str.lower()) == {"russia"}
    code, out, err = cli(capsys, "collocates", CORPUS, "--node", "russia", "moscow", "--min-freq", "1",
                         "--min-coll-freq", "1", "-q")
    assert code == 0, err
    assert "collocate" in pd.read_csv(io.StringIO(out)).columns


def test_collocates_pass_only_the_options_given(sample, capsys):
    """Without --min-freq/--min-coll-freq each function's own defaults apply (5/3 plain, 1/2 with --compare)."""
    code, out, _ = cli(capsys, "collocates", CORPUS, "--node", "russia", "--compare", "RT", "TFI Post", "-q")
    want = dc.compare_collocates(sample, "russia", groups=("RT", "TFI Post"))
    assert code == 0 and len(pd.read_csv(io.StringIO(out))) == len(want) > 0
    code, out, _ = cli(capsys, "collocates", CORPUS, "--node", "russia", "-q")
    assert code == 0 and len(pd.read_csv(io.StringIO(out))) == len(dc.collocates(sample, "russia")) > 0
    code, _, err = cli(capsys, "collocates", CORPUS, "--node", "russia", "--compare", "RT", "--top", "3", "-q")
    assert code == 1 and err == "discourse: error: --top applies to collocates without --compare\n"
    code, out, err = cli(capsys, "collocates", CORPUS, "--node", "biden", "--min-freq", "1000", "-q")
    assert code == 0 and len(pd.read_csv(io.StringIO(out))) == 0
    assert err.splitlines() == ["discourse: warning: collocates: no collocate reaches --min-freq 1,000 (the most "
                                "frequent occurs 60 times); the result is empty"]


def test_sort_keys_are_checked_against_the_window(sample, capsys):
    """--sort: kwic's own rule (node, L1..Ln, R1..Rn within the window), as a usage error before any reading."""
    code, _, err = cli(capsys, "kwic", CORPUS, "--node", "russia", "--sort", "R9")
    assert code == 2 and err.splitlines()[0].startswith("usage: discourse kwic")
    rule = "sort keys are 'node', 'L1'…'L5', 'R1'…'R5' (the window is L5-R5); not 'R9'"
    assert err.splitlines()[-1] == f"discourse kwic: error: argument --sort: {rule}"
    assert "reading" not in err
    with pytest.raises(ValueError) as library:  # the same rule, the same words, in the library
        dc.kwic(sample, "russia", 5, sort="R9")
    assert str(library.value) == rule
    code, _, err = cli(capsys, "kwic", CORPUS, "--node", "russia", "--sort", "R1,X2")
    assert code == 2 and err.splitlines()[-1].endswith("argument --sort: sort keys are 'node', 'L1', 'L2', ..., "
                                                        "'R1', 'R2', ...; not 'X2'")
    code, out, err = cli(capsys, "kwic", CORPUS, "--node", "russia", "--window", "9", "--sort", "R9,L1", "-q")
    assert code == 0, err
    want = dc.kwic(sample, "russia", 9, sort=["R9", "L1"])
    assert pd.read_csv(io.StringIO(out), keep_default_na=False)["position"].tolist() == want["position"].tolist()


def test_a_query_without_hits_says_so_and_exits_0(tmp_path, capsys):
    # the library's EmptyResultWarning says why the table is empty
    absent = {"kwic": "discourse: warning: kwic: query 'zzzz' does not occur in the corpus (0 of 992 tokens); "
                      "the result is empty",
              "collocates": "discourse: warning: collocates: node 'zzzz' does not occur in the corpus (0 of 992 "
                            "tokens); the result is empty"}
    for command in ("kwic", "collocates"):
        code, out, err = cli(capsys, command, CORPUS, "--node", "zzzz", "-q")
        assert code == 0 and err.splitlines() == [absent[command]]
        assert len(pd.read_csv(io.StringIO(out))) == 0 and out.count("\n") == 1  # the header only
    path = tmp_path / "lines.tsv"
    code, _, err = cli(capsys, "kwic", CORPUS, "--node", "zzzz", "-o", str(path), "-q")
    assert code == 0 and err.splitlines() == [absent["kwic"], f"discourse: wrote {path} (0 rows) and "
                                              f"{tmp_path / 'lines.params.json'} (parameters)"]
    assert json.loads((tmp_path / "lines.params.json").read_text(encoding="utf-8"))["hits"] == 0
    # two groups to compare and nothing to compare: the notice, no table, no file
    code, out, err = cli(capsys, "collocates", CORPUS, "--node", "zzzz", "--compare", "RT", "TFI Post",
                         "-o", str(tmp_path / "c.csv"), "-q")
    assert (code, out, err) == (0, "", "discourse: no hits for zzzz in 2 documents\n")
    assert not (tmp_path / "c.csv").exists()


def test_topics_terms_and_prevalence(capsys):
    args = ("topics", CORPUS, "--topics", "3", "--units", "paragraph", "--min-df", "2", "--seed", "4", "-q")
    code, out, err = cli(capsys, *args)
    assert code == 0, err
    terms = pd.read_csv(io.StringIO(out))
    assert sorted(terms["topic"].unique()) == [1, 2, 3] and (terms.groupby("topic").size() == 10).all()
    assert "discourse: warning: fitting 3 topics" in err  # the small-corpus warning, on one line
    prevalence = pd.read_csv(io.StringIO(cli(capsys, *args, "--table", "prevalence")[1]))
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


def test_errors_in_a_subprocess_and_usage_errors(capsys):
    proc = run("kwic", CORPUS, "--node", "russia", "--window", "-3", "-q")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.strip() == "discourse: error: --window must be a non-negative integer, not -3"
    code, _, err = cli(capsys, "frequencies")
    assert code == 2 and "usage:" in err
    code, _, err = cli(capsys, "keyness", CORPUS, "--correction", "fdr")  # every fixed set of values is a choice
    assert code == 2 and "argument --correction: invalid choice: 'fdr'" in err


@pytest.fixture
def other_columns(tmp_path):
    path = tmp_path / "news.csv"
    pd.DataFrame({"body": ["Russia and NATO met.", "Talks began."], "outlet": ["A", "B"]}).to_csv(path, index=False)
    return str(path)


@pytest.mark.parametrize("args, message", [
    (("frequencies", "{csv}"), "no text column 'text'; columns are ['body', 'outlet']. Pass --text-column ... to name it (or a list of columns, joined in order)."),
    (("frequencies", "{weird}"), "cannot tell the format of {weird}; pass --format ..."),
    (("topics", CORPUS, "--topics", "1"), "--topics must be an integer >= 2, not 1"),
    (("topics", CORPUS, "--min-df", "0"), "--min-df must be a positive integer (units), not 0"),
    (("topics", CORPUS, "--units", "lines"), "--units must be 'document', 'paragraph' or a chunk size"),
    (("collocates", CORPUS, "--node", "russia", "--left", "-1"), "--left must be a non-negative integer, not -1"),
    (("kwic", CORPUS, "--node", "russia", "--window", "-1"), "--window must be a non-negative integer, not -1"),
])
def test_errors_name_command_line_flags_not_python_arguments(args, message, other_columns, tmp_path, capsys):
    weird = tmp_path / "corpus.xyz"
    weird.write_text("text", encoding="utf-8")
    args = [a.format(csv=other_columns, weird=weird) for a in args]
    code, _, err = cli(capsys, *args, "-q")
    assert code == 1 and err.count("\n") == 1 and err.startswith("discourse: error: ")
    assert message.format(weird=weird) in err
    assert not re.search(r"\b[a-z]+(_[a-z]+)*=", err)  # no Python keyword syntax left


def test_flag_wording_translates_library_hints(capsys):
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    for name, sub in commands.items():  # every option of every subcommand is in the mapping
        flags = flag_names(sub, name)
        for action in sub._actions:
            if action.option_strings and action.dest != "help":
                assert flags[action.dest] in action.option_strings
    keyness, collocates = flag_names(commands["keyness"], "keyness"), flag_names(commands["collocates"], "collocates")
    assert flag_wording("no rows (try keyness(..., keep='all'))", keyness) == "no rows (try --keep all)"
    assert flag_wording("sort_by must be one of ['log_ratio'], not 'x'", keyness) == (
        "--sort-by must be one of ['log_ratio'], not 'x'")
    assert flag_wording("pass reference='TFI Post' or min_freq=2", keyness) == "pass --reference 'TFI Post' or --min-freq 2"
    assert flag_wording("'outlet' has 3 groups ['A', 'B', 'C']: choose groups=(A, B) or target=A", collocates) == (
        "'outlet' has 3 groups ['A', 'B', 'C']: choose --compare A B or --compare A")
    topics = flag_names(commands["topics"], "topics")
    assert flag_wording("try units='paragraph', a smaller min_df or max_df=1.0", topics) == (
        "try --units paragraph, a smaller --min-df or --max-df 1.0")
    # only argument names are touched: words, quoted values, paths and unknown names stay
    text = "k topics on 'min_df' in data/min_df/x.csv with lowercase=False; the k must stay"
    assert flag_wording(text, topics) == text


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
