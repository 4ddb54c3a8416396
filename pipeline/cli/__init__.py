"""The `reduksi` command: a thin shell over the stages. Library errors become one-line `Error: ...` messages."""

from __future__ import annotations

import sys
from typing import Any, Callable

import typer

from pipeline.errors import BatchIngestError, ReduksiError

app = typer.Typer(name="reduksi", no_args_is_help=True, add_completion=False, rich_markup_mode=None,
                  pretty_exceptions_enable=False,
                  help="Reduce qualitative transcripts to verified themes (Miles & Huberman), Indonesian first.")


def command(name: str | None = None, **options: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a command on the app; every command module uses this."""
    return app.command(name, **options)


def main() -> None:
    _load_commands()
    try:
        app()  # standalone: typer reports usage errors itself (exit status 2)
    except ReduksiError as error:
        _report(error)
        sys.exit(1)


def _report(error: ReduksiError) -> None:
    if isinstance(error, BatchIngestError):
        typer.echo(f"Error: {len(error.errors)} problems; nothing was stored:", err=True)
        for problem in error.errors:
            typer.echo(f"  {problem}", err=True)
    else:
        typer.echo(f"Error: {error}", err=True)


def _load_commands() -> None:
    """Import the command modules; each registers its commands through `command`."""
    import importlib
    import pkgutil

    import pipeline.cli as package

    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"pipeline.cli.{module.name}")
