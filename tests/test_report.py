"""Headless execution, parameter injection, failure reporting and HTML rendering (discourse.report)."""
from __future__ import annotations

import subprocess
import sys

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from discourse.render import NO_MATH
from discourse.render import index_html as _index_html
from discourse.report import (INJECTED_TAG, NotebookError, ReportResult, execute_notebook, failing_line,
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


def test_failing_cell_is_named_with_its_number_and_failing_line(tmp_path):
    """The message names the notebook, the cell (as the user counts it) and the line that raised, not the
    cell's first line (an import above the failing call read as if the import had failed)."""
    nb = _notebook(("md", "# Fails"), ("params", "x = 1"), ("code", "y = x + 1"),
                   ("code", "import math\n\ndef check(v):\n    raise ValueError(f'boom {v}')\n\n"
                            "z = math.sqrt(y)\ncheck(y)\nprint('never')"),
                   ("code", "print('never')"))
    path = tmp_path / "fails.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(NotebookError) as info:
        execute_notebook(path, {"x": 41})
    err = info.value
    assert err.cell == 4  # 1-based, as the user sees it: the injected cell is not counted
    assert (err.line, err.code) == (7, "check(y)")  # the cell's line, not the line inside check()
    assert (err.ename, err.evalue) == ("ValueError", "boom 42")
    assert str(err) == "fails.ipynb, cell 4, line 7: check(y): ValueError: boom 42"
    assert "import math" not in str(err)
    assert err.nb.cells[-1].get("outputs") == []  # execution stopped at the failure


def test_failing_line_from_ipython_tracebacks():
    colour = ["\x1b[31mValueError\x1b[39m  Traceback (most recent call last)",
              "\x1b[36mCell\x1b[39m\x1b[36m \x1b[39m\x1b[32mIn[3]\x1b[39m\x1b[32m, line 4\x1b[39m\n----> 4 f()\n",
              "File /lib/x.py:10, in f()\n", "\x1b[31mValueError\x1b[39m: no"]
    assert failing_line(colour) == 4
    assert failing_line(["  Cell In[12], line 2\n    x = (\n        ^\n", "SyntaxError: incomplete input"]) == 2
    assert failing_line(["ValueError: raised outside any cell frame"]) is None
    err = NotebookError("nb/03.ipynb", 3, "import os\ncorpus = dc.read_corpus(path,\n    text_column=c)", "ValueError",
                        "no text column", line=2)
    assert str(err) == "03.ipynb, cell 3, line 2: corpus = dc.read_corpus(path, \u2026: ValueError: no text column"
    err = NotebookError("nb/a.ipynb", None, "x = 1", "NameError", "y")  # the injected parameters cell
    assert str(err) == "a.ipynb, injected parameters cell: NameError: y" and err.line is None


def test_report_command_renders_figures_escapes_and_fails_loudly(tmp_path):
    nbdir, out = tmp_path / "nbs", tmp_path / "out"
    nbdir.mkdir()
    ok = _notebook(
        ("md", "# A <b>good</b> report"), ("params", "label = 'default'"),
        ("code", "import matplotlib.pyplot as plt, pandas as pd\n"
                 "from discourse.display import setup_notebook\nsetup_notebook(0)"),
        ("code", "pd.DataFrame({'text': ['<script>alert(\"xss\")</script>', label]})"),
        ("code", "fig, ax = plt.subplots(); ax.plot([1, 2, 3]); ax.set_title(label)"),
        ("code", "import warnings\nfor k in (2, 4, 6):\n    warnings.warn(f'fitting {k} topics on {10 * k} units')"),
        ("code", "warnings.warn('<script>bad</script> once')\nwarnings.warn('fitting 8 topics on 80 units')"),
        ("code", "from discourse.display import show_notes\nshow_notes()"),
        ("code", "warnings.warn('raised after the notes were shown')"))
    bad = _notebook(("md", "# Broken"), ("code", "from discourse.display import setup_notebook\nsetup_notebook(0)\n"
                                                 "import warnings\nwarnings.warn('before the failure')"),
                    ("code", "1 / 0"))
    nbformat.write(ok, nbdir / "a_ok.ipynb")
    nbformat.write(bad, nbdir / "b_bad.ipynb")
    proc = subprocess.run([sys.executable, "-m", "discourse.report", "--notebooks", str(nbdir), "--out", str(out),
                           "-p", "label=<i>injected</i>", "-q"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1
    assert "error: b_bad.ipynb, cell 3, line 1: 1 / 0: ZeroDivisionError" in proc.stderr
    assert "Traceback" not in proc.stderr
    page = (out / "a_ok.html").read_text(encoding="utf-8")
    assert page.count('src="data:image/png;base64,') == 1  # the figure, embedded
    assert '<script>alert("xss")' not in page and "&lt;script&gt;alert(" in page
    assert "&lt;i&gt;injected&lt;/i&gt;" in page  # the injected value reached the table, escaped
    assert (out / "b_bad.html").exists()  # the failure is rendered up to the failing cell
    executed = nbformat.read(out / "a_ok.ipynb", as_version=4)
    assert INJECTED_TAG in executed.cells[2].metadata["tags"]
    # warnings: no box under any cell, one notes section, near-identical warnings counted once
    outputs = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    notes = [o["data"]["text/html"] for o in outputs if "discourse-notes" in o.get("data", {}).get("text/html", "")]
    assert len(notes) == 1 and page.count("discourse-notes") == 1
    assert "<b>3 notes</b>" in notes[0]  # the later warning updated the section shown before it
    assert "4 times, with other numbers; cells [6], [7]" in notes[0] and "fitting 2 topics on 20 units" in notes[0]
    assert "&lt;script&gt;bad&lt;/script&gt; once" in notes[0] and "<script>bad" not in page
    assert "raised after the notes were shown" in notes[0]
    failed = nbformat.read(out / "b_bad.ipynb", as_version=4)  # a failing cell shows the notes collected so far
    assert "before the failure" in "".join(o.get("data", {}).get("text/html", "") for c in failed.cells
                                           if c.cell_type == "code" for o in c.outputs)
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


# --------------------------------------------------------------------------- display helpers (discourse.display)
import json  # noqa: E402
import re  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import discourse as dc  # noqa: E402
from discourse.export import export  # noqa: E402
from discourse.overview import audit_summary, comparison_groups, documents_table, resolve_node, scope_note  # noqa: E402
from discourse.render import result_html  # noqa: E402


@pytest.fixture(scope="module")
def sample():
    corpus = dc.clean(dc.read_corpus(dc.sample_corpus_path()))
    return corpus, dc.tokenize(corpus)


def test_documents_table_accounts_for_tokens_and_removed_text(sample):
    corpus, tokens = sample
    docs = documents_table(tokens)
    assert docs["tokens"].sum() == tokens.n_tokens == len(tokens.ids)
    assert docs["characters"].tolist() == [len(t) for t in corpus.texts]
    # removed characters: raw length minus cleaned length, before NFC normalisation changes anything
    assert (docs["removed_characters"] + docs["characters"]).tolist() == [len(t) for t in corpus.raw]
    assert docs["types"].tolist() == [len(set(tokens.doc_tokens(d))) for d in range(tokens.n_docs)]


def test_audit_summary_totals_match_the_audit(sample):
    corpus, _ = sample
    summary = audit_summary(corpus, by="outlet")
    audit = corpus.audit
    assert summary["spans"].sum() == len(audit)
    assert summary["characters"].sum() == int((audit["end"] - audit["start"]).sum())
    by_rule = audit.groupby("rule").size()
    assert summary.groupby("rule")["spans"].sum().sort_index().tolist() == by_rule.sort_index().tolist()
    assert (summary["description"] != "").all()  # every rule explained from the profiles file
    with pytest.raises(ValueError, match="no cleaning audit"):
        audit_summary(dc.read_corpus(dc.sample_corpus_path()))


def test_export_csv_and_excel_round_trip(tmp_path, sample):
    _, tokens = sample
    freq = dc.frequencies(tokens, by="outlet", top=5)
    csv = export(freq, tmp_path / "f.csv")
    back = pd.read_csv(csv)
    pd.testing.assert_frame_equal(back[["group", "term", "freq"]], freq[["group", "term", "freq"]], check_dtype=False)
    assert json.loads((tmp_path / "f.params.json").read_text(encoding="utf-8"))["top"] == 5
    sheets = pd.read_excel(export(freq, tmp_path / "f.xlsx"), sheet_name=None)
    assert len(sheets["results"]) == len(freq) and "top" in set(sheets["parameters"]["parameter"])
    with pytest.raises(ValueError, match="cannot export"):
        export(freq, tmp_path / "f.json")


def test_result_html_shows_summary_parameters_and_escaped_rows():
    table = pd.DataFrame({"term": ["<script>x</script>", "b"], "freq": [3, 1]})
    table.attrs = {"analysis": "frequencies", "by": "<b>outlet</b>", "top": 2}
    page = result_html(table, rows=1)
    assert "frequencies: 2 rows" in page and "first 1 of 2 rows" in page
    assert "<script>" not in page and "&lt;script&gt;" in page and "&lt;b&gt;outlet" in page


def test_scope_note_depends_on_documents_per_group(sample):
    _, tokens = sample
    assert "Description, not inference" in scope_note(tokens).text
    many = tokens.select(np.ones(tokens.n_docs, bool))
    many.metadata = many.metadata.assign(outlet="one outlet")
    assert "1 outlet groups" in scope_note(many).text
    with pytest.raises(KeyError, match="no metadata column"):
        scope_note(tokens, by="nope")


def test_comparison_groups_and_node_fallbacks(sample, capsys):
    _, tokens = sample
    assert comparison_groups(tokens, "outlet", "RT", "TFI Post") == ("RT", "TFI Post")
    assert comparison_groups(tokens, "outlet", "RT", "rest") == ("RT", "rest")
    assert capsys.readouterr().out == ""  # nothing to say when the parameters fit
    # absent groups: the two largest by tokens (TFI Post has 720 tokens, RT 272)
    assert comparison_groups(tokens, "outlet", "Outlet A", "Outlet B") == ("TFI Post", "RT")
    assert "cannot be compared" in capsys.readouterr().out
    assert resolve_node(tokens, ["russia", "moscow"]) == ["russia", "moscow"]
    counts = dc.frequencies(tokens, by="outlet")
    shared = counts.groupby("term").filter(lambda g: len(g) == 2).groupby("term")["freq"].sum()
    stop = dc.english_stopwords()
    content = shared[[t.isalpha() and t not in stop for t in shared.index]]
    best = set(content[content == content.max()].index)  # ties: any of them
    assert resolve_node(tokens, "zzzz", by="outlet", groups=["RT", "TFI Post"]) in best
    assert "does not occur" in capsys.readouterr().out


def test_result_html_shows_the_first_rows_of_every_group(sample):
    _, tokens = sample
    freq = dc.frequencies(tokens, by="outlet", top=20)
    page = result_html(freq, rows=3)
    assert "first 3 rows of each group" in page
    assert page.count("<td>RT</td>") == 3 and page.count("<td>TFI Post</td>") == 3


def test_annotated_results_show_summary_note_parameters_and_first_rows(sample):
    """Collocates (an AnnotatedFrame) display like every result table, with the CPN note kept."""
    import html as html_module

    from discourse.collocates import collocates
    from discourse.display import AnnotatedFrame
    from discourse.render import summary_line

    _, tokens = sample
    res = collocates(tokens, "russia", by="outlet", min_freq=1, min_coll_freq=1)
    assert isinstance(res, AnnotatedFrame)
    page = res._repr_html_()
    assert html_module.escape(summary_line(res)) in page
    note = html_module.escape(res.attrs["note"])
    assert page.count(note) == 1  # shown once, under the summary line, not again among the parameters
    assert "measure=&#x27;log_dice&#x27;" in page and "left=5" in page
    body = page[page.index("<tbody>"):page.index("</tbody>")]
    sizes = res.groupby("group").size()
    assert body.count("<tr>") == int(sizes.clip(upper=10).sum())  # the first rows of each group
    # untrusted text anywhere: the note, a parameter, a cell
    hostile = AnnotatedFrame({"collocate": ["<b>x</b>"], "freq": [1]})
    hostile.attrs = {"analysis": "collocates", "note": "<script>n</script>", "node": "<i>y</i>"}
    page = hostile._repr_html_()
    assert "<script>" not in page and "<b>x</b>" not in page and "<i>y</i>" not in page
    assert "&lt;script&gt;n" in page and "&lt;b&gt;x&lt;/b&gt;" in page and "&lt;i&gt;y&lt;/i&gt;" in page


# --------------------------------------------------------------------------- reading format: numbers, missing values
def test_result_tables_format_numbers_for_reading_and_fold_their_parameters():
    from discourse.render.formatting import format_number

    table = pd.DataFrame({"term": ["war", None], "freq": [12345, 3], "per_million": [62500.0, 3.125],
                          "log_ratio": [1.23456, -0.5], "p_adjusted": [1e-9, 0.04321], "share": [0.000123, 0.5],
                          "freq_b": [4.0, np.nan], "date": pd.to_datetime(["2021-03-04", None])})
    table.attrs = {"analysis": "keyness", "alpha": 0.05, "by": "outlet", "note": "<i>a note</i>"}
    page = result_html(table)
    cells = re.findall(r"<td>(.*?)</td>", page)
    assert cells == ["war", "12,345", "62,500.0", "1.235", "&lt; 0.0001", "0.000", "4", "2021-03-04",
                     "\u2014", "3", "3.1", "-0.500", "0.0432", "0.500", "\u2014", "\u2014"]
    assert "e+0" not in page and "e-0" not in page and "NaN" not in page and "None" not in page
    # the note stays under the summary line; the parameters fold into one collapsible line
    assert re.search(r"<p><b>keyness: 2 rows × 8 columns</b><br>&lt;i&gt;a note&lt;/i&gt;</p><details", page)
    assert "<summary><small>parameters (2)</small></summary>" in page and "alpha=0.05; by=&#x27;outlet&#x27;" in page
    assert table.loc[0, "per_million"] == 62500.0  # the values themselves are untouched
    from discourse.render import kwic_html

    lines = pd.DataFrame({"outlet": ["A", None], "date": [None, "2021-01-02"], "left": ["a", "b"],
                          "node": ["x", "y"], "right": ["c", "d"]})
    assert re.findall(r"<td>(.*?)</td>", kwic_html(lines))[:2] == ["A", "\u2014"]  # concordance metadata too
    assert [format_number(x) for x in (1234567, 0.5, float("inf"), None)] == ["1,234,567", "0.50", "∞", "\u2014"]


def test_plain_frames_and_corpus_metadata_show_missing_values_as_a_dash(sample):
    from discourse.display import _frame_html  # noqa: PLC2701 - the formatter setup_notebook registers

    frame = pd.DataFrame({"title": ["<b>t</b>", None], "n": pd.array([1000, None], dtype="Int64")})
    page = _frame_html(frame)
    assert re.findall(r"<td>(.*?)</td>", page) == ["&lt;b&gt;t&lt;/b&gt;", "1,000", "\u2014", "\u2014"]
    corpus, _ = sample
    meta = corpus.metadata.copy()
    meta.iloc[0, 0] = None
    assert "NaN" not in dc.Corpus(list(corpus.texts), meta)._repr_html_()


def test_prose_from_parameters_is_escaped_and_never_markdown():
    from discourse.display import heading, paragraph

    h = heading("How {target} and {reference} write about {node}", target="Globe & Mail <b>",
                reference="The Bugle", node=["russia", "moscow", "kremlin"])
    assert h.text == "How Globe & Mail <b> and The Bugle write about russia, moscow and kremlin"
    assert h._repr_html_() == (f"<div class='{NO_MATH}'><h2 class='discourse-prose'>How Globe &amp; Mail &lt;b&gt; "
                               "and The Bugle write about russia, moscow and kremlin</h2></div>")
    assert not hasattr(h, "_repr_markdown_")
    p = paragraph("Node: {node}.", node="*x* <script>")
    assert p._repr_html_() == (f"<div class='{NO_MATH}'><p class='discourse-prose'>Node: <b>*x* &lt;script&gt;</b>."
                               "</p></div>")
    with pytest.raises(KeyError, match="no value for {node}"):
        heading("About {node}")
    with pytest.raises(ValueError, match="tag must be one of"):
        heading("x", level=7)


def test_notes_collect_each_warning_once_with_counts():
    from discourse.notes import Notes

    notes = Notes()
    for k in (2, 4, 6):
        notes.record(f"fitting {k} topics on {10 * k} units", "TopicModelWarning", cell=7)
    notes.record("groups with fewer than 10 documents ({'A': 1})", UserWarning, cell=9)
    notes.record("groups with fewer than 10 documents ({'A': 1})", UserWarning, cell=10)
    frame = notes.frame
    assert frame[["category", "count", "variants"]].values.tolist() == [["TopicModelWarning", 3, 3],
                                                                         ["UserWarning", 2, 1]]
    assert frame["message"].tolist()[0] == "fitting 2 topics on 20 units" and frame["cells"].tolist()[1] == [9, 10]
    page = notes._repr_html_()
    assert "<b>2 notes</b>" in page and "3 times, with other numbers; cell [7]" in page
    assert "2 times; cells [9], [10]" in page and "{&#x27;A&#x27;: 1}" in page
    notes.record("<script>x</script>", UserWarning)
    assert "<script>" not in notes._repr_html_() and "x3" in repr(notes)
    notes.clear()
    assert len(notes) == 0 and "No notes" in notes._repr_html_()


def test_modelling_units_adapt_to_the_corpus_and_say_so(sample, synth):
    from discourse.overview import group_names
    from discourse.topics import TopicModelWarning, units_for_k

    _, tokens = sample
    assert units_for_k(tokens, 4, units="document").params["units"] == "document"
    with pytest.warns(TopicModelWarning, match="2 documents are too few for 4 topics"):
        assert units_for_k(tokens, 4, units="auto").params["units"] == "paragraph"  # fewer than 5 per topic
    assert units_for_k(synth, 4, units="auto").params["units"] == "document"  # documents enough for K = 4
    assert group_names(tokens, "outlet") in (["RT", "TFI Post"], ["TFI Post", "RT"])
    with pytest.raises(KeyError, match="no metadata column"):
        group_names(tokens, "nope")
