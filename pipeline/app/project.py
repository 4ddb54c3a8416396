"""A project holds its study: its store, its `reduksi.toml`, its `codebook.yaml` and its models; and the one place a
run is recorded.

Where a command's configuration and codebook come from, first match wins:
    config    --config FILE  >  PROJECT/reduksi.toml  >  the packaged defaults
    codebook  --codebook FILE  >  PROJECT/codebook.yaml  >  `[suggest] codebook` of the config  >  none (open coding)
An explicit file is recorded with the run (its config in `runs`, its codebook version in `codebooks`).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from pipeline.codebook import Codebook, empty_codebook, load_codebook
from pipeline.config import CONFIG_FILE, Config, config_to_toml, default_config_file, load_config
from pipeline.errors import CodebookError
from pipeline.store import STORE_FILE, Store
from pipeline.store.codebooks import record_codebook
from pipeline.store.runs import finish_run, start_run

CODEBOOK_FILE = "codebook.yaml"
PROJECT_CODEBOOK = CODEBOOK_FILE  # the name the REFI-QDA import uses
TEMPLATE_FILE = "codebook.template.yaml"
OPEN_CODING = ("no codebook: open coding (clusters and candidate themes, no code suggestions); add one with "
               "`reduksi init PROJECT --codebook FILE` or a codebook.yaml in the corpus folder")


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


def project_config(folder: Path, config_file: str | Path | None = None) -> Config:
    """--config, else the project's own reduksi.toml, else the packaged defaults."""
    if config_file is not None:
        return load_config(config_file)
    own = folder / CONFIG_FILE
    return load_config(own if own.is_file() else None)


def project_codebook(folder: Path, config: Config, codebook_file: str | Path | None = None) -> Codebook:
    """--codebook, else the project's codebook.yaml, else the config's `[suggest] codebook`, else none."""
    if codebook_file is not None:
        return load_codebook(codebook_file)
    if (folder / CODEBOOK_FILE).is_file():
        return load_codebook(folder / CODEBOOK_FILE)
    if config.suggest.codebook:
        return load_codebook(config.path(config.suggest.codebook))
    return empty_codebook()


def open_project(folder: str | Path, config_file: str | Path | None = None,
                 codebook_file: str | Path | None = None, *, create: bool = False) -> Project:
    """Open a project (`create`: make it when missing) with the configuration and codebook it holds."""
    folder = Path(folder)
    config = project_config(folder, config_file)
    codebook = project_codebook(folder, config, codebook_file)
    store = init_project(folder) if create else Store.open(folder)
    return Project(store, config, codebook)


def project_exists(folder: str | Path) -> bool:
    return (Path(folder) / STORE_FILE).is_file()


def init_project(folder: str | Path, codebook_file: str | Path | None = None) -> Store:
    """Create a project folder with its store, its `reduksi.toml` (the packaged defaults, to edit) and `models/`;
    with `codebook_file`, a checked copy of it as the project's `codebook.yaml`, else the commented template beside
    it. An existing project is opened and keeps what it holds. The caller closes the store."""
    folder = Path(folder)
    store = Store.init(folder)
    (folder / "models").mkdir(exist_ok=True)
    if not (folder / CONFIG_FILE).exists():
        shutil.copyfile(default_config_file(), folder / CONFIG_FILE)
    if codebook_file is not None:
        adopt_codebook(folder, load_codebook(codebook_file))
    elif not (folder / CODEBOOK_FILE).exists() and not (folder / TEMPLATE_FILE).exists():
        (folder / TEMPLATE_FILE).write_text(codebook_template(), encoding="utf-8")
    return store


def adopt_codebook(folder: Path, codebook: Codebook) -> Path:
    """Write `codebook` (already validated) as the project's codebook.yaml, as the researcher wrote it. A project
    that already holds a different codebook keeps it: replacing it could orphan verified labels."""
    target = folder / CODEBOOK_FILE
    if target.is_file():
        held = load_codebook(target)
        if held.version != codebook.version:
            raise CodebookError(f"the project already holds codebook {held.version}; {codebook.path} is "
                                f"{codebook.version}", file=target,
                                hint="edit the project's codebook.yaml, or pass --codebook to one command only")
        return target
    target.write_text(codebook.content, encoding="utf-8")
    return target


def codebook_template() -> str:
    """The commented codebook template (Indonesian and English) shipped with reduksi."""
    return (resources.files("pipeline.configs") / TEMPLATE_FILE).read_text(encoding="utf-8")


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
