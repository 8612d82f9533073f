"""The explorers without a browser: the page (offline, escaped), the caps, the seeded lines, the labels.

The browser tests (rendering, clicks, hostile text shown as text) are in tests/test_explore_browser.py.
"""
import html
import re

import numpy as np
import pytest

pytest.importorskip("bokeh", reason="the explore extra (bokeh) is not installed")

import discourse as dc  # noqa: E402
from discourse.explore import Explorer, context_words, document_texts, label_positions, sample_lines  # noqa: E402

HOSTILE = "<script>alert(1)</script> and <img src=x onerror=alert(1)> and </script><b>x</b>"


def _page_with(text):
    from bokeh.layouts import column
    from bokeh.models import ColumnDataSource, DataTable, TableColumn

    src = ColumnDataSource({"t": [text]})
    return Explorer(column(DataTable(source=src, columns=[TableColumn(field="t", title=text)])),
                    {"analysis": "test", "caps": {"lines": text}, "where": text}, title=text)


def test_the_page_is_standalone_and_offline(tmp_path):
    page = _page_with("x")
    html = page.html()
    assert html.startswith("<!DOCTYPE html>")
    # BokehJS is inline: no script or stylesheet comes from elsewhere
    assert not re.search(r"<script[^>]+src=", html) and "cdn.bokeh.org" not in html
    assert page.size_bytes == len(html.encode())
    path = page.save(tmp_path / "e.html")
    assert path.read_text(encoding="utf-8") == html


def test_untrusted_text_in_the_data_title_and_caps_cannot_break_out():
    html = _page_with(HOSTILE).html()
    # the only script tags are Bokeh's own: the data's "<script>" and "</script>" are escaped
    assert "<script>alert(1)" not in html and "<img src=x" not in html and "</script><b>" not in html
    assert "&lt;script&gt;alert(1)" in html  # the title, caps and parameters, escaped by the template
    frame = _page_with(HOSTILE)._repr_html_()
    assert frame.count("<iframe") == 1 and "<script" not in frame  # the whole page sits in the srcdoc attribute


def test_sample_lines_are_those_of_kwic_with_the_same_seed(synth):
    lines = sample_lines(synth, "the", lines=7, seed=3, where={"outlet": "Outlet A"})
    ref = dc.kwic(synth, "the", show=["title", "date"], where={"outlet": "Outlet A"}, sample=7, seed=3)
    assert len(lines) == 7 and lines["left"].tolist() == ref["left"].tolist()
    assert lines["doc_id"].tolist() == ref["doc_id"].tolist()
    assert sample_lines(synth, "the", lines=7, seed=4)["left"].tolist() != lines["left"].tolist()


def test_document_texts_are_the_cleaned_texts(synth):
    texts = document_texts(synth, [3, 0, 3])
    assert texts == {0: synth.texts[0], 3: synth.texts[3]}


def test_context_words_count_outward_from_the_node():
    words = context_words(["He said that the"], ["war, in Ukraine"], n=3)
    assert [words["L1"][0], words["L2"][0], words["L3"][0]] == ["the", "that", "said"]
    assert [words["R1"][0], words["R2"][0], words["R3"][0]] == ["war", "in", "ukraine"]


def test_labels_do_not_collide():
    import matplotlib
    import matplotlib.pyplot as plt

    backend, figures = matplotlib.get_backend(), plt.get_fignums()
    rng = np.random.default_rng(0)
    x, y = np.exp(rng.normal(3, 2, 500)), np.exp(rng.normal(3, 2, 500))
    out = label_positions(x[:15], y[:15], [f"term{i}" for i in range(15)], obstacles_x=x, obstacles_y=y,
                          width=600, height=500, x_range=(x.min() / 2, x.max() * 2),
                          y_range=(y.min() / 2, y.max() * 2), x_log=True, y_log=True)
    assert len(out) >= 10 and set(out["label"]) <= {f"term{i}" for i in range(15)}
    # the same figure gives the same positions
    again = label_positions(x[:15], y[:15], [f"term{i}" for i in range(15)], obstacles_x=x, obstacles_y=y,
                            width=600, height=500, x_range=(x.min() / 2, x.max() * 2),
                            y_range=(y.min() / 2, y.max() * 2), x_log=True, y_log=True)
    assert out.equals(again)
    # placed on a figure of its own, outside pyplot: a notebook's backend and figures are untouched
    assert matplotlib.get_backend() == backend and plt.get_fignums() == figures
    boxes = [(r.x, r.y) for r in out.itertuples()]
    assert len(set(boxes)) == len(boxes)


def _source(page, name):
    """The data of the page's ColumnDataSource ``name`` (as embedded), lists of Python values."""
    from bokeh.models import ColumnDataSource

    src = next(m for m in page.layout.references() if isinstance(m, ColumnDataSource) and m.name == name)
    return {k: list(np.asarray(v).tolist()) if not isinstance(v, list) else v for k, v in src.data.items()}


