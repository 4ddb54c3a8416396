"""Runs: every command that changes the project records what it ran with."""

from __future__ import annotations

from pipeline.store.db import Store, now


def start_run(store: Store, command: str, config_toml: str = "", backend: str | None = None) -> int:
    with store.transaction():
        cursor = store._db.execute("INSERT INTO runs (command, started_at, backend, config) VALUES (?, ?, ?, ?)",
                                   (command, now(), backend, config_toml))
    return int(cursor.lastrowid or 0)


def finish_run(store: Store, run_id: int, status: str = "ok") -> None:
    with store.transaction():
        store._db.execute("UPDATE runs SET finished_at = ?, status = ? WHERE id = ?", (now(), status, run_id))


_REVISION_TABLES = ("sources", "excerpts", "runs", "decisions", "triangulation_status", "codebook_changes",
                    "review_requests", "excerpt_edits", "informants")


def revision(store: Store) -> tuple[object, ...]:
    """A cheap fingerprint of everything the displays and agreement read: the newest row of each table they use,
    and the values the manifest may change in place (a source's round, an informant's role and site)."""
    newest = " UNION ALL ".join(f"SELECT COALESCE(MAX(rowid), 0) FROM {table}" for table in _REVISION_TABLES)
    rows = [r[0] for r in store._db.execute(newest).fetchall()]
    in_place = store._db.execute(
        "SELECT (SELECT group_concat(COALESCE(round, ''), ',') FROM sources),"
        " (SELECT group_concat(COALESCE(role, '') || '/' || COALESCE(site, ''), ',') FROM informants)").fetchone()
    return (*rows, *tuple(in_place))
