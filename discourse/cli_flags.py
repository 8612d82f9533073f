"""Library messages in the command line's terms: ``text_column=...`` is ``--text-column ...`` there.

The analyses word their errors and hints for Python callers ("pass
text_column=... to name it"); the ``discourse`` command shows the same message
with its own flag names. One mapping does it: every option of a subcommand's
parser by its dest, plus the few library names that differ from the flag.
"""
from __future__ import annotations

import argparse
import re
import shlex

__all__ = ["flag_names", "flag_wording"]

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
