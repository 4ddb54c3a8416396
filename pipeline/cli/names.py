"""Command: names (the names found in the text, their pseudonyms, and "not a name" decisions)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from pipeline.cli import command
from pipeline.cli.options import ConfigOption, ProjectArgument, open_project


@command("names")
def names_command(
    project: Path = ProjectArgument,
    not_a_name: Optional[list[str]] = typer.Option(None, "--not-a-name", help="A detection that is not a person's "
                                                   "name (repeatable); it stays in the text from now on (logged)."),
    is_name: Optional[list[str]] = typer.Option(None, "--is-name", help="Undo --not-a-name for this name "
                                                "(repeatable; logged)."),
    reviewer: str = typer.Option("", "--reviewer", "-r", help="Your name (needed with --not-a-name/--is-name)."),
    note: str = typer.Option("", "--note", "-n", help="Why (kept with the decision)."),
    config_file: Optional[Path] = ConfigOption,
) -> None:
    """List the names found in the text (colleagues, pupils, places) with their pseudonyms; mark false finds."""
    from pipeline.app.names import names_report

    with open_project(project, config_file) as opened:
        table, path = names_report(opened, not_a_name=tuple(not_a_name or ()), is_name=tuple(is_name or ()),
                                   reviewer=reviewer, note=note)
    for row in table.itertuples(index=False):
        shown = row.pseudonym if row.status == "name" else "(not a name)"
        typer.echo(f"{row.name:<24} {row.kind:<7} {shown:<13} {row.count:>4}  {row.sources}")
    typer.echo(f"Wrote {path} (the key to the pseudonyms: keep it with the project, do not share it)")
