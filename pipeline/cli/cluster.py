"""Command: cluster (excerpt clusters, labels, candidate new themes, cluster map)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from pipeline.cli import command
from pipeline.cli.options import CodebookOption, ConfigOption, ProjectArgument, open_project


@command("cluster")
def cluster_command(
    project: Path = ProjectArgument,
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Output folder (default: the project folder)."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Random seed (default: cluster.seed in the config)."),
    method: Optional[str] = typer.Option(None, "--method", help="kmeans or hdbscan (default: cluster.method)."),
    vectors: Optional[str] = typer.Option(None, "--vectors", help="lsa or use-m3 (default: cluster.vectors)."),
    codebook_file: Optional[Path] = CodebookOption,
    config_file: Optional[Path] = ConfigOption,
) -> None:
    """Cluster the excerpts, label the clusters, flag candidate new themes and draw the cluster map."""
    from pipeline.app.cluster import cluster_project, with_overrides

    with open_project(project, config_file, codebook_file) as opened:
        opened.config = with_overrides(opened.config, seed=seed, method=method, vectors=vectors)
        result, files = cluster_project(opened, out or project)
    typer.echo(f"Clusters: {int((result.summary['cluster'] >= 0).sum())} over {len(result.assignments)} excerpts "
               f"(vectors {result.vectors}, {result.clusterer}, seed {result.seed}).")
    if result.notes:
        typer.echo(f"Notes: {', '.join(result.notes)}.")
    themes = result.summary.loc[result.summary["candidate_new_theme"], "cluster"].tolist()
    splits = result.code_splits.loc[result.code_splits["possible_subcodes"], "code"].tolist()
    typer.echo(f"Candidate new themes: {', '.join(map(str, themes)) or 'none'}; "
               f"codes that may hold sub-codes: {', '.join(splits) or 'none'}.")
    for path in files:
        typer.echo(f"Wrote {path}")
