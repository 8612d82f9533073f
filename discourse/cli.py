"""The ``discourse`` command: corpus inspection, analyses to CSV/Excel, and the HTML reports.

Every analysis subcommand reads a corpus (a folder with a manifest, or a
CSV/TSV/JSONL/Parquet table), cleans it with the default profiles (or
``--profiles``; ``--no-clean`` to skip), tokenizes it once and writes a tidy
table: to ``--output FILE`` (``.csv``/``.tsv`` with a ``.params.json`` sidecar,
or ``.xlsx`` with a parameters sheet) or, without it, as CSV to standard output.

Errors are one line on standard error (``discourse: error: ...``) in the
command line's terms: a library hint such as "pass text_column=..." is shown as
"pass --text-column ..." (:func:`discourse.cli_flags.flag_wording`, one mapping
from the parser's options). Exit status 1 for errors, 2 for usage errors (an unknown choice, a
``--sort`` key outside the window); ``--debug`` shows the traceback.

Progress goes to standard error (``--quiet`` silences it). Two notices go there
whatever ``--quiet``, because they are results, not progress: every file
written ("wrote freq.csv (120 rows) and freq.params.json (parameters)": a CSV
or TSV table always has its parameters sidecar), and a query without hits
("no hits for russsia in 2 documents"). A query without hits is an answer,
not a failure: the (empty) table is still written and the exit status is 0.

Examples
--------
::

    discourse inspect corpus/
    discourse audit corpus/ --summary
    discourse frequencies corpus/ --by outlet --top 20 -o freq.xlsx
    discourse keyness corpus/ --target RT --reference "TFI Post" -o keywords.csv
    discourse collocates corpus/ --node russia russian moscow kremlin --by outlet
    discourse kwic corpus/ --node "russia*" --window 6 --sort R1
    discourse topics corpus.jsonl --topics 20 --seed 1 -o topics.csv
    discourse import exports/ -o corpus.jsonl --outlets default
    discourse dedup corpus.jsonl --threshold 0.8 -o audit.csv
    discourse report --corpus my_corpus.jsonl --out my_reports
    discourse explore corpus/ --kind keyness --out keyness.html
"""
from __future__ import annotations

import argparse
import importlib
import sys
import warnings
from pathlib import Path
from typing import Any, Callable, Sequence

import pandas as pd

from .cli_flags import (add_cleaning_options, add_reading_options, cleaning_options, flag_names, flag_wording,
                        reading_options)
from .collocates import MEASURES
from .export import params_path
from .keyness import SORT_KEYS
from .kwic import sort_keys
from .progress import StepMessages
from .stats.multiple import METHODS

__all__ = ["main", "build_parser", "EXPORT_SUFFIXES", "cmd_inspect", "cmd_audit", "cmd_frequencies", "cmd_keyness",
           "cmd_collocates", "cmd_kwic", "cmd_topics", "cmd_report"]

EXPORT_SUFFIXES = (".csv", ".tsv", ".xlsx")


# --------------------------------------------------------------------------- shared steps
def _load(args: argparse.Namespace, say: StepMessages, *, tokenize: bool = True) -> tuple[Any, Any]:
    """Read (and clean, and tokenize) the corpus named on the command line."""
    from .cleaning import clean
    from .readers import read_corpus
    from .tokenizer import tokenize as _tokenize

    say(f"reading {args.corpus}")
    corpus = read_corpus(args.corpus, **reading_options(args))
    if not args.no_clean:
        say("cleaning")
        corpus = clean(corpus, **cleaning_options(args))
    if not tokenize:
        return corpus, None
    options: dict[str, Any] = {"stopwords": args.stopwords, "lemmatize": args.lemmatize or False}
    tokens = _tokenize(corpus, progress=not args.quiet, **options)
    say(tokens.summary())
    return corpus, tokens


