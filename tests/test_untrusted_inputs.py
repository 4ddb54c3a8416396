"""Untrusted input stays harmless: QDPX files with entities, escaping members or zip bombs are refused; every
CSV and workbook cell we write is guarded against formulas; a backup never races a writer."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pipeline.app.cluster import cluster_project
from pipeline.app.project import Project
from pipeline.app.review import export_review_sheet
from pipeline.config import Config
from pipeline.errors import ExportError, StoreError
from pipeline.export.qdpx_read import read_qdpx
from pipeline.export.safety import FORMULA_TRIGGERS
from pipeline.ingest.batch import ingest, resolve_batch
from pipeline.store import Store
from tests.conftest import write_manifest
from tests.export_fixtures import HOSTILE_TXT, codebook_of, hostile_project  # noqa: F401  (fixture)

PROJECT = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="uji">
  <Sources><TextSource guid="{guid}" name="W-A" plainTextPath="{path}"/></Sources>
</Project>"""


def _qdpx(folder: Path, members: dict[str, bytes], name: str = "uji.qdpx") -> Path:
    path = folder / name
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return path


def test_an_entity_expansion_bomb_is_refused(tmp_path: Path) -> None:
    bomb = ('<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            '<Project xmlns="urn:QDA-XML:project:1.0" name="&b;"/>')
    with pytest.raises(ExportError, match="DTD or entities"):
        read_qdpx(_qdpx(tmp_path, {"project.qde": bomb.encode()}))


def test_a_member_that_climbs_out_of_the_archive_is_refused(tmp_path: Path) -> None:
    project = PROJECT.format(guid="a1", path="internal://x.txt").encode()
    path = _qdpx(tmp_path, {"project.qde": project, "../../keluar.txt": b"P: halo"})
    with pytest.raises(ExportError, match="points outside the archive"):
        read_qdpx(path)


def test_a_zip_bomb_is_refused(tmp_path: Path) -> None:
    project = PROJECT.format(guid="a1", path="internal://x.txt").encode()
    path = _qdpx(tmp_path, {"project.qde": project, "sources/x.txt": b"0" * (8 * 1024**2)})
    with pytest.raises(ExportError, match="zip bomb"):
        read_qdpx(path)


def test_a_relative_path_cannot_read_files_outside_the_project_folder(tmp_path: Path) -> None:
    secret = tmp_path / "rahasia.txt"
    secret.write_text("P: data rahasia", encoding="utf-8")
    inner = tmp_path / "dalam"
    inner.mkdir()
    project = PROJECT.format(guid="a1", path="relative://../rahasia.txt").encode()
    with pytest.raises(ExportError, match="not found"):
        read_qdpx(_qdpx(inner, {"project.qde": project}))


def _starts_formula(value: object) -> bool:
    """Text that a spreadsheet would run (a number such as -0.25 is a number, not a formula)."""
    if not isinstance(value, str) or not value.startswith(FORMULA_TRIGGERS):
        return False
    try:
        float(value)
    except ValueError:
        return True
    return False


def test_cluster_files_and_the_review_sheet_guard_every_cell(tmp_path: Path, config: Config) -> None:
    corpus = tmp_path / "korpus"
    corpus.mkdir()
    (corpus / "W-X1.txt").write_text(HOSTILE_TXT, encoding="utf-8")
    write_manifest(corpus, [dict(file="W-X1.txt", informant="=1+1", role="guru", site="@sum(a1)",
                                 method="wawancara", date="2024-03-01")])
    with Store.init(tmp_path / "proyek") as store:
        ingest(store, resolve_batch([corpus], config)[0], config)
        project = Project(store, config, codebook_of(config))
        _, files = cluster_project(project, tmp_path / "klaster")
        sheet = export_review_sheet(project, "ani", tmp_path / "tinjau.xlsx").path
    summary = (tmp_path / "klaster" / "cluster_summary.csv").read_text(encoding="utf-8")
    assert "'=1+1:" in summary  # the informant id is there, as text
    for table in (pd.read_csv(f, dtype=str, keep_default_na=False) for f in files if f.suffix == ".csv"):
        assert not any(_starts_formula(v) for column in table for v in [column, *table[column]])
    book = openpyxl.load_workbook(sheet)
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert any("HYPERLINK" in str(c.value) for c in cells)
    assert not [c.coordinate for c in cells if c.data_type == "f" or _starts_formula(c.value)]


def test_a_backup_holds_the_write_lock_and_is_refused_inside_a_transaction(hostile_project: Path) -> None:
    with Store.open(hostile_project) as store:
        with store.transaction(), pytest.raises(StoreError, match="inside a transaction"):
            store.backup("now")
        copy = store.backup("manual")
    with sqlite3.connect(copy) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT COUNT(*) FROM excerpts").fetchone()[0] == 3
