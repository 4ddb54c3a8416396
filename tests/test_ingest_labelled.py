"""Labelled turns, one test per convention: speakers, roles and exact offsets on the hand-written fixtures, plus the
detail each convention is about."""

from __future__ import annotations

import pytest

from tests.ingest_formats_support import check_fixture, fixture_names


@pytest.mark.parametrize("name", fixture_names("colon-labels"))
def test_colon_labels(name: str, config) -> None:  # type: ignore[no-untyped-def]
    parsed = check_fixture("colon-labels", name, config)
    assert parsed.convention == "colon-labels"


def test_colon_labels_any_spacing_and_a_defined_abbreviation(config) -> None:  # type: ignore[no-untyped-def]
    parsed = check_fixture("colon-labels", "W-guru-honorer", config)
    # `Peneliti (P):` opens; `P :` and `P:` later are the same speaker
    assert {u.speaker for u in parsed.units if u.is_interviewer} == {"Peneliti (P)"}
    assert parsed.dropped == ((1, "before the first turn"),)


def test_a_typo_in_a_label_is_read_as_the_label_with_a_warning(config) -> None:  # type: ignore[no-untyped-def]
    parsed = check_fixture("colon-labels", "W-pengrajin-batik", config)
    assert any("'Pewawancra' read as 'Pewawancara'" in w for w in parsed.warnings)


def test_saya_is_the_researcher_and_names_alone_are_told_apart_by_who_asks(config) -> None:  # type: ignore[no-untyped-def]
    assert dict(check_fixture("colon-labels", "W-petani-kopi", config).speakers)["Saya"] == "interviewer"
    assert dict(check_fixture("colon-labels", "W-nama-saja", config).speakers) == {"Dewi": "interviewer",
                                                                                  "Anton": "informant"}


@pytest.mark.parametrize("name", fixture_names("label-lines"))
def test_label_alone_on_its_line(name: str, config) -> None:  # type: ignore[no-untyped-def]
    parsed = check_fixture("label-lines", name, config)
    assert parsed.convention == "label-lines"
    assert all(not u.text.startswith(("\n", " ")) for u in parsed.units)


def test_a_turn_after_a_bare_label_keeps_its_paragraphs(config) -> None:  # type: ignore[no-untyped-def]
    parsed = check_fixture("label-lines", "W-bidan-desa", config)
    assert "\n\nSekarang sudah mendingan" in parsed.units[3].text


@pytest.mark.parametrize("name", fixture_names("quoted-labels"))
def test_label_without_colon_before_a_quoted_turn(name: str, config) -> None:  # type: ignore[no-untyped-def]
    parsed = check_fixture("quoted-labels", name, config)
    assert parsed.convention == "quoted-labels"
    assert not any(u.text.startswith(("“", '"')) or u.text.endswith(("”", '"')) for u in parsed.units)


def test_labels_defined_in_the_header_give_roles_and_metadata(config) -> None:  # type: ignore[no-untyped-def]
    parsed = check_fixture("quoted-labels", "W-kepala-desa", config)
    assert dict(parsed.metadata)["Interviewer ( P)"] == "Nur Aisyah"
    assert (1, "appendix title") in parsed.dropped and (2, "header") in parsed.dropped


@pytest.mark.parametrize("name", fixture_names("inline-turns"))
def test_several_turns_on_one_line(name: str, config) -> None:  # type: ignore[no-untyped-def]
    parsed = check_fixture("inline-turns", name, config)
    lines = [parsed.text.count("\n", 0, u.start) for u in parsed.units]
    assert len(lines) > len(set(lines))  # some line holds more than one turn


@pytest.mark.parametrize("name", fixture_names("qa-markers"))
def test_question_and_answer_markers(name: str, config) -> None:  # type: ignore[no-untyped-def]
    parsed = check_fixture("qa-markers", name, config)
    assert all(u.text.rstrip().endswith("?") for u in parsed.units if u.is_interviewer)


@pytest.mark.parametrize("name", fixture_names("focus-group"))
def test_focus_group_informants_each_attributed(name: str, config) -> None:  # type: ignore[no-untyped-def]
    parsed = check_fixture("focus-group", name, config)
    assert parsed.convention == "focus-group"
    assert sum(role == "informant" for _, role in parsed.speakers) >= 3


@pytest.mark.parametrize("name", fixture_names("timestamps"))
def test_timestamps_before_or_after_the_label(name: str, config) -> None:  # type: ignore[no-untyped-def]
    parsed = check_fixture("timestamps", name, config)
    assert all(u.timestamp for u in parsed.units)
    assert not any(u.text.startswith(("[", "(")) or u.text[:1].isdigit() for u in parsed.units)


