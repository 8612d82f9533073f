"""Ranking a keyword list by an effect size: the order of its rows, and the top terms per direction.

Hardie (2014): filter keywords on significance, then rank them by an effect
size. Overused (positive) keywords come first, largest effect first, then
underused (negative) keywords, strongest first. When nothing passes the
significance filter, :func:`top_by_effect` picks the terms a descriptive list
shows instead (the same order, the top ``n`` of each direction).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["SORT_KEYS", "SORT_NAMES", "order_keywords", "top_by_effect"]

SORT_NAMES = {"log_ratio": "Log Ratio", "log_ratio_conservative": "conservative Log Ratio",
              "log_likelihood": "log-likelihood G\u00b2", "percent_diff": "%DIFF", "odds_ratio": "odds ratio",
              "simple_maths": "simple maths", "log_odds_z": "log-odds z-score", "bic": "BIC"}
SORT_KEYS = tuple(SORT_NAMES)


def _key(values: np.ndarray, over: np.ndarray, sort_by: str) -> np.ndarray:
    """Ascending sort key: overuse by decreasing effect, underuse by increasing (most negative first).

    BIC is a strength of evidence (not signed): largest first in both directions.
    """
    key = np.where(over, -values, values if sort_by != "bic" else -values)
    return np.where(np.isnan(key), np.inf, key)


def order_keywords(frame: pd.DataFrame, sort_by: str) -> pd.DataFrame:
    """Overuse first (largest effect first), then underuse (strongest first), then the rest; ties by term."""
    rank = frame["direction"].map({"over": 0, "under": 1}).fillna(2).to_numpy()
    key = _key(frame[sort_by].to_numpy(dtype=float), rank == 0, sort_by)
    return frame.iloc[np.lexsort((frame["term"].to_numpy(dtype=str), key, rank))]


def top_by_effect(values: np.ndarray, sign: np.ndarray, terms: np.ndarray, candidates: np.ndarray,
                  sort_by: str, n: int) -> np.ndarray:
    """Column indices of the top ``n`` over- and the top ``n`` underused candidates by ``sort_by`` (sorted).

    ``sign`` is the direction of each term (the sign of the signed G2: +1 over,
    -1 under); terms with no difference (0) are never picked.
    """
    picks = []
    for direction in (1, -1):
        idx = np.flatnonzero(candidates & (sign == direction))
        key = _key(values[idx], np.full(len(idx), direction > 0), sort_by)
        picks.append(idx[np.lexsort((terms[idx].astype(str), key))[:n]])
    return np.sort(np.concatenate(picks))
