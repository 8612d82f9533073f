"""The topic explorer: a topic's terms re-ranked by relevance with a λ slider, its prevalence by outlet
with intervals, and its most representative passages in each outlet.

What it embeds is computed by :func:`discourse.explore.topic_data.topic_data`: per topic the
candidate terms (exact top terms at every slider position), the prevalence table of
:func:`discourse.topics.topic_prevalence` and the passages of
:func:`discourse.explore.topic_data.topic_passages`. One small ``CustomJS`` callback ranks the
selected topic's candidates by ``λ log p(w|t) + (1 − λ) log(p(w|t)/p(w))`` (Sievert & Shirley
2014) as the slider moves, and filters the prevalence and passages to the selected topic; it
escapes every piece of text it places in the page's HTML (the base's ``esc``).
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .page import ESCAPE_JS, Explorer
from .topic_data import LAMBDA_STEP, TopicData, relevance, topic_data

__all__ = ["explore_topics", "topic_layout"]

_LAMBDA = 0.6  # Sievert & Shirley (2014): the value their user study found best
_BAR_PX = 18

_UPDATE_JS = ESCAPE_JS + """
const k = Number(select.value), lam = slider.value, c = cand.data;
const idx = [];
for (let i = 0; i < c.topic.length; i++) if (c.topic[i] === k) idx.push(i);
const rel = idx.map(i => lam * Math.log(c.p_topic[i]) + (1 - lam) * Math.log(c.p_topic[i] / c.p_corpus[i]));
const order = idx.map((_, j) => j).sort((a, b) => (rel[b] - rel[a]) || (a - b)).slice(0, n);
const terms = order.map(j => c.term[idx[j]]);
bars.data = {term: terms, p_topic: order.map(j => c.p_topic[idx[j]]), p_corpus: order.map(j => c.p_corpus[idx[j]]),
             lift: order.map(j => c.p_topic[idx[j]] / c.p_corpus[idx[j]]), relevance: order.map(j => rel[j])};
