"""Export of result tables with their parameters, so a table never leaves without its provenance."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

__all__ = ["export", "params_path"]


def params_path(path: str | Path) -> Path | None:
    """The parameters sidecar :func:`export` writes next to a ``.csv``/``.tsv`` table (``freq.params.json``);
    None for other files (an ``.xlsx`` keeps its parameters in a sheet)."""
    path = Path(path)
    return path.with_suffix(".params.json") if path.suffix.lower() in {".csv", ".tsv"} else None


def export(result: pd.DataFrame, path: str | Path, *, index: bool = False) -> Path:
    """Write a result table with its parameters: ``.csv`` (plus ``.params.json``) or ``.xlsx``.

    CSV is UTF-8 with a header; the parameters (``result.attrs``) go to a JSON
    sidecar ``<name>.params.json``. Excel files get a ``results`` sheet and a
    ``parameters`` sheet. Returns the path written.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    params = json.dumps(result.attrs, indent=2, ensure_ascii=False, default=str)
    if suffix in {".csv", ".tsv"}:
        result.to_csv(path, index=index, sep="\t" if suffix == ".tsv" else ",")
        params_path(path).write_text(params + "\n", encoding="utf-8")
    elif suffix == ".xlsx":
        flat = pd.DataFrame({"parameter": list(result.attrs),
                             "value": [json.dumps(v, ensure_ascii=False, default=str) if not isinstance(v, str) else v
                                       for v in result.attrs.values()]})
        with pd.ExcelWriter(path, engine="openpyxl") as xl:
            result.to_excel(xl, sheet_name="results", index=index)
            flat.to_excel(xl, sheet_name="parameters", index=False)
    else:
        raise ValueError(f"cannot export to {path.name!r}: use a .csv, .tsv or .xlsx file name")
    return path
