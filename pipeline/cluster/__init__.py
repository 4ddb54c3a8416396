"""Excerpt clustering and emergent themes: vectors -> clusters -> labels -> reading against codes -> map.

Entry point: `run(excerpts, tokens, suggestions, config) -> ClusterResult`; files: `write_outputs(result, folder)`.
Backends by name through the registry: vectors "lsa" (default) / "use-m3" (extra `dense`),
clusterers "kmeans" / "hdbscan".
"""

from __future__ import annotations

from pipeline.cluster import clusterers as _clusterers  # noqa: F401  (registers "kmeans", "hdbscan")
from pipeline.cluster import vectors as _vectors  # noqa: F401  (registers "lsa", "use-m3")
from pipeline.cluster.outputs import cluster_map, write_outputs
from pipeline.cluster.stage import ASSIGNMENT_COLUMNS, SUMMARY_COLUMNS, ClusterResult, check_config, run

__all__ = ["ASSIGNMENT_COLUMNS", "SUMMARY_COLUMNS", "ClusterResult", "check_config", "cluster_map", "run",
           "write_outputs"]
