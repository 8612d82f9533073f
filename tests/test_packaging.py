"""Set-up files agree: pyproject.toml is the source of truth for dependencies."""
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent


def _name(spec: str) -> str:
    """A requirement's project name, normalised (PEP 503): ``Charset_Normalizer>=3`` -> ``charset-normalizer``."""
    return re.sub(r"[-_.]+", "-", re.split(r"[<>=!~\[ ;]", spec.strip(), maxsplit=1)[0]).lower()


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _environment_names() -> set[str]:
    """Every package environment.yml installs: conda entries and a ``pip:`` section, if any."""
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert "conda-forge" in env["channels"]
    names = set()
    for dep in env["dependencies"]:
        names |= {_name(d) for d in (dep.get("pip", []) if isinstance(dep, dict) else [dep])}
    return names - {"python", "pip"}


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    """environment.yml (Binder, conda) = the runtime dependencies and every extra but ``dev``."""
    project = _project()["project"]
    extras = project["optional-dependencies"]
    assert {"notebooks", "reference", "dev"} <= set(extras)
    wanted = {_name(d) for d in project["dependencies"]}
    for extra, specs in extras.items():
        if extra != "dev":  # the test tools stay out of a Binder session
            wanted |= {_name(d) for d in specs}
    listed = _environment_names()
    assert not wanted - listed, f"missing from environment.yml: {sorted(wanted - listed)}"
    assert not listed - wanted, f"in environment.yml but not in pyproject.toml: {sorted(listed - wanted)}"
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    # a package not on conda-forge comes from PyPI through the file's `pip:` section, which needs pip
    if any(isinstance(e, dict) and e.get("pip") for e in env["dependencies"]):
        assert "pip" in env["dependencies"]
    # repo2docker installs the package itself after the environment, in postBuild
    post_build = (ROOT / "postBuild").read_text()
    assert "pip install" in post_build and "-e ." in post_build


def _imported_modules() -> dict[str, str]:
    """Top-level module -> first file importing it, over the package and the notebooks' code cells."""
    import ast

    sources = [(str(p.relative_to(ROOT)), p.read_text(encoding="utf-8")) for p in sorted((ROOT / "discourse").rglob("*.py"))]
    for nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
        lines = [ln for c in code for ln in c.splitlines() if not ln.lstrip().startswith(("%", "!"))]  # magics
        sources.append((str(nb.relative_to(ROOT)), "\n".join(lines)))
    found: dict[str, str] = {}
    for where, text in sources:
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], where)
    return {m: w for m, w in found.items() if m not in sys.stdlib_module_names and m != "discourse"}


def _with_requirements(names: set[str]) -> set[str]:
    """``names`` and everything they require, transitively (installed metadata; extras' requirements left out)."""
    from packaging.requirements import Requirement

    seen, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = importlib.metadata.requires(name) or []
        except importlib.metadata.PackageNotFoundError:
            continue
        for spec in requires:
            req = Requirement(spec)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(_name(req.name))
    return seen


def test_every_package_the_code_and_notebooks_import_is_in_environment_yml():
    """A Binder session can run every notebook and every code path: each third-party module imported by
    ``discourse/`` or a notebook comes from a package environment.yml lists (or one of their requirements)."""
    providers = importlib.metadata.packages_distributions()
    available = _with_requirements(_environment_names())
    missing = {}
    for module, where in _imported_modules().items():
        dists = {_name(d) for d in providers.get(module, [])}
        if not dists & available:
            missing[module] = (where, sorted(dists) or "not installed")
    assert not missing, f"imported but not in environment.yml (module: (first importer, package)): {missing}"
    assert {"wordfreq", "jinja2", "statsmodels"} <= _environment_names()  # the ones that were once missing


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "make test" in ci and "make test" in readme and "make report" in readme
    # `make test` runs in parallel and shows progress: test names with the share done, the slowest at the end
    flags = re.search(r"^PYTEST_FLAGS \?= (.*)$", (ROOT / "Makefile").read_text(), re.M).group(1).split()
    assert {"-n", "-v"} <= set(flags) and any(f.startswith("--durations") for f in flags)
    assert "$(BIN)/python -m pytest $(PYTEST_FLAGS)" in (ROOT / "Makefile").read_text()


