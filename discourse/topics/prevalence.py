"""Topic prevalence by metadata groups, with uncertainty.

Group means of document topic shares get percentile bootstrap intervals
(Efron & Tibshirani 1993) from resampling documents within each group
(:mod:`discourse.stats.resampling`, the bootstrap keyness uses too); the
difference between two groups gets an interval and a bootstrap p-value from
independent resampling of both. :func:`estimate_effect` regresses topic shares
on covariates in the manner of stm's ``estimateEffect`` (Roberts, Stewart &
Tingley 2019), propagating the uncertainty of the topic proportions by the
"method of composition".

What cannot be estimated is NaN, with a note (``attrs["notes"]``) and a
warning: the interval of a group with one document (a bootstrap over one
document has no spread: its "interval" would be the point itself), the
p-value of a difference involving such a group, and the standard errors of a
regression coefficient that rests on one document or leaves no residual degree
of freedom. ``significant`` columns rest on p-values adjusted over the topics
(:func:`discourse.stats.multiple.significance`, Šidák by default as keyness).
"""
from __future__ import annotations

import warnings
from typing import Any, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from ..grouping import group_labels
from ..stats.multiple import METHODS as CORRECTIONS, after_correction, significance
from ..stats.resampling import bootstrap_means, bootstrap_p_value, percentile_interval
from ..validation import check_choice, check_count, check_fraction, check_group, check_grouping
from .model import TopicModel, TopicModelWarning

__all__ = ["MIN_DOCS", "topic_prevalence", "prevalence_difference", "estimate_effect"]

MIN_DOCS = 2  # documents a group needs for any interval or test (one document has no spread)


def _check_boot(n_boot: int, ci: float) -> None:
    check_count("n_boot", n_boot, minimum=100)
    check_fraction("ci", ci)


def _say(notes: list[str]) -> list[str]:
    for note in notes:
        warnings.warn(note, TopicModelWarning, stacklevel=3)
    return notes


def topic_prevalence(model: TopicModel, by: str | None = "outlet", *, n_boot: int = 2000, ci: float = 0.95,
                     seed: int = 0) -> pd.DataFrame:
    """Mean topic share of each group's documents, with bootstrap confidence intervals.

    ``share = (1/n_g) Σ_{d in g} θ_dk`` (every document counts equally); the
    interval is the percentile interval of ``n_boot`` replicates resampling the
    group's documents with replacement.

    Parameters
    ----------
    model : TopicModel
    by : str or None
        Metadata column (``"outlet"``), a period of the ``date`` column
        (``"year"``, ``"quarter"``, ``"month"``, ``"week"``, ``"day"``) or
        ``None`` for the whole corpus. Documents without a value are left out.
    n_boot, ci, seed : bootstrap replicates, interval level, generator seed

    Returns
    -------
    DataFrame
        One row per (group, topic): ``group``, ``topic``, ``label``, ``share``,
        ``ci_low``, ``ci_high``, ``n_docs``. The interval is NaN for a group of one
        document, with a note in ``attrs["notes"]``; ``attrs["n_docs"]`` gives the
        documents per group.
    """
    _check_boot(n_boot, ci)
    groups = group_labels(model.corpus.metadata, by)
    check_grouping("topic_prevalence", groups, by, model.corpus.metadata.columns)
    theta = model.doc_topics
    rng = np.random.default_rng(seed)
    frames, single = [], []
    for g, pos in groups.groupby(groups, sort=True).indices.items():
        t = theta[pos]
        lo = hi = np.full(model.k, np.nan)
        if len(pos) >= MIN_DOCS:
            lo, hi = percentile_interval(bootstrap_means(t, n_boot, rng), ci)
        else:
            single.append(str(g))
        frames.append(pd.DataFrame({"group": g, "topic": np.arange(1, model.k + 1), "label": model.labels,
                                    "share": t.mean(axis=0), "ci_low": lo, "ci_high": hi, "n_docs": len(pos)}))
    out = pd.concat(frames, ignore_index=True)
    n_docs = out.drop_duplicates("group").set_index("group")["n_docs"]
    _warn_small_groups(n_docs)
    notes = [f"no interval for {', '.join(single)}: one document each (a bootstrap over one document has no "
             "spread; the share describes that text)"] if single else []
    out.attrs = {"analysis": "topic prevalence", "by": by, "n_boot": n_boot, "ci": ci, "bootstrap_seed": seed,
                 "interval": "percentile bootstrap over documents",
                 "n_docs": {str(k): int(v) for k, v in n_docs.items()},
                 "no_interval": single, "notes": _say(notes), **model.result_attrs()}
    return out


