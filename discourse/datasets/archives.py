"""Synthetic news-archive exports: one folder mixing every export layout, with planted duplicates.

:func:`write_news_exports` writes, from a seed, the files a researcher downloads from the archives
(invented outlets' spellings that the outlet registry maps through its aliases, invented text):

==============================  ==============  =====================================================
file                            source_format   content
==============================  ==============  =====================================================
``nexis_harbour.docx``          nexis-docx      4 articles (New York Times x2, Portville Evening Post, AP copy)
``nexis_fox.rtf``               nexis-rtf       3 articles (Fox Online News x2 incl. the AP copy, Portville)
``nexis_ferry.zip``             nexis-docx      a DOCX of 2 articles: the first NYT article again (the same
                                                article downloaded under a second search) and one new
``factiva_guardian.rtf``        factiva-rtf     3 articles (The Guardian (London): the AP copy, one new)
                                                and a correction without text (skipped)
``factiva_guardian.html``       factiva-html    2 versions of one Guardian story (same headline, updated)
``proquest_nyt.txt``            proquest-txt    2 articles (New York Times (Online)), one abstract only (skipped)
``mediacloud_stories.csv``      mediacloud-csv  3 stories with text (foxnews.com, Portville Evening Post,
                                                Kestrel Valley Times) and one without text (skipped)
==============================  ==============  =====================================================

Planted relations (:data:`PLANTED`): ``exact`` (the NYT harbour article in the DOCX and in the ZIP),
``syndicated`` (one AP story run by the New York Times, Fox News and The Guardian), ``version`` (the
two Guardian versions). The files are written at call time (nothing binary is shipped); the same
seed writes the same texts.
"""
from __future__ import annotations

import csv
import hashlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from ..validation import check_count
from .export_writers import docx_bytes, factiva_rtf, nexis_rtf, write_zip

__all__ = ["EXPORT_FILES", "PLANTED", "write_news_exports", "news_exports_path"]

EXPORT_FILES = {"nexis_harbour.docx": "nexis-docx", "nexis_fox.rtf": "nexis-rtf", "nexis_ferry.zip": "nexis-docx",
                "factiva_guardian.rtf": "factiva-rtf", "factiva_guardian.html": "factiva-html",
                "proquest_nyt.txt": "proquest-txt", "mediacloud_stories.csv": "mediacloud-csv"}
# key -> (kind, the keys of the articles planted together); keys are the articles' ``key`` field
PLANTED = {"exact": ("nyt-harbour", "nyt-harbour-again"), "syndicated": ("ap-nyt", "ap-fox", "ap-guardian"),
           "version": ("guardian-vote-1", "guardian-vote-2")}
NBSP = "\u00a0"
_COMMON = ("harbour council ferry timetable residents vote plan quay budget port shipping workers union "
           "mayor transport bridge traffic tide river winter storm repair contract funding meeting board "
           "services route passengers fares schedule crossing engineers inspection dock channel").split()
_SLANT = {"nyt": "infrastructure investment commuters federal analysis regional economy",
          "fox": "taxpayers spending bureaucrats delays waste officials burden",
          "guardian": "climate emissions community campaigners sustainable public inequality",
          "portville": "neighbours locals festival parish hall school volunteers",
          "kestrel": "valley farmers orchards growers markets roads"}
_GLUE = "the a of and to in on for with at by from that was is will said has".split()


def _sentences(rng: np.random.Generator, slant: str, n: int) -> list[str]:
    """``n`` invented sentences of 10-16 words: the common story words, the outlet's words, glue words."""
    pool = _COMMON + _SLANT[slant].split()
    out = []
    for _ in range(n):
        words = [str(rng.choice(_GLUE)) if rng.random() < 0.35 else str(rng.choice(pool))
                 for _ in range(int(rng.integers(10, 17)))]
        out.append(words[0].capitalize() + " " + " ".join(words[1:]) + ".")
    return out


def _paragraphs(sentences: list[str], size: int = 3) -> list[str]:
    return [" ".join(sentences[i:i + size]) for i in range(0, len(sentences), size)]