def _notice(message: str) -> None:
    """A result notice on standard error, printed whatever ``--quiet`` (files written, no hits)."""
    print(f"discourse: {message}", file=sys.stderr, flush=True)


def _write(table: pd.DataFrame, args: argparse.Namespace, say: StepMessages) -> None:
    from .export import export, write_csv

    if args.output in (None, "-"):
        write_csv(table, sys.stdout)  # formula-like text neutralised here too: stdout is often redirected to a file
        return
    path = export(table, args.output)
    sidecar = params_path(path)
    _notice(f"wrote {path} ({len(table):,} rows)" + (f" and {sidecar} (parameters)" if sidecar else ""))


def _has_hits(tokens: Any, node: Any) -> bool:
    """False, with a notice, when the node occurs nowhere in the corpus."""
    from .query import find

    hits = find(tokens, node)
    if len(hits.start):
        return True
    _notice(f"no hits for {hits.query} in {tokens.n_docs:,} documents")
    return False


def _given(args: argparse.Namespace, *names: str) -> dict[str, Any]:
    """The options among ``names`` set on the command line (default None): the library's defaults apply to the rest."""
    return {n: getattr(args, n) for n in names if getattr(args, n) is not None}


def _analysis(module: str, name: str) -> Callable:
    """An analysis function, with a clear message when its module is not available."""
    try:
        return getattr(importlib.import_module(f"discourse.{module}"), name)
    except (ImportError, AttributeError):
        raise RuntimeError(f"this installation has no discourse.{module}.{name}") from None


# --------------------------------------------------------------------------- subcommands
def cmd_inspect(args: argparse.Namespace, say: StepMessages) -> int:
    from .overview import documents_table, scope_note

    corpus, tokens = _load(args, say)
    print(corpus.summary() + "; " + corpus.report.summary())
    problems = corpus.report.frame[corpus.report.frame["action"] != "read"]
    for row in problems.itertuples():
        print(f"  {row.action}: {row.source}{'' if pd.isna(row.line) else f':{row.line}'}: {row.reason}")
    print(tokens.summary())
    print(f"metadata columns: {', '.join(map(str, corpus.metadata.columns))}")
    if args.by in corpus.metadata.columns:
        print(scope_note(tokens, by=args.by).text)
    docs = documents_table(tokens)
    if args.output:
        _write(docs, args, say)
    else:
        with pd.option_context("display.width", 160, "display.max_colwidth", 40, "display.max_rows", 40):
            print(docs.drop(columns=[c for c in ("title",) if c in docs]).to_string(index=False))
    return 0


def cmd_audit(args: argparse.Namespace, say: StepMessages) -> int:
    from .overview import audit_summary

    if args.no_clean:
        raise ValueError("audit needs cleaning; drop --no-clean")
    corpus, tokens = _load(args, say)
    if args.summary:
        table = audit_summary(corpus, by=args.by if args.by in corpus.metadata.columns else None)
    else:
        table = corpus.audit.copy()
        table.attrs = {"analysis": "cleaning_audit", **corpus.params.get("cleaning", {})}
    if args.output is None:
        print(tokens.reconciliation.to_string(index=False), file=sys.stderr)
    _write(table, args, say)
    return 0


def cmd_frequencies(args: argparse.Namespace, say: StepMessages) -> int:
    from .frequency import frequencies

    _, tokens = _load(args, say)
    _write(frequencies(tokens, by=args.by, min_freq=args.min_freq, top=args.top), args, say)
    return 0


def cmd_keyness(args: argparse.Namespace, say: StepMessages) -> int:
    keyness = _analysis("keyness", "keyness")
    _, tokens = _load(args, say)
    say("computing keyness")
    table = keyness(tokens, args.target, args.reference, by=args.by, sort_by=args.sort_by, keep=args.keep,
                    min_freq=args.min_freq, alpha=args.alpha, correction=args.correction, seed=args.seed)
    _write(table, args, say)
    return 0