# ----------------------------------------------------------------------------- the installed wheel
# Run by the fresh environment's interpreter, from a folder outside the repository.
_INSTALLED_CHECK = r'''
import json, sys
from pathlib import Path

import discourse as dc
from discourse.report import execute_notebook
from jupyter_client.manager import KernelManager

tokens = dc.load_sample()
freq = dc.frequencies(tokens, by="outlet")
nb = execute_notebook(sys.argv[1], {"corpus_path": str(dc.sample_corpus_path()),
                                    "export_dir": str(Path("tables").resolve())}, timeout=300)
errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
print(json.dumps({
    "file": dc.__file__, "sample": str(dc.sample_corpus_path()), "docs": tokens.n_docs,
    "freq_rows": len(freq), "errors": len(errors), "speeches": len(dc.load_speeches()),
    "kernel": KernelManager(kernel_name="python3").format_kernel_cmd()[0], "python": sys.executable,
}))
'''


def _site_packages(python: Path) -> str:
    out = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def _build_isolation_flags() -> list[str]:
    """Build offline with this environment's setuptools when it meets pyproject's ``[build-system] requires``
    (the dev extra asks for the same; 70.1 on builds wheels itself), else let pip fetch the build requirements."""
    from packaging.requirements import Requirement

    try:
        installed = importlib.metadata.version("setuptools")
    except importlib.metadata.PackageNotFoundError:
        return []
    requires = [Requirement(r) for r in _project()["build-system"]["requires"]]
    able = all(r.specifier.contains(installed) for r in requires if _name(r.name) == "setuptools")
    return ["--no-build-isolation"] if able else []


def test_setuptools_of_the_dev_extra_meets_the_build_requirement():
    """`make test` installs the dev extra, so the wheel test builds offline there; SPDX license (PEP 639)."""
    from packaging.requirements import Requirement

    project = _project()
    assert project["project"]["license"] == "MIT"  # an SPDX expression, not the deprecated table
    build = {_name(r): Requirement(r).specifier for r in project["build-system"]["requires"]}
    dev = {_name(r): Requirement(r).specifier for r in project["project"]["optional-dependencies"]["dev"]}
    assert str(build["setuptools"]) == str(dev["setuptools"]) == ">=77"
    assert "pytest-xdist" in dev  # `make test` runs with -n


def test_wheel_installs_a_working_package(tmp_path):
    """A wheel of the repository, installed in a fresh environment, reads its sample and runs a notebook."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    # Build from a copy: setuptools builds in the source tree (build/, *.egg-info).
    src = tmp_path / "src"
    top = {".git", ".venv", "build", "reports", "benchmarks", ".pytest_cache"}
    shutil.copytree(ROOT, src, symlinks=True, ignore=lambda d, names: [
        n for n in names if (Path(d) == ROOT and n in top) or n == "__pycache__" or n.endswith(".egg-info")])
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", *_build_isolation_flags(),
                    "--quiet", "--wheel-dir", str(dist)], cwd=tmp_path, env=env, check=True)
    wheel = next(dist.glob("discourse-*.whl"))

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=tmp_path, env=env, check=True)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--quiet",
                    str(wheel)], cwd=tmp_path, env=env, check=True)
    # Third-party packages from this interpreter's site-packages, without re-downloading them. A folder named
    # in a .pth file joins sys.path but its own .pth files (the repository's editable finder) are not run.
    site = Path(_site_packages(python))
    outer = dict.fromkeys(sysconfig.get_path(k) for k in ("purelib", "platlib"))
    (site / "outer_site_packages.pth").write_text("".join(f"{p}\n" for p in outer))

    work = tmp_path / "work"
    work.mkdir()
    notebook = shutil.copy(ROOT / "notebooks" / "01_quick_start.ipynb", work)
    (work / "check.py").write_text(_INSTALLED_CHECK)
    out = subprocess.run([str(python), "check.py", str(notebook)], cwd=work, env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    got = json.loads(out.stdout.strip().splitlines()[-1])
    installed = Path(got["file"]).resolve()
    assert installed.is_relative_to(venv.resolve()) and not installed.is_relative_to(ROOT)
    assert Path(got["sample"]).resolve().is_relative_to(venv.resolve())
    assert got["docs"] == 2 and got["freq_rows"] > 0 and got["errors"] == 0 and got["speeches"] == 124
    assert Path(got["kernel"]) == Path(got["python"]) == python  # the notebook ran on the fresh interpreter
