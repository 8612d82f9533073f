"""Set-up files agree: pyproject.toml is the source of truth for dependencies."""
import importlib.metadata
import importlib.util
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
    return re.split(r"[<>=!~\[ ]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(d) for d in project["dependencies"]} | {_name(d) for d in project["optional-dependencies"]["notebooks"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert "conda-forge" in env["channels"]
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    # a package not on conda-forge comes from PyPI through the file's `pip:` section
    from_pypi = [d for e in env["dependencies"] if isinstance(e, dict) for d in e.get("pip", [])]
    assert not from_pypi or "pip" in conda
    listed = {_name(d) for d in conda + from_pypi} - {"python", "pip"}
    assert listed == wanted
    # repo2docker installs the package itself after the environment, in postBuild
    post_build = (ROOT / "postBuild").read_text()
    assert "pip install" in post_build and "-e ." in post_build


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "make test" in ci and "make test" in readme and "make report" in readme


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
    """Build offline with this environment's setuptools when it can build wheels (70.1 on, or with the
    ``wheel`` package; the dev extra brings it), else let pip fetch pyproject's build requirements."""
    try:
        setuptools = tuple(int(p) for p in importlib.metadata.version("setuptools").split(".")[:2])
    except (importlib.metadata.PackageNotFoundError, ValueError):
        return []
    able = setuptools >= (70, 1) or importlib.util.find_spec("wheel") is not None
    return ["--no-build-isolation"] if able else []


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
