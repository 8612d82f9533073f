"""Topic models by outlet on gensim: units and vocabulary, reproducible LDA, evaluation, prevalence.

Typical use::

    from discourse.topics import fit_lda, topic_terms, coherence, topic_prevalence
    model = fit_lda(tokens, k=20, seed=0)          # reproducible: same seed, same topics
    topic_terms(model, n=10, lambda_=0.6)          # relevance-ranked terms
    coherence(model)                               # c_npmi and u_mass per topic
    topic_prevalence(model, by="outlet")           # group means with bootstrap intervals
"""
from .evaluate import choose_k, coherence, match_topics, topic_recovery
from .model import TopicModel, TopicModelWarning, fit_lda, kmeans_topics, load_topic_model, units_for_k
from .prepare import TopicCorpus, prepare_corpus, vocabulary_filters
from .prevalence import estimate_effect, prevalence_difference, topic_prevalence
from .tables import document_topics, representative_documents, topic_terms

__all__ = ["TopicCorpus", "TopicModel", "TopicModelWarning", "choose_k", "coherence", "document_topics",
           "estimate_effect", "fit_lda", "kmeans_topics", "load_topic_model", "match_topics",
           "prepare_corpus", "prevalence_difference", "representative_documents", "topic_prevalence",
           "topic_recovery", "topic_terms", "units_for_k", "vocabulary_filters"]
