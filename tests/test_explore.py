"""The explorers without a browser: the page (offline, escaped), the caps, the seeded lines, the labels.

The browser tests (rendering, clicks, hostile text shown as text) are in tests/test_explore_browser.py.
"""
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
