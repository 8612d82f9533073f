"""Agenda or framing: how much of an outlet difference in a term's frequency comes from story selection.

:func:`agenda_framing` splits the pooled difference in a term's relative
frequency between two sides (outlets) into the part due to *which* shared
stories each side gave its words to (agenda, a composition effect), the part
due to *how often* each side used the term within the shared stories (framing,
a rate effect), and the part from the stories only one side covered (and the
documents in no story). The decomposition is Kitagawa's (1955) with symmetric
weights (:func:`discourse.stats.stratified.kitagawa`), a descriptive identity:
the three parts add up to the difference exactly.
"""
from __future__ import annotations

import copy
from typing import Any, Sequence

import numpy as np
import pandas as pd

from .grouping import group_labels
from .keyness_sides import as_list
from .keyness_strata import check_strata, strata_counts
from .stats.stratified import kitagawa
from .validation import check_group, check_tokens, check_words

__all__ = ["agenda_framing"]

_NONE = "(no story)"


def agenda_framing(tokens: Any, terms: str | Sequence[str], target: Any, reference: Any = "rest", *,
                   by: str = "outlet", strata: str = "story", per: float = 10_000) -> pd.DataFrame:
    """Decompose a term's frequency difference between two outlets into agenda, framing and non-shared parts.

    With, for side ``X`` (target ``T`` or reference ``R``) and story ``s``, the
    side's tokens ``N_Xs``, the term's count ``f_Xs``, the share of the side's
    tokens ``w_Xs = N_Xs / N_X`` and the within-story rate ``r_Xs = f_Xs / N_Xs``,
    the pooled rates are weighted means, ``r_X = f_X / N_X = sum_s w_Xs r_Xs``, and
    (Kitagawa 1955; Das Gupta 1993, the two-factor case, with symmetric weights)

    ``r_T - r_R = agenda + framing + non_shared``, where over the shared stories ``S``
    (both sides have tokens there)

    - ``agenda = sum_S (w_Ts - w_Rs) (r_Ts + r_Rs) / 2``: composition, the
      difference in the attention the sides gave each shared story at the stories'
      mean rate;
    - ``framing = sum_S (r_Ts - r_Rs) (w_Ts + w_Rs) / 2``: rate, the within-story
      difference in use at the stories' mean weight;
    - ``non_shared = sum_{s covered by T only} w_Ts r_Ts - sum_{s covered by R only} w_Rs r_Rs``:
      the stories one side did not cover, and the documents in no story (missing
      ``strata``, pooled on each side as one stratum of its own, never matched).

    All in occurrences per ``per`` tokens. The identity is exact; it is a
    description, not a test (compare :func:`discourse.keyness.keyness` with ``strata=``).

    Parameters
    ----------
    tokens : Tokens or a partitioned corpus
    terms : str or list of str
        Term(s) as counted (lowercase by default); one row each.
    target, reference : group label(s); reference may be ``"rest"``
        The two sides (values of ``by``).
    by : str
        Groups (default ``"outlet"``).
    strata : str
        The story column (default ``"story"``).
    per : float
        Rates per this many tokens (default 10,000).

    Returns
    -------
    DataFrame
        One row per term: ``term``, ``target``, ``reference``, ``rate_target``,
        ``rate_reference``, ``difference``, ``agenda``, ``framing``, ``non_shared``,
        ``framing_share`` (framing / difference), ``freq_target``, ``freq_reference``,
        ``shared_share_target``/``_reference`` (share of each side's tokens in shared stories),
        ``n_shared``, ``n_target_only``, ``n_reference_only`` (stories). ``attrs``: the options,
        the formula, the stories of each kind.
    """
    terms = [terms] if isinstance(terms, str) else list(terms)
    check_words("terms", terms)
    missing = [t for t in terms if t not in tokens.vocab]
    if missing:
        raise ValueError(f"agenda_framing: {missing} not in the vocabulary (terms are counted lowercase by "
                         "default; see tokens.vocab)")
    check_tokens("agenda_framing", tokens, by, group_labels(tokens.metadata, by))
    check_strata("agenda_framing", tokens, strata, by)
    view = copy.copy(tokens)  # the story-less documents as one more stratum (never a shared one)
    column = strata + " or none"
    view.metadata = tokens.metadata.assign(**{column: tokens.metadata[strata].astype("string").fillna(_NONE)})
    groups, labels, counts, _ = strata_counts(view, by, column)
    t_labs = as_list(target)
    r_labs = [g for g in groups if g not in t_labs] if isinstance(reference, str) and reference == "rest" \
        else as_list(reference)
    for x in t_labs:
        check_group("agenda_framing", x, groups, by, "target")
    for x in r_labs:
        check_group("agenda_framing", x, groups, by, "reference")
    if not r_labs or set(t_labs) & set(r_labs):
        raise ValueError(f"agenda_framing: target {t_labs} and reference {r_labs} must be two disjoint sets of groups")
    n_s = len(labels)
    ids = np.array([tokens.term_id(t) for t in terms])
    size = np.asarray(counts.sum(axis=1)).reshape(len(groups), n_s)
    pick = counts[:, ids].toarray().reshape(len(groups), n_s, len(ids))

    def side(labs):
        rows = [groups.index(x) for x in labs]
        return size[rows].sum(axis=0).astype(float), pick[rows].sum(axis=0).astype(float)

    (n_t, f_t), (n_r, f_r) = side(t_labs), side(r_labs)
    real = np.array([lab != _NONE for lab in labels])
    shared = real & (n_t > 0) & (n_r > 0)
    w_t, w_r = n_t / n_t.sum(), n_r / n_r.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        r_t, r_r = f_t / n_t[:, None] * per, f_r / n_r[:, None] * per
    rows = []
    for j, term in enumerate(terms):
        k = kitagawa(w_t[shared], r_t[shared, j], w_r[shared], r_r[shared, j])
        only_t, only_r = ~shared & (n_t > 0), ~shared & (n_r > 0)
        non_shared = float((w_t[only_t] * r_t[only_t, j]).sum() - (w_r[only_r] * r_r[only_r, j]).sum())
        rate_t, rate_r = f_t[:, j].sum() / n_t.sum() * per, f_r[:, j].sum() / n_r.sum() * per
        diff = rate_t - rate_r
        rows.append({"term": term, "target": "+".join(map(str, t_labs)),
                     "reference": "rest" if isinstance(reference, str) and reference == "rest"
                     else "+".join(map(str, r_labs)), "rate_target": rate_t, "rate_reference": rate_r,
                     "difference": diff, "agenda": k["composition"], "framing": k["rate"], "non_shared": non_shared,
                     "framing_share": k["rate"] / diff if diff else np.nan,
                     "freq_target": int(f_t[:, j].sum()), "freq_reference": int(f_r[:, j].sum()),
                     "shared_share_target": float(w_t[shared].sum()), "shared_share_reference": float(w_r[shared].sum()),
                     "n_shared": int(shared.sum()), "n_target_only": int((real & only_t).sum()),
                     "n_reference_only": int((real & only_r).sum())})
    out = pd.DataFrame(rows)
    out.attrs = {"analysis": "agenda_framing", "by": by, "strata": strata, "target": target, "reference": reference,
                 "per": per, "method": "Kitagawa (1955) decomposition with symmetric weights",
                 "formula": "r_T - r_R = sum_S (w_T - w_R)(r_T + r_R)/2 [agenda] + sum_S (r_T - r_R)(w_T + w_R)/2 "
                            "[framing] + non-shared stories",
                 "stories_shared": [lab for lab, s in zip(labels, shared) if s],
                 "stories_target_only": [lab for lab, a, b in zip(labels, n_t, n_r) if lab != _NONE and a and not b],
                 "stories_reference_only": [lab for lab, a, b in zip(labels, n_t, n_r) if lab != _NONE and b and not a],
                 "tokens_without_story": {"target": int(n_t[~real].sum()), "reference": int(n_r[~real].sum())},
                 "tokenizer": dict(tokens.params)}
    return out
