"""Peer presets: ``compat="quanteda"`` sets every convention of one tool at once.

Tools disagree on conventions of the same statistic (Yates' correction, zero frequencies, the
window count, the sample or population SD...). Each convention is a named option of the analysis
(documented there with the tool, version and source it follows); a preset here is only a mapping
from those options to the values one tool uses, so ``keyness(tokens, compat="quanteda")`` is
``keyness(tokens, yates=..., ...)`` with the values below. Options the caller passes explicitly win
over the preset; the preset's name and the options it set are recorded in the result's
``attrs["params"]["compat"]``.

The presets are grouped per analysis (one dict a verb), and the conventions page
(``docs/conventions.md``) tabulates them with their sources.
"""
from __future__ import annotations

import functools
import inspect
from typing import Any, Callable, TypeVar

from .validation import check_choice

__all__ = ["TOOLS", "PRESETS", "preset", "with_compat", "compat_record"]

TOOLS = ("quanteda", "wordsmith", "cqpweb", "sketchengine", "wordless")

# --- keyness (dc.keyness): option -> value, per tool ------------------------------------------
# Sources (docs/conventions.md has the table): quanteda.textstats 0.97.3 R/textstat_keyness.R and
# src/keyness.cpp (commit 9fc27080); WordSmith Tools 7 manual, "How Key Words are calculated" and
# "p value" (lexically.net); CQPweb 3.2.43 lib/keywords-ui.php; Sketch Engine, "Simple maths"
# (sketchengine.eu/documentation/simple-maths); Wordless 3.x wl_settings_default.py and wl_measures/
# (commit c03b2f4b).
_KEYNESS: dict[str, dict[str, Any]] = {
    # textstat_keyness(measure = "chi2", correction = "default"): every column as it computes it
    # (chi2_yates is its chi2, log_likelihood its "lr", pmi, odds_ratio its "exact"), p as 1 - pchisq
    "quanteda": {"yates": "quanteda", "ll_cells": "dunning", "ll_correction": "yates", "log_epsilon": 1e-9,
                 "williams": "quanteda", "sign": "quanteda", "test": "chi2_yates", "p_tail": "complement",
                 "odds_ratio": "conditional_r", "keep": "all", "correction": "none"},
    # KeyWords: Dunning's log-likelihood as the UCREL wizard computes it (the term's two cells),
    # default maximum p 0.000001 with no further correction; ranked by keyness (the log-likelihood)
    "wordsmith": {"ll_cells": "rayson", "test": "log_likelihood", "correction": "none", "alpha": 1e-6,
                  "sort_by": "log_likelihood"},
    # keywords by Log Ratio with a log-likelihood filter (four cells), Šidák-adjusted; a zero reference
    # frequency is 0.5; its Log Ratio interval is the binomial (Katz) one
    "cqpweb": {"ll_cells": "dunning", "zero": "replace", "zero_value": 0.5, "ci_method": "binomial",
               "test": "log_likelihood", "correction": "sidak", "alpha": 0.05, "sort_by": "log_ratio"},
    # keywords by simple maths, N = 1 per million; a score, no significance filter
    "sketchengine": {"simple_maths_n": 1.0, "keep": "all", "correction": "none", "sort_by": "simple_maths"},
    # Keyword Extractor defaults: Pearson's chi-square without Yates, BIC from the four-cell G2, the odds
    # ratio with +-inf for a one-sided zero, 0 where undefined; no correction or filter
    "wordless": {"test": "chi2", "yates": "never", "ll_cells": "dunning", "zero": "signed_inf",
                 "pct_diff_zero": None, "undefined": "zero", "keep": "all", "correction": "none"},
}