def _articles(seed: int) -> dict[str, dict[str, Any]]:
    """Every article of the exports by key: outlet as the export spells it, day in December 2021, body."""
    rng = np.random.default_rng(seed)
    arts: dict[str, dict[str, Any]] = {}

    def add(key, outlet, slant, day, title, byline=None, section=None, body=None, n=9):
        arts[key] = {"key": key, "outlet": outlet, "day": day, "title": title, "byline": byline,
                     "section": section, "body": body or _paragraphs(_sentences(rng, slant, n))}

    add("nyt-harbour", "The New York Times", "nyt", 6, "Harbour council backs ferry plan", "Ann Vale", "Metro")
    arts["nyt-harbour-again"] = {**arts["nyt-harbour"], "key": "nyt-harbour-again"}
    add("nyt-bridge", "New York Times - News", "nyt", 7, "Bridge repairs to close river crossing", "Ben Lark")
    ap = ["PORTVILLE (AP) \u2014 " + _paragraphs(_sentences(rng, "nyt", 9))[0],
          *_paragraphs(_sentences(rng, "fox", 6))]
    for key, outlet in (("ap-nyt", "The New York Times"), ("ap-fox", "Fox Online News"),
                        ("ap-guardian", "The Guardian (London)")):
        add(key, outlet, "nyt", 8, "Storm closes port for second day", "The Associated Press", "Wire", list(ap))
    add("portville-fair", "Portville Evening Post", "portville", 9, "Harbour fair draws crowds", section="Local")
    add("fox-fares", "Fox Online News", "fox", 9, "Ferry fares to rise again", "Cal Reed", "Politics")
    add("portville-tide", "Portville Evening Post", "portville", 10, "Tide gauge replaced at pier")
    add("nyt-union", "The New York Times", "nyt", 11, "Port workers union signs contract", "Ann Vale")
    add("guardian-climate", "The Guardian (London)", "guardian", 12, "Campaigners call for greener ferries",
        "Dee Fenn", "Environment")
    add("guardian-vote-1", "The Guardian", "guardian", 13, "Council delays harbour vote", "Dee Fenn", "UK news")
    first = arts["guardian-vote-1"]["body"]  # three paragraphs
    update = _paragraphs(_sentences(rng, "guardian", 3))
    arts["guardian-vote-2"] = {**arts["guardian-vote-1"], "key": "guardian-vote-2", "day": 14,
                               "body": [update[0], *first]}  # updated: a new lead paragraph
    add("nyt-budget", "New York Times (Online)", "nyt", 15, "Transport budget faces shortfall", "Ben Lark", "Business")
    add("nyt-schedule", "New York Times (Online)", "nyt", 16, "New winter schedule for river ferries", "Ann Vale")
    add("fox-waste", "foxnews.com", "fox", 17, "Officials defend dock spending")
    add("portville-school", "Portville Evening Post", "portville", 17, "School trips return to the quay")
    add("kestrel-orchards", "Kestrel Valley Times", "kestrel", 18, "Growers count winter storm damage")
    return arts


def _weekday(day: int) -> str:  # December 2021 began on a Wednesday
    return ("Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Monday", "Tuesday")[(day - 1) % 7]


def _nexis_lines(articles: list[dict]) -> list[str]:
    lines = ["Nexis Uni\u00ae", f"Documents ({len(articles)})", *(f"{i}. {a['title']}" for i, a in
                                                                enumerate(articles, 1)),
             "Search Terms: harbour OR ferry", "Job Number: 200001"]
    for a in articles:
        lines += [a["title"], a["outlet"], f"December {a['day']}, 2021 {_weekday(a['day'])}"]
        lines += [f"Section:{NBSP}{a['section']}"] if a["section"] else []
        lines += [f"Length:{NBSP}{sum(len(p.split()) for p in a['body'])} words"]
        lines += [f"Byline:{NBSP}{a['byline']}"] if a["byline"] else []
        lines += ["Body", *a["body"], "Classification", f"Language:{NBSP}ENGLISH",
                  f"Load-Date:{NBSP}December {a['day'] + 1}, 2021", "End of Document"]
    return lines


def _nexis_docx(articles: list[dict]) -> bytes:
    return docx_bytes(_nexis_lines(articles), breaks_before={a["title"] for a in articles}, footer="Page 1 of 2")


def _factiva_lines(articles: list[dict]) -> list[str]:
    lines: list[str] = []
    for i, a in enumerate(articles, 1):
        lines += [f"HD\t{a['title']}"] + ([f"BY\t{a['byline']}"] if a["byline"] else [])
        lines += [f"WC\t{sum(len(p.split()) for p in a['body'])} words", f"PD\t{a['day']} December 2021",
                  f"SN\t{a['outlet']}", "LA\tEnglish"] + ([f"SE\t{a['section']}"] if a["section"] else [])
        if a["body"]:
            lines += [f"LP\t{a['body'][0]}"] + [f"TD\t{p}" if j == 0 else p for j, p in enumerate(a["body"][1:])]
        lines += [f"AN\tDocument GUARD{i:05d}20211201ehc{i}000{i}a", "\f"]
    return lines


def _factiva_html(articles: list[dict]) -> str:
    def row(code: str, value: str) -> str:
        return f'<tr><td class="index" valign="top"><b>{code}</b>&nbsp;</td><td>{value}</td></tr>'

    def para(text: str) -> str:
        return f'<p class="articleParagraph enarticleParagraph">{text}</p>'

    parts = []
    for i, a in enumerate(articles, 1):
        an = f"GUARD{i:05d}20211213ehcd000{i}v"
        rows = [row("HD", a["title"]), row("BY", a["byline"]), row("PD", f"{a['day']} December 2021"),
                row("SN", a["outlet"]), row("LA", "English"), row("LP", para(a["body"][0])),
                row("TD", "".join(para(p) for p in a["body"][1:])), row("AN", f"Document {an}")]
        parts.append(f'<div id="article-{an}" class="article"><div class="article enArticle">'
                     f'<table border="0">{"".join(rows)}</table></div></div>')
    return ('<html><head><meta charset="utf-8"><title>Factiva</title></head><body>'
            '<div id="navcontainer"><h1>Dow Jones Factiva</h1></div>' + "<br/>".join(parts)
            + '<div id="footer">\u00a9 2021 Factiva, Inc. All rights reserved.</div></body></html>')


