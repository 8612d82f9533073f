"""The collocate explorer: a node's collocates in each outlet (or A vs B), as a network and tables, linked
to the lines where node and collocate co-occur.

What it embeds is computed by :func:`discourse.explore.collocate_data.collocate_data` and stated on
the page (its caps): each group's top collocates, the network's layout, and per collocate and group
a seeded sample of the concordance lines in which the collocate stands within the collocation
window of the node. Selecting a collocate in a table selects it in the network and the reverse
(a hub selects its group's collocates); the concordance below shows the lines of the selection.
The callbacks only filter what is embedded (small ``CustomJS``); article text goes to the page as
data and is shown by Bokeh's table cells as text.
"""
from __future__ import annotations

from typing import Any, Iterable, Sequence

import numpy as np

from ..query import Query
from .collocate_data import CollocateData, collocate_data
from .labels import LABEL_PX, label_positions
from .lines import line_data
from .page import Explorer

__all__ = ["explore_collocates", "collocate_layout"]

_KIND_COLOUR = {"node": "#c0392b", "shared": "#e67e22", "collocate": "#2c7fb8"}
_NET_PX = 520

_TABLE_JS = """
const t = table.data, l = lines.data, sel = table.selected.indices;
const keys = new Set(sel.map(i => t.group[i] + '\\u001f' + t.collocate[i]));
const out = {};
for (const k of Object.keys(l)) out[k] = [];
for (let i = 0; i < l.key.length; i++) {
  if (keys.has(l.key[i])) for (const k of Object.keys(l)) out[k].push(l[k][i]);
}
shown.data = out;
const colls = new Set(sel.map(i => t.collocate[i]));
const want = [];
for (let i = 0; i < net.data.collocate.length; i++) if (colls.has(net.data.collocate[i])) want.push(i);
const have = net.selected.indices;
if (want.length !== have.length || want.some((v, j) => v !== have[j])) net.selected.indices = want;
let total = 0, embedded = 0;
for (const i of sel) { total += t.lines[i]; embedded += t.shown[i]; }
status.text = sel.length === 0 ? 'Select a collocate (table or network) to read its lines.' :
  Array.from(colls).join(', ') + ': ' + embedded + ' of ' + total +
  ' lines where node and collocate co-occur within the window' + (embedded < total ? ' (a seeded sample)' : '');
"""

_NET_JS = """
const n = net.data, t = table.data, sel = net.selected.indices;
const colls = new Set(), hubs = new Set();
for (const i of sel) { if (n.kind[i] === 'node') hubs.add(n.group[i]); else colls.add(n.collocate[i]); }
const want = [];
for (let i = 0; i < t.collocate.length; i++)
  if (colls.has(t.collocate[i]) || (colls.size === 0 && hubs.has(String(t.group[i])))) want.push(i);
const have = table.selected.indices;
if (want.length !== have.length || want.some((v, j) => v !== have[j])) table.selected.indices = want;
"""


def _network(data: CollocateData) -> Any:
    from bokeh.models import ColumnDataSource, HoverTool, LabelSet, Range1d, TapTool
    from bokeh.plotting import figure

    nodes, edges = data.nodes, data.edges
    shared = nodes["group"].str.contains(", ", regex=False)
    kind = np.where(nodes["kind"] == "node", "node", np.where(shared, "shared", "collocate"))
    net = ColumnDataSource({
        "name": nodes["name"].astype(str).tolist(), "kind": nodes["kind"].tolist(),
        "collocate": nodes["collocate"].astype(str).tolist(), "group": nodes["group"].astype(str).tolist(),
        "x": nodes["x"].tolist(), "y": nodes["y"].tolist(),
        "colour": [_KIND_COLOUR[k] for k in kind], "size": np.where(kind == "node", 26, 14).tolist()},
        name="network_nodes")
    fig = figure(frame_width=_NET_PX, frame_height=_NET_PX, x_range=Range1d(-1.25, 1.25),
                 y_range=Range1d(-1.25, 1.25), tools="tap,pan,wheel_zoom,reset", toolbar_location="above",
                 title="Network: hubs are the groups, orange collocates are shared")
    fig.axis.visible = False
    fig.grid.visible = False
    fig.segment("x0", "y0", "x1", "y1", source=ColumnDataSource(
        {k: edges[k].tolist() for k in ("x0", "y0", "x1", "y1")} | {"width": (0.5 + 3 * edges["weight"]).tolist()}),
        line_width="width", line_color="#bbbbbb")
    dots = fig.scatter("x", "y", source=net, size="size", fill_color="colour", line_color="white",
                       selection_line_color="black", selection_line_width=3, nonselection_fill_alpha=0.35)
    fig.select_one(TapTool).renderers = [dots]
    fig.add_tools(HoverTool(renderers=[dots], tooltips=[("", "@name"), ("groups", "@group")]))
    # hubs first, then collocates from the strongest link down: the base's one label-placement step
    strength = edges.groupby("target")["weight"].max()
    order = sorted(range(len(nodes)), key=lambda i: (nodes["kind"].iloc[i] != "node",
                                                     -strength.get(nodes["name"].iloc[i], 0.0)))
    placed = _placed_labels(nodes["x"].to_numpy()[order], nodes["y"].to_numpy()[order],
                             nodes["name"].astype(str).to_numpy()[order].tolist(), obstacles_x=nodes["x"],
                             obstacles_y=nodes["y"], width=_NET_PX, height=_NET_PX, x_range=(-1.25, 1.25),
                             y_range=(-1.25, 1.25), marker_px=14)
    if len(placed):
        fig.add_layout(LabelSet(x="x", y="y", text="text", text_align="align", text_baseline="baseline",
                                text_font_size=f"{LABEL_PX}px", source=ColumnDataSource(
                                    {k: placed[k].tolist() for k in ("x", "y", "text", "align", "baseline")})))
    return fig, net


