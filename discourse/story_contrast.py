"""Within one story: the words each outlet used and the others did not, and their concordances side by side.

:func:`story_contrast` lists, for one story (a value of the ``strata`` column,
e.g. ``story`` from story alignment), the terms that one outlet used and no
other outlet covering the story used, with their counts and documents; with
``node``, also the collocates of the node (:func:`discourse.collocates.collocates`,
computed within the story per outlet) that only that outlet has.
:func:`aligned_kwic` shows the concordance lines (:func:`discourse.kwic.kwic`)
of every outlet for the story, in one long table or side by side by rank.
Both work on a partitioned corpus: the story's documents are chosen through
the metadata, never by copying the token stream.
"""
from __future__ import annotations

import copy
import warnings
from typing import Any, Iterable

import numpy as np
import pandas as pd

from .collocates import collocates
from .grouping import doc_codes, group_counts, group_labels
from .kwic import kwic
from .partitions import stacked_columns
from .query import Query
from .stopwords import english_stopwords
from .validation import check_count, check_tokens, missing_column_error

__all__ = ["story_contrast", "aligned_kwic", "story_view"]


def story_view(tokens: Any, story: Any, by: str, strata: str | None, function: str) -> tuple[Any, str, list]:
    """A shallow copy of ``tokens`` whose extra column is ``by`` within the story (missing elsewhere).

    Returns ``(view, column, groups)``. ``strata=None``: the whole corpus is the story.
    Nothing of the corpus is copied but its metadata table.
    """
    meta = tokens.metadata
    check_tokens(function, tokens, by, group_labels(meta, by))
    if strata is None:
        if story is not None:
            raise ValueError(f"{function}: story={story!r} needs strata= (the story column); strata=None "
                             "treats the whole corpus as one story")
        inside = np.ones(len(meta), bool)
    else:
        if strata not in meta.columns:
            raise missing_column_error(strata, meta.columns)
        if strata == by:
            raise ValueError(f"{function}: strata={strata!r} is also by={by!r}")
        if story is None:
            stories = meta[strata].dropna().unique()
            if len(stories) != 1:
                raise ValueError(f"{function}: name the story (one of {len(stories):,} values of {strata!r}, "
                                 f"e.g. {list(stories[:5])})")
            story = stories[0]
        inside = (meta[strata].astype("string") == str(story)).fillna(False).to_numpy(bool)
        if not inside.any():
            raise ValueError(f"{function}: story {story!r} is not a value of {strata!r}")
    column = f"{by} in story"
    while column in meta.columns:
        column += "_"
    view = copy.copy(tokens)
    view.metadata = meta.assign(**{column: meta[by].where(inside)})
    groups = sorted(view.metadata[column].dropna().unique().tolist())
    if len(groups) < 2:
        raise ValueError(f"{function}: story {story!r} is covered by {len(groups)} value(s) of {by!r} ({groups}); "
                         "a contrast needs at least 2")
    return view, column, groups


def _quiet(func, *args, **kwargs):
    """Call an analysis on a story view: its documents outside the story are in no group by design."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"by=.*documents have no .* value")
        return func(*args, **kwargs)


def _only_one(labels: list, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(group, term) of the terms used by exactly one group (``counts`` groups x terms)."""
    used = counts > 0
    one = used.sum(axis=0) == 1
    cols = np.flatnonzero(one)
    return used[:, cols].argmax(axis=0), cols


