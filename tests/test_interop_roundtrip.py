"""REFI-QDA round trip through reduksi itself: a project with two reviewers, rejections, review notes, a "no code"
verification and a verdict is exported, imported into a fresh project (sources and codebook from the file alone)
and exported again: every verification comes back with its reviewer, every note, every code."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from pipeline import suggest
from pipeline.app.export import export_project
from pipeline.app.imports import import_qdpx
from pipeline.app.project import init_project, open_project
from pipeline.config import Config
from pipeline.decision_log import Decision
from pipeline.export.refi import is_machine
from pipeline.ingest.batch import ingest, resolve_batch
from pipeline.store import Store, decisions
from pipeline.store.excerpts import excerpts_frame
from pipeline.store.memos import Memo, add_memos, list_memos
from pipeline.store.runs import start_run
from pipeline.store.suggestions import save_suggestions
from pipeline.store.triangulation import current_status, set_status
from tests.conftest import DEMO_CODEBOOK, write_manifest
from tests.export_fixtures import REFI_SCHEMAS
from tests.test_cli import reduksi

W_SARI = """# Wawancara Bu Sari, guru kelas IV
P: Bagaimana Ibu mengatur kelas?
I: Anak-anak saya atur duduk berkelompok empat orang, ada kesepakatan kelas yang kami tulis bersama di awal semester.
P: Media apa yang Ibu pakai?
I: Saya bikin alat peraga dari kardus bekas dan tutup botol, anak-anak senang sekali.
P: Kalau KKG bagaimana?
I: Jadwal KKG sering bentrok dengan rapat dinas, jadi saya jarang bisa datang.
"""
O_KELAS = """Guru membagi siswa ke dalam kelompok empat orang dan menempel kesepakatan kelas di dinding.

Guru memakai kartu bergambar hewan buatan sendiri untuk pelajaran IPA.