def prevalence_difference(model: TopicModel, a: Any, b: Any, by: str = "outlet", *, n_boot: int = 2000,
                          ci: float = 0.95, seed: int = 0, alpha: float = 0.05,
                          correction: str = "sidak") -> pd.DataFrame:
    """Difference in mean topic share between groups ``a`` and ``b``, with a bootstrap interval and p-value.

    ``difference = share_a − share_b``; each replicate resamples the documents
    of both groups independently. The two-sided p-value is
    ``min(1, 2 (min(#{Δ* ≤ 0}, #{Δ* ≥ 0}) + 1) / (n_boot + 1))`` (Davison &
    Hinkley 1997's +1 correction, so it is never 0). ``p_adjusted`` adjusts the
    K p-values for multiple comparisons (``correction``, default Šidák) and
    ``significant`` is ``p_adjusted < alpha``.

    With fewer than two documents in ``a`` or ``b`` nothing can be inferred:
    ``ci_low``, ``ci_high``, ``p_value`` and ``p_adjusted`` are NaN (the
    replicates of one document are all the same value, which would give the
    smallest possible p-value, ``2 / (n_boot + 1)``, to every topic), with a
    note in ``attrs["notes"]`` and a warning; the shares and their difference
    still describe the texts.

    Returns
    -------
    DataFrame
        One row per topic: ``topic``, ``label``, ``group_a``, ``group_b``,
        ``share_a``, ``share_b``, ``difference``, ``ci_low``, ``ci_high``, ``p_value``,
        ``p_adjusted``, ``significant``.
    """
    _check_boot(n_boot, ci)
    check_fraction("alpha", alpha)
    check_choice("correction", correction, CORRECTIONS)
    labels = group_labels(model.corpus.metadata, by)
    check_grouping("prevalence_difference", labels, by, model.corpus.metadata.columns)
    groups, names = labels.to_numpy(), sorted(labels.dropna().unique(), key=str)
    theta = model.doc_topics
    sides = []
    for role, g in (("a", a), ("b", b)):
        check_group("prevalence_difference", g, names, by, role)
        sides.append(theta[np.flatnonzero(groups == g)])
    _warn_small_groups(pd.Series([len(s) for s in sides], index=[a, b]))
    lo = hi = p = np.full(model.k, np.nan)
    single = [str(g) for g, side in zip((a, b), sides) if len(side) < MIN_DOCS]
    have = "has one document" if len(single) == 1 else "have one document each"
    notes = [f"no interval or p-value: {' and '.join(single)} {have} (a bootstrap over one document has no "
             "spread); the difference describes the texts"] if single else []
    if not single:
        rng = np.random.default_rng(seed)
        diffs = bootstrap_means(sides[0], n_boot, rng) - bootstrap_means(sides[1], n_boot, rng)
        lo, hi = percentile_interval(diffs, ci)
        p = bootstrap_p_value((diffs <= 0).sum(axis=0), (diffs >= 0).sum(axis=0), n_boot)
    p_adjusted, significant = significance(p, correction, alpha)
    share_a, share_b = sides[0].mean(axis=0), sides[1].mean(axis=0)
    out = pd.DataFrame({"topic": np.arange(1, model.k + 1), "label": model.labels, "group_a": a, "group_b": b,
                        "share_a": share_a, "share_b": share_b, "difference": share_a - share_b,
                        "ci_low": lo, "ci_high": hi, "p_value": p, "p_adjusted": p_adjusted,
                        "significant": significant})
    out.attrs = {"analysis": "topic prevalence difference", "by": by, "a": a, "b": b, "n_boot": n_boot, "ci": ci,
                 "bootstrap_seed": seed, "n_docs": {str(a): len(sides[0]), str(b): len(sides[1])},
                 "alpha": alpha, "correction": correction, "n_tests": int(np.isfinite(p).sum()),
                 "notes": _say(notes), **model.result_attrs()}
    return out


def _warn_small_groups(n_docs: pd.Series) -> None:
    small = n_docs[(n_docs < 10) & (n_docs >= MIN_DOCS)]  # one document: no interval at all (its own note)
    if len(small):
        warnings.warn(f"groups with fewer than 10 documents ({ {k: int(v) for k, v in small.items()} }): their bootstrap "
                      "intervals are unreliable", TopicModelWarning, stacklevel=3)


