"""Roles: dictionary, header definitions, manifest override, inference by who asks; recorded per speaker."""

from __future__ import annotations

from pathlib import Path

from pipeline.ingest.readers import read_source
from pipeline.ingest.roles import INFORMANT, INTERVIEWER, assign_roles, evidence
from pipeline.records import SourceMeta


def _read(tmp_path: Path, text: str, config, **meta):  # type: ignore[no-untyped-def]
    path = tmp_path / "W-x.txt"
    path.write_text(text, encoding="utf-8")
    return read_source(SourceMeta(path=str(path), method="wawancara", informant="X", **meta), config.ingest)


def test_dictionary_wins_over_question_share() -> None:
    turns = [("Peneliti", "Baik."), ("Bu Ani", "Kenapa, Mas?"), ("Peneliti", "Tidak apa-apa.")]
    assert assign_roles(turns, evidence(("Peneliti",), ())) == {"Peneliti": INTERVIEWER, "Bu Ani": INFORMANT}


def test_without_a_known_interviewer_the_one_who_asks_is_the_interviewer() -> None:
    turns = [("Ani", "Halo."), ("Budi", "Sudah lama di sini?"), ("Ani", "Lima tahun."), ("Budi", "Betah?"),
             ("Ani", "Betah.")]
    assert assign_roles(turns, evidence((), ())) == {"Ani": INFORMANT, "Budi": INTERVIEWER}


def test_i_and_r_as_interviewer_and_respondent(tmp_path: Path, config) -> None:  # type: ignore[no-untyped-def]
    parsed = _read(tmp_path, "I: Sudah lama bertani, Pak?\nR: Sejak muda.\nI: Apa tanamannya?\nR: Padi.\n", config)
    assert dict(parsed.speakers) == {"I": INTERVIEWER, "R": INFORMANT}


def test_manifest_interviewer_column_overrides(tmp_path: Path, config) -> None:  # type: ignore[no-untyped-def]
    text = "P: Kapan mulai?\nI: Tahun lalu.\nP: Kenapa?\nI: Disuruh.\n"
    parsed = _read(tmp_path, text, config, interviewer_labels=("I",))
    assert dict(parsed.speakers) == {"P": INFORMANT, "I": INTERVIEWER}


def test_a_name_given_in_the_header_makes_its_label_the_interviewer(tmp_path: Path, config) -> None:  # type: ignore[no-untyped-def]
    text = ("Pewawancara : Dewi Lestari\nNarasumber : Pak Anton\nTanggal : 3 Mei 2024\n\n"
            "Dewi: Pagi, Pak.\nAnton: Pagi.\nDewi: Sehat?\nAnton: Alhamdulillah.\n")
    parsed = _read(tmp_path, text, config)
    assert dict(parsed.speakers) == {"Dewi": INTERVIEWER, "Anton": INFORMANT}


def test_tanya_jawab_and_a_one_off_saya_in_speech(tmp_path: Path, config) -> None:  # type: ignore[no-untyped-def]
    parsed = _read(tmp_path, "P: Apa kabar?\nI: Baik.\nSaya: ini kalimat, bukan label.\nP: Lalu?\nI: Ya.\n", config)
    assert dict(parsed.speakers) == {"P": INTERVIEWER, "I": INFORMANT}


def test_two_researchers_who_both_ask_are_both_interviewers(tmp_path: Path, config) -> None:  # type: ignore[no-untyped-def]
    text = ("**Hari/Tanggal:** Rabu, 6 Maret 2024\n\nP1: Boleh kami mulai?\nI: Silakan.\nP2: Sudah berapa lama?\n"
            "I: Sebelas tahun.\nP1: Apa tugas terberat?\nI: Ngurus bantuan.\nP2: Kenapa?\nI: Datanya salah.\n")
    parsed = _read(tmp_path, text, config)
    assert dict(parsed.speakers) == {"P1": INTERVIEWER, "I": INFORMANT, "P2": INTERVIEWER}
    assert parsed.metadata == (("Hari/Tanggal", "Rabu, 6 Maret 2024"),)  # a bold header key


def test_prompts_without_a_question_mark_still_ask(tmp_path: Path, config) -> None:  # type: ignore[no-untyped-def]
    text = ("Rina: Ceritakan awal usaha laundry ini.\nWati: Awalnya bantu tetangga.\n"
            "Rina: Jelaskan cara menentukan harga.\nWati: Lihat harga lain.\nRina: Coba ceritakan kendalanya.\n"
            "Wati: Listrik, Mbak.\n")
    assert dict(_read(tmp_path, text, config).speakers) == {"Rina": INTERVIEWER, "Wati": INFORMANT}


def test_a_legend_defines_labels_and_a_title_line_is_no_speaker(tmp_path: Path, config) -> None:  # type: ignore[no-untyped-def]
    text = ("Lampiran 3\nTRANSKRIP WAWANCARA\nInforman 1 (Guru Kelas)\nKeterangan: W = Peneliti; GK = Informan 1\n\n"
            "W : Sudah lama mengajar?\nGK : Sejak 2009.\nW : Muridnya?\nGK : Semangat.\n")
    parsed = _read(tmp_path, text, config)
    assert dict(parsed.speakers) == {"W": INTERVIEWER, "GK": INFORMANT}
    assert dict(parsed.dropped)[4] == "legend" and parsed.units[0].text == "Sudah lama mengajar?"
