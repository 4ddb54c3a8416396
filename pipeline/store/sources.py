"""Sources, their units and excerpts, and informants. Call inside `store.transaction()`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.records import Excerpt, ParsedSource, SourceMeta
from pipeline.store.db import Store, now

if TYPE_CHECKING:
    import pandas as pd


def existing_version(store: Store, name: str, sha256: str) -> int | None:
    """The version number if this exact content of this source is already stored."""
    row = store._db.execute("SELECT version FROM sources WHERE name = ? AND sha256 = ?", (name, sha256)).fetchone()
    return None if row is None else int(row[0])


def upsert_informant(store: Store, meta: SourceMeta) -> str | None:
    """Add the informant, or update role/site/name when the manifest changed them (returned as a warning)."""
    if not meta.informant:
        return None
    row = store._db.execute("SELECT role, site, real_name FROM informants WHERE id = ?", (meta.informant,)).fetchone()
    if row is None:
        store._db.execute("INSERT INTO informants (id, role, site, real_name) VALUES (?, ?, ?, ?)",
                   (meta.informant, meta.role, meta.site, meta.name))
        return None
    new = (meta.role or row["role"], meta.site or row["site"], meta.name or row["real_name"])
    if new == tuple(row):
        return None
    store._db.execute("UPDATE informants SET role = ?, site = ?, real_name = ? WHERE id = ?", (*new, meta.informant))
    return (f"{meta.manifest}: line {meta.manifest_line}: informant {meta.informant} changed from "
            f"role={row['role']}, site={row['site']} to role={new[0]}, site={new[1]}")


def insert_source(store: Store, meta: SourceMeta, parsed: ParsedSource, excerpts: list[Excerpt], *,
                  name: str, sha256: str, run_id: int | None) -> tuple[int, int]:
    """Store a new version of a source with its units and excerpts; returns (source id, version)."""
    newest = store._db.execute("SELECT COALESCE(MAX(version), 0) FROM sources WHERE name = ?", (name,)).fetchone()
    version = 1 + int(newest[0])
    cursor = store._db.execute(
        "INSERT INTO sources (name, path, sha256, version, format, kind, method, informant_id, site, date, text,"
        " ingested_at, run_id, convention, metadata, speakers, round)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (name, str(Path(meta.path)), sha256, version, parsed.format, parsed.kind, meta.method, meta.informant,
         meta.site, meta.date, parsed.text, now(), run_id, parsed.convention, json.dumps(dict(parsed.metadata)),
         json.dumps([list(s) for s in parsed.speakers]), meta.round))
    source_id = int(cursor.lastrowid or 0)
    store._db.executemany(
        "INSERT INTO units (source_id, idx, start, end, speaker, is_interviewer, timestamp, role, memo, continued)"
        " VALUES (?,?,?,?,?,?,?,?,?,?)",
        [(source_id, u.index, u.start, u.end, u.speaker, int(u.is_interviewer), u.timestamp, u.role, u.memo,
          int(u.continued)) for u in parsed.units])
    store._db.executemany(
        "INSERT INTO excerpts (source_id, key, unit, window, start, end, speaker, text, context, annotations,"
        " n_words) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(source_id, e.key, e.unit, e.window, e.start, e.end, e.speaker, e.text, e.context,
          json.dumps([[a.start, a.end, a.label] for a in e.annotations]), len(e.text.split())) for e in excerpts])
    return source_id, version


def update_round(store: Store, name: str, sha256: str, round_: str | None) -> str | None:
    """Set the round of an unchanged source when the manifest now gives another one; a warning saying so, or None."""
    row = store._db.execute("SELECT id, round FROM sources WHERE name = ? AND sha256 = ? ORDER BY version DESC "
                            "LIMIT 1", (name, sha256)).fetchone()
    if row is None or round_ is None or row["round"] == round_:
        return None
    store._db.execute("UPDATE sources SET round = ? WHERE id = ?", (round_, row["id"]))
    return f"{name}: round changed from {row['round'] or '(none)'} to {round_} (the text is unchanged)"


def informants_frame(store: Store) -> "pd.DataFrame":
    """Columns id, role, site, real_name, one row per informant."""
    import pandas as pd

    return pd.read_sql_query("SELECT id, role, site, real_name FROM informants ORDER BY id", store._db)


def informant_names(store: Store) -> list[tuple[str, str | None]]:
    """(informant id, real name or None) for pseudonymising."""
    return [(str(r[0]), r[1]) for r in store._db.execute("SELECT id, real_name FROM informants ORDER BY id")]


def current_sources_frame(store: Store) -> "pd.DataFrame":
    """The newest version of each source: source_id, name, method, informant, site, date, round, text, sha256,
    ingested_at."""
    import pandas as pd

    return pd.read_sql_query(
        "SELECT s.id AS source_id, s.name, s.method, s.informant_id AS informant, s.site, s.date, s.round, s.text,"
        " s.sha256, s.ingested_at FROM sources s"
        " WHERE s.version = (SELECT MAX(version) FROM sources WHERE name = s.name) ORDER BY s.name", store._db)


def source_texts(store: Store, ids: list[int]) -> dict[int, tuple[str, str]]:
    """Source id -> (name, text) for the given ids."""
    if not ids:
        return {}
    rows = store._db.execute(f"SELECT id, name, text FROM sources WHERE id IN ({','.join('?' * len(ids))})", ids)
    return {int(r[0]): (str(r[1]), str(r[2])) for r in rows}


def newest_source_run(store: Store) -> int:
    """The run id that last added a source (0 when none recorded one)."""
    return int(store._db.execute("SELECT COALESCE(MAX(run_id), 0) FROM sources").fetchone()[0] or 0)
