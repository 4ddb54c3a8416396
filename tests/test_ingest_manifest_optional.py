"""The manifest is optional: rows inferred from header and file name, written back for the researcher; with a
manifest, every problem of every row is reported in one run; dates in the forms Indonesian researchers write."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.errors import BatchIngestError
from pipeline.ingest.batch import ingest, resolve_batch
from pipeline.ingest.dates import parse_date
from pipeline.ingest.infer import write_inferred_manifest
from pipeline.ingest.manifest import load_manifest
from pipeline.store import Store
from tests.conftest import OBSERVATION_MD, write_manifest
from tests.ingest_formats_support import FORMATS


@pytest.fixture
def bare_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "tanpa-manifest"
    folder.mkdir()
    shutil.copy(FORMATS / "header-metadata" / "W-header-guru-pai.txt", folder / "W-G-PAI.txt")
    shutil.copy(FORMATS / "quoted-labels" / "W-nelayan.txt", folder / "wawancara_nelayan_2024-03-02.txt")
    (folder / "O-kelas.md").write_text(OBSERVATION_MD, encoding="utf-8")
    (folder / "notulen rapat.md").write_text("Rapat dibuka pukul sembilan.\n\nIuran disepakati.\n", encoding="utf-8")
    return folder


def test_folder_without_manifest_is_inferred(bare_folder: Path, config) -> None:  # type: ignore[no-untyped-def]
    batch = resolve_batch([bare_folder], config)
    metas, warnings = batch
    rows = {Path(m.path).name: m for m in batch.inferred}
    assert [m.path for m in metas] == [m.path for m in batch.inferred]
    assert any("no manifest" in w and "manifest.inferred.csv" in w for w in warnings)
    guru = rows["W-G-PAI.txt"]
    assert (guru.method, guru.informant, guru.date, guru.name) == ("wawancara", "G-PAI-01", "2024-02-12",
                                                                   "Ustadzah Halimah, S.Pd.I.")
    nelayan = rows["wawancara_nelayan_2024-03-02.txt"]
    assert (nelayan.method, nelayan.informant, nelayan.date) == ("wawancara", "nelayan_2024-03-02", "2024-03-02")
    assert rows["O-kelas.md"].method == "observasi" and rows["notulen rapat.md"].method == "dokumen"


def test_inferred_manifest_round_trips_and_ingests(bare_folder: Path, tmp_path: Path, config) -> None:  # type: ignore[no-untyped-def]
    batch = resolve_batch([bare_folder], config)
    written = write_inferred_manifest(list(batch.inferred), bare_folder / "manifest.inferred.csv")
    again = load_manifest(written, config.ingest)
    assert again == [replace(m, manifest=str(written), manifest_line=i + 2) for i, m in enumerate(batch.inferred)]
    with Store.init(tmp_path / "proj") as store:
        report = ingest(store, batch.metas, config)
    assert len(report.added) == 4 and {f.convention for f in report.files} >= {"quoted-labels", "paragraphs"}


def test_a_single_file_without_manifest(bare_folder: Path, config) -> None:  # type: ignore[no-untyped-def]
    metas, warnings = resolve_batch([bare_folder / "W-G-PAI.txt"], config)
    assert [m.informant for m in metas] == ["G-PAI-01"] and "inferred" in warnings[0]


def test_every_problem_of_every_row_in_one_run(tmp_path: Path, config) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "W-A.txt").write_text("P: Apa?\nI: Ini.\n", encoding="utf-8")
    write_manifest(tmp_path, [{"file": "W-A.txt", "method": "wawancara", "role": "kepsek", "date": "kemarin"},
                              {"file": "W-B.txt", "method": "survei", "informant": "B"}])
    with pytest.raises(BatchIngestError) as raised:
        load_manifest(tmp_path / "manifest.csv", config.ingest)
    text = str(raised.value)
    for words in ("line 2, 'role'", "line 2, 'informant'", "line 2, 'date'", "line 3, 'file'", "line 3, 'method'"):
        assert words in text
    assert len(raised.value.errors) == 5


@pytest.mark.parametrize("written, iso", [("2024-02-12", "2024-02-12"), ("12-02-2024", "2024-02-12"),
                                          ("12/02/2024", "2024-02-12"), ("12 Februari 2024", "2024-02-12"),
                                          ("Senin, 12 Februari 2024", "2024-02-12"), ("3 Agt 2023", "2023-08-03"),
                                          ("31-02-2024", None), ("minggu lalu", None)])
def test_dates(written: str, iso: str | None) -> None:
    assert parse_date(written) == iso


def test_manifest_accepts_indonesian_dates(tmp_path: Path, config) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "W-A.txt").write_text("P: Apa?\nI: Ini.\n", encoding="utf-8")
    write_manifest(tmp_path, [{"file": "W-A.txt", "method": "wawancara", "informant": "A",
                               "date": "Senin, 12 Februari 2024"}])
    assert load_manifest(tmp_path / "manifest.csv", config.ingest)[0].date == "2024-02-12"
