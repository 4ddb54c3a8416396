"""Commands: codebook import (a REFI-QDA codebook from another QDA tool becomes the project's codebook)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from pipeline.cli import app
from pipeline.cli.options import ConfigOption, ProjectArgument, open_project

codebook_app = typer.Typer(no_args_is_help=True, add_completion=False, rich_markup_mode=None,
                           help="The project's codebook: `codebook import` one from NVivo, ATLAS.ti, MAXQDA, "
                                "QualCoder (.qdc, or the codebook inside a .qdpx).")
app.add_typer(codebook_app, name="codebook")


@codebook_app.command("import")
def codebook_import(
    project: Path = ProjectArgument,
    file: Path = typer.Argument(..., help="A REFI-QDA codebook (.qdc) or project (.qdpx)."),
    config_file: Optional[Path] = ConfigOption,
) -> None:
    """Make a REFI-QDA codebook the project's codebook (PROJECT/codebook.yaml; the previous one goes to backups/)."""
    from pipeline.app.imports import import_codebook

    with open_project(project, config_file) as opened:
        taken = import_codebook(opened, file)
        codebook = opened.codebook
    for name, count in taken.duplicates.items():
        typer.echo(f"Warning: {file}: {count} codes are named '{name}' (different GUIDs): kept apart", err=True)
    for name, code_id in taken.renamed.items():
        typer.echo(f"Code '{name}' -> {code_id}")
    typer.echo(f"Codebook '{codebook.name}' version {codebook.version}: {len(codebook.themes)} theme(s), "
               f"{len(codebook.codes)} code(s); written to {Path(project) / 'codebook.yaml'}")
