"""Benchmark: headless notebook execution, HTML rendering and CLI start-up.

For every notebook in ``notebooks/`` (on the sample corpus, and on a seeded
synthetic corpus of ``--tokens`` body tokens written to ``benchmarks/out/``),
the median wall time of ``--runs`` headless executions, against the median of
an empty notebook (kernel start-up plus ``import discourse``: the fixed cost
of any execution), and the median HTML rendering time. For the CLI, the median
of ``discourse frequencies`` as a subprocess against the same call in-process
(the difference is interpreter start-up and imports). All in one session::

    .venv/bin/python benchmarks/bench_report.py [--runs 3] [--tokens 200000]
"""
from __future__ import annotations

import argparse
import contextlib
import io
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
from _timing import median_time

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).resolve().parent / "out"


def main() -> None:
    from discourse import cli
    from discourse.report import execute_notebook, render_html
    from discourse.datasets import write_news_jsonl

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--tokens", type=int, default=200_000, help="body tokens of the synthetic corpus")
    args = ap.parse_args()
    OUT.mkdir(exist_ok=True)
    synthetic = OUT / f"report_news_{args.tokens}.jsonl"
    if not synthetic.exists():
        write_news_jsonl(synthetic, args.tokens, n_outlets=3, n_topics=10, seed=0)
    synth_params = {"corpus_path": str(synthetic), "target": "Outlet A", "reference": "Outlet B", "n_topics": 10}

    with tempfile.TemporaryDirectory() as tmp:
        empty = nbformat.v4.new_notebook()
        empty.cells.append(nbformat.v4.new_code_cell("import discourse"))
        empty.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(empty, Path(tmp) / "empty.ipynb")
        base = median_time(lambda: execute_notebook(Path(tmp) / "empty.ipynb"), args.runs)[0]
        print(f"empty notebook (kernel start + import discourse): median {base:.2f} s over {args.runs} runs")
        print(f"{'notebook':28s} {'corpus':10s} {'execute s':>10s} {'x empty':>8s} {'render s':>9s}")
        for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
            for label, params in (("sample", {}), (f"{args.tokens // 1000}k tok", synth_params)):
                params = {**params, "export_dir": str(Path(tmp) / "tables")}
                holder = {}
                t = median_time(lambda: holder.__setitem__("nb", execute_notebook(path, params)), args.runs)[0]
                r = median_time(lambda: render_html(holder["nb"], Path(tmp) / "out.html"), args.runs)[0]
                print(f"{path.stem:28s} {label:10s} {t:10.2f} {t / base:8.1f} {r:9.2f}")

    corpus = str(ROOT / "corpus")
    sub = median_time(lambda: subprocess.run([sys.executable, "-m", "discourse.cli", "frequencies", corpus, "-q"],
                                         capture_output=True, check=True), args.runs)[0]

    def in_process() -> None:
        with contextlib.redirect_stdout(io.StringIO()):
            cli.main(["frequencies", corpus, "-q"])

    inproc = median_time(in_process, args.runs)[0]
    print(f"discourse frequencies corpus/: subprocess median {sub:.2f} s, in-process {inproc:.3f} s, "
          f"ratio {sub / inproc:.0f}x (start-up and imports)")


if __name__ == "__main__":
    main()
