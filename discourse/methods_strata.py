"""Methods sentences of the comparisons within stories: stratified keyness, story contrasts, agenda vs framing.

Built, as every sentence of :mod:`discourse.methods`, from the results' ``.attrs`` only:
the strata column, how many strata each comparison used and dropped, the tests and their correction.
"""
from __future__ import annotations

from typing import Mapping

from .wording import correction_clause, fmt, window_span

__all__ = ["describe_stratified_keyness", "STRATA_DESCRIBERS"]


def _strata_counts(a: Mapping) -> str:
    """"2 values of 'story' covered by both sides were used; left out: 1 covered by the target only"."""
    parts, many = [], len(a.get("n_strata") or {}) > 1
    for name, n in (a.get("n_strata") or {}).items():
        out = [f"{n.get(k, 0):,} covered by the {k.split('_')[0]} only" for k in ("target_only", "reference_only")
               if n.get(k)]
        parts.append((f"{name}: " if many else "") + f"{n.get('used', 0):,} values of '{a.get('strata')}' covered "
                     "by both sides were used" + (f"; left out: {', '.join(out)}" if out else ""))
    text = "; ".join(parts)
    k = a.get("docs_without_stratum") or 0
    if k:
        text += f"; {k:,} document{'s' if k != 1 else ''} without a '{a.get('strata')}' value left out"
    return text


def describe_stratified_keyness(a: Mapping) -> tuple[str, list[str]]:
    """Keyness with ``strata=``: Mantel–Haenszel within strata, CMH, the counts of strata."""
    target, ref = a.get("target"), a.get("reference")
    target = "each group in turn" if target is None else fmt(target)
    ref = {"rest": "the rest of the corpus", "pairwise": "each other group"}.get(str(ref), fmt(ref))
    strata = a.get("strata")
    keys = ["mantel1959", "robins1986", "agresti2013", "wilcoxon1945"]
    cc = "with" if a.get("cmh_correction") else "without"
    text = (f"Keywords of {target} against {ref} (groups defined by {a.get('by', 'outlet')}) were compared within "
            f"each {strata} covered by both sides ({_strata_counts(a)}): per term, one 2x2 table per {strata} "
            "(the term against all other tokens, target against reference) was pooled into the Mantel-Haenszel "
            "odds ratio (Mantel & Haenszel 1959) with a "
            f"{fmt(float(a.get('confidence', 0.95)) * 100)}% confidence interval from the Robins-Breslow-Greenland "
            f"variance (Robins et al. 1986), tested with the Cochran-Mantel-Haenszel test {cc} continuity correction "
            f"(Agresti 2013)") + correction_clause(a, keys)
    text += (f"; the number of {strata} values in which a term leans to either side is reported with an exact "
             f"sign test, and a Wilcoxon signed-rank test (Wilcoxon 1945) over the per-{strata} Log Ratios "
             "(zero counts replaced by 0.5)")
    if a.get("keep") == "all":
        text += f"; all terms with a combined frequency of at least {a.get('min_freq', 1)} are reported"
    elif a.get("fallback_used"):
        text += (f"; no term reached adjusted p < {fmt(a.get('alpha', 0.05))}, so the {a.get('fallback')} terms per "
                 "direction with the largest pooled log odds ratio are listed as a description, not as keywords")
    else:
        text += f"; terms with adjusted p < {fmt(a.get('alpha', 0.05))} were retained"
    return text + ".", keys


def _describe_story_contrast(a: Mapping) -> tuple[str, list[str]]:
    story = f"the {a.get('strata')} {fmt(a.get('story'))}" if a.get("strata") else "the corpus (one story)"
    node = (f", and the collocates of {fmt(a.get('node'))} ({window_span(a)} windows) only one {a.get('by')} has"
            if a.get("node") is not None else "")
    return (f"Within {story}, the terms each {a.get('by')} used at least {a.get('min_freq', 1)} time(s) and no other "
            f"{a.get('by')} used were listed{node}, with the documents, as a description to be read in "
            "concordance.", [])


def _describe_agenda_framing(a: Mapping) -> tuple[str, list[str]]:
    n_shared, t_only, r_only = (len(a.get(k) or []) for k in ("stories_shared", "stories_target_only",
                                                             "stories_reference_only"))
    return (f"The difference in relative frequency (per {a.get('per', 10000):,g} tokens) between "
            f"{fmt(a.get('target'))} and {fmt(a.get('reference'))} was decomposed (Kitagawa 1955; Das Gupta 1993) "
            f"into a composition (agenda) part, from the share of each side's text given to the {n_shared:,} "
            f"{a.get('strata')} values both covered, a rate (framing) part, from the use of the term within them, "
            f"both with symmetric weights, and the part from the {t_only + r_only:,} {a.get('strata')} values only "
            "one side covered and the documents in none; the parts add up to the difference.",
            ["kitagawa1955", "dasgupta1993"])


STRATA_DESCRIBERS = {"story_contrast": _describe_story_contrast, "agenda_framing": _describe_agenda_framing}
