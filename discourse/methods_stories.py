"""Methods sentence of story alignment (:func:`discourse.align_stories`), for :mod:`discourse.methods`."""
from __future__ import annotations

from typing import Mapping

from .wording import fmt

__all__ = ["STORY_DESCRIBERS"]

_WEIGHTING = {"tfidf": ("TF-IDF (sublinear term frequency, smoothed inverse document frequency; Salton & "
                        "Buckley 1988; Manning, Raghavan & Schütze 2008)", ["salton1988", "manning2008"]),
              "bm25": ("BM25 (k1 = 1.2, b = 0.75; Robertson & Zaragoza 2009)", ["robertson2009"])}


def _n(k: int, word: str, plural: str | None = None) -> str:
    return f"{k:,} {word if k == 1 else plural or word + 's'}"


def _describe_align_stories(a: Mapping) -> tuple[str, list[str]]:
    weighting, refs = _WEIGHTING.get(str(a.get("weighting")), (str(a.get("weighting")), []))
    undated = {"any": "compared with every document", "drop": "left out",
               "error": "not allowed"}.get(str(a.get("undated")), str(a.get("undated")))
    rule = (f"at most one document per {a.get('by')} in a story" if a.get("one_per_group")
            else f"several documents per {a.get('by')} allowed in a story")
    text = (f"Articles were aligned into stories across {a.get('by')} values: documents of different "
            f"{a.get('by')} values dated at most {a.get('window_days')} days apart were compared by the cosine of "
            f"their {weighting} vectors over the shared count matrix, stop words left out and entity-like "
            f"(capitalised) terms weighted {fmt(a.get('entity_weight'))}, numbers {fmt(a.get('number_weight'))}; "
            f"pairs with a cosine of at least {fmt(a.get('threshold'))} were linked, most similar first, into "
            f"stories ({rule}: single-link clustering with a cannot-link constraint, Wagstaff et al. 2001; ties "
            f"broken by document id); documents without a date were {undated}. Of "
            f"{_n(a.get('documents', 0), 'document')}, {a.get('documents_in_stories', 0):,} fell into "
            f"{_n(a.get('stories', 0), 'story', 'stories')} ({_n(a.get('candidate_pairs', 0), 'candidate pair')}, "
            f"{a.get('pairs_above_threshold', 0):,} above the threshold, {a.get('pairs_blocked', 0):,} not linked "
            f"by the one-per-{a.get('by')} rule); {_n(a.get('near_duplicate_pairs', 0), 'pair')} had an estimated word "
            f"{a.get('shingle')}-gram Jaccard similarity of at least {fmt(a.get('near_duplicate'))} (MinHash, "
            f"{a.get('num_perm')} permutations; Broder 1997) and were marked as near-identical copies.")
    return text, refs + ["wagstaff2001", "broder1997"]


STORY_DESCRIBERS = {"align_stories": _describe_align_stories, "story_pairs": _describe_align_stories}
