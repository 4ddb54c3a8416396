"""Commands: init, ingest."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from tqdm import tqdm

from pipeline.cli import command
from pipeline.config import config_to_toml, load_config
from pipeline.ingest.batch import IngestReport, ingest, resolve_batch
from pipeline.store import Store
from pipeline.store.runs import finish_run, start_run

ConfigOption = typer.Option(None, "--config", "-c", help="Config file (default: configs/reduksi.toml).")


@command("init")
def init_command(project: Path = typer.Argument(..., help="Folder of the new project.")) -> None:
    """Create a project: a folder holding one SQLite store."""
    store = Store.init(project)
    typer.echo(f"Project ready: {store.path} (schema {store.schema_version()})")


@command("ingest")
def ingest_command(
    project: Path = typer.Argument(..., help="Project folder (created if missing)."),
    paths: list[Path] = typer.Argument(..., help="Folders with a manifest, manifests, or listed files."),
    manifest: Optional[Path] = typer.Option(None, "--manifest", "-m", help="Manifest (CSV or YAML) for the files."),
    config_file: Optional[Path] = ConfigOption,
) -> None:
    """Add transcripts, notes and documents with their metadata; unchanged files add nothing."""
    config = load_config(config_file)
    metas, warnings = resolve_batch(list(paths), config, manifest)
    with Store.init(project) as store:
        run_id = start_run(store, "ingest", config_to_toml(config))
        try:
            report = ingest(store, metas, config, run_id=run_id, progress=progress_bar(config, "ingest"))
        except BaseException:
            finish_run(store, run_id, "failed")
            raise
        finish_run(store, run_id)
    print_ingest_report(report, [*warnings, *report.warnings])


def progress_bar(config, label: str):  # type: ignore[no-untyped-def]
    """A tqdm bar on stderr for batches of at least `ingest.progress_min_files` files."""

    def wrap(items):  # type: ignore[no-untyped-def]
        items = list(items)
        if len(items) < config.ingest.progress_min_files:
            return iter(items)
        return iter(tqdm(items, desc=label, unit="file", leave=False))

    return wrap


def print_ingest_report(report: IngestReport, warnings: list[str]) -> None:
    for warning in warnings:
        typer.echo(f"Warning: {warning}", err=True)
    new = ", ".join(f"{name} v{version}" for name, version in report.added) or "none"
    typer.echo(f"Ingested {len(report.added)} source(s) ({new}); {len(report.unchanged)} unchanged; "
               f"{report.excerpts} new excerpt(s).")
