"""The explorers in a real browser: the system Chromium, headless, driven by Playwright (no browser download).

Each explorer page is opened from a file; the tests check that it renders without console
errors or dialogs, type in its search box, click a term or a line, compare the lines shown with
``dc.kwic``, and check that hostile text from the corpus (``<script>``, ``<img onerror>`` in an
article, a title and an outlet name) is shown as text, with no element injected.
Skipped, saying why, only when Playwright or a Chromium is missing (``.ci/run`` installs both).
"""
import warnings
from pathlib import Path

import pytest

pytest.importorskip("bokeh", reason="the explore extra (bokeh) is not installed")
pytest.importorskip("playwright.sync_api", reason="playwright is not installed (the dev extra)")

import discourse as dc  # noqa: E402
from discourse.datasets import make_news_corpus  # noqa: E402
from browser_fixtures import browser, requires_chromium  # noqa: E402,F401 (browser: the shared fixture)


pytestmark = requires_chromium

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
HOSTILE_OUTLET = "<b>C</b><img src=x onerror=alert(2)>"


def hostile_tokens():
    """30k synthetic tokens, three outlets; one article of Outlet A holds script and img tags (so ``alert`` is
    one of its keywords), its title too, and Outlet C is named with markup."""
    records = [dict(r) for r in make_news_corpus(30_000, seed=3).records]
    first = next(r for r in records if r["outlet"] == "Outlet A")
    first["text"] += "\n\n" + " ".join(f"Reader {i} wrote {SCRIPT} and {IMG} here." for i in range(12))
    first["title"] = f"{SCRIPT}{IMG} title"
    for r in records:
        if r["outlet"] == "Outlet C":
            r["outlet"] = HOSTILE_OUTLET
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return dc.tokenize(dc.clean(dc.Corpus.from_records(records)))


@pytest.fixture(scope="module")
def hostile():
    return hostile_tokens()


