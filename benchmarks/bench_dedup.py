"""De-duplication on 40,000 synthetic articles (~36M tokens) with planted duplicates of each kind.

Run: ``.venv/bin/python benchmarks/bench_dedup.py [--docs 40000] [--runs 3] [--peer-docs 2000]``

The corpus is built as token streams directly (a Zipfian vocabulary of 50,000 terms,
~900 tokens per article, 20 outlets), not through the generator, cleaning and
tokenizer: those are timed by their own benchmarks, and 36M tokens through them
would dominate the run. Planted (each a copy of a distinct random source article):

- ``exact``: 2.5% of the articles, a copy in the same outlet;
- ``near90`` / ``near70``: 2.5% each, a copy whose shingle Jaccard with its source is
  about 0.9 / 0.7 (a contiguous block of f = (1 - J) / (1 + J) of the tokens replaced);
- ``syndicated``: 1.25% of the articles are wire stories ("(AP) —" dateline) run by
  two further outlets (lightly edited, J ~ 0.95);
- ``version``: 1.25%, an update in the same outlet with the same URL (J ~ 0.75, later date).

Prints the median wall-clock and CPU time of ``--runs`` runs of :func:`discourse.dedup`
with its defaults (threshold 0.8: the 0.7 copies lie below it and are expected to be
left apart), the peak memory beyond the corpus (tracemalloc: numpy and Python
allocations; and the growth of the process's peak RSS), precision and recall per kind,
and a run at threshold 0.6 for the 0.7 copies. Peers in the same run, on a subsample of
``--peer-docs`` articles: brute-force exact Jaccard of all pairs (sparse matrix
product), against which the MinHash/LSH pairs are scored; and datasketch's MinHash
(pure Python hashing per shingle) against rensa for the signatures.
Target: 40,000 articles in < 60 s on 2 cores, < 1 GB beyond the corpus.
"""
from __future__ import annotations

import argparse
import resource
import time
import tracemalloc

import numpy as np
import pandas as pd
import scipy.sparse as sp
from _timing import median_time

from discourse.dedup import dedup
from discourse.dedup_shingles import shingle_hashes, signatures
from discourse.tokens import Tokens

TARGET_S, TARGET_MB = 60.0, 1024
VOCAB, MEAN_LEN, OUTLETS = 50_000, 900, 20


def _block_edit(rng, ids: np.ndarray, jaccard: float) -> np.ndarray:
    """A copy with a contiguous block of f = (1 - J) / (1 + J) of the tokens replaced by fresh ones."""
    f = (1 - jaccard) / (1 + jaccard)
    k = max(1, int(round(f * len(ids))))
    start = int(rng.integers(0, len(ids) - k + 1))
    out = ids.copy()
    out[start:start + k] = rng.integers(VOCAB, 2 * VOCAB, k)   # fresh ids: never in the source
    return out