def test_timestamp_forms_are_kept_as_written(config) -> None:  # type: ignore[no-untyped-def]
    stamps = [u.timestamp for u in check_fixture("timestamps", "W-penjahit", config).units]
    assert stamps[:2] == ["00.05", "00.11"] and stamps[-1] == "00:02"
    assert check_fixture("timestamps", "W-satpam", config).units[1].timestamp == "00:00:08"


def _read_interview(folder, config, text: str):  # type: ignore[no-untyped-def]
    from pipeline.ingest.readers import read_source
    from pipeline.records import SourceMeta

    path = folder / "W-x.txt"
    path.write_text(text, encoding="utf-8")
    return read_source(SourceMeta(path=str(path), method="wawancara", informant="X"), config.ingest)


def test_discourse_words_and_lower_case_openers_are_speech(tmp_path, config) -> None:  # type: ignore[no-untyped-def]
    parsed = _read_interview(tmp_path, config, "P: Kendalanya apa, Bu?\nI: Banyak.\nMisalnya: dana telat.\n"
                             "jadi gini: guru capek.\nP: Lalu?\nI: Ya itu.\nMisalnya: rapat terus.\njadi gini: susah.\n")
    assert dict(parsed.speakers) == {"P": "interviewer", "I": "informant"}
    assert parsed.units[1].text == "Banyak.\nMisalnya: dana telat.\njadi gini: guru capek."


@pytest.mark.parametrize("name", fixture_names("one-sided-labels"))
def test_only_questions_or_only_answers_labelled(name: str, config) -> None:  # type: ignore[no-untyped-def]
    parsed = check_fixture("one-sided-labels", name, config)
    assert parsed.convention in ("labelled-questions", "labelled-answers")


def test_an_answer_wrapping_onto_a_line_ending_in_a_question_mark_stays_an_answer(config) -> None:  # type: ignore[no-untyped-def]
    parsed = check_fixture("one-sided-labels", "W-jawab-tukang-parkir", config)
    assert parsed.units[5].text.endswith("Kalau lebih kecil dari sekarang, gimana?")


@pytest.mark.parametrize("name", fixture_names("transcription-service"))
def test_transcription_service_speakers(name: str, config) -> None:  # type: ignore[no-untyped-def]
    parsed = check_fixture("transcription-service", name, config)
    assert all(u.timestamp for u in parsed.units)


def test_numbered_speakers_used_once_are_speakers_not_typos(config) -> None:  # type: ignore[no-untyped-def]
    parsed = check_fixture("transcription-service", "W-otter-fgd-karang-taruna", config)
    assert not parsed.warnings and parsed.convention == "focus-group"


def test_a_dash_in_place_of_the_colon(tmp_path, config) -> None:  # type: ignore[no-untyped-def]
    from pipeline.ingest.readers import read_source
    from pipeline.records import SourceMeta

    path = tmp_path / "W-x.txt"
    path.write_text("P - Sudah lama jualan online?\nI - Baru dua tahun, Kak - sejak pandemi.\nP - Apa yang dijual?\n"
                    "I - Hijab.\nJadi - begitulah.\n", encoding="utf-8")
    parsed = read_source(SourceMeta(path=str(path), method="wawancara", informant="X"), config.ingest)
    assert [u.text for u in parsed.units if not u.is_interviewer] == ["Baru dua tahun, Kak - sejak pandemi.",
                                                                      "Hijab.\nJadi - begitulah."]


def test_a_list_mark_before_a_label(tmp_path, config) -> None:  # type: ignore[no-untyped-def]
    from pipeline.ingest.readers import read_source
    from pipeline.records import SourceMeta

    path = tmp_path / "W-x.txt"
    path.write_text("- P: Sudah lama?\n- I: Lima tahun.\n- P: Betah?\n- I: Betah, Mas.\n", encoding="utf-8")
    parsed = read_source(SourceMeta(path=str(path), method="wawancara", informant="X"), config.ingest)
    assert [u.text for u in parsed.units if not u.is_interviewer] == ["Lima tahun.", "Betah, Mas."]


def test_bracketed_labels_as_pseudonymised_exports_write_them(tmp_path, config) -> None:  # type: ignore[no-untyped-def]
    """A pseudonymised export writes speakers as `[G02]:`; read back, those are still the turns."""
    parsed = _read_interview(tmp_path, config, "[P]: Bagaimana KKG bulan ini, Bu?\n[G02]: Lumayan, bahas modul ajar.\n"
                             "[P]: Ada kendala?\n[G02]: Waktunya mepet [tertawa] jadi pulang sore.\n")
    assert dict(parsed.speakers) == {"P": "interviewer", "G02": "informant"}
    answers = [u.text for u in parsed.units if not u.is_interviewer]
    assert answers == ["Lumayan, bahas modul ajar.", "Waktunya mepet [tertawa] jadi pulang sore."]
