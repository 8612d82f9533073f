"""Corpus readers: one entry point, :func:`read_corpus`, for every supported format.

Formats
-------
* a folder of ``.txt`` (and ``.html``) files, with a manifest (``manifest.csv``,
  ``.tsv``, ``.json``, ``.jsonl``, ``.yaml``/``.yml``) naming each file in a
  ``source_file`` column, or with YAML front matter in each file;
* a CSV/TSV, JSONL or Parquet table with a text column and metadata columns;
* saved HTML pages (text, title, date and site extracted with trafilatura,
  Barbaresi 2021);
* a single ``.txt`` file;
* news-archive exports, detected by their content: a ProQuest plain-text export (``.txt``,
  :mod:`discourse.readers.proquest`), a Media Cloud or GDELT story list (``.csv``,
  :mod:`discourse.readers.mediacloud`), a NewsAPI response (``.json``, :mod:`discourse.readers.newsapi`);
* any of these files compressed with gzip or bzip2 (``articles.csv.gz``,
  ``articles.jsonl.bz2``, ``story.txt.gz``: the format is the suffix before the
  compression suffix), and a ``.zip`` archive of text/HTML files or of CSV/TSV
  tables, read member by member (``archive.zip!inner/a.txt`` in the report);
  see :mod:`discourse.readers.compressed` for the bounds against zip bombs.

Nothing is dropped silently: every skipped file, row or line, and every
fallback (a non-UTF-8 encoding, a file missing from the manifest) is listed in
the corpus' :class:`~discourse.corpus.ReadReport` with its source, line and
reason, and summarised in a :class:`DiscourseReadWarning`.
"""
from __future__ import annotations

import warnings
from pathlib import Path
from typing import Sequence

import pandas as pd

from ..corpus import Corpus, ReadReport
from ..decoding import decoding_summary
from ..outlets import OutletRegistry
from ..read_options import ReadOptions
from ..validation import check_choice
from .archive import read_zip
from .assemble import assemble
from .dedup_step import check_dedup, dedup_step
from .detect import detect_format
from .factiva import read_factiva
from .files import read_single
from .folder import read_folder
from .jsonl import read_jsonl
from .mediacloud import read_mediacloud
from .newsapi import read_newsapi
from .proquest import read_proquest
from .nexis import read_nexis
from .tables import read_table

__all__ = ["DiscourseReadWarning", "read_corpus"]


class DiscourseReadWarning(UserWarning):
    """Something in the input was skipped or read with a fallback (see ``corpus.report``)."""


