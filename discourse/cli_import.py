"""The ``discourse import`` and ``discourse dedup`` subcommands (registered by :mod:`discourse.cli`).

``discourse import EXPORTS -o corpus.jsonl`` reads a folder (or file) of news-archive exports
(Nexis, Factiva, ProQuest, Media Cloud, ... see :func:`discourse.read_corpus`), cleans the texts
with the default profiles (``--no-clean`` to skip), de-duplicates them (:func:`discourse.dedup`, on the
cleaned texts: it reads with ``read_corpus(..., dedup=False)`` so that this is done once; ``--no-dedup``
to keep every document) and writes

* ``corpus.jsonl`` (or ``.parquet``): one document a row, ``id``, ``text`` (the cleaned text) and
  the metadata (``outlet``, ``date``, ``title``, ``byline``, ``source_format``, ``export_file`` ...,
  plus ``syndicated``, ``wire`` and ``dup_cluster`` from the de-duplication);
* ``corpus.read_report.csv``: the read report (every file and article read, skipped or warned about);
* ``corpus.dedup.csv``: the de-duplication audit (one row per document in a cluster);
* ``corpus.params.json``: the parameters of every step and the reconciliation (documents given =
  read + skipped; read = kept + removed by kind).

The CSV reports are written through :func:`discourse.export.write_csv` (text a spreadsheet would
evaluate is neutralised). ``discourse dedup CORPUS -o audit.csv`` writes the audit of a corpus.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from .cli_flags import add_cleaning_options, add_reading_options, cleaning_options, reading_options
from .dedup import KEEP_POLICIES

__all__ = ["CORPUS_SUFFIXES", "register", "import_outputs", "cmd_import"]

CORPUS_SUFFIXES = (".jsonl", ".parquet")


def import_outputs(output: str | Path) -> dict[str, Path]:
    """The files ``discourse import -o output`` writes, by role: corpus, read_report, dedup, params."""
    path = Path(output)
    stem = path.with_suffix("")
    return {"corpus": path, "read_report": Path(f"{stem}.read_report.csv"), "dedup": Path(f"{stem}.dedup.csv"),
            "params": Path(f"{stem}.params.json")}


def _dedup_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("de-duplication (see discourse.dedup)")
    g.add_argument("--threshold", type=float, default=0.8, help="near-duplicate Jaccard threshold (default 0.8)")
    g.add_argument("--shingle", type=int, default=5, help="words per shingle (default 5)")
    g.add_argument("--keep", choices=KEEP_POLICIES, default="first",
                   help="which copy of a duplicate to keep (default: first)")
    g.add_argument("--versions", choices=KEEP_POLICIES, default="latest",
                   help="which version of an updated article to keep (default: latest)")
    g.add_argument("--syndicated", choices=["mark", "remove"], default="mark",
                   help="syndicated copies across outlets: mark them (default) or keep one copy overall")
    g.add_argument("--seed", type=int, default=1, help="seed of the MinHash permutations (default 1)")


def _dedup(tokens: Any, args: argparse.Namespace) -> Any:
    from .dedup import dedup

    return dedup(tokens, threshold=args.threshold, shingle=args.shingle, keep=args.keep, versions=args.versions,
                 syndicated=args.syndicated, seed=args.seed)


def _notice(message: str) -> None:
    print(f"discourse: {message}", file=sys.stderr, flush=True)


def _corpus_frame(corpus: Any, kept: Any | None) -> pd.DataFrame:
    """``id``, ``text`` and the metadata of the documents kept (all without de-duplication)."""
    meta = corpus.metadata.copy()
    frame = pd.DataFrame({"id": corpus.ids, "text": list(corpus.texts)})
    frame = pd.concat([frame, meta.reset_index(drop=True).drop(columns=["id", "text"], errors="ignore")], axis=1)
    if kept is not None:
        extra = kept.metadata[["syndicated", "wire", "dup_cluster"]]
        frame = frame[frame["id"].isin(extra.index)].reset_index(drop=True)
        extra = extra.loc[frame["id"]].reset_index(drop=True)
        frame = pd.concat([frame, extra.astype(object).where(extra.notna(), None)], axis=1)
    return frame


def _write_corpus(frame: pd.DataFrame, path: Path) -> None:
    if path.suffix.lower() == ".parquet":
        frame.to_parquet(path, index=False)
        return
    clean = frame.astype(object).where(frame.notna(), None)
    with path.open("w", encoding="utf-8", newline="\n") as f:
        for row in clean.to_dict("records"):
            f.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")


def cmd_import(args: argparse.Namespace, say: Any) -> int:
    """Exports -> a clean, de-duplicated corpus file and its reports (see the module docstring)."""
    from .cleaning import clean
    from .export import write_csv
    from .readers import read_corpus
    from .tokenizer import tokenize

    out = import_outputs(args.target)
    if out["corpus"].suffix.lower() not in CORPUS_SUFFIXES:
        raise ValueError(f"cannot write a corpus to {args.target!r}: use a .jsonl or .parquet file name")
    say(f"reading {args.exports}")
    corpus = read_corpus(args.exports, **reading_options(args))
    read_frame = corpus.report.frame
    if not args.no_clean:
        say("cleaning")
        corpus = clean(corpus, **cleaning_options(args))
    params: dict[str, Any] = {"command": "import", "exports": str(args.exports), "read": corpus.params,
                              "documents_read": len(corpus),
                              "documents_skipped": int((read_frame["action"] == "skipped").sum())}
    result = None
    if args.dedup:
        say("de-duplicating")
        result = _dedup(tokenize(corpus, progress=not args.quiet), args)
        say(result.summary())
        params["dedup"] = {**result.params, **{k: v for k, v in result.audit.attrs.items()}}
        params["reconciliation"] = result.reconciliation.to_dict("records")
    frame = _corpus_frame(corpus, None if result is None else result.tokens)
    params["documents_written"] = len(frame)
    out["corpus"].parent.mkdir(parents=True, exist_ok=True)
    _write_corpus(frame, out["corpus"])
    write_csv(read_frame, out["read_report"])
    written = [f"{out['corpus']} ({len(frame):,} documents)", f"{out['read_report']} ({len(read_frame):,} rows)"]
    if result is not None:
        write_csv(result.audit, out["dedup"])
        written.append(f"{out['dedup']} ({len(result.audit):,} rows)")
    out["params"].write_text(json.dumps(params, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    _notice("wrote " + ", ".join(written) + f" and {out['params']} (parameters)")
    return 0


def register(sub: Any, add: Callable, load: Callable, write: Callable) -> None:
    """Add ``import`` (own arguments) and ``dedup`` (the corpus options of every analysis) to ``sub``;
    ``add``, ``load`` and ``write`` are the command line's shared steps (:mod:`discourse.cli`)."""
    text = "news-archive exports -> a clean, de-duplicated JSONL/Parquet corpus plus its read and dedup reports"
    p = sub.add_parser("import", help=text, description=text)
    p.add_argument("exports", help="a folder (or file) of exports: Nexis, Factiva, ProQuest, Media Cloud, ...")
    p.add_argument("-o", "--output", dest="target", required=True, metavar="FILE",
                   help="corpus file to write (.jsonl or .parquet); the reports are written next to it")
    add_reading_options(p.add_argument_group("reading (see discourse.read_corpus)"))
    add_cleaning_options(p, "write the texts as read, without cleaning")
    p.add_argument("--dedup", action=argparse.BooleanOptionalAction, default=True,
                   help="de-duplicate (default) or keep every document (--no-dedup)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress messages")
    _dedup_options(p)
    p.set_defaults(func=cmd_import, dedups_itself=True)   # de-duplicated after cleaning, not on reading

    def cmd_dedup(args: argparse.Namespace, say: Any) -> int:
        _, tokens = load(args, say)
        result = _dedup(tokens, args)
        say(result.summary())
        write(result.audit, args, say)
        return 0

    p = add("dedup", cmd_dedup, "the de-duplication audit: exact and near duplicates, versions, "
                                "syndicated copies (one row per document in a cluster)")
    _dedup_options(p)
    p.set_defaults(dedups_itself=True)   # the audit of every document read, not of those read_corpus kept
