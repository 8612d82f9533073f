"""The data of the collocate explorer: its table, its network and the lines behind each collocate.

Everything the explorer shows is computed here, in Python, and bounded by stated
caps, so the page embeds only what it shows:

* the **table**: each group's ``top`` collocates of the node (:func:`discourse.collocates.collocates`,
  ``by=``), or, for two groups A and B, the ``top`` collocates most typical of each side
  (:func:`discourse.collocates.compare_collocates`, signed G2) with their distribution
  (``"<A> only"``, ``"<B> only"``, ``"shared"``);
* the **network** (GraphColl-style, Brezina, McEnery & Wattam 2015): one hub per group (the
  node as that group writes it), linked to each of its collocates in the table; a collocate
  shared by several groups is linked to each, so it sits between them. The layout is
  networkx's spring layout (Fruchterman & Reingold 1991), weighted by the normalised score
  and seeded, so the same data give the same picture;
* the **lines**: for each collocate in the table and each group, the node's concordance lines
  in which the collocate occurs within the collocation window (:func:`discourse.kwic.kwic` with
  ``near=`` the collocate and ``near_window=`` the span), a seeded sample of at most ``lines``
  of them; the number of all such lines is kept beside it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd

from ..collocates import collocates, compare_collocates
from ..grouping import doc_codes, two_group_codes
from ..kwic import kwic
from ..query import Query
from ..validation import check_count

__all__ = ["CollocateData", "collocate_data", "cooccurrence_lines", "network_layout"]

_WORD = re.compile(r"[^\W_]+")  # a term the query parser reads as itself


@dataclass
class CollocateData:
    """What the collocate explorer embeds.

    Attributes
    ----------
    table : DataFrame
        One row per (group, collocate) shown: ``group``, ``collocate``, ``rank``, ``score`` (the
        ranking statistic), ``freq`` (co-occurrences in the group), ``doc_freq``, ``lines`` (all
        co-occurrence lines of the group), ``shown`` (lines embedded), plus the statistics of the
        analysis (and ``distribution`` for two groups).
    nodes, edges : DataFrame
        The network: ``name`` (shown), ``kind`` (``"node"`` or ``"collocate"``), ``collocate`` (the
        term; empty for a hub), ``group`` (a hub's group;
        the groups a collocate is linked to, joined by ", "), ``x``, ``y``; edges ``source``,
        ``target``, ``group``, ``weight`` in (0, 1] and the end points ``x0``, ``y0``, ``x1``, ``y1``.
    lines : DataFrame
        ``group``, ``collocate``, ``doc_id``, ``left``, ``node``, ``right`` and the ``title``/``date``
        of the document when the corpus has them.
    caps, attrs : dict
        The caps (``top``, ``lines``, ``window``) and the analysis' parameters.
    """

    table: pd.DataFrame
    nodes: pd.DataFrame
    edges: pd.DataFrame
    lines: pd.DataFrame
    caps: dict = field(default_factory=dict)
    attrs: dict = field(default_factory=dict)


def _exact(term: str) -> Query:
    """A query matching exactly this vocabulary term (a term with punctuation as a whole-term regex)."""
    return term if _WORD.fullmatch(term) else re.compile(re.escape(term))


def cooccurrence_lines(tokens: Any, node: Query, collocate: str, codes: np.ndarray, labels: Sequence[Any], *,
                       left: int = 5, right: int = 5, sentence: bool = False, regex: bool = False,
                       window: int = 8, lines: int = 25, seed: int = 0) -> tuple[pd.DataFrame, dict]:
    """Concordance lines of ``node`` with ``collocate`` within ``left``/``right`` tokens, per group.

    ``codes`` gives each document's group (an index into ``labels``; -1: none). Of each group's
    lines a sample of at most ``lines`` is kept, drawn with ``numpy.random.default_rng(seed)``
    for every (collocate, group), so the lines of a collocate do not depend on the others shown;
    they stay in corpus order. Returns ``(lines, {group: number of all lines})``.
    """
    meta = tokens.metadata
    show = [c for c in ("title", "date") if c in meta.columns]
    conc = kwic(tokens, node, window, show=show, sentence=sentence, regex=regex, near=_exact(collocate),
                near_window=(left, right))
    group = codes[meta.index.get_indexer(conc["doc_id"])]
    picks, totals = [], {}
    for g, label in enumerate(labels):
        pos = np.flatnonzero(group == g)
        if not len(pos):
            continue
        totals[label] = len(pos)
        if len(pos) > lines:
            pos = np.sort(np.random.default_rng(seed).choice(pos, size=lines, replace=False))
        picks.append(pos)
    pick = np.concatenate(picks) if picks else np.zeros(0, np.int64)
    columns = ["doc_id", "left", "node", "right", *show]
    out = pd.DataFrame({"group": np.asarray(labels, dtype=object)[group[pick]] if len(pick) else [],
                        "collocate": collocate,
                        **{c: conc[c].to_numpy()[pick] for c in columns}})
    return out, totals


def network_layout(table: pd.DataFrame, hubs: Sequence[Any], *, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Nodes and edges of the collocation network of ``table`` (``group``, ``collocate``, ``score``).

    Each hub (a group) links to its collocates; a link's weight is the score normalised within
    the hub's links to [0.2, 1] (the strongest 1), which pulls the collocate closer in
    networkx's spring layout (Fruchterman & Reingold 1991), seeded by ``seed``. A hub is named
    after its group, a collocate after itself (a collocate spelled as a group is prefixed "· ").
    Coordinates are scaled into [-1, 1].
    """
    import networkx as nx

    graph = nx.Graph()
    hub_names = {g: str(g) for g in hubs}
    for g in hubs:
        graph.add_node(hub_names[g], kind="node", group=str(g), collocate="")
    used = set(hub_names.values())
    coll_names: dict[str, str] = {}
    for g in hubs:
        part = table[table["group"] == g]
        vals = part["score"].to_numpy(float)
        finite = vals[np.isfinite(vals)]
        span = (finite.max() - finite.min()) if len(finite) else 0.0
        weight = (np.nan_to_num(vals - (finite.min() if len(finite) else 0.0)) / span * 0.8 + 0.2
                  if span > 0 else np.ones(len(vals)))
        for coll, w in zip(part["collocate"].astype(str), weight):
            name = coll_names.setdefault(coll, coll if coll not in used else f"· {coll}")
            if name not in graph:
                graph.add_node(name, kind="collocate", group="", collocate=coll)
            graph.add_edge(hub_names[g], name, weight=float(w), group=str(g))
    if graph.number_of_nodes() == 1:
        pos = {n: np.zeros(2) for n in graph}
    else:
        pos = nx.spring_layout(graph, weight="weight", seed=seed)
    xy = np.array([pos[n] for n in graph]) if len(graph) else np.zeros((0, 2))
    scale = np.abs(xy).max() if len(xy) and np.abs(xy).max() > 0 else 1.0
    rows = []
    for (name, data), (x, y) in zip(graph.nodes(data=True), xy / scale):
        groups = data["group"] if data["kind"] == "node" else ", ".join(
            sorted((d["group"] for _, _, d in graph.edges(name, data=True)), key=str))
        rows.append({"name": name, "kind": data["kind"], "collocate": data["collocate"], "group": groups,
                     "x": float(x), "y": float(y)})
    nodes = pd.DataFrame(rows, columns=["name", "kind", "collocate", "group", "x", "y"])
    at = nodes.set_index("name")
    edges = pd.DataFrame([{"source": a if graph.nodes[a]["kind"] == "node" else b,
                           "target": b if graph.nodes[a]["kind"] == "node" else a,
                           "group": d["group"], "weight": d["weight"]} for a, b, d in graph.edges(data=True)],
                         columns=["source", "target", "group", "weight"])
    for end, col in (("0", "source"), ("1", "target")):
        edges["x" + end] = at["x"].reindex(edges[col]).to_numpy()
        edges["y" + end] = at["y"].reindex(edges[col]).to_numpy()
    return nodes, edges


