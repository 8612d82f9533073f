"""The full references the methods paragraph cites, by key (:mod:`discourse.methods`)."""
from __future__ import annotations

__all__ = ["REFERENCES"]

REFERENCES = {
    "dunning1993": "Dunning, T. (1993). Accurate methods for the statistics of surprise and coincidence. "
                   "Computational Linguistics, 19(1), 61-74.",
    "rayson2000": "Rayson, P., & Garside, R. (2000). Comparing corpora using frequency profiling. "
                  "In Proceedings of the Workshop on Comparing Corpora (ACL 2000), 1-6.",
    "hardie2014": "Hardie, A. (2014). Log Ratio: an informal introduction. ESRC Centre for "
                  "Corpus Approaches to Social Science (CASS), Lancaster University.",
    "mantel1959": "Mantel, N., & Haenszel, W. (1959). Statistical aspects of the analysis of data from "
                  "retrospective studies of disease. Journal of the National Cancer Institute, 22(4), 719-748.",
    "robins1986": "Robins, J., Breslow, N., & Greenland, S. (1986). Estimators of the Mantel-Haenszel variance "
                  "consistent in both sparse data and large-strata limiting models. Biometrics, 42(2), 311-323.",
    "agresti2013": "Agresti, A. (2013). Categorical Data Analysis (3rd ed.). Wiley.",
    "wilcoxon1945": "Wilcoxon, F. (1945). Individual comparisons by ranking methods. Biometrics Bulletin, 1(6), "
                    "80-83.",
    "kitagawa1955": "Kitagawa, E. M. (1955). Components of a difference between two rates. Journal of the "
                    "American Statistical Association, 50(272), 1168-1194.",
    "dasgupta1993": "Das Gupta, P. (1993). Standardization and Decomposition of Rates: A User's Manual. "
                    "U.S. Bureau of the Census, Current Population Reports P23-186.",
    "gabrielatos2018": "Gabrielatos, C. (2018). Keyness analysis: nature, metrics and techniques. "
                       "In C. Taylor & A. Marchi (Eds.), Corpus Approaches to Discourse (pp. 225-258). Routledge.",
    "lijffijt2016": "Lijffijt, J., Nevalainen, T., Säily, T., Papapetrou, P., Puolamäki, K., & Mannila, H. (2016). "
                    "Significance testing of word frequencies in corpora. Digital Scholarship in the Humanities, "
                    "31(2), 374-397.",
    "brezina2015": "Brezina, V., McEnery, T., & Wattam, S. (2015). Collocations in context: a new "
                   "perspective on collocation networks. International Journal of Corpus Linguistics, "
                   "20(2), 139-173.",
    "church1990": "Church, K. W., & Hanks, P. (1990). Word association norms, mutual information, "
                  "and lexicography. Computational Linguistics, 16(1), 22-29.",
    "rychly2008": "Rychlý, P. (2008). A lexicographer-friendly association score. In Proceedings of Recent "
                  "Advances in Slavonic Natural Language Processing (RASLAN 2008), 6-9.",
    "sievert2014": "Sievert, C., & Shirley, K. (2014). LDAvis: a method for visualizing and interpreting topics. "
                   "In Proceedings of the Workshop on Interactive Language Learning, Visualization, and "
                   "Interfaces, 63-70.",
    "efron1993": "Efron, B., & Tibshirani, R. J. (1993). An Introduction to the Bootstrap. Chapman & Hall.",
    "davison1997": "Davison, A. C., & Hinkley, D. V. (1997). Bootstrap Methods and their Application. "
                   "Cambridge University Press.",
    "evert2008": "Evert, S. (2008). Corpora and collocations. In A. Lüdeling & M. Kytö (Eds.), "
                 "Corpus Linguistics: An International Handbook (Vol. 2, pp. 1212-1248). De Gruyter.",
    "gries2008": "Gries, S. Th. (2008). Dispersions and adjusted frequencies in corpora. "
                 "International Journal of Corpus Linguistics, 13(4), 403-437.",
    "juilland1970": "Juilland, A., Brodin, D., & Davidovitch, C. (1970). Frequency Dictionary of French Words. "
                    "Mouton.",
    "carroll1970": "Carroll, J. B. (1970). An alternative to Juilland's usage coefficient for lexical frequencies "
                   "and a proposal for a standard frequency index (SFI). ETS Research Bulletin, 1970(2), i-15.",
    "rosengren1971": "Rosengren, I. (1971). The quantitative concept of language and its relation to the "
                     "structure of frequency dictionaries. Études de linguistique appliquée, 1, 103-127.",
    "egbert2020": "Egbert, J., Burch, B., & Biber, D. (2020). Lexical dispersion and corpus design. "
                  "International Journal of Corpus Linguistics, 25(1), 89-115.",
    "lijffijt2012": "Lijffijt, J., & Gries, S. Th. (2012). Correction to Stefan Th. Gries' \"Dispersions and "
                    "adjusted frequencies in corpora\". International Journal of Corpus Linguistics, 17(1), 147-149.",
    "savicky2002": "Savický, P., & Hlaváčová, J. (2002). Measures of word commonness. Journal of Quantitative "
                   "Linguistics, 9(3), 215-231.",
    "roberts2014": "Roberts, M. E., Stewart, B. M., Tingley, D., Lucas, C., Leder-Luis, J., Gadarian, S. K., "
                   "Albertson, B., & Rand, D. G. (2014). Structural topic models for open-ended survey responses. "
                   "American Journal of Political Science, 58(4), 1064-1082.",
    "roberts2019": "Roberts, M. E., Stewart, B. M., & Tingley, D. (2019). stm: An R package for structural topic "
                   "models. Journal of Statistical Software, 91(2), 1-40.",
    "tanner1996": "Tanner, M. A. (1996). Tools for Statistical Inference: Methods for the Exploration of Posterior "
                  "Distributions and Likelihood Functions (3rd ed.). Springer.",
    "greene2014": "Greene, D., O'Callaghan, D., & Cunningham, P. (2014). How many topics? Stability analysis for "
                  "topic models. In Machine Learning and Knowledge Discovery in Databases (ECML PKDD 2014), "
                  "LNCS 8724, 498-513. Springer.",
    "sinclair1991": "Sinclair, J. (1991). Corpus, Concordance, Collocation. Oxford University Press.",
    "blei2003": "Blei, D. M., Ng, A. Y., & Jordan, M. I. (2003). Latent Dirichlet allocation. "
                "Journal of Machine Learning Research, 3, 993-1022.",
    "hoffman2010": "Hoffman, M., Bach, F., & Blei, D. (2010). Online learning for latent Dirichlet "
                   "allocation. Advances in Neural Information Processing Systems 23, 856-864.",
    "roder2015": "Röder, M., Both, A., & Hinneburg, A. (2015). Exploring the space of topic coherence "
                 "measures. In Proceedings of WSDM 2015, 399-408.",
    "rehurek2010": "Řehůřek, R., & Sojka, P. (2010). Software framework for topic modelling with large "
                   "corpora. In Proceedings of the LREC 2010 Workshop on New Challenges for NLP Frameworks, 45-50.",
    "barbaresi2021": "Barbaresi, A. (2021). Trafilatura: a web scraping library and command-line tool for "
                     "text discovery and extraction. In Proceedings of ACL-IJCNLP 2021: System Demonstrations, 122-131.",
    "manning2008": "Manning, C. D., Raghavan, P., & Schütze, H. (2008). Introduction to Information "
                   "Retrieval. Cambridge University Press.",
    "maier2018": "Maier, D., Waldherr, A., Miltner, P., Wiedemann, G., Niekler, A., Keinert, A., Pfetsch, B., "
                 "Heyer, G., Reber, U., Häussler, T., Schmid-Petri, H., & Adam, S. (2018). Applying LDA topic modeling "
                 "in communication research: toward a valid and reliable methodology. Communication Methods and "
                 "Measures, 12(2-3), 93-118.",
    "sidak1967": "Šidák, Z. (1967). Rectangular confidence regions for the means of multivariate normal "
                 "distributions. Journal of the American Statistical Association, 62(318), 626-633.",
    "holm1979": "Holm, S. (1979). A simple sequentially rejective multiple test procedure. Scandinavian Journal "
                "of Statistics, 6(2), 65-70.",
    "benjamini1995": "Benjamini, Y., & Hochberg, Y. (1995). Controlling the false discovery rate: a practical and "
                     "powerful approach to multiple testing. Journal of the Royal Statistical Society B, 57(1), 289-300.",
    "benjamini2001": "Benjamini, Y., & Yekutieli, D. (2001). The control of the false discovery rate in multiple "
                     "testing under dependency. The Annals of Statistics, 29(4), 1165-1188.",
    "dunn1961": "Dunn, O. J. (1961). Multiple comparisons among means. Journal of the American Statistical "
                "Association, 56(293), 52-64.",
    "broder1997": "Broder, A. Z. (1997). On the resemblance and containment of documents. In Proceedings of "
                  "Compression and Complexity of Sequences 1997, 21-29. IEEE.",
    "leskovec2014": "Leskovec, J., Rajaraman, A., & Ullman, J. D. (2014). Mining of Massive Datasets (2nd ed.), "
                    "chapter 3: Finding similar items. Cambridge University Press.",
    "salton1988": "Salton, G., & Buckley, C. (1988). Term-weighting approaches in automatic text retrieval. "
                  "Information Processing & Management, 24(5), 513-523.",
    "robertson2009": "Robertson, S., & Zaragoza, H. (2009). The probabilistic relevance framework: BM25 and "
                     "beyond. Foundations and Trends in Information Retrieval, 3(4), 333-389.",
    "wagstaff2001": "Wagstaff, K., Cardie, C., Rogers, S., & Schrödl, S. (2001). Constrained k-means clustering "
                    "with background knowledge. In Proceedings of ICML 2001, 577-584.",
}
