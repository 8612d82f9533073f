"""What the keyness explorer embeds: per comparison, the terms placed, their labels and their lines.

Kept apart from the page (:mod:`discourse.explore.keyness`) so the caps and the
sampling rules can be tested without Bokeh.

Rules (stated on the page and in ``Explorer.attrs["caps"]``)
--------------------------------------------------------------
terms
    per comparison, the ``top`` first terms of this order: the significant keywords
    by absolute Log Ratio (strongest first), then the other tested terms by frequency
    in both sides (most frequent first);
lines
    for the first ``linked`` of them, at most ``lines`` concordance lines a side: a
    seeded random sample of all the term's hits on that side,
    ``dc.kwic(tokens, term, where={by: side}, sample=lines, seed=seed)``;
labels
    the first ``labels`` significant keywords, where the placement step finds room.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .labels import label_positions
from .lines import line_data, sample_lines

__all__ = ["FRAME", "comparison_sides", "ranked_terms", "comparison_lines", "comparison_labels"]

#: The plots' frame in pixels (width, height); the labels are placed for it.
FRAME = (560, 440)


def comparison_sides(result: pd.DataFrame, groups: list, values: dict) -> list[tuple[str, str, list, list | None]]:
    """Every comparison of a keyness result as ``(target, reference, target values, reference values)``.

    ``values`` maps a group's name (``str``) to its metadata value. A side is a group, several
    groups joined by ``+`` (a merged target) or ``rest`` (all groups but the target); an external
    reference has no documents (``None``).
    """
    def side(name: str, other: list | None) -> list | None:
        if name in values:
            return [values[name]]
        if name == "rest" and other is not None:
            return [values[g] for g in groups if values[g] not in other]
        parts = name.split("+")
        return [values[p] for p in parts] if all(p in values for p in parts) else None

    out = []
    for t, r in result[["target", "reference"]].drop_duplicates().itertuples(index=False):
        tv = side(str(t), None)
        out.append((str(t), str(r), tv, side(str(r), tv)))
    return out


def ranked_terms(rows: pd.DataFrame, top: int) -> pd.DataFrame:
    """The ``top`` terms of one comparison: significant keywords by |Log Ratio|, then the rest by frequency."""
    sig = rows["significant"].fillna(False).astype(bool).to_numpy()
    strength = rows["log_ratio"].abs().to_numpy(dtype=float)
    total = (rows["freq_target"] + rows["freq_reference"]).to_numpy(dtype=float)
    # primary: significant first; then |log ratio| for keywords, frequency for the others; then the term
    key = np.where(sig, strength, total)
    order = np.lexsort((rows["term"].astype(str).to_numpy(), -key, ~sig))
    return rows.iloc[order[:top]].reset_index(drop=True)


def comparison_lines(tokens: Any, terms: pd.Series, sides: dict[str, list | None], *, by: str, lines: int,
                     seed: int, window: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The sampled lines of each term on each side (``side`` "target"/"reference"), and the hits counted.

    Returns ``(lines, hits)``: the lines (``term``, ``side``, ``left``, ``node``, ``right``, ``doc`` the
    document's index, ``group``, ``title``, ``date``), and per term the hits on each side
    (``hits_target``, ``hits_reference``; -1 for a side without documents).
    """
    doc_index = {d: k for k, d in enumerate(tokens.metadata.index)}
    frames, hits = [], []
    for term in terms:
        row = {"term": term}
        for name, vals in sides.items():
            if vals is None:
                row[f"hits_{name}"] = -1
                continue
            kw = sample_lines(tokens, term, lines=lines, seed=seed, where={by: vals}, window=window, by=by)
            row[f"hits_{name}"] = int(kw.attrs["hits"])
            if len(kw):
                data = line_data(kw, ("left", "node", "right", "group", "title", "date"))
                frames.append(pd.DataFrame({"term": term, "side": name, **data,
                                            "doc": [doc_index[d] for d in kw["doc_id"]]}))
        hits.append(row)
    cols = ["term", "side", "left", "node", "right", "group", "title", "date", "doc"]
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)
    return out[cols], pd.DataFrame(hits, columns=["term", "hits_target", "hits_reference"])


def comparison_labels(terms: pd.DataFrame, n: int, views: dict[str, dict]) -> dict[str, pd.DataFrame]:
    """Label positions of the first ``n`` significant keywords in each view (``views``: name -> the
    column names ``x``, ``y`` and the keywords of :func:`~discourse.explore.labels.label_positions`)."""
    keywords = terms[terms["significant"].fillna(False).astype(bool)].head(n)
    out = {}
    for name, v in views.items():
        ok = np.isfinite(terms[v["x"]].to_numpy(float)) & np.isfinite(terms[v["y"]].to_numpy(float))
        kw = keywords[np.isfinite(keywords[v["x"]].to_numpy(float)) & np.isfinite(keywords[v["y"]].to_numpy(float))]
        out[name] = label_positions(kw[v["x"]], kw[v["y"]], kw["term"], obstacles_x=terms[v["x"]][ok],
                                    obstacles_y=terms[v["y"]][ok], width=FRAME[0], height=FRAME[1],
                                    x_range=v["x_range"], y_range=v["y_range"], x_log=v["log"], y_log=v["log"])
    return out
