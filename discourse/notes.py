"""The notes of a notebook: its warnings, collected once each instead of a box after every cell.

:func:`discourse.display.setup_notebook` routes ``warnings.showwarning`` to
:data:`NOTES` in a Jupyter kernel, so a warning no longer prints a box under
the cell that raised it: it is recorded with the cell's execution number.
Warnings that differ only in their numbers (``fitting 2 topics on 20 units``,
``fitting 4 topics on 22 units``) are one note, with how often it was raised.
:func:`discourse.display.show_notes` displays the notes as one section
(rendered by ``notes.html.j2``, every message escaped); a warning raised after
that updates the section in place, and a cell that fails shows the notes
collected so far, so no warning is lost.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .render import render

__all__ = ["WarningNote", "Notes", "NOTES", "note_key"]

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def note_key(category: str, message: str) -> tuple[str, str]:
    """What makes two warnings the same note: their category and their text with every number as ``#``."""
    return category, _NUMBER.sub("#", message.strip())


@dataclass
class WarningNote:
    """One collected warning: its category, first message, count, the cells that raised it, its wordings."""

    category: str
    message: str
    count: int = 0
    cells: list[int] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    @property
    def variants(self) -> int:
        """Distinct wordings (the same text with other numbers) collected under this note."""
        return len(self.messages)


class Notes:
    """The warnings of one notebook run, de-duplicated, in order of first occurrence."""

    def __init__(self) -> None:
        self._notes: dict[tuple[str, str], WarningNote] = {}
        self.handle: Any = None  # the IPython display handle, once shown

    def clear(self) -> None:
        """Forget every note (a new run of the notebook starts with none)."""
        self._notes.clear()
        self.handle = None

    def record(self, message: Any, category: type | str = UserWarning, cell: int | None = None) -> WarningNote:
        """Add one warning; ``cell`` is the execution number of the cell that raised it."""
        name = category if isinstance(category, str) else category.__name__
        text = str(message).strip()
        note = self._notes.setdefault(note_key(name, text), WarningNote(name, text))
        note.count += 1
        if cell is not None and cell not in note.cells:
            note.cells.append(cell)
        if text not in note.messages:
            note.messages.append(text)
        return note

    def __len__(self) -> int:
        return len(self._notes)

    def __iter__(self):
        return iter(list(self._notes.values()))

    @property
    def frame(self) -> pd.DataFrame:
        """One row per note: ``category``, ``message`` (the first wording), ``count``, ``cells``, ``variants``."""
        rows = [{"category": n.category, "message": n.message, "count": n.count, "cells": list(n.cells),
                 "variants": n.variants} for n in self]
        return pd.DataFrame(rows, columns=["category", "message", "count", "cells", "variants"])

    def __repr__(self) -> str:
        if not len(self):
            return "Notes: no warnings were raised."
        lines = [f"Notes: {len(self)} warning{'s' if len(self) != 1 else ''}, each once"]
        for n in self:
            where = f", cell{'s' if len(n.cells) > 1 else ''} {', '.join(map(str, n.cells))}" if n.cells else ""
            lines.append(f"- {n.category} (x{n.count}{where}): {n.message}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return render("notes.html.j2", notes=list(self))


NOTES = Notes()  # the notes of the notebook running in this kernel