def build(n_docs: int, seed: int = 0):
    """Token streams, metadata and the planted truth (copy doc -> (source doc, kind))."""
    rng = np.random.default_rng(seed)
    p = 1.0 / np.arange(1, VOCAB + 1) ** 1.05
    cdf = np.cumsum(p / p.sum())
    n_plant = {"exact": int(0.025 * n_docs), "near90": int(0.025 * n_docs), "near70": int(0.025 * n_docs),
               "syndicated": int(0.0125 * n_docs), "version": int(0.0125 * n_docs)}
    n_copies = sum(n_plant.values()) + n_plant["syndicated"]   # two syndicated copies per wire story
    n_base = n_docs - n_copies
    lengths = np.clip(rng.normal(MEAN_LEN, 250, n_base).astype(int), 150, None)
    base = np.searchsorted(cdf, rng.random(int(lengths.sum()))).astype(np.int32)
    ptr = np.r_[0, np.cumsum(lengths)]
    docs = [base[ptr[i]:ptr[i + 1]] for i in range(n_base)]
    outlet = list(rng.integers(0, OUTLETS, n_base))
    date = list(pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 365, n_base), "D"))
    url = [f"https://o{o}.example/{i}" for i, o in enumerate(outlet)]
    texts = ["" for _ in range(n_base)]   # the regexes look only at the head and the tail; bodies are not needed
    truth = {}
    sources = iter(rng.permutation(n_base))

    def add(ids, o, d, u, src, kind, text=""):
        docs.append(ids); outlet.append(o); date.append(d); url.append(u); texts.append(text)
        truth[len(docs) - 1] = (src, kind)

    for kind, count in n_plant.items():
        for _ in range(count):
            s = int(next(sources))
            if kind == "exact":
                add(docs[s].copy(), outlet[s], date[s], url[s] + "?dl=2", s, kind)
            elif kind in ("near90", "near70"):
                add(_block_edit(rng, docs[s], 0.9 if kind == "near90" else 0.7), outlet[s], date[s],
                    url[s] + "-re", s, kind)
            elif kind == "version":
                add(_block_edit(rng, docs[s], 0.75), outlet[s], date[s] + pd.Timedelta("3h"), url[s], s, kind)
            else:
                texts[s] = "WASHINGTON (AP) \u2014 "
                for o in rng.choice([x for x in range(OUTLETS) if x != outlet[s]], 2, replace=False):
                    add(_block_edit(rng, docs[s], 0.95), int(o), date[s], f"https://o{o}.example/w{s}", s, kind,
                        "WASHINGTON (AP) \u2014 ")
    lengths = np.array([len(d) for d in docs])
    meta = pd.DataFrame({"outlet": [f"Outlet {o}" for o in outlet], "date": date, "url": url,
                         "title": [None] * len(docs)}, index=pd.Index([f"d{i}" for i in range(len(docs))], name="doc_id"))
    tokens = Tokens(ids=np.concatenate(docs).astype(np.int32), doc_ptr=np.r_[0, np.cumsum(lengths)].astype(np.int64),
                    sent=np.zeros(0, np.int32), vocab=pd.Index([f"w{i}" for i in range(2 * VOCAB)]),
                    dtm=sp.csr_matrix((len(docs), 2 * VOCAB), dtype=np.int32), texts=texts, metadata=meta,
                    types=pd.DataFrame(), reconciliation=pd.DataFrame())
    return tokens, truth


def score(res, truth: dict, n_base_docs: int) -> pd.DataFrame:
    """Precision and recall per planted kind: a copy is found when it sits in its source's cluster."""
    docs = res.documents
    cluster = docs["cluster"].to_numpy(dtype=float, na_value=np.nan)
    rows = []
    flagged = set(np.flatnonzero(~np.isnan(cluster)))
    for kind in ("exact", "near90", "near70", "syndicated", "version"):
        copies = [c for c, (s, k) in truth.items() if k == kind]
        found = [c for c in copies if cluster[c] == cluster[truth[c][0]] and not np.isnan(cluster[c])]
        expected = {"near90": "near", "near70": "near"}.get(kind, kind)
        labelled = sum(docs["kind"].iat[c] == expected for c in found)
        rows.append((kind, len(copies), len(found), len(found) / max(len(copies), 1), labelled))
    planted_docs = set(truth) | {s for s, _ in truth.values()}
    false = len(flagged - planted_docs)
    out = pd.DataFrame(rows, columns=["kind", "planted", "found", "recall", "labelled_as_kind"])
    out.attrs["precision"] = 1 - false / max(len(flagged), 1)
    out.attrs["false_documents"] = false
    return out


def _subset(tokens: Tokens, pick: np.ndarray) -> Tokens:
    """The articles ``pick`` as their own Tokens (the benchmark's Tokens hold no sentence numbers to select)."""
    parts = [tokens.ids[tokens.doc_ptr[d]:tokens.doc_ptr[d + 1]] for d in pick]
    lengths = np.array([len(p) for p in parts])
    return Tokens(ids=np.concatenate(parts), doc_ptr=np.r_[0, np.cumsum(lengths)].astype(np.int64),
                  sent=np.zeros(0, np.int32), vocab=tokens.vocab, dtm=tokens.dtm[pick],
                  texts=[tokens.texts[d] for d in pick], metadata=tokens.metadata.iloc[pick],
                  types=tokens.types, reconciliation=tokens.reconciliation)


