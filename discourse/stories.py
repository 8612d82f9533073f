"""Story alignment: the articles of different outlets that report the same event, grouped into stories.

:func:`align_stories` finds them, :func:`story_threshold_sweep` shows how many
a threshold finds (to choose and justify it), and :func:`with_stories` adds
the ``story`` column to the tokens' metadata so that any analysis can group or
stratify by it (``by="story"``, ``strata="story"``).

Method: each document is a TF-IDF (or BM25) vector of the shared document-term
matrix, stop words zeroed, entity-like (capitalised) terms and numbers weighted
up (:mod:`discourse.story_similarity`); candidate pairs are documents of
different outlets within ``window_days`` of each other; a pair whose cosine is
at least ``threshold`` is an edge. Edges are taken most similar first and join
the two documents' stories unless the stories already share an outlet (at
most one article per outlet per story, the unit of event-aligned news
datasets; ``one_per_group=False`` lifts it), which is single-link agglomerative
clustering under a cannot-link constraint (Wagstaff et al. 2001). Ties are
broken by document id, so the result does not depend on the input order.
Near-identical wording (wire copy) is marked with the MinHash estimate of the
word 5-gram Jaccard similarity that :func:`discourse.dedup` uses
(:mod:`discourse.dedup_shingles`; Broder 1997).
"""
from __future__ import annotations

import dataclasses
from typing import Any, Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .dates import to_timestamps
from .dedup_shingles import estimated_jaccard, shingle_hashes, signatures
from .grouping import group_labels
from .story_similarity import (count_candidates, cross_pairs, doc_vectors, greedy_links, term_weights, top_per_row,
                               window_pairs)
from .validation import (check_choice, check_count, check_fraction, check_in_memory, check_tokens, check_weight,
                         require_column)

__all__ = ["align_stories", "story_threshold_sweep", "with_stories", "DEFAULT_STORY_THRESHOLD", "SWEEP_THRESHOLDS"]

DEFAULT_STORY_THRESHOLD = 0.3   # calibrated on planted events (README "Same story, different words")
SWEEP_THRESHOLDS = tuple(np.round(np.arange(0.10, 0.801, 0.05), 2).tolist())
_SHINGLE, _NUM_PERM, _SEED = 5, 128, 1   # discourse.dedup's defaults
_STORY_COLUMNS = ["story", "n_docs", "n_outlets", "outlets", "documents", "mean_similarity", "min_similarity",
                  "shared_terms", "first_date", "last_date", "date_span_days", "near_duplicates"]
_PAIR_COLUMNS = ["doc_a", "doc_b", "outlet_a", "outlet_b", "similarity", "date_gap_days", "shared_terms",
                 "shingle_jaccard", "near_duplicate", "role", "story"]


def _prepare(function: str, tokens: Any, by: str, date: str | None, window_days: int, weighting: str,
             entity_weight: float, number_weight: float, undated: str) -> dict:
    """Checks, then the vectors, days, groups and tie-break ranks every route shares."""
    check_in_memory(function, tokens)
    check_choice("weighting", weighting, ["tfidf", "bm25"])
    check_choice("undated", undated, ["any", "drop", "error"])
    check_count("window_days", window_days)
    check_weight("entity_weight", entity_weight)
    check_weight("number_weight", number_weight)
    meta = tokens.metadata
    if date is not None:
        require_column(meta, date)
    labels = group_labels(meta, by, warn=False)
    check_tokens(function, tokens, by, labels)
    codes, groups = pd.factorize(labels, sort=True)
    # without a date column every document is undated (``undated`` says what that means)
    stamps = (to_timestamps(meta[date])["timestamp"] if date is not None
              else pd.Series(pd.NaT, index=meta.index, dtype="datetime64[ns]"))
    no_date = stamps.isna().to_numpy()
    if undated == "error" and no_date.any():
        what = f"parsable {date!r}" if date is not None else "date (date=None)"
        raise ValueError(f"{function}: {int(no_date.sum()):,} of {len(meta):,} documents have no {what}; "
                         "pass undated='any' (compare them with every document) or 'drop'")
    day = np.where(no_date, 0, stamps.dt.normalize().to_numpy().astype("datetime64[D]").astype(np.int64))
    weight, entity, number = term_weights(tokens, entity_weight, number_weight)
    x = doc_vectors(tokens.dtm, weight, weighting)
    empty = np.diff(x.indptr) == 0
    usable = (codes >= 0) & ~empty & ~(no_date & (undated == "drop"))
    rank = pd.Index(meta.index.astype(str)).argsort(kind="stable").argsort()
    return dict(tokens=tokens, x=x, day=day, no_date=no_date, codes=codes, groups=list(groups), usable=usable,
                rank=rank, stamps=stamps, empty=empty, entity=entity, number=number,
                params=dict(by=by, date=date, window_days=window_days, weighting=weighting,
                            entity_weight=entity_weight, number_weight=number_weight, undated=undated))


