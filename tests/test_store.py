"""The project store: migrations, transactions, the append-only decision log."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pipeline.errors import StoreError
from pipeline.store import Store
from pipeline.store.db import migrations


def test_init_applies_every_migration_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    with Store.init(tmp_path / "p") as store:
        assert store.schema_version() == migrations()[-1][0]
        assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store._db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        with pytest.raises(sqlite3.IntegrityError):
            with store.transaction() as db:
                db._db.execute("INSERT INTO excerpts (source_id, key, unit, start, end, text, n_words)"
                           " VALUES (999, 'x:001', 1, 0, 1, 'x', 1)")


def test_open_without_project_says_how_to_create_one(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="reduksi init"):
        Store.open(tmp_path)


def test_transaction_rolls_back_on_error(tmp_path: Path) -> None:
    with Store.init(tmp_path) as store:
        with pytest.raises(RuntimeError):
            with store.transaction() as db:
                db._db.execute("INSERT INTO runs (command, started_at) VALUES ('x', 'now')")
                raise RuntimeError("boom")
        assert store._db.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 0


def test_decisions_are_append_only(tmp_path: Path, mini_corpus: Path, config) -> None:  # type: ignore[no-untyped-def]
    from pipeline.ingest.batch import ingest, resolve_batch

    with Store.init(tmp_path / "p") as store:
        ingest(store, resolve_batch([mini_corpus], config)[0], config)
        excerpt_id = store._db.execute("SELECT id FROM excerpts LIMIT 1").fetchone()[0]
        with store.transaction() as db:
            db._db.execute("INSERT INTO decisions (excerpt_id, reviewer, action, codes, created_at)"
                       " VALUES (?, 'ani', 'set', '[\"KP-KELAS\"]', 'now')", (excerpt_id,))
        for statement in ("UPDATE decisions SET reviewer = 'budi'", "DELETE FROM decisions"):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                with store.transaction() as db:
                    db._db.execute(statement)
        assert [tuple(r) for r in store._db.execute("SELECT reviewer FROM decisions")] == [("ani",)]


def test_pending_migration_backs_the_file_up_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Store.init(tmp_path).close()
    shipped = migrations()
    upgraded = [*shipped, (shipped[-1][0] + 1, "9999_extra.sql", "CREATE TABLE extra (x INTEGER);")]
    monkeypatch.setattr("pipeline.store.db.migrations", lambda: upgraded)
    with Store.open(tmp_path) as store:
        assert store.schema_version() == upgraded[-1][0]
        assert store._db.execute("SELECT COUNT(*) FROM extra").fetchone()[0] == 0
    backups = list((tmp_path / "backups").glob("*.sqlite"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as old:  # the backup is the project as it was before the migration
        assert old.execute("PRAGMA user_version").fetchone()[0] == shipped[-1][0]


def test_failed_migration_leaves_schema_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Store.init(tmp_path).close()
    shipped = migrations()
    broken = [*shipped, (shipped[-1][0] + 1, "9999_broken.sql", "CREATE TABLE ok (x);\nNOT SQL;")]
    monkeypatch.setattr("pipeline.store.db.migrations", lambda: broken)
    with pytest.raises(StoreError, match="9999_broken.sql"):
        Store.open(tmp_path)
    monkeypatch.undo()
    with Store.open(tmp_path) as store:
        assert store.schema_version() == shipped[-1][0]
        assert not store._db.execute("SELECT name FROM sqlite_master WHERE name = 'ok'").fetchall()


def test_a_migration_numbered_below_the_newest_is_still_applied(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Work landing out of order: a store already at the newest number still gets a lower, unapplied one."""
    shipped = migrations()
    without_first_extra = [m for m in shipped if m[0] != shipped[1][0]]
    monkeypatch.setattr("pipeline.store.db.migrations", lambda: without_first_extra)
    Store.init(tmp_path).close()
    monkeypatch.undo()
    with Store.open(tmp_path) as store:
        assert store.applied_migrations() == {m[0] for m in shipped}
    assert list((tmp_path / "backups").glob(f"*before-migration-{shipped[1][0]:04d}*.sqlite"))
