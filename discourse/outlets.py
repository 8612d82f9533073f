"""The outlet registry: one normalised name per outlet, whatever spelling an archive export uses.

Nexis writes ``"The New York Times"`` one day and ``"The New York Times Blogs"``
the next, Factiva ``"Associated Press Newswires"``, ProQuest ``"New York Times
(Online)"``, Media Cloud a URL. Grouped as read, ``by="outlet"`` would split one
outlet into many. The registry (``discourse/data/outlets.yaml``, plain YAML
shipped with a starter list of major English-language outlets and wires) lists
each outlet's ``name``, its ``aliases``, its ``domains`` and optionally its
``kind`` and ``country``.

Matching (:meth:`OutletRegistry.match`), in this order, each with its rule:

* ``exact``: the value (after :func:`discourse.group_labels.normalise_label`:
  NFKC, invisible characters removed, whitespace collapsed) is a registered name;
* ``alias``: it is a registered alias, exactly;
* ``case-folded alias``: it equals a name or alias once both are case-folded and
  stripped of spaces, punctuation and a leading "The" (``"NEW YORK TIMES - NEWS"``);
* ``domain``: it is a URL or a bare host (``https://www.foxnews.com/politics/x``,
  ``edition.cnn.com``, ``cnn.com:443``) on a registered domain or one of its
  subdomains, the longest registered suffix winning; a look-alike
  (``notfoxnews.com``, ``foxnews.com.evil.net``) is not a subdomain and does not map;
* ``unmapped``: anything else, kept exactly as written and listed.

A user file (:func:`load_outlets`) has the same shape. Merge rule: it *extends*
the shipped list (``extend: false`` at its top level uses it alone); an entry whose
name matches a shipped one adds its aliases and domains to it and replaces its
``kind``/``country`` when given; an entry with a new name is added; an alias or
domain the user file gives to one outlet is taken from any shipped outlet that
also claims it (the user wins). Within one file an alias or domain claimed by
two outlets is an error naming the file and both keys.

In :func:`discourse.read_corpus` the registry is the ``outlets=`` option, applied
to the ``outlet`` column by :mod:`discourse.group_labels` (after ``aliases``):
every raw name is listed in ``corpus.report.labels`` with its rule, and a missing
outlet is taken from the domain of the ``url`` column (reported).
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Mapping, NamedTuple
from urllib.parse import urlsplit

import pandas as pd

from .group_labels import normalise_label
from .safe_yaml import MAX_BYTES, load_yaml
from .validation import check_choice

__all__ = ["DEFAULT_FILE", "RULES", "OUTLET_COLUMNS", "Outlet", "OutletRegistry", "OutletMapping",
           "load_outlets", "check_outlets", "normalise_outlets", "outlet_key", "url_host"]

DEFAULT_FILE = "discourse/data/outlets.yaml"
RULES = ("exact", "alias", "case-folded alias", "domain", "unmapped")
OUTLET_COLUMNS = ["raw", "outlet", "rule", "documents"]
_FIELDS = {"name", "aliases", "domains", "kind", "country"}
_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}\.?(?::\d{1,5})?(?:[/?#]\S*)?$", re.I)
_LEADING_THE = re.compile(r"^the\s+", re.I)


def outlet_key(value: str) -> str:
    """The comparison key of a name: normalised, case-folded, leading "The" and every non-alphanumeric dropped."""
    text = _LEADING_THE.sub("", normalise_label(value)).casefold()
    return "".join(c for c in text if c.isalnum())


def url_host(value: Any) -> str | None:
    """The host of a URL or bare host (``https://www.cnn.com/x`` or ``edition.cnn.com:443``), lower case; else None."""
    if not isinstance(value, str):
        return None
    text = normalise_label(value)
    if not text or " " in text:
        return None
    if "://" in text or text.startswith("//"):
        try:
            host = urlsplit(text if "://" in text else "http:" + text).hostname
        except ValueError:
            return None
    elif _HOST.match(text):
        host = re.split(r"[:/?#]", text, maxsplit=1)[0]
    else:
        return None
    host = (host or "").rstrip(".").lower()
    return host or None


def _domain(value: str) -> str:
    return value.strip().lower().rstrip(".").removeprefix("www.")


@dataclass(frozen=True)
class Outlet:
    """One outlet: its normalised ``name``, ``aliases``, ``domains``, ``kind`` and ``country``."""

    name: str
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    kind: str | None = None
    country: str | None = None


class OutletMapping(NamedTuple):
    """:func:`normalise_outlets`' result: per value the ``outlet`` and ``rule``; ``table`` per distinct raw value."""

    outlet: pd.Series
    rule: pd.Series
    table: pd.DataFrame


class OutletRegistry:
    """Outlets by name, alias key and domain (see the module notes); ``files`` and ``sha256`` for provenance."""

    def __init__(self, outlets: Iterable[Outlet], files: Iterable[str] = ()) -> None:
        self.outlets = tuple(outlets)
        self.files = tuple(files)
        self._names = {o.name for o in self.outlets}
        self._aliases = {normalise_label(a): o.name for o in self.outlets for a in o.aliases}
        self._keys: dict[str, str] = {}
        for o in self.outlets:  # an entry's own name beats another entry's alias of the same key
            self._keys.update({outlet_key(a): o.name for a in o.aliases if outlet_key(a)})
        self._keys.update({outlet_key(o.name): o.name for o in self.outlets})
        self._domains = {d: o.name for o in self.outlets for d in o.domains}
        canonical = [[o.name, list(o.aliases), list(o.domains), o.kind, o.country] for o in self.outlets]
        self.sha256 = hashlib.sha256(json.dumps(canonical, ensure_ascii=False).encode("utf-8")).hexdigest()

    def __len__(self) -> int:
        return len(self.outlets)

    def __repr__(self) -> str:
        return f"OutletRegistry({len(self)} outlets from {', '.join(self.files) or 'memory'})"

    def params(self) -> dict[str, Any]:
        """What ``corpus.params["outlets"]`` records: the files read, the number of outlets, a hash of the entries."""
        return {"files": list(self.files), "outlets": len(self), "sha256": self.sha256}

    host = staticmethod(url_host)

    def from_domain(self, value: Any) -> str | None:
        """The outlet whose registered domain is the host of ``value`` or a suffix of it at a dot; else None."""
        host = url_host(value)
        if host is None:
            return None
        parts = host.split(".")
        for i in range(len(parts) - 1):  # longest suffix first: news.sky.com before sky.com
            name = self._domains.get(".".join(parts[i:]))
            if name is not None:
                return name
        return None

    def match(self, value: Any, domains: bool = True) -> tuple[Any, str]:
        """``(outlet, rule)`` for one raw value; an unmapped value comes back as written (rule ``unmapped``)."""
        if not isinstance(value, str):
            return value, "unmapped"
        label = normalise_label(value)
        if label in self._names:
            return label, "exact"
        if label in self._aliases:
            return self._aliases[label], "alias"
        key = outlet_key(label)
        if key and key in self._keys:
            return self._keys[key], "case-folded alias"
        name = self.from_domain(label) if domains else None
        return (name, "domain") if name is not None else (value, "unmapped")


def normalise_outlets(values: Iterable[Any], registry: OutletRegistry, *, domains: bool = True) -> OutletMapping:
    """Each raw outlet value read through ``registry``: its outlet, its rule and a table of the distinct values.

    Parameters
    ----------
    values : iterable
        Outlet names as read (strings; anything else is unmapped and kept).
    registry : OutletRegistry
        From :func:`load_outlets`.
    domains : bool
        Map URLs and hosts by their registered domain (rule ``domain``).

    Returns
    -------
    OutletMapping
        ``outlet`` and ``rule`` aligned with ``values``; ``table`` with one row per distinct
        raw value (raw, outlet, rule, documents) in the order first met. Unmapped values keep
        their spelling: nothing is changed that the registry does not name.
    """
    check_choice("domains", domains, [True, False])
    if not isinstance(registry, OutletRegistry):
        raise ValueError(f"registry must be an OutletRegistry (from discourse.outlets.load_outlets), not {registry!r}")
    raw = pd.Series(list(values), dtype=object) if not isinstance(values, pd.Series) else values.astype(object)
    found = {v: registry.match(v, domains) for v in dict.fromkeys(raw[raw.map(lambda v: isinstance(v, str))])}
    outlet = raw.map(lambda v: found[v][0] if v in found else v)
    rule = raw.map(lambda v: found[v][1] if v in found else "unmapped")
    counts = raw.value_counts(sort=False, dropna=True)
    table = pd.DataFrame([{"raw": v, "outlet": o, "rule": r, "documents": int(counts.get(v, 0))}
                          for v, (o, r) in found.items()], columns=OUTLET_COLUMNS)
    return OutletMapping(outlet, rule, table)


# --------------------------------------------------------------------------------------------- loading
def _shape_error(where: str, key: str, expected: str, got: Any) -> ValueError:
    return ValueError(f"{where}: {key}: expected {expected}, got {got!r}"[:500])


def _texts(where: str, key: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _shape_error(where, key, "a list of names (text)", value)
    for i, item in enumerate(value):
        if not isinstance(item, str) or not normalise_label(item):
            raise _shape_error(where, f"{key}[{i}]", "a name (text)", item)
    return tuple(normalise_label(v) for v in value)


def _check_file(config: Any, where: str) -> tuple[list[Outlet], bool]:
    """The entries of one registry file, checked key by key (errors name ``where`` and the key path)."""
    if not isinstance(config, Mapping) or "outlets" not in config:
        raise _shape_error(where, "top level", "a mapping with `outlets:` (a list of outlets)", config)
    extra = sorted(set(config) - {"outlets", "extend"})
    if extra:
        raise ValueError(f"{where}: top level: unknown key {extra[0]!r} (expected `outlets:` and optionally `extend:`)")
    extend = config.get("extend", True)
    if not isinstance(extend, bool):
        raise _shape_error(where, "extend", "true or false", extend)
    items = config["outlets"]
    if not isinstance(items, list):
        raise _shape_error(where, "outlets", "a list of outlets", items)
    out: list[Outlet] = []
    claimed: dict[str, str] = {}  # alias key or domain -> the key path that claimed it
    for i, item in enumerate(items):
        key = f"outlets[{i}]"
        if not isinstance(item, Mapping) or not isinstance(item.get("name"), str) or not normalise_label(item["name"]):
            raise _shape_error(where, key if not isinstance(item, Mapping) else f"{key}.name",
                               "a mapping with `name:` (text)", item if not isinstance(item, Mapping) else item.get("name"))
        unknown = sorted(set(item) - _FIELDS)
        if unknown:
            raise ValueError(f"{where}: {key}.{unknown[0]}: unknown key (expected one of {sorted(_FIELDS)})")
        for field in ("kind", "country"):
            if item.get(field) is not None and not isinstance(item[field], str):
                raise _shape_error(where, f"{key}.{field}", "text", item[field])
        aliases = _texts(where, f"{key}.aliases", item.get("aliases"))
        domains = _texts(where, f"{key}.domains", item.get("domains"))
        for j, d in enumerate(domains):
            if not _HOST.match(d) or any(c in d for c in ":/?#"):
                raise _shape_error(where, f"{key}.domains[{j}]", "a domain such as foxnews.com", d)
        name = normalise_label(item["name"])
        claims = [(outlet_key(name), f"{key}.name")]
        claims += [(outlet_key(a), f"{key}.aliases[{j}]") for j, a in enumerate(aliases)]
        claims += [("domain " + _domain(d), f"{key}.domains[{j}]") for j, d in enumerate(domains)]
        for claim, path in claims:
            first = claimed.setdefault(claim, path)
            if first != path and not first.startswith(f"{key}."):
                raise ValueError(f"{where}: {path}: {claim.removeprefix('domain ')!r} is already claimed by {first}")
        out.append(Outlet(name, aliases, tuple(dict.fromkeys(map(_domain, domains))), item.get("kind"),
                          item.get("country")))
    return out, extend


def _merge(shipped: list[Outlet], user: list[Outlet]) -> list[Outlet]:
    """The user's entries over the shipped ones (the module notes' merge rule)."""
    mine_keys = {outlet_key(a) for o in user for a in (o.name, *o.aliases)}
    mine_domains = {d for o in user for d in o.domains}
    by_key = {outlet_key(o.name): o for o in user}
    merged = []
    for o in shipped:
        extra = by_key.pop(outlet_key(o.name), None)
        aliases = [a for a in o.aliases if outlet_key(a) not in mine_keys]
        domains = [d for d in o.domains if d not in mine_domains]
        if extra is not None:
            aliases += extra.aliases
            domains += extra.domains
            o = Outlet(o.name, (), (), extra.kind or o.kind, extra.country or o.country)
        merged.append(Outlet(o.name, tuple(dict.fromkeys(aliases)), tuple(dict.fromkeys(domains)), o.kind, o.country))
    return merged + list(by_key.values())


def load_outlets(path: str | Path | None = None, *, max_bytes: int = MAX_BYTES) -> OutletRegistry:
    """The outlet registry: the shipped ``discourse/data/outlets.yaml``, extended by a user file.

    Parameters
    ----------
    path : str or Path, optional
        A registry file of the same shape (``outlets:`` a list of ``name``, ``aliases``,
        ``domains``, ``kind``, ``country``), merged over the shipped list by the rule in the
        module notes (``extend: false`` in it: used alone). ``None`` or ``"default"``: the shipped list.
    max_bytes : int
        Bound on the file's size (read by :func:`discourse.safe_yaml.load_yaml`).

    Raises
    ------
    ValueError
        Naming the file and the key of a malformed entry (``my.yaml: outlets[2].aliases[0]: ...``).
    """
    text = resources.files("discourse").joinpath("data/outlets.yaml").read_text("utf-8")
    shipped, _ = _check_file(load_yaml(text, name=DEFAULT_FILE, max_bytes=max_bytes), DEFAULT_FILE)
    if path is None or str(path) == "default":
        return OutletRegistry(shipped, [DEFAULT_FILE])
    if not Path(path).is_file():
        raise FileNotFoundError(f"no such outlet registry file: {path}")
    user, extend = _check_file(load_yaml(Path(path), max_bytes=max_bytes), str(path))
    if not extend:
        return OutletRegistry(user, [str(path)])
    return OutletRegistry(_merge(shipped, user), [DEFAULT_FILE, str(path)])


def check_outlets(outlets: Any) -> OutletRegistry | None:
    """``read_corpus``'s ``outlets=``: None/False (off), True/"default" (shipped), a path, or a registry."""
    if outlets is None or outlets is False:
        return None
    if outlets is True:
        return load_outlets()
    if isinstance(outlets, OutletRegistry):
        return outlets
    if isinstance(outlets, (str, Path)) and str(outlets).strip():
        return load_outlets(outlets)
    raise ValueError(f"outlets must be True or 'default' (the shipped registry), a registry file, an OutletRegistry "
                     f"or None, not {outlets!r}")
