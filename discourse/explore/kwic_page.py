"""The concordance browser's Bokeh layout: filters, the sortable table of lines, the document of a line.

Small CustomJS callbacks: the filters (a ``by`` value, a co-occurring word)
set the table's IndexFilter; a selected line writes its document into a Div,
every piece escaped (:data:`~discourse.explore.page.ESCAPE_JS`) around the
``<mark>`` of the hit. The table's cells are text (StringFormatter).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .page import ESCAPE_JS

__all__ = ["kwic_layout"]

_FILTER_JS = """
const L = lines.data, n = L.left.length, want = group.value, word = near.value_input.trim().toLowerCase();
const idx = [];
for (let i = 0; i < n; i++) {
  if (want !== ALL && L[by][i] !== want) continue;
  if (word) {
    const words = (L.left[i] + ' ' + L.right[i]).toLowerCase().split(/[^\\p{L}\\p{N}'\u2019.-]+/u);
    if (!words.some((w) => w.replace(/^[.'\u2019-]+|[.'\u2019-]+$/g, '') === word)) continue;
  }
  idx.push(i);
}
filter.indices = idx;
lines.selected.indices = [];
status.text = idx.length + ' of ' + n + ' lines' + (want !== ALL ? ' in ' + want : '') +
  (word ? ' with "' + word + '" in the context' : '');
"""

_OPEN_JS = ESCAPE_JS + """
const i = lines.selected.indices[0];
if (i === undefined) { doc.text = ''; return; }
const L = lines.data, T = texts.data, k = L.text[i], text = String(T.text[k]), s = L.start[i], e = L.end[i];
const meta = [L.title[i], L[by][i], L.date[i]].filter((x) => x).map(esc).join(' \u00b7 ');
doc.text = '<p><b>' + meta + '</b> <small>(' + esc(L.doc_id[i]) + (T.whole[k] ? '' : ', a passage') +
  ')</small></p><p style="white-space: pre-wrap">' + (T.offset[k] > 0 ? '\u2026' : '') + esc(text.slice(0, s)) +
  '<mark>' + esc(text.slice(s, e)) + '</mark>' + esc(text.slice(e)) + (T.whole[k] ? '' : '\u2026') + '</p>';
"""

_ALL = "(all)"


def kwic_layout(data: dict, texts: dict, *, by: str) -> Any:
    """The browser's layout from :func:`discourse.explore.kwic.explore_kwic`'s columns."""
    from bokeh.layouts import column, row
    from bokeh.models import (CDSView, ColumnDataSource, CustomJS, DataTable, Div, IndexFilter, Select,
                              StringFormatter, TableColumn, TextInput)

    n = len(data["left"])
    lines = ColumnDataSource({k: (np.asarray(v, np.int32) if k in ("text", "start", "end") else v)
                              for k, v in data.items()}, name="lines")
    text_src = ColumnDataSource({"text": texts["text"], "offset": np.asarray(texts["offset"], np.int64),
                                 "whole": [bool(w) for w in texts["whole"]]}, name="texts")
    filt = IndexFilter(indices=list(range(n)))
    narrow = dict(width=70)
    columns = ([TableColumn(field=by, title=by, width=110), TableColumn(field="date", title="date", width=90)]
               + [TableColumn(field=f"L{i}", title=f"L{i}", **narrow) for i in (3, 2, 1)]
               + [TableColumn(field="left", title="left", formatter=StringFormatter(text_align="right"), width=300),
                  TableColumn(field="node", title="node", formatter=StringFormatter(font_style="bold"), width=100),
                  TableColumn(field="right", title="right", width=300)]
               + [TableColumn(field=f"R{i}", title=f"R{i}", **narrow) for i in (1, 2, 3)]
               + [TableColumn(field="title", title="title", width=250)])
    table = DataTable(source=lines, view=CDSView(filter=filt), columns=columns, width=1500, height=480,
                      index_position=None, reorderable=False, sortable=True, name="lines-table")
    groups = sorted({str(g) for g in data[by]})
    group = Select(title=by, value=_ALL, options=[_ALL, *groups], name="group")
    near = TextInput(title="co-occurring word (in the context shown)", placeholder="a word", name="near")
    status = Div(render_as_text=True, text=f"{n} of {n} lines", name="status")
    doc = Div(name="document", width=1200, styles={"max-height": "420px", "overflow-y": "auto"})
    args = dict(lines=lines, group=group, near=near, filter=filt, status=status, by=by, ALL=_ALL)
    code = _FILTER_JS
    group.js_on_change("value", CustomJS(args=args, code=code))
    near.js_on_change("value_input", CustomJS(args=args, code=code))
    lines.selected.js_on_change("indices", CustomJS(args=dict(lines=lines, texts=text_src, doc=doc, by=by),
                                                    code=_OPEN_JS))
    hint = Div(render_as_text=True, text="click a header to sort (shift-click adds a key); click a line to open "
                                         "its document")
    return column(row(group, near), status, hint, table, doc, name="kwic-explorer")