@pytest.fixture(scope="module")
def kpage(synth):
    return dc.explore_keyness(synth, top=300, linked=12, lines=4, labels=8, seed=1)


def test_keyness_explorer_embeds_what_its_caps_say(kpage, synth):
    terms, lines = _source(kpage, "terms"), _source(kpage, "lines")
    caps = kpage.attrs["caps"]
    assert "top 300 terms a comparison" in caps["terms"] and "at most 4 concordance lines a side" in caps["lines"]
    assert "first 12 of them" in caps["lines"] and "seed 1" in caps["lines"]
    comparisons = [c["comparison"] for c in kpage.attrs["comparisons"]]
    assert comparisons == ["Outlet A vs rest", "Outlet B vs rest", "Outlet C vs rest"]
    for c in comparisons:
        rows = [i for i, x in enumerate(terms["comparison"]) if x == c]
        assert len(rows) == 300
        linked = {i for i in rows if terms["hits_target"][i] != -2}
        assert len(linked) == 12 and linked == set(rows[:12])  # the first 12 of the ranking have lines
        for i in linked:
            for side in (0, 1):
                n = sum(1 for r, s in zip(lines["row"], lines["side"]) if r == i and s == side)
                hits = terms["hits_target" if side == 0 else "hits_reference"][i]
                assert n == min(4, hits)
    assert kpage.attrs["lines_embedded"] == len(lines["row"])
    for text in caps.values():
        assert html.escape(text).replace("&#x27;", "&#39;") in kpage.html()  # the caps, on the page, escaped


def test_keyness_explorer_ranks_significant_keywords_first(kpage, synth):
    ref = dc.keyness(synth, "Outlet A", keep="all", text_tests=())
    terms = _source(kpage, "terms")
    shown = [t for t, c in zip(terms["term"], terms["comparison"]) if c == "Outlet A vs rest"]
    sig = ref[ref["significant"]]
    keywords = sig.reindex(sig["log_ratio"].abs().sort_values(ascending=False, kind="stable").index)
    n = min(len(keywords), 300)
    assert set(shown[:n]) == set(keywords["term"].head(n))  # ties in |Log Ratio| may swap places
    assert len(keywords) >= 10


def test_keyness_explorer_lines_are_seeded_samples_of_kwic(kpage, synth):
    terms, lines = _source(kpage, "terms"), _source(kpage, "lines")
    i = terms["comparison"].index("Outlet B vs rest")  # its strongest keyword
    term = terms["term"][i]
    for side, outlets in ((0, ["Outlet B"]), (1, ["Outlet A", "Outlet C"])):
        got = [lft for r, s, lft in zip(lines["row"], lines["side"], lines["left"]) if r == i and s == side]
        ref = dc.kwic(synth, term, 5, where={"outlet": outlets}, sample=4, seed=1)
        assert got == ref["left"].tolist()
    again = dc.explore_keyness(synth, top=300, linked=12, lines=4, labels=8, seed=1)
    assert _source(again, "lines")["left"] == lines["left"]  # the same seed, the same page data
    other = dc.explore_keyness(synth, top=300, linked=12, lines=4, labels=8, seed=2)
    assert _source(other, "lines")["left"] != lines["left"]


def test_keyness_explorer_takes_a_keyness_table_and_refuses_keep(synth):
    table = dc.keyness(synth, "Outlet A", "Outlet B", keep="all", text_tests=())
    page = dc.explore_keyness(synth, result=table, top=50, linked=3, lines=2, labels=3)
    assert [c["comparison"] for c in page.attrs["comparisons"]] == ["Outlet A vs Outlet B"]
    terms = _source(page, "terms")
    assert len(terms["term"]) == 50
    i = 0
    ref = dc.kwic(synth, terms["term"][i], 5, where={"outlet": ["Outlet B"]}, sample=2, seed=0)
    lines = _source(page, "lines")
    assert [x for r, s, x in zip(lines["row"], lines["side"], lines["left"]) if r == i and s == 1] == \
        ref["left"].tolist()
    with pytest.raises(ValueError, match="keep= does not apply"):
        dc.explore_keyness(synth, keep="significant")
    with pytest.raises(ValueError, match="top must be an integer >= 1"):
        dc.explore_keyness(synth, top=0)
    with pytest.raises(ValueError, match="expected the result of dc.keyness"):
        dc.explore_keyness(synth, result=dc.kwic(synth, "the"))


def test_labels_of_the_keyness_explorer_are_keywords(kpage):
    labels = _source(kpage, "labels-freq")
    terms = _source(kpage, "terms")
    keywords = {(c, t) for c, t, k in zip(terms["comparison"], terms["term"], terms["category"])
                if k != "not significant"}
    assert labels["text"] and all((c, t.split(", ")[0]) in keywords for c, t in zip(labels["comparison"],
                                                                                  labels["text"]))
    assert max(labels["comparison"].count(c) for c in set(labels["comparison"])) <= 8


