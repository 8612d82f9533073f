"""``discourse explore``: an interactive explorer of a corpus (or a store) written as one offline HTML page.

::

    discourse explore corpus/ --kind keyness --by outlet --out keyness.html
    discourse explore corpus.jsonl --kind keyness --target RT --reference "TFI Post" --out rt.html
    discourse explore news.store --kind kwic --query "russia*" --out russia.html

``CORPUS`` is what every analysis reads, or a store folder (with ``store.json``,
:func:`discourse.build_store`), opened as it is. The page is written by
:meth:`discourse.explore.page.Explorer.save`; its caps are the library's
defaults unless given (``--top``, ``--linked``, ``--lines``, ``--limit``).
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, Callable

__all__ = ["register", "cmd_explore", "KINDS"]

KINDS = ("keyness", "kwic")


def _corpus(args: argparse.Namespace, say: Any, load: Callable) -> Any:
    """A store folder opened as it is, or the corpus read, cleaned and tokenized as by every analysis."""
    from .store import open_store
    from .store.format import MANIFEST

    if (Path(args.corpus) / MANIFEST).is_file():
        say(f"opening the store {args.corpus}")
        return open_store(args.corpus)
    return load(args, say)[1]


def cmd_explore(args: argparse.Namespace, say: Any, load: Callable, notice: Callable) -> int:
    from . import explore

    out = Path(args.out)
    if out.suffix.lower() not in (".html", ".htm"):
        raise ValueError(f"the explorer is an HTML page: --out must end in .html, not {args.out!r}")
    if args.kind == "kwic" and not args.query:
        raise ValueError("--kind kwic needs --query (a word, phrase or wildcard)")
    tokens = _corpus(args, say, load)
    say(f"building the {args.kind} explorer")
    given = {k: getattr(args, k) for k in ("top", "linked", "lines", "limit") if getattr(args, k) is not None}
    if args.kind == "keyness":
        if "limit" in given:
            raise ValueError("--limit applies to --kind kwic (lines embedded); keyness has --top, --linked, --lines")
        page = explore.explore_keyness(tokens, args.target, args.reference, by=args.by, seed=args.seed,
                                       **given)
    else:
        extra = [k for k in ("top", "linked", "lines") if k in given]
        if extra or args.target is not None:
            raise ValueError(f"--{(extra or ['target'])[0]} applies to --kind keyness")
        query = args.query if len(args.query) > 1 else args.query[0]
        page = explore.explore_kwic(tokens, query, by=args.by, seed=args.seed, **given)
    page.save(out)
    notice(f"wrote {out} ({page.size_bytes / 1e6:.1f} MB; {'; '.join(explore.caps_lines(page.attrs['caps']))})")
    return 0


def register(sub: Any, add: Callable, load: Callable, notice: Callable) -> None:
    """Add ``explore`` (the corpus options of every analysis) to ``sub``; ``add``, ``load`` and ``notice`` are
    the command line's shared steps (:mod:`discourse.cli`)."""
    p = add("explore", lambda args, say: cmd_explore(args, say, load, notice),
            "an interactive explorer (keyness, or a concordance browser) as one standalone offline HTML page")
    p.add_argument("--kind", choices=KINDS, default="keyness", help="explorer (default: keyness)")
    p.add_argument("--out", required=True, metavar="FILE.html", help="the page to write")
    p.add_argument("--by", default="outlet", help="grouping column (default: outlet)")
    p.add_argument("--target", default=None, help="keyness: target group (default: every group against the rest)")
    p.add_argument("--reference", default="rest", help="keyness: reference group, 'rest' (default) or 'pairwise'")
    p.add_argument("--query", nargs="+", metavar="TERM", help="kwic: the node (one query, or a term group)")
    p.add_argument("--top", type=int, default=None, help="keyness: terms placed per comparison (default 1000)")
    p.add_argument("--linked", type=int, default=None, help="keyness: terms with concordance lines (default 100)")
    p.add_argument("--lines", type=int, default=None, help="keyness: lines a side per term (default 10)")
    p.add_argument("--limit", type=int, default=None, help="kwic: lines embedded (default 2000)")
    p.add_argument("--seed", type=int, default=0, help="seed of the line samples (default 0)")
