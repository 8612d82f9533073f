"""The system Chromium for the browser tests, and the headless browser they share (never a downloaded one).

``CHROMIUM`` is the system browser's path (None when there is none: the tests then skip, saying so;
``.ci/run`` installs it). ``browser`` is a module-scoped fixture: one headless Chromium launched through
Playwright with ``executable_path``, so no ``playwright install`` is needed.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

__all__ = ["CHROMIUM", "requires_chromium", "browser"]


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return next((p for p in ("/usr/bin/chromium", "/usr/lib/chromium/chromium") if Path(p).exists()), None)


CHROMIUM = _chromium()
requires_chromium = pytest.mark.skipif(CHROMIUM is None,
                                       reason="no Chromium found (apt-get install chromium; .ci/run does)")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield b
        b.close()
