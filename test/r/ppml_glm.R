# Independent check of the PPML estimator: R's glm (quasi-Poisson) with dummy variables.
# Usage: Rscript ppml_glm.R DATA.csv "FORMULA" CLUSTER_COLUMNS(comma separated)
# The formula's second column is the coefficient reported. Prints JSON: estimate, quasi-Poisson SE,
# HC1 robust SE (sandwich::vcovHC), clustered HC1 SE (sandwich::vcovCL) one way by the columns' interaction
# and multi-way by the columns, rank and residual df.
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
f <- as.formula(args[2])
cl <- strsplit(args[3], ",")[[1]]
y <- model.response(model.frame(f, d))
# Drop exactly collinear dummies first (detected on the unweighted 0/1 design, where it is well conditioned):
# with hundreds of dummies and weights spanning ten orders of magnitude, glm's own weighted QR can miss them.
X <- model.matrix(f, d)
q <- qr(X, tol = 1e-7)
X <- X[, sort(q$pivot[seq_len(q$rank)])]
# Start from mu = (y + mean(y))/2, as ppmlhdfe does.
fit <- glm(y ~ 0 + X, family = quasipoisson(), mustart = (y + mean(y)) / 2,
  control = glm.control(epsilon = 1e-12, maxit = 100))
if (!fit$converged) stop("glm did not converge")
suppressMessages(library(sandwich))
b <- coef(fit)[2]
se_iid <- sqrt(vcov(fit)[2, 2])
se_hc1 <- sqrt(vcovHC(fit, type = "HC1")[2, 2])
cluster <- interaction(d[cl], drop = TRUE)
se_cl <- sqrt(vcovCL(fit, cluster = cluster, type = "HC1")[2, 2])
se_cl2 <- sqrt(vcovCL(fit, cluster = d[cl], type = "HC1")[2, 2])  # multi-way: one dimension per column
cat(sprintf('{"name":"%s","estimate":%.15g,"seIid":%.15g,"seRobust":%.15g,"seCluster":%.15g,"seClusterMultiway":%.15g,"dfResidual":%d,"rank":%d,"iterations":%d}\n',
  colnames(X)[2], b, se_iid, se_hc1, se_cl, se_cl2, fit$df.residual, fit$rank, fit$iter))
