"""discourse: comparative discourse analysis of news outlets.

Pipeline: :func:`read_corpus` -> :func:`clean` -> :func:`tokenize` -> analyses that
share the token stream and the document-term matrix (:func:`frequencies`, ...).
"""
from .cleaning import clean, load_profiles, recurring_lines
from .corpus import Corpus, Document, ReadReport
from .frequency import frequencies, group_counts
from .readers import DiscourseReadWarning, decode_bytes, read_corpus
from .tokens import NLTKView, Tokens, english_stopwords, tokenize

__version__ = "0.1.0"

__all__ = [
    "Corpus", "Document", "ReadReport", "DiscourseReadWarning", "NLTKView", "Tokens",
    "read_corpus", "decode_bytes", "clean", "load_profiles", "recurring_lines",
    "tokenize", "english_stopwords", "frequencies", "group_counts", "sample_corpus_path",
    "load_sample",
]


def sample_corpus_path():
    """Path of the bundled sample corpus (two articles, RT and TFI Post)."""
    from pathlib import Path

    return Path(__file__).resolve().parent.parent / "corpus"


def load_sample(**tokenize_options) -> Tokens:
    """Read, clean and tokenize the sample corpus (the default input of every notebook)."""
    return tokenize(clean(read_corpus(sample_corpus_path())), **tokenize_options)
