"""The result of every explorer: a Bokeh layout with what it embeds, saved as one offline HTML page.

An :class:`Explorer` holds the layout and its ``attrs`` (the analysis, its
parameters and its caps: what was embedded and by which rule). Its page is
standalone: BokehJS is inline (:data:`bokeh.resources.INLINE`, no CDN, so a
report works offline), the data and the callbacks are in the page, and no
server runs. The page is made by the rendering layer
(:func:`discourse.render.pages.explorer_page`), which escapes the title, the
caps and the parameters; in JupyterLab and in nbconvert's HTML the page is
shown in an ``<iframe srcdoc>`` (:func:`discourse.render.pages.explorer_frame`),
which needs no BokehJS loaded in the notebook and survives nbconvert as it is.
"""
from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any, Mapping

from ..render.pages import explorer_frame, explorer_page

__all__ = ["Explorer", "ESCAPE_JS", "COLOURS", "caps_lines"]

#: JavaScript of the callbacks that build HTML: ``esc(s)`` escapes text as ``textContent`` would be shown
#: (``&``, ``<``, ``>``, quotes), so article text placed in a Div's HTML stays text.
ESCAPE_JS = ("const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')"
             ".replace(/\"/g, '&quot;').replace(/'/g, '&#39;');\n")

#: Colours of a keyword by direction and significance (those of :mod:`discourse.plots.keyness`).
COLOURS = {"over": "#c0392b", "under": "#2c7fb8", "equal": "#7f7f7f", "not significant": "#bbbbbb"}


_RENDER_ITEM = re.compile(r'"docid":"([0-9a-f-]{36})","roots":\{([^}]*)\}')
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _stable_ids(script: str, div: str) -> tuple[str, str]:
    """Bokeh's random document and element ids (uuid4) replaced by ids derived from their order, so that the
    same explorer built in a fresh process gives the same page (a notebook run twice has the same outputs).
    Only the ids of the render item are replaced (a uuid in the data stays as it is)."""
    found = _RENDER_ITEM.search(script)
    if found is None:
        return script, div
    ids = [found.group(1)] + _UUID.findall(found.group(2))
    for k, old in enumerate(ids):
        new = str(uuid.uuid5(uuid.NAMESPACE_URL, f"discourse-explorer-{k}"))
        script, div = script.replace(old, new), div.replace(old, new)
    return script, div


def caps_lines(caps: Mapping[str, Any]) -> list[str]:
    """The caps of an explorer as sentences for its page (``{"terms": "top 1,000 ..."}`` -> ``"terms: top ..."``)."""
    return [f"{name}: {rule}" for name, rule in caps.items()]


class Explorer:
    """An interactive explorer: a Bokeh layout, its parameters and caps, a standalone offline page.

    Parameters
    ----------
    layout : bokeh.models.LayoutDOM
        The explorer's widgets and plots, with their data and callbacks.
    attrs : dict
        ``analysis`` (e.g. ``"explore_keyness"``), the parameters, and ``caps``: a dict naming each
        cap and its rule (e.g. ``{"terms": "top 1,000 terms a comparison: ..."}``), stated on the page.
    title : str
        The page's heading (escaped).
    height : int
        Height in pixels of the notebook frame.

    Attributes
    ----------
    layout, attrs, title, height
    """

    def __init__(self, layout: Any, attrs: dict, *, title: str, height: int = 900) -> None:
        self.layout = layout
        self.attrs = dict(attrs)
        self.title = str(title)
        self.height = int(height)
        self._html: str | None = None

    def html(self) -> str:
        """The standalone page (made once): inline BokehJS, the layout's script and div, title, caps, parameters."""
        if self._html is None:
            from bokeh.embed import components
            from bokeh.embed.bundle import bundle_for_objs_and_resources
            from bokeh.resources import INLINE

            script, div = _stable_ids(*components(self.layout))
            # only the BokehJS bundles the layout uses (as bokeh.embed.file_html does): ~1.3-2 MB, not 3.9
            resources = bundle_for_objs_and_resources([self.layout], INLINE).scripts()
            params = {k: v for k, v in self.attrs.items() if k != "caps"}
            self._html = explorer_page(self.title, caps_lines(self.attrs.get("caps", {})), params,
                                       resources=resources, script=script, div=div)
        return self._html

    def save(self, path: str | Path) -> Path:
        """Write the standalone page to ``path`` (UTF-8) and return the path."""
        path = Path(path)
        path.write_text(self.html(), encoding="utf-8")
        return path

    @property
    def size_bytes(self) -> int:
        """Size of the standalone page in bytes (UTF-8)."""
        return len(self.html().encode("utf-8"))

    def _repr_html_(self) -> str:
        return explorer_frame(self.html(), self.height, self.title)

    def __repr__(self) -> str:
        caps = "; ".join(caps_lines(self.attrs.get("caps", {})))
        return f"<Explorer {self.attrs.get('analysis', '')}: {self.title} ({caps})>"
