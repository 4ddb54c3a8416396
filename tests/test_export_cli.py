"""`reduksi export`, `reduksi triangulation` and the displays `reduksi run` writes, through the real command line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from pipeline.config import REPO_ROOT
from tests.conftest import DEMO_CODEBOOK
from tests.export_fixtures import demo_project  # noqa: F401  (fixture)
from tests.test_cli import reduksi


def test_export_chosen_formats_in_english(demo_project: Path, tmp_path: Path) -> None:
    project = tmp_path / "copy"
    shutil.copytree(demo_project, project)
    result = reduksi("export", project, "--format", "csv,html", "-f", "qdc", "--lang", "en", "--out", tmp_path / "o")
    assert result.returncode == 0, result.stderr
    written = {Path(line.removeprefix("Wrote ")).name for line in result.stdout.splitlines()}
    assert written == {"code_by_informant.csv", "code_by_role.csv", "code_by_method.csv", "code_by_site.csv", "code_by_round.csv",
                       "code_cooccurrence.csv", "framework_matrix.csv", "triangulation.csv", "evidence.csv",
                       "memos.csv", "review_notes.csv", "triangulation_notes.csv", "tentang.csv", "laporan.html",
                       "codebook.qdc"}
    assert "Data display and triangulation" in (tmp_path / "o" / "laporan.html").read_text(encoding="utf-8")
    bad = reduksi("export", project, "--format", "odt")
    assert bad.returncode == 1 and bad.stderr.startswith("Error: [E600]") and "odt" in bad.stderr


def test_triangulation_verdict_from_the_command_line(demo_project: Path, tmp_path: Path) -> None:
    project = tmp_path / "copy"
    shutil.copytree(demo_project, project)
    result = reduksi("triangulation", project, "KP-MEDIA", "--status", "ditolak", "--note", "hanya observasi",
                     "--reviewer", "rina")
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("KP-MEDIA"))
    assert line.rstrip().endswith("ditolak") or "ditolak  [" in line
    missing = reduksi("triangulation", project, "KP-MEDIA", "--status", "ditolak")
    assert missing.returncode == 1 and "--reviewer" in missing.stderr
    unknown = reduksi("triangulation", project, "KP-MEDIA", "--status", "mungkin", "-r", "rina")
    assert unknown.returncode == 1 and "unknown triangulation status" in unknown.stderr


def test_run_writes_the_displays_pseudonymised(mini_corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "hasil"
    result = reduksi("run", mini_corpus, "--out", out, "--codebook", DEMO_CODEBOOK, cwd=REPO_ROOT)
    assert result.returncode == 0, result.stderr
    for name in ("code_by_informant.csv", "triangulation.csv", "reduksi.xlsx", "laporan.html"):
        assert (out / name).is_file(), name
    table = pd.read_csv(out / "triangulation.csv", encoding="utf-8-sig", keep_default_na=False)
    assert set(table["status"]) == {"belum diperiksa"} and (table["kutipan terverifikasi"] == 0).all()
    assert "Sri Wahyuni" not in (out / "laporan.html").read_text(encoding="utf-8")
