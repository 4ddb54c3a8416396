"""The SQLite project store and its repositories (one small module per kind of record)."""

from pipeline.store.db import STORE_FILE, Store

__all__ = ["STORE_FILE", "Store"]
