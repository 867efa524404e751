"""Record linkage: blocking, comparisons, unsupervised parameter estimation, clustering."""
