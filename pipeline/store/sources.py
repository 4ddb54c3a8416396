"""Sources, their units and excerpts, and informants. Call inside `store.transaction()`."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from pipeline.records import Excerpt, ParsedSource, SourceMeta
from pipeline.store.db import now


def existing_version(db: sqlite3.Connection, name: str, sha256: str) -> int | None:
    """The version number if this exact content of this source is already stored."""
    row = db.execute("SELECT version FROM sources WHERE name = ? AND sha256 = ?", (name, sha256)).fetchone()
    return None if row is None else int(row[0])


def upsert_informant(db: sqlite3.Connection, meta: SourceMeta) -> str | None:
    """Add the informant, or update role/site/name when the manifest changed them (returned as a warning)."""
    if not meta.informant:
        return None
    row = db.execute("SELECT role, site, real_name FROM informants WHERE id = ?", (meta.informant,)).fetchone()
    if row is None:
        db.execute("INSERT INTO informants (id, role, site, real_name) VALUES (?, ?, ?, ?)",
                   (meta.informant, meta.role, meta.site, meta.name))
        return None
    new = (meta.role or row["role"], meta.site or row["site"], meta.name or row["real_name"])
    if new == tuple(row):
        return None
    db.execute("UPDATE informants SET role = ?, site = ?, real_name = ? WHERE id = ?", (*new, meta.informant))
    return (f"{meta.manifest}: line {meta.manifest_line}: informant {meta.informant} changed from "
            f"role={row['role']}, site={row['site']} to role={new[0]}, site={new[1]}")


def insert_source(db: sqlite3.Connection, meta: SourceMeta, parsed: ParsedSource, excerpts: list[Excerpt], *,
                  name: str, sha256: str, run_id: int | None) -> tuple[int, int]:
    """Store a new version of a source with its units and excerpts; returns (source id, version)."""
    version = 1 + (db.execute("SELECT COALESCE(MAX(version), 0) FROM sources WHERE name = ?", (name,)).fetchone()[0])
    cursor = db.execute(
        "INSERT INTO sources (name, path, sha256, version, format, kind, method, informant_id, site, date, text,"
        " ingested_at, run_id, convention, metadata, speakers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (name, str(Path(meta.path)), sha256, version, parsed.format, parsed.kind, meta.method, meta.informant,
         meta.site, meta.date, parsed.text, now(), run_id, parsed.convention, json.dumps(dict(parsed.metadata)),
         json.dumps([list(s) for s in parsed.speakers])))
    source_id = int(cursor.lastrowid)
    db.executemany(
        "INSERT INTO units (source_id, idx, start, end, speaker, is_interviewer, timestamp, role, memo, continued)"
        " VALUES (?,?,?,?,?,?,?,?,?,?)",
        [(source_id, u.index, u.start, u.end, u.speaker, int(u.is_interviewer), u.timestamp, u.role, u.memo,
          int(u.continued)) for u in parsed.units])
    db.executemany(
        "INSERT INTO excerpts (source_id, key, unit, window, start, end, speaker, text, context, annotations,"
        " n_words) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(source_id, e.key, e.unit, e.window, e.start, e.end, e.speaker, e.text, e.context,
          json.dumps([[a.start, a.end, a.label] for a in e.annotations]), len(e.text.split())) for e in excerpts])
    return source_id, version
