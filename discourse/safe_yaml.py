"""One bounded, safe way to read YAML (cleaning profiles, manifests, front matter, word lists).

YAML from users is untrusted: ``yaml.load`` can build arbitrary Python objects,
and even ``yaml.safe_load`` follows aliases, so a few hundred bytes ("billion
laughs": ten aliases of ten aliases of ...) describe a structure of 10^9 nodes
that exhausts memory as soon as anything walks it (hashing, provenance, JSON).
:func:`load_yaml` therefore

* constructs only plain data (the ``SafeLoader`` types);
* refuses a document over ``max_bytes`` (default 1 MB) before parsing it;
* refuses more than ``max_aliases`` alias uses (default 100) and a document
  whose aliases expand to more than ``max_nodes`` nodes (default 100,000),
  while composing, before anything is built;

and every refusal or syntax error is a ``ValueError`` naming the file.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, SequenceNode

__all__ = ["MAX_BYTES", "MAX_ALIASES", "MAX_NODES", "MANIFEST_MAX_BYTES", "load_yaml", "load_front_matter"]

MAX_BYTES = 1_000_000
MAX_ALIASES = 100
MAX_NODES = 100_000
MANIFEST_MAX_BYTES = 50_000_000  # a YAML manifest lists a whole corpus; larger ones belong in CSV/JSONL


class _Refused(Exception):
    """A bound was exceeded while composing."""


def _size(node: Node, memo: dict[int, int]) -> int:
    """Number of nodes ``node`` stands for once every alias in it is expanded."""
    key = id(node)
    if key not in memo:
        memo[key] = 1  # a recursive alias counts once rather than looping
        if isinstance(node, SequenceNode):
            memo[key] += sum(_size(child, memo) for child in node.value)
        elif isinstance(node, MappingNode):
            memo[key] += sum(_size(k, memo) + _size(v, memo) for k, v in node.value)
    return memo[key]


class _BoundedLoader(yaml.SafeLoader):
    """``SafeLoader`` that counts alias uses and their expanded size while composing."""

    max_aliases = MAX_ALIASES
    max_nodes = MAX_NODES

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(AliasEvent):
            anchor = self.peek_event().anchor
            self._aliases = getattr(self, "_aliases", 0) + 1
            if self._aliases > self.max_aliases:
                raise _Refused(f"more than {self.max_aliases} aliases (max_aliases={self.max_aliases})")
            if anchor in self.anchors:
                memo = self.__dict__.setdefault("_memo", {})
                self._expanded = getattr(self, "_expanded", 0) + _size(self.anchors[anchor], memo)
                if self._expanded > self.max_nodes:
                    raise _Refused(f"aliases expand to more than {self.max_nodes} nodes "
                                   f"(max_nodes={self.max_nodes}); an alias bomb?")
        return super().compose_node(parent, index)


def _check_size(name: str, size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise ValueError(f"{name}: {size:,} bytes is more than max_bytes={max_bytes:,}; "
                         "pass a larger max_bytes for a trusted file")


def load_yaml(source: str | bytes | Path, *, name: str | None = None, max_bytes: int = MAX_BYTES,
              max_aliases: int = MAX_ALIASES, max_nodes: int = MAX_NODES) -> Any:
    """Parse one YAML document safely and within bounds.

    Parameters
    ----------
    source : str, bytes or Path
        A :class:`~pathlib.Path` is read from disk (UTF-8); a ``str`` or ``bytes``
        is the YAML text itself.
    name : str, optional
        What to call the document in error messages (default: the path, or
        ``"YAML text"``).
    max_bytes, max_aliases, max_nodes : int
        Bounds on the document's size in bytes, on the number of alias uses
        (``*name``) and on the number of nodes once aliases are expanded; raise
        them for a trusted, larger file.

    Returns
    -------
    The plain data (dicts, lists, strings, numbers, dates, booleans, None).

    Raises
    ------
    ValueError
        Naming the file: too large, too many aliases, or not valid YAML.
    """
    if isinstance(source, Path):
        name = name or str(source)
        _check_size(name, source.stat().st_size, max_bytes)  # before reading it
        text: str | bytes = source.read_text(encoding="utf-8")
    else:
        name, text = name or "YAML text", source
    _check_size(name, len(text.encode("utf-8")) if isinstance(text, str) else len(text), max_bytes)
    loader = _BoundedLoader(text)
    loader.max_aliases, loader.max_nodes = max_aliases, max_nodes
    try:
        return loader.get_single_data()
    except _Refused as e:
        raise ValueError(f"{name}: YAML refused: {e}") from None
    except yaml.YAMLError as e:
        raise ValueError(f"{name}: not valid YAML ({e})") from None
    except RecursionError:
        raise ValueError(f"{name}: YAML nested too deeply to read") from None
    finally:
        loader.dispose()


def load_front_matter(text: str, *, name: str, max_bytes: int = MAX_BYTES,
                      max_aliases: int = MAX_ALIASES, max_nodes: int = MAX_NODES) -> tuple[dict, str]:
    """Split a ``---`` YAML header off ``text``: ``(metadata, body)``, read by :func:`load_yaml`.

    Text without a closed header comes back whole with no metadata (as
    python-frontmatter does). A header that is not a mapping, too large, an
    alias bomb or not valid YAML raises ``ValueError`` naming ``name``.
    """
    from frontmatter.default_handlers import YAMLHandler

    handler, text = YAMLHandler(), text.strip()
    if not handler.detect(text):
        return {}, text
    try:
        header, body = handler.split(text)
    except ValueError:  # no closing delimiter: no front matter
        return {}, text
    data = load_yaml(header, name=f"{name} front matter", max_bytes=max_bytes,
                     max_aliases=max_aliases, max_nodes=max_nodes)
    if data is None:
        return {}, body.strip()
    if not isinstance(data, dict):
        raise ValueError(f"{name} front matter: expected a mapping of field -> value, got {type(data).__name__}")
    return data, body.strip()
