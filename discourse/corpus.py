"""The `Corpus`: documents with ids, text and a metadata table.

A corpus is an ordered collection of documents (gensim's view: any iterable of
documents will do for streaming work), plus a metadata DataFrame indexed by
document id, plus the :class:`ReadReport` of what the reader skipped and why.
Cleaning returns a new corpus whose texts are cleaned, whose ``raw`` keeps the
original texts untouched and whose ``audit`` lists every removed span.
"""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Iterator, NamedTuple, Sequence

import numpy as np
import pandas as pd

from .text_store import TextStore, take_texts
from .validation import require_column

__all__ = ["Document", "ReadReport", "Corpus", "fingerprint", "text_sha256", "corpus_hash"]


class Document(NamedTuple):
    """One document: its id, text and metadata (a dict)."""

    id: str
    text: str
    meta: dict


class ReadReport:
    """What a reader did with every input item: read, skipped or warned, and why.

    ``frame`` is a DataFrame with columns ``source`` (file), ``line`` (row/line
    number or <NA>), ``doc_id``, ``action`` (``read``, ``skipped``, ``warning``)
    and ``reason``.
    """

    COLUMNS = ["source", "line", "doc_id", "action", "reason"]

    def __init__(self, rows: list[dict] | None = None) -> None:
        # one list a column (a dict a row took four times the memory on a corpus of 450,000 documents)
        self._cols: dict[str, list] = {c: [] for c in self.COLUMNS}
        for r in rows or []:
            self.add(r.get("action"), r.get("source"), r.get("reason"), r.get("line"), r.get("doc_id"))
        self.notes: list[str] = []  # what the reading options did to the whole input (columns joined, renamed ...)
        self.label_rows: list[dict] = []  # group labels normalised, aliased or case-merged (see group_labels)

    def note(self, text: str) -> None:
        """Record something done to the whole input (not to one item), e.g. "column 'source' read as 'outlet'"."""
        if text not in self.notes:
            self.notes.append(text)

    def add(self, action: str, source: str, reason: str = "", line: int | None = None,
            doc_id: str | None = None) -> None:
        cols = self._cols
        cols["source"].append(str(source))
        cols["line"].append(line)
        cols["doc_id"].append(doc_id)
        cols["action"].append(action)
        cols["reason"].append(reason)

    def reasons(self, action: str) -> Iterator[str]:
        """The reason of every row with this ``action`` (without building :attr:`frame`)."""
        return (r for a, r in zip(self._cols["action"], self._cols["reason"]) if a == action)

    @property
    def frame(self) -> pd.DataFrame:
        df = pd.DataFrame(self._cols if self._cols["action"] else [], columns=self.COLUMNS)
        df["line"] = df["line"].astype("Int64")
        return df

    @property
    def labels(self) -> pd.DataFrame:
        """Each grouping value changed or case variant met (and, with ``outlets=``, every raw outlet name with its
        registry rule): column, variant, label, documents, step."""
        return pd.DataFrame(self.label_rows, columns=["column", "variant", "label", "documents", "step"])

    @property
    def skipped(self) -> pd.DataFrame:
        f = self.frame
        return f[f["action"] == "skipped"].reset_index(drop=True)

    @property
    def warnings(self) -> pd.DataFrame:
        f = self.frame
        return f[f["action"] == "warning"].reset_index(drop=True)

    def summary(self) -> str:
        f = self.frame
        n_read = int((f["action"] == "read").sum())
        n_skip = int((f["action"] == "skipped").sum())
        n_warn = int((f["action"] == "warning").sum())
        return f"{n_read} documents read, {n_skip} skipped, {n_warn} warnings"

    def __repr__(self) -> str:
        notes = "".join(f"\n  {n}" for n in self.notes)
        return f"ReadReport({self.summary()}){notes}"

    def _repr_html_(self) -> str:
        from .render import html_table, render

        problems = self.frame[self.frame["action"] != "read"]
        return render("read_report.html.j2", summary=self.summary(), notes=self.notes,
                      table=html_table(problems, index=False) if len(problems) else "")


