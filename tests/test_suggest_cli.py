"""`reduksi train / suggest / evaluate` on the demo corpus, through the command line.

The commands run in-process (typer's runner: the language backend loads once for the module); the error path runs
as a real subprocess, as a user would see it.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import _load_commands, app
from pipeline.config import REPO_ROOT
from pipeline.store import Store
from pipeline.store.suggestions import load_suggestions
from tests.conftest import DEMO, DEMO_CODEBOOK
from tests.test_cli import reduksi


def cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    _load_commands()
    result = CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)
    return subprocess.CompletedProcess(args, result.exit_code, result.stdout, "")


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    project = tmp_path_factory.mktemp("suggest") / "gugus3"
    assert cli("init", project, "--codebook", DEMO_CODEBOOK).returncode == 0
    result = cli("ingest", project, DEMO)
    assert result.returncode == 0, result.stdout
    result = cli("train", project, "--gold", DEMO / "gold.csv", "--name", "uji")
    assert result.returncode == 0, result.stdout
    return project, result.stdout


def test_train_writes_a_model_folder_with_card(trained: tuple[Path, str]) -> None:
    project, stdout = trained
    folder = project / "models" / "uji-1"
    card = json.loads((folder / "model_card.json").read_text(encoding="utf-8"))
    assert (folder / "model.skops").exists()
    assert card["training"]["excerpts"] == 431 and card["metrics"]["cross_validation"] == "grouped by informant"
    assert "micro-F1" in stdout and "Gold: 431 decision(s)" in stdout and f"Wrote {folder}" in stdout


def test_suggest_with_the_trained_model_stores_suggestions(trained: tuple[Path, str]) -> None:
    project, _ = trained
    result = cli("suggest", project, "--model", project / "models" / "uji-1")
    assert result.returncode == 0, result.stdout
    with Store.open(project) as store:
        stored = load_suggestions(store)
    assert set(stored["model_version"]) == {"uji-1"} and len(stored) > 0
    assert set(stored["origin"]) <= {"codebook", "model", "both"} and stored["rank"].between(1, 3).all()
    assert all(isinstance(r, list) for r in stored["reasons"])


def test_evaluate_prints_grouped_figures(trained: tuple[Path, str]) -> None:
    project, _ = trained
    result = cli("evaluate", project, "--folds", "4", "--json")
    assert result.returncode == 0, result.stdout
    figures = json.loads(result.stdout)
    assert figures["n_folds"] == 4 and 0 <= figures["micro_f1"] <= 100 and 0 <= figures["ece"] <= 1


def test_second_train_makes_a_new_version_and_gold_is_not_repeated(trained: tuple[Path, str]) -> None:
    project, _ = trained
    result = cli("train", project, "--gold", DEMO / "gold.csv", "--name", "uji", "--no-evaluate")
    assert result.returncode == 0, result.stdout
    assert "Gold: 0 decision(s)" in result.stdout and (project / "models" / "uji-2" / "model.skops").exists()


def test_model_for_another_codebook_is_a_one_line_error(trained: tuple[Path, str], tmp_path: Path) -> None:
    project, _ = trained
    codebook = tmp_path / "kode.yaml"
    codebook.write_text(DEMO_CODEBOOK.read_text(encoding="utf-8").replace("Pengelolaan kelas", "Kelola kelas", 1),
                        encoding="utf-8")
    result = reduksi("suggest", project, "--model", project / "models" / "uji-1", "--codebook", codebook,
                     cwd=REPO_ROOT)
    assert result.returncode == 1 and result.stderr.startswith("Error: [E400]")
    assert "trained for codebook" in result.stderr and "Traceback" not in result.stderr