def peers(tokens: Tokens, truth: dict, n: int, threshold: float) -> None:
    """Brute-force exact Jaccard on the first ``n`` articles plus their planted copies, and datasketch vs rensa."""
    copies = [c for c in list(truth)[: n // 4]]
    pick = np.unique(np.r_[copies, [truth[c][0] for c in copies], np.arange(n)])[:n + n // 2]
    sub = _subset(tokens, pick)
    t0 = time.perf_counter()
    hashes, offsets = shingle_hashes(sub.ids, sub.doc_ptr, 5)
    rows = np.repeat(np.arange(len(offsets) - 1), np.diff(offsets).astype(np.int64))
    codes, cols = np.unique(hashes, return_inverse=True)
    x = sp.csr_matrix((np.ones(len(cols), np.int32), (rows, cols)), shape=(len(offsets) - 1, len(codes)))
    x.sum_duplicates()
    x.data[:] = 1   # sets, not counts
    inter = (x @ x.T).tocoo()
    size = np.asarray(x.sum(axis=1)).ravel()
    m = inter.row < inter.col
    jac = inter.data[m] / (size[inter.row[m]] + size[inter.col[m]] - inter.data[m])
    exact_pairs = {(int(a), int(b)) for a, b, j in zip(inter.row[m], inter.col[m], jac) if j >= threshold}
    t_brute = time.perf_counter() - t0
    res = dedup(sub)
    cl = res.documents["cluster"].to_numpy(dtype=float, na_value=np.nan)
    found = sum(cl[a] == cl[b] for a, b in exact_pairs)
    print(f"peer 1, brute-force exact Jaccard of all {len(pick) * (len(pick) - 1) // 2:,} pairs of {len(pick):,} "
          f"articles: {t_brute:.1f} s; {len(exact_pairs)} pairs with J >= {threshold}; MinHash/LSH put "
          f"{found} of them in one cluster (recall {found / max(len(exact_pairs), 1):.3f})")
    try:
        from datasketch import MinHash
    except ImportError:
        print("peer 2, datasketch: not installed (pip install datasketch to compare)")
        return
    t0 = time.perf_counter()
    for d in range(len(offsets) - 1):
        mh = MinHash(num_perm=128, seed=1)
        mh.update_batch([h.tobytes() for h in hashes[offsets[d]:offsets[d + 1]]])
    t_ds = time.perf_counter() - t0
    t0 = time.perf_counter()
    signatures(hashes, offsets, 128, 1)
    t_rensa = time.perf_counter() - t0
    print(f"peer 2, MinHash signatures of {len(hashes):,} shingles ({len(offsets) - 1:,} articles, 128 permutations):"
          f" datasketch {t_ds:.2f} s, rensa {t_rensa:.3f} s ({t_ds / max(t_rensa, 1e-9):.0f} x)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=40_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--peer-docs", type=int, default=2_000)
    args = ap.parse_args()
    t0 = time.perf_counter()
    tokens, truth = build(args.docs)
    print(f"corpus: {tokens.n_docs:,} articles, {tokens.n_tokens:,} tokens, {len(truth):,} planted copies "
          f"(built in {time.perf_counter() - t0:.1f} s)")
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    w0, c0 = time.perf_counter(), time.process_time()
    res = dedup(tokens)
    first_wall, first_cpu = time.perf_counter() - w0, time.process_time() - c0
    peak = tracemalloc.get_traced_memory()[1] / 2 ** 20
    tracemalloc.stop()
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"memory beyond the corpus: tracemalloc peak {peak:,.0f} MB; peak RSS grew {rss1 - rss0:,.0f} MB "
          f"(target < {TARGET_MB} MB)")
    walls, cpus = [first_wall], [first_cpu]
    for _ in range(args.runs - 1):
        wall, cpu, res = median_time(lambda: dedup(tokens), 1)
        walls.append(wall)
        cpus.append(cpu)
    wall, cpu = float(np.median(walls)), float(np.median(cpus))
    each = ", ".join(f"{w:.1f}" for w in walls)
    print(f"dedup (defaults: threshold 0.8, 5-word shingles, 128 permutations): median {wall:.1f} s wall, "
          f"{cpu:.1f} s CPU of {args.runs} runs ({each} s; the first traced); target < {TARGET_S:.0f} s")
    print(res.summary())
    s = score(res, truth, tokens.n_docs)
    print(s.to_string(index=False))
    print(f"precision: {s.attrs['precision']:.4f} ({s.attrs['false_documents']} documents clustered that were "
          "not planted); near70 copies are below the 0.8 threshold and expected apart")
    low = dedup(tokens, threshold=0.6)
    s6 = score(low, truth, tokens.n_docs)
    print(f"threshold 0.6: near70 recall {s6.set_index('kind').at['near70', 'recall']:.3f}, "
          f"precision {s6.attrs['precision']:.4f}")
    peers(tokens, truth, min(args.peer_docs, tokens.n_docs), 0.8)


if __name__ == "__main__":
    main()
