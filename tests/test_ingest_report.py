"""Never silent: segmentation warnings, the ingest report frame, and what the store keeps of turns and sources."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.ingest.batch import ingest, resolve_batch
from pipeline.ingest.quality import REPORT_COLUMNS, report_frame
from pipeline.ingest.readers import read_source
from pipeline.records import SourceMeta
from pipeline.store import Store
from tests.ingest_formats_support import FORMATS


def _read(tmp_path: Path, text: str, config, **meta):  # type: ignore[no-untyped-def]
    path = tmp_path / "W-x.txt"
    path.write_text(text, encoding="utf-8")
    return read_source(SourceMeta(path=str(path), method="wawancara", informant="X", **meta), config.ingest)


def test_collapsed_interview_is_warned(tmp_path: Path, config) -> None:  # type: ignore[no-untyped-def]
    answer = " ".join(["Kami mengajar dengan sabar dan anak-anak senang belajar di kelas."] * 80)
    parsed = _read(tmp_path, f"Catatan: wawancara\nP: Ceritakan, Bu.\nI: {answer}\n", config)
    assert any("turn(s) in" in w and "merged" in w for w in parsed.warnings)
    assert any("has 100%" in w and "labels may have been missed" in w for w in parsed.warnings)


def test_informants_asking_questions_is_warned(tmp_path: Path, config) -> None:  # type: ignore[no-untyped-def]
    text = "".join(f"P: Jawaban ke-{i} dari saya.\nI: Pertanyaan ke-{i}, bagaimana?\n" for i in range(5))
    parsed = _read(tmp_path, text, config, interviewer_labels=("P",))
    assert any("end with '?'" in w for w in parsed.warnings)


def test_unrecognised_label_is_warned(tmp_path: Path, config) -> None:  # type: ignore[no-untyped-def]
    parsed = _read(tmp_path, "P: Apa kabar?\nI: Baik.\nKS: Saya juga mau menambahkan.\nP: Silakan.\nI: Ya.\n", config)
    assert any("unrecognised label 'KS:'" in w and "line 3" in w for w in parsed.warnings)


def test_report_frame_and_stored_roles_memos_metadata(tmp_path: Path, config) -> None:  # type: ignore[no-untyped-def]
    files = [FORMATS / "verbatim-table" / "W-kepala-sekolah-tab.txt", FORMATS / "header-metadata" /
             "W-header-guru-pai.txt"]
    metas, _ = resolve_batch(files, config)
    with Store.init(tmp_path / "proj") as store:
        report = ingest(store, metas, config)
        memos = store._db.execute("SELECT role, memo, continued FROM units WHERE memo IS NOT NULL").fetchall()
        source = store._db.execute("SELECT convention, metadata, speakers FROM sources WHERE name = "
                                  "'W-header-guru-pai'").fetchone()
    frame = report_frame(report.files)
    assert list(frame.columns) == REPORT_COLUMNS and len(frame) == 2
    assert list(frame["convention"]) == ["verbatim-table", "colon-labels"]
    assert frame["informant_words"].gt(30).all() and frame["turns"].tolist() == [8, 6]
    assert tuple(memos[0]) == ("informant", "Implementasi bertahap", 0) and tuple(memos[1])[2] == 1
    assert source["convention"] == "colon-labels"
    assert json.loads(source["metadata"])["Kode"] == "G-PAI-01"
    assert json.loads(source["speakers"]) == [["P", "interviewer"], ["I", "informant"]]


def test_subtitles_without_speakers_are_paragraphs_with_a_warning(tmp_path: Path, config) -> None:  # type: ignore[no-untyped-def]
    cues = "".join(f"{i + 1}\n00:00:0{i},000 --> 00:00:0{i},900\n{text}\n\n" for i, text in enumerate(
        ["Jadi waktu itu kami mulai", "dari nol, belum ada apa-apa di desa ini, listrik juga belum masuk ke rumah-rumah warga.",
         "Terus pelan-pelan warga gotong royong", "bikin jalan dan saluran air sampai ke sawah, bertahun-tahun."]))
    path = tmp_path / "W-rekaman.srt"
    path.write_text(cues, encoding="utf-8")
    parsed = read_source(SourceMeta(path=str(path), method="wawancara", informant="X"), config.ingest)
    assert parsed.kind == "paragraphs" and len(parsed.units) == 2 and "no speakers" in parsed.warnings[0]
    assert all(parsed.text[u.start:u.end] == u.text for u in parsed.units)


def test_word_interview_without_labels_keeps_one_unit_per_paragraph(tmp_path: Path, config) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import write_docx_paragraphs

    path = write_docx_paragraphs(tmp_path / "W-catatan.docx", ["Beliau mengajar sejak 2010.",
                                                               "Sekolahnya jauh dari jalan raya.",
                                                               "Muridnya tiga puluh orang."])
    parsed = read_source(SourceMeta(path=str(path), method="wawancara", informant="X"), config.ingest)
    assert [u.text for u in parsed.units] == ["Beliau mengajar sejak 2010.", "Sekolahnya jauh dari jalan raya.",
                                              "Muridnya tiga puluh orang."]
    assert parsed.warnings and parsed.convention == "paragraphs"
