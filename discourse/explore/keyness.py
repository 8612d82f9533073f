"""The keyness explorer: every comparison's terms on a plot, their statistics and their concordance lines.

The keywords -> concordance -> texts loop of corpus-assisted discourse studies
(Baker et al. 2008) on one offline page: a comparison is chosen in a list (each
outlet against the rest, pairs, or the comparisons of a given keyness table);
its terms are placed by their frequency per million in each side (log-log, the
diagonal is equal use; Kilgarriff 2012's "simple maths" view) or by effect size
(Log Ratio; Hardie 2014) against dispersion (Gries' DP, 2008), coloured by
direction and significance; a search box rings the terms that contain the text;
hovering shows a term's statistics; clicking a term (or its row in the ranked
table) shows its concordance lines on each side, with their documents' title,
outlet and date, and its dispersion. What is embedded is capped
(:mod:`discourse.explore.keyness_data`): the caps are on the page and in
``attrs["caps"]``.

References
----------
Baker, P., Gabrielatos, C., KhosraviNik, M., Krzyżanowski, M., McEnery, T. & Wodak, R. (2008).
    A useful methodological synergy? Discourse & Society 19(3), 273-306.
Gries, S. Th. (2008). Dispersions and adjusted frequencies in corpora. IJCL 13(4), 403-437.
Hardie, A. (2014). Log Ratio: an informal introduction. CASS blog.
Kilgarriff, A. (2012). Getting to know your corpus. TSD 2012, 3-15.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..keyness import keyness
from ..plots.base import require_result
from ..validation import check_count, require_column
from .keyness_data import comparison_labels, comparison_lines, comparison_sides, ranked_terms
from .keyness_page import keyness_layout
from .page import COLOURS, Explorer

__all__ = ["explore_keyness"]

_NEEDED = {"target", "reference", "term", "direction", "significant", "freq_target", "freq_reference",
           "per_million_target", "per_million_reference", "log_ratio", "p_adjusted", "dp_target", "dp_reference",
           "range_target", "range_reference"}


def explore_keyness(tokens: Any, target: Any = None, reference: Any = "rest", *, by: str = "outlet",
                    result: pd.DataFrame | None = None, top: int = 1000, linked: int = 100, lines: int = 10,
                    labels: int = 20, seed: int = 0, window: int = 5, **keyness_options: Any) -> Explorer:
    """An interactive keyness explorer of one or more comparisons (a standalone offline page).

    Parameters
    ----------
    tokens : Tokens or a store
        The corpus: its lines are sampled from it (a store reads only the partitions holding them).
    target, reference, by, **keyness_options
        The comparisons, as :func:`discourse.keyness.keyness` (default each ``by`` group against the
        rest), computed with ``keep="all"`` (every tested term can be placed) and, unless given,
        ``text_tests=()``. ``by`` must be a metadata column (the lines' filter).
    result : DataFrame, optional
        A :func:`~discourse.keyness.keyness` table to explore instead (its rows only: pass
        ``keep="all"`` to see every term); ``target``, ``reference`` and the options are then unused.
    top : int
        Terms placed per comparison (default 1,000): the significant keywords by absolute Log Ratio,
        then the other terms by frequency in both sides.
    linked : int
        Of those, the first ``linked`` have concordance lines (default 100).
    lines : int
        Lines a side per linked term (default 10): a random sample of all its hits on that side,
        seeded by ``seed``, those of ``dc.kwic(tokens, term, window, where={by: side}, sample=lines,
        seed=seed)``.
    labels : int
        Keywords labelled in each view (default 20), placed so that no two collide
        (:func:`discourse.explore.labels.label_positions`).
    seed : int
        Seed of the line samples (default 0).
    window : int
        Context of the lines in tokens a side (default 5).

    Returns
    -------
    Explorer
        ``.save(path)`` writes the page; in a notebook it shows itself. ``attrs`` holds the
        parameters, the keyness parameters (``keyness``), the comparisons and the ``caps``.
    """
    for name, value, low in (("top", top, 1), ("linked", linked, 0), ("lines", lines, 1), ("labels", labels, 0),
                             ("seed", seed, 0), ("window", window, 1)):
        check_count(name, value, minimum=low)
    require_column(tokens.metadata, by)
    if result is None:
        if "keep" in keyness_options:
            raise ValueError("explore_keyness places every tested term (keep='all'); keep= does not apply")
        keyness_options.setdefault("text_tests", ())
        result = keyness(tokens, target, reference, by=by, keep="all", **keyness_options)
    require_result(result, "dc.keyness", analysis="keyness", columns=_NEEDED)
    values = {str(v): v for v in pd.unique(tokens.metadata[by].dropna())}
    groups = [str(g) for g in result.attrs.get("groups", list(values))]
    parts, sides = [], []
    for t, r, tv, rv in comparison_sides(result, groups, values):
        rows = result[(result["target"].astype(str) == t) & (result["reference"].astype(str) == r)]
        parts.append(_comparison(tokens, rows, f"{t} vs {r}", {"target": tv, "reference": rv}, by=by, top=top,
                                 linked=linked, lines=lines, labels=labels, seed=seed, window=window))
        sides.append({"comparison": f"{t} vs {r}", "target": t, "reference": r, "terms": len(rows)})
    data = {key: pd.concat([p[key] for p in parts], ignore_index=True) for key in ("terms", "lines", "freq", "effect")}
    data["ranges"] = {p["name"]: p["ranges"] for p in parts}
    caps = {"terms": f"top {top:,} terms a comparison: the significant keywords by absolute Log Ratio, then the "
                     f"other tested terms by frequency in both sides",
            "lines": f"at most {lines} concordance lines a side for each of the first {linked:,} of them, a random "
                     f"sample of all the term's hits on that side (seed {seed}; dc.kwic(tokens, term, {window}, "
                     f"where={{{by!r}: side}}, sample={lines}, seed={seed}))",
            "labels": f"the first {labels} significant keywords of each view, where they fit without colliding"}
    attrs = {"analysis": "explore_keyness", "by": by, "top": top, "linked": linked, "lines": lines,
             "labels": labels, "seed": seed, "window": window, "comparisons": sides,
             "terms_embedded": len(data["terms"]), "lines_embedded": len(data["lines"]),
             "keyness": {k: v for k, v in result.attrs.items() if isinstance(v, (str, int, float, bool, type(None)))},
             "caps": caps}
    layout = keyness_layout(data, by=by, colours=COLOURS)
    title = "Keyness explorer: " + ", ".join(s["comparison"] for s in sides[:4]) + (" …" if len(sides) > 4 else "")
    return Explorer(layout, attrs, title=title, height=1450)


def _comparison(tokens: Any, rows: pd.DataFrame, name: str, sides: dict, *, by: str, top: int, linked: int,
                lines: int, labels: int, seed: int, window: int) -> dict:
    """One comparison's embedded tables: terms (with their plot positions), lines, labels, ranges."""
    terms = ranked_terms(rows, top)
    pm_t, pm_r = terms["per_million_target"].to_numpy(float), terms["per_million_reference"].to_numpy(float)
    positive = np.r_[pm_t[pm_t > 0], pm_r[pm_r > 0]]
    floor = positive.min() / 2 if positive.size else 1.0  # a zero frequency on the plot's edge (as keyness_scatter)
    ceiling = max(float(positive.max()) if positive.size else 1.0, floor) * 1.5
    lr = terms["log_ratio"].to_numpy(float)
    reach = float(np.nanmax(np.abs(lr[np.isfinite(lr)]))) * 1.08 if np.isfinite(lr).any() else 1.0
    sig = terms["significant"].fillna(False).astype(bool)
    terms = terms.assign(comparison=name, x_f=np.where(pm_t > 0, pm_t, floor), y_f=np.where(pm_r > 0, pm_r, floor),
                         x_e=lr, y_d=np.where(lr >= 0, terms["dp_target"], terms["dp_reference"]),
                         category=terms["direction"].where(sig, "not significant"))
    ranges = {"freq": (floor / 1.2, ceiling), "effect": (-reach, reach), "dp": (-0.03, 1.03)}
    views = {"freq": {"x": "x_f", "y": "y_f", "log": True, "x_range": ranges["freq"], "y_range": ranges["freq"]},
             "effect": {"x": "x_e", "y": "y_d", "log": False, "x_range": ranges["effect"], "y_range": ranges["dp"]}}
    placed = comparison_labels(terms, labels, views)
    kw, hits = comparison_lines(tokens, terms["term"].head(linked), sides, by=by, lines=lines, seed=seed,
                                window=window)
    terms = terms.merge(hits, on="term", how="left")
    terms[["hits_target", "hits_reference"]] = terms[["hits_target", "hits_reference"]].fillna(-2).astype(int)
    return {"name": name, "terms": terms, "lines": kw.assign(comparison=name), "ranges": ranges,
            "freq": placed["freq"].assign(comparison=name), "effect": placed["effect"].assign(comparison=name)}
