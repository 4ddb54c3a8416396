"""Full-text search in the store: the FTS5 index of excerpt text and lemmas, and saved search sets."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pipeline.store.db import Store, now


@dataclass(frozen=True)
class SearchSet:
    name: str
    query: str
    filters: dict[str, Any]
    excerpt_ids: tuple[int, ...]
    reviewer: str
    created_at: str


def unindexed(store: Store) -> list[tuple[int, str]]:
    """(excerpt id, text) of the excerpts the search index lacks."""
    rows = store._db.execute("SELECT id, text FROM excerpts WHERE id NOT IN (SELECT rowid FROM excerpt_search) "
                             "ORDER BY id").fetchall()
    return [(int(r[0]), str(r[1])) for r in rows]


def add_to_index(store: Store, rows: Iterable[tuple[int, str, str]]) -> None:
    """Index (excerpt id, text, lemmas) rows (call inside a transaction)."""
    store._db.executemany("INSERT INTO excerpt_search (rowid, text, lemmas) VALUES (?, ?, ?)", list(rows))


def match(store: Store, expression: str) -> list[int]:
    """Excerpt ids matching the FTS5 `expression` (column filters `text :` / `lemmas :`), best first (bm25)."""
    rows = store._db.execute("SELECT rowid FROM excerpt_search WHERE excerpt_search MATCH ? "
                             "ORDER BY bm25(excerpt_search)", (expression,)).fetchall()
    return [int(r[0]) for r in rows]


def save_set(store: Store, found: SearchSet) -> None:
    store._db.execute("INSERT INTO search_sets (name, query, filters, excerpt_ids, reviewer, created_at) "
                      "VALUES (?, ?, ?, ?, ?, ?)",
                      (found.name, found.query, json.dumps(found.filters, ensure_ascii=False),
                       json.dumps(list(found.excerpt_ids)), found.reviewer, found.created_at or now()))


def search_sets(store: Store) -> list[SearchSet]:
    """The newest version of every saved set, by name."""
    rows = store._db.execute("SELECT * FROM search_sets WHERE id IN (SELECT MAX(id) FROM search_sets GROUP BY name) "
                             "ORDER BY name").fetchall()
    return [SearchSet(r["name"], r["query"], json.loads(r["filters"]), tuple(json.loads(r["excerpt_ids"])),
                      r["reviewer"], r["created_at"]) for r in rows]
