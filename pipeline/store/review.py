"""Review assignments (double coding) and bookmarks (where a reviewer stopped); both append-only."""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.store.db import Store, now


def add_assignments(store: Store, rows: Iterable[tuple[int, str, bool]]) -> str:
    """Record one round of (excerpt id, reviewer, overlap) rows; returns the round's name."""
    with store.transaction():
        number = 1 + int(store._db.execute("SELECT COUNT(DISTINCT round) FROM review_assignments").fetchone()[0])
        name, created = f"round-{number}", now()
        store._db.executemany(
            "INSERT INTO review_assignments (round, excerpt_id, reviewer, overlap, created_at) VALUES (?, ?, ?, ?, ?)",
            [(name, excerpt_id, reviewer, int(overlap), created) for excerpt_id, reviewer, overlap in rows])
    return name


def assigned_ids(store: Store) -> set[int]:
    return {int(r[0]) for r in store._db.execute("SELECT DISTINCT excerpt_id FROM review_assignments")}


def assigned_to(store: Store, reviewer: str) -> set[int] | None:
    """Excerpt ids assigned to the reviewer, or None when nothing was ever assigned to them."""
    rows = store._db.execute("SELECT excerpt_id FROM review_assignments WHERE reviewer_key(reviewer) = reviewer_key(?)",
                             (reviewer,)).fetchall()
    return {int(r[0]) for r in rows} if rows else None


def add_bookmark(store: Store, reviewer: str, excerpt_id: int) -> None:
    with store.transaction():
        store._db.execute("INSERT INTO review_bookmarks (reviewer, excerpt_id, created_at) VALUES (?, ?, ?)",
                          (reviewer, excerpt_id, now()))


def last_bookmark(store: Store, reviewer: str) -> int | None:
    row = store._db.execute("SELECT excerpt_id FROM review_bookmarks WHERE reviewer_key(reviewer) = reviewer_key(?) "
                            "ORDER BY id DESC LIMIT 1",
                            (reviewer,)).fetchone()
    return None if row is None else int(row[0])
