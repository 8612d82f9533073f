"""Time to interactive of a standalone HTML page in the system's headless Chromium (Playwright, no download).

Shared by ``bench_explore.py`` and ``bench_explore_libs.py``: a page is loaded from its file in a fresh
browser page, and its time to interactive is ``performance.now()`` (milliseconds since navigation start)
when ``ready`` (a JavaScript expression: the library's document rendered) first holds, polled every
animation frame. The median of ``runs`` loads is reported.
"""
from __future__ import annotations

import shutil
import statistics
from pathlib import Path

#: Bokeh: the document is built and idle (every view rendered).
BOKEH_READY = "window.Bokeh !== undefined && Bokeh.documents.length > 0 && Bokeh.documents[0].is_idle"


def chromium() -> str:
    """The system Chromium's path (or an error saying it is missing)."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    raise SystemExit("no Chromium found: apt-get install chromium (the benchmark drives the system browser)")


def time_to_interactive(path: Path, ready: str, runs: int = 3) -> tuple[float, list[str]]:
    """Median seconds from navigation start to ``ready`` over ``runs`` loads of ``path``, and the console
    errors seen (an empty list when none)."""
    from playwright.sync_api import sync_playwright

    times, errors = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), headless=True)
        try:
            for _ in range(runs):
                page = browser.new_page(viewport={"width": 1600, "height": 1200})
                page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
                page.on("pageerror", lambda e: errors.append(str(e)))
                page.goto(Path(path).resolve().as_uri(), wait_until="commit")
                page.wait_for_function(f"() => {ready}", polling="raf", timeout=120_000)
                times.append(page.evaluate("() => performance.now()") / 1000)
                page.close()
        finally:
            browser.close()
    return statistics.median(times), errors
