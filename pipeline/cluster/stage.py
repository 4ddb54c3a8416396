"""The clustering stage: `run(excerpts, tokens, suggestions, config) -> ClusterResult`.

vectors (by name) -> clusters (by name) -> labels (class-based TF-IDF, central excerpts) -> reading against codes
-> 2-D map coordinates. Deterministic for a given `config.seed`.

Inputs
- `excerpts`: one row per excerpt; needs excerpt_id, key, text; uses informant, role, method when present.
- `tokens[i]`: the language backend's tokens of `excerpts.text[i]`.
- `suggestions`: [excerpt_id, key, code, probability, rank, origin, reasons, model_version], or None/empty.

An excerpt without any content lemma ("Iya.", "[tertawa]") has nothing to place it by: it gets cluster -1 with
status "no content words". A non-substantive excerpt (greetings, consent, thanks, bare confirmation: the frame's
`non_substantive` column, else `pipeline.suggest.substance` over the frame and the suggestions) is left out too, with
status "non-substantive": small talk made clusters of its own and was flagged as candidate new themes. HDBSCAN's
noise is cluster -1 with status "noise".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import pandas as pd

from pipeline import registry
from pipeline.cluster import clusterers as _clusterers  # noqa: F401  (registers clusterers)
from pipeline.cluster.codes import read_codes
from pipeline.cluster.labels import central_rows, label_terms
from pipeline.cluster.layout import map_coordinates
from pipeline.cluster.vectors import Documents, flagged_lemmas
from pipeline.config import ClusterConfig
from pipeline.errors import ConfigError, ModelError, TooFewExcerpts
from pipeline.language.base import Token
from pipeline.suggest import substance

ASSIGNMENT_COLUMNS = ["excerpt_id", "key", "cluster", "distance", "x", "y", "status"]
SUMMARY_COLUMNS = ["cluster", "size", "label_terms", "central_keys", "n_informants", "informants", "roles",
                   "methods", "dominant_codes", "uncoded_share", "candidate_new_theme", "split_codes",
                   "mean_distance"]
MIN_EXCERPTS = 3
NON_SUBSTANTIVE = "non-substantive"


@dataclass(frozen=True)
class ClusterResult:
    """`assignments`: ASSIGNMENT_COLUMNS, one row per excerpt, in input order; `distance` is the cosine distance
    to the cluster centre (NaN for cluster -1). `summary`: SUMMARY_COLUMNS, one row per cluster (-1 last, if any).
    `code_table`: [cluster, size, <code>..., uncoded]. `code_splits`: [code, n_excerpts, n_clusters, clusters,
    largest_share, possible_subcodes]. `selection`: [k, silhouette, chosen] when k was chosen."""

    assignments: pd.DataFrame
    summary: pd.DataFrame
    code_table: pd.DataFrame
    code_splits: pd.DataFrame
    selection: pd.DataFrame
    vectors: str  # versioned backend names, recorded with the outputs
    clusterer: str
    seed: int
    codes_read: bool
    notes: tuple[str, ...] = field(default=())


def run(excerpts: pd.DataFrame, tokens: Sequence[Sequence[Token]], suggestions: pd.DataFrame | None,
        config: ClusterConfig, *, open_coding: bool = False) -> ClusterResult:
    """Cluster the excerpts, label the clusters and read them against the (optional) code suggestions.
    `open_coding` (the project has no codebook yet): every cluster large enough is a candidate theme."""
    check_config(config)
    _check_inputs(excerpts, tokens)
    docs = Documents.from_tokens(excerpts["text"].astype(str).tolist(), tokens)
    has_words = np.array([len(lemmas) > 0 for lemmas in docs.lemmas])
    small_talk = substance.ensure(excerpts, suggestions, config.confident_probability).to_numpy()
    placeable = has_words & ~small_talk
    if placeable.sum() < MIN_EXCERPTS:
        raise TooFewExcerpts(f"only {int(placeable.sum())} excerpt(s) have content words and substance; "
                             f"clustering needs at least {MIN_EXCERPTS}", hint="ingest more sources first")
    rows = np.flatnonzero(placeable)
    vectorizer = registry.resolve("vectors", config.vectors, config)
    clusterer = registry.resolve("clusterer", config.method, config)
    vectors = vectorizer.fit_transform(Documents(tuple(docs.texts[i] for i in rows),
                                                 tuple(docs.lemmas[i] for i in rows)))
    clustering = clusterer.fit(vectors)
    assignments = _assignments(excerpts, rows, vectors, clustering, config)
    assignments.loc[has_words & small_talk, "status"] = NON_SUBSTANTIVE
    reading = read_codes(assignments, suggestions, config, open_coding=open_coding)
    summary = _summary(excerpts, assignments, docs.lemmas, flagged_lemmas(tokens), reading.per_cluster, config)
    notes = _notes(assignments, clustering.selection, reading.read, open_coding)
    return ClusterResult(assignments, summary, reading.table, reading.splits, clustering.selection,
                         vectorizer.name, clusterer.name, config.seed, reading.read, notes)


def check_config(config: ClusterConfig) -> None:
    """Value checks the generic loader cannot make (it checks types only)."""
    rules = [("svd_components", config.svd_components >= 2, ">= 2"), ("min_df", config.min_df >= 1, ">= 1"),
             ("n_clusters", config.n_clusters >= 0, ">= 0 (0 = choose)"), ("k_min", config.k_min >= 2, ">= 2"),
             ("k_max", config.k_max >= config.k_min, ">= k_min"),
             ("min_cluster_size", config.min_cluster_size >= 2, ">= 2"),
             ("label_terms", config.label_terms >= 1, ">= 1"),
             ("central_excerpts", config.central_excerpts >= 1, ">= 1"),
             ("confident_probability", 0 < config.confident_probability <= 1, "in (0, 1]"),
             ("new_theme_min_uncoded", 0 <= config.new_theme_min_uncoded < 1, "in [0, 1)"),
             ("split_min_share", 0 < config.split_min_share <= 1, "in (0, 1]"),
             ("split_min_excerpts", config.split_min_excerpts >= 1, ">= 1")]
    for key, ok, expected in rules:
        if not ok:
            raise ConfigError(f"must be {expected}, got {getattr(config, key)!r}", key=f"cluster.{key}")


def _check_inputs(excerpts: pd.DataFrame, tokens: Sequence[Sequence[Token]]) -> None:
    missing = [c for c in ("excerpt_id", "key", "text") if c not in excerpts.columns]
    if missing:
        raise ModelError(f"excerpts frame lacks column(s) {', '.join(missing)}")
    if len(tokens) != len(excerpts):
        raise ModelError(f"{len(tokens)} token lists for {len(excerpts)} excerpts; expected one per excerpt")


def _assignments(excerpts: pd.DataFrame, rows: np.ndarray, vectors: np.ndarray, clustering: _clusterers.Clustering,
                 config: ClusterConfig) -> pd.DataFrame:
    n = len(excerpts)
    cluster = np.full(n, -1, dtype=int)
    cluster[rows] = clustering.labels
    distance = np.full(n, np.nan)
    inside = clustering.labels >= 0
    if inside.any():
        centres = clustering.centres[clustering.labels[inside]]
        cosine = np.sum(vectors[inside] * centres, axis=1) / np.maximum(np.linalg.norm(centres, axis=1), 1e-12)
        distance[rows[inside]] = np.round(1.0 - cosine / np.maximum(np.linalg.norm(vectors[inside], axis=1),
                                                                    1e-12), 6)
    coords = np.full((n, 2), np.nan)
    coords[rows] = map_coordinates(vectors, config.map, config.seed)
    status = np.where(cluster >= 0, "clustered", "noise").astype(object)
    status[np.setdiff1d(np.arange(n), rows)] = "no content words"
    return pd.DataFrame({"excerpt_id": excerpts["excerpt_id"].to_numpy(), "key": excerpts["key"].astype(str).to_numpy(),
                         "cluster": cluster, "distance": distance, "x": np.round(coords[:, 0], 4),
                         "y": np.round(coords[:, 1], 4), "status": status}, columns=ASSIGNMENT_COLUMNS)


def _summary(excerpts: pd.DataFrame, assignments: pd.DataFrame, lemmas: Sequence[Sequence[str]],
             banned: frozenset[str], per_cluster: pd.DataFrame, config: ClusterConfig) -> pd.DataFrame:
    labels = assignments["cluster"].to_numpy()
    terms = label_terms(lemmas, labels, config.label_terms, banned)
    central = central_rows(assignments["distance"].fillna(np.inf).to_numpy(), labels, config.central_excerpts)
    keys = assignments["key"].tolist()
    rows = []
    for cluster in sorted(set(labels.tolist()), key=lambda c: (c < 0, c)):
        members = labels == cluster
        informants = _tally(excerpts, members, "informant")
        rows.append({"cluster": cluster, "size": int(members.sum()), "label_terms": ", ".join(terms.get(cluster, [])),
                     "central_keys": "; ".join(keys[i] for i in central.get(cluster, [])),
                     "n_informants": len(informants), "informants": _joined(informants),
                     "roles": _joined(_tally(excerpts, members, "role")),
                     "methods": _joined(_tally(excerpts, members, "method")),
                     "mean_distance": round(float(assignments.loc[members, "distance"].mean()), 4)
                     if cluster >= 0 else float("nan")})
    summary = pd.DataFrame(rows).merge(per_cluster, on="cluster", how="left")
    return summary[SUMMARY_COLUMNS]


def _tally(excerpts: pd.DataFrame, members: np.ndarray, column: str) -> list[tuple[str, int]]:
    if column not in excerpts.columns:
        return []
    values = [str(v) for v in excerpts.loc[members, column].tolist() if v is not None and not pd.isna(v) and v != ""]
    return sorted(Counter(values).items(), key=lambda item: (-item[1], item[0]))


def _joined(tally: list[tuple[str, int]]) -> str:
    return "; ".join(f"{value}:{count}" for value, count in tally)


def _notes(assignments: pd.DataFrame, selection: pd.DataFrame, codes_read: bool,
           open_coding: bool = False) -> tuple[str, ...]:
    notes = []
    if not selection.empty and selection["chosen"].any():
        chosen = selection.loc[selection["chosen"]].iloc[0]
        notes.append(f"k = {int(chosen['k'])} chosen over k = {int(selection['k'].min())}..{int(selection['k'].max())}"
                     f" by mean cosine silhouette ({chosen['silhouette']:.3f})")
    for status in ("no content words", NON_SUBSTANTIVE, "noise"):
        count = int((assignments["status"] == status).sum())
        if count:
            notes.append(f"{count} excerpt(s) not clustered ({status})")
    if open_coding:
        notes.append("open coding (no codebook): every cluster is a candidate theme")
    elif not codes_read:
        notes.append("no code suggestions: clusters were not read against codes (no candidate themes flagged)")
    return tuple(notes)
