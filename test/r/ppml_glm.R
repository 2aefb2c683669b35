# Independent check of the PPML estimator: R's glm with dummy variables.
# Usage: Rscript ppml_glm.R DATA.csv "FORMULA" CLUSTER_COLUMNS(comma separated)
# Prints JSON: coefficient, quasi-Poisson SE, HC1 robust SE, one-way clustered SE (HC1), residual df.
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
f <- as.formula(args[2])
cl <- strsplit(args[3], ",")[[1]]
# Start from mu = (y + mean(y))/2, as ppmlhdfe does; glm's own start can fail to converge with hundreds of dummies.
y <- model.response(model.frame(f, d))
fit <- glm(f, data = d, family = quasipoisson(), mustart = (y + mean(y)) / 2,
  control = glm.control(epsilon = 1e-11, maxit = 100))
if (!fit$converged) stop("glm did not converge")
suppressMessages(library(sandwich))
b <- coef(fit)[2]
se_iid <- sqrt(vcov(fit)[2, 2])
se_hc1 <- sqrt(vcovHC(fit, type = "HC1")[2, 2])
cluster <- interaction(d[cl], drop = TRUE)
se_cl <- sqrt(vcovCL(fit, cluster = cluster, type = "HC1")[2, 2])
cat(sprintf('{"name":"%s","estimate":%.15g,"seIid":%.15g,"seRobust":%.15g,"seCluster":%.15g,"dfResidual":%d,"rank":%d}\n',
  names(b), b, se_iid, se_hc1, se_cl, fit$df.residual, fit$rank))
