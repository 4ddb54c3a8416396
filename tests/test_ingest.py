"""Batch ingest into the store: every bad input is named, nothing is half-stored, versions are kept."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.errors import (
    BatchIngestError,
    BinarySource,
    EmptySource,
    ManifestError,
    UnsupportedFormat,
)
from pipeline.ingest.batch import ingest, resolve_batch
from pipeline.store import Store
from pipeline.store.excerpts import excerpts_frame
from tests.conftest import write_manifest


def _ingest(folder: Path, project: Path, config):  # type: ignore[no-untyped-def]
    metas, _ = resolve_batch([folder], config)
    with Store.init(project) as store:
        return ingest(store, metas, config)


def _counts(project: Path) -> tuple[int, int]:
    with Store.open(project) as store:
        return (store._db.execute("SELECT COUNT(*) FROM sources").fetchone()[0],
                store._db.execute("SELECT COUNT(*) FROM excerpts").fetchone()[0])


def test_ingest_stores_sources_excerpts_and_exact_offsets(mini_corpus: Path, tmp_path: Path, config) -> None:
    report = _ingest(mini_corpus, tmp_path / "proj", config)
    assert len(report.added) == 9 and report.excerpts > 9
    with Store.open(tmp_path / "proj") as store:
        frame = excerpts_frame(store)
        texts = dict(store._db.execute("SELECT id, text FROM sources").fetchall())
        informant = store._db.execute("SELECT role, real_name FROM informants WHERE id = 'G1'").fetchone()
    assert tuple(informant) == ("guru", "Sri Wahyuni")
    for row in frame.itertuples():
        assert texts[row.source_id][row.start:row.end] == row.text
    assert set(frame["method"]) == {"wawancara", "observasi", "dokumen"}
    assert frame.loc[frame.key == "W-A:004", "context"].item() == "Kalau ikut KKG gimana, Bu?"


def test_reingest_unchanged_adds_nothing(mini_corpus: Path, tmp_path: Path, config) -> None:
    _ingest(mini_corpus, tmp_path / "proj", config)
    before = _counts(tmp_path / "proj")
    report = _ingest(mini_corpus, tmp_path / "proj", config)
    assert report.added == () and len(report.unchanged) == 9
    assert _counts(tmp_path / "proj") == before


def test_changed_file_becomes_new_version_and_old_is_kept(mini_corpus: Path, tmp_path: Path, config) -> None:
    _ingest(mini_corpus, tmp_path / "proj", config)
    path = mini_corpus / "W-A.txt"
    path.write_text(path.read_text(encoding="utf-8") + "P: Terima kasih, Bu.\nI: Sama-sama.\n", encoding="utf-8")
    report = _ingest(mini_corpus, tmp_path / "proj", config)
    assert report.added == (("W-A", 2),)
    with Store.open(tmp_path / "proj") as store:
        versions = store._db.execute("SELECT version FROM sources WHERE name = 'W-A' ORDER BY version").fetchall()
        current = excerpts_frame(store)
        everything = excerpts_frame(store, current_only=False)
    assert [v[0] for v in versions] == [1, 2]
    assert set(current.loc[current.source == "W-A", "version"]) == {2}
    assert "W-A:006" in set(current.key)
    assert len(everything) == len(current) + 2  # the old version's excerpts are still there


@pytest.mark.parametrize("content, error, words", [
    (b"", EmptySource, "empty"),
    (b"   \n\n  ", EmptySource, "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", BinarySource, "binary"),
])
def test_bad_file_is_named_and_nothing_is_stored(mini_corpus: Path, tmp_path: Path, config, content: bytes,
                                                 error: type, words: str) -> None:
    (mini_corpus / "W-A.txt").write_bytes(content)
    with pytest.raises(error) as raised:
        _ingest(mini_corpus, tmp_path / "proj", config)
    assert "W-A.txt" in str(raised.value) and words in str(raised.value)
    assert _counts(tmp_path / "proj") == (0, 0)  # the other eight good files were not stored either


def test_interview_in_no_known_convention_is_kept_as_paragraphs_with_a_warning(mini_corpus: Path, tmp_path: Path,
                                                                              config) -> None:
    (mini_corpus / "W-A.txt").write_text("Guru datang. Siswa belajar.\n\nTidak ada label pembicara.\n",
                                         encoding="utf-8")
    report = _ingest(mini_corpus, tmp_path / "proj", config)
    assert any("W-A.txt" in w and "no transcript convention" in w for w in report.warnings)
    with Store.open(tmp_path / "proj") as store:
        frame = excerpts_frame(store)
    assert list(frame.loc[frame.source == "W-A", "text"]) == ["Guru datang. Siswa belajar.", "Tidak ada label pembicara."]


def test_several_bad_files_are_all_reported(mini_corpus: Path, tmp_path: Path, config) -> None:
    (mini_corpus / "W-A.txt").write_bytes(b"")
    (mini_corpus / "W-B.vtt").write_bytes(b"\x00\x01\x02\x03" * 50)
    with pytest.raises(BatchIngestError) as raised:
        _ingest(mini_corpus, tmp_path / "proj", config)
    assert "W-A.txt" in str(raised.value) and "W-B.vtt" in str(raised.value)
    assert _counts(tmp_path / "proj") == (0, 0)


def test_non_utf8_is_decoded_as_cp1252_with_a_warning(mini_corpus: Path, tmp_path: Path, config) -> None:
    (mini_corpus / "W-A.txt").write_bytes("P: Apa kabar?\nI: Baik, caf\u00e9 dekat sekolah.\n".encode("cp1252"))
    report = _ingest(mini_corpus, tmp_path / "proj", config)
    assert any("W-A.txt" in w and "line 2" in w and "Windows-1252" in w for w in report.warnings)
    with Store.open(tmp_path / "proj") as store:
        assert "café" in store._db.execute("SELECT text FROM sources WHERE name = 'W-A'").fetchone()[0]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le"])
def test_bom_and_utf16_are_detected(mini_corpus: Path, tmp_path: Path, config, encoding: str) -> None:
    text = "P: Bagaimana KKG?\r\nI: Bagus, kami berbagi modul ajar.\r\n"
    (mini_corpus / "W-A.txt").write_bytes(text.encode(encoding))
    report = _ingest(mini_corpus, tmp_path / "proj", config)
    assert not report.warnings
    with Store.open(tmp_path / "proj") as store:
        stored = store._db.execute("SELECT text FROM sources WHERE name = 'W-A'").fetchone()[0]
    assert stored == text.replace("\r\n", "\n")


def test_manifest_row_naming_missing_file(mini_corpus: Path, tmp_path: Path, config) -> None:
    (mini_corpus / "W-C.srt").unlink()
    with pytest.raises(ManifestError) as raised:
        _ingest(mini_corpus, tmp_path / "proj", config)
    assert "manifest.csv, line 4, 'file'" in str(raised.value) and "W-C.srt" in str(raised.value)


@pytest.mark.parametrize("row, words", [
    ({"file": "W-A.txt", "method": "survei", "informant": "G1"}, "unknown method 'survei'"),
    ({"file": "W-A.txt", "method": "wawancara", "informant": "G1", "role": "kepsek"}, "unknown role 'kepsek'"),
    ({"file": "W-A.txt", "method": "wawancara", "informant": "G1", "date": "31/02/2024"}, "is not a date"),
    ({"file": "W-A.txt", "method": "wawancara"}, "needs an informant"),
])
def test_malformed_manifest_rows(mini_corpus: Path, tmp_path: Path, config, row: dict, words: str) -> None:
    write_manifest(mini_corpus, [row])
    with pytest.raises(ManifestError) as raised:
        _ingest(mini_corpus, tmp_path / "proj", config)
    assert "line 2" in str(raised.value) and words in str(raised.value)


def test_manifest_with_unknown_column(mini_corpus: Path, tmp_path: Path, config) -> None:
    manifest = mini_corpus / "manifest.csv"
    lines = manifest.read_text(encoding="utf-8").splitlines()
    manifest.write_text("\n".join([lines[0] + ",usia"] + [line + ",40" for line in lines[1:]]) + "\n",
                        encoding="utf-8")
    with pytest.raises(ManifestError) as raised:
        _ingest(mini_corpus, tmp_path / "proj", config)
    assert "line 1" in str(raised.value) and "unknown column 'usia'" in str(raised.value)


def test_yaml_manifest_reports_lines(mini_corpus: Path, tmp_path: Path, config) -> None:
    (mini_corpus / "manifest.csv").unlink()
    (mini_corpus / "manifest.yaml").write_text(
        "sources:\n  - file: W-A.txt\n    method: wawancara\n    informant: G1\n"
        "  - file: O-H.md\n    method: catatan\n", encoding="utf-8")
    with pytest.raises(ManifestError) as raised:
        _ingest(mini_corpus, tmp_path / "proj", config)
    assert "manifest.yaml, line 5" in str(raised.value) and "catatan" in str(raised.value)


def test_unsupported_format_and_unlisted_files(mini_corpus: Path, tmp_path: Path, config) -> None:
    shutil.copy(mini_corpus / "W-A.txt", mini_corpus / "extra.txt")
    _, warnings = resolve_batch([mini_corpus], config)
    assert any("extra.txt" in w and "not in the manifest" in w for w in warnings)
    (mini_corpus / "W-A.pdf").write_bytes(b"%PDF-1.4")
    write_manifest(mini_corpus, [{"file": "W-A.pdf", "method": "dokumen"}])
    with pytest.raises(UnsupportedFormat, match="W-A.pdf"):
        _ingest(mini_corpus, tmp_path / "proj", config)


def test_demo_corpus_matches_gold_keys(tmp_path: Path, config) -> None:
    import csv

    from tests.conftest import DEMO

    report = _ingest(DEMO, tmp_path / "demo", config)
    assert len(report.added) == 32 and not report.warnings
    with Store.open(tmp_path / "demo") as store:
        frame = excerpts_frame(store)
    with open(DEMO / "gold.csv", encoding="utf-8") as handle:
        gold = {row["key"] for row in csv.DictReader(handle)}
    assert set(frame["key"]) == gold
    interviews = frame[frame.method == "wawancara"]
    assert interviews.groupby("informant")["n_words"].sum().min() >= 1000
    assert set(interviews["role"]) == {"kepala_sekolah", "guru"}


def test_streamed_excerpts_match_the_frame(mini_corpus: Path, tmp_path: Path, config) -> None:
    from pipeline.store.excerpts import iter_excerpt_texts

    _ingest(mini_corpus, tmp_path / "proj", config)
    with Store.open(tmp_path / "proj") as store:
        streamed = dict(iter_excerpt_texts(store, batch_size=3))
        frame = excerpts_frame(store)
    assert streamed == dict(zip(frame["excerpt_id"], frame["text"]))
