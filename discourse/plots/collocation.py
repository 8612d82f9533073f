"""Plots of a node's collocates: outlet A against outlet B, collocation networks, dispersion barcodes.

Each function takes a result DataFrame (:func:`discourse.collocates.compare_collocates`,
:func:`discourse.collocates.collocates`, :func:`discourse.kwic.query_positions`) and
returns a matplotlib Axes; a table without rows gives an Axes that says so.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

from .base import empty_axes, figure_axes, fit_markers, place_labels, place_legend, require_result, safe_label, short_label

__all__ = ["collocates_scatter", "collocation_network", "dispersion_plot"]


def collocates_scatter(comparison: pd.DataFrame, *, label: int = 12, ax: Axes | None = None) -> Axes:
    """A node's collocates in outlet A (x) against outlet B (y), by association strength.

    ``comparison`` is :func:`discourse.collocates.compare_collocates`. Each point is a
    collocate at its ``<measure>`` in A and in B; a collocate found with the node in
    one outlet only sits on the floor line of the other axis (marked "absent").
    Colour shows where it occurs (A only, B only, shared); the ``label`` collocates
    with the largest |G2| are named, without overlaps (collocates at the same point
    share one label). Points above the diagonal are relatively stronger in B.
    """
    require_result(comparison, "compare_collocates", analysis="collocate_comparison")
    m = comparison.attrs["measure"]
    a, b = short_label(comparison.attrs["group_a"]), short_label(comparison.attrs["group_b"])
    ax = figure_axes(ax, (8.0, 6.0))
    title = f"Collocates of {short_label(comparison.attrs['node'], 60)}: {a} vs {b}\n{comparison.attrs['cpn']}"
    if comparison.empty:
        return empty_axes(ax, "no collocates in the table", title=title)
    xa, yb = comparison[f"{m}_a"], comparison[f"{m}_b"]
    finite = np.r_[xa.dropna().to_numpy(), yb.dropna().to_numpy()]
    lo, hi = (finite.min(), finite.max()) if len(finite) else (0.0, 1.0)
    floor = lo - 0.08 * max(hi - lo, 1.0)
    shown = {f"{comparison.attrs['group_a']} only": f"{a} only", "shared": "shared",
             f"{comparison.attrs['group_b']} only": f"{b} only"}  # group names as on the axes
    data = comparison.assign(x=xa.fillna(floor), y=yb.fillna(floor),
                             **{"co-occurrences": comparison["freq_a"] + comparison["freq_b"]},
                             distribution=comparison["distribution"].map(shown))
    order = [f"{a} only", "shared", f"{b} only"]
    sns.scatterplot(data=data, x="x", y="y", hue="distribution", hue_order=order, size="co-occurrences",
                    sizes=(20, 200), alpha=0.7, ax=ax, legend="brief")
    ax.axline((floor, floor), (hi, hi), color="0.6", lw=0.8, ls="--")
    ax.axvline(floor, color="0.85", lw=0.8)
    ax.axhline(floor, color="0.85", lw=0.8)
    ax.set(xlabel=f"{m} with the node in {a}  (absent: left line)",
           ylabel=f"{m} with the node in {b}  (absent: bottom line)", title=title)
    place_legend(ax)
    fit_markers(ax)
    named = data.reindex(data["log_likelihood"].abs().sort_values(ascending=False, kind="stable").index).head(label)
    place_labels(ax, named["x"], named["y"], named["collocate"])
    return ax


def collocation_network(results: pd.DataFrame | Sequence[pd.DataFrame] | Mapping[str, pd.DataFrame], *,
                        top: int = 10, group: str | None = None, seed: int = 0, ax: Axes | None = None) -> Axes:
    """Collocation network (GraphColl-style; Brezina et al. 2015) for one or several nodes.

    ``results`` is one :func:`discourse.collocates.collocates` table or several (a list, or a
    dict keyed by the node label to show). Each node is linked to its ``top`` collocates by
    the table's ranking measure; stronger links are thicker and pull the collocate closer
    (spring layout weighted by the normalised measure, seeded by ``seed``). Collocates
    shared by several nodes are drawn in a second colour: they tie the nodes together.
    ``group`` picks one group of tables computed with ``by``. Labels sit beside their
    node on a white box (black text: contrast ratio 21:1), placed without overlaps.
    """
    import networkx as nx

    if isinstance(results, pd.DataFrame):
        results = [results]
    items = list(results.items()) if isinstance(results, Mapping) else [(r.attrs.get("node", f"node {i}"), r)
                                                                       for i, r in enumerate(results)]
    if not items:
        raise ValueError("no collocate tables given")
    graph = nx.Graph()
    for label, res in items:
        require_result(res, "collocates", analysis="collocates")
        m = res.attrs["measure"]
        part = res if group is None else res[res["group"] == group]
        part = part.sort_values("rank").groupby("collocate", sort=False).head(1).head(top)
        graph.add_node(str(label), kind="node")
        vals = part[m].to_numpy(float)
        span = (np.nanmax(vals) - np.nanmin(vals)) if len(vals) else 0.0
        strength = (vals - np.nanmin(vals)) / span * 0.8 + 0.2 if span > 0 else np.ones(len(vals))
        for coll, s in zip(part["collocate"].astype(str), strength):
            if coll not in graph:
                graph.add_node(coll, kind="collocate")
            graph.add_edge(str(label), coll, weight=float(s))
    nodes = [str(lbl) for lbl, _ in items]
    ax = figure_axes(ax, (8.0, 7.0))
    first = items[0][1]
    title = (f"Collocation network ({first.attrs['cpn']}; top {top})"
             + (f", {short_label(group)}" if group is not None else ""))
    if graph.number_of_edges() == 0:
        return empty_axes(ax, "no collocates to link" + (f" in {short_label(group)}" if group is not None else ""),
                          title=title)
    pos = nx.spring_layout(graph, weight="weight", seed=seed)
    shared = [n for n in graph if graph.nodes[n]["kind"] == "collocate" and graph.degree(n) > 1]
    single = [n for n in graph if graph.nodes[n]["kind"] == "collocate" and graph.degree(n) == 1]
    widths = [0.5 + 3 * d["weight"] for _, _, d in graph.edges(data=True)]
    palette = sns.color_palette()
    nx.draw_networkx_edges(graph, pos, width=widths, edge_color="0.7", ax=ax)
    nx.draw_networkx_nodes(graph, pos, nodelist=single, node_color=[palette[0]], node_size=250, ax=ax)
    nx.draw_networkx_nodes(graph, pos, nodelist=shared, node_color=[palette[1]], node_size=350, ax=ax)
    nx.draw_networkx_nodes(graph, pos, nodelist=nodes, node_color=[palette[3]], node_size=900, ax=ax)
    ax.set_title(title)
    ax.set_axis_off()
    ax.margins(0.15)  # room for the labels of outer nodes inside the axes
    fit_markers(ax)
    # the nodes' labels first (bold), then the collocates' from the strongest link down
    place_labels(ax, [pos[n][0] for n in nodes], [pos[n][1] for n in nodes], nodes, box=True, weight="bold",
                 max_distance=0.3, width=60)
    strength = {n: max(d["weight"] for _, _, d in graph.edges(n, data=True)) for n in single + shared}
    rest = sorted(single + shared, key=lambda n: -strength[n])
    place_labels(ax, [pos[n][0] for n in rest], [pos[n][1] for n in rest], rest, box=True, max_distance=0.3)
    return ax


def dispersion_plot(positions: pd.DataFrame, *, max_documents: int = 60, ax: Axes | None = None) -> Axes:
    """Dispersion (barcode) plot: where a query occurs in each document, documents grouped by outlet.

    ``positions`` is :func:`discourse.kwic.query_positions`. One row per document
    (the first ``max_documents`` in group order, including documents without a hit),
    one tick per hit at its relative position in the document (0 = start, 1 = end).
    The figure grows by a quarter inch per row; long document ids are shortened in the middle.
    """
    require_result(positions, "query_positions", analysis="query_positions")
    docs = pd.DataFrame(positions.attrs["documents"], columns=["doc_id", "group", "tokens"])
    docs = docs.assign(group=docs["group"].astype(str)).sort_values("group", kind="stable").head(max_documents)
    ax = figure_axes(ax, (8.0, 1.8 + 0.25 * max(len(docs), 1)))
    title = f"Dispersion of {short_label(positions.attrs['query'], 60)} ({positions.attrs['hits']} hits)"
    if docs.empty:
        return empty_axes(ax, "no documents", title=title)
    data = positions[positions["doc_id"].isin(docs["doc_id"])].assign(
        group=lambda d: d["group"].astype(str).map(short_label),
        doc_id=lambda d: pd.Categorical(d["doc_id"], categories=docs["doc_id"]))
    hue_order = list(dict.fromkeys(docs["group"].map(short_label)))
    sns.scatterplot(data=data, x="relative_position", y=data["doc_id"].cat.codes, hue="group",
                    hue_order=hue_order, marker="|", s=200, linewidth=1.5, ax=ax)
    ax.set_yticks(range(len(docs)), [short_label(f"{d} ({g})") for d, g in zip(docs["doc_id"], docs["group"])])
    ax.set_ylim(len(docs) - 0.5, -0.5)
    ax.set_xlim(-0.02, 1.02)
    ax.set(xlabel="relative position in the document", ylabel="", title=title)
    place_legend(ax, title=safe_label(positions.attrs.get("by") or "group"))
    return ax
