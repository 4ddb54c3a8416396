"""The triangulation table and the researcher's verdicts kept as history in the store."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from pipeline import display
from pipeline.errors import ReviewError
from pipeline.store import Store
from pipeline.store.triangulation import current_status, set_status, status_history
from tests.test_display import CODES, VERIFIED, excerpts, suggestions


@pytest.fixture
def table() -> pd.DataFrame:
    found = display.evidence(excerpts(), suggestions(), VERIFIED)
    status = pd.DataFrame([("A-DUA", "terkonfirmasi", "cocok", "rina", "2024-03-01T00:00:00+00:00")],
                          columns=["code", "status", "note", "reviewer", "updated_at"])
    return display.triangulation(found, CODES, status).set_index("code")


def test_counts_distinct_sources_roles_and_methods(table: pd.DataFrame) -> None:
    a_dua = table.loc["A-DUA"]
    assert (a_dua["verified_excerpts"], a_dua["verified_cases"], a_dua["verified_informants"]) == (2, 2, 1)
    assert (a_dua["verified_roles"], a_dua["verified_methods"]) == (1, 2)  # no role for the observation note
    assert a_dua["verified_by_method"] == "wawancara (1): W-G1:004\nobservasi (1): O-K:001"
    assert a_dua["verified_by_role"] == "guru (1): W-G1:004\n— (1): O-K:001"
    assert a_dua["verified_informant_ids"] == "G1"


def test_flags_use_verified_evidence_only(table: pd.DataFrame) -> None:
    a_satu, a_dua, b_tiga = table.loc["A-SATU"], table.loc["A-DUA"], table.loc["B-TIGA"]
    # A-SATU: verified once (G1); suggested for K1 and a document — still a single source, single method
    assert (a_satu["verified_excerpts"], a_satu["suggested_excerpts"], a_satu["suggested_cases"]) == (1, 2, 2)
    assert a_satu["single_source"] and a_satu["single_method"] and not a_satu["suggestions_only"]
    assert not a_dua["single_source"] and not a_dua["single_method"]
    assert b_tiga["single_source"] and not b_tiga["suggestions_only"]
    only = display.triangulation(display.evidence(excerpts(), suggestions(), {}), (*CODES, "C-EMPAT"))
    only = only.set_index("code")
    assert only.at["A-SATU", "suggestions_only"] and only.at["B-TIGA", "suggestions_only"]
    assert not only.at["C-EMPAT", "suggestions_only"] and only.at["C-EMPAT", "suggested_excerpts"] == 0


def test_status_defaults_to_not_checked(table: pd.DataFrame) -> None:
    assert table.at["A-DUA", "status"] == "terkonfirmasi" and table.at["A-DUA", "status_by"] == "rina"
    assert table.at["A-SATU", "status"] == "belum_diperiksa" and table.at["A-SATU", "note"] == ""


def test_verdicts_are_history_and_the_latest_wins(tmp_path: Path) -> None:
    with Store.init(tmp_path / "p") as store:
        with store.transaction() as db:
            set_status(db, "A-SATU", "perlu data tambahan", "rina", "hanya satu guru")
            set_status(db, "A-SATU", "terkonfirmasi", "asep", "ada observasi juga")
            set_status(db, "A-DUA", "ditolak", "rina")
        latest = current_status(store).set_index("code")
        assert latest.at["A-SATU", "status"] == "terkonfirmasi" and latest.at["A-SATU", "reviewer"] == "asep"
        assert status_history(store, "A-SATU")["status"].tolist() == ["perlu_data_tambahan", "terkonfirmasi"]
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            store._db.execute("UPDATE triangulation_status SET status = 'ditolak'")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            store._db.execute("DELETE FROM triangulation_status")


def test_bad_verdicts_are_refused(tmp_path: Path) -> None:
    with Store.init(tmp_path / "p") as store, store.transaction() as db:
        with pytest.raises(ReviewError, match="unknown triangulation status"):
            set_status(db, "A-SATU", "mungkin", "rina")
        with pytest.raises(ReviewError, match="unknown code"):
            set_status(db, "X-Y", "ditolak", "rina", known_codes=CODES)
        with pytest.raises(ReviewError, match="reviewer"):
            set_status(db, "A-SATU", "ditolak", " ")
