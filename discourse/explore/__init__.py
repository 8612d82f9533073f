"""Interactive explorers: keyness, concordances (and, on their base, collocates and topics), offline HTML.

Each explorer takes the tokens (or a store) or the result DataFrame of an
analysis and returns an :class:`~discourse.explore.page.Explorer`: a Bokeh
layout that embeds only what it shows, under caps it states (top terms by a
rule, concordance lines sampled per term with a seed), saved as one standalone
HTML page with BokehJS inline (``.save(path)``) and shown in JupyterLab and in
nbconvert's HTML reports without a server. Shared steps: the page
(:mod:`~discourse.explore.page`), the seeded samples of lines and the document
texts (:mod:`~discourse.explore.lines`), the label placement
(:mod:`~discourse.explore.labels`).

Requires the ``explore`` extra (``pip install discourse[explore]``: Bokeh).
"""
from __future__ import annotations

from .keyness import explore_keyness
from .kwic import document_passages, explore_kwic
from .labels import LABEL_PX, label_positions
from .lines import LINE_META, context_words, document_texts, line_data, sample_lines
from .page import COLOURS, ESCAPE_JS, Explorer, caps_lines

# the collocate and topic explorers (their data: collocate_data, topic_data)
from .collocates import explore_collocates  # noqa: E402
from .topics import explore_topics  # noqa: E402

__all__ = ["explore_keyness", "explore_kwic", "document_passages", "Explorer", "ESCAPE_JS", "COLOURS", "caps_lines", "LINE_META", "sample_lines", "line_data",
           "document_texts", "context_words", "LABEL_PX", "label_positions",
           "explore_collocates", "explore_topics"]
