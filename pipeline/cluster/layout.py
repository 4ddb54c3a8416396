"""2-D coordinates of excerpt vectors for the cluster map (deterministic for a given seed).

t-SNE keeps neighbours together and so draws clusters apart; it costs seconds per thousand excerpts, so "auto" uses
it up to `TSNE_MAX` excerpts and PCA (a linear projection, instant) beyond.
"""

from __future__ import annotations

import numpy as np
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE

TSNE_MAX = 2000
EXACT_MAX = 200


def map_coordinates(vectors: np.ndarray, method: str = "auto", seed: int = 0) -> np.ndarray:
    """(n, 2) coordinates; `method` is "auto", "pca" or "tsne"."""
    n = len(vectors)
    if n < 3 or vectors.shape[1] < 2:
        return np.column_stack([vectors[:, 0] if vectors.shape[1] else np.zeros(n), np.zeros(n)])
    if method == "tsne" or (method == "auto" and n <= TSNE_MAX):
        perplexity = float(min(30.0, max(2.0, (n - 1) / 3)))
        # 500 iterations (the default is 1,000) settle a map of this size and halve the wait; small maps use the
        # exact gradient, which for them is quicker than Barnes-Hut's threaded tree.
        method = "exact" if n <= EXACT_MAX else "barnes_hut"
        return TSNE(n_components=2, perplexity=perplexity, init="pca", max_iter=500, method=method,
                    random_state=seed).fit_transform(vectors)
    return PCA(n_components=2, random_state=seed).fit_transform(vectors)
