"""Shared setup for the review tests: a demo project built once per session, copied for each test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.app.project import init_project
from pipeline.codebook import Codebook, load_codebook
from pipeline.config import Config
from pipeline.ingest.batch import ingest, resolve_batch
from tests.conftest import DEMO, DEMO_CODEBOOK


def codebook() -> Codebook:
    return load_codebook(DEMO_CODEBOOK)


def build_demo(folder: Path, config: Config) -> Path:
    with init_project(folder, DEMO_CODEBOOK) as store:
        ingest(store, resolve_batch([DEMO], config)[0], config)
    return folder


def copy_project(template: Path, target: Path) -> Path:
    shutil.copytree(template, target)
    return target


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory, config: Config) -> Path:
    return build_demo(tmp_path_factory.mktemp("demo") / "gugus3", config)


@pytest.fixture
def demo_project(demo_template: Path, tmp_path: Path) -> Path:
    return copy_project(demo_template, tmp_path / "gugus3")
