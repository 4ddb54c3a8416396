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
