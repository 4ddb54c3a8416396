"""Clusterers: vectors in, labels (-1 = noise) and one centre per cluster out; chosen in config by name.

- "kmeans": scikit-learn KMeans. With `n_clusters = 0` the number of clusters is chosen over [k_min, k_max] by the
  stated criterion: the highest mean cosine silhouette, measured on a fixed-seed sample of at most 3,000 excerpts;
  among the ks within 0.01 of the best, the smallest wins (fewer clusters for the same separation). A k is tried
  only when its mean cluster size would be at least `min_cluster_size`. Beyond 10,000 excerpts the candidate ks are
  fitted on a fixed-seed sample of 10,000 and only the chosen k on all excerpts.
- "hdbscan": scikit-learn HDBSCAN (density based; leaves unclear excerpts as noise, label -1). Deterministic.

Clusters are renumbered by size (0 = largest; ties by first excerpt) so outputs read the same run to run.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.cluster import HDBSCAN, KMeans
from sklearn.metrics import silhouette_score

from pipeline.config import ClusterConfig
from pipeline.errors import ModelError
from pipeline.registry import register

SILHOUETTE_SAMPLE = 3000
SILHOUETTE_TOLERANCE = 0.01
SELECTION_FIT_SAMPLE = 10000


@dataclass(frozen=True)
class Clustering:
    labels: np.ndarray  # one int per vector row; -1 = noise
    centres: np.ndarray  # (n_clusters, dims), row c is cluster c's centre
    selection: pd.DataFrame  # [k, silhouette, chosen] when k was chosen; empty otherwise
    name: str


@dataclass
class KMeansClusterer:
    """k-means; `n_clusters` 0 chooses k in [k_min, k_max] by silhouette."""

    n_clusters: int = 0
    k_min: int = 3
    k_max: int = 15
    min_cluster_size: int = 5
    seed: int = 0
    n_init: int = 4
    name: str = "kmeans/1"

    def fit(self, vectors: np.ndarray) -> Clustering:
        if self.n_clusters > 0:
            if self.n_clusters > len(vectors):
                raise ModelError(f"cannot make {self.n_clusters} clusters of {len(vectors)} excerpts",
                                 key="cluster.n_clusters")
            model = self._kmeans(self.n_clusters).fit(vectors)
            return _renumbered(model.labels_, vectors, pd.DataFrame(columns=["k", "silhouette", "chosen"]),
                               self.name)
        return self._select(vectors)

    def _kmeans(self, k: int) -> KMeans:
        return KMeans(n_clusters=k, n_init=self.n_init, random_state=self.seed)

    def candidate_ks(self, n: int) -> list[int]:
        top = min(self.k_max, n // max(1, self.min_cluster_size), n - 1)
        return list(range(max(2, self.k_min), top + 1)) or [max(1, min(2, n - 1))]

    def _select(self, vectors: np.ndarray) -> Clustering:
        ks = self.candidate_ks(len(vectors))
        # Candidates are fitted on a fixed-seed sample of large projects; the chosen k is then fitted on all.
        fit_rows = _sample(len(vectors), SELECTION_FIT_SAMPLE, self.seed)
        scored = fit_rows[_sample(len(fit_rows), SILHOUETTE_SAMPLE, self.seed)]
        rows, fits = [], {}
        for k in ks:
            model = self._kmeans(k).fit(vectors[fit_rows]) if k > 1 else None
            labels = model.predict(vectors[scored]) if model else np.zeros(len(scored), dtype=int)
            fits[k] = model
            distinct = len(np.unique(labels))
            score = silhouette_score(vectors[scored], labels, metric="cosine") \
                if 1 < distinct < len(scored) else float("nan")
            rows.append({"k": k, "silhouette": float(score)})
        table = pd.DataFrame(rows)
        best = table["silhouette"].max()
        chosen = int(table.loc[table["silhouette"] >= best - SILHOUETTE_TOLERANCE, "k"].min()) \
            if table["silhouette"].notna().any() else ks[0]
        table["chosen"] = table["k"] == chosen
        fit = fits[chosen]
        if fit is None:
            labels = np.zeros(len(vectors), dtype=int)
        elif len(fit_rows) == len(vectors):
            labels = fit.labels_
        else:
            labels = self._kmeans(chosen).fit(vectors).labels_
        return _renumbered(labels, vectors, table, self.name)


class HdbscanClusterer:
    def __init__(self, min_cluster_size: int = 5) -> None:
        self.min_cluster_size = min_cluster_size
        self.name = "hdbscan/1"

    def fit(self, vectors: np.ndarray) -> Clustering:
        size = max(2, min(self.min_cluster_size, len(vectors)))
        # Vectors are unit length, so Euclidean distance orders pairs as cosine distance does.
        labels = HDBSCAN(min_cluster_size=size, copy=True).fit(vectors).labels_
        return _renumbered(labels, vectors, pd.DataFrame(columns=["k", "silhouette", "chosen"]), self.name)


def _sample(n: int, size: int, seed: int) -> np.ndarray:
    if n <= size:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, size=size, replace=False))


def _renumbered(labels: np.ndarray, vectors: np.ndarray, selection: pd.DataFrame, name: str) -> Clustering:
    """Number clusters by size (largest first, ties by first member); centres are member means."""
    labels = np.asarray(labels)
    found = [c for c in np.unique(labels) if c >= 0]
    order = sorted(found, key=lambda c: (-int(np.sum(labels == c)), int(np.argmax(labels == c))))
    mapping = {old: new for new, old in enumerate(order)}
    renamed = np.array([mapping.get(c, -1) for c in labels], dtype=int)
    dims = vectors.shape[1] if vectors.ndim == 2 else 0
    centres = np.vstack([vectors[renamed == c].mean(axis=0) for c in range(len(order))]) if order \
        else np.empty((0, dims))
    return Clustering(renamed, centres, selection.reset_index(drop=True), name)


@register("clusterer", "kmeans")
def make_kmeans(config: ClusterConfig) -> KMeansClusterer:
    return KMeansClusterer(n_clusters=config.n_clusters, k_min=config.k_min, k_max=config.k_max,
                           min_cluster_size=config.min_cluster_size, seed=config.seed)


@register("clusterer", "hdbscan")
def make_hdbscan(config: ClusterConfig) -> HdbscanClusterer:
    return HdbscanClusterer(min_cluster_size=config.min_cluster_size)