def estimate_effect(model: TopicModel, covariates: str | Sequence[str] = "outlet", *,
                    reference: dict | None = None, topics: Sequence[int] | None = None, n_sims: int = 25,
                    ci: float = 0.95, seed: int = 0, alpha: float = 0.05, correction: str = "sidak") -> pd.DataFrame:
    """Regression of topic shares on document covariates, after stm's ``estimateEffect``.

    For each topic ``k``: ``θ_dk = x_d β_k + ε_dk`` by ordinary least squares,
    with uncertainty in ``θ`` propagated by the method of composition (Tanner
    1996; Roberts, Stewart & Tingley 2019): in each of ``n_sims`` simulations
    every unit's proportions are drawn from its variational posterior
    ``Dirichlet(γ_u)``, aggregated to documents, the regression is refitted and
    one coefficient vector is drawn from ``N(β̂, σ̂² (XᵀX)⁻¹)``. Estimates are
    the means of the draws, standard errors their standard deviations,
    ``t = estimate / std_error`` with ``n − p`` degrees of freedom.

    Parameters
    ----------
    covariates : str or sequence of str
        Metadata columns or ``date`` periods (``"month"``); a string may be a
        formula ``"~ outlet + month"``. Text columns are treatment-coded against
        their first level (or ``reference[column]``); numeric ones enter as is.
    topics : sequence of int, optional
        1-based topics to report (default all).
    n_sims : int
        Simulations (stm's default 25).
    alpha, correction : float, {"sidak", "bonferroni", "holm", "bh", "none"}
        ``p_adjusted`` adjusts each term's p-values over the reported topics
        (default Šidák); ``significant`` is ``p_adjusted < alpha``.

    Returns
    -------
    DataFrame
        One row per (topic, term): ``topic``, ``label``, ``term`` (``"(Intercept)"``
        or ``"outlet[T.B]"``), ``estimate``, ``std_error``, ``t``, ``p_value``,
        ``p_adjusted``, ``significant``, ``ci_low``, ``ci_high``.

    Notes
    -----
    The inference columns are NaN (with a note in ``attrs["notes"]`` and a
    warning) where they cannot be estimated: for every term when the documents
    leave no residual degree of freedom (``n = p``, e.g. one document per
    outlet: the estimates are then the differences of the documents' shares),
    and for a level's coefficient when the level has one document (for the
    intercept and every level of the factor when it is the reference level).
    """
    if isinstance(covariates, str):
        covariates = [c.strip() for c in covariates.replace("~", "").split("+") if c.strip()]
    if not covariates:
        raise ValueError("give at least one covariate")
    if n_sims < 2:
        raise ValueError("n_sims must be at least 2")
    check_fraction("alpha", alpha)
    check_choice("correction", correction, CORRECTIONS)
    keep = np.arange(model.k) if topics is None else np.asarray(topics, int) - 1
    if keep.min(initial=0) < 0 or keep.max(initial=0) >= model.k:
        raise ValueError(f"topics are numbered 1..{model.k}")
    c = model.corpus
    x, names, rows = _design(c.metadata, list(covariates), reference or {})
    n, p = x.shape
    if n < p:
        raise ValueError(f"{n} documents with covariates for {p} coefficients: too few to estimate effects")
    unsure, notes = _unestimable(x, names, list(covariates))
    xtx_inv = np.linalg.pinv(x.T @ x)
    chol = np.linalg.cholesky(xtx_inv + 1e-12 * np.eye(p))
    rng = np.random.default_rng(seed)
    w = c.units["n_tokens"].to_numpy(float) + 1e-9
    doc_w = np.bincount(c.unit_doc, weights=w, minlength=c.n_docs)
    draws = np.empty((n_sims, p, model.k))
    for s in range(n_sims):
        g = rng.standard_gamma(model.gamma)
        unit_theta = g / g.sum(axis=1, keepdims=True)
        doc_theta = np.zeros((c.n_docs, model.k))
        np.add.at(doc_theta, c.unit_doc, unit_theta * w[:, None])
        y = (doc_theta / doc_w[:, None])[rows]
        beta = xtx_inv @ x.T @ y
        sigma2 = ((y - x @ beta) ** 2).sum(axis=0) / max(n - p, 1)  # unused when n == p (no residual df)
        draws[s] = beta + (chol @ rng.standard_normal((p, model.k))) * np.sqrt(sigma2) * (n > p)
    est, se = draws.mean(axis=0), draws.std(axis=0, ddof=1)
    t = est / np.maximum(se, 1e-300)
    pval = 2 * stats.t.sf(np.abs(t), df=max(n - p, 1))
    lo, hi = percentile_interval(draws, ci)
    for arr in (se, t, pval, lo, hi):
        arr[unsure] = np.nan
    labels = np.asarray(model.labels, dtype=object)
    terms = np.tile(names, len(keep))
    p_value = pval[:, keep].T.ravel()
    p_adjusted, significant = significance(p_value, correction, alpha, terms)  # each term over the topics
    out = pd.DataFrame({"topic": np.repeat(keep + 1, p), "label": np.repeat(labels[keep], p),
                        "term": terms, "estimate": est[:, keep].T.ravel(),
                        "std_error": se[:, keep].T.ravel(), "t": t[:, keep].T.ravel(),
                        "p_value": p_value, "p_adjusted": p_adjusted, "significant": significant,
                        "ci_low": lo[:, keep].T.ravel(), "ci_high": hi[:, keep].T.ravel()})
    out.attrs = {"analysis": "topic prevalence regression", "covariates": list(covariates), "n_sims": n_sims,
                 "ci": ci, "simulation_seed": seed, "n_docs": n, "residual_df": n - p,
                 "method": "OLS with method of composition (stm estimateEffect)", "alpha": alpha,
                 "correction": correction, "no_inference": [nm for nm, u in zip(names, unsure) if u],
                 "n_tests": {nm: int(np.isfinite(pval[j, keep]).sum()) for j, nm in enumerate(names)
                             if np.isfinite(pval[j, keep]).any()},
                 "notes": _say(notes), **model.result_attrs()}
    return out


