"""Cleaning rules and profiles: the YAML file loaded and checked, each pattern compiled with RE2.

RE2 (Cox 2010) matches in time linear in the text, so a user's pattern cannot
hang on hostile input; a pattern RE2 cannot compile, or a file of the wrong
shape, is an error naming the file and the key.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any, Mapping

import re2

from .safe_yaml import MAX_BYTES, load_yaml

__all__ = ["KINDS", "PATTERN_KINDS", "load_profiles", "compile_rule"]

KINDS = {"line", "span", "block", "title", "duplicate"}
PATTERN_KINDS = {"line", "span", "block"}  # the kinds that carry a ``pattern:``
_DEFAULT_FILE = "discourse/data/cleaning.yaml"
_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.log_errors = False  # the error reaches the user as a ValueError, not on stderr


def load_profiles(profiles: str | Path | Mapping = "default", *, max_bytes: int = MAX_BYTES) -> dict:
    """Load a cleaning configuration: ``"default"`` (the shipped file), a YAML path, or a dict.

    Returns a dict with ``rules`` (name -> rule) and ``profiles`` (name -> profile).
    The YAML is read by :func:`discourse.safe_yaml.load_yaml` (safe types only,
    at most ``max_bytes``, bounded aliases). Every pattern is compiled with RE2
    (google-re2), which matches in time linear in the text, so no rule can hang
    on a document; RE2 has no back-references or look-around. A configuration
    of the wrong shape, an unknown rule kind, a pattern RE2 cannot compile or a
    profile naming an undefined rule raises ``ValueError`` naming the file and
    the key (``my_rules.yaml: profiles.RT.rules[2]: ...``).
    """
    if not isinstance(profiles, (str, Path)):
        where, config = f"cleaning profiles ({type(profiles).__name__})", profiles
    elif str(profiles) == "default":
        where = _DEFAULT_FILE
        config = load_yaml(resources.files("discourse").joinpath("data/cleaning.yaml").read_text("utf-8"),
                           name=where, max_bytes=max_bytes)
    else:
        where = str(profiles)
        config = load_yaml(Path(profiles), max_bytes=max_bytes)
    return _check_config(config, where)


def _shape_error(where: str, key: str, expected: str, got: Any) -> ValueError:
    return ValueError(f"{where}: {key}: expected {expected}, got {got!r}"[:500])


def _check_config(config: Any, where: str) -> dict:
    """The configuration checked key by key; errors name ``where`` and the key path."""
    if not isinstance(config, Mapping):
        raise _shape_error(where, "top level", "a mapping with `rules:` and `profiles:`", config)
    if "rules" not in config:
        raise ValueError(f"{where}: rules: missing (a mapping of rule name -> rule)")
    rules, profs = config["rules"] or {}, config.get("profiles") or {}
    if not isinstance(rules, Mapping):
        raise _shape_error(where, "rules", "a mapping of rule name -> rule", rules)
    if not isinstance(profs, Mapping):
        raise _shape_error(where, "profiles", "a mapping of profile name -> profile", profs)
    for name, rule in rules.items():
        key = f"rules.{name}"
        if not isinstance(name, str):
            raise _shape_error(where, key, "a rule name (text)", name)
        if not isinstance(rule, Mapping):
            raise _shape_error(where, key, "a mapping with `kind:` (and `pattern:`)", rule)
        if rule.get("kind") not in KINDS:
            raise ValueError(f"{where}: {key}.kind: kind must be one of {sorted(KINDS)}, got {rule.get('kind')!r}")
        if rule["kind"] in PATTERN_KINDS:
            pattern = rule.get("pattern")
            if not isinstance(pattern, str) or not pattern:
                raise ValueError(f"{where}: {key}.pattern: invalid or missing pattern "
                                 f"(expected a regular expression as text, got {pattern!r})")
            try:
                re2.compile(pattern, _RE2_OPTIONS)  # alone, so RE2's reason quotes the user's text
            except re2.error as e:
                reason = e.args[0].decode("utf-8", "replace") if e.args and isinstance(e.args[0], bytes) else e
                raise ValueError(f"{where}: {key}.pattern: invalid or missing pattern: RE2 cannot compile "
                                 f"{pattern!r}: {reason} (RE2 has no back-references or look-around)") from None
    for name, prof in profs.items():
        key = f"profiles.{name}"
        if not isinstance(prof, Mapping):
            raise _shape_error(where, key, "a mapping with `rules:` (and `match:`)", prof)
        names = prof.get("rules") or []
        if not isinstance(names, list):
            raise _shape_error(where, f"{key}.rules", "a list of rule names", names)
        for i, r in enumerate(names):
            if not isinstance(r, str):
                raise _shape_error(where, f"{key}.rules[{i}]", "a rule name (text)", r)
        match = prof.get("match") or {}
        if not isinstance(match, Mapping):
            raise _shape_error(where, f"{key}.match", "a mapping of metadata column -> value(s)", match)
        for col, v in match.items():
            if isinstance(v, (Mapping, set)) or (isinstance(v, list) and any(isinstance(x, (Mapping, list)) for x in v)):
                raise _shape_error(where, f"{key}.match.{col}", "a value or a list of values", v)
        missing = [r for r in names if r not in rules]
        if missing:
            raise ValueError(f"{where}: {key}.rules: profile {name!r} names undefined rules {missing}")
    return {"rules": dict(rules), "profiles": dict(profs)}


def compile_rule(pattern: str, line: bool = False) -> "re2._Regexp":
    """A rule's pattern compiled with RE2, multi-line (``^``/``$`` at line ends).

    A ``line`` rule takes its line break with it. Raises ``re2.error`` when
    RE2 cannot compile the pattern.
    """
    if line:
        pattern = f"(?:{pattern})" + r"\n?"
    return re2.compile("(?m)" + pattern, _RE2_OPTIONS)
