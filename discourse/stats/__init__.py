"""Pure array statistics, each with its formula and citation: what the analysis modules call.

- :mod:`~discourse.stats.association`: 2x2 measures shared by keyness and collocation (one G2); the peers'
  conventions it switches between in :mod:`~discourse.stats.keyness_conventions`.
- :mod:`~discourse.stats.exact`: Fisher's exact test and the conditional MLE odds ratio, vectorised.
- :mod:`~discourse.stats.dispersion`: range, Juilland's D, Carroll's D2, Rosengren's S, DP, DPnorm, ARF.
- :mod:`~discourse.stats.tests`: sparse text-level tests (Welch, Mann–Whitney, bootstrap).
- :mod:`~discourse.stats.resampling`: the one bootstrap over documents.
- :mod:`~discourse.stats.multiple`: multiple-comparison corrections (statsmodels).
- :mod:`~discourse.stats.arrays`: per-column sums and unique integers, the building blocks.
"""
from .association import collocation_measures, g2, keyness_measures, log_likelihood_2x2
from .dispersion import arf, dispersion_measures, gries_dp
from .exact import conditional_odds_ratio, fisher_exact_p
from .multiple import adjust_pvalues
from .resampling import bootstrap_means, bootstrap_p_value, bootstrap_weights, percentile_interval
from .tests import bootstrap_test, mann_whitney_test, welch_test

__all__ = ["adjust_pvalues", "arf", "bootstrap_means", "bootstrap_p_value", "bootstrap_test", "bootstrap_weights",
           "collocation_measures", "conditional_odds_ratio", "dispersion_measures", "fisher_exact_p", "g2", "gries_dp",
           "keyness_measures", "log_likelihood_2x2", "mann_whitney_test", "percentile_interval", "welch_test"]
