"""Codebook versions used by the project (each suggestion and model names one by its content hash), the changes
made to the codebook, and the excerpts those changes send back to review."""

from __future__ import annotations

import json

from pipeline.codebook import Codebook
from pipeline.decision_log import CodebookChange
from pipeline.store.db import Store, now


def record_codebook(store: Store, codebook: Codebook) -> bool:
    """Store this codebook version if it is new (call inside a transaction); True when it was added."""
    cursor = store._db.execute("INSERT OR IGNORE INTO codebooks (version, path, content, loaded_at)"
                               " VALUES (?, ?, ?, ?)",
                               (codebook.version, codebook.path, codebook.content, now()))
    return cursor.rowcount == 1


def record_change(store: Store, change: CodebookChange) -> int:
    """Append a codebook change (call inside a transaction); returns its id."""
    cursor = store._db.execute(
        "INSERT INTO codebook_changes (operation, codes, targets, watermark, from_version, to_version, reviewer,"
        " note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (change.operation, json.dumps(list(change.codes)), json.dumps(list(change.targets)), change.watermark,
         change.from_version, change.to_version, change.reviewer, change.note, change.created_at or now()))
    return int(cursor.lastrowid or 0)


def codebook_changes(store: Store) -> list[CodebookChange]:
    rows = store._db.execute("SELECT * FROM codebook_changes ORDER BY id").fetchall()
    return [CodebookChange(operation=r["operation"], codes=tuple(json.loads(r["codes"])),
                           targets=tuple(json.loads(r["targets"])), watermark=int(r["watermark"]),
                           from_version=r["from_version"], to_version=r["to_version"], reviewer=r["reviewer"],
                           note=r["note"], id=int(r["id"]), created_at=r["created_at"]) for r in rows]


def codebook_content(store: Store, version: str) -> str | None:
    """The text of a recorded codebook version (every version a project used is kept)."""
    row = store._db.execute("SELECT content FROM codebooks WHERE version = ?", (version,)).fetchone()
    return None if row is None else str(row[0])


def request_review(store: Store, excerpt_ids: list[int], reason: str, watermark: int,
                   change_id: int | None = None) -> int:
    """Send excerpts back to review (call inside a transaction); returns how many."""
    store._db.executemany(
        "INSERT INTO review_requests (excerpt_id, change_id, reason, watermark, created_at) VALUES (?, ?, ?, ?, ?)",
        [(e, change_id, reason, watermark, now()) for e in excerpt_ids])
    return len(excerpt_ids)


def review_requests(store: Store) -> dict[int, int]:
    """Excerpt id -> the watermark of its latest review request (a later decision on it answers the request)."""
    rows = store._db.execute("SELECT excerpt_id, MAX(watermark) FROM review_requests GROUP BY excerpt_id")
    return {int(e): int(w) for e, w in rows}
