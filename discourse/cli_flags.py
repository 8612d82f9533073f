"""Library messages in the command line's terms: ``text_column=...`` is ``--text-column ...`` there.

The analyses word their errors and hints for Python callers ("pass
text_column=... to name it"); the ``discourse`` command shows the same message
with its own flag names. One mapping does it: every option of a subcommand's
parser by its dest, plus the few library names that differ from the flag.

The reading options of :func:`discourse.read_corpus` are flags of every
analysis subcommand (:func:`add_reading_options`, :func:`reading_options`):
``--format``, ``--text-column``, ``--id-column``, ``--outlet-column``,
``--date-column``, ``--title-column``, ``--date-format``, ``--dayfirst
true|false``, ``--date-bounds EARLIEST LATEST``, ``--encoding``,
``--manifest``, ``--allow-outside``, ``--on-duplicate``, ``--required COL``,
``--group-column COL``, ``--alias FROM=TO`` (each repeatable),
``--case-merge`` and ``--outlets PATH|default`` (the outlet registry, :mod:`discourse.outlets`); a flag not given leaves the library's default.
"""
from __future__ import annotations

import argparse
import re
import shlex
from typing import Any

__all__ = ["flag_names", "flag_wording", "add_reading_options", "reading_options", "add_cleaning_options",
           "cleaning_options"]

# Library argument names that are not the dest of a flag of the same name, per subcommand; every other
# name comes from the parser itself (dest text_column -> --text-column).
_FLAG_ALIASES: dict[str, dict[str, str]] = {
    "collocates": {"groups": "--compare", "target": "--compare", "left span": "--left", "right span": "--right"},
    "kwic": {"window (left)": "--window", "window (right)": "--window", "sort keys": "--sort keys"},
    "topics": {"k": "--topics", "n": "--terms"},
}
_VALUE = r"'[^']*'|\"[^\"]*\"|\([^()]*\)|\.\.\.|[^\s,;()]+"


def flag_names(parser: argparse.ArgumentParser, command: str | None = None) -> dict[str, str]:
    """Library argument name -> command-line flag: the parser's options by dest, and ``command``'s aliases."""
    flags = {a.dest: max(a.option_strings, key=len) for a in parser._actions
             if a.option_strings and a.dest != "help"}
    return {**flags, **_FLAG_ALIASES.get(command or "", {})}


def _flag_value(value: str) -> str:
    """A Python literal of a hint as a shell word: ``'all'`` -> ``all``, ``(A, B)`` -> ``A B``."""
    if value.startswith("(") or value[:1] in "'\"":
        items = value.strip("()").split(",") if value.startswith("(") else [value]
        return " ".join(shlex.quote(i.strip().strip("'\"")) for i in items if i.strip())
    return value


def flag_wording(message: str, flags: dict[str, str]) -> str:
    """A library message in the command line's terms: ``text_column=...`` -> ``--text-column ...``.

    Three forms are translated, only for names in ``flags``: keyword syntax
    (``name=value``; a call ``keyness(..., keep='all')`` becomes ``--keep all``),
    names with an underscore anywhere (``a smaller min_df``), and any name
    opening a clause (``k must be ...``). Other words are left alone.
    """
    def keyword(m: re.Match) -> str:
        flag = flags.get(m.group(1))
        return f"{flag} {_flag_value(m.group(2))}" if flag else m.group(0)

    text = re.sub(rf"(?<![\w.\-])([a-z_]+)=({_VALUE})", keyword, message)
    text = re.sub(r"\b\w+\(\.\.\., (--[^()]*)\)", r"\1", text)  # keyness(..., --keep all) -> --keep all
    for name, flag in sorted(flags.items(), key=lambda kv: -len(kv[0])):
        if "_" in name:
            text = re.sub(rf"(?<![\w'\"\-./]){re.escape(name)}(?![\w'\"/])", flag, text)
        text = re.sub(rf"(^|[;:.] ){re.escape(name)}(?= must\b| are\b)", rf"\g<1>{flag}", text)
    return text


def _true_false(value: str) -> bool:
    """``--dayfirst true`` / ``false`` (any case), the library's ``dayfirst=True`` / ``False``."""
    try:
        return {"true": True, "false": False}[value.lower()]
    except KeyError:
        raise argparse.ArgumentTypeError(f"expected true or false, not {value!r}") from None


def _alias(value: str) -> tuple[str, str]:
    """``--alias "Fox Online News=Fox News"``: one label read as another."""
    source, sep, target = value.partition("=")
    if not sep or not source.strip() or not target.strip():
        raise argparse.ArgumentTypeError(f"expected FROM=TO (e.g. 'Fox Online News=Fox News'), not {value!r}")
    return source, target