class Page:
    """An explorer page open in the browser, with every console error, page error and dialog recorded."""

    def __init__(self, browser, path):
        self.problems = []
        self.page = browser.new_page(viewport={"width": 1800, "height": 1700})
        self.page.on("console", lambda m: self.problems.append(f"console {m.type}: {m.text}")
                     if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on("dialog", lambda d: (self.problems.append(f"dialog: {d.message}"), d.dismiss()))
        self.page.goto(Path(path).resolve().as_uri())
        self.page.wait_for_function("() => window.Bokeh && Bokeh.documents.length > 0 && Bokeh.documents[0].is_idle")

    def data(self, name):
        """The data of the ColumnDataSource named ``name``, as the page holds it now."""
        return self.page.evaluate("""(name) => { const d = Bokeh.documents[0].get_model_by_name(name).data;
            const out = {}; for (const k of Object.keys(d)) out[k] = Array.from(d[k]); return out; }""", name)

    def model(self, name, attr):
        return self.page.evaluate("([n, a]) => Bokeh.documents[0].get_model_by_name(n)[a]", [name, attr])

    def click_point(self, plot, source, x, y, index):
        """Click the point ``index`` of ``source`` (columns ``x``, ``y``) in the figure named ``plot``."""
        self.page.mouse.click(*self.point(plot, source, x, y, index))
        self.page.wait_for_timeout(200)

    def point(self, plot, source, x, y, index):
        """Where on the page the point ``index`` of ``source`` is drawn in the figure named ``plot``."""
        return self.page.evaluate("""([plot, source, x, y, i]) => {
            const doc = Bokeh.documents[0], m = doc.get_model_by_name(plot), d = doc.get_model_by_name(source).data;
            const walk = (v) => { if (v.model === m) return v;
              for (const c of (v.child_views ?? [])) { const r = walk(c); if (r) return r; } return null; };
            const v = [...Bokeh.index.roots].map(walk).find((r) => r);
            const box = v.canvas_view.el.getBoundingClientRect();
            return [box.left + v.frame.x_scale.compute(d[x][i]), box.top + v.frame.y_scale.compute(d[y][i])]; }""",
                                [plot, source, x, y, index])

    def injected(self):
        """Elements the hostile text would have made, had it been read as HTML (shadow roots included)."""
        return self.page.evaluate("""() => { const all = [];
            const walk = (root) => { for (const el of root.querySelectorAll('*')) { all.push(el);
              if (el.shadowRoot) walk(el.shadowRoot); } }; walk(document);
            return all.filter((el) => (el.tagName === 'IMG' && el.getAttribute('src') === 'x')
              || (el.tagName === 'SCRIPT' && /^alert\\([12]\\)$/.test((el.textContent || '').trim()))
              || (el.tagName === 'B' && el.textContent === 'C')).length; }""")

    def text(self):
        """All text shown, shadow roots included."""
        return self.page.evaluate("""() => { const out = [];
            const walk = (root) => {
              const it = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
              for (let n = it.nextNode(); n; n = it.nextNode()) {
                const tag = n.parentElement ? n.parentElement.tagName : '';
                if (tag !== 'STYLE' && tag !== 'SCRIPT' && n.textContent.trim()) out.push(n.textContent); }
              for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot); };
            walk(document); return out.join('\\n'); }""")


def _expected(tokens, term, outlets, n, seed=0):
    kw = dc.kwic(tokens, term, 5, show=["title", "date"], where={"outlet": outlets}, sample=n, seed=seed)
    return kw


@pytest.fixture(scope="module")
def keyness_page(hostile, tmp_path_factory, browser):
    path = tmp_path_factory.mktemp("explore") / "keyness.html"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dc.explore_keyness(hostile, linked=40, lines=8).save(path)
    page = Page(browser, path)
    yield page
    page.page.close()


def test_keyness_explorer_renders_without_errors(keyness_page):
    assert keyness_page.problems == []
    terms = keyness_page.data("terms")
    assert len(terms["term"]) > 100
    assert keyness_page.model("comparison", "options") == [f"{HOSTILE_OUTLET} vs rest", "Outlet A vs rest",
                                                           "Outlet B vs rest"]
    keyness_page.page.get_by_role("combobox").select_option("Outlet A vs rest")
    keyness_page.page.wait_for_timeout(300)
    assert keyness_page.model("comparison", "value") == "Outlet A vs rest"


def test_keyness_search_selects_the_term_and_shows_its_lines(keyness_page, hostile):
    keyness_page.page.get_by_role("combobox").select_option("Outlet A vs rest")
    keyness_page.page.wait_for_timeout(300)
    box = keyness_page.page.get_by_placeholder("type part of a term")
    box.click()
    box.press_sequentially("alert", delay=20)
    keyness_page.page.wait_for_timeout(300)
    assert keyness_page.data("lines-t")["left"] == []  # typing rings the terms found; Enter shows the first
    box.press("Enter")
    keyness_page.page.wait_for_timeout(300)
    assert "alert" in keyness_page.data("found")["term"]
    assert keyness_page.model("status", "text") == "1 of the terms shown contain \"alert\""
    assert "of the terms shown contain \"alert\"" in keyness_page.text()
    shown = keyness_page.data("lines-t")
    expected = _expected(hostile, "alert", ["Outlet A"], 8)
    assert shown["left"] == expected["left"].tolist() and shown["right"] == expected["right"].tolist()
    assert shown["title"] == expected["title"].astype(str).tolist()
    # the reference side ("rest") has no "alert": no lines, and the label says how many there are
    assert keyness_page.data("lines-r")["left"] == []
    assert "Outlet A: 8 of 24 lines (seeded sample)" in keyness_page.text()


def test_hostile_text_is_shown_as_text(keyness_page):
    page = keyness_page.page
    page.get_by_role("combobox").select_option("Outlet A vs rest")
    box = page.get_by_placeholder("type part of a term")
    box.fill("alert")
    box.press("Enter")
    page.wait_for_timeout(400)
    assert len(keyness_page.data("lines-t")["left"]) == 8
    shown = keyness_page.text()
    assert SCRIPT in shown and IMG in shown  # in the line tables, as text
    assert keyness_page.injected() == 0 and keyness_page.problems == []
    # the check finds an element that is there (in a shadow root too)
    keyness_page.page.evaluate("""() => { const host = document.createElement('div'); host.id = 'probe';
        host.attachShadow({mode: 'open'}).innerHTML = '<img src="x">'; document.body.append(host); }""")
    assert keyness_page.injected() == 1
    keyness_page.page.evaluate("() => document.getElementById('probe').remove()")
    keyness_page.problems.clear()  # the probe's image fails to load: that error is the test's


def test_keyness_click_on_a_term_shows_its_lines_on_each_side(keyness_page, hostile):
    keyness_page.page.get_by_role("combobox").select_option("Outlet A vs rest")
    if not keyness_page.model("keyness-freq", "visible"):
        keyness_page.page.get_by_text("frequency in each side").click()
    keyness_page.page.wait_for_timeout(300)
    terms = keyness_page.data("terms")
    i = next(k for k, (c, t) in enumerate(zip(terms["comparison"], terms["term"]))
             if c == "Outlet A vs rest" and t == "the")
    keyness_page.click_point("keyness-freq", "terms", "x_f", "y_f", i)
    selected = keyness_page.page.evaluate("() => Bokeh.documents[0].get_model_by_name('terms').selected.indices")
    assert selected == [i]
    term = terms["term"][i]
    for side, outlets in (("t", ["Outlet A"]), ("r", ["Outlet B", HOSTILE_OUTLET])):
        expected = _expected(hostile, term, outlets, 8)
        shown = keyness_page.data(f"lines-{side}")
        assert shown["left"] == expected["left"].tolist(), side
        assert shown["node"] == expected["node"].tolist()
    assert "dispersion: Gries' DP" in keyness_page.text()
    assert keyness_page.problems == []


def test_keyness_comparisons_and_views_switch(keyness_page):
    page = keyness_page.page
    page.get_by_role("combobox").select_option(HOSTILE_OUTLET + " vs rest")
    page.wait_for_timeout(300)
    assert keyness_page.model("comparison", "value") == HOSTILE_OUTLET + " vs rest"
    group = page.evaluate("() => Bokeh.documents[0].get_model_by_name('terms-freq').view.filter.group")
    assert group == HOSTILE_OUTLET + " vs rest"
    page.get_by_text("effect size against dispersion").click()
    page.wait_for_timeout(200)
    assert keyness_page.model("keyness-effect", "visible") and not keyness_page.model("keyness-freq", "visible")
    assert keyness_page.injected() == 0 and keyness_page.problems == []


@pytest.fixture(scope="module")
def kwic_page(hostile, tmp_path_factory, browser):
    path = tmp_path_factory.mktemp("explore") / "kwic.html"
    dc.explore_kwic(hostile, "alert").save(path)
    page = Page(browser, path)
    yield page
    page.page.close()


def test_kwic_browser_renders_the_lines_of_kwic(kwic_page, hostile):
    assert kwic_page.problems == []
    expected = dc.kwic(hostile, "alert", 5, show=["outlet", "title", "date"])
    lines = kwic_page.data("lines")
    assert lines["left"] == expected["left"].tolist() and lines["right"] == expected["right"].tolist()
    assert lines["outlet"] == expected["outlet"].tolist()
    assert f"{len(expected)} of {len(expected)} lines" in kwic_page.text()
    assert kwic_page.injected() == 0


def test_kwic_browser_filters_by_outlet_and_by_a_co_occurring_word(kwic_page, hostile):
    page = kwic_page.page
    page.get_by_role("combobox").select_option("Outlet A")
    page.wait_for_timeout(200)
    all_lines = dc.kwic(hostile, "alert", 5, show=["outlet"])
    in_a = int((all_lines["outlet"] == "Outlet A").sum())
    assert kwic_page.model("status", "text") == f"{in_a} of {len(all_lines)} lines in Outlet A"
    box = page.get_by_placeholder("a word")
    box.click()
    box.press_sequentially("reader", delay=20)
    page.wait_for_timeout(300)
    near = dc.kwic(hostile, "alert", 5, where={"outlet": "Outlet A"}, near="reader", near_window=5)
    shown = page.evaluate("() => Bokeh.documents[0].get_model_by_name('lines-table').view.filter.indices")
    assert len(shown) == len(near) > 0
    assert kwic_page.model("status", "text") == (f"{len(near)} of {len(all_lines)} lines in Outlet A "
                                                 f"with \"reader\" in the context")
    box.fill("")
    box.press_sequentially("wrote", delay=20)  # a word of some lines' context only (the node's neighbours)
    page.wait_for_timeout(200)
    wrote = dc.kwic(hostile, "alert", 5, where={"outlet": "Outlet A"}, near="wrote", near_window=5)
    assert 0 < len(wrote) < in_a
    assert len(page.evaluate("() => Bokeh.documents[0].get_model_by_name('lines-table').view.filter.indices")) \
        == len(wrote)
    box.fill("")
    box.press("Backspace")
    page.get_by_role("combobox").select_option("(all)")
    page.wait_for_timeout(200)
    assert kwic_page.model("status", "text") == f"{len(all_lines)} of {len(all_lines)} lines"


def test_kwic_browser_opens_a_document_with_the_hit_marked_and_its_text_as_text(kwic_page, hostile):
    page = kwic_page.page
    page.locator(".slick-row").first.locator(".slick-cell").nth(6).click()  # the first line's node
    page.wait_for_timeout(300)
    selected = page.evaluate("() => Bokeh.documents[0].get_model_by_name('lines').selected.indices")
    assert len(selected) == 1
    line = dc.kwic(hostile, "alert", 5).iloc[selected[0]]
    text = hostile.texts[list(hostile.metadata.index).index(line["doc_id"])]
    marks = page.evaluate("""() => { const out = [];
        const walk = (root) => { for (const el of root.querySelectorAll('mark')) out.push(el.textContent);
          for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot); };
        walk(document); return out; }""")
    assert marks == [text[line["start"]:line["end"]]]
    shown = kwic_page.text()
    assert SCRIPT in shown and IMG in shown and f"{SCRIPT}{IMG} title" in shown  # the text and the title
    assert kwic_page.injected() == 0 and kwic_page.problems == []


def test_kwic_browser_sorts_by_a_context_position(kwic_page, hostile):
    page = kwic_page.page
    header = page.locator(".slick-header-column", has_text="R1").first
    header.click()
    page.wait_for_timeout(300)
    lines = kwic_page.data("lines")
    first = page.locator(".slick-row").first.locator(".slick-cell").nth(8).text_content()
    assert first == min(lines["R1"])
    header.click()  # descending
    page.wait_for_timeout(300)
    assert page.locator(".slick-row").first.locator(".slick-cell").nth(8).text_content() == max(lines["R1"])
    assert kwic_page.problems == []


def test_keyness_hover_shows_the_terms_statistics(keyness_page):
    terms = keyness_page.data("terms")
    comparison = keyness_page.model("comparison", "value")
    if not keyness_page.model("keyness-freq", "visible"):
        keyness_page.page.get_by_text("frequency in each side").click()
        keyness_page.page.wait_for_timeout(200)
    i = next(k for k, c in enumerate(terms["comparison"]) if c == comparison)  # its strongest keyword
    x, y = keyness_page.point("keyness-freq", "terms", "x_f", "y_f", i)
    keyness_page.page.mouse.move(x - 20, y - 20)
    keyness_page.page.mouse.move(x, y, steps=5)
    keyness_page.page.wait_for_timeout(400)
    tips = keyness_page.page.evaluate("""() => { const out = [];
        const walk = (root) => { for (const el of root.querySelectorAll('.bk-tooltip-content, .bk-tooltip'))
            out.push(el.textContent);
          for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot); };
        walk(document); return out.filter((t) => t.trim()); }""")
    assert tips, "no tooltip shown"
    assert any(terms["term"][i] in t and "adjusted p" in t and "Log Ratio" in t for t in tips), tips
    assert keyness_page.injected() == 0 and keyness_page.problems == []
