"""Arguments and options shared by the commands, and the progress bar; no command lives here."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

if TYPE_CHECKING:
    from pipeline.app.project import Project
    from pipeline.ingest.batch import Progress
    from pipeline.records import SourceMeta

ConfigOption = typer.Option(None, "--config", "-c", help="Config file (default: the project's reduksi.toml, else "
                                                             "the packaged defaults).")
CodebookOption = typer.Option(None, "--codebook", help="Codebook file (default: the project's codebook.yaml).")
ProjectArgument = typer.Argument(..., help="Project folder (made by `reduksi ingest` or `reduksi run`).")


def open_project(project: Path, config_file: Optional[Path], codebook_file: Optional[Path] = None, *,
                 create: bool = False) -> "Project":
    from pipeline.app.project import open_project as open_

    return open_(project, config_file, codebook_file, create=create)


def progress_bar(label: str) -> "Progress":
    """A tqdm bar on stderr (the use case shows it only for batches of `[ingest] progress_min_files` or more)."""

    def wrap(items: Iterable["SourceMeta"]) -> Iterator["SourceMeta"]:
        from tqdm import tqdm

        return iter(tqdm(list(items), desc=label, unit="file", leave=False))

    return wrap
