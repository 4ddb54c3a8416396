"""What the web workspace reads and writes beyond the other repositories: a source with its turns, the excerpts of a
source, excerpts made from a selected span or with moved boundaries (`excerpt_edits`), and recent activity."""

from __future__ import annotations

import json
from typing import Any

from pipeline.store.db import Store, now


def source_overview(store: Store) -> list[dict[str, Any]]:
    """The newest version of each source with its metadata and how many excerpts it holds."""
    rows = store._db.execute(
        "SELECT s.id AS source_id, s.name, s.version, s.format, s.kind, s.method, s.informant_id AS informant,"
        " i.role, COALESCE(s.site, i.site) AS site, s.date, s.convention, s.ingested_at, LENGTH(s.text) AS chars,"
        " (SELECT COUNT(*) FROM excerpts e WHERE e.source_id = s.id) AS excerpts"
        " FROM sources s LEFT JOIN informants i ON i.id = s.informant_id"
        " WHERE s.version = (SELECT MAX(version) FROM sources WHERE name = s.name) ORDER BY s.name").fetchall()
    return [dict(r) for r in rows]


def source_detail(store: Store, source_id: int) -> dict[str, Any] | None:
    """One source version: metadata, its normalised text, header metadata and speakers (decoded)."""
    row = store._db.execute(
        "SELECT s.id AS source_id, s.name, s.version, s.format, s.kind, s.method, s.informant_id AS informant,"
        " i.role, COALESCE(s.site, i.site) AS site, s.date, s.convention, s.metadata, s.speakers, s.text,"
        " s.ingested_at FROM sources s LEFT JOIN informants i ON i.id = s.informant_id WHERE s.id = ?",
        (source_id,)).fetchone()
    if row is None:
        return None
    detail = dict(row)
    detail["metadata"] = json.loads(detail["metadata"] or "{}")
    detail["speakers"] = json.loads(detail["speakers"] or "[]")
    return detail


def source_units(store: Store, source_id: int) -> list[dict[str, Any]]:
    """The turns (or paragraphs) of a source in order: idx, start, end, speaker, is_interviewer, role, memo."""
    rows = store._db.execute("SELECT idx, start, end, speaker, is_interviewer, role, memo FROM units"
                             " WHERE source_id = ? ORDER BY start, idx", (source_id,)).fetchall()
    return [dict(r) for r in rows]


def source_excerpts(store: Store, source_id: int) -> list[dict[str, Any]]:
    """The excerpts of one source version: excerpt_id, key, unit, start, end, speaker, text, context."""
    rows = store._db.execute("SELECT id AS excerpt_id, key, unit, window, start, end, speaker, text, context"
                             " FROM excerpts WHERE source_id = ? ORDER BY start, id", (source_id,)).fetchall()
    return [dict(r) for r in rows]


def excerpt_row(store: Store, excerpt_id: int) -> dict[str, Any] | None:
    row = store._db.execute("SELECT e.id AS excerpt_id, e.source_id, e.key, e.unit, e.window, e.start, e.end,"
                            " e.speaker, e.text, e.context, s.name AS source FROM excerpts e"
                            " JOIN sources s ON s.id = e.source_id WHERE e.id = ?", (excerpt_id,)).fetchone()
    return None if row is None else dict(row)


def excerpt_id_for_key(store: Store, key: str) -> int | None:
    """The current excerpt with this key (the newest version of its source), or None."""
    row = store._db.execute("SELECT e.id FROM excerpts e JOIN sources s ON s.id = e.source_id WHERE e.key = ?"
                            " ORDER BY s.version DESC LIMIT 1", (key,)).fetchone()
    return None if row is None else int(row[0])


