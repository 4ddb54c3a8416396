"""Memos on the project, a source or a code (append-only; notes on an excerpt are `note` decisions)."""

from __future__ import annotations

from typing import NamedTuple

from pipeline.store.db import Store, now

TARGET_KINDS = ("project", "source", "code")


class Memo(NamedTuple):
    """A researcher's memo: what it is about (`target_kind`, `target`), its text, and who wrote it when."""

    target_kind: str
    target: str
    title: str
    text: str
    author: str
    created_at: str | None = None
    origin: str = "qdpx"


def add_memos(store: Store, memos: list[Memo]) -> int:
    """Append memos (call inside `store.transaction()`); returns how many were added."""
    store._db.executemany(
        "INSERT INTO memos (target_kind, target, title, text, author, origin, created_at) VALUES (?,?,?,?,?,?,?)",
        [(m.target_kind, m.target, m.title, m.text, m.author, m.origin, m.created_at or now()) for m in memos])
    return len(memos)


def list_memos(store: Store) -> list[Memo]:
    """Every memo, oldest first."""
    rows = store._db.execute("SELECT target_kind, target, title, text, author, created_at, origin FROM memos"
                             " ORDER BY id").fetchall()
    return [Memo(*tuple(row)) for row in rows]
