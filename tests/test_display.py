"""Displays over small hand-made frames: verified and suggested apart, cases, matrices, framework, co-occurrence."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline import display
from pipeline.config import DisplayConfig
from pipeline.display import TOTAL

CODES = ("A-SATU", "A-DUA", "B-TIGA")


def excerpts() -> pd.DataFrame:
    rows = [  # excerpt_id, key, source, informant, role, site, method, text
        (1, "W-G1:002", "W-G1", "G1", "guru", "s1", "wawancara", "Jadwal KKG sering bentrok dengan rapat dinas."),
        (2, "W-G1:004", "W-G1", "G1", "guru", "s1", "wawancara", "Saya bikin alat peraga dari kardus bekas."),
        (3, "W-K1:002", "W-K1", "K1", "kepala_sekolah", "s2", "wawancara", "Gurunya jarang datang ke KKG."),
        (4, "O-K:001", "O-K", None, None, "s1", "observasi", "Guru menunjukkan kartu bergambar hewan."),
        (5, "W-G2:002", "W-G2", "G2", "guru", "s2", "wawancara", "Iya."),
        (6, "D-N:001", "D-N", None, None, "s2", "dokumen", "Rapat dihadiri empat belas guru."),
    ]
    frame = pd.DataFrame(rows, columns=["excerpt_id", "key", "source", "informant", "role", "site", "method", "text"])
    frame["n_words"] = frame["text"].str.split().str.len()
    return frame


def suggestions() -> pd.DataFrame:
    return pd.DataFrame([(1, "A-SATU", 0.9), (1, "B-TIGA", 0.4), (2, "A-DUA", 0.8), (3, "A-SATU", 0.7),
                         (4, "A-DUA", 0.6), (5, "A-SATU", 0.3), (6, "A-SATU", 0.5)],
                        columns=["excerpt_id", "code", "probability"])


VERIFIED = {1: frozenset({"A-SATU"}), 2: frozenset({"A-DUA", "B-TIGA"}), 4: frozenset({"A-DUA"}),
            5: frozenset()}  # 5: verified as "no code", so its suggestion no longer counts


@pytest.fixture
def evidence() -> pd.DataFrame:
    return display.evidence(excerpts(), suggestions(), VERIFIED)


def test_each_excerpt_code_is_verified_or_suggested_never_both(evidence: pd.DataFrame) -> None:
    pairs = set(zip(evidence["key"], evidence["code"], evidence["status"]))
    assert pairs == {("W-G1:002", "A-SATU", "verified"), ("W-G1:004", "A-DUA", "verified"),
                     ("W-G1:004", "B-TIGA", "verified"), ("O-K:001", "A-DUA", "verified"),
                     ("W-K1:002", "A-SATU", "suggested"), ("D-N:001", "A-SATU", "suggested")}
    # the rejected suggestion B-TIGA on excerpt 1 and the one on the "no code" excerpt 5 are gone
    assert evidence.loc[evidence["key"] == "W-G1:002", "probability"].tolist() == [0.9]


def test_cases_are_informants_then_files_without_one(evidence: pd.DataFrame) -> None:
    assert dict(zip(evidence["key"], evidence["case"]))["O-K:001"] == "O-K"
    cases = display.cases_frame(excerpts())
    assert cases["case"].tolist() == ["G1", "K1", "G2", "O-K", "D-N"]
    assert cases.set_index("case").at["O-K", "role"] == display.NO_VALUE


def test_code_by_informant_counts_and_keys_apart(evidence: pd.DataFrame) -> None:
    table = display.code_by(evidence, "case", CODES, ["G1", "K1", "G2", "O-K", "D-N"])
    assert table.index.tolist() == list(CODES)
    assert table.at["A-SATU", ("G1", "verified")] == 1 and table.at["A-SATU", ("G1", "suggested")] == 0
    assert table.at["A-SATU", ("K1", "suggested")] == 1 and table.at["A-SATU", ("K1", "suggested_keys")] == "W-K1:002"
    assert table.at["A-SATU", ("G2", "verified")] == 0 and table.at["A-SATU", ("G2", "verified_keys")] == ""
    assert table.at["A-SATU", (TOTAL, "verified")] == 1 and table.at["A-SATU", (TOTAL, "suggested")] == 2
    assert table.at["A-DUA", (TOTAL, "verified_keys")] == "W-G1:004, O-K:001"  # excerpt order
    assert table.at["B-TIGA", (TOTAL, "suggested")] == 0


def test_code_by_role_method_site(evidence: pd.DataFrame) -> None:
    roles = display.code_by(evidence, "role", CODES)
    assert roles.at["A-DUA", ("guru", "verified")] == 1 and roles.at["A-DUA", (display.NO_VALUE, "verified")] == 1
    methods = display.code_by(evidence, "method", CODES, ["wawancara", "observasi", "dokumen"])
    assert list(dict.fromkeys(methods.columns.get_level_values("value"))) == ["wawancara", "observasi", "dokumen",
                                                                              TOTAL]
    assert methods.at["A-SATU", ("dokumen", "suggested")] == 1
    sites = display.code_by(evidence, "site", CODES)
    assert sites.at["A-SATU", ("s2", "suggested")] == 2


def test_cooccurrence_counts_pairs_within_one_status(evidence: pd.DataFrame) -> None:
    table = display.cooccurrence(evidence, CODES)
    assert table.at["A-DUA", ("B-TIGA", "verified")] == 1 == table.at["B-TIGA", ("A-DUA", "verified")]
    assert table.at["A-DUA", ("A-DUA", "verified")] == 2  # diagonal: excerpts with the code
    assert table.at["A-SATU", ("A-SATU", "suggested")] == 2
    assert table.at["A-SATU", ("B-TIGA", "verified")] == 0


def test_framework_matrix_shows_strongest_verified_else_marked_suggestions(evidence: pd.DataFrame) -> None:
    matrix = display.framework_matrix(evidence, CODES, per_cell=1, width=20, cases=display.cases_frame(excerpts()))
    assert matrix.index.tolist() == ["G1", "K1", "G2", "O-K", "D-N"]  # G2 has no evidence but still a row
    assert matrix.at["G1", "A-SATU"] == "[W-G1:002] Jadwal KKG sering…"
    assert matrix.at["K1", "A-SATU"].startswith("[W-K1:002?] ")
    assert matrix.at["G2", "A-SATU"] == "" and matrix.at["O-K", "role"] == display.NO_VALUE


def test_framework_prefers_verified_over_stronger_suggestions() -> None:
    frame = excerpts().iloc[:2].assign(informant="G1", source="W-G1")
    found = display.evidence(frame, pd.DataFrame([(1, "A-SATU", 0.99)], columns=["excerpt_id", "code",
                                                                                  "probability"]),
                             {2: frozenset({"A-SATU"})})
    matrix = display.framework_matrix(found, CODES, per_cell=2)
    assert matrix.at["G1", "A-SATU"].startswith("[W-G1:004]") and "?" not in matrix.at["G1", "A-SATU"]


def test_shorten_cuts_at_a_word_and_collapses_space() -> None:
    assert display.shorten("satu  dua\n tiga", 50) == "satu dua tiga"
    assert display.shorten("pembelajaran berdiferensiasi sesuai gaya belajar", 30) == "pembelajaran berdiferensiasi…"
    assert len(display.shorten("x" * 100, 10)) == 10


def test_codes_outside_the_codebook_come_after_it() -> None:
    found = display.evidence(excerpts(), None, {1: frozenset({"Z-LAIN", "A-SATU"})})
    assert display.code_by(found, "role", CODES).index.tolist() == [*CODES, "Z-LAIN"]


def test_empty_project_gives_empty_but_well_formed_displays() -> None:
    shown = display.run(display.DisplayInputs(excerpts().iloc[:0], None, {}, CODES), DisplayConfig())
    assert shown.by_informant.index.tolist() == list(CODES)
    assert (shown.by_informant.xs("verified", axis=1, level="field") == 0).all().all()
    assert shown.triangulation["suggestions_only"].eq(False).all() and len(shown.framework) == 0


def test_run_builds_every_display() -> None:
    shown = display.run(display.DisplayInputs(excerpts(), suggestions(), VERIFIED, CODES), DisplayConfig(1, 80))
    assert list(dict.fromkeys(shown.by_method.columns.get_level_values("value"))) == ["wawancara", "observasi",
                                                                                     "dokumen", TOTAL]
    assert list(dict.fromkeys(shown.by_role.columns.get_level_values("value")))[-2:] == [display.NO_VALUE, TOTAL]
    assert shown.framework.index.tolist() == ["G1", "K1", "G2", "O-K", "D-N"]
    assert shown.triangulation["code"].tolist() == list(CODES)
