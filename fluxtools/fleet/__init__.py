"""The fleet: one tool call across several kubeconfig contexts, one answer; a layer above one cluster's pipeline.

Each cluster is its own `ClusterPipeline` (tenancy, read-only, masking, its cache and guard apply per
cluster); all of them share one process limit. `args` adds the fleet's parameters to the tools it
answers for, `contexts` chooses the clusters, `clusters` asks them, `merge` folds their answers (causes
shared across clusters grouped once), `fit` fits the answer to the output budget. Nothing of the
one-cluster path imports this package.
"""

from fluxtools.fleet.args import fleet_tools

__all__ = ["fleet_tools"]