def cmd_collocates(args: argparse.Namespace, say: StepMessages) -> int:
    node = args.node if len(args.node) > 1 else args.node[0]
    _, tokens = _load(args, say)
    say("computing collocates")
    common = dict(left=args.left, right=args.right, measure=args.measure, sentence=args.sentence,
                  **_given(args, "min_freq", "min_coll_freq"))
    if args.compare:
        if args.top is not None:
            raise ValueError("--top applies to collocates without --compare")
        if not _has_hits(tokens, node):  # nothing to compare: say so and write nothing
            return 0
        compare = _analysis("collocates", "compare_collocates")
        groups = tuple(args.compare) if len(args.compare) == 2 else None
        target = args.compare[0] if len(args.compare) == 1 else None
        table = compare(tokens, node, by=args.by or "outlet", groups=groups, target=target, **common)
    else:
        collocates = _analysis("collocates", "collocates")
        table = collocates(tokens, node, by=args.by, top=args.top, **common)  # an empty result warns why
    _write(table, args, say)
    return 0


def cmd_kwic(args: argparse.Namespace, say: StepMessages) -> int:
    kwic = _analysis("kwic", "kwic")
    node = args.node if len(args.node) > 1 else args.node[0]
    _, tokens = _load(args, say)
    table = kwic(tokens, node, (args.window, args.window), by=args.by, sort=args.sort, sample=args.sample,
                 seed=args.seed, sentence=args.sentence)
    _write(table, args, say)
    return 0


def cmd_topics(args: argparse.Namespace, say: StepMessages) -> int:
    topics = importlib.import_module("discourse.topics")
    _, tokens = _load(args, say)
    say(f"fitting {args.topics} topics")
    prepare = {} if args.units is None else {"units": int(args.units) if args.units.isdigit() else args.units}
    model = topics.fit_lda(tokens, k=args.topics, seed=args.seed, passes=args.passes, min_df=args.min_df, **prepare,
                           **_given(args, "max_df"))
    say(repr(model))
    if args.table == "terms":
        table = topics.topic_terms(model, n=args.terms)
    elif args.table == "coherence":
        table = topics.coherence(model)
    elif args.table == "prevalence":
        table = topics.topic_prevalence(model, by=args.by, seed=args.seed)
    else:
        table = topics.document_topics(model)
    _write(table, args, say)
    return 0


def cmd_report(args: argparse.Namespace, say: StepMessages) -> int:
    from . import report

    return report.run(args)


# --------------------------------------------------------------------------- options
def _sort_option(value: str) -> list[str]:
    """``--sort R1,L2``: sort keys in kwic's syntax (the window bound is checked once it is known)."""
    keys = [k.strip() for k in value.split(",")]
    try:
        sort_keys(keys)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None
    return keys


