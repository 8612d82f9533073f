"""A seeded synthetic news corpus with planted per-outlet furniture, for boilerplate tests and benchmarks.

Bodies are sentences of invented words drawn from a Zipf-like vocabulary, so
they do not recur; each outlet plants its own furniture (inline video and
gallery chrome with varying numbers, header lines, copyright footers whose
year changes, "... contributed to this report", a wire's credit line), and a
newsletter line recurs in every outlet (not any one outlet's boilerplate). The
character spans of every planted piece are returned as ground truth.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..corpus import Corpus

__all__ = ["FurnitureCorpus", "make_furniture_corpus", "removal_scores", "FURNITURE_OUTLETS"]

FURNITURE_OUTLETS = ["Metro Herald", "Northwire", "Coastal Times", "Plain Post"]
SHARED_LINE = "Sign up for our newsletter"
_SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "ta", "vi", "so", "pe", "da", "fo", "gu", "ri", "bel", "tor", "mun",
              "sha", "quo", "zen", "wil"]


@dataclass
class FurnitureCorpus:
    """The corpus, and per document the planted spans: ``furniture`` (outlet-specific) and ``shared``."""

    corpus: Corpus
    furniture: list[list[tuple[int, int]]]
    shared: list[list[tuple[int, int]]]


def make_furniture_corpus(docs: int = 400, seed: int = 0, outlets: list[str] | None = None,
                          vocabulary: int = 3000) -> FurnitureCorpus:
    """``docs`` documents spread evenly over ``outlets`` (default :data:`FURNITURE_OUTLETS`)."""
    rng = np.random.default_rng(seed)
    outlets = outlets or FURNITURE_OUTLETS
    words = sorted({"".join(rng.choice(_SYLLABLES, rng.integers(2, 4))) for _ in range(vocabulary * 2)})
    words = np.array(words[:vocabulary])
    p = 1.0 / np.arange(1, len(words) + 1)
    p /= p.sum()

    def phrase(k: int) -> str:
        return " ".join(rng.choice(words, k, p=p))

    def sentence() -> str:
        s = phrase(int(rng.integers(8, 20)))
        return s[0].upper() + s[1:] + "."

    texts, furn, shared, meta = [], [], [], []
    for i in range(docs):
        outlet = outlets[i % len(outlets)]
        pieces: list[tuple[str, str]] = []  # (kind, text): kind furniture | body | shared

        def add(kind: str, text: str) -> None:
            pieces.append((kind, text))

        paragraphs = [" ".join(sentence() for _ in range(int(rng.integers(2, 5))))
                      for _ in range(int(rng.integers(4, 9)))]
        if outlet == "Metro Herald" and rng.random() < 0.95:
            add("furniture", "Metro Herald - Breaking News, Latest News and Videos\n")
        if outlet == "Coastal Times" and rng.random() < 0.9:
            add("furniture", "Coastal Times | Home | Politics | Sport\n")
        for j, para in enumerate(paragraphs):
            add("body", para + "\n")
            if outlet == "Metro Herald" and j == 1 and rng.random() < 0.4:
                add("furniture", "JUST WATCHED\n")
                add("body", phrase(int(rng.integers(3, 7))).title() + "\n")
                add("furniture", "Replay\nMore Videos ...\nMUST WATCH\n")
            if outlet == "Metro Herald" and j == 2 and rng.random() < 0.3:
                total = int(rng.integers(3, 60))
                for k in range(1, int(rng.integers(2, 5))):
                    add("furniture", "Photos:")
                    add("body", " " + sentence() + "\n")
                    add("furniture", f"Hide Caption {k} of {total}\n")
        if rng.random() < 0.6:
            add("shared", SHARED_LINE + "\n")
        if outlet == "Coastal Times" and rng.random() < 0.5:
            add("body", phrase(2).title() + " and " + phrase(2).title())
            add("furniture", " contributed to this report.\n")
        if outlet in ("Coastal Times", "Northwire") and rng.random() < 0.9:
            owner = outlet if outlet == "Coastal Times" else "Northwire Ltd"
            add("furniture", f"© {int(rng.integers(2012, 2026))} {owner}. All rights reserved.\n")
        if outlet == "Northwire" and rng.random() < 0.97:
            add("furniture", "— Northwire\n")
        text, spans, common, pos = "", [], [], 0
        for kind, piece in pieces:
            if kind == "furniture":
                spans.append((pos, pos + len(piece)))
            elif kind == "shared":
                common.append((pos, pos + len(piece)))
            text += piece
            pos += len(piece)
        texts.append(text)
        furn.append(spans)
        shared.append(common)
        meta.append({"doc_id": f"doc{i:05d}", "outlet": outlet})
    metadata = pd.DataFrame(meta).set_index("doc_id")
    return FurnitureCorpus(Corpus(texts, metadata), furn, shared)


def removal_scores(planted: FurnitureCorpus, audit: pd.DataFrame) -> dict[str, float]:
    """Word tokens (``\\w+`` of the raw text, counted here, not by the detector) of the planted furniture
    and of the bodies (neither furniture nor the shared line), and the share of each inside a removed span."""
    removed: dict[str, list] = {d: sorted(zip(g.start, g.end)) for d, g in audit.groupby("doc_id")}
    counts = {"furniture": 0, "furniture_removed": 0, "body": 0, "body_removed": 0}

    def inside(spans: list, a: int, b: int) -> bool:
        return any(s <= a and b <= e for s, e in spans)

    for doc_id, text, furn, shared in zip(planted.corpus.ids, planted.corpus.texts, planted.furniture,
                                          planted.shared):
        gone_spans = removed.get(doc_id, [])
        for m in re.finditer(r"\w+", text):
            gone = inside(gone_spans, m.start(), m.end())
            if inside(furn, m.start(), m.end()):
                counts["furniture"] += 1
                counts["furniture_removed"] += gone
            elif not inside(shared, m.start(), m.end()):
                counts["body"] += 1
                counts["body_removed"] += gone
    return {**counts, "recall": counts["furniture_removed"] / max(counts["furniture"], 1),
            "body_share": counts["body_removed"] / max(counts["body"], 1)}