def read_corpus(
    path: str | Path,
    *,
    format: str = "auto",
    text_column: str | Sequence[str] = "text",
    id_column: str = "id",
    metadata_columns: Sequence[str] | None = None,
    outlet_column: str | None = None,
    date_column: str | None = None,
    title_column: str | None = None,
    date_format: str | None = None,
    dayfirst: bool | None = None,
    manifest: str | Path | None = None,
    encoding: str | None = None,
    required: Sequence[str] = (),
    on_duplicate: str = "skip",
    allow_outside: bool = False,
    group_columns: str | Sequence[str] = ("outlet",),
    aliases: dict[str, str] | None = None,
    case_merge: bool = False,
    date_bounds: tuple[str | None, str | None] = ("1800-01-01", "today"),
    outlets: bool | str | Path | OutletRegistry | None = None,
    dedup: bool | dict | None = None,
) -> Corpus:
    """Read a corpus from a folder, a table (CSV/TSV/JSONL/Parquet) or HTML pages.

    Parameters
    ----------
    path : str or Path
        A folder (subfolders are walked; hidden ones are skipped and reported), a
        ``.csv``/``.tsv``/``.jsonl``/``.parquet``/``.html``/``.txt`` file, one of
        them as ``.gz``/``.bz2``, or a ``.zip`` archive.
    format : {"auto", "folder", "csv", "tsv", "jsonl", "parquet", "html", "txt", "zip", "nexis", "factiva", \
"proquest", "mediacloud", "newsapi"}
        Input format; ``"auto"`` decides from the path and, for news-archive exports, from the content:
        Nexis Uni ``.docx``/``.rtf``/``.txt``, Factiva ``.rtf``/``.html``, ProQuest ``.txt``, Media
        Cloud/GDELT ``.csv`` and NewsAPI ``.json`` (a ``.docx``/``.rtf`` that is none of these is
        skipped with the reason). Tables: a row with the
        wrong field count is skipped; a CSV row whose unclosed quote swallowed the
        lines after it is reported with those lines ("unclosed quote swallowed
        lines 3-5: re-read as rows"), read with the quote literal (or skipped),
        and the lines re-read as rows; a TSV keeps quotes that are not well-formed
        CSV quoting (``"Quoted," he said``); duplicate column names (also after
        stripping whitespace) are an error; fields of any size are read; a
        header-only file says so (see :mod:`discourse.readers.tables`).
    text_column : str or list of str
        Column holding the text in tables, or several columns joined in order
        with a blank line between them (``["headline", "subheading"]``); a row
        missing one part keeps the others (the read report says how many).
    id_column : str
        Column holding the document id in tables and manifests. Without one,
        ids are made from the file name and row number.
    metadata_columns : list of str, optional
        Metadata columns to keep (default: all but the text and id columns).
    outlet_column, date_column, title_column : str, optional
        A column read as ``outlet``, ``date`` or ``title`` (e.g. ``outlet_column="source"``),
        the names the notebooks use; it may not replace an existing column of that name.
    date_format : str, optional
        How ``date`` is parsed (:func:`discourse.dates.parse_dates`): by default each value in
        the formats news sources write (ISO 8601, ``10/12/2021``, ``Dec 10, 2021``,
        ``10 Dec, 2021 11:46``, Nexis, Factiva, RFC 2822); a ``strftime`` format (``"%d/%m/%Y"``),
        ``"ISO8601"``, ``"epoch"`` (seconds since 1970 UTC), or ``"keep"`` (kept as written).
        Dates are written as ISO 8601 (a zone converted to UTC, ``Z``; none assumed where none is
        given); a value that does not parse, is implausible or ambiguous is left empty and
        reported, and the values as read are kept in ``date_raw``.
    dayfirst : bool, optional
        Slash dates day first (``True``: ``03/04/2021`` = 3 April) or month first (``False``);
        by default inferred from the column when some value shows the order (the read report
        says so), else a date that reads both ways is reported as ambiguous.
    date_bounds : (earliest, latest)
        Plausible dates (ISO dates, ``"today"``, ``None``); others are implausible: left empty and reported.
    manifest : path, optional
        Metadata manifest for a folder; by default a ``manifest.*`` file inside it.
    encoding : str, optional
        Force an encoding; by default it is detected per file (see :func:`decode_bytes`).
    required : sequence of str
        Metadata columns every document must have a value for; a document lacking
        one is kept and reported as a warning.
    on_duplicate : {"skip", "rename", "error"}
        What to do with a second document carrying an id already read.
    allow_outside : bool
        Read files a folder's manifest or symbolic links name outside the folder
        (``../x.txt``, ``/etc/x``, a link to elsewhere). By default they are
        skipped and reported ("outside the corpus folder: …"); when allowed, each
        is reported as a warning. Dangling and looping links are always reported.
    group_columns, aliases, case_merge
        Grouping labels (default ``outlet``) read as one: NFKC, invisible characters and extra
        whitespace removed, then ``aliases`` (``{"Fox Online News": "Fox News"}``), then case-only
        variants merged if ``case_merge`` (always reported); see :mod:`discourse.group_labels`.
    outlets : True, "default", path or OutletRegistry, optional
        Read ``outlet`` through the outlet registry (:mod:`discourse.outlets`): ``True`` or ``"default"``
        the shipped list of major English-language outlets and wires, a path a YAML file of your own
        extending it. Every raw name is listed in ``corpus.report.labels`` with its rule (exact, alias,
        case-folded alias, domain, unmapped: kept as written), a missing outlet is taken from the
        ``url``'s domain, and ``corpus.params["outlets"]`` records the files and a hash. Off by default:
        the outlet names are then read exactly as before (only normalised).
    dedup : None, True, False or dict
        De-duplicate the documents read (:func:`discourse.dedup`, see :mod:`discourse.readers.dedup_step`):
        exact duplicates (a hash of the token sequence), near duplicates (MinHash, Broder 1997, estimate of
        the Jaccard similarity of word 5-gram sets at least 0.8), versions (latest kept) and syndicated
        copies (marked, kept), on the default tokenizer's token stream. ``None`` (auto): on for
        news-archive exports (a ``source_format`` from the Nexis, Factiva, ProQuest, Media Cloud/GDELT or
        NewsAPI reader), off for other input (read exactly as before; also for a table whose ``source_format``
        column names an archive: a corpus written earlier, with a note); ``True`` on; ``False`` off; a dict:
        on, with these :func:`discourse.dedup` options (``{"threshold": 0.7, "keep": "all"}``). When on,
        the kept documents are returned, their metadata gaining ``syndicated``, ``wire`` and
        ``dup_cluster``; ``corpus.dedup`` holds the :class:`~discourse.dedup.Deduplication` (``.audit``,
        ``.documents``, ``.reconciliation``, ``.syndication_share()``; no ``.tokens``: tokenize the
        corpus), ``corpus.params["dedup"]`` its settings and counts, and a report note says what was
        removed (or why it was off).

    Returns
    -------
    Corpus
        With ``corpus.report`` listing what was read, skipped and warned about,
        and its ``notes`` what the reading options did (columns joined, renamed,
        left out, dates parsed, duplicates removed); an unnamed column (a saved index) is not metadata.
        ``corpus.dedup`` is None unless it was de-duplicated.
    """
    path = Path(path)
    check_choice("on_duplicate", on_duplicate, ["skip", "rename", "error"])
    if not isinstance(allow_outside, bool):
        raise ValueError(f"allow_outside must be True or False, not {allow_outside!r}")
    check_dedup(dedup)
    options = ReadOptions.build(text_column, id_column, metadata_columns, outlet_column, date_column,
                                title_column, date_format, dayfirst, group_columns, aliases, case_merge,
                                date_bounds, outlets)
    if not path.exists():
        raise FileNotFoundError(f"no such file or folder: {path}")
    fmt = detect_format(path) if format == "auto" else format
    report = ReadReport()
    readers = {"folder": read_folder, "csv": read_table, "tsv": read_table,
               "jsonl": read_jsonl, "parquet": read_table, "html": read_single,
               "txt": read_single, "zip": read_zip,
               "proquest": read_proquest, "mediacloud": read_mediacloud, "newsapi": read_newsapi,
               "factiva": read_factiva, "nexis": read_nexis}
    check_choice("format", fmt, sorted(readers))
    records = readers[fmt](path, report, fmt=fmt, options=options, manifest=manifest, encoding=encoding,
                               allow_outside=allow_outside)
    corpus = assemble(records, report, options, required, on_duplicate)
    corpus.params = {"path": str(path), "format": fmt, **options.params(), "encoding": encoding,
                     "on_duplicate": on_duplicate, "allow_outside": allow_outside}
    warned = report.frame[report.frame["action"] == "warning"]
    corpus.params["decoding"] = decoding_summary(zip(warned["source"], warned["reason"].astype(str)))
    corpus = dedup_step(corpus, dedup, fmt)   # the kept documents, or the corpus as read (see dedup_step)
    problems = report.frame[report.frame["action"] != "read"]
    if len(problems):
        lines = [f"{r.source}{'' if pd.isna(r.line) else f':{r.line}'}: {r.action}: {r.reason}"
                 for r in problems.head(8).itertuples()]
        more = f"\n  … and {len(problems) - 8} more" if len(problems) > 8 else ""
        warnings.warn(DiscourseReadWarning(
            f"{report.summary()} (see corpus.report):\n  " + "\n  ".join(lines) + more), stacklevel=2)
    return corpus
