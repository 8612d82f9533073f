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
import pytest

import discourse as dc
from discourse.corpus import corpus_hash
from discourse.report import INJECTED_TAG, PARAMETERS_TAG, execute_notebook, render_html
from discourse.datasets import make_news_corpus

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
}


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


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """A small three-outlet corpus (JSONL) and notebook parameters that fit it."""
    sc = make_news_corpus(30_000, n_outlets=3, n_topics=6, doc_tokens=500, seed=3)
    path = sc.to_jsonl(tmp_path_factory.mktemp("synthetic") / "news.jsonl")
    counts = Counter(w for r in sc.records for w in re.findall(r"[a-z]+", r["text"].lower()))
    by_outlet = {o: Counter(w for r in sc.records if r["outlet"] == o for w in re.findall(r"[a-z]+", r["text"].lower()))
                 for o in sc.outlets}
    shared = [w for w, _ in counts.most_common() if w in set(sc.vocab)
              and all(by_outlet[o][w] >= 5 for o in sc.outlets[:2])]
    params = {"corpus_path": str(path), "group": "outlet", "target": sc.outlets[0], "reference": sc.outlets[1],
              "node": shared[:3], "n_topics": 6, "seed": 1}
    return path, params, sc.outlet_words[sc.outlets[0]]


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
    prov = _provenance_html(nb)
    corpus = dc.read_corpus(dc.sample_corpus_path())
    assert corpus_hash(corpus) in prov  # the fingerprint of the corpus actually read
    assert "Methods" in prov and "numpy" in prov
    if "topic" in path.stem:  # the model's tables carry the same fingerprint as the provenance cell
        heading = "<div class='discourse-result'><p><b>topic terms:"
        terms = next(o["data"]["text/html"] for o in _outputs(nb)
                     if o.get("data", {}).get("text/html", "").startswith(heading))
        assert f"corpus_hash=&#x27;{corpus_hash(corpus)}&#x27;" in terms
    page = render_html(nb, tmp_path / f"{path.stem}.html").read_text(encoding="utf-8")
    assert page.count('src="data:image/png;base64,') == _figures(nb)  # every figure embedded
    assert list((folder / "tables").iterdir()), "tables exported"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_on_generated_corpus(path, synthetic, tmp_path):
    corpus_path, params, planted = synthetic
    nb = _run(path, params, tmp_path)
    injected = [c for c in nb.cells if INJECTED_TAG in c.metadata.get("tags", [])]
    assert len(injected) == 1 and str(corpus_path) in injected[0].source
    assert _figures(nb) >= 1 and _html_tables(nb) >= 2
    _check_expected(nb, path.stem)
    assert corpus_hash(dc.read_corpus(corpus_path)) in _provenance_html(nb)
    if "keyness" in path.stem:  # the target outlet's planted words must surface as its keywords
        shown = " ".join(o.get("data", {}).get("text/html", "") for o in _outputs(nb))
        assert sum(f">{w}<" in shown for w in planted) >= 3


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