def collocate_data(tokens: Any, node: Query, *, by: str | None = "outlet", groups: Sequence[Any] | None = None,
                   target: Any = None, top: int = 20, lines: int = 25, window: int = 8, seed: int = 0,
                   left: int = 5, right: int = 5, sentence: bool = False, measure: str = "log_dice",
                   regex: bool = False, stopwords: str | Iterable[str] | None = "english",
                   **options: Any) -> CollocateData:
    """The table, network and co-occurrence lines of the collocate explorer (see the module notes).

    Without ``groups``/``target``: the ``top`` collocates of each group of ``by``
    (:func:`discourse.collocates.collocates`, its defaults: logDice, L5-R5, C5-NC3, stop words
    left out). With ``groups=(A, B)`` or ``target=A`` (A against the rest): A vs B
    (:func:`discourse.collocates.compare_collocates`), the ``top`` collocates with the largest
    positive signed G2 (typical of A) and the ``top`` with the most negative (typical of B);
    ``score`` is then the Log Ratio on window shares (positive: A). ``options`` go to that function
    (``min_freq``, ``min_coll_freq``, ``set_aside``, ...). ``lines`` caps the lines embedded per
    collocate and group, ``window`` is their context in tokens on each side.
    """
    check_count("top", top, minimum=1)
    check_count("lines", lines, minimum=1)
    check_count("window", window, minimum=1)
    common = dict(left=left, right=right, sentence=sentence, measure=measure, regex=regex, stopwords=stopwords,
                  **options)
    compare = groups is not None or target is not None
    if compare:
        res = compare_collocates(tokens, node, by=by, groups=groups, target=target, **common)
        label_a, label_b, codes = two_group_codes(tokens, by, groups, target)
        labels = [label_a, label_b]
        a = res[res["log_likelihood"] > 0].head(top).assign(group=label_a)
        b = res[res["log_likelihood"] < 0].iloc[::-1].head(top).assign(group=label_b)
        table = pd.concat([a, b], ignore_index=True)
        table["rank"] = table.groupby("group", sort=False).cumcount() + 1
        table["score"] = table["log_ratio"]
        table["freq"] = np.where(table["group"] == label_a, table["freq_a"], table["freq_b"])
        table["doc_freq"] = np.where(table["group"] == label_a, table["doc_freq_a"], table["doc_freq_b"])
        # a link's strength in the network: how typical of its side (|Log Ratio|)
        net = table.assign(score=table["log_ratio"].abs())
        # a shared collocate is linked to both hubs (its lines are shown for both groups)
        shared = table[table["distribution"] == "shared"].assign(
            group=lambda t: np.where(t["group"] == label_a, label_b, label_a), score=0.0)
        net = pd.concat([net, shared], ignore_index=True)
    else:
        res = collocates(tokens, node, by=by, top=top, **common)
        labels, codes = doc_codes(tokens, by)
        table = res.assign(score=res[measure])
        labels = [g for g in labels if (table["group"] == g).any()] or list(labels)
        net = table
    nodes, edges = network_layout(net, labels, seed=seed)
    frames, counts = [], {}
    for coll in dict.fromkeys(table["collocate"].astype(str)):
        part, totals = cooccurrence_lines(tokens, node, coll, codes, labels, left=left, right=right,
                                          sentence=sentence, regex=regex, window=window, lines=lines, seed=seed)
        frames.append(part)
        counts.update({(g, coll): n for g, n in totals.items()})
    all_lines = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["group", "collocate", "doc_id", "left", "node", "right"])
    for col in ("date", "title"):
        if col in all_lines.columns:
            all_lines[col] = all_lines[col].astype(str).where(all_lines[col].notna(), "")
    keys = list(zip(table["group"], table["collocate"].astype(str)))
    table["lines"] = [counts.get(k, 0) for k in keys]
    table["shown"] = [min(counts.get(k, 0), lines) for k in keys]
    if compare:
        for side, g in (("a", labels[0]), ("b", labels[1])):
            table[f"lines_{side}"] = [counts.get((g, c), 0) for c in table["collocate"].astype(str)]
    front = ["group", "collocate", "rank", "score", "freq", "doc_freq", "lines", "shown"]
    table = table[front + [c for c in table.columns if c not in front]].reset_index(drop=True)
    caps = {"top": top, "lines": lines, "window": window,
            "rule": (f"the {top} collocates of each group ranked by {measure}" if not compare else
                     f"the {top} collocates most typical of each side (signed G2)")
            + f"; at most {lines} co-occurrence lines per collocate and group (seeded sample, seed {seed})"}
    attrs = {**res.attrs, "mode": "compare" if compare else "groups", "groups": [str(g) for g in labels],
             "seed": seed, "caps": caps}
    return CollocateData(table=table, nodes=nodes, edges=edges, lines=all_lines, caps=caps, attrs=attrs)