def fingerprint(metadata: pd.DataFrame, texts: Iterable[str] | None = None, *,
                digests: Iterable[bytes] | None = None) -> str:
    """SHA-256 fingerprint of a metadata table and its texts (the one recipe of corpus hashes).

    The digest is updated with the metadata as CSV (UTF-8; the ``doc_id``
    index included), then with the SHA-256 digest of each text (UTF-8) in
    order, so a change of one character in one text, of one metadata value
    or of the document order changes the fingerprint. Used by
    :meth:`Corpus.manifest_hash`, :meth:`discourse.tokens.Tokens.manifest_hash`
    and :func:`corpus_hash`. Streamed: the CSV is hashed as pandas writes it,
    chunk by chunk, and the texts one at a time (a :class:`TextStore` as its
    stored bytes), so nothing of the corpus is copied whole. ``digests`` instead of ``texts``: the
    texts' SHA-256 digests (:func:`text_sha256`), as an on-disk store keeps them, so that it
    fingerprints the corpus as read without keeping the raw texts.
    """
    h = hashlib.sha256()
    metadata.to_csv(_HashWriter(h))
    if digests is None:
        digests = map(text_sha256, texts.iter_bytes() if isinstance(texts, TextStore) else texts)
    for digest in digests:
        h.update(bytes(digest))
    return h.hexdigest()


def text_sha256(text: str | bytes) -> bytes:
    """The SHA-256 digest (32 bytes) of a text's UTF-8 bytes: what :func:`fingerprint` hashes per text."""
    return hashlib.sha256(text.encode("utf-8") if isinstance(text, str) else text).digest()


class _HashWriter(io.TextIOBase):
    """A text file whose writes go into a hash (UTF-8) instead of memory."""

    def __init__(self, h: Any) -> None:
        self._h = h

    def writable(self) -> bool:
        return True

    def write(self, s: str) -> int:
        self._h.update(s.encode("utf-8"))
        return len(s)


