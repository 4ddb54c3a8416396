"""The review queue: unverified excerpts ordered by how much a decision on them is likely to teach the suggester.

(Named `review_queue`, not `queue`, so it never shadows the standard library module.)

usefulness = uncertainty_weight * uncertainty + disagreement_weight * disagreement + rarity_weight * rarity, where
    uncertainty  = mean over codes of u**4, with u = 1 - |p - threshold| / max(threshold, 1 - threshold)   (u = 1:
                   right at a threshold), once a trained model is in use: a soft share of the codes close to their
                   thresholds. At cold start (codebook alone): max over codes of u.
    disagreement = max over codes of |p_trained - p_codebook|   (0 when there is no trained model yet)
    rarity       = max over codes of p * 1 / sqrt(1 + verified examples of the code)
Each score is in [0, 1]. `confidence` of an excerpt is its highest code probability.

Why so: one decision labels every code of an excerpt, so an excerpt close to several thresholds teaches several
per-code models at once. Reviews needed to reach random order's 200-review micro-F1 (bench/active_learning.py,
batches of 10, 10 seeds): mean of u 170 on the demo corpus and 160 on HoASA, mean of u**4 140 and 150. The max of u
needed 170 and more than 200 (4 seeds); u**3 and u**8 fell between u and u**4 (5-8 seeds). At cold start the mean
picked short excerpts that sit near every threshold because they match no code, and the first model learned
nothing from them, so the max stays there.

Diversity (`diversity_clusters` > 0 and the excerpts have text): usefulness alone picks many near-duplicates from one
region of the corpus (long excerpts touching several codes), which taught the suggester less than random order did on
the HoASA proxy (bench/active_learning.py). So the candidates' TF-IDF vectors are clustered (k-means, `seed`) and the
queue takes the best excerpt of every cluster, then the second best of every cluster, and so on. "Best" is usefulness
times typicality (cosine similarity to the cluster centre) once a trained model is in use; at cold start (codebook
alone) it is usefulness alone — preferring typical excerpts there picked generic ones that taught little.

Non-substantive excerpts (greetings, consent, thanks, bare confirmation; `pipeline.suggest.substance`, or the
frame's own `non_substantive` column) come last, in the same order among themselves: a reviewer's first hour goes
to what can be coded. The suggester's confidence has the last word, as in clustering (`CONFIDENT`).

`score(excerpts, codebook, config, model)` computes the probabilities (no I/O); `run(...)` orders and filters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

import numpy as np
import pandas as pd

from pipeline.codebook import Codebook
from pipeline.config import ReviewConfig, SuggestConfig
from pipeline.errors import ReviewError

QUEUE_COLUMNS = ["excerpt_id", "key", "informant", "role", "method", "confidence", "uncertainty", "disagreement",
                 "rarity", "usefulness", "likely_codes", "non_substantive"]
CONFIDENT = 0.5  # a code this probable keeps an excerpt substantive, whatever its opening


@dataclass(frozen=True)
class QueueFilter:
    """Keep only excerpts matching every given criterion (an empty tuple / None means no restriction)."""

    codes: tuple[str, ...] = ()  # a likely code (probability past its threshold) is one of these
    informants: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()
    min_confidence: float | None = None
    max_confidence: float | None = None


@dataclass(frozen=True)
class Scores:
    """Probabilities for every code of every excerpt (rows in `excerpt_ids` order, columns in `codes` order)."""

    excerpt_ids: np.ndarray
    codes: tuple[str, ...]
    probability: np.ndarray  # the suggester in use (trained model, or the codebook alone at cold start)
    thresholds: np.ndarray
    codebook_probability: np.ndarray | None = None  # codebook-only suggester, when a trained model is in use


def score(excerpts: pd.DataFrame, codebook: Codebook, config: SuggestConfig, model: Any = None) -> Scores:
    """Probabilities from `model` (a SuggestModel) and from the codebook alone, for the queue."""
    from pipeline.suggest import cold_start

    ids = excerpts["excerpt_id"].to_numpy()
    if excerpts.empty:
        empty = np.zeros((0, len(codebook.ids)))
        return Scores(ids, codebook.ids, empty, np.full(len(codebook.ids), 0.5))
    cold = cold_start(excerpts, codebook, config)
    p_codebook, t_codebook = _in_codebook_order(cold, cold.predict_proba(excerpts), codebook)
    if model is None:
        return Scores(ids, codebook.ids, p_codebook, t_codebook)
    p_model, t_model = _in_codebook_order(model.estimator, model.estimator.predict_proba(excerpts), codebook)
    return Scores(ids, codebook.ids, p_model, t_model, p_codebook)


def _in_codebook_order(estimator: Any, probability: np.ndarray, codebook: Codebook) -> tuple[np.ndarray, np.ndarray]:
    position = {str(c): j for j, c in enumerate(estimator.codes_)}
    missing = [c for c in codebook.ids if c not in position]
    if missing:
        raise ReviewError(f"the suggester does not know code(s) {', '.join(missing)}",
                          hint="retrain with `reduksi train PROJECT`")
    order = [position[c] for c in codebook.ids]
    return probability[:, order], np.asarray(estimator.thresholds_)[order]


def run(excerpts: pd.DataFrame, scores: Scores, config: ReviewConfig, *, verified_counts: Mapping[str, int],
        exclude: Iterable[int] = (), only: Iterable[int] | None = None, where: QueueFilter = QueueFilter(),
        min_score: float = 0.0) -> pd.DataFrame:
    """The queue (QUEUE_COLUMNS), most useful first; `exclude` drops excerpts (e.g. already verified by this
    reviewer), `only` keeps just these (e.g. the reviewer's assignments)."""
    _check_filter(where, scores.codes)
    features = _features(scores, config, verified_counts, min_score)
    meta = excerpts.set_index("excerpt_id").reindex(columns=["key", "informant", "role", "method"])
    frame = features.join(meta, on="excerpt_id")
    keep = ~frame["excerpt_id"].isin(set(exclude))
    if only is not None:
        keep &= frame["excerpt_id"].isin(set(only))
    keep &= _matches(frame, where)
    frame = frame[keep].sort_values(["usefulness", "key"], ascending=[False, True], kind="stable")
    frame = _diversify(frame, excerpts, config, trained=scores.codebook_probability is not None)
    frame = _substantive_first(frame, excerpts)
    return frame.reindex(columns=QUEUE_COLUMNS).reset_index(drop=True)


def _substantive_first(frame: pd.DataFrame, excerpts: pd.DataFrame) -> pd.DataFrame:
    """Mark non-substantive excerpts and move them to the end (stable: the order within each part is kept)."""
    from pipeline.suggest import substance

    if "text" not in excerpts.columns:
        return frame.assign(non_substantive=False)
    unique = excerpts.drop_duplicates("excerpt_id")
    confident = frame[["excerpt_id"]].assign(probability=frame["confidence"].to_numpy())
    flags = pd.Series(substance.ensure(unique, confident, CONFIDENT).to_numpy(), index=unique["excerpt_id"])
    marked = frame.assign(non_substantive=frame["excerpt_id"].map(flags).fillna(False).astype(bool))
    return marked.sort_values("non_substantive", kind="stable")


def _diversify(frame: pd.DataFrame, excerpts: pd.DataFrame, config: ReviewConfig, *, trained: bool) -> pd.DataFrame:
    """Round-robin over k-means clusters of the candidates' TF-IDF vectors, best first within each cluster."""
    column = next((c for c in ("lemmas", "text") if c in excerpts.columns), None)
    k = min(config.diversity_clusters, len(frame))
    if column is None or k < 2:
        return frame
    import warnings

    from sklearn.cluster import KMeans
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = excerpts.drop_duplicates("excerpt_id").set_index("excerpt_id")[column].reindex(frame["excerpt_id"])
    try:
        X = TfidfVectorizer(sublinear_tf=True).fit_transform(texts.fillna("").astype(str).tolist())
    except ValueError:  # no words at all
        return frame
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # fewer distinct excerpts than clusters
        km = KMeans(k, n_init=1, random_state=config.seed).fit(X)
    usefulness = frame["usefulness"].to_numpy(dtype=float)
    if trained:  # rows are unit vectors: cosine to the centre = 1 - squared distance / 2 (for a unit centre)
        typicality = np.clip(1 - km.transform(X)[np.arange(len(frame)), km.labels_] ** 2 / 2, 0, 1)
        usefulness = usefulness * typicality
    ranked = frame.assign(_cluster=km.labels_, _best=usefulness).sort_values(
        ["_best", "key"], ascending=[False, True], kind="stable")
    ranked["_round"] = ranked.groupby("_cluster").cumcount()
    return ranked.sort_values(["_round", "_best", "key"], ascending=[True, False, True], kind="stable").drop(
        columns=["_cluster", "_best", "_round"])


def _features(scores: Scores, config: ReviewConfig, verified_counts: Mapping[str, int],
              min_score: float) -> pd.DataFrame:
    p, t = scores.probability, scores.thresholds
    n = len(scores.excerpt_ids)
    margin = np.maximum(t, 1 - t)
    closeness = np.clip(1 - np.abs(p - t) / margin, 0, 1)
    trained = scores.codebook_probability is not None
    uncertainty = ((closeness ** 4).mean(1) if trained else closeness.max(1)) if n and p.shape[1] else np.zeros(n)
    disagreement = (np.abs(p - scores.codebook_probability).max(1, initial=0)
                    if scores.codebook_probability is not None and n else np.zeros(n))
    rarity_weight = 1 / np.sqrt(1 + np.array([verified_counts.get(c, 0) for c in scores.codes], dtype=float))
    rarity = (p * rarity_weight).max(1, initial=0) if n else np.zeros(0)
    usefulness = (config.uncertainty_weight * uncertainty + config.disagreement_weight * disagreement
                  + config.rarity_weight * rarity)
    passing = p >= np.maximum(t, min_score)
    likely = [tuple(np.asarray(scores.codes)[row]) for row in passing]
    return pd.DataFrame({"excerpt_id": scores.excerpt_ids, "confidence": p.max(1, initial=0) if n else np.zeros(0),
                         "uncertainty": uncertainty, "disagreement": disagreement, "rarity": rarity,
                         "usefulness": usefulness, "likely_codes": likely})


def _check_filter(where: QueueFilter, codes: tuple[str, ...]) -> None:
    unknown = sorted(set(where.codes) - set(codes))
    if unknown:
        raise ReviewError(f"unknown code(s) in the filter: {', '.join(unknown)}", hint=f"known: {', '.join(codes)}")
    for name in ("min_confidence", "max_confidence"):
        value = getattr(where, name)
        if value is not None and not 0 <= value <= 1:
            raise ReviewError(f"{name.replace('_', '-')} must be between 0 and 1, got {value}")


def _matches(frame: pd.DataFrame, where: QueueFilter) -> pd.Series:
    keep = pd.Series(True, index=frame.index)
    for column, wanted in (("informant", where.informants), ("role", where.roles), ("method", where.methods)):
        if wanted:
            keep &= frame[column].isin(wanted)
    if where.codes:
        keep &= frame["likely_codes"].map(lambda found: bool(set(found) & set(where.codes)))
    if where.min_confidence is not None:
        keep &= frame["confidence"] >= where.min_confidence
    if where.max_confidence is not None:
        keep &= frame["confidence"] <= where.max_confidence
    return keep
