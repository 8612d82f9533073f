"""Topic models by outlet on gensim: units and vocabulary, reproducible LDA, evaluation, prevalence.

Typical use::

    from discourse.topics import fit_lda, topic_terms, coherence, topic_prevalence
    model = fit_lda(tokens, k=20, seed=0)          # reproducible: same seed, same topics
    topic_terms(model, n=10, lambda_=0.6)          # relevance-ranked terms
    coherence(model)                               # c_npmi and u_mass per topic
    topic_prevalence(model, by="outlet")           # group means with bootstrap intervals

Large corpora. Every step takes a corpus in partitions (an on-disk store,
:class:`~discourse.partitions.SplitTokens`) as well as :class:`~discourse.tokens.Tokens`:
:func:`prepare_corpus` cuts units and counts their terms partition by partition (a
first map for the units' document frequencies, which prune the vocabulary, a second
for their bags-of-words; :mod:`discourse.topics.units`), and :func:`fit_lda` streams
the bags-of-words into gensim's online variational Bayes (Hoffman, Blei & Bach 2010)
one partition at a time, on every pass: the E-step needs one chunk of ``chunksize``
units, the M-step blends its sufficient statistics into the topics, so memory is
bounded by a partition plus the K x V topics, never the corpus. The chunks are cut by
units, not by partitions, so the model and every table equal those of the corpus in
memory (same seed, same unit order, same chunks; tested to the bit). The k-means
initialisation clusters at most ``init_units`` (50,000) units, a seeded sample beyond
that. Representative passages are read from the partitions that hold them.

Distributed LDA is not offered: gensim's distributed mode (``LdaModel(distributed=True)``)
needs Pyro4 name servers and dispatcher processes outside Dask, and a Dask map of
the E-steps (each worker inferring its partitions against the same topics, then one
merged M-step) would be batch variational Bayes with partition-sized updates, whose
result differs from the in-memory online fit, and breaks the rule that results do not
depend on where they are computed. On a cluster, the maps of :func:`prepare_corpus`
(and the reading of each partition's rows) run on the workers; the online updates
run in the client, one chunk at a time.
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
