"""discourse: comparative discourse analysis of news outlets.

Pipeline: :func:`read_corpus` -> :func:`clean` -> :func:`tokenize` -> analyses that
share the token stream and the document-term matrix: :func:`frequencies`,
:func:`dispersion`, :func:`keyness`, :func:`collocates` / :func:`compare_collocates`,
:func:`kwic`, :func:`ngrams`, topic models (:func:`fit_lda` and the rest of
:mod:`discourse.topics`). Plots live in :mod:`discourse.plots`; notebooks,
reports and provenance in :mod:`discourse.report` and :mod:`discourse.provenance`.
"""
from .boilerplate import detect_boilerplate, save_profile
from .cluster import use_client
from .cleaning import CleaningWarning, clean, load_profiles, recurring_lines
from .collocates import collocates, collocation_parameters, compare_collocates
from .corpus import Corpus, Document, ReadReport, corpus_hash
from .datasets import load_sample, load_speeches, news_exports_path, sample_corpus_path, write_news_exports
from .dedup import Deduplication, dedup, syndication_share
from .dispersion import dispersion
from .display import setup_notebook, show
from .explore import explore_collocates, explore_keyness, explore_kwic, explore_topics
from .export import export
from .frequency import frequencies
from .grouping import group_counts, group_labels
from .keyness import keyness
from .agenda_framing import agenda_framing
from .story_contrast import aligned_kwic, story_contrast
from .kwic import Concordance, kwic, query_positions
from .ngrams import ngrams
from .methods import methods_paragraph
from .provenance import provenance
from .query import concordance_index, find
from .outlets import OutletRegistry, load_outlets, normalise_outlets
from .readers import DiscourseReadWarning, decode_bytes, read_corpus
from .stats import adjust_pvalues, arf, dispersion_measures, gries_dp, keyness_measures
from .store import Store, build_store, open_store
from .stories import align_stories, story_threshold_sweep, with_stories
from .stopwords import english_stopwords, house_style, house_style_terms
from .tokenizer import tokenize
from .tokens import NLTKView, Tokens
from .validation import EmptyResultWarning
from .version import __version__
from .topics import (TopicModel, TopicModelWarning, choose_k, coherence, document_topics, estimate_effect,
                     fit_lda, load_topic_model, prepare_corpus, prevalence_difference, representative_documents,
                     topic_prevalence, topic_recovery, topic_terms)


__all__ = [
    # corpus, cleaning, tokens
    "Corpus", "Document", "ReadReport", "DiscourseReadWarning", "CleaningWarning", "EmptyResultWarning",
    "read_corpus", "decode_bytes", "load_outlets", "normalise_outlets", "OutletRegistry",
    "clean", "load_profiles", "recurring_lines", "detect_boilerplate", "save_profile",
    "Tokens", "NLTKView", "tokenize", "english_stopwords", "build_store", "open_store", "Store",
    "house_style", "house_style_terms", "sample_corpus_path", "load_sample", "load_speeches",
    "write_news_exports", "news_exports_path",
    # de-duplication and syndication
    "dedup", "Deduplication", "syndication_share",
    # frequency, dispersion, keyness
    "frequencies", "group_counts", "group_labels", "dispersion", "dispersion_measures", "gries_dp", "arf",
    "keyness", "keyness_measures", "adjust_pvalues",
    # comparing within stories
    "story_contrast", "aligned_kwic", "agenda_framing",
    # same story, different words: story alignment
    "align_stories", "story_threshold_sweep", "with_stories",
    # framing: collocates, concordances, n-grams
    "collocates", "compare_collocates", "collocation_parameters", "kwic", "Concordance",
    "query_positions", "concordance_index", "find", "ngrams",
    # interactive explorers (standalone offline HTML; the explore extra)
    "explore_keyness", "explore_kwic", "explore_collocates", "explore_topics",
    # topics
    "fit_lda", "prepare_corpus", "TopicModel", "TopicModelWarning", "load_topic_model", "coherence",
    "choose_k", "topic_recovery", "topic_terms", "document_topics", "representative_documents",
    "topic_prevalence", "prevalence_difference", "estimate_effect",
    # notebooks and provenance
    "setup_notebook", "show", "export", "provenance", "methods_paragraph", "corpus_hash",
    # large corpora: the analyses on a dask.distributed cluster
    "use_client",
]
