# Times R's glm (Poisson, dense dummy variables) on a panel CSV written by the benchmark
# (columns y, rta, log_tariff, ey, iy, pair). Usage: Rscript ppml_time.R FILE
# The timing covers building the dummy matrix, dropping its exactly collinear columns (glm's own
# weighted QR misses some of them and then does not converge) and the fit.
# Prints JSON: seconds, the two coefficients, IRLS iterations, whether glm converged.
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
d$ey <- factor(d$ey); d$iy <- factor(d$iy); d$pair <- factor(d$pair)
t <- system.time({
  X <- model.matrix(~ rta + log_tariff + ey + iy + pair, d)
  q <- qr(X, tol = 1e-7)
  X <- X[, sort(q$pivot[seq_len(q$rank)])]
  fit <- glm.fit(X, d$y, family = poisson(), mustart = (d$y + mean(d$y)) / 2,
    control = glm.control(epsilon = 1e-10, maxit = 100))
})[["elapsed"]]
b <- coef(fit)[c("rta", "log_tariff")]
cat(sprintf('{"seconds":%.4f,"rta":%.12g,"log_tariff":%.12g,"iterations":%d,"converged":%s}\n', t, b[1], b[2], fit$iter, tolower(fit$converged)))
