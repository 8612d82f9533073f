"""Provenance: what was analysed, with which software and parameters, and how to cite it.

Every notebook ends with :func:`provenance`, which gathers

* the versions of Python and of the packages the analysis depends on;
* the notebook parameters;
* a SHA-256 fingerprint of the corpus (metadata plus texts), so a reader can
  check that a report was computed on exactly the corpus they hold;
* a methods paragraph generated from the ``.attrs`` of the result tables
  (:func:`discourse.methods.methods_paragraph`): it names each statistic, gives
  its parameters and cites its source, ready to be adapted for a paper's methods section.
"""
from __future__ import annotations

import json
import platform
from dataclasses import dataclass, field
from importlib import metadata as _metadata
from typing import Any, Iterable, Mapping

import pandas as pd

from .corpus import corpus_hash
from .methods import methods_paragraph
from .render import render

__all__ = ["CORE_PACKAGES", "package_versions", "Provenance", "provenance"]

CORE_PACKAGES = ("discourse", "numpy", "scipy", "pandas", "gensim", "nltk", "simplemma",
                 "matplotlib", "seaborn", "networkx")


# --------------------------------------------------------------------------- versions
def package_versions(packages: Iterable[str] = CORE_PACKAGES) -> dict[str, str]:
    """Installed versions of Python and of ``packages`` ("not installed" when absent)."""
    out = {"python": platform.python_version()}
    for name in packages:
        try:
            out[name] = _metadata.version(name)
        except _metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out



# --------------------------------------------------------------------------- the provenance record
@dataclass
class Provenance:
    """Versions, parameters, corpus fingerprint and methods paragraph of one analysis.

    Displays as a small HTML section in Jupyter; ``to_dict``/``to_json`` give a
    machine-readable record (e.g. to archive with the exported tables).
    """

    versions: dict[str, str]
    parameters: dict[str, Any]
    corpus_hash: str | None
    methods: str
    references: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"versions": self.versions, "parameters": self.parameters,
                "corpus_sha256": self.corpus_hash, "methods": self.methods, "references": self.references}

    def to_json(self, path: Any = None) -> str:
        text = json.dumps(self.to_dict(), indent=2, ensure_ascii=False, default=str)
        if path is not None:
            from pathlib import Path

            Path(path).write_text(text + "\n", encoding="utf-8")
        return text

    def __repr__(self) -> str:
        versions = ", ".join(f"{k} {v}" for k, v in self.versions.items())
        params = ", ".join(f"{k}={v!r}" for k, v in self.parameters.items())
        refs = "\n".join(f"  {r}" for r in self.references)
        return (f"Provenance\n  software: {versions}\n  parameters: {params}\n"
                f"  corpus SHA-256: {self.corpus_hash}\nMethods\n  {self.methods}\nReferences\n{refs}")

    def _repr_html_(self) -> str:
        return render("provenance.html.j2", provenance=self)


def provenance(parameters: Mapping[str, Any] | None = None, *, results: Iterable[pd.DataFrame] = (),
               tokens: Any = None, corpus: Any = None,
               packages: Iterable[str] = CORE_PACKAGES) -> Provenance:
    """Collect the provenance of an analysis (the last cell of every notebook).

    Parameters
    ----------
    parameters : mapping
        The notebook's parameters (corpus path, grouping column, seed ...).
    results : iterable of DataFrame
        The result tables shown; the methods paragraph is generated from their ``attrs``.
    tokens, corpus : optional
        The data analysed; fingerprinted with :func:`corpus_hash` (``corpus``
        preferred: it hashes the raw texts as read). Their group-label read options
        ``aliases``, ``case_merge`` and ``outlets`` (the registry's files and hash), when set, are added to the parameters.
    packages : iterable of str
        Packages whose versions are recorded.
    """
    data = corpus if corpus is not None else tokens
    parameters = {str(k): v for k, v in (parameters or {}).items()}
    read = getattr(data, "params", None) or {}
    for key in ("aliases", "case_merge", "outlets"):  # group-label read options that change the groups: recorded when set
        if read.get(key):
            parameters.setdefault(key, read[key])
    text, refs = methods_paragraph(results, tokens=tokens, corpus=corpus)
    return Provenance(versions=package_versions(packages),
                      parameters=parameters,
                      corpus_hash=None if data is None else corpus_hash(data),
                      methods=text, references=refs)
