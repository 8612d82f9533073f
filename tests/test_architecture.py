"""The house rules, read from the source with ``ast``: no import circles, no private imports, short modules.

Data flows one way (sources -> corpus -> tokens -> analyses -> results -> views),
so the import graph of ``discourse/`` must be acyclic; no module reaches into
another's ``_private`` names; every module states its public surface in
``__all__``; no module grows past about 450 lines; HTML is built only by the
rendering layer's templates; public entry points validate through one module.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "discourse"
MAX_LINES = 450


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
TREES = {name: ast.parse(path.read_text(encoding="utf-8")) for name, path in MODULES.items()}


def _resolve(module: str, node: ast.ImportFrom) -> str:
    """The absolute module an ``ImportFrom`` names (relative imports resolved against ``module``)."""
    if node.level == 0:
        return node.module or ""
    package = module if MODULES[module].name == "__init__.py" else module.rsplit(".", 1)[0]
    base = package.split(".")
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(module: str) -> list[tuple[str, str | None, int]]:
    """(imported module, imported name or None, line) for every import of ``discourse`` code, at any depth."""
    out = []
    for node in ast.walk(TREES[module]):
        if isinstance(node, ast.Import):
            out += [(a.name, None, node.lineno) for a in node.names if a.name.split(".")[0] == "discourse"]
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, node)
            if target.split(".")[0] != "discourse":
                continue
            for a in node.names:
                sub = f"{target}.{a.name}"
                # "from . import report" imports a module; "from .x import y" a name of module x
                out.append((sub, None, node.lineno) if sub in MODULES else (target, a.name, node.lineno))
    return out


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for module in MODULES:
        for target, _, _ in _imports(module):
            while target not in MODULES and "." in target:  # a name inside a package's module
                target = target.rsplit(".", 1)[0]
            if target in MODULES and target != module:
                graph[module].add(target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected component with more than one module (Tarjan 1972), i.e. every import circle."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_cycle_finder_finds_a_planted_circle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert _cycles(graph) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_import_graph_has_no_circles():
    graph = _graph()
    # the package's own __init__ re-exports everything: a module importing it would close a circle
    assert _cycles(graph) == [], _cycles(graph)
    assert len(graph) > 30  # the walk found the package


def test_no_module_imports_another_modules_private_name():
    bad = [f"{module}:{line} imports {name} from {target}"
           for module in MODULES for target, name, line in _imports(module)
           if name is not None and name.startswith("_") and not name.startswith("__") and target != module]
    bad += [f"{module}:{line} imports the private module {target}"
            for module in MODULES for target, name, line in _imports(module)
            if any(part.startswith("_") and not part.startswith("__") for part in target.split(".")[1:])]
    assert bad == []


def test_every_module_declares_its_public_surface():
    missing = []
    for module, tree in TREES.items():
        names = {t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets
                 if isinstance(t, ast.Name)}
        if "__all__" not in names:
            missing.append(module)
    assert missing == []


def test_no_module_over_450_lines():
    long = {m: n for m, p in MODULES.items() if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_no_html_is_built_outside_the_rendering_layer():
    """html.escape (the sign of hand-built markup) appears only in discourse.render."""
    offenders = []
    for module, tree in TREES.items():
        if module.startswith("discourse.render"):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "escape" and getattr(node.value, "id", "") == "html":
                offenders.append(f"{module}:{node.lineno}")
            if isinstance(node, (ast.Import, ast.ImportFrom)) and any(a.name == "html" for a in node.names) \
                    and not (isinstance(node, ast.ImportFrom) and node.module):
                offenders.append(f"{module}:{node.lineno} imports html")
    assert offenders == []


def test_no_escaping_or_html_tables_outside_the_rendering_layer():
    """The other routes to hand-built markup stay in discourse.render too: ``from html import escape``,
    markupsafe and jinja2 (Markup, escape), and pandas' ``to_html`` (a table with no class for MathJax to skip)."""
    offenders = []
    for module, tree in TREES.items():
        if module.startswith("discourse.render"):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and (
                    node.module.split(".")[0] in ("markupsafe", "jinja2")
                    or node.module == "html" and any(a.name == "escape" for a in node.names)):
                offenders.append(f"{module}:{node.lineno} from {node.module} import")
            if isinstance(node, ast.Import) and any(a.name.split(".")[0] in ("markupsafe", "jinja2")
                                                    for a in node.names):
                offenders.append(f"{module}:{node.lineno} imports markupsafe/jinja2")
            if isinstance(node, ast.Attribute) and node.attr in ("to_html", "Markup"):
                offenders.append(f"{module}:{node.lineno} .{node.attr}")
    assert offenders == []


@pytest.mark.parametrize("module", ["discourse.keyness", "discourse.collocates", "discourse.dispersion",
                                    "discourse.ngrams", "discourse.tokenizer"])
def test_public_entries_validate_through_the_shared_module(module):
    assert any(target == "discourse.validation" for target, _, _ in _imports(module))
    source = MODULES[module].read_text(encoding="utf-8")
    assert "must be one of" not in source and "must be a non-negative integer" not in source
