"""discourse: comparative discourse analysis of news outlets.

Pipeline: :func:`read_corpus` -> :func:`clean` -> :func:`tokenize` -> analyses that
share the token stream and the document-term matrix: :func:`frequencies`,
:func:`dispersion`, :func:`keyness`, :func:`collocates` / :func:`compare_collocates`,
:func:`kwic`, :func:`ngrams`, topic models (:func:`fit_lda` and the rest of
:mod:`discourse.topics`). Plots live in :mod:`discourse.plots`; notebooks,
reports and provenance in :mod:`discourse.report` and :mod:`discourse.provenance`.
"""
from pathlib import Path

from .cleaning import clean, load_profiles, recurring_lines
from .collocates import collocates, collocation_parameters, compare_collocates
from .corpus import Corpus, Document, ReadReport
from .dispersion import arf, dispersion, dispersion_measures, gries_dp
from .display import setup_notebook, show
from .export import export
from .frequency import frequencies, group_counts, group_labels
from .keyness import keyness, keyness_measures
from .kwic import Concordance, kwic, query_positions
from .multiple import adjust_pvalues
from .ngrams import ngrams
from .provenance import corpus_hash, methods_paragraph, provenance
from .query import concordance_index, find
from .readers import DiscourseReadWarning, decode_bytes, read_corpus
from .tokens import NLTKView, Tokens, english_stopwords, tokenize
from .topics import (TopicModel, TopicModelWarning, choose_k, coherence, document_topics, estimate_effect,
                     fit_lda, load_topic_model, prepare_corpus, prevalence_difference, representative_documents,
                     topic_prevalence, topic_recovery, topic_terms)

__version__ = "0.1.0"

__all__ = [
    # corpus, cleaning, tokens
    "Corpus", "Document", "ReadReport", "DiscourseReadWarning", "read_corpus", "decode_bytes",
    "clean", "load_profiles", "recurring_lines", "Tokens", "NLTKView", "tokenize", "english_stopwords",
    "sample_corpus_path", "load_sample",
    # frequency, dispersion, keyness
    "frequencies", "group_counts", "group_labels", "dispersion", "dispersion_measures", "gries_dp", "arf",
    "keyness", "keyness_measures", "adjust_pvalues",
    # framing: collocates, concordances, n-grams
    "collocates", "compare_collocates", "collocation_parameters", "kwic", "Concordance",
    "query_positions", "concordance_index", "find", "ngrams",
    # topics
    "fit_lda", "prepare_corpus", "TopicModel", "TopicModelWarning", "load_topic_model", "coherence",
    "choose_k", "topic_recovery", "topic_terms", "document_topics", "representative_documents",
    "topic_prevalence", "prevalence_difference", "estimate_effect",
    # notebooks and provenance
    "setup_notebook", "show", "export", "provenance", "methods_paragraph", "corpus_hash",
]


def sample_corpus_path() -> Path:
    """Path of the bundled sample corpus (two articles, RT and TFI Post)."""
    return Path(__file__).resolve().parent.parent / "corpus"


def load_sample(**tokenize_options) -> Tokens:
    """Read, clean and tokenize the sample corpus (the default input of every notebook)."""
    return tokenize(clean(read_corpus(sample_corpus_path())), **tokenize_options)
