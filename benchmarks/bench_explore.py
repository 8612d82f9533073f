"""The explorers' pages: file size and time to interactive on the sample, a 10M and a 36M-token corpus.

Run: ``nice .venv/bin/python benchmarks/bench_explore.py [--sizes sample 10M 36M] [--work DIR] [--runs R]``

Corpora: the bundled sample (in memory), and seeded synthetic corpora of 10M and 36M tokens
(:func:`discourse.datasets.write_news_jsonl`, 3 outlets, seed 0) stored with
:func:`discourse.build_store` under ``--work`` (default ``/tmp/explore``; a store already there is
reused). For each corpus and explorer with its default caps:

* ``keyness``: :func:`discourse.explore_keyness` (each outlet against the rest);
* ``kwic``: :func:`discourse.explore_kwic` of a frequent content word (the sample: "nato"; the synthetic
  corpora: their most frequent word of 6+ letters), at most 2,000 lines;

the time to build the page (Python, once), its file size, and its time to interactive in the system's
headless Chromium (navigation start to Bokeh's document idle: every view rendered; median of ``R``
loads, :mod:`_browser`). The peer, measured in the same run: a page of the same Bokeh bundles with no
data (``BokehJS only``), so the ratios say what the data adds. Target (issue 15): the keyness
explorer under 5 MB and interactive in under 2 s at 36M tokens.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
import warnings
from pathlib import Path

from _browser import BOKEH_READY, time_to_interactive

REPO = Path(__file__).resolve().parent.parent
SIZES = {"10M": 10_000_000, "36M": 36_000_000}
TARGET_MB, TARGET_S = 5.0, 2.0


def corpus(name: str, work: Path):
    import discourse as dc
    from discourse.datasets import write_news_jsonl

    if name == "sample":
        return dc.load_sample(), "nato"
    store = work / f"news{name.lower()}.store"
    if not (store / "store.json").is_file():
        jsonl = work / f"news{name.lower()}.jsonl"
        write_news_jsonl(jsonl, SIZES[name], seed=0)
        dc.build_store(jsonl, store, overwrite=True)
    opened = dc.open_store(store)
    freq = dc.frequencies(opened, by=None)
    word = next(t for t in freq["term"] if re.fullmatch(r"[a-z]{6,}", str(t)))
    return opened, word


def peer(path: Path) -> None:
    """A page of the bundles the explorers use (plot, widgets, tables), with no data."""
    from bokeh.embed import file_html
    from bokeh.layouts import column
    from bokeh.models import DataTable, Div, Select, TextInput
    from bokeh.plotting import figure
    from bokeh.resources import INLINE

    plot = figure(width=200, height=200)
    plot.scatter([], [])
    empty = column(Select(), TextInput(), plot, DataTable(), Div())
    path.write_text(file_html(empty, INLINE, "empty"), encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", nargs="+", default=["sample", "10M", "36M"], choices=["sample", *SIZES])
    ap.add_argument("--work", type=Path, default=Path("/tmp/explore"), help="where the stores are (built if absent)")
    ap.add_argument("--runs", type=int, default=3, help="page loads a measurement (default %(default)s)")
    a = ap.parse_args()
    sys.path.insert(0, str(REPO))
    import discourse as dc

    warnings.simplefilter("ignore")
    a.work.mkdir(parents=True, exist_ok=True)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; time to interactive: median of "
          f"{a.runs} loads in headless Chromium (navigation start to Bokeh's document idle)")
    print("| corpus | explorer | build s | file MB | interactive s | MB / peer | s / peer | embedded | target |")
    print("|---|---|---:|---:|---:|---:|---:|---|---|")
    with tempfile.TemporaryDirectory(prefix="discourse-bench-explore-") as tmp:
        base = Path(tmp) / "peer.html"
        peer(base)
        base_mb, (base_s, _) = base.stat().st_size / 1e6, time_to_interactive(base, BOKEH_READY, a.runs)
        print(f"| — | BokehJS only (peer) | | {base_mb:.2f} | {base_s:.2f} | 1.00x | 1.00x | nothing | |")
        for name in a.sizes:
            t0 = time.perf_counter()
            tokens, word = corpus(name, a.work)
            label = f"{name} ({tokens.n_tokens / 1e6:.1f}M tokens, {tokens.n_docs:,} docs)"
            print(f"| {label} | (opened in {time.perf_counter() - t0:.1f} s) | | | | | | | |", flush=True)
            for kind, build in (("keyness", lambda: dc.explore_keyness(tokens)),
                                ("kwic " + word, lambda: dc.explore_kwic(tokens, word))):
                t0 = time.perf_counter()
                page = build()
                built = time.perf_counter() - t0
                path = page.save(Path(tmp) / f"{name}-{kind.split()[0]}.html")
                mb = path.stat().st_size / 1e6
                tti, errors = time_to_interactive(path, BOKEH_READY, a.runs)
                what = (f"{page.attrs['terms_embedded']:,} terms, {page.attrs['lines_embedded']:,} lines"
                        if kind == "keyness" else f"{page.attrs['lines']:,} of {page.attrs['hits']:,} lines")
                target = ""
                if kind == "keyness" and name == "36M":
                    target = "met" if mb < TARGET_MB and tti < TARGET_S else f"MISSED (< {TARGET_MB} MB, < {TARGET_S} s)"
                print(f"| {name} | {kind} | {built:.1f} | {mb:.2f} | {tti:.2f} | {mb / base_mb:.2f}x | "
                      f"{tti / base_s:.2f}x | {what}{'; console errors: ' + str(len(errors)) if errors else ''} | "
                      f"{target} |", flush=True)


if __name__ == "__main__":
    main()
