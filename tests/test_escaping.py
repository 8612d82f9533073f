"""Rendered text is data everywhere (issue 11): hostile strings in every field, through every HTML output.

Each hostile string (markup, event-handler attributes, ``javascript:`` and ``data:`` URLs as Markdown and as
HTML, TeX for MathJax) is put in every field a corpus has: outlet (the group label), title, a metadata value,
a column name, a source file name, the doc id and the article text, each with its own tag (``O:``, ``T:``,
``V:``, ``C:``, ``F-``, ``D:``, ``X:``) so a test can tell which field reached an output. Query and target terms
are hostile too. Every rich display, the concordance, the index page and the five rendered report pages are
parsed with a real HTML parser (BeautifulSoup on lxml) and must hold no ``<script>`` from the data, no ``on…=``
attribute, no ``href``/``src`` to a ``javascript:`` or ``data:`` URL (figures' ``data:image/png`` aside), no ``$``,
``\\(`` or ``\\begin{…}`` that MathJax would typeset (outside ``tex2jax_ignore``/``mathjax_ignore`` or the
tags MathJax skips), and no Markdown output at all; and each hostile string must be shown as written (so the
test is not vacuous).
"""
from __future__ import annotations

import ast
import csv
import re
import warnings
from functools import lru_cache
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup, Comment

import discourse as dc
from discourse.datasets import make_news_corpus

HOSTILE = {
    "script": "<script>alert(1)</script>",
    "img_onerror": "<img src=x onerror=alert(1)>",
    "attr_double": '" onmouseover="alert(1)',
    "attr_single": "' onmouseover='alert(1)",
    "md_link": "[click](javascript:alert(1))",
    "md_image": "![x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "html_link": '<a href="javascript:alert(1)">click</a>',
    "tex_inline": "$x^2$",
    "tex_display": "$$\\int_0^1 f(x)\\,dx$$",
    "tex_paren": "\\(a+b\\)",
    "tex_environment": "\\begin{equation}E=mc^2\\end{equation}",
}
KINDS = list(HOSTILE)
NAMES = list(HOSTILE.values())
FIELDS = {"outlet": "O:", "title": "T:", "value": "V:", "column": "C:", "file": "F-", "doc_id": "D:", "text": "X:"}
NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
SKIPPED_BY_MATHJAX = {"script", "noscript", "style", "textarea", "pre", "code", "math", "select", "option"}
IGNORE_CLASSES = {"tex2jax_ignore", "mathjax_ignore"}  # MathJax 2 (nbconvert's reports) and MathJax 3/4


def tagged(field: str, h: str) -> str:
    """The hostile string ``h`` as put in ``field`` (a file name cannot hold "/")."""
    return FIELDS[field] + (h.replace("/", "_") if field == "file" else h)


# --------------------------------------------------------------------------- the checks
@lru_cache(maxsize=64)
def audit(html: str, mathjax: bool = True) -> list[str]:
    """What in ``html`` a browser or MathJax would run or typeset: each problem as a short description."""
    soup = BeautifulSoup(html, "lxml")
    problems: list[str] = []
    for tag in soup.find_all(True):
        if tag.name == "iframe" and "discourse-explorer" in (tag.get("class") or ()):
            problems += [f"explorer page: {p}" for p in audit_explorer(tag.get("srcdoc", ""))]
            continue
        if tag.name in ("script", "iframe", "object", "embed") and "alert(" in tag.decode():
            problems.append(f"live <{tag.name}>: {tag.decode()[:100]}")
        for name, value in tag.attrs.items():
            value = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on"):
                problems.append(f"event handler {name}= on <{tag.name}>")
            url = re.sub(r"[\s\x00-\x1f]", "", value).lower()
            if name.lower() in ("href", "src", "action", "formaction", "xlink:href", "srcdoc", "poster", "data") and (
                    url.startswith("javascript:") or url.startswith("data:") and not url.startswith("data:image/png;")):
                problems.append(f"{name}={value[:60]!r} on <{tag.name}>")
    for text in soup.find_all(string=True) if mathjax else ():
        if isinstance(text, Comment) or not any(m in text for m in ("$", "\\(", "\\[", "\\begin{")):
            continue
        parents = [p for p in text.parents if p.name]
        if not any(p.name in SKIPPED_BY_MATHJAX or IGNORE_CLASSES & set(p.get("class") or ()) for p in parents):
            problems.append(f"MathJax would typeset <{text.parent.name}>{text[:60]}")
    return problems


