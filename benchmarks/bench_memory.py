"""Peak memory and time of reading (and cleaning) a large JSONL corpus, against peers and an older version.

The issue's target: reading a 1 GiB JSONL peaks under 1.5x the file size, and
reading + cleaning (raw and cleaned texts both kept) under 2.5x. This script
writes a seeded JSONL of ``--size`` MiB to a temporary folder (deleted after):
synthetic news records (:func:`discourse.datasets.iter_news_records`) with the
typography of real news (curly quotes, em dashes, so a Python ``str`` of the
text costs 2 bytes a character), repeated with new ids and dates until the
file has the size asked. Each measurement then runs in a fresh process, one
after another, and reports its wall time and peak resident memory
(``ru_maxrss``, imports included; the import-only baseline is given too):

* ``read_corpus``: ``discourse.read_corpus(path)``;
* ``read + clean``: ``discourse.clean(discourse.read_corpus(path))``;
* peers measured in the same run: ``json.loads`` of every line into a list
  and (with ``--pandas``; it needs about 15x the file) ``pandas.read_json(path, lines=True)``.

With ``--before REV`` the two discourse steps are also measured with revision
``REV`` (checked out into a temporary ``git worktree``), e.g. ``067ae29``, the
version before streaming reading. ``--rounds`` repeats every measurement in
alternating processes and the table gives medians.

    nice .venv/bin/python benchmarks/bench_memory.py --size 1024 --before 067ae29
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Runs inside each child process with the version under test first on sys.path.
CHILD = r'''
import json, resource, sys, time, warnings
root, path, step = sys.argv[1], sys.argv[2], sys.argv[3]
if root != "-":
    sys.path.insert(0, root)
import pandas as pd
import discourse as dc
assert root == "-" or dc.__file__.startswith(root), dc.__file__
warnings.simplefilter("ignore")
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
if step == "read_corpus":
    n = len(dc.read_corpus(path))
elif step == "read + clean":
    n = len(dc.clean(dc.read_corpus(path)))
elif step == "pandas.read_json":
    n = len(pd.read_json(path, lines=True))
elif step == "json.loads lines":
    with open(path, encoding="utf-8") as fh:
        n = len([json.loads(line) for line in fh])
wall = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"wall": wall, "peak_kib": peak, "base_kib": base, "docs": n}))
'''

DISCOURSE_STEPS = ("read_corpus", "read + clean")
PEER_STEPS = ("pandas.read_json", "json.loads lines")
# news typography: replaced in the synthetic ASCII text, so most texts hold non-Latin-1 characters
_TYPOGRAPHY = ((", and ", " \u2014 and "), (" said ", " said \u201c"), (". The ", "\u201d. The "),
               (" its ", " it\u2019s "))


def write_corpus(path: Path, size_mib: float, seed: int = 0) -> tuple[int, int]:
    """A JSONL of at least ``size_mib`` MiB: synthetic records repeated with new ids; return (docs, bytes)."""
    sys.path.insert(0, str(REPO))
    from discourse.datasets import iter_news_records

    base = []
    for rec in itertools.islice(iter_news_records(3_000_000, n_outlets=5, doc_tokens=350, seed=seed), 5000):
        text = rec["text"]
        for old, new in _TYPOGRAPHY:
            text = text.replace(old, new, 1)
        base.append({**rec, "text": text})
    target, written, n = int(size_mib * 2**20), 0, 0
    with path.open("w", encoding="utf-8") as fh:
        for copy in itertools.count():
            for rec in base:
                line = json.dumps({**rec, "id": f"{rec['id']}-{copy}",
                                   "date": f"{2000 + copy % 25}{rec['date'][4:]}"}, ensure_ascii=False) + "\n"
                fh.write(line)
                written += len(line.encode("utf-8"))
                n += 1
                if written >= target:
                    return n, path.stat().st_size


def measure(root: str, data: Path, step: str, cwd: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"TQDM_DISABLE": "1"}
    proc = subprocess.run([sys.executable, "-c", CHILD, root, str(data), step], capture_output=True, text=True,
                          env=env, cwd=cwd)
    if proc.returncode:
        sys.exit(f"{step} ({root}) failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=float, default=1024, help="JSONL size in MiB (default %(default)s)")
    ap.add_argument("--before", default=None, help="also measure this git revision (e.g. 067ae29)")
    ap.add_argument("--rounds", type=int, default=1, help="processes per measurement (medians)")
    ap.add_argument("--no-peers", action="store_true", help="skip the peers")
    ap.add_argument("--pandas", action="store_true",
                    help="also measure pandas.read_json (off by default: it peaks near 15x the file, 15 GiB for 1 GiB)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="discourse-bench-mem-") as tmp:
        data = Path(tmp) / "corpus.jsonl"
        n_docs, n_bytes = write_corpus(data, args.size, args.seed)
        print(f"wrote {n_docs:,} documents, {n_bytes / 2**20:,.0f} MiB", file=sys.stderr)
        runs: list[tuple[str, str]] = [("after", str(REPO))]
        old = Path(tmp) / "before"
        if args.before:
            subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", "-q", str(old), args.before],
                           check=True)
            runs.insert(0, ("before", str(old)))
        try:
            results: dict[tuple[str, str], list[dict]] = {}
            for r in range(args.rounds):
                for step in DISCOURSE_STEPS:
                    for label, root in runs:
                        results.setdefault((label, step), []).append(measure(root, data, step, tmp))
                        print(f"round {r + 1}: {label} {step} done", file=sys.stderr)
                peers = () if args.no_peers else PEER_STEPS if args.pandas else PEER_STEPS[1:]
                for step in peers:
                    results.setdefault(("peer", step), []).append(measure("-", data, step, tmp))
                    print(f"round {r + 1}: peer {step} done", file=sys.stderr)
        finally:
            if args.before:
                subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(old)], check=False)
    size = n_bytes / 2**20
    print(f"JSONL of {size:,.0f} MiB, {n_docs:,} documents; median of {args.rounds} fresh process(es) each; "
          f"peak = ru_maxrss (imports included); before = {args.before or '-'}, after = the working tree")
    print(f"{'version':8s} {'step':18s} {'time s':>8s} {'peak MiB':>9s} {'x file':>7s} "
          f"{'imports MiB':>12s} {'(peak-imports) x file':>22s}")
    for (label, step), rows in results.items():
        wall = statistics.median(x["wall"] for x in rows)
        peak = statistics.median(x["peak_kib"] for x in rows) / 1024
        base = statistics.median(x["base_kib"] for x in rows) / 1024
        print(f"{label:8s} {step:18s} {wall:8.1f} {peak:9.0f} {peak / size:7.2f} {base:12.0f} "
              f"{(peak - base) / size:22.2f}")


if __name__ == "__main__":
    main()