def story_contrast(tokens: Any, story: Any = None, *, by: str = "outlet", strata: str | None = "story",
                   node: Query | None = None, left: int = 5, right: int = 5, min_freq: int = 1,
                   stopwords: str | Iterable[str] | None = "english", regex: bool = False) -> pd.DataFrame:
    """The terms (and collocates of ``node``) one outlet used in a story and the other outlets did not.

    Parameters
    ----------
    tokens : Tokens or a partitioned corpus
    story : value of ``strata``, optional
        The story; may be omitted when ``strata`` has one value (or ``strata=None``).
    by : str
        The groups contrasted (default ``"outlet"``).
    strata : str or None
        The story column (default ``"story"``, as added by story alignment);
        ``None``: the whole corpus is one story (the sample corpus: two outlets on one event).
    node : query, optional
        Also the node's collocates (L``left``-R``right`` windows, within the story, per
        outlet, :func:`discourse.collocates.collocates` with ``min_freq=1`` and
        ``min_coll_freq=1``, as a one-story corpus is small) that only one outlet has.
    min_freq : int
        Minimum count within the story of a term (or co-occurrences of a collocate)
        in the outlet that used it (default 1: a one-off wording is a finding in one story).
    stopwords : "english", None or iterable
        Terms not listed (default the English stop words; they still count).
    regex : bool
        ``node`` as regular expressions.

    Returns
    -------
    DataFrame
        One row per (group, term): ``group``, ``kind`` (``"term"`` or ``"collocate"``),
        ``term``, ``freq`` (its count in the group's story documents, or the co-occurrences
        with the node), ``doc_freq`` (documents where it occurs, or co-occurs with the node),
        ``documents`` (the doc ids, for reading them: for a collocate, the group's documents
        holding both the node and the collocate),
        ordered by group, kind, decreasing ``freq``, term. ``attrs``: the story, the groups,
        each group's tokens in the story, the options.

    Notes
    -----
    "Used by one outlet and not the others" is descriptive: in one story a word's
    absence from a short article is weak evidence; read the documents and the
    concordance (:func:`aligned_kwic`) before calling it a framing difference.
    """
    check_count("min_freq", min_freq, minimum=1)
    view, column, groups = story_view(tokens, story, by, strata, "story_contrast")
    labels, freq, docfreq, n_docs = _quiet(group_counts, view, column)
    counts = freq.toarray()
    g, cols = _only_one(labels, counts)
    keep = counts[g, cols] >= min_freq
    g, cols = g[keep], cols[keep]
    terms = tokens.vocab.to_numpy()
    drop = set(english_stopwords()) if stopwords == "english" else set(stopwords or ())
    listed = ~np.isin(terms[cols], np.asarray(sorted(drop), dtype=object))
    g, cols = g[listed], cols[listed]
    _, codes = _quiet(doc_codes, view, column)
    dtm = stacked_columns(view, cols).tocoo()  # documents x listed terms, over every partition
    mine = codes[dtm.row] == g[dtm.col]
    ids = np.asarray(tokens.doc_ids, dtype=object)
    docs = pd.Series(ids[dtm.row[mine]]).groupby(dtm.col[mine]).agg(list)
    out = pd.DataFrame({"group": np.asarray(labels, dtype=object)[g], "kind": "term", "term": terms[cols],
                        "freq": counts[g, cols].astype(np.int64), "doc_freq": docfreq.toarray()[g, cols].astype(np.int64),
                        "documents": [docs.get(j, []) for j in range(len(cols))]})
    if node is not None:
        out = pd.concat([out, _collocate_rows(view, column, node, left, right, min_freq, stopwords, regex)],
                        ignore_index=True)
    out = out.sort_values(["group", "kind", "freq", "term"], ascending=[True, False, False, True],
                          kind="stable").reset_index(drop=True)
    sizes = {str(lab): int(s) for lab, s in zip(labels, np.asarray(freq.sum(axis=1)).ravel())}
    out.attrs = {"analysis": "story_contrast", "by": by, "strata": strata, "story": story, "groups": groups,
                 "story_tokens": sizes, "story_docs": dict(zip(map(str, labels), n_docs.astype(int).tolist())),
                 "node": node, "left": left, "right": right, "min_freq": min_freq,
                 "stopwords": stopwords if isinstance(stopwords, (str, type(None))) else "custom",
                 "tokenizer": dict(tokens.params)}
    return out