def _placed_labels(*args: Any, **kwargs: Any) -> Any:
    """:func:`~discourse.explore.labels.label_positions`, leaving matplotlib's backend as it was: it selects
    Agg, which in a notebook would stop the inline figures of every later cell."""
    import matplotlib
    import matplotlib.pyplot as plt

    backend = matplotlib.get_backend()
    try:
        return label_positions(*args, **kwargs)
    finally:
        if matplotlib.get_backend() != backend:
            plt.switch_backend(backend)


def _tables(data: CollocateData) -> tuple[Any, list]:
    from bokeh.models import (CDSView, ColumnDataSource, DataTable, GroupFilter, NumberFormatter, StringFormatter,
                              TableColumn)

    t = data.table
    compare = data.attrs["mode"] == "compare"
    cols = {"group": t["group"].astype(str).tolist(), "collocate": t["collocate"].astype(str).tolist(),
            "rank": t["rank"].astype(int).tolist(), "score": t["score"].astype(float).round(3).tolist(),
            "freq": t["freq"].astype(int).tolist(), "doc_freq": t["doc_freq"].astype(int).tolist(),
            "lines": t["lines"].astype(int).tolist(), "shown": t["shown"].astype(int).tolist()}
    if compare:
        cols["distribution"] = t["distribution"].astype(str).tolist()
    source = ColumnDataSource(cols, name="collocate_table")
    score = "Log Ratio" if compare else str(data.attrs.get("measure", "score"))
    columns = [TableColumn(field="rank", title="#", width=30), TableColumn(field="collocate", title="collocate",
                                                                           formatter=StringFormatter()),
               TableColumn(field="score", title=score, formatter=NumberFormatter(format="0.00")),
               TableColumn(field="freq", title="freq", width=45), TableColumn(field="doc_freq", title="docs", width=45),
               TableColumn(field="lines", title="lines", width=45)]
    if compare:
        columns.append(TableColumn(field="distribution", title="distribution", formatter=StringFormatter()))
    tables = [DataTable(source=source, columns=columns, view=CDSView(filter=GroupFilter(column_name="group",
                                                                                         group=str(g))),
                        width=330 if not compare else 420, height=_NET_PX, index_position=None,
                        selectable=True, reorderable=False, name=f"collocates {g}") for g in data.attrs["groups"]]
    return source, tables


