"""De-duplication: exact and near duplicates, versions and syndicated copies, with an audit.

:func:`dedup` finds, on the shared token stream of a :class:`~discourse.tokens.Tokens`,

- **exact** duplicates: the same token sequence (a hash of the normalised tokens);
- **near** duplicates: estimated Jaccard similarity of word-``shingle``-gram sets at
  least ``threshold``, by MinHash (Broder 1997) and LSH banding (Leskovec et al. 2014);
- **versions**: the same outlet, the same URL or headline, and Jaccard at least
  ``version_threshold`` (updated versions of one story; the latest is kept);
- **syndicated** copies: a cluster of near duplicates spanning two or more outlets is the
  same (wire) text run by several outlets, not one outlet's wording twice. Its documents
  are marked ``syndicated=True`` and kept by default; within one outlet its copies are
  still that outlet's duplicates.

Every document in a cluster is listed in the audit with its action, and documents read =
kept + removed (by kind) is recorded in the audit's ``attrs``.
"""
from __future__ import annotations

import hashlib
import re
import warnings
from dataclasses import dataclass, field, replace
from typing import Any, Mapping

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from .corpus import Corpus
from .dedup_shingles import (candidate_pairs, estimated_jaccard, exact_jaccard, lsh_params, shingle_hashes,
                             signatures)
from .syndication import syndication_share, wire_credits
from .validation import check_choice, check_count, check_fraction, check_policy

__all__ = ["dedup", "Deduplication", "KEEP_POLICIES", "syndication_share"]

KEEP_POLICIES = ("first", "longest", "earliest", "latest", "all")
KINDS = ("exact", "near", "version", "syndicated")
_MAX_VERSION_GROUP = 50   # a headline shared by more documents is a rubric ("Letters"), not one story


@dataclass
class Deduplication:
    """The result of :func:`dedup`.

    Attributes
    ----------
    source : Tokens or None
        The tokens given (None after :meth:`without_tokens`, as ``corpus.dedup`` of
        :func:`discourse.read_corpus` keeps it: then ``tokens`` raises).
    tokens : Tokens
        The kept documents (a property); their metadata gains ``syndicated`` (bool), ``wire``
        (agency credited in the text, or None) and ``dup_cluster`` (cluster id or <NA>).
    audit : DataFrame
        One row per document in a cluster: ``cluster``, ``doc_id``, ``outlet``, ``kind``
        (exact / near / version / syndicated), ``action`` (kept / removed / marked),
        ``reference`` (the document it was compared with), ``similarity`` (MinHash
        estimate of the Jaccard similarity of shingle sets), ``jaccard`` (the exact
        Jaccard), ``tokens``, ``syndicated``, ``wire``. Parameters and the
        reconciliation in ``attrs``.
    documents : DataFrame
        One row per document read: ``doc_id``, the outlet, ``tokens``, ``cluster``,
        ``kind``, ``action``, ``syndicated``, ``wire``, ``kept``.
    """

    source: Any = field(repr=False)
    audit: pd.DataFrame
    documents: pd.DataFrame
    params: dict = field(default_factory=dict)
    _tokens: Any = field(default=None, repr=False)

    @property
    def tokens(self) -> Any:
        """The kept documents as :class:`Tokens` (made on first access: a copy of the kept token stream)."""
        if self._tokens is None and self.source is None:
            raise ValueError("this de-duplication keeps no tokens (read_corpus dropped them to save memory): its kept "
                             "documents are the corpus read; tokenize the corpus for them, dc.tokenize(corpus)")
        if self._tokens is None:
            d = self.documents
            kept = self.source.select(d["kept"].to_numpy())
            kept.metadata = kept.metadata.assign(syndicated=d["syndicated"].to_numpy()[self.kept],
                                                 wire=d["wire"].to_numpy()[self.kept],
                                                 dup_cluster=d["cluster"].array[self.kept])
            self._tokens = kept
        return self._tokens

    @property
    def kept(self) -> np.ndarray:
        """Boolean mask over the documents read: True for the documents kept."""
        return self.documents["kept"].to_numpy()

    @property
    def reconciliation(self) -> pd.DataFrame:
        """``stage``, ``kind``, ``documents``: read = kept + removed (by kind)."""
        a = self.audit.attrs
        rows = [("read", "", a["documents_read"]), ("kept", "", a["documents_kept"])]
        rows += [("removed", kind, a["removed"][kind]) for kind in KINDS]
        return pd.DataFrame(rows, columns=["stage", "kind", "documents"])

    def without_tokens(self) -> "Deduplication":
        """This result without its tokens (audit, documents and counts only): ``.tokens`` then raises."""
        return replace(self, source=None, _tokens=None)

    def syndication_share(self, by: str | None = None) -> pd.DataFrame:
        """:func:`discourse.syndication.syndication_share` of this result."""
        return syndication_share(self, by or self.params.get("outlet") or "outlet")

    def summary(self) -> str:
        a = self.audit.attrs
        removed = ", ".join(f"{a['removed'][k]} {k}" for k in KINDS if a["removed"][k])
        return (f"{a['documents_read']} documents read, {a['documents_kept']} kept, "
                f"{sum(a['removed'].values())} removed" + (f" ({removed})" if removed else "")
                + f", {a['syndicated_documents']} syndicated")

    def __repr__(self) -> str:
        return f"<Deduplication: {self.summary()}>"


