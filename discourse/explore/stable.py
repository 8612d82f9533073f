"""Explorer pages that are the same on every run: Bokeh's random document and element ids made counters.

:func:`bokeh.embed.components` names the page's document and its root elements by fresh
UUIDs (``bokeh.embed.util.make_globally_unique_id``), so two executions of the same notebook
would differ in every explorer cell, and a report could not be checked for reproducibility
(``tests/test_notebooks.py`` compares two executions). The model ids are already a counter
(Bokeh's simple ids). Here those two generators are replaced, while the page is made, by
counters starting at 1; each page is its own document (an ``<iframe srcdoc>`` in a notebook,
a file on disk), so ids repeated across pages cannot collide.
"""
from __future__ import annotations

import itertools
from contextlib import contextmanager
from typing import Iterator
from unittest import mock

from .page import Explorer

__all__ = ["StableExplorer", "stable_ids"]


@contextmanager
def stable_ids() -> Iterator[None]:
    """While active, Bokeh's embedding names documents and elements ``discourse-1``, ``discourse-2``, ..."""
    import bokeh.embed.util as embed_util

    counter = itertools.count(1)

    def next_id() -> str:
        return f"discourse-{next(counter)}"

    with mock.patch.object(embed_util, "make_globally_unique_id", next_id), \
            mock.patch.object(embed_util, "make_globally_unique_css_safe_id", next_id):
        yield


class StableExplorer(Explorer):
    """An :class:`~discourse.explore.page.Explorer` whose page is byte-identical on every run of the same code."""

    def html(self) -> str:
        with stable_ids():
            return super().html()
