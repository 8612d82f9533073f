"""Seaborn plots. Each takes a result DataFrame and returns matplotlib Axes (a grid returns an array of Axes)."""
from .collocation import collocates_scatter, collocation_network, dispersion_plot
from .keyness import keyness_bars, keyness_scatter, keyness_volcano
from .overview import cleaning_audit, document_lengths, syndication_bars, top_terms
from .stories import plot_story_sweep
from .topics import plot_k_sweep, plot_prevalence, plot_topic_terms

__all__ = ["keyness_bars", "keyness_volcano", "keyness_scatter", "collocates_scatter", "collocation_network",
           "dispersion_plot", "plot_prevalence", "plot_topic_terms", "plot_k_sweep", "document_lengths",
           "cleaning_audit", "top_terms", "syndication_bars", "plot_story_sweep"]
