"""Every notebook runs headless on the sample corpus and on a generated multi-outlet corpus.

Each execution must finish without errors and produce its tables, figures and
provenance; rendered HTML must embed the figures and escape article text; two
executions give the same outputs; committed notebooks carry no outputs.

Each notebook is executed once on the sample corpus (cached for the module) and
that execution is reused by the reproducibility test, which runs it once more.
"""
from __future__ import annotations

import copy
import re
from collections import Counter
from pathlib import Path

import nbformat
import pandas as pd
import pytest

import discourse as dc
from discourse.corpus import corpus_hash
from discourse.report import INJECTED_TAG, PARAMETERS_TAG, execute_notebook, render_html
from discourse.datasets import make_news_corpus
from discourse.overview import comparison_groups, resolve_node
from discourse.render import NO_MATH
from discourse.report import main as report_main

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
IDS = [p.stem for p in NOTEBOOKS]


# what each notebook must show: its figures, and its result tables by their display headings
EXPECTED = {
    "01_quick_start": (1, ["Corpus", "Tokens", "documents:", "frequencies:"]),
    "02_corpus_and_cleaning": (2, ["cleaning audit:", "documents:"]),
    "03_keyness": (2, ["keyness:"]),
    "04_framing": (3, ["collocates:", "Collocates of", "collocate comparison:", "Concordance of"]),
    "05_topics": (3, ["choose K:", "topic terms:", "coherence:", "topic prevalence difference:",
                      "representative documents:"]),
    "06_news_archives": (3, ["dedup:", "syndication share:", "frequencies:", "keyness:"]),
    "07_same_story": (2, ["align stories:", "story pairs:", "story threshold sweep:", "keyness:"]),
}
# notebooks whose default input is not the sample corpus: how they read it
DEFAULT_INPUT = {"06_news_archives": lambda: dc.read_corpus(dc.news_exports_path(), outlets="default")}
# notebooks that read with more than the reading parameters: 06 de-duplicates on reading whatever the input
NOTEBOOK_READING = {"06_news_archives": {"dedup": {"threshold": 0.8, "shingle": 5, "keep": "first", "seed": 1}}}


def _check_expected(nb, stem):
    if stem not in EXPECTED:  # a new notebook: the generic checks only
        return
    figures, headings = EXPECTED[stem]
    assert _figures(nb) == figures, f"{stem}: {_figures(nb)} figures, expected {figures}"
    # a table's heading: its summary line, and the note under it (e.g. the collocation parameters)
    shown = [re.search(r"<p><b>(.*?)</b>(?:<br>([^<]*))?", o.get("data", {}).get("text/html", ""))
             for o in _outputs(nb)]
    shown = [h for m in shown if m for h in m.groups() if h]
    for heading in headings:
        assert any(h.startswith(heading) for h in shown), f"{stem}: no table headed {heading!r} in {shown}"


def _outputs(nb, output_type=None):
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
            if output_type is None or o.output_type == output_type]


def _figures(nb) -> int:
    return sum("image/png" in o.get("data", {}) for o in _outputs(nb))


def _html_tables(nb) -> int:
    return sum("<table" in o.get("data", {}).get("text/html", "") for o in _outputs(nb))


def _provenance_html(nb) -> str:
    last = [c for c in nb.cells if c.cell_type == "code"][-1]
    return "".join(o.get("data", {}).get("text/html", "") for o in last.outputs)


OUTLETS = ["Daily Planet", "The Bugle", "Globe & Mail <b>"]  # other names, one of them markup


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower())


@pytest.fixture(scope="module")
def other_columns(tmp_path_factory):
    """A three-outlet generated corpus as a CSV with other column and outlet names, a saved index column and a
    missing headline; the reading parameters that name its columns; analysis parameters that fit it."""
    sc = make_news_corpus(30_000, n_outlets=3, n_topics=6, doc_tokens=500, seed=3)
    names = dict(zip(sc.outlets, OUTLETS))
    frame = sc.to_frame()
    table = pd.DataFrame({"uid": frame["id"], "source": frame["outlet"].map(names),
                          "published": pd.to_datetime(frame["date"]).dt.strftime("%d/%m/%Y"),
                          "headline": frame["title"], "body": frame["text"]})
    table.loc[1, "headline"] = None
    path = tmp_path_factory.mktemp("other_columns") / "news.csv"
    table.to_csv(path)  # with its index: a column without a name, which must not become metadata
    by_outlet = {o: Counter(w for r in sc.records if r["outlet"] == o for w in _words(r["text"])) for o in sc.outlets}
    counts = sum(by_outlet.values(), Counter())
    shared = [w for w, _ in counts.most_common() if w in set(sc.vocab)
              and all(by_outlet[o][w] >= 5 for o in sc.outlets[1:])]
    reading = {"text_column": "body", "outlet_column": "source", "id_column": "uid", "date_column": "published",
               "title_column": "headline", "date_format": "%d/%m/%Y"}
    params = {**reading, "target": OUTLETS[1], "reference": OUTLETS[2], "node": shared[:3], "n_topics": 6, "seed": 1}
    return path, reading, params, sc.outlet_words[sc.outlets[1]], table.loc[1, "uid"]


