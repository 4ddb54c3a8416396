"""Readable cluster labels: distinctive lemmas by class-based TF-IDF, and the excerpts nearest each centre.

Class-based TF-IDF (as in BERTopic): all excerpts of a cluster form one document; a lemma scores
tf(lemma, cluster) * log(1 + A / f(lemma)), with tf the lemma's share of the cluster's counts, A the mean count per
cluster and f the lemma's count over all clusters. A lemma counts once per excerpt, so one long turn that repeats a
word cannot make it the cluster's label. Only content lemmas enter (the language backend's `is_content`: no stop
word, filler, annotation or punctuation), and a lemma the backend flags as stop word, filler or annotation anywhere in
the corpus is never a label (e.g. "itu" reached through the reduplicated "itu-itu"). A lemma must also occur in at
least two of the cluster's excerpts (one when the cluster has one excerpt): one speaker's pet word or a typo is not
what a cluster is about.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer

from pipeline.cluster.vectors import identity_analyzer


def label_terms(lemmas: Sequence[Sequence[str]], labels: np.ndarray, n_terms: int,
                banned: frozenset[str] = frozenset()) -> dict[int, list[str]]:
    """For each cluster (label >= 0), its `n_terms` most distinctive lemmas, best first; never one of `banned`."""
    clusters = sorted(int(c) for c in np.unique(labels) if c >= 0)
    if not clusters:
        return {}
    counter = CountVectorizer(analyzer=identity_analyzer, lowercase=False, binary=True)
    try:
        counts = counter.fit_transform(lemmas).tocsr()
    except ValueError:  # no lemma at all
        return {c: [] for c in clusters}
    vocabulary = counter.get_feature_names_out()
    placed = np.flatnonzero(labels >= 0)
    member = sparse.csr_matrix((np.ones(len(placed)), (labels[placed], placed)),
                               shape=(max(clusters) + 1, len(labels)))
    per_cluster = np.asarray((member @ counts).todense(), dtype=float)
    scores = _ctfidf(per_cluster)
    allowed_terms = np.array([term not in banned for term in vocabulary])
    terms = {}
    for c in clusters:
        size = int(member[c].sum())
        allowed = (per_cluster[c] >= min(2, size)) & allowed_terms
        ranked = [i for i in np.lexsort((vocabulary, -scores[c])) if allowed[i] and scores[c, i] > 0]
        terms[c] = [str(vocabulary[i]) for i in ranked[:n_terms]]
    return terms


def _ctfidf(per_cluster: np.ndarray) -> np.ndarray:
    totals = per_cluster.sum(axis=1, keepdims=True)
    tf = per_cluster / np.where(totals == 0, 1, totals)
    average_words = per_cluster.sum() / max(1, per_cluster.shape[0])
    frequency = per_cluster.sum(axis=0)
    idf = np.log1p(average_words / np.where(frequency == 0, 1, frequency))
    return tf * idf


def central_rows(distances: np.ndarray, labels: np.ndarray, n: int) -> dict[int, list[int]]:
    """For each cluster, the row positions of its `n` excerpts closest to the centre (ties by position)."""
    result = {}
    for c in sorted(int(c) for c in np.unique(labels) if c >= 0):
        rows = np.flatnonzero(labels == c)
        order = np.lexsort((rows, distances[rows]))
        result[c] = [int(rows[i]) for i in order[:n]]
    return result
