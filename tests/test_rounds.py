"""Data collection rounds (putaran): from the manifest to the excerpts, a code × round display, and a changed
round of an unchanged file reported, not ignored."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.app.displays import project_displays
from pipeline.app.ingest import ingest_paths
from pipeline.app.project import init_project, open_project
from pipeline.errors import ManifestError
from pipeline.ingest.manifest import load_manifest
from pipeline.store.excerpts import excerpts_frame
from pipeline.store.labels import record_gold
from tests.conftest import DEMO, DEMO_CODEBOOK, INTERVIEW_TXT


def _corpus(folder: Path, header: str, rounds: tuple[str, str]) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "W-A.txt").write_text(INTERVIEW_TXT, encoding="utf-8")
    (folder / "W2-A.txt").write_text(INTERVIEW_TXT.replace("P:", "P :"), encoding="utf-8")
    (folder / "manifest.csv").write_text(
        f"file,method,informant,role,{header}\nW-A.txt,wawancara,G01,guru,{rounds[0]}\n"
        f"W2-A.txt,wawancara,G01,guru,{rounds[1]}\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("header", ["round", "putaran", "Tahap"])
def test_the_round_column_under_any_of_its_names(tmp_path: Path, config, header: str) -> None:  # type: ignore[no-untyped-def]
    rows = load_manifest(_corpus(tmp_path / "k", header, ("1", "2")) / "manifest.csv", config.ingest)
    assert [m.round for m in rows] == ["1", "2"]


def test_rounds_reach_the_excerpts_and_a_changed_round_is_reported(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "k", "putaran", ("1", "2"))
    with init_project(tmp_path / "p", DEMO_CODEBOOK):
        pass
    with open_project(tmp_path / "p") as project:
        ingest_paths(project, [corpus])
        frame = excerpts_frame(project.store)
        assert set(frame.loc[frame["source"] == "W-A", "round"]) == {"1"}
        assert set(frame.loc[frame["source"] == "W2-A", "round"]) == {"2"}
        _corpus(corpus, "putaran", ("1", "3"))
        again = ingest_paths(project, [corpus])
        assert any("W2-A: round changed from 2 to 3" in w for w in again.warnings)
        assert set(excerpts_frame(project.store).query("source == 'W2-A'")["round"]) == {"3"}


def test_the_demo_displays_code_by_round(tmp_path: Path) -> None:
    with init_project(tmp_path / "p", DEMO_CODEBOOK):
        pass
    with open_project(tmp_path / "p") as project:
        ingest_paths(project, [DEMO])
        record_gold(project.store, DEMO / "gold.csv", codebook=project.codebook)
        displays = project_displays(project)
    assert displays.by_round is not None
    verified = displays.by_round.xs("verified", axis=1, level="field")
    assert list(verified.columns) == ["1", "2", "__total__"]
    assert (verified["1"] + verified["2"] == verified["__total__"]).all() and verified["2"].sum() > 0


def test_a_bad_round_column_name_is_named(tmp_path: Path, config) -> None:  # type: ignore[no-untyped-def]
    corpus = _corpus(tmp_path / "k", "ronde", ("1", "2"))
    with pytest.raises(ManifestError, match="unknown column 'ronde'"):
        load_manifest(corpus / "manifest.csv", config.ingest)
