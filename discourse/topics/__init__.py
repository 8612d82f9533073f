"""Topic models by outlet on gensim: units and vocabulary, reproducible LDA, evaluation, prevalence."""
from .model import TopicModel, TopicModelWarning, fit_lda, kmeans_topics, load_topic_model
from .prepare import TopicCorpus, prepare_corpus

__all__ = ["TopicCorpus", "TopicModel", "TopicModelWarning", "fit_lda", "kmeans_topics", "load_topic_model",
           "prepare_corpus"]
