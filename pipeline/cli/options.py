"""Arguments and options shared by the commands, and the progress bar; no command lives here."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

if TYPE_CHECKING:
    from pipeline.app.project import Project
    from pipeline.config import Config
    from pipeline.ingest.batch import Progress
    from pipeline.records import SourceMeta

ConfigOption = typer.Option(None, "--config", "-c", help="Config file (default: configs/reduksi.toml).")
ProjectArgument = typer.Argument(..., help="Project folder (made by `reduksi ingest` or `reduksi run`).")


def open_project(project: Path, config_file: Optional[Path], *, create: bool = False) -> "Project":
    from pipeline.app.project import open_project as open_

    return open_(project, config_file, create=create)


def progress_bar(config: "Config", label: str) -> "Progress":
    """A tqdm bar on stderr for batches of at least `ingest.progress_min_files` files."""

    def wrap(items: Iterable["SourceMeta"]) -> Iterator["SourceMeta"]:
        from tqdm import tqdm

        listed = list(items)
        if len(listed) < config.ingest.progress_min_files:
            return iter(listed)
        return iter(tqdm(listed, desc=label, unit="file", leave=False))

    return wrap