def add_span_excerpt(store: Store, source_id: int, key: str, unit: int, start: int, end: int, text: str,
                     speaker: str | None, context: str | None, reviewer: str) -> int:
    """A new excerpt over source.text[start:end] (call inside a transaction); returns its id."""
    window = 1 + int(store._db.execute("SELECT COALESCE(MAX(window), 0) FROM excerpts WHERE source_id = ?"
                                       " AND unit = ?", (source_id, unit)).fetchone()[0])
    cursor = store._db.execute(
        "INSERT INTO excerpts (source_id, key, unit, window, start, end, speaker, text, context, n_words)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (source_id, key, unit, window, start, end, speaker, text, context, len(text.split())))
    excerpt_id = int(cursor.lastrowid or 0)
    _log_edit(store, excerpt_id, "create", None, None, start, end, reviewer)
    return excerpt_id


def move_excerpt(store: Store, excerpt_id: int, start: int, end: int, text: str, reviewer: str) -> None:
    """Move an excerpt's boundaries (call inside a transaction); the old offsets stay in `excerpt_edits`."""
    old = store._db.execute("SELECT start, end FROM excerpts WHERE id = ?", (excerpt_id,)).fetchone()
    store._db.execute("UPDATE excerpts SET start = ?, end = ?, text = ?, n_words = ? WHERE id = ?",
                      (start, end, text, len(text.split()), excerpt_id))
    _log_edit(store, excerpt_id, "adjust", int(old[0]), int(old[1]), start, end, reviewer)


def keys_like(store: Store, source_id: int, prefix: str) -> set[str]:
    rows = store._db.execute("SELECT key FROM excerpts WHERE source_id = ? AND key LIKE ?",
                             (source_id, prefix + "%")).fetchall()
    return {str(r[0]) for r in rows}


def excerpt_edits(store: Store, excerpt_id: int | None = None) -> list[dict[str, Any]]:
    where, params = ("WHERE excerpt_id = ?", (excerpt_id,)) if excerpt_id is not None else ("", ())
    rows = store._db.execute(f"SELECT * FROM excerpt_edits {where} ORDER BY id", params).fetchall()
    return [dict(r) for r in rows]


def _log_edit(store: Store, excerpt_id: int, operation: str, old_start: int | None, old_end: int | None,
              start: int, end: int, reviewer: str) -> None:
    store._db.execute("INSERT INTO excerpt_edits (excerpt_id, operation, old_start, old_end, new_start, new_end,"
                      " reviewer, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                      (excerpt_id, operation, old_start, old_end, start, end, reviewer, now()))


def recent_activity(store: Store, limit: int = 12) -> list[dict[str, Any]]:
    """The newest decisions, codebook changes, memos and runs, newest first: kind, who, what, at."""
    rows = store._db.execute(
        "SELECT * FROM ("
        " SELECT 'decision' AS kind, d.reviewer AS who, d.action || ' ' || d.codes AS what, e.key AS target,"
        "  d.created_at AS at, d.id AS seq FROM decisions d JOIN excerpts e ON e.id = d.excerpt_id"
        " UNION ALL SELECT 'codebook', reviewer, operation || ' ' || codes, targets, created_at, id"
        "  FROM codebook_changes"
        " UNION ALL SELECT 'memo', author, title, target_kind || ' ' || target, created_at, id FROM memos"
        " UNION ALL SELECT 'run', '', command, status, started_at, id FROM runs"
        ") ORDER BY at DESC, seq DESC LIMIT ?", (limit,)).fetchall()
    return [dict(r) for r in rows]


def project_counts(store: Store) -> dict[str, int]:
    """Current sources and excerpts."""
    current = "s.version = (SELECT MAX(version) FROM sources WHERE name = s.name)"
    sources = store._db.execute(f"SELECT COUNT(*) FROM sources s WHERE {current}").fetchone()[0]
    excerpts = store._db.execute(f"SELECT COUNT(*) FROM excerpts e JOIN sources s ON s.id = e.source_id"
                                 f" WHERE {current}").fetchone()[0]
    return {"sources": int(sources), "excerpts": int(excerpts)}
