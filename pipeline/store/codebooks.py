"""Codebook versions used by the project: each suggestion and model names one by its content hash."""

from __future__ import annotations

from pipeline.codebook import Codebook
from pipeline.store.db import Store, now


def record_codebook(store: Store, codebook: Codebook) -> bool:
    """Store this codebook version if it is new (call inside a transaction); True when it was added."""
    cursor = store._db.execute("INSERT OR IGNORE INTO codebooks (version, path, content, loaded_at)"
                               " VALUES (?, ?, ?, ?)",
                               (codebook.version, codebook.path, codebook.content, now()))
    return cursor.rowcount == 1
