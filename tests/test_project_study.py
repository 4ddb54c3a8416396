"""A project holds its study: the codebook given to `init` is the one every later command uses (no -c), a corpus
without a codebook is coded openly (no demo code creeps in), and configuration values are checked at load."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from pipeline.config import load_config
from pipeline.errors import CodebookError, ConfigValueError
from tests.conftest import DEMO_CODEBOOK
from tests.test_cli import reduksi

KODE = """# Buku kode penelitian uji: supervisi akademik oleh kepala sekolah.
name: Supervisi akademik
themes:
  - id: SV
    name: Supervisi
    codes:
      - id: SV-KUNJUNGAN
        name: Kunjungan kelas
        definition: Kepala sekolah atau pengawas datang ke kelas, mengamati guru mengajar, lalu memberi catatan.
        examples:
          - kepala sekolah masuk kelas terus lihat saya mengajar
          - pengawas datang setahun sekali buat supervisi
      - id: SV-UMPAN-BALIK
        name: Umpan balik
        definition: Catatan, saran, atau masukan yang diterima guru sesudah diamati atau dinilai.
        examples:
          - habis supervisi dikasih masukan soal cara bertanya
          - saran dari pengawas saya coba di kelas
  - id: AD
    name: Administrasi
    codes:
      - id: AD-BEBAN
        name: Beban administrasi
        definition: Berkas, laporan, dan instrumen yang harus dikerjakan guru dan menyita waktu.
        examples:
          - instrumennya banyak banget
          - laporan harus dikumpulkan tiap bulan
"""


@pytest.fixture
def kode(tmp_path: Path) -> Path:
    path = tmp_path / "kode.yaml"
    path.write_text(KODE, encoding="utf-8")
    return path


def test_init_then_every_command_uses_the_projects_codebook(mini_corpus: Path, kode: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "di-tempat-lain"
    elsewhere.mkdir()
    studi = tmp_path / "studi"
    created = reduksi("init", studi, "--codebook", kode, cwd=elsewhere)
    assert created.returncode == 0, created.stderr
    assert "3 codes" in created.stdout and (studi / "codebook.yaml").read_text(encoding="utf-8") == KODE
    assert (studi / "reduksi.toml").is_file() and (studi / "models").is_dir()
    assert reduksi("ingest", studi, mini_corpus, cwd=elsewhere).returncode == 0
    suggested = reduksi("suggest", studi, cwd=elsewhere)
    assert suggested.returncode == 0, suggested.stderr
    with sqlite3.connect(studi / "reduksi.sqlite") as db:
        codes = {row[0] for row in db.execute("SELECT code FROM suggestions")}
        versions = {row[0] for row in db.execute("SELECT version FROM codebooks")}
    assert codes and codes <= {"SV-KUNJUNGAN", "SV-UMPAN-BALIK", "AD-BEBAN"}
    assert len(versions) == 1  # every run recorded the project's codebook, and only it


def test_a_corpus_without_a_codebook_is_coded_openly(mini_corpus: Path, tmp_path: Path) -> None:
    result = reduksi("run", mini_corpus, "--out", tmp_path / "hasil", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "open coding" in result.stdout and "Suggestions: 0 of" in result.stdout
    table = pd.read_csv(tmp_path / "hasil" / "excerpts.csv", keep_default_na=False)
    assert len(table) > 5 and set(table["suggested_codes"]) == {""}
    reviewed = reduksi("review", tmp_path / "hasil", "--reviewer", "ani", cwd=tmp_path)
    assert reviewed.returncode == 1 and "no codebook" in reviewed.stderr and "Traceback" not in reviewed.stderr


def test_init_without_a_codebook_writes_the_template_and_a_different_codebook_is_refused(kode: Path,
                                                                                       tmp_path: Path) -> None:
    from pipeline.app.project import init_project, open_project

    init_project(tmp_path / "a").close()
    assert "id: PB-METODE" in (tmp_path / "a" / "codebook.template.yaml").read_text(encoding="utf-8")
    with open_project(tmp_path / "a") as project:
        assert project.codebook.is_empty
    init_project(tmp_path / "b", kode).close()
    with pytest.raises(CodebookError, match="already holds codebook"):
        init_project(tmp_path / "b", DEMO_CODEBOOK)
    with open_project(tmp_path / "b") as project:
        assert project.codebook.ids == ("SV-KUNJUNGAN", "SV-UMPAN-BALIK", "AD-BEBAN")
    with open_project(tmp_path / "b", codebook_file=DEMO_CODEBOOK) as project:  # one command's explicit choice
        assert "KP-KELAS" in project.codebook.ids


@pytest.mark.parametrize("text, key, allowed", [
    ("[review]\nconfidence = 95\n", "review.confidence", "from 0.5 to 0.999"),
    ("[suggest]\nmin_score = 7.5\n", "suggest.min_score", "from 0.0 to 1.0"),
    ("[language]\nbackend = 'spacey'\n", "language.backend", "'spacy', 'stanza'"),
    ("[export]\nrun_formats = ['csv', 'odt']\n", "export.run_formats", "each one of"),
    ("[export]\ncitation = '({methode}/{informant})'\n", "export.citation", "placeholders among {method}"),
    ("[export]\nquotes_per_code = 0\n", "export.quotes_per_code", "from 1 to 10"),
    ("[suggest]\ncv_folds = 1\n", "suggest.cv_folds", "at least 2"),
])
def test_values_out_of_range_are_one_line_errors(tmp_path: Path, text: str, key: str, allowed: str) -> None:
    path = tmp_path / "reduksi.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigValueError) as raised:
        load_config(path)
    message = str(raised.value)
    assert message.startswith("[E201]") and str(path) in message and f"'{key}'" in message and allowed in message
    assert "\n" not in message


def test_a_bad_value_in_a_projects_config_is_reported_by_the_command(mini_corpus: Path, tmp_path: Path) -> None:
    assert reduksi("init", tmp_path / "p").returncode == 0
    (tmp_path / "p" / "reduksi.toml").write_text("[review]\nconfidence = 95\n", encoding="utf-8")
    result = reduksi("ingest", tmp_path / "p", mini_corpus)
    assert result.returncode == 1 and result.stderr.startswith("Error: [E201]") and "Traceback" not in result.stderr


def test_open_coding_flags_every_cluster_as_a_candidate_theme(tmp_path: Path) -> None:
    """No codebook, so nothing is coded: each cluster is a theme the researcher may adopt as a code."""
    import shutil

    from tests.conftest import DEMO

    corpus = tmp_path / "tanpa-kode"
    shutil.copytree(DEMO, corpus, ignore=shutil.ignore_patterns("codebook.yaml", "gold.csv"))
    result = reduksi("run", corpus, "--out", tmp_path / "hasil", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    summary = pd.read_csv(tmp_path / "hasil" / "cluster_summary.csv", keep_default_na=False)
    clustered = summary[summary["cluster"] >= 0]
    assert len(clustered) >= 3 and clustered["candidate_new_theme"].all()
    assert (summary["dominant_codes"] == "").all()