def _unestimable(x: np.ndarray, names: list[str], covariates: list[str]) -> tuple[np.ndarray, list[str]]:
    """Coefficients whose standard errors cannot be estimated, and the notes that say why.

    No residual degree of freedom: none. A treatment level with one document:
    its coefficient. A reference level with one document: the intercept and
    every level of that factor (each is a difference from that one document).
    """
    n, p = x.shape
    if n == p:
        return np.ones(p, bool), [f"no standard errors, p-values or intervals: {n} documents for {p} coefficients "
                                  "leave no residual degree of freedom (the estimates describe the documents)"]
    unsure, notes = np.zeros(p, bool), []
    for cov in covariates:
        cols = [j for j, nm in enumerate(names) if nm.startswith(f"{cov}[T.")]
        if not cols:
            continue
        single = [j for j, c in zip(cols, x[:, cols].sum(axis=0)) if c < MIN_DOCS]
        if n - x[:, cols].sum() < MIN_DOCS:  # the reference level: every coefficient is a difference from it
            unsure[[0, *cols]] = True
            notes.append(f"no standard errors, p-values or intervals for the intercept and the levels of {cov}: "
                         "its reference level has one document")
        elif single:
            unsure[single] = True
            notes.append(f"no standard errors, p-values or intervals for {', '.join(names[j] for j in single)}: "
                         "one document each")
    return unsure, notes


def _design(metadata: pd.DataFrame, covariates: list[str], reference: dict) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Design matrix (intercept + treatment-coded factors + numeric columns) for documents with all covariates."""
    cols = {cov: group_labels(metadata, cov) for cov in covariates}
    for cov, values in cols.items():
        check_grouping("estimate_effect", values, cov, metadata.columns, "covariate")
    frame = pd.DataFrame(cols)
    rows = np.flatnonzero(frame.notna().all(axis=1).to_numpy())
    frame = frame.iloc[rows]
    parts, names = [np.ones((len(frame), 1))], ["(Intercept)"]
    for cov in covariates:
        v = frame[cov]
        if pd.api.types.is_numeric_dtype(v) and not pd.api.types.is_bool_dtype(v):
            parts.append(v.to_numpy(float)[:, None])
            names.append(cov)
            continue
        levels = sorted(pd.unique(v), key=str)
        base = reference.get(cov, levels[0])
        if base not in levels:
            raise ValueError(f"reference level {base!r} is not a value of {cov!r} ({levels})")
        others = [lv for lv in levels if lv != base]
        parts.append(np.column_stack([(v == lv).to_numpy(float) for lv in others]) if others
                     else np.zeros((len(v), 0)))
        names += [f"{cov}[T.{lv}]" for lv in others]
    return np.hstack(parts), names, rows
