"""Every supported format parses into units whose offsets select exactly their text."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import excerpts as excerpt_stage
from pipeline.ingest import load_manifest, read_source

EXPECTED = {  # file -> (format, kind, [(speaker, is_interviewer, text)] for the first units)
    "W-A.txt": ("txt", "transcript", [("P", True, "Selamat pagi, Bu. Sudah lama mengajar di sini?")]),
    "W-B.vtt": ("vtt", "transcript", [("Peneliti", True, "Bu, medianya bikin sendiri?"),
                                      ("Bu Rina", False, "Iya, dari kardus bekas gitu. Anak-anak seneng banget [tertawa].")]),
    "W-C.srt": ("srt", "transcript", [("Peneliti", True, "Pak, sering ikut KKG?"),
                                      ("Pak Ujang", False, "Nggak pernah ikut, jujur aja. Sekolah saya jauh, jalannya rusak.")]),
    "W-D.csv": ("csv", "transcript", [("Peneliti", True, "Bagaimana PKG tahun ini?")]),
    "W-E.xlsx": ("xlsx", "transcript", [("Peneliti", True, "Ada supervisi dari pengawas?")]),
    "W-F.docx": ("docx", "transcript", [("P", True, "Sertifikasinya sudah, Bu?"),
                                        ("I", False, "Belum, masih nunggu PPG.\nMudah-mudahan tahun depan.")]),
    "W-G.docx": ("docx", "transcript", [("P", True, "Apa kendala KKG?"), ("I", False, "Pemandunya itu-itu saja.")]),
    "O-H.md": ("md", "paragraphs", [(None, False, "07.15 Guru membuka pelajaran dengan salam dan doa. "
                                                  "Siswa duduk berkelompok empat orang.")]),
    "D-I.docx": ("docx", "paragraphs", [(None, False, "Rapat dihadiri 14 guru.")]),
}


@pytest.fixture
def metas(mini_corpus: Path, config):  # type: ignore[no-untyped-def]
    return {Path(m.path).name: m for m in load_manifest(mini_corpus / "manifest.csv", config.ingest)}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_units_and_offsets(name: str, metas, config) -> None:  # type: ignore[no-untyped-def]
    parsed = read_source(metas[name], config.ingest)
    fmt, kind, first = EXPECTED[name]
    assert (parsed.format, parsed.kind) == (fmt, kind)
    assert [(u.speaker, u.is_interviewer, u.text) for u in parsed.units[:len(first)]] == first
    for unit in parsed.units:
        assert parsed.text[unit.start:unit.end] == unit.text
        for span in unit.annotations:
            assert parsed.text[span.start:span.end] == f"[{span.label}]" or span.label in parsed.text[span.start:span.end]
    found = excerpt_stage.run(parsed, Path(name).stem, config.excerpts)
    assert found, "every test file yields excerpts"
    for excerpt in found:
        assert parsed.text[excerpt.start:excerpt.end] == excerpt.text


def test_txt_transcript_details(metas, config) -> None:  # type: ignore[no-untyped-def]
    parsed = read_source(metas["W-A.txt"], config.ingest)
    answer = parsed.units[1]
    assert answer.timestamp == "00:10" and parsed.units[0].timestamp == "00:00:03"
    assert answer.text.endswith("diangkat tahun 2015.")  # the continuation line belongs to the turn
    assert [a.label for a in answer.annotations] == ["tertawa"]
    assert [a.label for a in parsed.units[3].annotations] == ["jeda"]
    found = excerpt_stage.run(parsed, "W-A", config.excerpts)
    assert [e.key for e in found] == ["W-A:002", "W-A:004"]
    assert found[1].context == "Kalau ikut KKG gimana, Bu?"  # the question the answer responds to


def test_heading_is_not_a_unit(metas, config) -> None:  # type: ignore[no-untyped-def]
    parsed = read_source(metas["O-H.md"], config.ingest)
    assert len(parsed.units) == 2
    assert [a.label for a in parsed.units[1].annotations] == ["foto terlampir"]


def test_long_turn_split_into_sentence_windows(tmp_path: Path, config) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from pipeline.records import SourceMeta

    sentence = "Kami belajar membuat modul ajar bersama di KKG setiap bulan sekali."
    path = tmp_path / "W-LONG.txt"
    path.write_text("P: Ceritakan, Bu.\nI: " + " ".join([sentence] * 30) + "\n", encoding="utf-8")
    parsed = read_source(SourceMeta(path=str(path), method="wawancara", informant="X"), config.ingest)
    found = excerpt_stage.run(parsed, "W-LONG", replace(config.excerpts, max_words=50))
    assert [e.key for e in found][:2] == ["W-LONG:002.1", "W-LONG:002.2"]
    assert all(len(e.text.split()) <= 50 for e in found)
    assert all(e.text.endswith(".") and e.text.startswith("Kami") for e in found)  # cut at sentence boundaries
    assert " ".join(e.text for e in found) == parsed.units[1].text
