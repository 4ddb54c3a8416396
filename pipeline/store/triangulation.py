"""The researcher's triangulation verdict per code: a status and a note, kept as history (the latest row wins).

Statuses (stored ids): belum_diperiksa (not yet checked, the default for a code with no row), terkonfirmasi
(confirmed), perlu_data_tambahan (needs more data), ditolak (rejected). Rows are never updated or deleted
(SQLite triggers forbid it); a change of mind is a new row.
"""

from __future__ import annotations

from typing import Iterable

import pandas as pd

from pipeline.errors import ReviewError
from pipeline.store.db import Store, now

STATUSES = ("belum_diperiksa", "terkonfirmasi", "perlu_data_tambahan", "ditolak")
DEFAULT_STATUS = "belum_diperiksa"
STATUS_COLUMNS = ["code", "status", "note", "reviewer", "updated_at"]


def set_status(store: Store, code: str, status: str, reviewer: str, note: str = "",
               known_codes: Iterable[str] | None = None) -> int:
    """Append a verdict for `code` (call inside `store.transaction()`); returns the new row id."""
    status = normalise_status(status)
    if not reviewer.strip():
        raise ReviewError("a triangulation status needs a reviewer name")
    if known_codes is not None and code not in set(known_codes):
        raise ReviewError(f"unknown code '{code}'", hint=f"known codes: {', '.join(sorted(known_codes))}")
    cursor = store._db.execute("INSERT INTO triangulation_status (code, status, note, reviewer, created_at)"
                        " VALUES (?, ?, ?, ?, ?)", (code, status, note or "", reviewer, now()))
    return int(cursor.lastrowid or 0)


def normalise_status(status: str) -> str:
    """Accept the stored id or its spelling with spaces ("perlu data tambahan"); raise on anything else."""
    value = status.strip().lower().replace(" ", "_").replace("-", "_")
    if value not in STATUSES:
        raise ReviewError(f"unknown triangulation status '{status}'", hint=f"use one of: {', '.join(STATUSES)}")
    return value


def current_status(store: Store) -> pd.DataFrame:
    """The latest verdict per code (columns STATUS_COLUMNS); codes never judged have no row."""
    rows = store._db.execute(
        "SELECT t.code, t.status, t.note, t.reviewer, t.created_at FROM triangulation_status t"
        " WHERE t.id = (SELECT MAX(id) FROM triangulation_status WHERE code = t.code) ORDER BY t.code").fetchall()
    return pd.DataFrame([tuple(r) for r in rows], columns=STATUS_COLUMNS)


def status_history(store: Store, code: str | None = None) -> pd.DataFrame:
    """Every verdict in order (optionally for one code), with columns STATUS_COLUMNS."""
    where, params = ("WHERE code = ?", (code,)) if code is not None else ("", ())
    rows = store._db.execute(f"SELECT code, status, note, reviewer, created_at FROM triangulation_status {where}"
                      " ORDER BY id", params).fetchall()
    return pd.DataFrame([tuple(r) for r in rows], columns=STATUS_COLUMNS)

