"""Command: run (the main job on a corpus folder)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from pipeline.cli import command
from pipeline.cli.options import CodebookOption, ConfigOption, progress_bar


@command("run")
def run_command(
    corpus: Path = typer.Argument(..., help="Corpus folder holding a manifest (e.g. corpora/gugus3)."),
    out: Path = typer.Option(..., "--out", "-o", help="Output folder; it also becomes the project."),
    codebook_file: Optional[Path] = CodebookOption,
    config_file: Optional[Path] = ConfigOption,
) -> None:
    """Ingest a corpus, tokenize, suggest codes, cluster excerpts and write the reduced data."""
    from pipeline.app.run import run_job

    summary = run_job(corpus, out, config_file, codebook_file, progress=progress_bar("ingest"))
    for warning in summary.warnings:
        typer.echo(f"Warning: {warning}", err=True)
    report = summary.ingest
    typer.echo(f"Sources: {len(report.added)} new, {len(report.unchanged)} unchanged.")
    typer.echo(f"Excerpts: {summary.n_excerpts} ({summary.n_tokens} tokens, tokenizer {summary.backend}).")
    typer.echo(f"Suggestions: {summary.n_suggested} of {summary.n_excerpts} excerpts have a suggested code "
               f"(model {summary.model_version}).")
    typer.echo(f"Clusters: {summary.n_clusters}, of which {summary.candidate_themes} candidate new theme(s).")
    for note in summary.notes:
        typer.echo(f"Note: {note}")
    for file in summary.files:
        typer.echo(f"Wrote {file}")
