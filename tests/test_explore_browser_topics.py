"""The collocate and topic explorers in a real browser: headless Chromium from the system packages, driven
by Playwright (never a downloaded browser).

Each page is opened from its saved file; it must render without console errors; clicking a collocate
must show exactly the embedded co-occurrence lines of that collocate (computed in Python by
discourse.explore.collocate_data), moving the λ slider must re-rank the topic's terms as the relevance
formula does in Python, choosing a topic must show its prevalence; article text and titles holding
``<script>`` and ``<img onerror>`` must be shown as text and never run.
"""
from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("bokeh", reason="the explore extra (bokeh) is not installed")
pytest.importorskip("playwright.sync_api", reason="playwright is not installed (the dev extra)")

import discourse as dc  # noqa: E402
from discourse.datasets import make_news_corpus  # noqa: E402
from discourse.explore.collocate_data import collocate_data  # noqa: E402
from discourse.explore.topic_data import relevance, topic_data  # noqa: E402
from discourse.topics import TopicModelWarning, fit_lda  # noqa: E402
from browser_fixtures import browser, requires_chromium  # noqa: E402,F401 (browser: the shared fixture)

pytestmark = requires_chromium

NODE = "baibost"  # a frequent content word of the synthetic corpus
SCRIPT = "<script>window.__pwned = 1</script>"
IMG = '<img src=x onerror="window.__pwned = 2">'


@pytest.fixture(scope="module")
def hostile():
    """The 30k-token synthetic corpus (seed 3) with hostile markup next to the node in a document and its title."""
    records = [dict(r) for r in make_news_corpus(30_000, seed=3).records]
    bait = f" {NODE} zyxhostile {SCRIPT} and {IMG} here."
    records[0]["text"] = bait.strip() + bait * 2 + " " + records[0]["text"]
    records[0]["title"] = f"{SCRIPT}{IMG} a title"
    return dc.tokenize(dc.clean(dc.Corpus.from_records(records)))


def _open(browser, path):
    """The page of ``path`` once Bokeh has rendered it, and the list its console errors go to."""
    page = browser.new_page(viewport={"width": 1500, "height": 1300})
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(Path(path).as_uri())
    page.wait_for_function("() => window.Bokeh && Bokeh.documents.length > 0", timeout=30_000)
    page.locator("canvas").first.wait_for(timeout=30_000)
    return page, errors


def _model(page, name, field):
    return page.evaluate(f"() => Bokeh.documents[0].get_model_by_name({name!r}).{field}")


def test_collocate_explorer_click_shows_the_cooccurrence_lines(hostile, browser, tmp_path):
    options = dict(top=8, lines=4, min_freq=1, min_coll_freq=2)
    page, errors = _open(browser, dc.explore_collocates(hostile, NODE, **options).save(tmp_path / "c.html"))
    data = collocate_data(hostile, NODE, **options)
    assert "zyxhostile" in set(data.table["collocate"])
    page.locator(".slick-row", has_text="zyxhostile").first.click()
    page.wait_for_function("() => Bokeh.documents[0].get_model_by_name('shown_lines').data.left.length > 0")
    group = set(_model(page, "shown_lines", "data.group"))
    assert len(group) == 1
    want = data.lines[(data.lines["collocate"] == "zyxhostile") & (data.lines["group"] == group.pop())]
    shown = list(zip(*(_model(page, "shown_lines", f"data.{c}") for c in ("doc_id", "left", "node", "right"))))
    assert shown == list(map(tuple, want[["doc_id", "left", "node", "right"]].to_numpy()))
    # the table's selection is the network's: the clicked collocate's node is selected
    picked = _model(page, "network_nodes", "selected.indices")
    assert [_model(page, "network_nodes", "data.collocate")[i] for i in picked] == ["zyxhostile"]
    assert "zyxhostile: " in _model(page, "lines_status", "text")
    # the hostile context and title are shown as text in the concordance, and ran nowhere
    rows = page.locator(".slick-row", has_text="onerror")
    texts = [rows.nth(i).inner_text() for i in range(rows.count())]
    assert any(SCRIPT in t and "a title" in t for t in texts)  # the right context and the title, as written
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("img").count() == 0
    assert errors == []


def test_collocate_explorer_a_vs_b_network_click_selects_the_table(hostile, browser, tmp_path):
    explorer = dc.explore_collocates(hostile, NODE, groups=("Outlet A", "Outlet B"), top=5, lines=3,
                                     min_coll_freq=2)
    page, errors = _open(browser, explorer.save(tmp_path / "ab.html"))
    names = _model(page, "network_nodes", "data.collocate")
    target = next(i for i, n in enumerate(names) if n)
    page.evaluate(f"() => {{ Bokeh.documents[0].get_model_by_name('network_nodes').selected.indices = [{target}] }}")
    rows = _model(page, "collocate_table", "selected.indices")
    table = _model(page, "collocate_table", "data.collocate")
    assert rows and {table[i] for i in rows} == {names[target]}
    assert errors == []


@pytest.fixture(scope="module")
def model(hostile):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TopicModelWarning)
        return fit_lda(hostile, k=3, seed=0, passes=3)


def test_topic_explorer_slider_reranks_and_passages_are_text(hostile, model, browser, tmp_path):
    page, errors = _open(browser, dc.explore_topics(model, hostile, n_passages=20, n_boot=200).save(tmp_path / "t.html"))
    data = topic_data(model, n_terms=20, n_passages=20, n_boot=200)

    def expected(topic, lam):
        cand = data.terms[data.terms["topic"] == topic]
        r = relevance(cand["p_topic"].to_numpy(), cand["p_corpus"].to_numpy(), lam)
        return cand["term"].to_numpy()[np.argsort(-r, kind="stable")[:20]].tolist()

    assert _model(page, "shown_terms", "data.term") == expected(1, 0.6)
    # move the slider with the mouse: a click near the left end of its track
    track = page.locator(".noUi-base").first
    box = track.bounding_box()
    page.mouse.click(box["x"] + 0.1 * box["width"], box["y"] + box["height"] / 2)
    page.wait_for_function("() => Bokeh.documents[0].get_model_by_name('lambda_slider').value < 0.3")
    lam = _model(page, "lambda_slider", "value")
    shown = _model(page, "shown_terms", "data.term")
    assert shown == expected(1, lam) and shown != expected(1, 0.6)
    assert _model(page, "ranked_terms", "text").endswith(", ".join(shown))
    # choose topic 2: its terms at the same λ and its prevalence by outlet, with intervals
    page.locator("select").first.select_option(index=1)
    page.wait_for_function("() => Bokeh.documents[0].get_model_by_name('shown_prevalence').data.share.length > 0"
                           " && Bokeh.documents[0].get_model_by_name('topic_select').value === '2'")
    assert _model(page, "shown_terms", "data.term") == expected(2, lam)
    prev = data.prevalence[data.prevalence["topic"] == 2]
    assert _model(page, "shown_prevalence", "data.group") == prev["group"].tolist()
    assert np.allclose(_model(page, "shown_prevalence", "data.ci_low"), prev["ci_low"])
    # passages of topic 2: the hostile title and text are shown as text, and ran nowhere
    text = page.locator(".passage").first.locator("xpath=..").inner_text()
    assert "Outlet A" in text
    # every document of an outlet is among its 20 passages (17 documents each), the hostile one too
    assert hostile.metadata.index[0] in set(data.passages.loc[data.passages["topic"] == 2, "doc_id"])
    assert f"{SCRIPT}{IMG} a title" in text and f"{NODE} zyxhostile {SCRIPT} and {IMG}" in text
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("img").count() == 0
    assert errors == []
