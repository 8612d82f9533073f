"""The same analyses timed on two versions of the package, in one run: the ratio after / before.

A refactoring must not slow anything down. This script checks out ``--before``
(a git revision, default the parent of the restructure, ``fdeba6c``) into a
temporary worktree and times the same steps on the same seeded corpus with
each version, alternating fresh processes (before, after, before, after, ...)
so that machine noise hits both alike. Each process reports the median of
``--runs`` timings per step; the table gives the median over processes and the
ratio after / before (< 1: faster now).

    .venv/bin/python benchmarks/bench_versions.py --tokens 2000000 --rounds 3

Steps: read (from JSONL records) + clean + tokenize; keyness with its defaults;
keyness with the bootstrap; dispersion by outlet; collocates and
compare_collocates of a frequent term; n-grams; KWIC; topic prevalence with
bootstrap intervals (the LDA fit itself is untimed: it is gensim's).
"""
from __future__ import annotations

import argparse
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
import json, sys, warnings
sys.path.insert(0, sys.argv[1])
sys.path.insert(0, sys.argv[4])
from _timing import median_time
import discourse as dc
assert dc.__file__.startswith(sys.argv[1]), dc.__file__
warnings.simplefilter("ignore")
records = [json.loads(line) for line in open(sys.argv[2], encoding="utf-8")]
runs = int(sys.argv[3])
out = {}
def step(name, fn, n=runs):
    wall, _, value = median_time(fn, n)
    out[name] = wall
    return value
tokens = step("read + clean + tokenize", lambda: dc.tokenize(dc.clean(dc.Corpus.from_records(records))), 3)
freq = dc.frequencies(tokens)
node = str(freq.iloc[0]["term"])
step("keyness (defaults)", lambda: dc.keyness(tokens))
step("keyness + bootstrap", lambda: dc.keyness(tokens, text_tests=("welch", "mann_whitney", "bootstrap")), 3)
step("dispersion by outlet", lambda: dc.dispersion(tokens, by="outlet"), 3)
step("collocates by outlet", lambda: dc.collocates(tokens, node, by="outlet"))
step("compare_collocates", lambda: dc.compare_collocates(tokens, node, by="outlet", target="Outlet A"))
step("ngrams n=2 by outlet", lambda: dc.ngrams(tokens, 2, by="outlet"), 3)
step("kwic of a frequent term", lambda: dc.kwic(tokens, node, sample=500, seed=0))
model = dc.fit_lda(tokens, k=5, seed=0, passes=1)
step("topic_prevalence (2000 replicates)", lambda: dc.topic_prevalence(model, "outlet", n_boot=2000), 3)
print(json.dumps(out))
'''


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--before", default="fdeba6c", help="git revision to compare with (default %(default)s)")
    ap.add_argument("--tokens", type=int, default=2_000_000, help="corpus size in body tokens")
    ap.add_argument("--rounds", type=int, default=3, help="processes per version (alternating)")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per step in each process")
    args = ap.parse_args()
    sys.path.insert(0, str(REPO))
    from discourse.datasets import write_news_jsonl

    with tempfile.TemporaryDirectory(prefix="discourse-bench-") as tmp:
        data = Path(tmp) / "corpus.jsonl"
        write_news_jsonl(data, args.tokens, n_outlets=3, seed=0)
        old = Path(tmp) / "before"
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", "-q", str(old), args.before], check=True)
        try:
            results: dict[str, list[dict]] = {"before": [], "after": []}
            env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"TQDM_DISABLE": "1"}
            for r in range(args.rounds):
                for label, root in (("before", old), ("after", REPO)):
                    proc = subprocess.run([sys.executable, "-c", CHILD, str(root), str(data), str(args.runs),
                                           str(REPO / "benchmarks")], capture_output=True, text=True, env=env,
                                          cwd=tmp)
                    if proc.returncode:
                        sys.exit(f"{label} failed:\n{proc.stderr[-3000:]}")
                    results[label].append(json.loads(proc.stdout.strip().splitlines()[-1]))
                    print(f"round {r + 1} {label} done", file=sys.stderr)
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(old)], check=False)
    print(f"{args.tokens:,} body tokens, 3 outlets; before = {args.before}, after = the working tree; "
          f"median over {args.rounds} processes of the median of {args.runs} runs (3 for the slow steps)")
    print(f"{'step':40s} {'before s':>9s} {'after s':>9s} {'after/before':>13s}")
    for step in results["after"][0]:
        b = statistics.median(x[step] for x in results["before"])
        a = statistics.median(x[step] for x in results["after"])
        print(f"{step:40s} {b:9.3f} {a:9.3f} {a / b:13.2f}")


if __name__ == "__main__":
    main()
