"""The keyness explorer's Bokeh layout: two views of the terms, the search, the ranked table, the lines.

The callbacks are small CustomJS functions (the library's own mechanism): the
comparison list sets the one GroupFilter every view shares (and the ranges);
the search rings the terms of that comparison containing the text (and selects
an exact match); a selected term (click or table row) fills the two line tables
from the embedded lines. Text from the corpus reaches the page only as data:
the tables' StringFormatter and a Div with ``render_as_text`` show it as text,
and the one Div built as HTML escapes every value (:data:`~discourse.explore.page.ESCAPE_JS`).
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .keyness_data import FRAME
from .labels import LABEL_PX
from .page import ESCAPE_JS

__all__ = ["keyness_layout", "SEARCH_JS"]

_STATS = ["freq_target", "freq_reference", "per_million_target", "per_million_reference", "log_ratio",
          "p_adjusted", "dp_target", "dp_reference", "range_target", "range_reference"]
_LINE_COLS = ["left", "node", "right", "group", "title", "date"]

#: Rings the terms of the shown comparison that contain the search text; on Enter (``pick``) it selects the
#: exact match, else the first term found (selecting while typing would move the focus to the tables).
SEARCH_JS = """
const q = search.value_input.trim().toLowerCase();
const d = terms.data, g = filter.group;
const out = {x_f: [], y_f: [], x_e: [], y_d: [], term: []};
let exact = -1;
if (q) {
  for (let i = 0; i < d.term.length; i++) {
    if (d.comparison[i] !== g) continue;
    const t = String(d.term[i]).toLowerCase();
    if (t.includes(q)) {
      for (const k in out) out[k].push(d[k][i]);
      if (t === q) exact = i;
    }
  }
}
found.data = out;
status.text = q ? out.term.length + ' of the terms shown contain "' + q + '"' : '';
if (pick && q) { const f = exact >= 0 ? exact : d.term.findIndex((t, i) => d.comparison[i] === g &&
  String(t).toLowerCase().includes(q)); if (f >= 0) terms.selected.indices = [f]; }
"""

_SWITCH_JS = """
const get = (o, k) => o instanceof Map ? o.get(k) : o[k];
filter.group = select.value;
const r0 = get(ranges, select.value), r = {freq: get(r0, 'freq'), effect: get(r0, 'effect')};
pf.x_range.start = r.freq[0]; pf.x_range.end = r.freq[1]; pf.y_range.start = r.freq[0]; pf.y_range.end = r.freq[1];
pe.x_range.start = r.effect[0]; pe.x_range.end = r.effect[1];
terms.selected.indices = [];
for (const s of sources) s.change.emit();
"""

_SHOW_JS = ESCAPE_JS + """
const i = terms.selected.indices[0];
const empty = () => ({left: [], node: [], right: [], group: [], title: [], date: []});
const sides = {target: empty(), reference: empty()};
if (i === undefined) { shown_t.data = sides.target; shown_r.data = sides.reference; info.text = ''; return; }
const d = terms.data, c = d.comparison[i], t = d.term[i], L = lines.data, D = docs.data;
for (let j = 0; j < L.row.length; j++) {
  if (L.row[j] !== i) continue;
  const s = L.side[j] === 0 ? sides.target : sides.reference, k = L.doc[j];
  s.left.push(L.left[j]); s.node.push(L.node[j]); s.right.push(L.right[j]);
  s.group.push(D.group[k]); s.title.push(D.title[k]); s.date.push(D.date[k]);
}
shown_t.data = sides.target; shown_r.data = sides.reference;
const [tname, rname] = names instanceof Map ? names.get(c) : names[c];
const num = (x, n) => (x === null || Number.isNaN(Number(x))) ? '—' : Number(x).toFixed(n);
const count = (h, n) => h === -2 ? 'no lines embedded (not among the linked terms)' :
  h === -1 ? 'no lines (an external reference)' : n + ' of ' + h + ' lines' + (n < h ? ' (seeded sample)' : '');
label_t.text = tname + ': ' + count(d.hits_target[i], sides.target.left.length);
label_r.text = rname + ': ' + count(d.hits_reference[i], sides.reference.left.length);
info.text = '<b>' + esc(t) + '</b> in ' + esc(c) + ': ' + esc(d.category[i]) +
  '; frequency ' + esc(d.freq_target[i]) + ' / ' + esc(d.freq_reference[i]) +
  ' (' + num(d.per_million_target[i], 1) + ' / ' + num(d.per_million_reference[i], 1) + ' per million)' +
  '; Log Ratio ' + num(d.log_ratio[i], 2) + '; adjusted p ' + esc(Number(d.p_adjusted[i]).toPrecision(3)) +
  '<br>dispersion: Gries\\' DP ' + num(d.dp_target[i], 2) + ' / ' + num(d.dp_reference[i], 2) +
  ' (0 = even, 1 = in one document); range ' + num(100 * d.range_target[i], 0) + '% / ' +
  num(100 * d.range_reference[i], 0) + '% of the documents';
