# Times fixest::fepois, one thread, on a CSV written or named by the benchmark.
# Usage: Rscript fepois_time.R FILE FORMULA CLUSTER [check]
#   FORMULA as fixest writes it, e.g. "Euros ~ log(dist_km) | Origin + Destination + Product + Year";
#   CLUSTER a one-sided formula, e.g. "~Origin^Destination".
# The fit alone is timed inside R (system.time around fepois); the whole process is timed by the caller.
# Prints JSON: seconds of the fit, coefficients, clustered standard errors under fixest's default
# small-sample convention (ssc(): fixef.K = "nested", cluster.df = "min") and under fixef.K = "full",
# the nested standard errors evaluated at the solution (see below), IRLS iterations, and the K fixest counted.
suppressMessages(library(fixest))
setFixest_nthreads(1)
args <- commandArgs(trailingOnly = TRUE)
d <- data.table::fread(args[1], showProgress = FALSE)
f <- as.formula(args[2])
cl <- as.formula(args[3])
check <- length(args) >= 4 && args[4] == "check"
t <- system.time(fit <- fepois(f, d, vcov = cl, notes = FALSE))[["elapsed"]]
b <- coef(fit)
se_nested <- se(fit)
se_full <- se(summary(fit, vcov = cl, ssc = ssc(fixef.K = "full")))
K <- attr(vcov(fit, vcov = cl, attr = TRUE), "dof.K")
# With "check": fixest's conventions (its K and G), evaluated at its solution, the regressors partialled out with
# the final weights mu. fixest itself forms the bread and scores with the weights of its last IRLS step, which at
# its stopping rule can still differ from the solution's by about 1e-5 (relative).
se_solution <- NA * b
if (check) {
  rows <- seq_len(nrow(d))
  if (!is.null(fit$obs_selection$obsRemoved)) rows <- setdiff(rows, -fit$obs_selection$obsRemoved)
  X <- model.matrix(fit, type = "rhs")
  fe <- as.data.frame(d)[rows, fit$fixef_vars, drop = FALSE]
  y <- fit$y
  mu <- fitted(fit)
  xt <- as.matrix(demean(X, fe, weights = mu, tol = 1e-10, iter = 100000))
  bread <- solve(crossprod(xt * sqrt(mu)))
  g <- as.integer(factor(do.call(paste, as.data.frame(d)[rows, all.vars(cl), drop = FALSE])))
  meat <- crossprod(rowsum(xt * (y - mu), g))
  G <- max(g)
  n <- nobs(fit)
  se_solution <- sqrt(diag(bread %*% meat %*% bread) * G / (G - 1) * (n - 1) / (n - K))
  names(se_solution) <- names(b)
}
json_vec <- function(v) {
  paste0("{", paste(ifelse(is.na(v), sprintf('"%s":null', names(v)), sprintf('"%s":%.15g', names(v), v)), collapse = ","), "}")
}
cat(sprintf(
  '{"seconds":%.4f,"coefficients":%s,"seNested":%s,"seFull":%s,"seNestedAtSolution":%s,"iterations":%d,"nparams":%d,"dofK":%d,"observations":%d}\n',
  t, json_vec(b), json_vec(se_nested), json_vec(se_full), json_vec(se_solution), fit$iterations, fit$nparams, K, nobs(fit)
))