def _edges(p: dict, floor: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Pairs above ``floor``: dated pairs in the window, undated ones against all; and the candidate count."""
    dated = np.flatnonzero(p["usable"] & ~p["no_date"])
    undated = np.flatnonzero(p["usable"] & p["no_date"])
    a, b, s = window_pairs(p["x"][dated], p["day"][dated], p["codes"][dated], p["params"]["window_days"], floor)
    a, b = dated[a], dated[b]
    n_cand = count_candidates(p["day"][dated], p["codes"][dated], p["params"]["window_days"])
    if len(undated):
        sub = np.r_[dated, undated]
        ua, ub, us = cross_pairs(p["x"][sub], np.arange(len(dated), len(sub)), p["codes"][sub], floor)
        a, b, s = np.r_[a, sub[ua]], np.r_[b, sub[ub]], np.r_[s, us]
        g, gu = p["codes"][sub], p["codes"][undated]
        n_groups = max(int(g.max()) + 1, 1)
        # each undated document against every other of another group; the undated pairs once
        n_cand += int((len(sub) - np.bincount(g, minlength=n_groups)[gu]).sum()
                      - (len(gu) - np.bincount(gu, minlength=n_groups)[gu]).sum() // 2)
    return a, b, s, n_cand


def align_stories(tokens: Any, by: str = "outlet", *, date: str | None = "date", window_days: int = 3,
                  threshold: float = DEFAULT_STORY_THRESHOLD, weighting: str = "tfidf", entity_weight: float = 2.0,
                  number_weight: float = 2.0, one_per_group: bool = True, top_terms: int = 5, undated: str = "any",
                  near_duplicate: float = 0.8, pairs: bool = False) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Group the documents of different outlets that report the same event into stories.

    Parameters
    ----------
    tokens : Tokens
        From :func:`discourse.tokenize` (in memory; a store is not supported yet).
    by : str
        The metadata column of the sides (outlets): a story never joins two documents of the same value
        (with ``one_per_group``), and only documents of different values are compared.
    date : str or None
        The date column; documents more than ``window_days`` days apart are never compared. None: the
        corpus has no dates, every document is undated (``undated`` applies to all).
    window_days : int
        The date window (default 3: an event is reported within a few days).
    threshold : float
        The least cosine of a pair that joins two documents (default :data:`DEFAULT_STORY_THRESHOLD`,
        0.3, calibrated on planted events; justify another with :func:`story_threshold_sweep`).
    weighting : {"tfidf", "bm25"}
        Term weights: sublinear TF-IDF with smoothed IDF (Salton & Buckley 1988) or BM25
        (Robertson & Zaragoza 2009, k1 = 1.2, b = 0.75); cosine of the L2-normalised rows.
    entity_weight, number_weight : float
        Multipliers of entity-like terms (capitalised in at least half of their occurrences) and of numbers.
    one_per_group : bool
        At most one document per ``by`` value per story (default True).
    top_terms : int
        Shared terms listed per story and per pair (largest products of the two weights).
    undated : {"any", "drop", "error"}
        Documents without a parsable date: compared with every document (default, counted in
        ``attrs["undated_documents"]``), left out, or an error.
    near_duplicate : float
        A pair whose estimated word 5-gram Jaccard similarity (MinHash, 128 permutations, as
        :func:`discourse.dedup`) reaches this is marked ``near_duplicate`` (wire copy).
    pairs : bool
        Also return the pair table: every pair at or above ``threshold``, why it was (not) joined.

    Returns
    -------
    DataFrame, or (DataFrame, DataFrame) with ``pairs=True``
        Stories: ``story`` ("S0001" ..., by first date then first document), ``n_docs``, ``n_outlets``,
        ``outlets`` and ``documents`` (lists, in date order), ``mean_similarity`` and ``min_similarity``
        (over all pairs of members), ``shared_terms``, ``first_date``, ``last_date``, ``date_span_days``,
        ``near_duplicates`` (member pairs marked as near duplicates). Documents in no story (singletons) are
        not listed. Pairs: ``doc_a``, ``doc_b``, ``outlet_a``, ``outlet_b``, ``similarity``,
        ``date_gap_days``, ``shared_terms``, ``shingle_jaccard``, ``near_duplicate``, ``role`` (``joined``:
        the edge merged two stories; ``within``: both already in one story; ``blocked``: the stories shared
        an outlet) and ``story``. ``attrs`` hold every parameter and the counts.
    """
    check_fraction("threshold", threshold)
    check_count("top_terms", top_terms)
    check_fraction("near_duplicate", near_duplicate)
    p = _prepare("align_stories", tokens, by, date, window_days, weighting, entity_weight, number_weight, undated)
    a, b, s, n_cand = _edges(p, threshold)
    order, links = greedy_links(tokens.n_docs, a, b, s, p["rank"], np.maximum(p["codes"], 0), one_per_group)
    a, b, s = a[order], b[order], s[order]
    stories, story_of = _story_table(p, links.root, top_terms)
    sig_docs = np.unique(np.r_[a, b, np.flatnonzero(story_of >= 0)])
    jac = _jaccard(tokens, sig_docs)
    ids = tokens.metadata.index
    members = [np.flatnonzero(story_of == k) for k in range(len(stories))]
    stories["near_duplicates"] = [int((jac(*_member_pairs(m)) >= near_duplicate).sum()) for m in members]
    attrs = dict(analysis="align_stories", **p["params"], threshold=threshold, one_per_group=one_per_group,
                 top_terms=top_terms, near_duplicate=near_duplicate, shingle=_SHINGLE, num_perm=_NUM_PERM,
                 documents=int(tokens.n_docs), documents_in_stories=int((story_of >= 0).sum()),
                 singletons=int(tokens.n_docs - (story_of >= 0).sum()), stories=len(stories),
                 undated_documents=int(p["no_date"].sum()), empty_documents=int(p["empty"].sum()),
                 no_group_documents=int((p["codes"] < 0).sum()), candidate_pairs=int(n_cand),
                 pairs_above_threshold=int(len(s)), pairs_joined=int((links.role == "joined").sum()),
                 pairs_blocked=int((links.role == "blocked").sum()),
                 near_duplicate_pairs=int((jac(a, b) >= near_duplicate).sum()) if len(a) else 0,
                 entity_terms=int(p["entity"].sum()), number_terms=int(p["number"].sum()))
    stories.attrs = attrs
    if not pairs:
        return stories
    groups = np.array(p["groups"] + [None], dtype=object)
    shared = top_per_row(p["x"][a].multiply(p["x"][b]), top_terms, np.asarray(tokens.vocab, dtype=object))
    label = np.array(stories["story"].tolist() + [None], dtype=object)
    same = story_of[a] == story_of[b]
    pair_table = pd.DataFrame({
        "doc_a": ids[a], "doc_b": ids[b], "outlet_a": groups[p["codes"][a]], "outlet_b": groups[p["codes"][b]],
        "similarity": s, "date_gap_days": _gap(p, a, b), "shared_terms": shared,
        "shingle_jaccard": jac(a, b) if len(a) else np.zeros(0), "role": links.role[: len(a)],
        "story": pd.array(np.where(same & (story_of[a] >= 0), label[story_of[a]], None), dtype="string"),
    }, columns=_PAIR_COLUMNS[:7] + ["shingle_jaccard", "role", "story"])
    pair_table.insert(8, "near_duplicate", pair_table["shingle_jaccard"] >= near_duplicate)
    pair_table.attrs = dict(attrs, analysis="story_pairs")
    return stories, pair_table


def _member_pairs(m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    i, j = np.triu_indices(len(m), 1)
    return m[i], m[j]


def _gap(p: dict, a: np.ndarray, b: np.ndarray) -> pd.array:
    gap = np.abs(p["day"][a] - p["day"][b]).astype(float)
    gap[p["no_date"][a] | p["no_date"][b]] = np.nan
    return pd.array(np.where(np.isnan(gap), None, gap), dtype="Int64")


def _jaccard(tokens: Any, docs: np.ndarray):
    """A function (i, j) -> estimated shingle Jaccard, from MinHash signatures of ``docs`` only."""
    pos = np.full(tokens.n_docs, -1, np.int64)
    pos[docs] = np.arange(len(docs))
    ptr = tokens.doc_ptr
    lengths = (ptr[docs + 1] - ptr[docs]).astype(np.int64)
    sub_ptr = np.r_[0, np.cumsum(lengths)]
    starts = np.repeat(ptr[docs] - sub_ptr[:-1], lengths) + np.arange(sub_ptr[-1])
    hashes, offsets = shingle_hashes(tokens.ids[starts], sub_ptr, _SHINGLE)
    sig = signatures(hashes, offsets, _NUM_PERM, _SEED) if len(docs) else np.zeros((0, _NUM_PERM), np.uint32)

    def jaccard(i: np.ndarray, j: np.ndarray) -> np.ndarray:
        if not len(i):
            return np.zeros(0)
        return estimated_jaccard(sig, pos[i], pos[j])

    return jaccard


def _story_table(p: dict, root: np.ndarray, top_terms: int) -> tuple[pd.DataFrame, np.ndarray]:
    """One row per cluster of two or more documents; and each document's story number (-1: none)."""
    tokens, x = p["tokens"], p["x"]
    size = np.bincount(root, minlength=len(root))
    docs = np.flatnonzero(size[root] >= 2)
    day = np.where(p["no_date"], np.iinfo(np.int64).max, p["day"])
    # members in date order (undated last), then corpus order; stories by their first member
    docs = docs[np.lexsort((docs, day[docs]))]
    first = pd.Series(docs).groupby(root[docs], sort=False).first()
    story_rank = pd.Series(np.arange(len(first)), index=first.index)
    story_of = np.full(len(root), -1, np.int64)
    story_of[docs] = story_rank.reindex(root[docs]).to_numpy()
    members = [list() for _ in range(len(first))]
    for d in docs.tolist():
        members[story_of[d]].append(d)
    members = [np.array(m) for m in members]
    ia, ib, owner = [], [], []
    for k, m in enumerate(members):
        i, j = _member_pairs(m)
        ia.append(i), ib.append(j), owner.append(np.full(len(i), k))
    n = len(members)
    if n:
        ia, ib, owner = np.concatenate(ia), np.concatenate(ib), np.concatenate(owner)
        prod = x[ia].multiply(x[ib]).tocsr()
        sim = np.asarray(prod.sum(axis=1)).ravel()
        g = sp.csr_matrix((np.ones(len(owner)), (owner, np.arange(len(owner)))), shape=(n, len(owner)))
        shared = top_per_row(g @ prod, top_terms, np.asarray(tokens.vocab, dtype=object))
        mean = np.bincount(owner, sim, n) / np.bincount(owner, minlength=n)
        low = pd.Series(sim).groupby(owner).min().to_numpy()
    else:
        shared, mean, low = [], np.zeros(0), np.zeros(0)
    ids, groups = tokens.metadata.index, np.array(p["groups"], dtype=object)
    stamps = p["stamps"].dt.normalize()
    firsts = [stamps.iloc[m].min() for m in members]
    lasts = [stamps.iloc[m].max() for m in members]
    table = pd.DataFrame({
        "story": [f"S{k + 1:04d}" for k in range(n)],
        "n_docs": [len(m) for m in members],
        "n_outlets": [len(set(p["codes"][m].tolist())) for m in members],
        "outlets": [groups[p["codes"][m]].tolist() for m in members],
        "documents": [ids[m].tolist() for m in members],
        "mean_similarity": mean, "min_similarity": low, "shared_terms": shared,
        "first_date": pd.to_datetime(pd.Series(firsts, dtype="datetime64[ns]")),
        "last_date": pd.to_datetime(pd.Series(lasts, dtype="datetime64[ns]")),
    })
    table["date_span_days"] = (table["last_date"] - table["first_date"]).dt.days.astype("Int64")
    return table, story_of


def story_threshold_sweep(tokens: Any, thresholds: Sequence[float] = SWEEP_THRESHOLDS, by: str = "outlet", *,
                          date: str | None = "date", window_days: int = 3, weighting: str = "tfidf",
                          entity_weight: float = 2.0, number_weight: float = 2.0, one_per_group: bool = True,
                          undated: str = "any") -> pd.DataFrame:
    """Stories found, documents aligned and mean story size at each threshold, from one similarity computation.

    The pairs above the lowest threshold are computed once and linked most similar
    first (as :func:`align_stories` does); the state when the pass crosses a
    threshold is exactly what :func:`align_stories` returns at that threshold.
    Columns ``threshold``, ``stories``, ``documents_aligned``, ``share_aligned``,
    ``mean_story_size``, ``pairs_above_threshold``, ``pairs_blocked``; ``attrs`` the parameters.
    """
    values = list(thresholds) if not isinstance(thresholds, (int, float)) else [thresholds]
    if not values:
        raise ValueError("thresholds must hold at least one value")
    for t in values:
        check_fraction("threshold", t)
    p = _prepare("story_threshold_sweep", tokens, by, date, window_days, weighting, entity_weight, number_weight,
                 undated)
    ths = np.array(sorted(set(float(t) for t in values), reverse=True))
    a, b, s, n_cand = _edges(p, float(ths.min()))
    _, links = greedy_links(tokens.n_docs, a, b, s, p["rank"], np.maximum(p["codes"], 0), one_per_group, ths)
    sweep = links.sweep.sort_values("threshold").reset_index(drop=True)
    sweep.insert(3, "share_aligned", sweep["documents_aligned"] / tokens.n_docs)
    sweep.insert(4, "mean_story_size", (sweep["documents_aligned"] / sweep["stories"].where(sweep["stories"] > 0)))
    sweep.attrs = dict(analysis="story_threshold_sweep", **p["params"], one_per_group=one_per_group,
                       documents=int(tokens.n_docs), candidate_pairs=int(n_cand))
    return sweep


def with_stories(tokens: Any, stories: pd.DataFrame, column: str = "story") -> Any:
    """The tokens with a metadata column ``story`` (each document's story id; missing for the singletons).

    Usable as ``by="story"`` or ``strata="story"`` by every analysis. A new
    :class:`~discourse.tokens.Tokens` sharing everything but the metadata (a copy with the column) and
    ``params``, which gain ``"stories"`` (the alignment's ``attrs``); the metadata differ from the corpus
    read, so its :meth:`~discourse.tokens.Tokens.manifest_hash` is that of the extended metadata.
    """
    check_in_memory("with_stories", tokens)
    if "documents" not in stories.columns or "story" not in stories.columns:
        raise ValueError("with_stories needs the story table of align_stories (columns 'story' and 'documents')")
    labels = pd.Series(pd.NA, index=tokens.metadata.index, dtype="string")
    for story, docs in zip(stories["story"], stories["documents"]):
        labels.loc[docs] = story
    meta = tokens.metadata.copy()
    meta[column] = labels
    params = dict(tokens.params, stories={k: v for k, v in stories.attrs.items() if k != "analysis"})
    return dataclasses.replace(tokens, metadata=meta, params=params, _term_index=None)