_BUNDLE = re.compile(r"\s*/\* BEGIN (\S+) \*/\n(.*)\n/\* END \1 \*/\s*$", re.S)
_DOCS_JSON = re.compile(r"const docs_json = '([^']*)';")


def audit_explorer(page: str) -> list[str]:
    """:func:`audit` of an explorer's standalone page (the ``srcdoc`` of its notebook frame): its scripts are
    BokehJS (byte for byte the bundles Bokeh ships), the log level, and the embedding script, whose data is one
    JavaScript string that holds no ``<``, ``>`` or ``'`` (HTML-escaped: it cannot close the script or the string)
    and nothing live outside it; the rest of the page is audited as any page."""
    import bokeh

    static = Path(bokeh.__file__).parent / "server" / "static" / "js"
    soup = BeautifulSoup(page, "lxml")
    problems = []
    for script in soup.find_all("script"):
        text = script.string or ""
        bundle = _BUNDLE.match(text)
        if bundle:
            if (static / bundle.group(1)).read_text(encoding="utf-8").strip() != bundle.group(2).strip():
                problems.append(f"a script that is not BokehJS's {bundle.group(1)}")
        elif text.strip() != 'Bokeh.set_log_level("info");':
            data = _DOCS_JSON.findall(text)
            if len(data) != 1 or any(c in data[0] for c in "<>'") or "alert(" in _DOCS_JSON.sub("", text):
                problems.append(f"live <script>: {text[:100]}")
        script.decompose()
    for title in soup.find_all("title"):  # the head's title is not typeset (MathJax reads the body)
        title.decompose()
    return problems + audit(str(soup))


@lru_cache(maxsize=64)
def shown(html: str) -> str:
    """The text a reader sees (entities decoded; scripts and styles left out)."""
    soup = BeautifulSoup(html, "lxml")
    for tag in soup(["script", "style"]):
        tag.decompose()
    return soup.get_text()


def is_shown(expected: str, text: str) -> bool:
    """``expected`` is in ``text`` as written, or as the Python literal a parameter or a message shows it in
    (``target='O:\\(a+b\\)'``)."""
    return expected in text or repr(expected)[1:-1] in text


def test_the_checks_catch_what_they_look_for():
    """The checker finds each kind of live content (or it would pass everything)."""
    assert audit("<p><script>alert(1)</script></p>") and audit("<img src=x onerror=alert(1)>")
    assert audit('<a href=" JaVaScRiPt:alert(1)">x</a>') and audit('<img src="data:text/html;base64,AA">')
    assert audit("<td>$x^2$</td>") and audit("<td>\\(a\\)</td>") and audit("<td>\\begin{align}x\\end{align}</td>")
    assert not audit("<div class='x tex2jax_ignore'><td>$x^2$</td></div>") and not audit("<pre>$x$</pre>")
    assert not audit('<img src="data:image/png;base64,AA"> &lt;script&gt;alert(1)&lt;/script&gt;')
    # an explorer's page, in its notebook frame: its data escaped, else found
    import discourse as dc
    from discourse.render.pages import explorer_frame

    tokens = dc.tokenize(dc.Corpus.from_records([{"id": "a", "outlet": "A", "text": "x <script>alert(1)</script>"},
                                                 {"id": "b", "outlet": "B", "text": "y and x"}]))
    page = dc.explore_kwic(tokens, "x").html()
    assert not audit(dc.explore_kwic(tokens, "x")._repr_html_())
    assert audit(explorer_frame(page.replace("</body>", "<script>alert(1)</script></body>"), 100, "t"))
    assert audit(explorer_frame(page.replace("const docs_json = '", "const docs_json = '<"), 100, "t"))
    assert audit(explorer_frame(page.replace("<body", "<body onload='x()'"), 100, "t"))


