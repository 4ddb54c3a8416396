"""Command: inspect — how files will be read, before anything is stored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from pipeline.cli import command


@command("inspect")
def inspect_command(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (a manifest is optional).")],
    manifest: Annotated[Path | None, typer.Option("--manifest", "-m", help="Manifest (CSV or YAML).")] = None,
    turns: Annotated[int, typer.Option("--turns", "-n", help="How many first turns to show per file.")] = 6,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON array, for scripts.")] = False,
    config_file: Annotated[Path | None, typer.Option("--config", "-c", help="Config file.")] = None,
) -> None:
    """Show how each file will be read: convention, speakers and roles, counts, metadata, dropped lines, first turns.
    Touches no project store."""
    from pipeline.app.ingest import inspect_files, render

    inspections = inspect_files(list(paths), config_file, manifest, turns)
    if as_json:
        typer.echo(json.dumps([i.to_dict() for i in inspections], ensure_ascii=False, indent=1))
        return
    typer.echo("\n\n".join(render(i) for i in inspections))
