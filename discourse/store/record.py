"""What a store records after a build or an append: tables, inverted index, counts, params and store.json.

Everything here is cumulative, so that appending documents updates the record as if they had been
in the corpus from the start: partition bounds, token counts by reason, tokens removed by each
cleaning rule (:func:`discourse.token_counts.merge_removed`), the cleaning findings (heavy removals,
emptied and identical documents), the reconciliation, the vocabulary and types, the inverted index.
"""
from __future__ import annotations

import shutil
import uuid
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

from ..corpus import fingerprint
from ..normalisation import duplicate_groups, warn_removals
from ..token_counter import TokenCounter
from ..token_counts import REASONS, cleaning_rows, merge_removed, reconcile
from .format import load_array, write_frame, write_manifest
from .writer import Written, write_index

__all__ = ["record", "stored_digests", "now"]


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def stored_digests(path: Path, n_partitions: int) -> tuple[np.ndarray, np.ndarray]:
    """``(digests, blank)`` of every document: SHA-256 of its raw text (rows of 32 bytes), and blank or not."""
    digests = [np.asarray(load_array(path, k, "digests")) for k in range(n_partitions)]
    blank = [np.asarray(load_array(path, k, "blank")) for k in range(n_partitions)]
    return np.concatenate(digests), np.concatenate(blank)


def _cleaning(manifest: dict, written: Written, options: dict | bool, given: dict | None,
              ids: list, keys: list) -> dict | None:
    """The cleaning params of the whole store: the first batch's, with the findings of all documents."""
    old = manifest.get("params", {}).get("cleaning")
    if options is False or (old is None and written.cleaning is None):
        return old if old is not None else given  # not cleaned here (or a corpus cleaned before)
    base = dict(old or written.cleaning)
    base["heavy_removals"] = list(base["heavy_removals"] if old else []) + written.heavy
    base["emptied"] = list(base["emptied"] if old else []) + written.emptied
    base["duplicates"] = duplicate_groups(ids, keys=keys)
    # the batches were cleaned with the detections of the corpus: record the options as given
    rec, boiler = options["recurring"], options["boilerplate"]
    base["recurring"] = rec if isinstance(rec, bool) else "precomputed"
    base["boilerplate"] = boiler if isinstance(boiler, bool) else "reviewed"
    new = {**base, "heavy_removals": written.heavy, "emptied": written.emptied,
           "duplicates": [g for g in base["duplicates"] if set(g) & set(ids[manifest["bounds"][-1]:])]}
    warn_removals(new, base["max_removed"])  # once for the documents just written, not once a partition
    return base


def record(path: Path, manifest: dict, written: Written, counter: TokenCounter, metadata: pd.DataFrame,
           report: pd.DataFrame, *,
           clean_options: dict | bool, given_cleaning: dict | None, dedup: dict | None, action: str,
           source: str, fingerprint_: str | None = None) -> dict:
    """Update ``manifest`` (empty for a new store) with what ``written`` added, write the tables and store.json.

    The tables (vocabulary, types, read report ``report``, inverted index) go to a new directory that
    store.json then names; the previous state's directory is removed only after.
    """
    bounds = list(manifest.get("bounds", [0]))
    new_from = len(bounds) - 1
    for size in written.sizes:
        bounds.append(bounds[-1] + size)
    n_parts = len(bounds) - 1
    digests, blank = stored_digests(path, n_parts)
    keys = [None if b else d.tobytes() for d, b in zip(digests, blank)]
    ids = metadata.index.tolist()
    cleaning = _cleaning({**manifest, "bounds": manifest.get("bounds", [0])}, written, clean_options,
                         given_cleaning, ids, keys)
    reasons = np.asarray(manifest.get("reason_totals", [0] * len(REASONS)), np.int64) + written.reasons
    old_removed = pd.Series(dict(manifest.get("removed_tokens", [])), dtype="int64")
    removed = merge_removed([old_removed, *written.removed])
    n_audit = manifest.get("n_audit", 0) + written.n_audit
    recon = reconcile(reasons[None, :])
    if n_audit:
        recon = cleaning_rows(recon, removed)
    params = dict(counter.params)
    if cleaning is not None:
        params["cleaning"] = cleaning
    if dedup is not None:
        params["dedup"] = dedup
    # the vocabulary and types grew; every partition's distinct terms make the index
    stamp = uuid.uuid4().hex
    tables = path / f"tables-{stamp[:12]}"
    tables.mkdir()
    write_frame(pd.DataFrame({"term": list(counter.terms)}), tables / "vocab.parquet")
    write_frame(counter.types, tables / "types.parquet")
    write_frame(report, tables / "report.parquet")
    write_index(tables, [np.asarray(load_array(path, k, "post_terms")) for k in range(n_parts)], len(counter.terms))
    history = list(manifest.get("history", [])) + [{"action": action, "date": now(), "source": source,
                                                    "documents": int(sum(written.sizes)),
                                                    "partitions": [new_from, n_parts]}]
    manifest = {**manifest, "stamp": stamp, "tables": tables.name, "updated": now(), "bounds": bounds,
                "n_docs": bounds[-1], "n_tokens": int(manifest.get("n_tokens", 0) + written.n_tokens),
                "n_terms": len(counter.terms), "n_sent": counter.n_sent, "reason_totals": reasons.tolist(),
                "removed_tokens": [[str(k), int(v)] for k, v in removed.items()], "n_audit": int(n_audit),
                "params": params, "reconciliation": recon.values.tolist(), "history": history,
                "fingerprint": fingerprint_ or fingerprint(metadata, digests=digests)}
    write_manifest(path, manifest)
    for old in path.glob("tables-*"):  # the previous state's tables (or those of a failed append)
        if old != tables:
            shutil.rmtree(old)
    return manifest