def _run(path: Path, params: dict, tmp_path: Path):
    nb = execute_notebook(path, {**params, "export_dir": str(tmp_path / "tables")}, timeout=300)
    assert not _outputs(nb, "error")
    return nb


@pytest.fixture(scope="module")
def sample_runs(tmp_path_factory):
    """Executions on the sample corpus, one per notebook, shared by the tests of this module.

    Returns a function ``run(path) -> (notebook, folder)``: the first call executes the
    notebook (exporting to ``folder / "tables"``), later calls return a copy of that execution.
    """
    cache: dict[str, tuple] = {}

    def run(path: Path):
        if path.stem not in cache:
            folder = tmp_path_factory.mktemp(f"sample_{path.stem}")
            cache[path.stem] = (_run(path, {}, folder), folder)
        nb, folder = cache[path.stem]
        return copy.deepcopy(nb), folder

    return run


def test_committed_notebooks_are_clean_and_parameterised():
    assert len(NOTEBOOKS) >= 2
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(c.outputs == [] and c.execution_count is None for c in code), f"{path.name} has outputs"
        tagged = [c for c in nb.cells if PARAMETERS_TAG in c.metadata.get("tags", [])]
        assert len(tagged) == 1, f"{path.name}: one cell tagged 'parameters'"
        assert re.search(r"^corpus_path = ", tagged[0].source, re.M), f"{path.name}: corpus_path parameter"
        assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
        assert "provenance(" in code[-1].source, f"{path.name} must end with its provenance"
        # thin notebooks: analysis logic lives in the library, not in cells
        assert not any(re.search(r"^\s*(def|class) ", c.source, re.M) for c in code), path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_on_sample_corpus(path, sample_runs, tmp_path):
    nb, folder = sample_runs(path)
    assert _figures(nb) >= 1 and _html_tables(nb) >= 2
    _check_expected(nb, path.stem)
    _check_report_page(nb, path.stem)
    notes = next(h for h in _html_outputs(nb) if "class='discourse-notes'" in h)
    if "topic" in path.stem:  # the sweep's near-identical warnings, one note (a box after each cell before)
        assert notes.count("fitting ") == 1 and re.search(r"TopicModelWarning</b> <small>\(\d+ times, with other "
                                                          r"numbers; cells \[\d+\], \[\d+\]\)", notes), notes
    prov = _provenance_html(nb)
    corpus = DEFAULT_INPUT.get(path.stem, lambda: dc.read_corpus(dc.sample_corpus_path()))()
    assert corpus_hash(corpus) in prov  # the fingerprint of the corpus actually read
    assert "Methods" in prov and "numpy" in prov
    if "topic" in path.stem:  # the model's tables carry the same fingerprint as the provenance cell
        heading = f"<div class='{NO_MATH}'><div class='discourse-result'><p><b>topic terms:"
        terms = next(o["data"]["text/html"] for o in _outputs(nb)
                     if o.get("data", {}).get("text/html", "").startswith(heading))
        assert f"corpus_hash=&#x27;{corpus_hash(corpus)}&#x27;" in terms
    page = render_html(nb, tmp_path / f"{path.stem}.html").read_text(encoding="utf-8")
    assert page.count('src="data:image/png;base64,') == _figures(nb)  # every figure embedded
    assert list((folder / "tables").iterdir()), "tables exported"


def _report(corpus: Path, params: dict, out: Path, notebook: Path, capsys) -> None:
    """``discourse report --corpus CORPUS -p NAME=VALUE ... --only NOTEBOOK`` as a user types it (values as
    text), through the command's entry point; one notebook per test, so that the test runner spreads them."""
    args = [a for name, value in params.items() for a in ("-p", f"{name}={value}")]
    status = report_main(["--notebooks", str(NOTEBOOK_DIR), "--out", str(out), "--corpus", str(corpus), "-q",
                          "--only", notebook.name, *args])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    assert "1 of 1 notebooks rendered" in captured.out