def _check(threshold, shingle, num_perm, seed, keep, versions, version_threshold, syndicated, meta) -> None:
    check_fraction("threshold", threshold)
    check_fraction("version_threshold", version_threshold)
    check_count("shingle", shingle, minimum=1)
    check_count("num_perm", num_perm, minimum=2)
    check_count("seed", seed)
    check_choice("syndicated", syndicated, ["mark", "remove"])
    check_policy("keep", keep, KEEP_POLICIES, meta)
    check_policy("versions", versions, KEEP_POLICIES, meta)


def _dates(meta: pd.DataFrame, column: str | None) -> np.ndarray:
    """Dates as int64 nanoseconds (NaT -> the smallest value), or None when there is no date column."""
    if not column or column not in meta.columns:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        d = pd.to_datetime(meta[column], errors="coerce", utc=True, format="mixed")
    return d.to_numpy(dtype="datetime64[ns]").astype(np.int64)   # NaT is the minimum int64


def _choose(members: np.ndarray, policy: Any, lengths: np.ndarray, dates: np.ndarray | None,
            meta: pd.DataFrame) -> int:
    """The representative of ``members`` (sorted corpus positions) under a keep policy; ties go to the first."""
    if policy in ("first", "all"):
        return int(members[0])
    if policy == "longest":
        return int(members[np.argmax(lengths[members])])
    if policy in ("earliest", "latest"):
        if dates is None or (dates[members] == np.iinfo(np.int64).min).all():
            return int(members[0])   # no dates: corpus order (reported in attrs["undated_choices"])
        d = dates[members].astype(float)
        d[dates[members] == np.iinfo(np.int64).min] = np.nan
        return int(members[np.nanargmin(d) if policy == "earliest" else np.nanargmax(d)])
    column, prefs = next(iter(policy.items()))
    prefs = list(prefs)
    rank = [prefs.index(v) if v in prefs else len(prefs) for v in meta[column].iloc[members]]
    return int(members[int(np.argmin(rank))])


def _norm_title(t: Any) -> str | None:
    if not isinstance(t, str):
        return None
    t = re.sub(r"\W+", " ", t.lower()).strip()
    return t or None


def _version_pairs(meta, outlet, url, title, hashes, offsets, version_threshold) -> tuple[list, set]:
    """Pairs of one outlet's documents sharing a URL or a headline whose exact Jaccard reaches ``version_threshold``."""
    keys = []
    if url and url in meta.columns:
        keys.append(meta[url].where(meta[url].astype(str).str.strip().ne(""), None))
    if title and title in meta.columns:
        keys.append(meta[title].map(_norm_title))
    pairs, linked = [], set()
    out = meta[outlet].astype(str) if outlet else pd.Series("", index=meta.index)
    for key in keys:
        frame = pd.DataFrame({"o": out.to_numpy(), "k": key.to_numpy(), "i": np.arange(len(meta))}).dropna()
        frame = frame[frame.duplicated(["o", "k"], keep=False)]   # only shared keys can make versions
        for _, grp in frame.groupby(["o", "k"], sort=False):
            idx = grp["i"].to_numpy()
            if not 1 < len(idx) <= _MAX_VERSION_GROUP:
                continue
            for x in range(len(idx)):
                for y in range(x + 1, len(idx)):
                    i, j = int(idx[x]), int(idx[y])
                    if (i, j) in linked:
                        continue
                    jac = exact_jaccard(hashes[offsets[i]:offsets[i + 1]], hashes[offsets[j]:offsets[j + 1]])
                    if jac >= version_threshold:
                        pairs.append((i, j))
                        linked.add((i, j))
    return pairs, linked


