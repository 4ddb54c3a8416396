"""Pseudonymisation: name forms, replacement with offsets kept, and no real name in any default export."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pandas as pd

from pipeline.export.offsets import OffsetMap, align, crlf_map
from pipeline.export.privacy import Pseudonymiser, clean_name, name_forms
from tests.conftest import DEMO
from tests.export_fixtures import demo_exports, demo_project  # noqa: F401  (fixtures)

PEOPLE = [("KS01", "Drs. Wahyu Hidayat, M.Pd."), ("G02", "Rina Marlina, S.Pd."), ("G04", "Hj. Euis Rohaeti"),
          ("G05", "Asep Saepudin S.Pd.SD"), ("G09", "Asep Kurnia"), ("G10", None)]


def test_clean_name_strips_titles_and_degrees() -> None:
    assert clean_name("Drs. Wahyu Hidayat, M.Pd.") == "Wahyu Hidayat"
    assert clean_name("Hj. Euis Rohaeti, S.Pd.") == "Euis Rohaeti"
    assert clean_name("Asep Saepudin S.Pd.SD") == "Asep Saepudin"
    assert clean_name("Prof. Dr. Ir. Siti Aminah") == "Siti Aminah"
    alone, after_honorific = name_forms("Drs. Wahyu Hidayat, M.Pd.")
    assert set(alone) == {"Drs. Wahyu Hidayat, M.Pd.", "Wahyu Hidayat", "Wahyu"}
    assert set(after_honorific) == {"Wahyu Hidayat", "Wahyu", "Hidayat"}


def test_every_form_becomes_the_pseudonym() -> None:
    privacy = Pseudonymiser.from_informants(PEOPLE)
    text = ("Kata Pak Wahyu, Bu Rina dan Drs. Wahyu Hidayat, M.Pd. setuju. pak  hidayat juga. Rina bilang iya; "
            "BU EUIS datang. Teh Rina, Ibu Rohaeti.")
    assert privacy.text(text) == ("Kata [KS01], [G02] dan [KS01] setuju. [KS01] juga. [G02] bilang iya; "
                                  "[G04] datang. [G02], [G04].")


def test_words_that_merely_contain_a_name_are_left_alone() -> None:
    privacy = Pseudonymiser.from_informants(PEOPLE)
    text = "Marina, Rinai, Wahyudi dan Hidayatullah hadir; rahmat Allah."
    assert privacy.text(text) == text
    assert privacy.text("Hidayat datang") == "Hidayat datang"  # a surname alone is a common word: only after a title


def test_a_short_form_shared_by_two_informants_names_neither() -> None:
    privacy = Pseudonymiser.from_informants(PEOPLE)
    assert privacy.text("Pak Asep sudah pulang.") == "[G05/G09] sudah pulang."
    assert privacy.text("Asep Kurnia sudah pulang.") == "[G09] sudah pulang."


def test_disabled_pseudonymiser_changes_nothing() -> None:
    privacy = Pseudonymiser.from_informants(PEOPLE, enabled=False)
    assert privacy.text("Pak Wahyu") == "Pak Wahyu"
    assert privacy.text_with_map("Pak Wahyu")[1].blocks == ((0, 0, 9),)


def test_offsets_are_carried_through_the_replacement() -> None:
    privacy = Pseudonymiser.from_informants(PEOPLE)
    text = "P: Pagi, Pak Wahyu.\nI: Pagi. Saya guru kelas lima, Bu Rina yang kelas enam.\n"
    new, offsets = privacy.text_with_map(text)
    for word in ("Pagi. Saya guru kelas lima", "yang kelas enam.", "P: Pagi, "):
        start = text.index(word)
        assert new[offsets.start(start):offsets.end(start + len(word))] == word
    turn_start, turn_end = text.index("I: "), len(text) - 1
    assert new[offsets.start(turn_start):offsets.end(turn_end)] == privacy.text(text[turn_start:turn_end])
    name = text.index("Wahyu")  # a range starting inside a replaced name covers the whole pseudonym
    assert new[offsets.start(name):offsets.end(name + 2)] == "[KS01]"


def test_offset_maps_align_crlf_and_edited_copies() -> None:
    normalised, crlf = crlf_map("satu\r\ndua\r\ntiga")
    assert normalised == "satu\ndua\ntiga"
    assert normalised[crlf.start(6):crlf.end(9)] == "dua" and crlf.span(11, 15) == (9, 13)
    a = "Kata Pak Wahyu, jadwalnya bentrok.\nLalu rapat."
    b = "Kata [KS01], jadwalnya bentrok.\nLalu rapat."
    aligned = align(a, b)
    start = a.index("jadwalnya")
    assert b[aligned.start(start):aligned.end(start + 17)] == "jadwalnya bentrok"
    assert b[slice(*aligned.span(0, len(a)))] == b
    assert OffsetMap.identity(5).span(1, 4) == (1, 4)


def _names(real_name: str) -> list[str]:
    alone, _ = name_forms(real_name)
    return alone


def _export_texts(folder: Path) -> dict[str, str]:
    texts = {}
    for path in folder.rglob("*"):
        if path.suffix in (".csv", ".html", ".qdc"):
            texts[path.name] = path.read_text(encoding="utf-8-sig")
        elif path.suffix in (".xlsx", ".qdpx"):
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    texts[f"{path.name}:{member}"] = archive.read(member).decode("utf-8")
    return texts


def test_no_real_name_from_the_manifest_in_any_default_export(demo_exports: dict[str, Path]) -> None:
    manifest = pd.read_csv(DEMO / "manifest.csv", keep_default_na=False)
    names = [n for n in manifest["name"] if n]
    forms = {form for name in names for form in _names(name)}
    assert {"Dadang", "Rina", "Wahyu Hidayat"} <= forms
    texts = _export_texts(demo_exports["default"])
    assert len(texts) > 20 and any(name.startswith("reduksi.qdpx:sources/") for name in texts)
    leaks = [(file, form) for file, text in texts.items() for form in forms
             if re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text, re.IGNORECASE)]
    assert leaks == []
    assert any("[G01]" in text for text in texts.values())  # the demo mentions Pak Dadang (G01)


def test_real_names_only_with_the_flag(demo_exports: dict[str, Path]) -> None:
    texts = _export_texts(demo_exports["real"])
    assert any("Pak Dadang" in text for text in texts.values())
    assert any("Drs. Wahyu Hidayat, M.Pd." in text for name, text in texts.items() if name.endswith("project.qde"))
    assert "PERHATIAN" in texts["laporan.html"]


def test_informants_without_a_name_are_skipped() -> None:
    privacy = Pseudonymiser.from_informants([("G1", float("nan")), ("G2", None), ("G3", "")])
    assert privacy.text("Pak Asep datang") == "Pak Asep datang" and privacy.pattern is None


def test_a_name_inferred_from_a_header_line_never_replaces_honorifics_or_roles() -> None:
    from pipeline.export.privacy import Pseudonymiser, name_forms

    assert name_forms("Pak Darto (GR02), guru Matematika")[1] == ["Darto"]
    assert name_forms("Ibu Ratna (guru Bahasa Indonesia)")[1] == ["Ratna"]
    assert name_forms("Pak") == ([], [])
    privacy = Pseudonymiser.from_informants([("GR02", "Pak Darto (GR02), guru Matematika"),
                                             ("GR03", "Ibu Ratna (guru Bahasa Indonesia)")])
    text = "Kemarin Pak Yusuf bilang, Ibu Ratna dan Pak Darto ikut pelajaran Bahasa Indonesia. Ibu guru hadir."
    assert privacy.text(text) == ("Kemarin Pak Yusuf bilang, [GR03] dan [GR02] ikut pelajaran Bahasa Indonesia. "
                                  "Ibu guru hadir.")  # an honorific with the name goes with it; alone it stays