# --- collocates (dc.collocates) ---------------------------------------------------------------
# Conventions of the statistic and of the listing; thresholds (min_freq, min_coll_freq, top) and the
# span stay the caller's. Sources per tool in docs/conventions.md ("Collocation").
_COLLOCATES: dict[str, dict[str, Any]] = {
    # quanteda.textstats::textstat_collocations scores contiguous sequences (lambda and its Wald z, a
    # log-linear model of the 2^K table; Blaheta & Johnson 2001), not a node's window: nothing to map.
    "quanteda": {},
    # WordSmith 8 Concord collocates: MI and T on f(node) f(coll) / N without the span (manual,
    # "Formulae"; default statistic "Specific Mutual Information"), every (line, position) counted,
    # the search word itself listed, no stop list (manual, "Collocation Settings", "Collocate display").
    "wordsmith": {"measure": "mi", "expected": "node", "count": "pairs", "exclude_node": False, "stopwords": None},
    # CQPweb 3.1 (lib/colloc-lib.inc.php): E11 = R1 C1 / N with R1 the window's (line, position) pairs,
    # log-likelihood the default statistic (lib/defaults.inc.php: $default_calc_stat = 6), no stop list.
    "cqpweb": {"measure": "log_likelihood", "expected": "window", "count": "pairs", "exclude_node": False,
               "stopwords": None},
    # Sketch Engine: statistics on f_A, f_B, f_AB and N without the span ("Statistics used in Sketch
    # Engine"; Rychlý 2008), logDice to sort by.
    "sketchengine": {"measure": "log_dice", "expected": "node"},
    # Wordless 3.x builds its 2x2 table from the window pairs of every word of the corpus
    # (wl_collocation_extractor.py: N = all pairs, O1x = the node's pairs): collocates counts one
    # node's windows, so no option reproduces it; its Berry-Rogghe span is (|L| + |R|) / 2.
    "wordless": {},
}

# --- dispersion (dc.dispersion) ---------------------------------------------------------------
# The parts stay the caller's (Wordless: 5 equal sub-sections, WordSmith: 8 segments: parts=<size>).
_DISPERSION: dict[str, dict[str, Any]] = {
    "quanteda": {},      # quanteda/quanteda.textstats compute no dispersion measure (docfreq only)
    # WordSmith 8 plot dispersion: one formula of Oakes (1998: 190-191) over 8 equal segments
    # (manual, "Plot dispersion value"): the equal-part forms on raw counts.
    "wordsmith": {"part_sizes": "equal"},
    "cqpweb": {},        # CQPweb's "Distribution" tabulates frequencies per category: no coefficient
    "sketchengine": {},  # Sketch Engine reports ARF, ALDF and document frequency, not parts-based measures
    # Wordless 3.x (wl_measures_dispersion.py): raw counts of equal sub-sections, population SD
    # (numpy.std), Juilland's D clamped at 0, DP normalised by 1 - 1/n (apply_normalization=True).
    "wordless": {"part_sizes": "equal", "sd": "population", "clamp_d": True, "dp_norm": "equal_parts"},
}

PRESETS: dict[str, dict[str, dict[str, Any]]] = {
    "keyness": _KEYNESS,
    "collocates": _COLLOCATES,
    "dispersion": _DISPERSION,
}

F = TypeVar("F", bound=Callable[..., Any])


def preset(compat: str, verb: str) -> dict[str, Any]:
    """The options ``compat`` sets for ``verb`` (a copy); ``ValueError`` for an unknown tool."""
    check_choice("compat", compat, TOOLS)
    return dict(PRESETS[verb][compat])


def compat_record(compat: str | None, applied: dict[str, Any]) -> dict[str, Any] | None:
    """What goes into ``attrs["params"]["compat"]``: the tool and the options its preset set."""
    return None if compat is None else {"tool": compat, "options": dict(applied)}


def with_compat(verb: str) -> Callable[[F], F]:
    """Give an analysis a ``compat=`` keyword: fill the options the caller did not pass from the preset.

    Which options were passed is read from the call itself (``inspect.Signature.bind_partial``), so an
    explicit argument equal to the default still wins over the preset. The wrapped function declares a
    keyword ``_compat=None`` and receives :func:`compat_record` in it, to record in its ``attrs``; the
    public signature shows it as ``compat``.
    """
    def decorate(func: F) -> F:
        signature = inspect.signature(func)
        public = [p.replace(name="compat", annotation="str | None") if p.name == "_compat" else p for p in signature.parameters.values()]

        @functools.wraps(func)
        def wrapper(*args: Any, compat: str | None = None, **kwargs: Any) -> Any:
            applied: dict[str, Any] = {}
            if compat is not None:
                given = signature.bind_partial(*args, **kwargs).arguments
                applied = {k: v for k, v in preset(compat, verb).items() if k not in given}
                kwargs.update(applied)
            return func(*args, _compat=compat_record(compat, applied), **kwargs)

        wrapper.__signature__ = signature.replace(parameters=public)  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate
