"""Cluster a project's excerpts: clusters with labels, candidate new themes, the cluster map."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from pipeline.app.names import private_clusters, project_privacy
from pipeline.app.project import Project, recorded_run
from pipeline.config import Config, config_to_toml
from pipeline.errors import ConfigError
from pipeline.store import Store, decisions
from pipeline.store.excerpts import excerpts_frame
from pipeline.store.suggestions import load_suggestions

if TYPE_CHECKING:  # the stage imports scikit-learn: only when the use case runs
    from pipeline.cluster import ClusterResult

METHODS = ("kmeans", "hdbscan")


def with_overrides(config: Config, **values: object) -> Config:
    """The config with the given `[cluster]` values (None: keep the config's), checked."""
    given = {key: value for key, value in values.items() if value is not None}
    if not given:
        return config
    cluster = dataclasses.replace(config.cluster, **given)  # type: ignore[arg-type]
    if cluster.method not in METHODS:
        raise ConfigError(f"expected 'kmeans' or 'hdbscan', got {cluster.method!r}", key="--method")
    return dataclasses.replace(config, cluster=cluster)


def with_irrelevant(store: Store, excerpts: pd.DataFrame, suggestions: pd.DataFrame | None,
                    confident: float) -> pd.DataFrame:
    """The excerpt frame with a `non_substantive` column when reviewers marked excerpts "tidak relevan": the rule
    (`pipeline.suggest.substance`, which the frame's column replaces) or the reviewers' mark. Unchanged otherwise."""
    from pipeline.suggest import substance

    irrelevant = decisions.irrelevant_excerpts(store)
    if not irrelevant:
        return excerpts
    rule = substance.ensure(excerpts, suggestions, confident).to_numpy()
    return excerpts.assign(**{substance.COLUMN: rule | excerpts["excerpt_id"].isin(irrelevant).to_numpy()})


def cluster_project(project: Project, out: Path) -> tuple["ClusterResult", list[Path]]:
    """Read the project's excerpts and latest suggestions, cluster, write the outputs and the resolved config."""
    from pipeline.cluster import run, write_outputs
    from pipeline.language import backend_from_config

    backend = backend_from_config(project.config)
    with recorded_run(project, "cluster", backend.name):
        suggestions = load_suggestions(project.store)
        excerpts = with_irrelevant(project.store, excerpts_frame(project.store), suggestions,
                                   project.config.cluster.confident_probability)
        tokens = list(backend.tokenize_many(excerpts["text"].astype(str).tolist()))
        result = run(excerpts, tokens, suggestions, project.config.cluster, open_coding=project.codebook.is_empty)
        privacy = project_privacy(project).pseudonymiser
        files = list(write_outputs(private_clusters(result, privacy), out).values())
        resolved = Path(out) / "config.resolved.toml"
        resolved.write_text(config_to_toml(project.config), encoding="utf-8")
    return result, [*files, resolved]
