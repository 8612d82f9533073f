"""Dispersion of every term per group: a driver that selects parts and calls :mod:`discourse.stats.dispersion`.

The corpus parts are the documents of the shared document-term matrix (by
default), equal-size chunks of the token stream, or the values of a metadata
column; the measures and their formulas are in :mod:`discourse.stats.dispersion`.
It runs on an in-memory :class:`~discourse.tokens.Tokens` or any partitioned corpus
(a store, :class:`~discourse.partitions.SplitTokens`) the same way: each partition adds
its share of every measure's sums (:mod:`discourse.dispersion_parts`), so the results
on any split equal the whole.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .compat import with_compat
from .dispersion_parts import Layout, first_pass, measures_from_sums, merge_arf, merge_second, part_rows, second_pass
from .grouping import doc_codes, group_labels
from .partitions import map_partitions, merge_sum, term_totals
from .stats.dispersion import DIRECTION, DP_NORM, MEASURES, PART_SIZES, SD, dispersion_measures
from .tokens import Tokens
from .validation import (check_choice, check_count, check_grouping, check_min_freq, check_terms, check_tokens,
                         warn_one_part)

__all__ = ["dispersion"]


def _check_parts(parts) -> None:
    if isinstance(parts, (int, np.integer)) and not isinstance(parts, bool):
        if parts < 1:
            raise ValueError("parts as a chunk size must be a positive number of tokens")
    elif not isinstance(parts, str):
        raise ValueError("parts must be 'documents', a chunk size in tokens (int) or a metadata column name")


def _dense(table: sp.csr_matrix, k: int) -> np.ndarray:
    return table[k].toarray().ravel()


@with_compat("dispersion")
def dispersion(tokens: Tokens, by: str | None = None, *, parts: str | int = "documents",
               terms: Sequence[str] | None = None, min_freq: int = 1, sd: str = "population",
               dp_norm: str = "min_part", direction: str = "native", part_sizes: str = "actual",
               clamp_d: bool = False, _compat: dict | None = None) -> pd.DataFrame:
    """Dispersion of every term, per group: range, Juilland's D, Carroll's D2, Rosengren's S, DP, DPnorm, ARF.

    Parameters
    ----------
    tokens : Tokens or a partitioned corpus
        (a store, :class:`~discourse.partitions.SplitTokens`: analysed a partition at a time).
    by : str, optional
        Metadata column to group documents by (e.g. ``"outlet"``); ``None``: the whole corpus.
    parts : "documents", int or str
        The corpus parts: documents (default; of unequal size), equal-size chunks
        of ``parts`` tokens of the group's token stream (the last chunk is
        shorter), or the values of a metadata column (e.g. ``"date"``).
    terms : sequence of str, optional
        Report only these terms.
    min_freq : int
        Report terms with at least this frequency in the group.
    sd, dp_norm, direction, part_sizes, clamp_d
        Conventions, see :func:`~discourse.stats.dispersion.dispersion_measures` (defaults: population
        SD, DPnorm by ``1 - min s_i`` (Lijffijt & Gries 2012), each measure's own direction, the forms
        for unequal parts, no clamp); tabulated per tool in ``docs/conventions.md``.
    compat : {"quanteda", "wordsmith", "cqpweb", "sketchengine", "wordless"}, optional
        Set the conventions the caller did not pass to one tool's (:data:`discourse.compat.PRESETS`);
        recorded in ``attrs["params"]["compat"]``.

    Returns
    -------
    DataFrame
        One row per (group, term): ``group``, ``term``, ``freq``, ``parts`` (n),
        ``range`` (parts containing the term), ``range_prop``, ``juilland_d``,
        ``carroll_d2``, ``rosengren_s``, ``dp``, ``dp_norm``, ``arf`` (average reduced
        frequency over the group's token stream, :func:`arf`). Sorted by group, then
        frequency. Parameters are in ``.attrs``.
    """
    check_count("min_freq", min_freq, minimum=1)
    for name, value, allowed in (("sd", sd, SD), ("dp_norm", dp_norm, DP_NORM), ("direction", direction, DIRECTION),
                                 ("part_sizes", part_sizes, PART_SIZES), ("clamp_d", clamp_d, (False, True))):
        check_choice(name, value, allowed)
    check_tokens("dispersion", tokens)
    for name, grouping in (("by", by), ("parts", parts if isinstance(parts, str) and parts != "documents" else None)):
        check_grouping("dispersion", group_labels(tokens.metadata, grouping), grouping, tokens.metadata.columns, name)
    _check_parts(parts)
    check_min_freq("dispersion", "min_freq", min_freq, term_totals(tokens))
    check_terms("dispersion", terms, tokens.vocab, tokens.n_tokens)
    labels, codes = doc_codes(tokens, by)
    vocab = tokens.vocab.to_numpy()
    layout = Layout(codes, tokens.doc_lengths, len(labels), len(vocab))
    documents = parts == "documents"
    rows = None if documents else part_rows(layout, parts, None if not isinstance(parts, str)
                                            else doc_codes(tokens, parts)[1])
    # map: each partition's counts by group (and part rows); merge: their sums (see dispersion_parts)
    counted = merge_sum(map_partitions(tokens, first_pass, layout, rows))
    freq, rng, sum_p = counted[:3]
    equal = part_sizes == "equal"
    if equal:  # the equal-part forms: v_i for p_i, so sum p = f
        sum_p = freq
    sums, pieces = merge_second(map_partitions(tokens, second_pass, layout, freq, sum_p if documents else None,
                                               equal))
    arf_table = merge_arf(pieces, layout, freq)
    wanted = None if terms is None else np.isin(vocab, list(terms))
    frames, single = [], []
    for k, label in enumerate(labels):
        if documents:
            n_parts = int(layout.n_parts[k])
            s_min = 1 / n_parts if equal and n_parts else layout.s_min[k]
            res = measures_from_sums(_dense(freq, k), _dense(rng, k), _dense(sum_p, k),
                                     tuple(_dense(x, k) for x in sums), n_parts, s_min, sd, dp_norm,
                                     direction, clamp_d)
        else:
            lo, hi = rows["base"][k], rows["base"][k + 1]
            sizes = rows["sizes"][lo:hi]
            n_parts = int(np.count_nonzero(sizes > 0))
            res = dispersion_measures(counted[3][lo:hi], sizes, sd=sd, dp_norm=dp_norm, direction=direction,
                                      part_sizes=part_sizes, clamp_d=clamp_d)
        if n_parts < 2:
            single.append(label)
        res["arf"] = np.where(_dense(freq, k) > 0, _dense(arf_table, k), np.nan)
        keep = res["freq"] >= min_freq
        if wanted is not None:
            keep &= wanted
        idx = np.flatnonzero(keep)
        frame = pd.DataFrame({"group": label, "term": vocab[idx], "freq": res["freq"][idx].astype(np.int64),
                              "parts": n_parts,
                              **{c: res[c][idx] for c in ("range", "range_prop", *MEASURES[1:], "arf")}})
        frame["range"] = frame["range"].astype(np.int64)
        frames.append(frame)
    warn_one_part("dispersion", single, ("juilland_d", "carroll_d2", "dp_norm"))
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if len(out):
        out = out.sort_values(["group", "freq", "term"], ascending=[True, False, True], kind="stable")
        out = out.reset_index(drop=True)
    out.attrs = {"analysis": "dispersion", "by": by, "parts": parts, "min_freq": min_freq, "sd": sd,
                 "dp_norm": dp_norm, "direction": direction, "part_sizes": part_sizes, "clamp_d": clamp_d,
                 "params": {"compat": _compat}, "tokenizer": dict(tokens.params)}
    return out
