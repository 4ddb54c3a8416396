"""`reduksi run` on the bundled demo corpus, through the real command line."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline.app.names import project_privacy
from pipeline.app.project import open_project
from pipeline.codebook import load_codebook
from pipeline.config import REPO_ROOT, load_config
from pipeline.store import Store
from tests.conftest import DEMO
from tests.test_cli import reduksi


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("run") / "gugus3"
    result = reduksi("run", DEMO, "--out", out, cwd=REPO_ROOT)
    assert result.returncode == 0, result.stderr
    return out, result.stdout


def test_run_writes_excerpts_with_suggestions(demo_run: tuple[Path, str]) -> None:
    out, stdout = demo_run
    table = pd.read_csv(out / "excerpts.csv", keep_default_na=False)
    gold = pd.read_csv(DEMO / "gold.csv", keep_default_na=False)
    assert set(table["key"]) == set(gold["key"])
    assert {"key", "source", "informant", "role", "method", "start", "end", "text", "suggested_codes", "scores",
            "reasons"} <= set(table.columns)
    codes = set(load_codebook(DEMO / "codebook.yaml").ids)
    suggested = [c for cell in table["suggested_codes"] if cell for c in cell.split(";")]
    assert suggested and set(suggested) <= codes
    for cell, scores in zip(table["suggested_codes"], table["scores"]):
        assert len([c for c in cell.split(";") if c]) == len([s for s in scores.split(";") if s])
        assert all(0.0 <= float(s) <= 1.0 for s in scores.split(";") if s)
    assert "Excerpts: 431" in stdout and "Suggestions:" in stdout


def test_run_output_traces_back_to_source_text(demo_run: tuple[Path, str]) -> None:
    out, _ = demo_run
    table = pd.read_csv(out / "excerpts.csv", keep_default_na=False)
    with Store.open(out) as store:
        texts = dict(store._db.execute("SELECT name, text FROM sources").fetchall())
        run = store._db.execute("SELECT status, backend, config FROM runs WHERE command = 'run'").fetchone()
    with open_project(out) as project:
        privacy = project_privacy(project).pseudonymiser  # manifest names and names found in the text
    for row in table.itertuples():
        assert privacy.text(texts[row.source][row.start:row.end]) == row.text
    assert run["status"] == "ok" and run["backend"] and "[suggest]" in run["config"]


def test_resolved_config_is_written_and_loads(demo_run: tuple[Path, str], tmp_path: Path) -> None:
    out, _ = demo_run
    copy = tmp_path / "configs" / "reduksi.toml"
    copy.parent.mkdir()
    copy.write_text((out / "config.resolved.toml").read_text(encoding="utf-8"), encoding="utf-8")
    assert load_config(copy).excerpts == load_config().excerpts


def test_second_run_adds_no_sources(demo_run: tuple[Path, str]) -> None:
    out, _ = demo_run
    again = reduksi("run", DEMO, "--out", out, cwd=REPO_ROOT)
    assert again.returncode == 0, again.stderr
    assert "Sources: 0 new, 32 unchanged." in again.stdout


def test_run_output_names_no_manifest_name(demo_run: tuple[Path, str]) -> None:
    out, _ = demo_run
    manifest = pd.read_csv(DEMO / "manifest.csv", keep_default_na=False)
    written = (out / "excerpts.csv").read_text(encoding="utf-8-sig")
    for name in manifest["name"]:
        if name:
            assert name not in written and name.split(",")[0].split()[-1] not in written
    assert "Bu Rina" not in written and "[G02]" in written
