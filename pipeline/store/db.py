"""The project store: one SQLite file, numbered migrations, foreign keys, WAL, explicit transactions."""

from __future__ import annotations

import sqlite3
from contextlib import closing, contextmanager
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Iterator

from pipeline.decision_log import reviewer_key
from pipeline.errors import StoreError

STORE_FILE = "reduksi.sqlite"


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def migrations() -> list[tuple[int, str, str]]:
    """(number, name, sql) of every migration shipped with the package, in order."""
    folder = resources.files("pipeline.store") / "migrations"
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            number = int(entry.name.split("_", 1)[0])
            found.append((number, entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


class Store:
    """A connection to a project. Use `Store.open(folder)`; writes go through `with store.transaction():`."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._db = connection  # private: every SQL statement lives in this package's repositories

    @classmethod
    def init(cls, folder: str | Path) -> "Store":
        """Create the project folder and its store (idempotent: an existing project is opened)."""
        folder = Path(folder)
        if folder.exists() and not folder.is_dir():
            raise StoreError("exists and is not a folder", file=folder)
        folder.mkdir(parents=True, exist_ok=True)
        return cls._connect(folder / STORE_FILE)

    @classmethod
    def open(cls, folder: str | Path) -> "Store":
        """Open an existing project; a folder without a store is an error that says how to create one."""
        path = Path(folder) / STORE_FILE
        if not path.exists():
            raise StoreError("no reduksi project here", file=folder, hint="create one with `reduksi init FOLDER`")
        return cls._connect(path)

    @classmethod
    def _connect(cls, path: Path) -> "Store":
        try:
            connection = sqlite3.connect(path, isolation_level=None, timeout=30, check_same_thread=False)
            connection.row_factory = sqlite3.Row
            connection.create_function("reviewer_key", 1, reviewer_key, deterministic=True)
            connection.execute("PRAGMA foreign_keys = ON")
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.execute("PRAGMA busy_timeout = 30000")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open the project store: {exc}", file=path) from None
        store = cls(path, connection)
        store.migrate()
        return store

    @property
    def folder(self) -> Path:
        return self.path.parent

    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def applied_migrations(self) -> set[int]:
        """Numbers of the migrations applied to this store (tracked one by one, so none is skipped when
        migrations from parallel work land out of order)."""
        if self._db.execute("SELECT 1 FROM sqlite_master WHERE name = 'schema_migrations'").fetchone() is None:
            return {n for n, _, _ in migrations() if n <= self.schema_version()}
        return {int(row[0]) for row in self._db.execute("SELECT number FROM schema_migrations")}

    def migrate(self) -> list[str]:
        """Apply pending migrations in order, each in its own transaction; back the file up first."""
        applied = self.applied_migrations()
        pending = [m for m in migrations() if m[0] not in applied]
        if pending and applied:
            self.backup(f"before-migration-{pending[0][0]:04d}")
        for number, name, sql in pending:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                self._db.execute("CREATE TABLE IF NOT EXISTS schema_migrations (number INTEGER PRIMARY KEY,"
                                " name TEXT NOT NULL, applied_at TEXT NOT NULL)")
                self._db.executemany("INSERT OR IGNORE INTO schema_migrations VALUES (?, ?, ?)",
                                    [(n, "(before tracking)", now()) for n in applied])
                for statement in _statements(sql):
                    self._db.execute(statement)
                self._db.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)", (number, name, now()))
                self._db.execute(f"PRAGMA user_version = {max(number, self.schema_version())}")
                self._db.execute("COMMIT")
            except sqlite3.DatabaseError as exc:
                self._db.execute("ROLLBACK")
                raise StoreError(f"migration {name} failed: {exc}", file=self.path) from None
            applied.add(number)
        return [name for _, name, _ in pending]

    def backup(self, label: str) -> Path:
        """Copy the store with SQLite's online backup while a second connection holds the write lock, so no
        writer can change it half-way (readers go on)."""
        if self._db.in_transaction:
            raise StoreError("a backup cannot be taken inside a transaction", file=self.path)
        target = self.folder / "backups" / f"{self.path.stem}-{label}-{datetime.now():%Y%m%d-%H%M%S-%f}.sqlite"
        target.parent.mkdir(exist_ok=True)
        with closing(sqlite3.connect(self.path, timeout=30, isolation_level=None)) as lock, \
                closing(sqlite3.connect(target)) as copy:
            lock.execute("BEGIN IMMEDIATE")
            try:
                self._db.backup(copy)
            finally:
                lock.execute("ROLLBACK")
        return target

    @contextmanager
    def transaction(self) -> Iterator["Store"]:
        """One write transaction: all of it lands, or none of it does. Repositories called inside it join it."""
        if self._db.in_transaction:
            raise StoreError("nested transaction", file=self.path)
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        else:
            self._db.execute("COMMIT")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _statements(sql: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies (which contain ';') whole."""
    statements, buffer = [], ""
    for line in sql.splitlines(keepends=True):
        if line.strip().startswith("--") and not buffer:
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