Siswa yang selesai lebih dulu membantu teman sekelompoknya.
"""
NS = {"q": "urn:QDA-XML:project:1.0"}
DAY2 = "2026-01-16T09:00:{:02d}+00:00"


@pytest.fixture
def coded_project(tmp_path: Path, config: Config) -> Path:
    """Gold labels, a second reviewer (changes, rejection with a note, review note, "no code"), a verdict."""
    corpus = tmp_path / "korpus"
    corpus.mkdir()
    (corpus / "W-SARI.txt").write_text(W_SARI, encoding="utf-8")
    (corpus / "O-KELAS.txt").write_text(O_KELAS, encoding="utf-8")
    write_manifest(corpus, [dict(file="W-SARI.txt", informant="G11", role="guru", site="sdn-uji", method="wawancara",
                                 name="Sari Wulandari"), dict(file="O-KELAS.txt", method="observasi")])
    project = tmp_path / "proj"
    with init_project(project, DEMO_CODEBOOK) as store:
        ingest(store, resolve_batch([corpus], config)[0], config)
    with open_project(project) as opened:
        store, codebook = opened.store, opened.codebook
        ids = dict(zip(excerpts_frame(store)["key"], excerpts_frame(store)["excerpt_id"].astype(int)))
        save_suggestions(store, start_run(store, "test"), suggest.run(excerpts_frame(store), codebook,
                                                                      config.suggest), codebook.version)
        log = [Decision(ids["W-SARI:002"], "gold", "set", ("KP-KELAS", "KP-SISWA"), created_at="2026-01-15T08:00:00Z"),
               Decision(ids["W-SARI:004"], "gold", "set", ("KP-MEDIA",), created_at="2026-01-15T08:00:01Z"),
               Decision(ids["O-KELAS:001"], "gold", "set", ("KP-KELAS",), created_at="2026-01-15T08:00:02Z"),
               Decision(ids["W-SARI:002"], "rina", "change", ("KP-KELAS",), created_at=DAY2.format(0)),
               Decision(ids["W-SARI:006"], "rina", "reject", ("KP-MEDIA",), note="Ini soal jadwal, bukan media.",
                        created_at=DAY2.format(1)),
               Decision(ids["W-SARI:006"], "rina", "add", ("HAM-JADWAL",), created_at=DAY2.format(2)),
               Decision(ids["O-KELAS:003"], "rina", "set", (), created_at=DAY2.format(3)),
               Decision(ids["O-KELAS:002"], "rina", "note", note="Kartu bergambar: cek foto.", created_at=DAY2.format(4)),
               Decision(ids["W-SARI:004"], "rina", "accept", ("KP-MEDIA",), created_at=DAY2.format(5))]
        with store.transaction():
            decisions.append(store, log, known_codes=codebook.ids)
            set_status(store, "HAM-JADWAL", "terkonfirmasi", "rina", "Wawancara dan observasi sejalan.")
            add_memos(store, [Memo("code", "KP-MEDIA", "Media", "Banyak guru membuat media sendiri.", "rina"),
                              Memo("source", "O-KELAS", "", "Observasi hari Senin, kelas IV.", "gold"),
                              Memo("project", "", "Rencana", "Tambah wawancara kepala sekolah.", "rina")])
    return project


def _state(project: Path) -> dict[str, object]:
    with open_project(project) as opened:
        store = opened.store
        keys = dict(zip(excerpts_frame(store)["excerpt_id"].astype(int), excerpts_frame(store)["key"]))
        log = decisions.history(store)
        state = decisions.replay(log)
        return {"labels": {keys[e]: c for e, c in state.labels.items()},
                "by_reviewer": {r: {keys[e]: c for e, c in own.items()} for r, own in state.by_reviewer.items()},
                "rejections": sorted((keys[d.excerpt_id], d.reviewer, d.codes, d.note) for d in log
                                     if d.action == "reject"),
                "notes": sorted((keys[d.excerpt_id], d.reviewer, d.note) for d in log if d.action == "note"),
                "verdicts": current_status(store)[["code", "status", "note", "reviewer"]].values.tolist(),
                "memos": sorted((m.target_kind, m.target, m.title, m.text, m.author) for m in list_memos(store)),
                "codebook": opened.codebook.version}


def _root(qdpx: Path) -> ET.Element:
    with zipfile.ZipFile(qdpx) as archive:
        assert all(n == "project.qde" or n.startswith("sources/") for n in archive.namelist())
        return ET.fromstring(archive.read("project.qde"))


def test_round_trip_keeps_every_verification_reviewer_note_and_code(coded_project: Path, tmp_path: Path) -> None:
    with open_project(coded_project) as opened:
        export_project(opened, tmp_path / "a", ("qdpx",), real_names=True)
    fresh = tmp_path / "fresh"
    with open_project(fresh, create=True) as opened:
        report = import_qdpx(opened, tmp_path / "a" / "reduksi.qdpx")
        export_project(opened, tmp_path / "b", ("qdpx",), real_names=True)
    before, after = _state(coded_project), _state(fresh)
    assert after == before
    assert before["by_reviewer"]["rina"]["O-KELAS:003"] == frozenset()  # "no code" came back
    assert before["rejections"] == [("W-SARI:006", "rina", ("KP-MEDIA",), "Ini soal jadwal, bukan media.")]
    assert report.problems() == [] and report.notes == report.notes_placed == 7 and report.verdicts == 1
    assert report.memos == 3 and len(before["memos"]) == 3
    assert sorted(report.sources_added) == ["O-KELAS", "W-SARI"] and report.codebook is not None
    assert report.verifications == {"gold": 4, "rina": 3}  # pairs; "no code" is a verification too
    first, second = _root(tmp_path / "a" / "reduksi.qdpx"), _root(tmp_path / "b" / "reduksi.qdpx")
    notes = lambda root: {n.get("guid") for n in root.iterfind("q:Notes/q:Note", NS)}  # noqa: E731
    assert notes(first) == notes(second) and len(notes(first)) == 7  # note GUIDs stable across the round trip
    assert len(first.findall(".//q:Code", NS)) == len(second.findall(".//q:Code", NS))


def test_selections_and_codings_belong_to_their_reviewer_suggestions_to_the_model(coded_project: Path,
                                                                                  tmp_path: Path) -> None:
    with open_project(coded_project) as opened:
        export_project(opened, tmp_path, ("qdpx",))
    root = _root(tmp_path / "reduksi.qdpx")
    users = {u.get("guid"): u.get("name") for u in root.iterfind("q:Users/q:User", NS)}
    model_users = {n for n in users.values() if is_machine(n)}
    assert {"gold", "rina"} <= set(users.values()) and len(model_users) == 1
    assert next(iter(model_users)).startswith("reduksi-suggester codebook-")
    for selection in root.iter(f"{{{NS['q']}}}PlainTextSelection"):
        owner = selection.get("creatingUser")
        assert all(c.get("creatingUser") == owner for c in selection.iterfind("q:Coding", NS))
        if is_machine(users[owner]):
            assert re.search(r"^[A-Z-]+ p=[01]\.\d\d", selection.find("q:Description", NS).text, re.MULTILINE)
    stamps = [e.get("creationDateTime") for e in root.iter() if e.get("creationDateTime")]
    assert stamps and all(s.endswith("Z") for s in stamps)
    with open_project(coded_project) as opened:
        assert f"(versi {opened.codebook.version})" in root.find("q:Description", NS).text
    kinds = sorted(n.find("q:Description", NS).text.split()[0] for n in root.iterfind("q:Notes/q:Note", NS))
    assert kinds == ["reduksi:memo"] * 3 + ["reduksi:none", "reduksi:note", "reduksi:reject", "reduksi:triangulation"]


def test_export_with_notes_validates_against_the_schema(coded_project: Path, tmp_path: Path) -> None:
    schema = REFI_SCHEMAS / "Project-mrt2019.xsd"
    if not schema.is_file():
        pytest.skip("REFI-QDA schemas not found beside the repository")
    import xmlschema

    with open_project(coded_project) as opened:
        export_project(opened, tmp_path, ("qdpx",))
    with zipfile.ZipFile(tmp_path / "reduksi.qdpx") as archive:
        xmlschema.XMLSchema(str(schema)).validate(archive.read("project.qde").decode("utf-8"))


def test_cli_imports_into_a_new_project_and_says_what_it_placed(coded_project: Path, tmp_path: Path) -> None:
    with open_project(coded_project) as opened:
        export_project(opened, tmp_path / "a", ("qdpx",), real_names=True)
    result = reduksi("import", tmp_path / "baru", tmp_path / "a" / "reduksi.qdpx")
    assert result.returncode == 0, result.stderr
    assert "Codebook: " in result.stdout and "Sources added: " in result.stdout
    assert "verified codes by coder: gold 4, rina 3" in result.stdout and "1 triangulation verdict(s) and 3 memo(s)" \
        in result.stdout
    again = reduksi("import", tmp_path / "baru", tmp_path / "a" / "reduksi.qdpx")
    assert again.returncode == 0 and "Nothing new was imported" in again.stdout
