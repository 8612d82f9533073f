"""Confinement: every path a corpus names resolves inside the corpus folder.

A manifest's ``source_file`` and the files found in a corpus folder are data,
not instructions: a row naming ``../secret.txt``, ``/etc/passwd``, ``C:\\x`` or
``sub/../../x``, or a file in the folder that is a symbolic link to somewhere
else, would otherwise make the reader take in text from outside the corpus
without a word. Paths are resolved (symbolic links followed) and compared with
the resolved corpus folder, which may itself be a link. A path outside raises
:class:`PathOutsideCorpus` unless ``allow_outside=True``; a dangling or looping
link raises :class:`BrokenLink`. The readers skip such a file and report it.
"""
from __future__ import annotations

import errno
import os
import posixpath
from pathlib import Path, PurePosixPath, PureWindowsPath

from .corpus import ReadReport

__all__ = ["OUTSIDE", "PathOutsideCorpus", "BrokenLink", "confined", "escape_reason", "folder_files",
           "outside_reason"]

OUTSIDE = "outside the corpus folder"  # the start of every refusal message


class PathOutsideCorpus(ValueError):
    """A path named by the corpus resolves outside the corpus folder."""


class BrokenLink(ValueError):
    """A symbolic link whose target does not exist (dangling) or that leads back to itself (looping)."""


def _resolve(path: Path) -> Path:
    """``path`` with every link followed; :class:`BrokenLink` for a dangling or looping link.

    A plain missing file is returned as it is (the caller reports it as missing).
    """
    try:
        return path.resolve(strict=True)
    except FileNotFoundError:
        # dangling when a link on the way exists but its target does not
        probe = path
        while probe != probe.parent:
            if probe.is_symlink() and not probe.exists():
                raise BrokenLink(f"dangling symbolic link: {probe.name!r} points to "
                                 f"{os.readlink(probe)!r}, which does not exist") from None
            probe = probe.parent
        return path.resolve(strict=False)
    except RuntimeError:  # Python < 3.13: "Symlink loop"
        raise BrokenLink(f"looping symbolic link: {path.name!r} leads back to itself") from None
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise BrokenLink(f"looping symbolic link: {path.name!r} leads back to itself") from None
        raise


def escape_reason(name: str) -> str | None:
    """Why the relative ``name`` leaves the folder (or archive) it is read from by its spelling alone:
    an absolute path (POSIX or Windows style) or ``..`` steps climbing above it; ``None`` when it does not."""
    win = PureWindowsPath(name)
    if PurePosixPath(name).is_absolute() or win.drive or win.root:
        return f"{name!r} is an absolute path"
    steps = posixpath.normpath("/".join(win.parts)) if win.parts else "."
    if steps == ".." or steps.startswith("../"):
        return f"{name!r} climbs above it with '..'"
    return None


def outside_reason(root: str | Path, relative: str | Path) -> tuple[Path, str | None]:
    """The resolved path of ``relative`` under ``root``, and why it is outside ``root`` (``None`` when inside).

    Absolute paths (POSIX or Windows style, ``C:\\x``, ``\\\\server\\share``), ``..``
    steps that climb above ``root`` (also written with backslashes) and links
    that leave ``root`` are outside. Raises :class:`BrokenLink` for a dangling or
    looping link.
    """
    name = str(relative)
    root_real = Path(root).resolve()
    spelled = escape_reason(name)
    if spelled is not None:
        where = Path(name) if spelled.endswith("absolute path") else Path(os.path.realpath(root_real / name))
        return where, f"{OUTSIDE}: {spelled}"
    real = _resolve(root_real / name)
    if real.is_relative_to(root_real):
        return real, None
    return real, f"{OUTSIDE}: {name!r} is a symbolic link to {str(real)!r}"


def confined(root: str | Path, relative: str | Path, *, allow_outside: bool = False) -> Path:
    """The resolved path of ``relative`` under ``root``, refused when it leaves ``root``.

    Parameters
    ----------
    root : path
        The corpus folder (may itself be a symbolic link: it is resolved first).
    relative : path
        A path named by the corpus (a manifest's ``source_file``, a file in the folder).
    allow_outside : bool
        Return a path outside ``root`` instead of refusing it.

    Raises
    ------
    PathOutsideCorpus
        When the path leaves ``root`` and ``allow_outside`` is false.
    BrokenLink
        For a dangling or looping symbolic link.
    """
    real, reason = outside_reason(root, relative)
    if reason is not None and not allow_outside:
        raise PathOutsideCorpus(reason)
    return real


def folder_files(path: Path, suffixes: set[str], report: ReadReport, listed: set[str] = frozenset(), *,
                 allow_outside: bool = False) -> list[Path]:
    """The files under the folder, subfolders included, whose names end with one of ``suffixes``
    (but ``README.md``) and that are not ``listed`` (by path relative to the folder) in a manifest.

    Subfolders are walked in sorted order; hidden ones (``.git``, ``.ipynb_checkpoints``) and
    ``__MACOSX`` are skipped and reported. Symbolic links are confined to the folder: one leaving
    it (file or folder), dangling, or looping back to a folder above is skipped and reported in
    ``report``; a link to a folder inside it is not followed (its files are read where they are)
    and reported.
    """
    files: list[Path] = []
    root_real = path.resolve()

    def wanted(entry: Path) -> bool:
        name = entry.name.lower()
        return name != "readme.md" and any(name.endswith(s) for s in suffixes)

    def walk(folder: Path) -> None:
        try:
            entries = sorted(folder.iterdir())
        except OSError as e:  # an unreadable subfolder is reported, the rest read
            report.add("skipped", str(folder), f"folder cannot be listed: {e.strerror or e}")
            return
        for entry in entries:
            rel = entry.relative_to(path).as_posix()
            if rel in listed:
                continue
            if entry.is_symlink():
                try:
                    real, reason = outside_reason(path, rel)
                except BrokenLink as e:
                    report.add("skipped", str(entry), str(e))
                    continue
                if real.is_dir():  # linked folders are not walked; a link to one above would walk forever
                    if root_real.is_relative_to(real):
                        report.add("skipped", str(entry), f"looping symbolic link: {rel!r} leads back to "
                                                          "the corpus folder: not followed")
                    else:
                        report.add("skipped", str(entry), reason or f"symbolic link to the folder "
                                   f"{real.relative_to(root_real).as_posix()!r} inside the corpus: not followed "
                                   "(its files are read where they are)")
                    continue
                if reason is not None and wanted(entry):
                    if not allow_outside:
                        report.add("skipped", str(entry), reason)
                        continue
                    report.add("warning", str(entry), f"{reason}: read because allow_outside=True")
            elif entry.is_dir():
                if entry.name.startswith(".") or entry.name == "__MACOSX":
                    report.add("skipped", str(entry), f"hidden folder {rel!r}: not read")
                else:
                    walk(entry)
                continue
            if entry.is_file() and wanted(entry):
                files.append(entry)

    walk(path)
    return files