y_range.factors = terms.slice().reverse();
ranked.text = 'Top terms of ' + labels[k - 1] + ' at \\u03bb = ' + lam.toFixed(2) + ': ' + terms.join(', ');
if (prev !== null) {
  const p = prev.data, out = {group: [], share: [], ci_low: [], ci_high: [], n_docs: []};
  for (let i = 0; i < p.topic.length; i++) if (p.topic[i] === k) for (const key of Object.keys(out)) out[key].push(p[key][i]);
  prev_shown.data = out;
}
if (psg !== null) {
  const p = psg.data;
  let html = '', group = null;
  for (let i = 0; i < p.topic.length; i++) {
    if (p.topic[i] !== k) continue;
    if (p.group[i] !== group) { group = p.group[i]; html += '<h4>' + esc(group) + '</h4>'; }
    html += '<p class="passage"><b>' + esc(p.title[i] || p.doc_id[i]) + '</b> <i>(' + esc(p.date[i]) +
            (p.date[i] ? ', ' : '') + 'share ' + p.share[i].toFixed(2) + ')</i><br>' + esc(p.text[i]) + '</p>';
  }
  passages.text = html || '<p>No document of this topic.</p>';
}
"""


def _ranked(terms: pd.DataFrame, topic: int, lam: float, n: int) -> pd.DataFrame:
    """The shown terms of ``topic`` at ``lam``: the candidates by relevance (ties: candidate order), as the page."""
    cand = terms[terms["topic"] == topic]
    r = relevance(cand["p_topic"].to_numpy(), cand["p_corpus"].to_numpy(), lam)
    top = np.argsort(-r, kind="stable")[:n]
    out = cand.iloc[top].reset_index(drop=True)
    return out.assign(lift=out["p_topic"] / out["p_corpus"], relevance=r[top])


def _terms_plot(data: TopicData, n: int) -> tuple[Any, Any, Any]:
    from bokeh.models import ColumnDataSource, FactorRange, HoverTool
    from bokeh.plotting import figure

    first = _ranked(data.terms, int(data.topics["topic"].iloc[0]), _LAMBDA, n)
    bars = ColumnDataSource({k: first[k].tolist() for k in ("term", "p_topic", "p_corpus", "lift", "relevance")},
                            name="shown_terms")
    y = FactorRange(factors=first["term"].astype(str).tolist()[::-1])
    fig = figure(y_range=y, frame_width=380, frame_height=_BAR_PX * n, toolbar_location=None, tools="",
                 title="p(w | topic) (red) and p(w) in the corpus (grey)")
    fig.hbar(y="term", right="p_topic", height=0.8, source=bars, color="#c0392b", alpha=0.8)
    fig.hbar(y="term", right="p_corpus", height=0.4, source=bars, color="#7f7f7f")
    fig.add_tools(HoverTool(tooltips=[("term", "@term"), ("p(w|t)", "@p_topic{0.0000}"),
                                      ("p(w)", "@p_corpus{0.0000}"), ("lift", "@lift{0.0}"),
                                      ("relevance", "@relevance{0.00}")]))
    fig.x_range.start = 0
    return fig, bars, y


def _prevalence_plot(prevalence: pd.DataFrame, topic: int) -> tuple[Any, Any, Any]:
    from bokeh.models import ColumnDataSource, FactorRange
    from bokeh.plotting import figure

    cols = ("group", "share", "ci_low", "ci_high", "n_docs")
    every = ColumnDataSource({"topic": prevalence["topic"].astype(int).tolist(),
                              "group": prevalence["group"].astype(str).tolist(),
                              **{k: prevalence[k].astype(float).tolist() for k in cols[1:]}}, name="prevalence")
    first = prevalence[prevalence["topic"] == topic]
    shown = ColumnDataSource({"group": first["group"].astype(str).tolist(),
                              **{k: first[k].astype(float).tolist() for k in cols[1:]}}, name="shown_prevalence")
    groups = sorted(prevalence["group"].astype(str).unique())
    high = float(np.nanmax(prevalence[["share", "ci_high"]].to_numpy())) if len(prevalence) else 1.0
    fig = figure(y_range=FactorRange(factors=groups[::-1]), x_range=(0, min(1.0, high * 1.1) or 1.0),
                 frame_width=360, frame_height=max(120, 34 * len(groups)), toolbar_location=None, tools="hover",
                 tooltips=[("group", "@group"), ("share", "@share{0.000}"), ("interval", "@ci_low{0.000} to @ci_high{0.000}"),
                           ("documents", "@n_docs")],
                 title=f"Mean share of the documents, {prevalence.attrs.get('ci', 0.95):.0%} bootstrap interval")
    fig.segment(x0="ci_low", x1="ci_high", y0="group", y1="group", source=shown, line_width=3, color="#2c7fb8")
    fig.scatter(x="share", y="group", source=shown, size=10, color="#c0392b")
    return fig, every, shown


def _passage_source(passages: pd.DataFrame) -> Any:
    from bokeh.models import ColumnDataSource

    from .lines import line_data

    data = line_data(passages, ("group", "doc_id", "title", "date", "text"))
    data.update(topic=passages["topic"].astype(int).tolist(), share=passages["share"].astype(float).tolist())
    return ColumnDataSource(data, name="passages_data")


def topic_layout(data: TopicData, *, n_terms: int) -> Any:
    """The Bokeh layout of a :class:`~discourse.explore.topic_data.TopicData`: controls, terms, prevalence, passages."""
    from bokeh.events import DocumentReady
    from bokeh.layouts import column, row
    from bokeh.models import ColumnDataSource, CustomJS, Div, Select, Slider

    topics = data.topics
    labels = topics["label"].astype(str).tolist()
    select = Select(title="topic", value=str(int(topics["topic"].iloc[0])), name="topic_select",
                    options=[(str(int(k)), lab) for k, lab in zip(topics["topic"], labels)])
    slider = Slider(start=0, end=1, step=LAMBDA_STEP, value=_LAMBDA, title="λ (1: probability in the topic, "
                    "0: lift)", name="lambda_slider", width=360)
    cand = ColumnDataSource({"topic": data.terms["topic"].astype(int).tolist(),
                             "term": data.terms["term"].astype(str).tolist(),
                             "p_topic": data.terms["p_topic"].astype(float).tolist(),
                             "p_corpus": data.terms["p_corpus"].astype(float).tolist()}, name="candidate_terms")
    terms_fig, bars, y_range = _terms_plot(data, n_terms)
    first = bars.data["term"]
    ranked = Div(text=f"Top terms of {labels[0]} at λ = {_LAMBDA:.2f}: " + ", ".join(first), render_as_text=True,
                 name="ranked_terms", width=760)
    panels, args = [terms_fig], dict(cand=cand, bars=bars, y_range=y_range, slider=slider, select=select,
                                     ranked=ranked, labels=labels, n=n_terms, prev=None, prev_shown=None,
                                     psg=None)
    if data.prevalence is not None:
        prev_fig, prev, prev_shown = _prevalence_plot(data.prevalence, int(topics["topic"].iloc[0]))
        panels.append(prev_fig)
        args.update(prev=prev, prev_shown=prev_shown)
    body = [row(select, slider), ranked, row(*panels)]
    if data.passages is not None:
        passages = Div(text="", name="passages", width=1100, styles={"overflow-wrap": "anywhere"})
        args.update(psg=_passage_source(data.passages), passages=passages)
        body += [Div(text="Representative passages (the documents with the highest share of the topic, per group)",
                     render_as_text=True, styles={"font-weight": "bold"}), passages]
    update = CustomJS(args=args, code=_UPDATE_JS)
    select.js_on_change("value", update)
    slider.js_on_change("value", update)
    layout = column(*body)
    # the passages' HTML is made (and escaped) by the same callback, once the page is ready
    layout.js_on_event(DocumentReady, update)
    return layout


def explore_topics(model: Any, tokens: Any = None, *, by: str | None = "outlet", n_terms: int = 20,
                   n_passages: int = 3, passage_chars: int = 400, n_boot: int = 2000, ci: float = 0.95,
                   seed: int = 0) -> Explorer:
    """Interactive topic explorer: terms by relevance with a λ slider, prevalence by group, passages.

    Relevance (Sievert & Shirley 2014): ``λ log p(w|t) + (1 − λ) log(p(w|t) / p(w))``; the
    slider starts at their recommended ``λ = 0.6`` and moves by 0.01, and the ranking at every
    position is exact (the candidates embedded per topic are the union of its top ``n_terms``
    at every position). Prevalence: :func:`discourse.topics.topic_prevalence` (mean document
    share per group with a percentile bootstrap interval over documents, Efron & Tibshirani
    1993; ``n_boot``, ``ci``, ``seed``). Passages: per topic and group the ``n_passages``
    documents with the highest share, each by its unit richest in the topic, at most
    ``passage_chars`` characters.

    Parameters
    ----------
    model : TopicModel or DataFrame
        A fitted :func:`discourse.topics.fit_lda` model, or a :func:`discourse.topics.topic_terms`
        table (then terms only: no prevalence or passages, and the ranking is exact among its rows).
    tokens : Tokens, optional
        The corpus of the model, checked by fingerprint (the texts come from the model).
    by : str or None
        Metadata column of the groups (default ``"outlet"``).

    Returns
    -------
    Explorer
    """
    data = topic_data(model, tokens, by=by, n_terms=n_terms, n_passages=n_passages, passage_chars=passage_chars,
                      n_boot=n_boot, ci=ci, seed=seed)
    layout = topic_layout(data, n_terms=n_terms)
    k = len(data.topics)
    title = f"Topics ({k}){' by ' + by if by and data.prevalence is not None else ''}: relevance, prevalence, passages"
    caps = {"terms": data.caps["rule"].split("; ")[0]}
    if data.passages is not None:
        caps["passages"] = data.caps["rule"].split("; ")[1]
    attrs = {k_: v for k_, v in data.attrs.items() if k_ != "prevalence"}
    attrs.update(analysis="explore_topics", n_terms=n_terms, lambda_start=_LAMBDA, lambda_step=LAMBDA_STEP,
                 caps=caps)
    if data.prevalence is not None:
        attrs.update(n_boot=n_boot, ci=ci, bootstrap_seed=seed)
    return Explorer(layout, attrs, title=title, height=1200)