def add_reading_options(g: Any) -> None:
    """The reading options of :func:`discourse.read_corpus` as flags of an argument group."""
    g.add_argument("--format", default="auto", help="input format (default: from the path)")
    g.add_argument("--text-column", default="text", help="column holding the text (default: text)")
    g.add_argument("--id-column", default="id", help="column holding the document id (default: id)")
    for name in ("outlet", "date", "title"):
        g.add_argument(f"--{name}-column", metavar="COLUMN", help=f"a column read as {name!r}")
    g.add_argument("--date-format", metavar="FORMAT",
                   help="how dates are written: a strftime format (%%d/%%m/%%Y), ISO8601, epoch, or keep (as written); "
                        "default: each value in the formats news sources write")
    g.add_argument("--dayfirst", type=_true_false, metavar="true|false",
                   help="slash dates day first (true: 03/04/2021 = 3 April) or month first (false); default: from "
                        "the column, else ambiguous dates are reported")
    g.add_argument("--date-bounds", nargs=2, metavar=("EARLIEST", "LATEST"),
                   help="plausible dates: ISO dates, today or none (default: 1800-01-01 today)")
    g.add_argument("--encoding", help="force an encoding (default: detected per file)")
    g.add_argument("--manifest", metavar="FILE", help="metadata manifest of a folder (default: manifest.* inside it)")
    g.add_argument("--allow-outside", action="store_true",
                   help="read files the manifest or links name outside the corpus folder (each is reported)")
    g.add_argument("--on-duplicate", choices=["skip", "rename", "error"], help="a second document with an id "
                   "already read (default: skip)")
    g.add_argument("--required", action="append", metavar="COLUMN",
                   help="metadata every document must have (a document lacking it is reported); repeatable")
    g.add_argument("--group-column", action="append", metavar="COLUMN", dest="group_columns",
                   help="a grouping column whose labels are normalised (default: outlet); repeatable")
    g.add_argument("--alias", action="append", type=_alias, metavar="FROM=TO", dest="aliases",
                   help="read the label FROM as TO, e.g. 'Fox Online News=Fox News'; repeatable")
    g.add_argument("--case-merge", action="store_true", help="merge grouping labels that differ only in case")
    g.add_argument("--outlets", metavar="PATH|default",
                   help="read outlet names through the outlet registry: default (the shipped list) or a YAML file "
                        "extending it; every raw name is reported, mapped or not (default: off)")
    g.add_argument("--read-dedup", choices=["auto", "on", "off"], dest="read_dedup",
                   help="de-duplicate on reading (discourse.read_corpus dedup=): auto (default: news-archive "
                        "exports only), on or off")


def reading_options(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of :func:`discourse.read_corpus` the command line sets (the others: defaults)."""
    out: dict[str, Any] = {"format": args.format, "text_column": args.text_column, "id_column": args.id_column}
    for name in ("outlet_column", "date_column", "title_column", "date_format", "dayfirst", "encoding", "manifest",
                 "on_duplicate", "required", "group_columns", "outlets"):
        if getattr(args, name, None) is not None:
            out[name] = getattr(args, name)
    if args.date_bounds:
        out["date_bounds"] = tuple(None if b.lower() == "none" else b for b in args.date_bounds)
    if args.aliases:
        out["aliases"] = dict(args.aliases)
    for name in ("allow_outside", "case_merge"):
        if getattr(args, name):
            out[name] = True
    # ``dedups_itself``: a subcommand that de-duplicates after cleaning (import, dedup) reads with dedup=False
    # (its own default: set_defaults on the shared --read-dedup action would change every subcommand's)
    given = getattr(args, "read_dedup", None) or ("off" if getattr(args, "dedups_itself", False) else None)
    if given is not None:
        out["dedup"] = {"auto": None, "on": True, "off": False}[given]
    return out


def add_cleaning_options(g: Any, no_clean: str = "analyse the texts as read, without cleaning") -> None:
    """The cleaning flags (:func:`discourse.clean`), shared by every command that cleans."""
    g.add_argument("--profiles", default="default", metavar="YAML",
                   help="cleaning profiles file (default: the shipped profiles)")
    g.add_argument("--no-clean", action="store_true", help=no_clean)
    g.add_argument("--boilerplate", action=argparse.BooleanOptionalAction, default=True,
                   help="remove each outlet's detected boilerplate spans (default; see discourse.detect_boilerplate)")


def cleaning_options(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of :func:`discourse.clean` the flags of :func:`add_cleaning_options` give."""
    return {"profiles": args.profiles, "boilerplate": args.boilerplate}
