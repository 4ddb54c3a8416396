"""What is not content: front matter and header blocks become metadata; page numbers, running headers and footers
and appendix titles are in no unit; offsets stay exact for every character kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ingest.noncontent import scan
from pipeline.ingest.readers import read_source
from pipeline.records import SourceMeta
from tests.ingest_formats_support import check_fixture, fixture_names


@pytest.mark.parametrize("name", fixture_names("header-metadata"))
def test_header_blocks_and_front_matter_are_metadata(name: str, config) -> None:  # type: ignore[no-untyped-def]
    parsed = check_fixture("header-metadata", name, config)
    if parsed.format == "docx":  # a Word metadata table is not rendered into the text at all
        assert not any(value in u.text for _, value in parsed.metadata for u in parsed.units)
        return
    dropped = dict(parsed.dropped)
    lines = parsed.text.split("\n")
    for key, _ in parsed.metadata:  # every metadata line is dropped, so no unit holds it
        number = next(i for i, line in enumerate(lines, start=1) if line.lstrip().lower().startswith(key.lower()))
        assert dropped[number] in ("header", "front matter")


def test_front_matter_lines_are_dropped(config) -> None:  # type: ignore[no-untyped-def]
    parsed = check_fixture("header-metadata", "W-yaml-perangkat-desa", config)
    assert [line for line, reason in parsed.dropped if reason == "front matter"] == [1, 2, 3, 4, 5, 6]


def test_header_definitions_name_the_interviewer(config) -> None:  # type: ignore[no-untyped-def]
    parsed = check_fixture("header-metadata", "W-definisi-label", config)
    assert dict(parsed.speakers) == {"R1": "interviewer", "KS": "informant"}  # neither is in the dictionary


@pytest.mark.parametrize("name", fixture_names("pdf-paste"))
def test_pdf_pastes(name: str, config) -> None:  # type: ignore[no-untyped-def]
    parsed = check_fixture("pdf-paste", name, config)
    lines = parsed.text.split("\n")
    for line, reason in parsed.dropped:
        start = sum(len(x) + 1 for x in lines[:line - 1])
        assert not any(u.start < start + len(lines[line - 1]) and start < u.end for u in parsed.units), reason


def test_page_numbers_and_running_lines_are_named(config) -> None:  # type: ignore[no-untyped-def]
    parsed = check_fixture("pdf-paste", "W-pdf-pengungsi", config)
    reasons = dict(parsed.dropped)
    assert reasons[8] == "page number" and reasons[9] == reasons[1] == "running header/footer"
    assert parsed.units[4].continued  # the answer ran over the page break: two parts, one answer
    reasons = dict(check_fixture("pdf-paste", "W-pdf-buruh-pabrik", config).dropped)
    assert reasons[7] == "page number"


def test_a_wrapped_hyphenated_word_stays_in_its_turn(config) -> None:  # type: ignore[no-untyped-def]
    parsed = check_fixture("pdf-paste", "W-pdf-pengungsi", config)
    assert "de-\nmam" in parsed.units[1].text


def test_one_informan_line_is_a_turn_not_a_header() -> None:
    found = scan(["Informan: Iya, betul.", "P: Lalu?"], transcript=True)
    assert not found.metadata and not found.dropped


def test_paragraph_notes_lose_front_matter_and_page_numbers(tmp_path: Path, config) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "O-pasar.md"
    path.write_text("---\ntanggal: 2024-05-02\n---\nPedagang mulai datang pukul tiga.\n\n7\n\nLampu pasar masih "
                    "mati.\n", encoding="utf-8")
    parsed = read_source(SourceMeta(path=str(path), method="observasi"), config.ingest)
    assert [u.text for u in parsed.units] == ["Pedagang mulai datang pukul tiga.", "Lampu pasar masih mati."]
    assert dict(parsed.metadata) == {"tanggal": "2024-05-02"}


def test_a_lone_informan_name_line_above_the_turns_is_metadata() -> None:
    found = scan(["Informan: Bu Sari Wulandari", "", "P: Sudah lama, Bu?", "I: Dua puluh tahun."], transcript=True)
    assert found.metadata == (("Informan", "Bu Sari Wulandari"),) and found.dropped == {1: "header"}
    turns = scan(["Informan: Bu Sari", "P: Lalu?", "Informan: Ya begitu."], transcript=True)
    assert not turns.metadata  # the label opens other lines: it is a speaker


def test_an_answer_over_a_page_break_keeps_one_turn_number(config) -> None:  # type: ignore[no-untyped-def]
    from pipeline import excerpts as excerpt_stage

    parsed = check_fixture("pdf-paste", "W-pdf-pengungsi", config)
    found = excerpt_stage.run(parsed, "W", config.excerpts)
    assert [e.key for e in found] == ["W:002", "W:004.1", "W:004.2", "W:006", "W:008"]
    assert found[1].context == found[2].context == "Bantuan apa yang paling dibutuhkan waktu itu?"


HEADER_WITH_TURN_LABELS = """TRANSKRIP WAWANCARA
Narasumber : Ibu Dewi Kartika, S.Pd (Guru Kelas IV)
Pewawancara : Rina (mahasiswa)
Tempat/Waktu : SDN 2 Sukamaju, 3 Maret 2024

Pewawancara : Assalamualaikum bu, terima kasih sudah meluangkan waktu.
Narasumber : Waalaikumsalam, iya mbak sama-sama.
Pewawancara : Bagaimana pengalaman ibu mengikuti KKG?
Narasumber : Kadang bermanfaat kadang nggak. Kalau materinya pas
sama kebutuhan di kelas sih enak.
"""


def test_a_header_that_uses_the_turn_labels_is_metadata_not_a_turn(tmp_path: Path, config) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "W-dewi.txt"
    path.write_text(HEADER_WITH_TURN_LABELS, encoding="utf-8")
    parsed = read_source(SourceMeta(path=str(path), method="wawancara", informant="G1"), config.ingest)
    answers = [parsed.text[u.start:u.end] for u in parsed.units if not u.is_interviewer]
    assert answers[0].startswith("Waalaikumsalam") and len(answers) == 2
    assert dict(parsed.metadata)["Tempat/Waktu"] == "SDN 2 Sukamaju, 3 Maret 2024"
    assert "Ibu Dewi Kartika" not in " ".join(parsed.text[u.start:u.end] for u in parsed.units)