def _collocate_rows(view: Any, column: str, node: Query, left: int, right: int, min_freq: int,
                    stopwords: Any, regex: bool) -> pd.DataFrame:
    """The node's collocates within the story that exactly one group has (co-occurrences >= ``min_freq``)."""
    col = _quiet(collocates, view, node, by=column, left=left, right=right, min_freq=1, min_coll_freq=1,
                 stopwords=stopwords, regex=regex)
    n_groups = col.groupby("collocate")["group"].transform("nunique")
    col = col[(n_groups == 1) & (col["freq"] >= min_freq)]
    hits = _quiet(kwic, view, node, (left, right), by=column, regex=regex)
    with_node = set(zip(hits["group"], hits["doc_id"]))
    ids = np.asarray(view.doc_ids, dtype=object)
    _, codes = _quiet(doc_codes, view, column)
    labels = sorted(view.metadata[column].dropna().unique().tolist())
    term_ids = np.array([view.term_id(t) for t in col["collocate"]], dtype=np.int64)
    dtm = stacked_columns(view, term_ids).tocsc()
    docs = []
    for j, g in enumerate(col["group"]):  # the story's few collocates: the documents of the group with both
        rows = dtm.indices[dtm.indptr[j]:dtm.indptr[j + 1]]
        docs.append(sorted(str(d) for d, c in zip(ids[rows], codes[rows]) if c >= 0 and labels[c] == g
                           and (g, d) in with_node))
    return pd.DataFrame({"group": col["group"].to_numpy(), "kind": "collocate", "term": col["collocate"].to_numpy(),
                         "freq": col["freq"].to_numpy(np.int64), "doc_freq": col["doc_freq"].to_numpy(np.int64),
                         "documents": docs})

def aligned_kwic(tokens: Any, query: Query, story: Any = None, *, by: str = "outlet", strata: str | None = "story",
                 window: int | tuple[int, int] = 5, layout: str = "long", sort: Any = None,
                 sentence: bool = False, regex: bool = False) -> pd.DataFrame:
    """The concordance lines of every outlet for one story, side by side.

    A :func:`discourse.kwic.kwic` of ``query`` over the story's documents, grouped by ``by``.

    Parameters
    ----------
    tokens, story, by, strata
        As in :func:`story_contrast`.
    query, window, sort, sentence, regex
        As in :func:`discourse.kwic.kwic`.
    layout : {"long", "wide"}
        ``"long"`` (default): kwic's table, one row per line with its ``group``
        (the outlet) and ``rank`` (the line's number within its outlet). ``"wide"``:
        one row per rank, and for every outlet its ``left``, ``node``, ``right`` and
        ``doc_id`` (columns ``(outlet, part)``; empty where an outlet has fewer lines).

    Returns
    -------
    DataFrame
        As described; ``attrs``: kwic's, plus ``story``, ``strata`` and ``layout``.
    """
    if layout not in ("long", "wide"):
        raise ValueError(f"layout must be one of ['long', 'wide'], not {layout!r}")
    view, column, groups = story_view(tokens, story, by, strata, "aligned_kwic")
    lines = _quiet(kwic, view, query, window, by=column, where={column: groups}, sort=sort, sentence=sentence,
                   regex=regex)
    attrs = {**lines.attrs, "by": by, "story": story, "strata": strata, "layout": layout, "groups": groups}
    lines = pd.DataFrame(lines)
    lines["rank"] = lines.groupby("group", sort=False).cumcount() + 1
    if layout == "long":
        out = lines.reset_index(drop=True)
    else:
        parts = ["left", "node", "right", "doc_id"]
        out = lines.set_index(["rank", "group"])[parts].unstack("group").swaplevel(axis=1)
        out = out.reindex(columns=pd.MultiIndex.from_product([groups, parts])).fillna("")
    out.attrs = attrs
    return out
