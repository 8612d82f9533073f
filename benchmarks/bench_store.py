"""The corpus store: build, open and the analyses on it, against today's in-memory route and DuckDB.

Run: ``nice .venv/bin/python benchmarks/bench_store.py [--tokens N [N ...]] [--rounds R] [--keep PATH [--reuse]]
[--steps WORD ...]``

For each ``N`` (default 10M tokens) a seeded synthetic multi-outlet corpus
(:func:`discourse.datasets.write_news_jsonl`, 8 outlets; streamed to a JSONL file one record at a
time, so the parent never holds the corpus) is written to a temporary folder (``--keep PATH``:
to ``PATH``, kept with its store). Every step then runs in a FRESH child process, one after another,
and reports wall time, CPU time (user + system of the process and its children) and peak resident
memory (``ru_maxrss``, imports included); the table gives medians over ``R`` rounds:

* ``in-memory``: today's route, ``tokenize(clean(read_corpus(jsonl)))`` and then each analysis on the
  ``Tokens``, all in one process (its peak is the peak so far: the route holds the corpus throughout);
  its results are saved as the references of the store's. Only for ``N <= --memory-max`` (20M by
  default: the route holds every text twice and the token stream);
* ``build_store(jsonl, path)``: time, peak, the store's size on disk, tokens a second;
  ``open_store(path)``: time;
* on the opened store, each analysis in its own process: ``frequencies(by="outlet")``, ``collocates``
  of a node (the 40th most frequent term), ``ngrams(n=2, by="outlet")``, 100 ``kwic`` queries (terms
  drawn with a seed from the store's vocabulary at log-spaced frequency ranks, after opening; total and
  per query), and every other candidate that accepts a store on this revision (``dispersion``,
  ``keyness`` each against the rest, ``fit_lda`` K=20): checked once on a small store first, a
  candidate that fails there is left out with a note. Each result is compared with the in-memory one
  (counts exactly, floats to 1e-12 relative: ``pandas.testing.assert_frame_equal(rtol=1e-12)``) and
  the table says ``equal``;
* the peer, in the same run: DuckDB's regex split and GROUP BY on the same JSONL
  (``read_json_auto``, ``regexp_split_to_table(lower(text), '[^a-z0-9]+')``, a count by term; all
  cores), and the ratio build_store / DuckDB.

``--keep PATH --reuse`` takes the JSONL and the store already kept under ``PATH/N`` (no rewrite, no
``build_store`` or DuckDB step: for re-measuring the analyses at 100M without the ~150 s build);
``--steps WORD ...`` runs only the analyses whose name contains one of the words (e.g. ``ngrams``).

With two sizes or more (``--tokens 10000000 100000000``) the growth from the first to the last is
printed per step as a ratio of time and of peak memory (x10 tokens: linear is 10x time and 1x peak
for a step that holds one partition). ``--json FILE`` writes the figures; ``--baseline FILE`` (an
earlier ``--json``) prints the growth from it.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Runs inside each child process: one step, its figures as the last line of stdout (JSON).
CHILD = r'''
import json, os, pickle, resource, sys, time, warnings
repo, work, step, args = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
sys.path.insert(0, repo)
sys.path.insert(0, os.path.join(repo, "benchmarks"))
import numpy as np, pandas as pd
import discourse as dc
from bench_store import ANALYSES, compare, prepare
warnings.simplefilter("ignore")
assert dc.__file__.startswith(repo), dc.__file__

def usage():
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime, max(s.ru_maxrss, c.ru_maxrss) / 1024

jsonl, store_path = os.path.join(work, "corpus.jsonl"), os.path.join(work, "corpus.store")
cpu0, base = usage()
out = {"base_mib": base, "steps": {}}
def timed(name, fn):
    c0, w0 = usage()[0], time.perf_counter()
    res = fn()
    wall = time.perf_counter() - w0
    cpu, peak = usage()
    out["steps"][name] = {"wall": wall, "cpu": cpu - c0, "peak_mib": peak}
    return res

if step == "in-memory":
    tokens = timed("read + clean + tokenize", lambda: dc.tokenize(dc.clean(dc.read_corpus(jsonl))))
    out["n_tokens"] = int(tokens.n_tokens)
    for name in args["analyses"]:
        given = prepare(name, tokens)  # node, queries: drawn after opening, not timed
        res = timed(name, lambda: ANALYSES[name](tokens, given))
        with open(os.path.join(work, f"ref-{args['index'][name]}.pkl"), "wb") as fh:
            pickle.dump(res, fh)
elif step == "build_store":
    store = timed("build_store", lambda: dc.build_store(jsonl, store_path, overwrite=True))
    out["n_tokens"], out["n_partitions"] = int(store.n_tokens), int(store.n_partitions)
    out["bytes"] = sum(f.stat().st_size for f in __import__("pathlib").Path(store_path).rglob("*") if f.is_file())
elif step == "open_store":
    store = timed("open_store", lambda: dc.open_store(store_path))
    out["repr"] = repr(store)
elif step == "duckdb":
    import duckdb
    sql = ("SELECT term, count(*) AS n FROM (SELECT regexp_split_to_table(lower(text), '[^a-z0-9]+') AS term "
           f"FROM read_json_auto('{jsonl}')) WHERE term <> '' GROUP BY term")
    rows = timed("DuckDB split + GROUP BY", lambda: duckdb.sql(sql).fetchall())
    out["n_terms"], out["n_tokens"] = len(rows), int(sum(n for _, n in rows))
else:  # an analysis on the store
    store = dc.open_store(store_path)
    given = prepare(step, store)
    res = timed(step, lambda: ANALYSES[step](store, given))
    ref = os.path.join(work, f"ref-{args['index'][step]}.pkl")
    if os.path.exists(ref):
        with open(ref, "rb") as fh:
            out["check"] = compare(res, pickle.load(fh))
    else:
        out["check"] = "not checked (no in-memory route)"
print(json.dumps(out))
'''

KWIC_QUERIES = 100


def pick_node(tokens) -> str:
    """The collocates node: the 40th most frequent term (a frequent word of the generator's vocabulary)."""
    import numpy as np

    from discourse.partitions import term_totals

    totals = term_totals(tokens)
    return str(tokens.vocab[np.argsort(-totals, kind="stable")[min(40, len(totals) - 1)]])


def draw_queries(tokens, n: int = KWIC_QUERIES, seed: int = 0) -> list[str]:
    """``n`` terms at log-spaced frequency ranks (frequent to rare), each drawn with ``seed`` near its rank."""
    import numpy as np

    from discourse.partitions import term_totals

    totals = term_totals(tokens)
    order = np.argsort(-totals, kind="stable")
    order = order[totals[order] > 0]
    rng = np.random.default_rng(seed)
    ranks = np.unique(np.geomspace(1, len(order), n * 2).astype(int) - 1)
    ranks = np.sort(rng.choice(ranks, size=min(n, len(ranks)), replace=False))
    return [str(tokens.vocab[order[r]]) for r in ranks]


def prepare(name: str, tokens) -> dict:
    """An analysis' arguments drawn from the corpus before it is timed: the collocates node, the kwic queries."""
    if name == "collocates of a node":
        return {"node": pick_node(tokens)}
    if name.startswith("kwic"):
        return {"queries": draw_queries(tokens)}
    return {}


def _kwic_all(tokens, args: dict):
    import pandas as pd

    import discourse as dc

    return pd.concat([dc.kwic(tokens, q).assign(query=q) for q in args["queries"]], ignore_index=True)


def _lda(tokens, args: dict):
    import pandas as pd

    import discourse as dc

    model = dc.fit_lda(tokens, k=20, seed=0)
    return pd.DataFrame(model.doc_topics)


def _collocates(tokens, args: dict):
    import discourse as dc

    return dc.collocates(tokens, args["node"])


def _analyses() -> dict:
    import discourse as dc

    return {
        'frequencies(by="outlet")': lambda t, a: dc.frequencies(t, by="outlet"),
        "collocates of a node": _collocates,
        'ngrams(n=2, by="outlet")': lambda t, a: dc.ngrams(t, n=2, by="outlet"),
        f"kwic, {KWIC_QUERIES} queries": _kwic_all,
        'dispersion(by="outlet")': lambda t, a: dc.dispersion(t, by="outlet"),
        "keyness each against the rest": lambda t, a: dc.keyness(t, by="outlet"),
        "fit_lda K=20": _lda,
    }


class _Lazy(dict):
    """The analyses by name, made on first use (the parent imports this module without discourse)."""

    def __missing__(self, key):
        self.update(_analyses())
        return dict.__getitem__(self, key)


ANALYSES = _Lazy()


def compare(a, b) -> str:
    """``equal``, or what differs: counts exactly, floats to 1e-12 relative."""
    import pandas as pd

    try:
        pd.testing.assert_frame_equal(a, b, rtol=1e-12)
        return "equal"
    except AssertionError as exc:
        return "DIFFERS: " + " ".join(str(exc).split())[:200]


def write_corpus(path: Path, n_tokens: int) -> int:
    """The seeded synthetic JSONL, streamed one record at a time; return the number of documents."""
    sys.path.insert(0, str(REPO))
    from discourse.datasets import write_news_jsonl

    return write_news_jsonl(path, n_tokens, n_outlets=8, seed=0)


def accepting_a_store(work: Path) -> list[str]:
    """The candidate analyses that run on a small store and equal the in-memory result (the rest: a note)."""
    import warnings

    import discourse as dc

    warnings.simplefilter("ignore")
    write_corpus(work / "small.jsonl", 60_000)
    tokens = dc.tokenize(dc.clean(dc.read_corpus(work / "small.jsonl")))
    store = dc.build_store(work / "small.jsonl", work / "small.store", partition_docs=30)
    keep = []
    print(f"analyses that accept a store on this revision (small store of {store.n_partitions} partitions):")
    for name in _analyses():
        try:
            verdict = compare(ANALYSES[name](store, prepare(name, store)), ANALYSES[name](tokens, prepare(name, tokens)))
        except Exception as exc:  # not converted yet: it reads the token stream at its top level
            print(f"  {name}: left out ({type(exc).__name__}: {' '.join(str(exc).split())[:100]})")
            continue
        print(f"  {name}: {'runs on a store' if verdict == 'equal' else 'left out, ' + verdict}")
        if verdict == "equal":
            keep.append(name)
    return keep


def measure(work: Path, step: str, args: dict) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"TQDM_DISABLE": "1"}
    proc = subprocess.run([sys.executable, "-c", CHILD, str(REPO), str(work), step, json.dumps(args)],
                          capture_output=True, text=True, env=env, cwd=str(work))
    if proc.returncode:
        sys.exit(f"{step} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _count_docs(path: Path) -> int:
    with open(path, "rb") as fh:
        return sum(1 for _ in fh)


def run_size(work: Path, n_tokens: int, analyses: list[str], rounds: int, memory: bool, reuse: bool = False) -> dict:
    t0 = time.perf_counter()
    reuse = reuse and (work / "corpus.jsonl").exists() and (work / "corpus.store").exists()
    n_docs = _count_docs(work / "corpus.jsonl") if reuse else write_corpus(work / "corpus.jsonl", n_tokens)
    size = (work / "corpus.jsonl").stat().st_size
    print(f"{n_tokens:,} tokens: wrote {n_docs:,} documents, {size / 2**20:,.0f} MiB in "
          f"{time.perf_counter() - t0:.0f} s", file=sys.stderr)
    args = {"analyses": analyses, "index": {name: i for i, name in enumerate(analyses)}}
    runs: dict[str, list[dict]] = {}
    for r in range(rounds):
        built = ["open_store"] if reuse else ["build_store", "open_store", "duckdb"]
        steps = (["in-memory"] if memory else []) + built + analyses
        for step in steps:
            res = measure(work, step, args)
            for name, fig in res["steps"].items():
                fig = dict(fig, **{k: v for k, v in res.items() if k not in ("steps",)})
                runs.setdefault(("in-memory: " if step == "in-memory" else "") + name, []).append(fig)
            print(f"  round {r + 1}: {step} done: {json.dumps(res)}", file=sys.stderr)  # figures so far
    table = {}
    for name, rows in runs.items():
        row = {k: statistics.median(x[k] for x in rows) for k in ("wall", "cpu", "peak_mib", "base_mib")}
        for k in ("n_tokens", "bytes", "n_partitions", "check", "n_terms", "repr"):
            if k in rows[-1]:
                row[k] = rows[-1][k]
        table[name] = row
    return {"n_tokens": n_tokens, "n_docs": n_docs, "jsonl_bytes": size, "rounds": rounds, "steps": table,
            "load": os.getloadavg()[0]}


def print_table(res: dict) -> None:
    steps = res["steps"]
    n = steps["build_store"]["n_tokens"] if "build_store" in steps else res["n_tokens"]
    print(f"\n{res['n_tokens']:,} generated tokens ({n:,} tokens counted), {res['n_docs']:,} documents, JSONL "
          f"{res['jsonl_bytes'] / 2**20:,.0f} MiB; median of {res['rounds']} fresh process(es) a step; "
          f"peak = ru_maxrss (imports included); load average {res['load']:.1f} on {os.cpu_count()} cores")
    print(f"| step | wall s | CPU s | peak MiB | notes |\n|---|---:|---:|---:|---|")
    for name, row in steps.items():
        notes = []
        if name == "build_store":
            notes.append(f"{n / row['wall'] / 1e6:.2f}M tokens/s, {row['n_partitions']} partitions, "
                         f"{row['bytes'] / 2**20:,.0f} MiB on disk")
        if name == "in-memory: read + clean + tokenize":
            notes.append(f"{n / row['wall'] / 1e6:.2f}M tokens/s")
        if name == "DuckDB split + GROUP BY":
            notes.append(f"{row['n_tokens'] / row['wall'] / 1e6:.2f}M words/s, {row['n_terms']:,} terms; "
                         f"build_store / DuckDB = {steps['build_store']['wall'] / row['wall']:.1f}x")
        if name.startswith("kwic"):
            notes.append(f"{row['wall'] / KWIC_QUERIES * 1000:.1f} ms a query")
        if "check" in row:
            notes.append(row["check"])
        print(f"| {name} | {row['wall']:.2f} | {row['cpu']:.2f} | {row['peak_mib']:,.0f} | {'; '.join(notes)} |")
    mem = steps.get("in-memory: read + clean + tokenize")
    if mem and "build_store" in steps:
        print(f"build_store / in-memory read + clean + tokenize: throughput {mem['wall'] / steps['build_store']['wall']:.2f}x,"
              f" peak {steps['build_store']['peak_mib'] / mem['peak_mib']:.2f}x")
    print(f"imports alone: {steps['open_store']['base_mib']:,.0f} MiB; in-memory rows: the peak so far in one process")


def print_growth(a: dict, b: dict) -> None:
    f = b["n_tokens"] / a["n_tokens"]
    print(f"\ngrowth {a['n_tokens'] / 1e6:g}M -> {b['n_tokens'] / 1e6:g}M tokens (x{f:g}): time ratio, peak ratio "
          f"(linear: x{f:g} time)")
    print("| step | time | peak |\n|---|---:|---:|")
    for name, row in b["steps"].items():
        if name in a["steps"]:
            old = a["steps"][name]
            print(f"| {name} | {row['wall'] / old['wall']:.2f}x | {row['peak_mib'] / old['peak_mib']:.2f}x |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tokens", type=int, nargs="+", default=[10_000_000], help="corpus size(s) in tokens")
    ap.add_argument("--rounds", type=int, default=1, help="fresh processes per step (medians)")
    ap.add_argument("--keep", type=Path, help="write the JSONL and the store here and keep them")
    ap.add_argument("--memory-max", type=int, default=20_000_000,
                    help="largest size also run in memory (default %(default)s)")
    ap.add_argument("--json", type=Path, help="write the figures here")
    ap.add_argument("--baseline", type=Path, help="an earlier --json: print the growth from it")
    ap.add_argument("--reuse", action="store_true",
                    help="with --keep: use the JSONL and store already kept there (no build step)")
    ap.add_argument("--steps", nargs="+", help="only the analyses whose name contains one of these words")
    a = ap.parse_args()
    sys.path.insert(0, str(REPO))
    results = []
    with tempfile.TemporaryDirectory(prefix="discourse-bench-store-") as tmp:
        analyses = accepting_a_store(Path(tmp))
        if a.steps:
            analyses = [name for name in analyses if any(w in name for w in a.steps)]
        for n in a.tokens:
            work = (a.keep / f"{n}") if a.keep else Path(tmp) / f"{n}"
            work.mkdir(parents=True, exist_ok=True)
            results.append(run_size(work, n, analyses, a.rounds, n <= a.memory_max, a.reuse))
            print_table(results[-1])
            if a.json:
                a.json.write_text(json.dumps(results, indent=1))
    base = json.loads(a.baseline.read_text()) if a.baseline else []
    if base or len(results) > 1:
        print_growth((base or results)[0], results[-1])


if __name__ == "__main__":
    main()
