"""Benchmark: the collocate and topic explorers' file size and time to interactive in headless Chromium.

    .venv/bin/python benchmarks/bench_explore_topics.py                       # sample, 10M tokens
    .venv/bin/python benchmarks/bench_explore_topics.py --sizes 36000000 --passes 2
    .venv/bin/python benchmarks/bench_explore_topics.py --sizes sample --repeats 3

For each corpus (``sample`` = the two-article sample; a number = tokens of
:func:`discourse.datasets.make_news_corpus`, seeded) it builds, saves and opens:

* ``explore_collocates`` of a term group of 5 mid-frequency words (500-5,000 per 10M
  tokens, drawn seeded, as ``bench_collocates_kwic.py``; the Russia group on the sample)
  by outlet, with its defaults (top 20 per outlet, 25 lines per collocate and outlet);
* ``explore_topics`` of ``fit_lda(k=--k, passes=--passes)`` (the fit is timed apart: it
  is the analysis, not the explorer);

and prints, per explorer: the build time in Python (data + layout + page, median of
``--repeats``), the page size, and the time to interactive: from ``page.goto`` of the saved
file to BokehJS's document being idle (every view rendered, callbacks connected), median of
``--repeats`` fresh pages in the system Chromium (``/usr/bin/chromium``, headless, Playwright).
The peer, measured in the same run: a bare explorer page (one text Div: BokehJS and the page
frame only), so the ratios say what the explorer's data and views add; for the collocate
explorer also ``collocates()`` alone (the analysis it shows).
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

from _browser import chromium
from _timing import median_time

RUSSIA = ["Russia", "Russian", "Moscow", "Kremlin", "Putin"]
READY = "() => window.Bokeh && Bokeh.documents.length > 0 && Bokeh.documents[0].is_idle"


def time_to_interactive(browser, path: Path, repeats: int) -> float:
    """Median seconds from ``goto`` to an idle Bokeh document, in a fresh page each time."""
    times = []
    for _ in range(repeats):
        page = browser.new_page(viewport={"width": 1500, "height": 1300})
        t = time.perf_counter()
        page.goto(path.as_uri())
        page.wait_for_function(READY, timeout=120_000, polling=10)
        times.append(time.perf_counter() - t)
        page.close()
    return float(np.median(times))


def measure(label: str, make, browser, path: Path, repeats: int, peer: tuple[float, float], note: str) -> None:
    """Build an explorer and its page (median of ``repeats``), save it, time it to interactive; print the line."""

    def build():
        page = make()
        page.html()
        return page

    t_build, _, explorer = median_time(build, repeats)
    explorer.save(path)
    tti = time_to_interactive(browser, path, repeats)
    size = path.stat().st_size
    print(f"{label}: build {t_build:.2f} s ({note}); {size / 1e6:.2f} MB (x{size / peer[0]:.2f} the bare page); "
          f"interactive in {tti:.2f} s (x{tti / peer[1]:.2f}); load {os.getloadavg()[0]:.1f}")


def corpus(size: str, seed: int):
    import discourse as dc
    from discourse.datasets import make_news_corpus

    if size == "sample":
        return dc.load_sample(), RUSSIA
    t = time.perf_counter()
    sc = make_news_corpus(int(size), seed=seed)
    tokens = dc.tokenize(dc.clean(dc.Corpus.from_records(sc.records)))
    del sc
    vocab = tokens.vocab.to_numpy()
    cf = np.bincount(tokens.ids, minlength=len(vocab))
    scale = tokens.n_tokens / 10_000_000
    band = np.flatnonzero((cf >= 500 * scale) & (cf <= 5000 * scale))
    node = vocab[np.random.default_rng(seed).choice(band, 5, replace=False)].tolist()
    print(f"corpus {tokens.summary()} made in {time.perf_counter() - t:.0f} s; node {node} "
          f"({int(cf[tokens.vocab.get_indexer(node)].sum()):,} hits)")
    return tokens, node


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="sample,10000000", help="comma-separated: 'sample' or token counts")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--k", type=int, default=20)
    ap.add_argument("--passes", type=int, default=10)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    from bokeh.models import Div
    from playwright.sync_api import sync_playwright

    import discourse as dc
    from discourse.collocates import collocates
    from discourse.explore import Explorer
    from discourse.topics import TopicModelWarning, fit_lda

    out = Path(tempfile.mkdtemp(prefix="bench_explore_topics_"))
    r = args.repeats
    print(f"load average {os.getloadavg()[0]:.1f} at start; medians of {r} runs")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), headless=True, args=["--no-sandbox"])
        bare = Explorer(Div(text="bare page", render_as_text=True), {"analysis": "bare"}, title="bare").save(
            out / "bare.html")
        bare_tti = time_to_interactive(browser, bare, r)
        bare_size = bare.stat().st_size
        print(f"peer: bare explorer page {bare_size / 1e6:.2f} MB, interactive in {bare_tti:.2f} s")
        peer = (bare_size, bare_tti)
        for size in args.sizes.split(","):
            tokens, node = corpus(size, args.seed)
            extra = dict(min_freq=1, min_coll_freq=1) if size == "sample" else {}
            t_an = median_time(lambda: collocates(tokens, node, by="outlet", **extra), r, warmup=True)[0]
            measure(f"[{size}] explore_collocates", lambda: dc.explore_collocates(tokens, node, **extra),
                    browser, out / f"collocates_{size}.html", r, peer, f"collocates() alone {t_an:.2f} s")
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", TopicModelWarning)
                t = time.perf_counter()
                model = fit_lda(tokens, k=3 if size == "sample" else args.k, seed=args.seed, passes=args.passes)
                t_fit = time.perf_counter() - t
                measure(f"[{size}] explore_topics", lambda: dc.explore_topics(model), browser,
                        out / f"topics_{size}.html", r, peer, f"K={model.k}, fit {t_fit:.0f} s, {args.passes} passes")
            del tokens, model
        browser.close()
    print(f"pages in {out}")


if __name__ == "__main__":
    main()
