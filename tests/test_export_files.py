"""CSV, Excel and HTML exports of the demo project: one file per display, a readable workbook (that LibreOffice
converts), the report's sections, the researcher's verdicts carried into every format."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pipeline.app.export import export_project
from pipeline.app.project import Project
from pipeline.config import load_config
from pipeline.store import Store
from tests.export_fixtures import codebook_of, demo_exports, demo_project  # noqa: F401  (fixtures)

SLUGS = ("code_by_informant", "code_by_role", "code_by_method", "code_by_site", "code_by_round", "code_cooccurrence",
         "framework_matrix", "triangulation", "evidence", "memos", "review_notes", "triangulation_notes")


def test_one_csv_per_display_with_labelled_columns(demo_exports: dict[str, Path]) -> None:
    folder = demo_exports["default"]
    assert {p.stem for p in folder.glob("*.csv")} == {*SLUGS, "tentang"}
    about = dict(pd.read_csv(folder / "tentang.csv", encoding="utf-8-sig").itertuples(index=False))
    assert about["buku kode (versi)"].endswith("(392c779cf010)") and about["nama"] == "disamarkan"
    roles = pd.read_csv(folder / "code_by_role.csv", encoding="utf-8-sig", keep_default_na=False)
    assert list(roles.columns[:4]) == ["kode", "nama kode", "guru · terverifikasi", "kepala_sekolah · terverifikasi"]
    assert "jumlah · saran" in roles.columns and "guru · kutipan terverifikasi" in roles.columns
    assert len(roles) == 13 and roles["kode"].iloc[0] == "KP-KELAS"
    assert (roles["jumlah · terverifikasi"] > 0).all()  # gold covers every code
    evidence = pd.read_csv(folder / "evidence.csv", encoding="utf-8-sig", keep_default_na=False)
    assert set(evidence["status"]) == {"terverifikasi", "saran"}


def test_english_labels(demo_project: Path, tmp_path: Path) -> None:
    config = load_config()
    with Store.open(demo_project) as store:
        export_project(Project(store, config, codebook_of(config)), tmp_path, ("csv",), lang="en")
    table = pd.read_csv(tmp_path / "triangulation.csv", encoding="utf-8-sig", keep_default_na=False)
    assert {"code", "single source", "suggestions only", "status", "researcher's note"} <= set(table.columns)
    assert set(table["status"]) == {"not yet checked", "needs more data", "confirmed"}


def test_workbook_sheets_are_readable(demo_exports: dict[str, Path]) -> None:
    workbook = openpyxl.load_workbook(demo_exports["default"] / "reduksi.xlsx")
    assert workbook.sheetnames == ["Kode × informan", "Kode × peran", "Kode × metode", "Kode × situs", "Kode × putaran",
                                   "Ko-okurensi kode", "Matriks kerangka", "Triangulasi", "Bukti per kutipan",
                                   "Memo", "Catatan review", "Catatan triangulasi", "Tentang ekspor"]
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "B2" and sheet.auto_filter.ref and sheet["A1"].font.bold
        widths = [d.width for d in sheet.column_dimensions.values() if d.width]
        assert widths and max(widths) <= 60
    framework = workbook["Matriks kerangka"]
    assert framework["E2"].alignment.wrap_text and framework.column_dimensions["E"].width == 50
    evidence = workbook["Bukti per kutipan"]
    assert evidence.max_row > 200 and evidence["A1"].value == "kunci kutipan"


def test_verdicts_travel_into_every_format(demo_exports: dict[str, Path]) -> None:
    folder = demo_exports["default"]
    note = "Wawancara, observasi dan dokumen sejalan."
    triangulation = pd.read_csv(folder / "triangulation.csv", encoding="utf-8-sig", keep_default_na=False)
    row = triangulation.set_index("kode").loc["HAM-JADWAL"]
    assert row["status"] == "terkonfirmasi" and row["catatan peneliti"] == note and row["diperiksa oleh"]
    sheet = openpyxl.load_workbook(folder / "reduksi.xlsx")["Triangulasi"]
    assert any(note == cell.value for row in sheet.iter_rows() for cell in row)
    assert note in (folder / "laporan.html").read_text(encoding="utf-8")
    assert "Status triangulasi: terkonfirmasi — " + note in (folder / "codebook.qdc").read_text(encoding="utf-8")
    with zipfile.ZipFile(folder / "reduksi.qdpx") as archive:
        project = archive.read("project.qde").decode("utf-8")
    assert "Status triangulasi: perlu data tambahan — Cek notulen; kata [G01] beda." in project


def test_report_has_every_section(demo_exports: dict[str, Path]) -> None:
    page = (demo_exports["default"] / "laporan.html").read_text(encoding="utf-8")
    for anchor in ("heatmap", "code_by_role", "code_by_method", "code_by_site", "code_cooccurrence",
                   "triangulation", "cluster_map", "framework_matrix"):
        assert f'<section id="{anchor}">' in page
    assert "Peta panas kode × informan" in page and "rgba(31,119,180," in page  # shaded heatmap cells
    assert 'class="status st-perlu_data_tambahan"' in page
    assert "Belum ada hasil klaster" in page  # no `reduksi cluster` outputs in this project


def test_report_draws_the_cluster_map_when_clusters_exist(demo_project: Path, tmp_path: Path) -> None:
    config = load_config()
    with Store.open(demo_project) as store:
        keys = pd.read_sql_query("SELECT key FROM excerpts", store._db)["key"].tolist()[:6]
        pd.DataFrame({"excerpt_id": range(6), "key": keys, "cluster": [0, 0, 1, 1, -1, 1], "distance": 0.1,
                      "x": [0.0, 1, 2, 3, 4, 5], "y": [1.0, 0, 1, 0, 1, 0], "status": "ok"}
                     ).to_csv(tmp_path / "clusters.csv", index=False)
        pd.DataFrame({"cluster": [0, 1, -1], "size": [2, 3, 1], "label_terms": ["jadwal, rapat", "kelas, Dadang",
                                                                                  ""]}
                     ).to_csv(tmp_path / "cluster_summary.csv", index=False)
        [page] = export_project(Project(store, config, codebook_of(config)), tmp_path / "out", ("html",),
                                clusters_dir=tmp_path)
    html = page.read_text(encoding="utf-8")
    assert html.count("<circle") == 6 and "jadwal, rapat" in html and "kelas, [G01]" in html


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(_soffice() is None, reason="LibreOffice is not installed (apt-get install libreoffice-calc-nogui"
                                              " to run this check of the workbook)")
def test_libreoffice_converts_the_workbook(demo_exports: dict[str, Path], tmp_path: Path) -> None:
    profile = tmp_path / "lo-profile"
    result = subprocess.run([_soffice(), "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
                             "--convert-to", "pdf", "--outdir", str(tmp_path),
                             str(demo_exports["default"] / "reduksi.xlsx")],
                            capture_output=True, text=True, timeout=300, env={**os.environ, "HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "reduksi.pdf"
    assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000


def test_every_label_has_both_languages() -> None:
    from pipeline.export.labels import LANGS, words

    assert set(words(LANGS[0])) == set(words(LANGS[1])) and len(words("id")) > 50