def collocate_layout(data: CollocateData, *, title: str) -> Any:
    """The Bokeh layout of a :class:`~discourse.explore.collocate_data.CollocateData`: network, tables, lines."""
    from bokeh.layouts import column, row
    from bokeh.models import ColumnDataSource, CustomJS, DataTable, Div, StringFormatter, TableColumn

    fig, net = _network(data)
    table, tables = _tables(data)
    lines = data.lines
    cols = [c for c in ("group", "collocate", "doc_id", "left", "node", "right", "title", "date") if c in lines]
    embedded = line_data(lines, cols)
    embedded["key"] = [f"{g}\x1f{c}" for g, c in zip(embedded["group"], embedded["collocate"])]
    everything = ColumnDataSource(embedded, name="cooccurrence_lines")
    shown = ColumnDataSource({k: [] for k in embedded}, name="shown_lines")
    status = Div(text="Select a collocate (table or network) to read its lines.", name="lines_status",
                 render_as_text=True)
    right_aligned = StringFormatter(text_align="right")
    concordance = DataTable(source=shown, width=1100, height=320, index_position=None, name="concordance",
                            reorderable=False,
                            columns=[TableColumn(field="group", title="group", width=90),
                                     TableColumn(field="left", title="left", formatter=right_aligned, width=330),
                                     TableColumn(field="node", title="node", width=90,
                                                 formatter=StringFormatter(font_style="bold")),
                                     TableColumn(field="right", title="right", width=330)]
                            + [TableColumn(field=c, title=c, width=160) for c in ("title", "date") if c in cols])
    table.selected.js_on_change("indices", CustomJS(args=dict(table=table, lines=everything, shown=shown, net=net,
                                                              status=status), code=_TABLE_JS))
    net.selected.js_on_change("indices", CustomJS(args=dict(net=net, table=table), code=_NET_JS))
    # untrusted names (groups, the node as typed) are shown as text, never as HTML
    heads = [column(Div(text=str(g), render_as_text=True, styles={"font-weight": "bold"}), t)
             for g, t in zip(data.attrs["groups"], tables)]
    return column(Div(text=str(data.attrs.get("note", "")), render_as_text=True), row(fig, *heads), status,
                  concordance)


def explore_collocates(tokens: Any, node: Query, by: str | None = "outlet", *, groups: Sequence[Any] | None = None,
                       target: Any = None, top: int = 20, lines: int = 25, window: int = 8, seed: int = 0,
                       left: int = 5, right: int = 5, measure: str = "log_dice",
                       stopwords: str | Iterable[str] | None = "english", **options: Any) -> Explorer:
    """Interactive collocate explorer of ``node``: each group's collocates side by side, or A vs B.

    Collocates are :func:`discourse.collocates.collocates` (``by=``; defaults: logDice, L5-R5,
    C5-NC3, English stop words left out of the listing; Rychlý 2008, Evert 2008, Brezina et al.
    2015) or, with ``groups=(A, B)`` or ``target=A``, :func:`discourse.collocates.compare_collocates`
    (signed G2 and Log Ratio on window shares, Dunning 1993, Hardie 2014) with each collocate's
    distribution (A only, B only, shared). Network: one hub per group, spring layout (Fruchterman &
    Reingold 1991) seeded by ``seed``.

    Parameters
    ----------
    tokens : Tokens or a corpus in partitions (a store)
    node : str, compiled regex or list of them
        Word, phrase, wildcard, regex or term group (:mod:`discourse.query`).
    by : str or None
        Metadata column of the groups (default ``"outlet"``).
    groups, target
        Two groups ``(A, B)`` or one group against the rest: the A vs B view.
    top : int
        Collocates per group (per side for A vs B), default 20.
    lines : int
        Co-occurrence lines embedded per collocate and group: a sample drawn with ``seed``
        (default 25); the table gives how many there are in all.
    window : int
        Context of those lines, in tokens on each side (default 8).
    left, right, measure, stopwords, options
        As in :func:`discourse.collocates.collocates` (``min_freq``, ``min_coll_freq``, ``sentence``...).

    Returns
    -------
    Explorer
        ``.save(path)`` writes the standalone page; in JupyterLab it shows itself. ``attrs`` holds the
        parameters of the analysis and the caps; ``attrs["data"]`` is not kept (the page is the view).
    """
    data = collocate_data(tokens, node, by=by, groups=groups, target=target, top=top, lines=lines, window=window,
                          seed=seed, left=left, right=right, measure=measure, stopwords=stopwords, **options)
    sides = " vs ".join(data.attrs["groups"])
    title = f"Collocates of {data.attrs.get('node', node)}: {sides}"
    attrs = {k: v for k, v in data.attrs.items() if k not in ("tokenizer", "caps")}
    attrs.update(analysis="explore_collocates", caps={"collocates": data.caps["rule"].split("; ")[0],
                                                      "lines": data.caps["rule"].split("; ")[1],
                                                      "context": f"{window} tokens on each side of the node"})
    return Explorer(collocate_layout(data, title=title), attrs, title=title, height=1100)
