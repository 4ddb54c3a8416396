"""Command: cluster (excerpt clusters, labels, candidate new themes, cluster map)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

from pipeline.cli import command
from pipeline.cli.project import ConfigOption
from pipeline.config import Config, config_to_toml, load_config
from pipeline.store import Store

if TYPE_CHECKING:  # the stage imports scikit-learn: only when the command runs, not for `reduksi --help`
    from pipeline.cluster import ClusterResult

@command("cluster")
def cluster_command(
    project: Path = typer.Argument(..., help="Project folder (made by `reduksi ingest` or `reduksi run`)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Output folder (default: the project folder)."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Random seed (default: cluster.seed in the config)."),
    method: Optional[str] = typer.Option(None, "--method", help="kmeans or hdbscan (default: cluster.method)."),
    vectors: Optional[str] = typer.Option(None, "--vectors", help="lsa or use-m3 (default: cluster.vectors)."),
    config_file: Optional[Path] = ConfigOption,
) -> None:
    """Cluster the excerpts, label the clusters, flag candidate new themes and draw the cluster map."""
    config = _with_overrides(load_config(config_file), seed=seed, method=method, vectors=vectors)
    with Store.open(project) as store:
        result, files = cluster_project(store, config, out or project)
    chosen = ", ".join(result.notes)
    typer.echo(f"Clusters: {int((result.summary['cluster'] >= 0).sum())} over {len(result.assignments)} excerpts "
               f"(vectors {result.vectors}, {result.clusterer}, seed {result.seed}).")
    if chosen:
        typer.echo(f"Notes: {chosen}.")
    themes = result.summary.loc[result.summary["candidate_new_theme"], "cluster"].tolist()
    splits = result.code_splits.loc[result.code_splits["possible_subcodes"], "code"].tolist()
    typer.echo(f"Candidate new themes: {', '.join(map(str, themes)) or 'none'}; "
               f"codes that may hold sub-codes: {', '.join(splits) or 'none'}.")
    for path in files:
        typer.echo(f"Wrote {path}")


def cluster_project(store: Store, config: Config, out: Path) -> tuple["ClusterResult", list[Path]]:
    """Read the project's excerpts and latest suggestions, cluster, write the outputs and the resolved config."""
    from pipeline.cluster import run, write_outputs
    from pipeline.language import backend_from_config
    from pipeline.store.excerpts import excerpts_frame
    from pipeline.store.runs import finish_run, start_run
    from pipeline.store.suggestions import load_suggestions

    backend = backend_from_config(config)
    run_id = start_run(store, "cluster", config_to_toml(config), backend.name)
    try:
        excerpts = excerpts_frame(store)
        tokens = list(backend.tokenize_many(excerpts["text"].astype(str).tolist()))
        result = run(excerpts, tokens, load_suggestions(store), config.cluster)
        files = list(write_outputs(result, out).values())
        resolved = Path(out) / "config.resolved.toml"
        resolved.write_text(config_to_toml(config), encoding="utf-8")
    except BaseException:
        finish_run(store, run_id, "failed")
        raise
    finish_run(store, run_id)
    return result, [*files, resolved]


def _with_overrides(config: Config, **values: object) -> Config:
    given = {key: value for key, value in values.items() if value is not None}
    if not given:
        return config
    cluster = dataclasses.replace(config.cluster, **given)
    if cluster.method not in ("kmeans", "hdbscan"):
        from pipeline.errors import ConfigError

        raise ConfigError(f"expected 'kmeans' or 'hdbscan', got {cluster.method!r}", key="--method")
    return dataclasses.replace(config, cluster=cluster)