# --------------------------------------------------------------------------- a hostile corpus
def write_corpus(root: Path, names: list[str]) -> Path:
    """A folder corpus (manifest + .txt files) with the hostile ``names`` in every field, cycling over documents.

    Document ``i`` belongs to outlet ``O:names[i % n]``; its title, its file name and its id carry the same hostile string, and a
    sentence of the text in a tenth of each outlet's documents (in all of them, it would be the outlet's
    furniture: :func:`discourse.detect_boilerplate` removes it); every name is also a metadata column ``C:name``, of value ``V:name`` in
    every row. A manifest row naming a missing file puts a hostile file name and doc id in the read report.
    """
    root.mkdir(parents=True, exist_ok=True)
    sc = make_news_corpus(max(3000, 600 * len(names)), n_outlets=3, n_topics=3, doc_tokens=150, seed=1)
    rows = []
    for i, record in enumerate(sc.records):
        h = names[i % len(names)]
        words = record["text"].split(" ")
        if (i // len(names)) % 10 == 0:  # a tenth of each outlet's documents: body text, not the outlet's furniture
            words.insert(len(words) // 3, f"the envoy said {tagged('text', h)} today")  # mid-paragraph: not a line rule
        fname = f"{tagged('file', h)} {i}.txt"
        (root / fname).write_text(" ".join(words), encoding="utf-8")
        row = {"id": f"{tagged('doc_id', h)} {i}", "outlet": tagged("outlet", h), "date": record["date"],
               "title": tagged("title", h), "source_file": fname}
        row.update({tagged("column", c): tagged("value", c) for c in names})  # every row shows every value
        rows.append(row)
    for h in names:
        rows.append({**rows[0], "id": f"{tagged('doc_id', h)} missing",
                     "source_file": f"{tagged('file', h)} missing.txt"})
    with open(root / "manifest.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return root


@pytest.fixture(scope="module")
def hostile_root(tmp_path_factory):
    """The hostile corpus folder: every hostile string in every field (shared by the displays and the reports)."""
    return write_corpus(tmp_path_factory.mktemp("hostile") / "corpus", NAMES)


@pytest.fixture(scope="module")
def hostile(hostile_root):
    """The hostile corpus read, cleaned and tokenized."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = dc.read_corpus(hostile_root)
        cleaned = dc.clean(corpus)
        return corpus, cleaned, dc.tokenize(cleaned)


# --------------------------------------------------------------------------- every rich display
META = {"outlet", "title", "value", "column", "doc_id"}


def _corpus_displays(corpus, cleaned, tokens):
    """The displays of the corpus and of results on it, as {name: (HTML, the fields it must show)}."""
    from discourse.collocates import collocates
    from discourse.display import _frame_html, show  # noqa: PLC2701 - the formatter setup_notebook registers
    from discourse.kwic import kwic
    from discourse.overview import audit_summary, documents_table, scope_note

    lines = kwic(tokens, "envoy", (3, 15), by="outlet", show=["title", *(tagged("column", h) for h in NAMES)])
    return {
        "read_report": (corpus.report._repr_html_(), {"file", "doc_id"}),
        "tokens": (tokens._repr_html_(), set()),
        "metadata_frame": (_frame_html(corpus.metadata), META | {"file"}),
        "cleaning_audit": (_frame_html(audit_summary(cleaned)), {"outlet"}),
        "frequencies": (show(dc.frequencies(tokens, by="outlet", top=3))._repr_html_(), {"outlet"}),
        "collocates": (_frame_html(collocates(tokens, "envoy", by="outlet", min_freq=1, min_coll_freq=1)),
                       {"outlet"}),
        "kwic": (lines._repr_html_(), {"outlet", "title", "value", "doc_id", "text"}),
        "scope_note": (scope_note(tokens)._repr_html_(), {"outlet"}),
    }


def _term_displays(corpus, tokens, h):
    """The displays of the documents of outlet ``O:h`` (which show their first rows only), and those whose query,
    target or parameters are the hostile ``h`` (the ``query`` field)."""
    from discourse.display import _frame_html, heading, paragraph  # noqa: PLC2701
    from discourse.keyness import keyness
    from discourse.kwic import kwic
    from discourse.notes import Notes
    from discourse.overview import documents_table
    from discourse.provenance import provenance
    from discourse.render import index_html
    from discourse.report import ReportResult

    outlet = tagged("outlet", h)
    mine = (corpus.metadata["outlet"] == outlet).to_numpy()
    own = dc.Corpus([t for t, m in zip(corpus.texts, mine) if m], corpus.metadata[mine], report=corpus.report)
    documents = documents_table(tokens)
    keys = keyness(tokens, outlet, "rest", by="outlet", keep="all", min_freq=3)
    query = kwic(tokens, h)
    notes = Notes()
    notes.record(f"group {outlet} has one document", "UserWarning", cell=3)
    report = ReportResult(f"nb/{h}.ipynb", tagged("title", h), "failed", f"r/{tagged('file', h)}.html", 1.0,
                          f"cell 1: ValueError: {h}")
    return {
        "corpus": (own._repr_html_(), META | {"file"}),
        "documents_table": (_frame_html(documents[mine]), {"outlet", "title", "doc_id"}),
        "keyness": (_frame_html(keys), {"outlet", "query"}),
        "pandas_own": (keys._repr_html_(), set()),  # a result shown before setup_notebook: pandas' own HTML
        "kwic_query": (query._repr_html_(), {"query"}),
        "heading": (heading("How {target} writes about {node}", target=outlet, node=h)._repr_html_(),
                    {"outlet", "query"}),
        "paragraph": (paragraph("Node: {node}.", node=[h, "x"])._repr_html_(), {"query"}),
        "notes": (notes._repr_html_(), {"outlet"}),
        "provenance": (provenance({"target": outlet, "node": h}, results=[keys, query], tokens=tokens,
                                  corpus=corpus)._repr_html_(), {"outlet", "query"}),
        "index": (index_html([report], {"target": outlet, "node": h}), {"title", "outlet", "query"}),
    }


CORPUS_DISPLAYS = ["read_report", "tokens", "metadata_frame", "cleaning_audit", "frequencies", "collocates", "kwic",
                   "scope_note"]
TERM_DISPLAYS = ["corpus", "documents_table", "keyness", "pandas_own", "kwic_query", "heading", "paragraph", "notes",
                 "provenance", "index"]


@pytest.fixture(scope="module")
def displays(hostile):
    """{kind: {display: (HTML, fields)}}: the corpus displays (the same for every kind) and the term displays."""
    corpus, cleaned, tokens = hostile
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        shared = _corpus_displays(corpus, cleaned, tokens)
        return {kind: {**shared, **_term_displays(corpus, tokens, h)} for kind, h in HOSTILE.items()}


@pytest.mark.parametrize("output", CORPUS_DISPLAYS + TERM_DISPLAYS)
@pytest.mark.parametrize("kind", KINDS)
def test_rich_displays_show_hostile_text_as_text(kind, output, displays):
    html, fields = displays[kind][output]
    h = HOSTILE[kind]
    assert audit(html) == [], f"{output}: {audit(html)[:3]}"
    text = shown(html)
    for field in sorted(fields):
        expected = h if field == "query" else tagged(field, h)
        assert is_shown(expected, text), f"{output}: the {field} {expected!r} is not shown"


def test_no_output_is_markdown_or_latex():
    """Nothing in the package emits Markdown or LaTeX (renderers that make links, images or typeset data)."""
    root = Path(dc.__file__).parent
    found = []
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            name = node.name if isinstance(node, (ast.FunctionDef, ast.ClassDef)) else \
                node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""
            if name in ("_repr_markdown_", "_repr_latex_", "Markdown", "Latex", "Math"):
                found.append(f"{path.relative_to(root)}:{node.lineno} {name}")
    assert found == []
    assert not list((root / "render" / "templates").glob("*.md.j2"))


# --------------------------------------------------------------------------- the rendered reports
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))


@pytest.fixture(scope="module")
def reports(hostile_root, tmp_path_factory):
    """Every notebook rendered by ``discourse.report.build_reports`` on the hostile corpus, its target and
    reference outlets hostile: {page: HTML} (each notebook's page, and the index page of the first run) and
    {page: executed notebook}. The notebooks run in parallel (one ``build_reports`` each), to keep the test short."""
    from concurrent.futures import ThreadPoolExecutor

    from discourse.report import build_reports

    tmp = tmp_path_factory.mktemp("hostile_reports")
    params = {"target": tagged("outlet", HOSTILE["script"]), "reference": tagged("outlet", HOSTILE["tex_inline"]),
              "node": "envoy", "right": 15, "n_topics": 2, "k_values": [2, 3], "k_seeds": [0], "passes": 2,
              "min_freq": 1, "min_df": 1, "kwic_lines": 60}

    def run(path):
        table = build_reports(NOTEBOOK_DIR, tmp / path.stem, corpus=hostile_root, parameters=params,
                              pattern=path.name, progress=False)
        return path.stem, table

    with ThreadPoolExecutor(max_workers=3) as pool:
        tables = dict(pool.map(run, NOTEBOOKS))
    failed = {stem: t["error"].tolist() for stem, t in tables.items() if list(t["status"]) != ["ok"]}
    assert not failed, failed
    pages = {p.stem: (tmp / p.stem / f"{p.stem}.html").read_text(encoding="utf-8") for p in NOTEBOOKS}
    pages["index"] = (tmp / NOTEBOOKS[0].stem / "index.html").read_text(encoding="utf-8")
    notebooks = {p.stem: nbformat.read(tmp / p.stem / p.name, as_version=4) for p in NOTEBOOKS}
    return pages, notebooks


PAGES = [p.stem for p in NOTEBOOKS] + ["index"]
# the fields each page shows whatever the corpus: the corpus notebooks its metadata (and the read report its
# files), the framing notebook the concordance (text, outlets, doc ids), every analysis its outlets
PAGE_FIELDS = {"01_quick_start": ["outlet", "value", "column"],  # its tables show their first 10 rows only
               "02_corpus_and_cleaning": ["outlet", "title", "value", "column", "doc_id", "file"],
               "03_keyness": ["outlet"], "04_framing": ["outlet", "text", "doc_id"], "05_topics": ["outlet"]}


@pytest.mark.parametrize("page", PAGES)
def test_report_pages_hold_no_live_data(page, reports):
    pages, notebooks = reports
    assert audit(pages[page]) == [], f"{page}: {audit(pages[page])[:5]}"
    if page in notebooks:
        markdown = [o for c in notebooks[page].cells if c.cell_type == "code" for o in c.outputs
                    if "text/markdown" in o.get("data", {}) or "text/latex" in o.get("data", {})]
        assert markdown == [], f"{page}: an output rendered as Markdown or LaTeX"


@pytest.mark.parametrize("page,field", [(p, f) for p, fields in PAGE_FIELDS.items() for f in fields])
@pytest.mark.parametrize("kind", KINDS)
def test_report_pages_show_hostile_text_as_written(page, field, kind, reports):
    pages, _ = reports
    expected = tagged(field, HOSTILE[kind])
    assert is_shown(expected, shown(pages[page])), f"{page}: the {field} {expected!r} is not shown"


def test_report_analyses_name_their_hostile_outlets(reports):
    """The analysis pages name the target and the reference (hostile outlets) in their headings, as text."""
    pages, _ = reports
    target, reference = tagged("outlet", HOSTILE["script"]), tagged("outlet", HOSTILE["tex_inline"])
    for page in ("03_keyness", "04_framing", "05_topics"):
        headings = [h.get_text() for h in BeautifulSoup(pages[page], "lxml").find_all(class_="discourse-prose")]
        assert any(target in h and reference in h for h in headings), (page, headings)
    index = shown(pages["index"])
    assert f"target = {target!r}" in index and f"reference = {reference!r}" in index


def test_index_links_stay_relative_whatever_the_report_is_called():
    """A report named like a URL (``javascript:…``, ``data:…``) is linked as a relative file, quoted."""
    from discourse.render import index_html
    from discourse.report import ReportResult

    names = ["javascript:alert(1).html", "data:text,x.html", "a' onclick='alert(1).html", "01_quick_start.html"]
    page = index_html([ReportResult(f"{n}.ipynb", n, "ok", f"out/{n}", 1.0) for n in names], {})
    hrefs = [a["href"] for a in BeautifulSoup(page, "lxml").find_all("a")]
    assert hrefs == ["javascript%3Aalert%281%29.html", "data%3Atext%2Cx.html",
                     "a%27%20onclick%3D%27alert%281%29.html", "01_quick_start.html"]
    assert audit(page) == [] and all(n in shown(page) for n in names)


# --------------------------------------------------------------------------- figures
def _figures(corpus, cleaned, tokens):
    """Every plot of the notebooks drawn from the hostile corpus: {name: Axes (or array of Axes)}."""
    from discourse.collocates import collocates, compare_collocates
    from discourse.keyness import keyness
    from discourse.kwic import query_positions
    from discourse.overview import audit_summary, documents_table
    from discourse.plots.collocation import collocates_scatter, collocation_network, dispersion_plot
    from discourse.plots.keyness import keyness_bars, keyness_scatter, keyness_volcano
    from discourse.plots.overview import cleaning_audit, document_lengths, top_terms
    from discourse.plots.topics import plot_prevalence
    from discourse.topics import fit_lda, topic_prevalence

    a, b = tagged("outlet", HOSTILE["tex_inline"]), tagged("outlet", HOSTILE["tex_display"])
    ranking = keyness(tokens, a, b, by="outlet", keep="all", min_freq=1)
    model = fit_lda(tokens, k=2, seed=0, passes=1, min_df=1)
    return {"top_terms": lambda: top_terms(dc.frequencies(tokens, by="outlet", top=3), n=3),
            "cleaning_audit": lambda: cleaning_audit(audit_summary(cleaned)),
            "document_lengths": lambda: document_lengths(documents_table(tokens), by="outlet"),
            "keyness_bars": lambda: keyness_bars(ranking, n=10, significant_only=False),
            "keyness_scatter": lambda: keyness_scatter(ranking, label=10),
            "keyness_volcano": lambda: keyness_volcano(ranking),
            "collocation_network": lambda: collocation_network(
                collocates(tokens, "envoy", by="outlet", min_freq=1, min_coll_freq=1, top=10), group=a, top=10),
            "collocates_scatter": lambda: collocates_scatter(compare_collocates(tokens, "envoy", by="outlet",
                                                                                groups=(a, b)), label=10),
            "dispersion_plot": lambda: dispersion_plot(query_positions(tokens, "envoy", by="outlet")),
            "plot_prevalence": lambda: plot_prevalence(topic_prevalence(model, by="outlet", seed=0, n_boot=100))}


FIGURES = ["top_terms", "cleaning_audit", "document_lengths", "keyness_bars", "keyness_scatter", "keyness_volcano",
           "collocation_network", "collocates_scatter", "dispersion_plot", "plot_prevalence"]


@pytest.fixture(scope="module")
def figures(hostile):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _figures(*hostile)


@pytest.mark.parametrize("name", FIGURES)
def test_figure_labels_are_never_mathtext(name, figures):
    """Every text of a figure from hostile group names is plain text (``discourse.plots.base.safe_label``): no
    ``$x^2$`` typeset by matplotlib, and the names are there, shown with their dollars."""
    import matplotlib.pyplot as plt
    from matplotlib.text import Text

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        drawn = figures[name]()
    fig = getattr(drawn, "figure", None) or drawn.flat[0].figure
    texts = [t.get_text() for t in fig.findobj(Text) if t.get_text()]
    plt.close(fig)
    # matplotlib's own tick labels on a log axis ($\mathdefault{10^{2}}$) are the only mathtext allowed
    typeset = [s for s in texts if Text(text=s)._preprocess_math(s)[1] and not s.startswith("$\\mathdefault{")]
    assert typeset == [], f"{name}: {typeset[:3]}"
    assert any("\\$" in s for s in texts), f"{name}: no hostile name in the figure ({texts[:8]})"
