"""Which interactive library for the explorers: the same keyness scatter as a standalone offline page.

Run: ``nice .venv/bin/python benchmarks/bench_explore_libs.py [--points N] [--runs R]``

The peers are not dependencies of discourse (this is a one-off comparison that justified the choice of
Bokeh): install them first, ``.venv/bin/pip install plotly altair vl-convert-python``.

The page: ``N`` terms (default 2,000; seeded synthetic frequencies per million in two sides, log-log),
coloured by direction, with a hover showing the term's statistics and a search box that highlights
the terms containing the text typed. Written with everything inline (it must work offline, as a
report does):

* Bokeh: :func:`bokeh.embed.file_html` with ``bokeh.resources.INLINE``, a TextInput and a CustomJS
  callback (the library's own);
* Plotly: ``fig.write_html(include_plotlyjs=True)``; Plotly has no text-input widget, so the search is
  an ``<input>`` with a few lines of JavaScript passed in ``post_script`` (its documented hook);
* Vega-Altair: ``chart.save(..., inline=True)`` (vl-convert-python inlines vega, vega-lite and
  vega-embed), the search a parameter bound to an input (``alt.binding(input="search")``).

For each, the file size and the time to interactive in the system's headless Chromium (navigation
start to the chart drawn: Bokeh's document idle, Plotly's SVG plot drawn, Vega's view rendered;
median of ``R`` loads, :mod:`_browser`), and the ratios against Bokeh.
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from _browser import BOKEH_READY, time_to_interactive

READY = {
    "bokeh": BOKEH_READY,
    "plotly": "document.querySelector('.plotly .scatterlayer .points path') !== null",
    "altair": "window.__vega_view !== undefined",
}


def data(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    a = np.exp(rng.normal(3, 2, n))
    b = a * np.exp(rng.normal(0, 0.8, n))
    lr = np.log2(a / b)
    return pd.DataFrame({"term": [f"term{i:05d}" for i in range(n)], "target": a, "reference": b,
                         "log_ratio": lr, "direction": np.where(lr > 0, "over", "under")})


def bokeh_page(df: pd.DataFrame, path: Path) -> None:
    from bokeh.embed import file_html
    from bokeh.layouts import column
    from bokeh.models import ColumnDataSource, CustomJS, HoverTool, TextInput
    from bokeh.plotting import figure
    from bokeh.resources import INLINE

    df = df.assign(colour=np.where(df["direction"] == "over", "#c0392b", "#2c7fb8"))
    src, hit = ColumnDataSource(df), ColumnDataSource({"target": [], "reference": []})
    p = figure(x_axis_type="log", y_axis_type="log", width=700, height=600, tools="pan,wheel_zoom,reset")
    dots = p.scatter("target", "reference", source=src, color="colour", size=6, alpha=0.7)
    p.scatter("target", "reference", source=hit, size=12, fill_alpha=0, line_color="black", line_width=2)
    p.add_tools(HoverTool(renderers=[dots], tooltips=[("term", "@term"), ("Log Ratio", "@log_ratio{0.00}")]))
    box = TextInput(title="search")
    box.js_on_change("value_input", CustomJS(args=dict(src=src, hit=hit, box=box), code="""
        const q = box.value_input.toLowerCase(), d = src.data, x = [], y = [];
        if (q) for (let i = 0; i < d.term.length; i++) if (d.term[i].includes(q)) { x.push(d.target[i]); y.push(d.reference[i]); }
        hit.data = {target: x, reference: y};"""))
    path.write_text(file_html(column(box, p), INLINE, "keyness"), encoding="utf-8")


def plotly_page(df: pd.DataFrame, path: Path) -> None:
    import plotly.express as px

    fig = px.scatter(df, x="target", y="reference", color="direction", log_x=True, log_y=True,
                     hover_data=["term", "log_ratio"], width=700, height=600)
    search = """
        const gd = document.getElementById('{plot_id}');
        const box = document.createElement('input'); box.placeholder = 'search'; gd.before(box);
        box.addEventListener('input', () => { const q = box.value.toLowerCase();
          const sizes = gd.data.map((t) => t.customdata.map((c) => q && String(c[0]).includes(q) ? 14 : 6));
          Plotly.restyle(gd, {'marker.size': sizes}); });"""
    fig.write_html(path, include_plotlyjs=True, full_html=True, post_script=search)


def altair_page(df: pd.DataFrame, path: Path) -> str:
    import altair as alt

    try:
        import vl_convert  # noqa: F401  (inline=True needs it)
    except ImportError:
        return "vl-convert-python is not installed: Altair cannot write an offline page"
    alt.data_transformers.disable_max_rows()
    search = alt.param(name="search", value="", bind=alt.binding(input="search", placeholder="search", name="search "))
    chart = alt.Chart(df).mark_circle(size=40).encode(
        x=alt.X("target", scale=alt.Scale(type="log")), y=alt.Y("reference", scale=alt.Scale(type="log")),
        color="direction", tooltip=["term", "log_ratio"],
        stroke=alt.condition("search != '' && indexof(datum.term, search) >= 0", alt.value("black"),
                             alt.value(None)),
    ).add_params(search).properties(width=700, height=600)
    chart.save(str(path), inline=True)
    html = path.read_text(encoding="utf-8")
    embed = "vegaEmbed('#vis', spec, embedOpt)"
    if embed not in html:
        return "Altair's page template changed: cannot tell when the chart is drawn"
    # vega-embed's promise gives the view: record it once it has rendered, so the browser can tell
    html = html.replace(embed, embed + ".then((r) => r.view.runAsync()).then((v) => { window.__vega_view = v; })")
    path.write_text(html, encoding="utf-8")
    return ""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--points", type=int, default=2000, help="terms on the plot (default %(default)s)")
    ap.add_argument("--runs", type=int, default=3, help="page loads a library (default %(default)s)")
    a = ap.parse_args()
    df = data(a.points)
    print(f"{a.points:,} points with hover and search, standalone offline HTML; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; median of {a.runs} loads in headless Chromium")
    print("| library | write s | file MB | time to interactive s | size / Bokeh | time / Bokeh | console errors |")
    print("|---|---:|---:|---:|---:|---:|---|")
    rows = {}
    with tempfile.TemporaryDirectory(prefix="discourse-bench-libs-") as tmp:
        for name, write in (("bokeh", bokeh_page), ("plotly", plotly_page), ("altair", altair_page)):
            path = Path(tmp) / f"{name}.html"
            t0 = time.perf_counter()
            problem = write(df, path)
            written = time.perf_counter() - t0
            if problem:
                print(f"| {name} | | | | | | {problem} |")
                continue
            tti, errors = time_to_interactive(path, READY[name], a.runs)
            rows[name] = (path.stat().st_size / 1e6, tti)
            size, base = rows[name], rows["bokeh"]
            print(f"| {name} | {written:.2f} | {size[0]:.2f} | {tti:.2f} | {size[0] / base[0]:.2f}x | "
                  f"{tti / base[1]:.2f}x | {len(errors) or 'none'} |")


if __name__ == "__main__":
    main()