"""


def _terms_source(terms: pd.DataFrame, colours: dict) -> dict:
    out = {c: terms[c].astype(str).tolist() for c in ("comparison", "term", "category")}
    out["colour"] = [colours.get(c, "#7f7f7f") for c in out["category"]]
    for c in ["x_f", "y_f", "x_e", "y_d"] + _STATS:
        out[c] = terms[c].to_numpy(dtype=np.float32)  # binary in the page; 7 digits are more than shown
    for c in ("hits_target", "hits_reference"):
        out[c] = terms[c].to_numpy(dtype=np.int32)
    return out


def _plot(kind: str, ranges: dict, xlabel: str, ylabel: str) -> Any:
    from bokeh.models import PlainText, Range1d
    from bokeh.plotting import figure

    log = kind == "freq"
    xr, yr = (ranges["freq"], ranges["freq"]) if log else (ranges["effect"], ranges["dp"])
    p = figure(frame_width=FRAME[0], frame_height=FRAME[1], x_axis_type="log" if log else "linear",
               y_axis_type="log" if log else "linear", x_range=Range1d(*xr), y_range=Range1d(*yr),
               tools="tap,pan,wheel_zoom,box_zoom,reset", toolbar_location="above", name=f"keyness-{kind}")
    p.xaxis.axis_label, p.yaxis.axis_label = PlainText(xlabel), PlainText(ylabel)  # never read as TeX
    return p


def keyness_layout(data: dict, *, by: str, colours: dict) -> Any:
    """The explorer's layout from :func:`discourse.explore.keyness.explore_keyness`'s tables."""
    from bokeh.layouts import column, row
    from bokeh.models import (CDSView, ColumnDataSource, CustomJS, DataTable, Div, GroupFilter, HoverTool,
                              NumberFormatter, RadioButtonGroup, Select, Slope, Span, StringFormatter, TableColumn,
                              TapTool, TextInput)

    terms_df, lines_df = data["terms"], data["lines"]
    names = {c: [str(t), str(r)] for c, t, r in
             terms_df[["comparison", "target", "reference"]].drop_duplicates().itertuples(index=False)}
    first = next(iter(data["ranges"]))
    filt = GroupFilter(column_name="comparison", group=first)
    terms = ColumnDataSource(_terms_source(terms_df, colours), name="terms")
    # a line points to its term's row and its document's row: the comparison, the term, the title, the outlet
    # and the date are not repeated on every line
    row_of = {(c, t): k for k, (c, t) in enumerate(zip(terms_df["comparison"].astype(str), terms_df["term"].astype(str)))}
    doc_rows, doc_pos = lines_df.drop_duplicates("doc"), {}
    for k, d in enumerate(doc_rows["doc"]):
        doc_pos[d] = k
    lines = ColumnDataSource({"row": np.array([row_of[(str(c), str(t))] for c, t in zip(lines_df["comparison"],
                                                                                       lines_df["term"])], np.int32),
                              "side": (lines_df["side"] == "reference").to_numpy(np.int8),
                              "doc": np.array([doc_pos[d] for d in lines_df["doc"]], np.int32),
                              **{c: lines_df[c].astype(str).tolist() for c in ("left", "node", "right")}},
                             name="lines")
    docs = ColumnDataSource({c: doc_rows[c].astype(str).tolist() for c in ("group", "title", "date")}, name="docs")
    found = ColumnDataSource({"x_f": [], "y_f": [], "x_e": [], "y_d": [], "term": []}, name="found")
    label_src = {k: ColumnDataSource({c: data[k][c].tolist() for c in
                                      ("comparison", "text", "x", "y", "align", "baseline", "point_x", "point_y")},
                                     name=f"labels-{k}") for k in ("freq", "effect")}
    pf = _plot("freq", data["ranges"][first], "per million, target", "per million, reference")
    pe = _plot("effect", data["ranges"][first], "Log Ratio (target against reference)",
               "Gries' DP where more frequent (0 = even)")
    pe.visible = False
    pf.add_layout(Slope(gradient=1, y_intercept=0, line_color="black", line_width=0.8))  # equal relative frequency
    pe.add_layout(Span(location=0, dimension="height", line_color="black", line_width=0.8))
    hover = [("term", "@term"), ("frequency (target / reference)", "@freq_target / @freq_reference"),
             ("per million", "@per_million_target{0,0.0} / @per_million_reference{0,0.0}"),
             ("Log Ratio", "@log_ratio{0.00}"), ("adjusted p", "@p_adjusted{%.3g}"),
             ("DP", "@dp_target{0.00} / @dp_reference{0.00}"), ("", "@category")]
    for p, (x, y), key in ((pf, ("x_f", "y_f"), "freq"), (pe, ("x_e", "y_d"), "effect")):
        dots = p.scatter(x, y, source=terms, view=CDSView(filter=filt), size=6, color="colour", alpha=0.75,
                         legend_field="category", selection_line_color="black", selection_alpha=1.0,
                         nonselection_alpha=0.3, name=f"terms-{key}")
        p.scatter(x, y, source=found, size=13, fill_alpha=0, line_color="black", line_width=2, name=f"found-{key}")
        lab = label_src[key]
        p.segment("point_x", "point_y", "x", "y", source=lab, view=CDSView(filter=filt), line_color="#8c8c8c",
                  line_width=0.6)
        p.text("x", "y", text="text", source=lab, view=CDSView(filter=filt), text_align="align",
               text_baseline="baseline", text_font_size=f"{LABEL_PX}px", text_color="#262626")
        p.select_one(TapTool).renderers = [dots]
        p.add_tools(HoverTool(renderers=[dots], tooltips=hover, formatters={"@p_adjusted": "printf"}))
        p.legend.location = "top_left"
        p.legend.click_policy = "none"
    num = NumberFormatter(format="0,0")
    table = DataTable(source=terms, view=CDSView(filter=filt), width=430, height=FRAME[1] + 40, index_position=None, reorderable=False,
                      name="ranked", columns=[
                          TableColumn(field="term", title="term"), TableColumn(field="category", title="keyness"),
                          TableColumn(field="freq_target", title="target", formatter=num),
                          TableColumn(field="freq_reference", title="reference", formatter=num),
                          TableColumn(field="log_ratio", title="Log Ratio", formatter=NumberFormatter(format="0.00"))])
    line_columns = [TableColumn(field="left", title="left", formatter=StringFormatter(text_align="right"), width=260),
                    TableColumn(field="node", title="node", formatter=StringFormatter(font_style="bold"), width=90),
                    TableColumn(field="right", title="right", width=260), TableColumn(field="title", title="title"),
                    TableColumn(field="group", title=by), TableColumn(field="date", title="date", width=90)]
    shown, tables, side_labels = {}, {}, {}
    for side in ("t", "r"):
        shown[side] = ColumnDataSource({c: [] for c in _LINE_COLS}, name=f"lines-{side}")
        tables[side] = DataTable(source=shown[side], columns=line_columns, width=1050, height=250,
                                 index_position=None, reorderable=False, name=f"lines-table-{side}")
        side_labels[side] = Div(render_as_text=True, name=f"lines-label-{side}")
    select = Select(title="comparison", value=first, options=list(data["ranges"]), name="comparison")
    toggle = RadioButtonGroup(labels=["frequency in each side", "effect size against dispersion"], active=0)
    search = TextInput(title="search the terms (Enter shows the first)", placeholder="type part of a term",
                       name="search")
    status = Div(render_as_text=True, name="status")
    info = Div(name="info", width=1050)
    toggle.js_on_change("active", CustomJS(args=dict(pf=pf, pe=pe), code="pf.visible = this.active === 0; "
                                                                         "pe.visible = this.active === 1;"))
    search_args = dict(search=search, terms=terms, filter=filt, found=found, status=status)
    search.js_on_change("value_input", CustomJS(args=search_args, code="const pick = false;" + SEARCH_JS))
    search.js_on_change("value", CustomJS(args=search_args, code="const pick = true;" + SEARCH_JS))
    select.js_on_change("value", CustomJS(args=dict(select=select, ranges=data["ranges"], pf=pf, pe=pe,
                                                    sources=[terms, *label_src.values()], **search_args),
                                          code="const pick = false;" + _SWITCH_JS + SEARCH_JS))
    terms.selected.js_on_change("indices", CustomJS(
        args=dict(terms=terms, lines=lines, docs=docs, shown_t=shown["t"], shown_r=shown["r"], info=info, names=names,
                  label_t=side_labels["t"], label_r=side_labels["r"]), code=_SHOW_JS))
    return column(row(select, toggle, search), status, row(pf, pe, table), info,
                  side_labels["t"], tables["t"], side_labels["r"], tables["r"], name="keyness-explorer")