def dedup(tokens: Any, *, threshold: float = 0.8, shingle: int = 5, num_perm: int = 128, seed: int = 1,
          keep: str | Mapping[str, list] = "first", versions: str | Mapping[str, list] = "latest",
          version_threshold: float = 0.5, syndicated: str = "mark", outlet: str | None = "outlet",
          date: str | None = "date", url: str | None = "url", title: str | None = "title",
          byline: str | None = "byline") -> Deduplication:
    """Find exact duplicates, near duplicates, versions and syndicated copies; keep one of each by a policy.

    Near duplicates are documents whose sets of word ``shingle``-grams have a Jaccard
    similarity J(A, B) = |A ∩ B| / |A ∪ B| of at least ``threshold``. J is estimated by
    MinHash (Broder 1997): with ``num_perm`` random hash functions, the share of
    positions where two signatures agree is an unbiased estimate of J with standard
    error sqrt(J(1 - J) / num_perm). Candidate pairs come from LSH banding (``b`` bands
    of ``r`` rows, chosen to minimise false positives + negatives at ``threshold``;
    Leskovec, Rajaraman & Ullman 2014, ch. 3) and are kept when the estimate reaches
    ``threshold``; clusters are the connected components of those pairs.

    Parameters
    ----------
    tokens : Tokens
        From :func:`discourse.tokenize`; shingles are taken from its token stream (the
        counted terms: the same normalisation as every analysis). A Corpus is tokenized
        with the defaults first.
    threshold : float
        Estimated Jaccard similarity for near duplicates (0.8, the common choice for
        news near-duplicates; lower it to 0.7 to catch more heavily edited copies).
    shingle : int
        Words per shingle (5; Broder 1997 used word n-grams of this order).
    num_perm : int
        MinHash permutations (128: standard error at most 0.044 at J = 0.5).
    seed : int
        Seed of the MinHash hash functions (results are reproducible).
    keep : {"first", "longest", "earliest", "latest", "all"} or {column: [preferred values]}
        Which document of a duplicate cluster to keep: the first in corpus order, the
        one with most tokens, the earliest or latest ``date``, the one whose ``column``
        value comes first in the list (e.g. ``{"source_format": ["nexis-docx", ...]}``),
        or ``"all"``: keep every document and mark the copies.
    versions : same choices as ``keep``
        Policy for version clusters: ``"latest"`` keeps the latest version.
    version_threshold : float
        Exact Jaccard for two documents of one outlet with the same URL or headline to be
        versions of one article (0.5: an update rewrites a few paragraphs).
    syndicated : {"mark", "remove"}
        For clusters spanning two or more outlets: ``"mark"`` keeps one copy per outlet,
        marked ``syndicated=True``; ``"remove"`` keeps one copy overall (by ``keep``).
    outlet, date, url, title, byline : str or None
        Metadata columns used (ignored when absent).

    Returns
    -------
    Deduplication
        ``.tokens`` (the kept documents), ``.audit``, ``.documents``,
        ``.reconciliation``, ``.syndication_share()``.
    """
    if isinstance(tokens, Corpus):   # tokenized with the defaults
        from .tokenizer import tokenize
        tokens = tokenize(tokens)
    meta = tokens.metadata
    _check(threshold, shingle, num_perm, seed, keep, versions, version_threshold, syndicated, meta)
    outlet = outlet if outlet in meta.columns else None
    n = len(tokens.doc_ptr) - 1
    lengths = np.diff(tokens.doc_ptr).astype(np.int64)
    hashes, offsets = shingle_hashes(tokens.ids, tokens.doc_ptr, shingle)
    content = np.array([hashlib.blake2b(tokens.ids[tokens.doc_ptr[d]:tokens.doc_ptr[d + 1]].tobytes(),
                                        digest_size=8).hexdigest() for d in range(n)])
    sig = signatures(hashes, offsets, num_perm, seed)
    rows = np.flatnonzero(lengths > 0)   # empty documents are not compared (attrs["empty_documents"])
    b, r = lsh_params(threshold, num_perm)
    cand = candidate_pairs(sig, rows, b, r)
    est = estimated_jaccard(sig, cand[:, 0], cand[:, 1]) if len(cand) else np.zeros(0)
    edges = [cand[est >= threshold]]
    vpairs, vlinked = _version_pairs(meta, outlet, url, title, hashes, offsets, version_threshold)
    if vpairs:
        edges.append(np.asarray(vpairs, dtype=np.int64))
    e = np.concatenate(edges) if edges else np.zeros((0, 2), np.int64)
    graph = sp.coo_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(n, n))
    _, comp = connected_components(graph, directed=False)
    dates = _dates(meta, date)
    outlets = meta[outlet].astype(object).to_numpy() if outlet else np.full(n, None, dtype=object)
    wires = wire_credits(tokens.texts, meta[byline].tolist() if byline in meta.columns else None)
    doc_ids = meta.index.to_numpy()

    kind = np.full(n, None, dtype=object)
    action = np.full(n, "kept", dtype=object)
    reference = np.full(n, -1, dtype=np.int64)
    cluster = np.full(n, -1, dtype=np.int64)
    is_syn = np.zeros(n, dtype=bool)
    removed_verb = "marked" if keep == "all" else "removed"
    sizes = np.bincount(comp, minlength=n)
    n_clusters = 0
    for c in np.flatnonzero(sizes > 1):
        members = np.flatnonzero(comp == c)
        cluster[members] = n_clusters
        n_clusters += 1
        reps = []
        for o in pd.unique(outlets[members]):
            sub = members[outlets[members] == o] if outlet else members
            if len(sub) == 1:
                reps.append(int(sub[0]))
                continue
            version = any((int(i), int(j)) in vlinked for x, i in enumerate(sub) for j in sub[x + 1:])
            rep = _choose(sub, versions if version else keep, lengths, dates, meta)
            reps.append(rep)
            others = sub[sub != rep]
            for i in others:
                kind[i] = "exact" if content[i] == content[rep] else ("version" if version else "near")
            kind[rep] = "exact" if (kind[others] == "exact").all() else ("version" if version else "near")
            action[others] = "marked" if (version and versions == "all") or (not version and keep == "all") \
                else "removed"
            reference[others] = rep
        if len(reps) > 1:   # spans two or more outlets: syndicated copy
            is_syn[members] = True
            top = _choose(np.sort(np.asarray(reps)), keep, lengths, dates, meta)
            for rep in reps:
                kind[rep] = "syndicated"
                if rep != top:
                    reference[rep] = top
                    action[rep] = removed_verb if syndicated == "remove" else "marked"
            action[top] = "kept" if syndicated == "remove" else "marked"

    in_cluster = np.flatnonzero(cluster >= 0)
    ref = reference[in_cluster]
    has_ref = ref >= 0
    sim = np.full(len(in_cluster), np.nan)
    jac = np.full(len(in_cluster), np.nan)
    if has_ref.any():
        sim[has_ref] = estimated_jaccard(sig, in_cluster[has_ref], ref[has_ref])
        jac[has_ref] = [exact_jaccard(hashes[offsets[i]:offsets[i + 1]], hashes[offsets[j]:offsets[j + 1]])
                        for i, j in zip(in_cluster[has_ref], ref[has_ref])]
    audit = pd.DataFrame({
        "cluster": cluster[in_cluster], "doc_id": doc_ids[in_cluster], "outlet": outlets[in_cluster],
        "kind": kind[in_cluster], "action": action[in_cluster],
        "reference": [doc_ids[j] if j >= 0 else None for j in ref], "similarity": sim, "jaccard": jac,
        "tokens": lengths[in_cluster], "syndicated": is_syn[in_cluster],
        "wire": [wires[i] for i in in_cluster]}).sort_values(["cluster", "reference"], na_position="first",
                                                              kind="stable").reset_index(drop=True)
    kept = action != "removed"
    removed = {k: int(((action == "removed") & (kind == k)).sum()) for k in KINDS}
    attrs = {
        "analysis": "dedup", "threshold": threshold, "shingle": shingle, "num_perm": num_perm, "seed": seed,
        "bands": b, "rows": r, "keep": keep, "versions": versions, "version_threshold": version_threshold,
        "syndicated": syndicated, "documents_read": n, "documents_kept": int(kept.sum()), "removed": removed,
        "clusters": n_clusters,
        "clusters_by_kind": {k: int(audit.loc[audit.kind == k, "cluster"].nunique()) for k in KINDS},
        "syndicated_documents": int(is_syn.sum()), "marked": int((action == "marked").sum()),
        "wire_credited": int(sum(w is not None for w in wires)), "empty_documents": int(n - len(rows)),
        "candidate_pairs": int(len(cand)), "outlet_column": outlet,
    }
    assert attrs["documents_read"] == attrs["documents_kept"] + sum(removed.values())
    audit.attrs = attrs
    cl = pd.array(np.where(cluster >= 0, cluster, 0), dtype="Int64")
    cl[cluster < 0] = pd.NA
    documents = pd.DataFrame({"doc_id": doc_ids, (outlet or "outlet"): outlets, "tokens": lengths,
                              "cluster": cl, "kind": kind, "action": action, "syndicated": is_syn,
                              "wire": wires, "kept": kept})
    documents.attrs = dict(attrs)
    params = {k: attrs[k] for k in ("threshold", "shingle", "num_perm", "seed", "keep", "versions",
                                    "version_threshold", "syndicated")} | {"outlet": outlet}
    return Deduplication(source=tokens, audit=audit, documents=documents, params=params)