def test_kwic_browser_caps_the_lines_with_kwic_sample(synth):
    page = dc.explore_kwic(synth, "the", limit=50, seed=4)
    ref = dc.kwic(synth, "the", 5, sample=50, seed=4)
    lines = _source(page, "lines")
    assert lines["left"] == ref["left"].tolist() and page.attrs["lines"] == 50
    assert page.attrs["hits"] == ref.attrs["hits"] and f"50 of {ref.attrs['hits']:,} lines" in page.attrs["caps"]["lines"]
    # the table of a kwic call is capped the same way
    from_table = dc.explore_kwic(dc.kwic(synth, "the", 5), tokens=synth, limit=50, seed=4)
    assert _source(from_table, "lines")["left"] == ref["left"].tolist()
    with pytest.raises(ValueError, match="needs tokens="):
        dc.explore_kwic(ref)
    with pytest.raises(ValueError, match="needs a query"):
        dc.explore_kwic(synth)


def test_kwic_browser_documents_are_whole_within_the_budget_then_passages(synth):
    kw = dc.kwic(synth, "the", 5)
    docs = np.asarray([list(synth.metadata.index).index(d) for d in kw["doc_id"]])
    start, end = kw["start"].to_numpy(), kw["end"].to_numpy()
    texts, rows, offsets = dc.explore.document_passages(synth, docs, start, end, text_chars=10 ** 9, passage=10)
    assert all(texts["whole"]) and len(texts["text"]) == len(set(docs.tolist()))
    budget = len(synth.texts[docs[0]]) + 1
    texts, rows, offsets = dc.explore.document_passages(synth, docs, start, end, text_chars=budget, passage=10)
    assert sum(len(t) for t, w in zip(texts["text"], texts["whole"]) if w) <= budget
    for i in range(len(docs)):  # every line's hit is where its offsets say, whole document or passage
        text = texts["text"][rows[i]]
        assert text[start[i] - offsets[rows[i]]:end[i] - offsets[rows[i]]] == kw["node"].iloc[i]
        if not texts["whole"][rows[i]]:
            assert len(text) <= 20 + end[i] - start[i]


def test_explorers_on_a_store_embed_what_they_embed_in_memory(sc, synth, tmp_path):
    import pandas as pd

    store = dc.build_store(dc.Corpus.from_records(sc.records), tmp_path / "s", partition_docs=7)
    for build in (lambda t: dc.explore_keyness(t, top=80, linked=5, lines=3, labels=4),
                  lambda t: dc.explore_kwic(t, "the", limit=40)):
        a, b = build(synth), build(store)
        assert _source(a, "lines") == _source(b, "lines")
    assert pd.Series(_source(a, "texts")["text"]).equals(pd.Series(_source(b, "texts")["text"]))


def test_cli_writes_an_explorer_page(tmp_path, capsys):
    from discourse.cli import main

    out = tmp_path / "k.html"
    assert main(["explore", str(dc.sample_corpus_path()), "--kind", "keyness", "--top", "50", "--out", str(out),
                 "-q"]) == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "top 50 terms a comparison" in capsys.readouterr().err
    out = tmp_path / "q.html"
    assert main(["explore", str(dc.sample_corpus_path()), "--kind", "kwic", "--query", "nato", "--limit", "5",
                 "--out", str(out), "-q"]) == 0
    assert "5 of" in capsys.readouterr().err and out.is_file()
    assert main(["explore", str(dc.sample_corpus_path()), "--kind", "kwic", "--out", str(out), "-q"]) == 1
    assert "--kind kwic needs --query" in capsys.readouterr().err
    assert main(["explore", str(dc.sample_corpus_path()), "--kind", "kwic", "--query", "nato", "--top", "5",
                 "--out", str(out), "-q"]) == 1
    assert "--top applies to --kind keyness" in capsys.readouterr().err
    assert main(["explore", str(dc.sample_corpus_path()), "--out", str(tmp_path / "k.png"), "-q"]) == 1
    # the kwic subcommand's defaults do not leak into explore, nor the other way round
    from discourse.cli import build_parser

    args = build_parser().parse_args(["explore", "x", "--out", "y.html"])
    assert not hasattr(args, "check") and args.kind == "keyness"
    assert not hasattr(build_parser().parse_args(["kwic", "x", "--node", "a"]), "kind")


def test_the_same_explorer_in_a_fresh_process_gives_the_same_page(tmp_path):
    import subprocess
    import sys

    code = ("import discourse as dc, sys; "
            "dc.explore_kwic(dc.load_sample(), 'nato', limit=5).save(sys.argv[1])")
    pages = []
    for k in range(2):
        subprocess.run([sys.executable, "-c", code, str(tmp_path / f"{k}.html")], check=True)
        pages.append((tmp_path / f"{k}.html").read_text(encoding="utf-8"))
    assert pages[0] == pages[1]
