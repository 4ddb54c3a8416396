"""A project: its store, the configuration and codebook it is used with; and the one place a run is recorded."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

from pipeline.codebook import Codebook, load_codebook
from pipeline.config import Config, config_to_toml, load_config
from pipeline.store import Store
from pipeline.store.codebooks import record_codebook
from pipeline.store.runs import finish_run, start_run

PROJECT_CODEBOOK = "codebook.yaml"  # a project's own codebook (written by `reduksi codebook import`)


@dataclass
class Project(AbstractContextManager["Project"]):
    """An open project; closing it closes its store (`with open_project(folder) as project:`)."""

    store: Store
    config: Config
    codebook: Codebook

    @property
    def folder(self) -> Path:
        return self.store.folder

    def __exit__(self, *exc: object) -> None:
        self.store.close()


def load_settings(config_file: str | Path | None = None) -> tuple[Config, Codebook]:
    """The validated configuration and the codebook it names."""
    config = load_config(config_file)
    return config, load_codebook(config.path(config.suggest.codebook))


def open_project(folder: str | Path, config_file: str | Path | None = None, *, create: bool = False) -> Project:
    """Open a project (`create`: make the folder and store when missing) with its configuration and codebook."""
    config, codebook = load_settings(config_file)
    store = Store.init(folder) if create else Store.open(folder)
    # A project with a codebook of its own (PROJECT/codebook.yaml, e.g. imported from another QDA tool) uses it
    # instead of the one the config names. (Until projects store their codebook; see the codebook issue.)
    own = Path(folder) / PROJECT_CODEBOOK
    if own.is_file():
        codebook = load_codebook(own)
    return Project(store, config, codebook)


def init_project(folder: str | Path) -> Store:
    """Create a project folder with its store (an existing project is opened); the caller closes it."""
    return Store.init(folder)


@contextmanager
def recorded_run(project: Project, command: str, backend: str | None = None) -> Iterator[int]:
    """Record a command's run (resolved config, backend, the codebook it used): finished `ok`, or `failed` when
    the body raises. Yields the run id."""
    run_id = start_run(project.store, command, config_to_toml(project.config), backend)
    try:
        with project.store.transaction():
            record_codebook(project.store, project.codebook)
        yield run_id
    except BaseException:
        finish_run(project.store, run_id, "failed")
        raise
    finish_run(project.store, run_id)