def _html_outputs(nb) -> list[str]:
    return [o.get("data", {}).get("text/html", "") for o in _outputs(nb)]


def _check_report_page(nb, stem: str) -> None:
    """What every report must show: no error, no warning box, one notes section, numbers without exponents."""
    assert not _outputs(nb, "error"), stem
    assert not [o for o in _outputs(nb, "stream") if o.name == "stderr"], f"{stem}: a warning box"
    html = _html_outputs(nb)
    assert sum("class='discourse-notes'" in h for h in html) == 1, f"{stem}: one notes section"
    tables = "".join(h for h in html if "<table" in h)
    assert not re.search(r"<td>[^<]*\de[+-]\d[^<]*</td>", tables), f"{stem}: a number in scientific notation"
    assert not re.search(r"<td>(NaN|nan|None|&lt;NA&gt;|NaT)</td>", tables), f"{stem}: a missing value not shown as —"


def _headings(nb) -> list[str]:
    return [h for h in _html_outputs(nb) if "class='discourse-prose'" in h]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_report_on_a_corpus_with_other_columns_and_outlet_names(path, other_columns, tmp_path, capsys):
    """``discourse report --corpus news.csv -p text_column=body -p outlet_column=source ...`` on three outlets
    named otherwise: every notebook succeeds, headings name the outlets and the node, escaped, numbers are formatted,
    the missing headline shows as —, and the saved index column is not metadata."""
    corpus_path, reading, params, planted, untitled = other_columns
    out = tmp_path / "reports"
    _report(corpus_path, params, out, path, capsys)
    assert list(dc.read_corpus(corpus_path, **reading).metadata.columns) == [
        "outlet", "date", "date_raw", "title"]  # the dates as read kept
    corpus = dc.read_corpus(corpus_path, **reading, **NOTEBOOK_READING.get(path.stem, {}))  # as the notebook reads it
    escaped = {o: o.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") for o in OUTLETS}
    nb = nbformat.read(out / path.name, as_version=4)
    _check_report_page(nb, path.stem)
    _check_expected(nb, path.stem)
    assert corpus_hash(corpus) in _provenance_html(nb)
    headings = " ".join(_headings(nb))
    bugle, globe = escaped["The Bugle"], escaped["Globe & Mail <b>"]
    a, b, c = params["node"]
    expected = {"03_keyness": f"Keywords of {bugle} against {globe}",
                "04_framing": f"How {bugle} and {globe} write about {a}, {b} and {c}",
                "05_topics": f"Topics of {len(corpus)} documents; their shares compared between {bugle} and {globe}",
                "07_same_story": f"{bugle} and {globe} compared within the stories both covered"}
    if path.stem in expected:
        expected_heading = f"<div class='{NO_MATH}'><h2 class='discourse-prose'>{expected[path.stem]}</h2></div>"
        assert headings == expected_heading, headings
    else:  # the corpus notebooks name every group
        assert all(escaped[o] in headings for o in OUTLETS) and f"{len(corpus)} documents by outlet" in headings
    page = (out / f"{path.stem}.html").read_text(encoding="utf-8")
    assert "Globe & Mail <b>" not in page, f"{path.stem}: an outlet name rendered as markup"
    if path.stem in ("01_quick_start", "02_corpus_and_cleaning"):  # the missing headline is a dash
        shown = "".join(_html_outputs(nb))
        rows = re.findall(rf"<t[hd]>{untitled}</t[hd]>(.*?)</tr>", shown, re.S)
        assert rows and all("<td>\u2014</td>" in r for r in rows), path.stem
        assert "Unnamed" not in shown
    if "keyness" in path.stem:  # the target outlet's planted words must surface as its keywords
        shown = " ".join(_html_outputs(nb))
        assert sum(f">{w}<" in shown for w in planted) >= 3
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count(">ok<") == 1 and "text_column = &#x27;body&#x27;" in index


@pytest.fixture(scope="module")
def two_columns(tmp_path_factory):
    """A two-outlet generated corpus without RT, TFI Post or the framing node's words, its text in two columns
    (headline and body), its outlets in a `source` column; the parameters that read it; what the notebooks
    should fall back to."""
    sc = make_news_corpus(12_000, n_outlets=2, n_topics=4, doc_tokens=300, seed=5)
    frame = sc.to_frame()
    path = tmp_path_factory.mktemp("two_columns") / "two_columns.csv"
    frame.rename(columns={"title": "headline", "text": "body", "outlet": "source"}).to_csv(path, index=False)
    node = ["russia", "russian", "moscow", "kremlin", "putin"]
    assert not set(node) & {w for t in frame["text"] for w in _words(t)}
    params = {"text_column": ["headline", "body"], "outlet_column": "source"}
    corpus = dc.read_corpus(path, **params)
    assert corpus.texts[0] == f"{frame.loc[0, 'title']}\n\n{frame.loc[0, 'text'].strip()}"
    tokens = dc.tokenize(dc.clean(corpus))
    target, reference = comparison_groups(tokens, "outlet", "RT", "TFI Post")
    return path, params, target, reference, resolve_node(tokens, node, by="outlet", groups=[target, reference])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_report_when_the_default_groups_and_node_words_are_absent(path, two_columns, tmp_path, capsys):
    """Default parameters on a corpus without RT, TFI Post or any of the framing node's words, its text joined
    from two columns: every notebook runs, and the headings name what was analysed instead."""
    corpus_path, params, target, reference, node = two_columns
    _report(corpus_path, params, tmp_path / "reports", path, capsys)
    nb = nbformat.read(tmp_path / "reports" / path.name, as_version=4)
    _check_report_page(nb, path.stem)
    _check_expected(nb, path.stem)
    headings = " ".join(_headings(nb))
    assert "RT" not in headings and "TFI" not in headings and "russia" not in headings
    if path.stem == "04_framing":
        assert headings == (f"<div class='{NO_MATH}'><h2 class='discourse-prose'>How {target} and {reference} write "
                            f"about {node}</h2></div>")
    elif path.stem in ("03_keyness", "05_topics"):
        assert target in headings and reference in headings


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_two_executions_give_the_same_tables_and_figures(path, sample_runs):
    first, folder = sample_runs(path)  # the execution checked above, run once more into the same folder
    second = _run(path, {}, folder)
    assert _figures(first) >= 1
    assert [c.get("outputs") for c in first.cells] == [c.get("outputs") for c in second.cells]


def test_article_text_is_escaped_in_rendered_reports(tmp_path):
    """A hostile article: markup in the text and in the title must come out as text."""
    payload = '<script>alert("xss")</script>'
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "a.txt").write_text(f"Russia said {payload} today.\nAlso read: {payload}\nRussia again.\n",
                                  encoding="utf-8")
    (folder / "b.txt").write_text("Moscow and Russia answered.\nThe talks on Russia went on.\n", encoding="utf-8")
    (folder / "manifest.csv").write_text(
        "id,outlet,title,source_file\n"
        'a,TFI Post,"<img src=x onerror=alert(1)>",a.txt\n'
        "b,RT,plain,b.txt\n", encoding="utf-8")
    pages = {}
    for path in NOTEBOOKS:
        if "topic" in path.stem:
            continue  # a topic model of two three-line texts says nothing; the others show the text
        nb = _run(path, {"corpus_path": str(folder), "min_freq": 1}, tmp_path)
        pages[path.stem] = render_html(nb, tmp_path / f"{path.stem}.html").read_text(encoding="utf-8")
        assert payload not in pages[path.stem] and "<img src=x" not in pages[path.stem], path.name
    audit_page = pages["02_corpus_and_cleaning"]  # shows the metadata and the removed "Also read" line
    assert "&lt;script&gt;alert(" in audit_page and "&lt;img src=x onerror=alert(1)&gt;" in audit_page


def test_same_story_on_the_sample_is_one_story_compared_within_it(sample_runs):
    """07 on the sample: one story of RT and TFI Post, keyness within it, the decomposition, its contrast and
    aligned concordance lines (RT's "Russia's concerns" beside TFI Post's "Russian aggression")."""
    nb, _ = sample_runs(NOTEBOOK_DIR / "07_same_story.ipynb")
    html = " ".join(_html_outputs(nb))
    assert "align stories: 1 rows" in html
    for heading in ("agenda framing:", "story contrast:", "kwic:"):
        assert f"<b>{heading}" in html, heading
    printed = "".join(o.text for o in _outputs(nb, "stream") if o.name == "stdout")
    assert "RT vs TFI Post: 1 stories covered by both sides count; 0 covered by RT only and 0 by TFI Post only" in printed
    assert "concerns" in html and "aggression" in html