@dataclass
class Corpus:
    """Documents with ids, text and metadata.

    Parameters
    ----------
    texts : sequence of str
        Document texts, in order (cleaned texts once :func:`discourse.clean` ran): a
        list, or (as the readers and cleaning build it) a compact
        :class:`~discourse.text_store.TextStore`, UTF-8 bytes that give a ``str`` on access.
    metadata : DataFrame
        One row per document, indexed by unique document id (index name ``doc_id``).
    report : ReadReport
        What the reader read and skipped.
    raw : sequence of str, optional
        The texts as read, when ``texts`` were cleaned. Never modified.
    audit : DataFrame, optional
        The cleaning audit (see :func:`discourse.clean`).
    params : dict
        What made the corpus (the reading options, ``"cleaning"``, ``"dedup"`` ...).
    dedup : Deduplication, optional
        How :func:`discourse.read_corpus` de-duplicated the documents read (its audit, documents,
        reconciliation and syndication share; no tokens); None when it did not. A selection, a
        cleaned corpus and a pickled copy keep the same object: like ``report`` and ``params``, it
        records how the corpus as read was made, not the subset.
    """

    texts: Sequence[str]
    metadata: pd.DataFrame
    report: ReadReport = field(default_factory=ReadReport)
    raw: Sequence[str] | None = None
    audit: pd.DataFrame | None = None
    params: dict = field(default_factory=dict)
    dedup: Any = None

    def __post_init__(self) -> None:
        if len(self.texts) != len(self.metadata):
            raise ValueError(f"{len(self.texts)} texts but {len(self.metadata)} metadata rows")
        if not self.metadata.index.is_unique:
            dup = self.metadata.index[self.metadata.index.duplicated()].tolist()
            raise ValueError(f"document ids must be unique; duplicated: {dup[:5]}")
        self.metadata.index.name = "doc_id"

    # -- basic protocol -------------------------------------------------
    @classmethod
    def from_records(cls, records: list[dict], text: str = "text", id: str = "id") -> "Corpus":
        """Build a corpus from dicts with a text field, an id field and metadata fields."""
        meta = pd.DataFrame([{k: v for k, v in r.items() if k != text} for r in records])
        if id not in meta:
            meta[id] = [f"doc{i:06d}" for i in range(len(records))]
        meta = meta.set_index(meta[id].astype(str)).drop(columns=[id])
        return cls([r[text] for r in records], meta)

    @property
    def ids(self) -> list[str]:
        return self.metadata.index.tolist()

    def __len__(self) -> int:
        return len(self.texts)

    def __iter__(self) -> Iterator[Document]:
        records = self.metadata.to_dict("records")
        for doc_id, text, meta in zip(self.ids, self.texts, records):
            yield Document(doc_id, text, meta)

    def __getitem__(self, doc_id: str) -> Document:
        i = self.metadata.index.get_loc(doc_id)
        return Document(doc_id, self.texts[i], self.metadata.iloc[i].to_dict())

    # -- selection and grouping ----------------------------------------
    def select(self, query: str | None = None, **equals: Any) -> "Corpus":
        """Documents whose metadata match.

        ``query`` is a :meth:`pandas.DataFrame.query` string; keyword arguments
        require a column to equal a value (or be in a list of values), e.g.
        ``corpus.select(outlet=["RT", "TFI Post"])``.
        """
        mask = pd.Series(True, index=self.metadata.index)
        for col, value in equals.items():
            require_column(self.metadata, col)
            values = value if isinstance(value, (list, tuple, set)) else [value]
            mask &= self.metadata[col].isin(values)
        if query is not None:
            keep = self.metadata.query(query).index
            mask &= self.metadata.index.isin(keep)
        return self._take(mask.to_numpy().nonzero()[0])

    def groupby(self, column: str) -> dict[Any, "Corpus"]:
        """Sub-corpora by the values of a metadata column (missing values excluded)."""
        require_column(self.metadata, column)
        groups = self.metadata.groupby(column, sort=True, dropna=True).indices
        return {k: self._take(v) for k, v in groups.items()}

    def take(self, positions: Sequence[int] | Any) -> "Corpus":
        """The documents at ``positions`` (integers, or a boolean mask over the documents), in that order."""
        positions = list(positions)
        if positions and all(isinstance(p, (bool, np.bool_)) for p in positions):
            if len(positions) != len(self):
                raise ValueError(f"a mask of {len(positions)} values for {len(self)} documents")
            positions = np.flatnonzero(positions).tolist()
        return self._take(positions)

    def _take(self, positions) -> "Corpus":
        positions = list(positions)
        audit = self.audit
        meta = self.metadata.iloc[positions].copy()
        if audit is not None:
            audit = audit[audit["doc_id"].isin(meta.index)].reset_index(drop=True)
        return replace(self, texts=take_texts(self.texts, positions), metadata=meta,
                       raw=None if self.raw is None else take_texts(self.raw, positions),
                       audit=audit)

    # -- provenance and display ----------------------------------------
    def manifest_hash(self) -> str:
        """SHA-256 over ids, metadata and raw texts: identifies the exact corpus analysed.

        See :func:`fingerprint` for the recipe; the raw texts (as read) are
        hashed, so cleaning does not change the fingerprint.
        """
        return fingerprint(self.metadata, self.raw if self.raw is not None else self.texts)

    def _size(self) -> str:
        n_chars = self.texts.n_chars() if isinstance(self.texts, TextStore) else sum(map(len, self.texts))
        cleaned = " (cleaned)" if self.raw is not None else ""
        return f"Corpus{cleaned}: {len(self)} documents, {n_chars:,} characters"

    def _dedup_line(self) -> str:
        return "" if self.dedup is None else f"de-duplicated on reading: {self.dedup.summary()}"

    def summary(self) -> str:
        """Documents and characters, and (when read de-duplicated) the de-duplication's counts."""
        return self._size() + (f"; {self._dedup_line()}" if self.dedup is not None else "")

    def __repr__(self) -> str:
        return f"<{self.summary()}; metadata columns {list(self.metadata.columns)}>"

    def _repr_html_(self) -> str:
        from .render import html_table, render

        return render("corpus.html.j2", summary=self._size(), report=self.report.summary(),
                      dedup=self._dedup_line(), notes=self.report.notes, table=html_table(self.metadata.head(10)))


def corpus_hash(data: Any) -> str:
    """SHA-256 fingerprint of a corpus: metadata table plus the texts.

    One route for corpora and tokens: a :class:`~discourse.corpus.Corpus` or a
    :class:`~discourse.tokens.Tokens` is fingerprinted by its ``manifest_hash()``
    (:func:`discourse.corpus.fingerprint` of the metadata and the raw texts; the
    tokens of a corpus carry the corpus' fingerprint, so a topic model fitted on
    them and the report's provenance cell agree). A file path is fingerprinted
    by its bytes.
    """
    from pathlib import Path

    if hasattr(data, "manifest_hash"):
        return data.manifest_hash()
    if isinstance(data, (str, Path)) and Path(data).is_file():
        with open(data, "rb") as fh:  # in chunks: a large file is never held whole
            return hashlib.file_digest(fh, "sha256").hexdigest()
    raise TypeError(f"cannot fingerprint {type(data).__name__}; pass a Corpus, Tokens or a file path")
