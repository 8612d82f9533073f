# Reference values from the real peer: R's fisher.test() (stats package), the estimate and p-value that
# quanteda.textstats' textstat_keyness(measure = "exact") reports (keyness_exact() in R/textstat_keyness.R).
# Run: Rscript tests/data/peers/fisher_reference.R  (from the repository root); writes fisher_r.csv.
tables <- read.csv("tests/data/peers/fisher_tables.csv")
out <- t(apply(tables, 1, function(r) {
    ft <- fisher.test(matrix(c(r[["a"]], r[["c"]], r[["b"]], r[["d"]]), nrow = 2))
    c(estimate = unname(ft$estimate), p = ft$p.value)
}))
res <- cbind(tables, out)
con <- file("tests/data/peers/fisher_r.csv", "w")
writeLines(paste0("# ", R.version.string, "; fisher.test(matrix(c(a, c, b, d), nrow = 2)): table [[a, b], [c, d]]"), con)
res$estimate <- sprintf("%.17g", res$estimate)
res$p <- sprintf("%.17g", res$p)
write.csv(res, con, row.names = FALSE, quote = FALSE)
close(con)
