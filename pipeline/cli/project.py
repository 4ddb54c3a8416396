"""Commands: init, ingest."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from pipeline.cli import command
from pipeline.cli.options import ConfigOption, open_project, progress_bar


@command("init")
def init_command(
    project: Path = typer.Argument(..., help="Folder of the new project."),
    codebook_file: Optional[Path] = typer.Option(None, "--codebook", help="The study's codebook (YAML); without it "
                                                 "the project gets a commented template to fill in."),
) -> None:
    """Create a project: its store, its reduksi.toml, its codebook and a models/ folder."""
    from pipeline.app.project import init_project, open_project

    init_project(project, codebook_file).close()
    with open_project(project) as opened:
        held = "no codebook yet (fill in codebook.template.yaml and save it as codebook.yaml)" \
            if opened.codebook.is_empty else f"codebook {opened.codebook.version} ({len(opened.codebook.codes)} codes)"
        typer.echo(f"Project ready: {opened.store.path} (schema {opened.store.schema_version()}); {held}.")


@command("ingest")
def ingest_command(
    project: Path = typer.Argument(..., help="Project folder (created if missing)."),
    paths: list[Path] = typer.Argument(..., help="Folders with a manifest, manifests, or listed files."),
    manifest: Optional[Path] = typer.Option(None, "--manifest", "-m", help="Manifest (CSV or YAML) for the files."),
    config_file: Optional[Path] = ConfigOption,
) -> None:
    """Add transcripts, notes and documents with their metadata; unchanged files add nothing."""
    from pipeline.app.ingest import ingest_paths

    with open_project(project, config_file, create=True) as opened:
        result = ingest_paths(opened, list(paths), manifest, progress_bar("ingest"))
    for warning in result.warnings:
        typer.echo(f"Warning: {warning}", err=True)
    report = result.report
    for path in result.files:
        typer.echo(f"Wrote {path}")
    new = ", ".join(f"{name} v{version}" for name, version in report.added) or "none"
    typer.echo(f"Ingested {len(report.added)} source(s) ({new}); {len(report.unchanged)} unchanged; "
               f"{report.excerpts} new excerpt(s).")
