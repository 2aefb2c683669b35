# Independent check of the decoupling index: R's scale(), cor() and eigen().
# Usage: Rscript decoupling_index.R DIMENSIONS.csv
# The CSV has a column year and one column per dimension (raw values on the common years). Prints JSON: the
# first eigenvalue, the explained share, the loadings (signed to a positive sum), the weights (squared
# loadings), and index_equal and index_pca by year.
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
x <- as.matrix(d[, -1, drop = FALSE])
z <- scale(x)  # mean 0, sd 1 (n - 1 divisor)
e <- eigen(cor(x), symmetric = TRUE)
v <- e$vectors[, 1]
if (sum(v) < 0) v <- -v
w <- v^2
eq <- rowMeans(z)
pca <- as.vector(z %*% w)
num <- function(a) paste(sprintf("%.17g", a), collapse = ",")
cat(sprintf('{"eigenvalue":%.17g,"explained":%.17g,"loadings":[%s],"weights":[%s],"years":[%s],"index_equal":[%s],"index_pca":[%s]}\n',
  e$values[1], e$values[1] / ncol(x), num(v), num(w), paste(d$year, collapse = ","), num(eq), num(pca)))