def _proquest(articles: list[dict]) -> str:
    rule = "_" * 60
    blocks = [f"{rule}\n\nReport Information from ProQuest\nDecember 20 2021 09:12\n"]
    for i, a in enumerate(articles, 1):
        text = ("Full text: " + "\n\n".join(a["body"])) if a["body"] else "Abstract: A short summary of the story."
        blocks.append(f"\n\nDocument {i} of {len(articles)}\n\n{a['title']}\n\nAuthor: {a['byline']}\n\n{text}\n\n"
                      f"Publication title: {a['outlet']}\n\nPublication date: Dec {a['day']}, 2021\n\n"
                      + (f"Section: {a['section']}\n\n" if a["section"] else "") + "Language of publication: English\n\n"
                      f"ProQuest document ID: {2600000000 + i}\n\nDatabase: ProQuest Central\n")
    blocks.append("\n\nBibliography\n\nCopyright 2021 ProQuest LLC. All rights reserved.\n")
    return rule.join(blocks)


def _mediacloud(path: Path, articles: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "indexed_date", "language", "media_name", "media_url", "publish_date", "title", "url",
                    "text"])
        for i, a in enumerate(articles, 1):
            slug = a["title"].lower().replace(" ", "-")
            w.writerow([9000 + i, f"2021-12-{a['day']:02d} 10:00:00", "en", a["outlet"],
                        f"https://www.{a['outlet'].lower().replace(' ', '')}/", f"2021-12-{a['day']:02d} 08:00:00",
                        a["title"], f"https://example.org/{slug}", "\n\n".join(a["body"])])


def write_news_exports(folder: str | Path, *, seed: int = 12) -> Path:
    """Write the synthetic archive exports (see the module's table) into ``folder``.

    Parameters
    ----------
    folder : str or Path
        Created if missing; the seven files are (over)written in it.
    seed : int
        Seed of the invented texts; the same seed writes the same texts.

    Returns
    -------
    Path
        ``folder``, ready for ``discourse.read_corpus(folder, outlets=True)``.
    """
    check_count("seed", seed, minimum=0)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    a = _articles(seed)
    (folder / "nexis_harbour.docx").write_bytes(_nexis_docx([a[k] for k in ("nyt-harbour", "nyt-bridge", "ap-nyt",
                                                                           "portville-fair")]))
    (folder / "nexis_fox.rtf").write_text(nexis_rtf(_nexis_lines([a[k] for k in ("ap-fox", "fox-fares",
                                                                                "portville-tide")])), encoding="ascii")
    write_zip(folder / "nexis_ferry.zip", {"ferry_search.docx": _nexis_docx([a["nyt-harbour-again"], a["nyt-union"]])})
    correction = {"key": "guardian-correction", "outlet": "The Guardian (London)", "day": 12, "title": "Correction",
                  "byline": None, "section": None, "body": []}
    (folder / "factiva_guardian.rtf").write_text(factiva_rtf(_factiva_lines(
        [a["ap-guardian"], a["guardian-climate"], correction])), encoding="ascii")
    (folder / "factiva_guardian.html").write_text(_factiva_html([a["guardian-vote-1"], a["guardian-vote-2"]]),
                                                  encoding="utf-8")
    abstract = {**a["nyt-schedule"], "key": "nyt-abstract", "title": "Ferry abstract", "body": []}
    (folder / "proquest_nyt.txt").write_text(_proquest([a["nyt-budget"], a["nyt-schedule"], abstract]),
                                             encoding="utf-8")
    empty = {**a["kestrel-orchards"], "key": "kestrel-empty", "title": "Orchard roads reopen", "body": []}
    _mediacloud(folder / "mediacloud_stories.csv", [a["fox-waste"], a["portville-school"], a["kestrel-orchards"],
                                                     empty])
    return folder


def news_exports_path(seed: int = 12) -> Path:
    """The synthetic exports of ``seed`` in a folder of the temporary directory (for notebooks and demos).

    The folder is named by the seed and a hash of this module, so that every call (and every
    execution of a notebook) reads the same path and its reports are reproducible; it is written
    once, into a fresh folder renamed into place, so that a concurrent reader never sees it half written.
    """
    check_count("seed", seed, minimum=0)
    digest = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]
    target = Path(tempfile.gettempdir()) / f"discourse-news-exports-{seed}-{digest}"
    if target.is_dir() and sorted(p.name for p in target.iterdir()) == sorted(EXPORT_FILES):
        return target
    fresh = write_news_exports(Path(tempfile.mkdtemp(prefix="discourse-exports-")), seed=seed)
    try:
        os.rename(fresh, target)
    except OSError:  # written meanwhile by another process (or left incomplete): use it or write anew
        if not (target.is_dir() and sorted(p.name for p in target.iterdir()) == sorted(EXPORT_FILES)):
            shutil.rmtree(target, ignore_errors=True)
            os.rename(fresh, target)
        else:
            shutil.rmtree(fresh, ignore_errors=True)
    return target
