"""Standalone pages of the interactive explorers (:mod:`discourse.explore`), and their notebook frame.

A Bokeh layout is turned into three pieces by :func:`bokeh.embed.components`
(a ``<script>`` and a ``<div>``) and :data:`bokeh.resources.INLINE` (BokehJS
itself, inline: the page works offline). They are Bokeh's markup, not data,
so the template receives them as ``Markup``; everything else it places (the
title, the caps, the parameters) is autoescaped.

Why the data inside Bokeh's script cannot break out: ``components()`` serialises
the document to JSON, HTML-escapes it (``&``, ``<``, ``>``, quotes become
entities: no ``</script>`` can appear in it), doubles its backslashes and puts
it in a JavaScript string, which BokehJS unescapes before ``JSON.parse``
(bokeh 3, ``bokeh.embed.elements.script_for_render_items``). The tests check
that a ``</script>`` in an article is not in the page as written
(``tests/test_explore.py``) and that a browser shows it as text
(``tests/test_explore_browser.py``).
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

from markupsafe import Markup

from ..version import __version__
from . import environment, render

__all__ = ["explorer_page", "explorer_frame"]


def explorer_page(title: str, caps: Sequence[str], params: Mapping[str, Any], *, resources: str, script: str,
                  div: str) -> str:
    """The standalone HTML page of an explorer: ``title``, ``caps`` and ``params`` escaped; Bokeh's
    ``resources``, ``script`` and ``div`` (from :func:`bokeh.embed.components`) placed as they are."""
    # the template itself, not render(): its entity rewriting would reach into BokehJS's own code
    return environment().get_template("explorer.html.j2").render(
        title=str(title), caps=[str(c) for c in caps], params=dict(params), bokeh_resources=Markup(resources),
        bokeh_script=Markup(script), bokeh_div=Markup(div), version=__version__)


def explorer_frame(page: str, height: int, title: str) -> str:
    """An ``<iframe>`` whose ``srcdoc`` is the standalone ``page`` (escaped as an attribute value)."""
    return render("explorer_frame.html.j2", page=page, height=int(height), title=str(title))