def _check_kwic(args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    """Usage errors of ``kwic`` that involve two options: a ``--sort`` position outside ``--window``."""
    if args.sort and args.window >= 0:  # a negative window is the library's error
        try:
            sort_keys(args.sort, args.window, args.window)
        except ValueError as e:
            parser.error(f"argument --sort: {e}")


# --------------------------------------------------------------------------- parser
def _corpus_options() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("corpus", help="corpus folder (with manifest.csv) or table (.csv/.tsv/.jsonl/.parquet)")
    add_reading_options(p.add_argument_group("reading (see discourse.read_corpus)"))
    g = p.add_argument_group("cleaning and tokenization")
    add_cleaning_options(g)
    g.add_argument("--stopwords", choices=["english"], default=None,
                   help="drop stop words (default: keep them, the field's default)")
    g.add_argument("--lemmatize", metavar="LANG", default=None, help="lemmatise with simplemma, e.g. en")
    g.add_argument("-o", "--output", metavar="FILE",
                   help="write the table to FILE (.csv, .tsv or .xlsx); default: CSV to standard output")
    g.add_argument("-q", "--quiet", action="store_true",
                   help="no progress messages (the files written, queries without hits and warnings still show)")
    return p


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="discourse", description="Comparative discourse analysis of news outlets: how different outlets "
        "word the same story. Each subcommand has --help.",
        epilog="Example: discourse keyness corpus/ --target RT --reference 'TFI Post' -o keywords.xlsx. Exit status: "
        "0 (also for a query without hits, which says so on standard error), 1 on errors, 2 on usage errors.")
    parser.add_argument("--debug", action="store_true", help="show the full traceback on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    base = _corpus_options()

    def add(name: str, func: Callable, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[base], help=help, description=help)
        p.set_defaults(func=func)
        return p

    p = add("inspect", cmd_inspect, "summarise a corpus: documents, read problems, metadata, what it can support")
    p.add_argument("--by", default="outlet", help="grouping column (default: outlet)")
    p = add("audit", cmd_audit, "the cleaning audit: every removed span (or --summary per rule and group)")
    p.add_argument("--summary", action="store_true", help="one row per (group, rule) instead of per span")
    p.add_argument("--by", default="outlet", help="grouping column for --summary (default: outlet)")
    p = add("frequencies", cmd_frequencies, "frequency table: freq, per million, range, rank per group")
    p.add_argument("--by", default="outlet", help="grouping column (default: outlet)")
    p.add_argument("--top", type=int, default=None, help="keep the N most frequent terms per group")
    p.add_argument("--min-freq", type=int, default=1, help="minimum frequency in a group (default 1)")
    p = add("keyness", cmd_keyness, "keywords of a target group against a reference (log-likelihood, Log Ratio)")
    p.add_argument("--by", default="outlet", help="grouping column (default: outlet)")
    p.add_argument("--target", default=None, help="target group (default: every group in turn)")
    p.add_argument("--reference", default="rest", help="reference group, 'rest' (default) or 'pairwise'")
    p.add_argument("--sort-by", default="log_ratio", choices=SORT_KEYS, metavar="MEASURE",
                   help=f"effect size to rank by: {', '.join(SORT_KEYS)} (default: log_ratio)")
    p.add_argument("--keep", choices=["significant", "all"], default="significant",
                   help="only significant keywords (default) or all terms")
    p.add_argument("--min-freq", type=int, default=1, help="test terms with at least this frequency (default 1)")
    p.add_argument("--alpha", type=float, default=0.05, help="significance level (default 0.05)")
    p.add_argument("--correction", default="sidak", choices=METHODS,
                   help="multiple-comparison correction (default: sidak)")
    p.add_argument("--seed", type=int, default=0, help="seed of the bootstrap text-level test (default 0)")
    for name, func, text in (("collocates", cmd_collocates, "collocates of a node (word, phrase, wildcard or "
                              "term group) with MI, t, log-likelihood, log Dice; --compare for two groups"),
                             ("kwic", cmd_kwic, "concordance lines (key word in context) of a node")):
        p = add(name, func, text)
        p.add_argument("--node", nargs="+", required=True, metavar="TERM",
                       help="node: one query, or several terms forming a term group")
        p.add_argument("--by", default=None, help="grouping column, e.g. outlet")
        p.add_argument("--sentence", action="store_true", help="stop the window at sentence boundaries")
    p = sub.choices["collocates"]
    p.add_argument("--left", type=int, default=5, help="window span to the left (default 5)")
    p.add_argument("--right", type=int, default=5, help="window span to the right (default 5)")
    p.add_argument("--measure", default="log_dice", choices=list(MEASURES), metavar="MEASURE",
                   help=f"statistic to rank by: {', '.join(MEASURES)} (default: log_dice)")
    p.add_argument("--min-freq", type=int, default=None,
                   help="minimum collocate frequency C (default 5; with --compare 1)")
    p.add_argument("--min-coll-freq", type=int, default=None,
                   help="minimum co-occurrence NC (default 3; with --compare 2)")
    p.add_argument("--top", type=int, default=None, help="keep the top N collocates per group")
    p.add_argument("--compare", nargs="+", metavar="GROUP",
                   help="compare collocates of two groups (A B) or of one group against the rest (A)")
    p = sub.choices["kwic"]
    p.add_argument("--window", type=int, default=5, help="context tokens each side (default 5)")
    p.add_argument("--sort", default=None, type=_sort_option, metavar="KEYS",
                   help="sort keys within the window: node, L1..Ln, R1..Rn, comma-separated, e.g. R1 or L1,L2")
    p.set_defaults(check=_check_kwic)
    p.add_argument("--sample", type=int, default=None, help="a random sample of N lines")
    p.add_argument("--seed", type=int, default=0, help="seed of the sample (default 0)")
    p = add("topics", cmd_topics, "LDA topics (gensim) with top terms, coherence and topic shares by group")
    p.add_argument("--topics", type=int, default=10, help="number of topics K (default 10)")
    p.add_argument("--table", choices=["terms", "coherence", "prevalence", "documents"], default="terms",
                   help="table to write: top terms (default), coherence per topic, prevalence by group, "
                        "or the topic shares of each document")
    p.add_argument("--terms", type=int, default=10, help="terms per topic (default 10)")
    p.add_argument("--units", default=None,
                   help="modelling units: document, paragraph, or a number of tokens per chunk (default: documents, "
                        "or paragraphs when there are fewer than 5 documents per topic)")
    p.add_argument("--min-df", type=int, default=None,
                   help="keep terms in at least this many units (default: 2 to 5, from the number of units)")
    p.add_argument("--passes", type=int, default=10, help="passes over the corpus (default 10)")
    p.add_argument("--by", default="outlet", help="grouping column for --table prevalence (default: outlet)")
    p.add_argument("--seed", type=int, default=0, help="random seed of LDA and the bootstrap (default 0)")
    p.add_argument("--max-df", type=float, default=None,
                   help="drop terms in more than this share of the units (default: 0.5, or 1.0 = keep all "
                        "below 10 units)")

    from .cli_explore import register as register_explore
    from .cli_import import register
    from .report import add_arguments

    register(sub, add, _load, _write)  # import, dedup
    register_explore(sub, add, _load, _notice)  # explore
    p = sub.add_parser("report", help="execute the notebooks and render HTML reports with an index page",
                       description="Execute every notebook headless and render HTML reports into --out.")
    add_arguments(p)
    p.set_defaults(func=cmd_report)
    return parser


def _subparser(parser: argparse.ArgumentParser, command: str) -> argparse.ArgumentParser:
    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices[command]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``discourse`` console command."""
    parser = build_parser()
    args = parser.parse_args(argv)
    command = _subparser(parser, args.command)
    if getattr(args, "check", None):
        args.check(args, command)
    flags = flag_names(command, args.command)
    say = StepMessages(getattr(args, "quiet", False))
    with warnings.catch_warnings():  # restores the warning display when done (main may run in-process)
        if not args.debug:
            warnings.showwarning = lambda message, category, *a, **k: print(
                f"discourse: warning: {flag_wording(str(message).splitlines()[0], flags)}", file=sys.stderr)
        try:
            output = getattr(args, "output", None)
            if output not in (None, "-") and Path(output).suffix.lower() not in EXPORT_SUFFIXES:
                raise ValueError(f"cannot export to {output!r}: use a .csv, .tsv or .xlsx file name")
            return args.func(args, say)
        except KeyboardInterrupt:
            print("discourse: interrupted", file=sys.stderr)
            return 130
        except BrokenPipeError:  # e.g. piped into head
            return 0
        except Exception as e:  # one clear line, not a traceback
            if args.debug:
                raise
            message = e.args[0] if isinstance(e, KeyError) and e.args else str(e)
            print(f"discourse: error: {flag_wording(message, flags)}", file=sys.stderr)
            return 1


if __name__ == "__main__":
    sys.exit(main())
