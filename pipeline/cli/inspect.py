"""Command: inspect — how files will be read, before anything is stored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from pipeline.cli import command
from pipeline.cli.project import ConfigOption
from pipeline.config import load_config
from pipeline.ingest.inspect import inspect_paths, render


@command("inspect")
def inspect_command(
    paths: list[Path] = typer.Argument(..., help="Files or folders (a manifest is optional)."),
    manifest: Optional[Path] = typer.Option(None, "--manifest", "-m", help="Manifest (CSV or YAML) for the files."),
    turns: int = typer.Option(6, "--turns", "-n", help="How many first turns to show per file."),
    as_json: bool = typer.Option(False, "--json", help="One JSON array for scripts."),
    config_file: Optional[Path] = ConfigOption,
) -> None:
    """Show how each file will be read: convention, speakers and roles, counts, metadata, dropped lines, first turns.
    Touches no project store."""
    inspections = inspect_paths(list(paths), load_config(config_file), manifest=manifest, n_turns=turns)
    if as_json:
        typer.echo(json.dumps([i.to_dict() for i in inspections], ensure_ascii=False, indent=1))
        return
    typer.echo("\n\n".join(render(i) for i in inspections))
