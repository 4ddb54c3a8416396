"""Verbatim tables, line-numbered transcripts and numbered questions: speakers, roles, exact offsets, memos."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ingest.readers import read_source
from pipeline.records import SourceMeta
from tests.conftest import write_docx_table
from tests.ingest_formats_support import check_fixture, fixture_names


@pytest.mark.parametrize("name", fixture_names("verbatim-table"))
def test_verbatim_tables(name: str, config) -> None:  # type: ignore[no-untyped-def]
    parsed = check_fixture("verbatim-table", name, config)
    assert parsed.convention == "verbatim-table"


def test_coding_column_is_a_memo_never_informant_text(config) -> None:  # type: ignore[no-untyped-def]
    parsed = check_fixture("verbatim-table", "W-kepala-sekolah-tab", config)
    memos = [(u.text[:12], u.memo) for u in parsed.units if u.memo]
    assert memos[0] == ("Pagi. Kami m", "Implementasi bertahap") and len(memos) == 5
    assert not any("Implementasi bertahap" in u.text for u in parsed.units)
    # the line numbers between two rows of one turn are in no unit
    assert parsed.units[2].continued and parsed.text[parsed.units[1].end:parsed.units[2].start].strip().startswith(
        "Implementasi bertahap")


def test_word_verbatim_table_joins_rows_of_one_turn_and_keeps_memos(config) -> None:  # type: ignore[no-untyped-def]
    parsed = check_fixture("verbatim-table", "W-pustakawan-docx", config)
    assert parsed.units[1].memo == "kunjungan rendah"
    assert parsed.units[5].memo == "anggaran\npreferensi bacaan"
    assert dict(parsed.metadata) == {"Kode informan": "PST-01"}


def test_two_column_word_table_still_reads(tmp_path: Path, config) -> None:  # type: ignore[no-untyped-def]
    path = write_docx_table(tmp_path / "W-T.docx", [("Pembicara", "Ucapan"), ("Penanya", "Sudah lama di sini?"),
                                                   ("Bu Ani", "Baru dua tahun."), ("Penanya", "Betah?"),
                                                   ("Bu Ani", "Betah, Mas.")])
    parsed = read_source(SourceMeta(path=str(path), method="wawancara", informant="A"), config.ingest)
    assert [(u.speaker, u.role) for u in parsed.units][:2] == [("Penanya", "interviewer"), ("Bu Ani", "informant")]


@pytest.mark.parametrize("name", fixture_names("line-numbered"))
def test_line_numbered_verbatim(name: str, config) -> None:  # type: ignore[no-untyped-def]
    parsed = check_fixture("line-numbered", name, config)
    assert parsed.convention == "line-numbered"
    assert not any(u.text[:1].isdigit() for u in parsed.units)


@pytest.mark.parametrize("name", fixture_names("numbered-questions"))
def test_numbered_questions(name: str, config) -> None:  # type: ignore[no-untyped-def]
    parsed = check_fixture("numbered-questions", name, config)
    assert parsed.convention == "numbered-questions"
    assert all(u.speaker == "Pertanyaan" for u in parsed.units if u.is_interviewer)
    assert not any(u.text.startswith(("-", "•", ">")) for u in parsed.units)


def test_a_numbered_question_may_wrap(config) -> None:  # type: ignore[no-untyped-def]
    parsed = check_fixture("numbered-questions", "W-guru-bk", config)
    question = "Apa langkah pertama yang Ibu ambil setelah ada laporan? Mohon dijelaskan\nsecara rinci."
    assert parsed.units[2].text == question
