# Reference values from the real peer's code: quanteda.textstats' textstat_keyness() on the table in
# quanteda_counts.csv (a dfm grouped into target and reference), for every measure and correction.
#
# The C++ statistics are compiled from the peer's own src/keyness.cpp (its inline functions
# yates_correction ... pmi_lambda, cut from the file unchanged) with a thin Rcpp wrapper that plays
# cpp_keyness()'s loop; the R side follows R/textstat_keyness.R: p = 1 - pchisq(abs(stat), 1), and
# measure = "exact" is keyness_exact(): fisher.test(matrix(c(y, sums - y), nrow = 2)).
# quanteda itself is not on Debian 12, so its dfm plumbing is replaced by the two count vectors.
#
# Run from the repository root (needs R and Rcpp: apt-get install r-base-core r-cran-rcpp):
#   git clone https://github.com/quanteda/quanteda.textstats /tmp/qts   # commit 9fc27080decb093d45aeb018255c1528da9780a4
#   Rscript tests/data/peers/quanteda_reference.R /tmp/qts/src/keyness.cpp
# writes tests/data/peers/quanteda_keyness.csv.
args <- commandArgs(trailingOnly = TRUE)
src <- readLines(args[1])
epsilon <- grep("^static const double epsilon", src)
first <- grep("^inline double yates_correction", src)
last <- grep("^// \\[\\[Rcpp::export\\]\\]", src) - 1
wrapper <- c("#include <Rcpp.h>", "#include <cmath>", "#include <string>", "#include <vector>",
             src[epsilon], src[first:last],
             "// [[Rcpp::export]]",
             "Rcpp::NumericVector keyness_stat(Rcpp::NumericVector t, Rcpp::NumericVector r, std::string measure, std::string cor) {",
             "    std::vector<double> margin = {Rcpp::sum(t), Rcpp::sum(r)};",
             "    Rcpp::NumericVector out(t.size());",
             "    for (int i = 0; i < t.size(); i++) {",
             "        if (measure == \"chi2\") out[i] = chisq_lambda(t[i], r[i], margin, cor);",
             "        else if (measure == \"lr\") out[i] = lr_lambda(t[i], r[i], margin, cor);",
             "        else out[i] = pmi_lambda(t[i], r[i], margin, false);",
             "    }",
             "    return out;",
             "}")
cpp <- file.path(tempdir(), "keyness_peer.cpp")
writeLines(wrapper, cpp)
Rcpp::sourceCpp(cpp)

counts <- read.csv("tests/data/peers/quanteda_counts.csv")
res <- data.frame(feature = counts$feature, n_target = counts$target, n_reference = counts$reference)
for (m in c("chi2", "lr", "pmi")) {
    for (cor in if (m == "pmi") "default" else c("default", "williams", "none")) {
        stat <- keyness_stat(counts$target, counts$reference, m, cor)
        res[[paste(m, cor, sep = "_")]] <- sprintf("%.17g", stat)
        res[[paste("p", m, cor, sep = "_")]] <- sprintf("%.17g", 1 - stats::pchisq(abs(stat), 1))
    }
}
sums <- c(sum(counts$target), sum(counts$reference))
exact <- t(sapply(seq_len(nrow(counts)), function(i) {
    y <- c(counts$target[i], counts$reference[i])
    et <- stats::fisher.test(matrix(c(as.numeric(y), as.numeric(sums - y)), nrow = 2))
    c(as.numeric(et$estimate), et$p.value)
}))
res$exact <- sprintf("%.17g", exact[, 1])
res$p_exact <- sprintf("%.17g", exact[, 2])
con <- file("tests/data/peers/quanteda_keyness.csv", "w")
writeLines(paste0("# ", R.version.string, "; Rcpp ", packageVersion("Rcpp"),
                  "; quanteda.textstats 0.97.3 src/keyness.cpp at 9fc27080decb093d45aeb018255c1528da9780a4"), con)
write.csv(res, con, row.names = FALSE, quote = FALSE)
close(con)
