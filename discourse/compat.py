"""Peer presets: ``compat="quanteda"`` sets every convention of one tool at once.

Tools disagree on conventions of the same statistic (Yates' correction, zero frequencies, the
window count, the sample or population SD...). Each convention is a named option of the analysis
(documented there with the tool, version and source it follows); a preset here is only a mapping
from those options to the values one tool uses, so ``keyness(tokens, compat="quanteda")`` is
``keyness(tokens, yates=..., ...)`` with the values below. Options the caller passes explicitly win
over the preset; the preset's name and the options it set are recorded in the result's
``attrs["params"]["compat"]``.

The presets are grouped per analysis (one dict a verb), and the conventions page
(``docs/conventions.md``) tabulates them with their sources.
"""
from __future__ import annotations

import functools
import inspect
from typing import Any, Callable, TypeVar

from .validation import check_choice

__all__ = ["TOOLS", "PRESETS", "preset", "with_compat", "compat_record"]

TOOLS = ("quanteda", "wordsmith", "cqpweb", "sketchengine", "wordless")

# --- keyness (dc.keyness): option -> value, per tool ------------------------------------------
_KEYNESS: dict[str, dict[str, Any]] = {tool: {} for tool in TOOLS}

# --- collocates (dc.collocates) ---------------------------------------------------------------
_COLLOCATES: dict[str, dict[str, Any]] = {tool: {} for tool in TOOLS}

# --- dispersion (dc.dispersion) ---------------------------------------------------------------
_DISPERSION: dict[str, dict[str, Any]] = {tool: {} for tool in TOOLS}

PRESETS: dict[str, dict[str, dict[str, Any]]] = {
    "keyness": _KEYNESS,
    "collocates": _COLLOCATES,
    "dispersion": _DISPERSION,
}

F = TypeVar("F", bound=Callable[..., Any])


def preset(compat: str, verb: str) -> dict[str, Any]:
    """The options ``compat`` sets for ``verb`` (a copy); ``ValueError`` for an unknown tool."""
    check_choice("compat", compat, TOOLS)
    return dict(PRESETS[verb][compat])


def compat_record(compat: str | None, applied: dict[str, Any]) -> dict[str, Any] | None:
    """What goes into ``attrs["params"]["compat"]``: the tool and the options its preset set."""
    return None if compat is None else {"tool": compat, "options": dict(applied)}


def with_compat(verb: str) -> Callable[[F], F]:
    """Give an analysis a ``compat=`` keyword: fill the options the caller did not pass from the preset.

    Which options were passed is read from the call itself (``inspect.Signature.bind_partial``), so an
    explicit argument equal to the default still wins over the preset. The wrapped function declares a
    keyword ``_compat=None`` and receives :func:`compat_record` in it, to record in its ``attrs``; the
    public signature shows it as ``compat``.
    """
    def decorate(func: F) -> F:
        signature = inspect.signature(func)
        public = [p.replace(name="compat") if p.name == "_compat" else p for p in signature.parameters.values()]

        @functools.wraps(func)
        def wrapper(*args: Any, compat: str | None = None, **kwargs: Any) -> Any:
            applied: dict[str, Any] = {}
            if compat is not None:
                given = signature.bind_partial(*args, **kwargs).arguments
                applied = {k: v for k, v in preset(compat, verb).items() if k not in given}
                kwargs.update(applied)
            return func(*args, _compat=compat_record(compat, applied), **kwargs)

        wrapper.__signature__ = signature.replace(parameters=public)  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate
