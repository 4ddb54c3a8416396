"""Suggestions as stored: one row per (run, excerpt, code) with probability, rank, origin, reasons and versions."""

from __future__ import annotations

import json

import pandas as pd

from pipeline.errors import StoreError
from pipeline.store.db import Store

COLUMNS = ["run_id", "excerpt_id", "key", "code", "probability", "rank", "origin", "reasons", "model_version",
           "codebook_version"]
_REQUIRED = ("excerpt_id", "code", "probability", "rank", "origin", "reasons", "model_version")


def save_suggestions(store: Store, run_id: int, suggestions: pd.DataFrame, codebook_version: str) -> int:
    """Store the suggest stage's frame for `run_id` in one transaction; reasons become a JSON list."""
    missing = [c for c in _REQUIRED if c not in suggestions.columns]
    if missing:
        raise StoreError(f"suggestions lack column(s) {', '.join(missing)}")
    rows = [(run_id, int(r.excerpt_id), str(r.code), float(r.probability), int(r.rank), str(r.origin),
             json.dumps(list(r.reasons), ensure_ascii=False), str(r.model_version), codebook_version)
            for r in suggestions.itertuples(index=False)]
    with store.transaction():
        store._db.executemany("INSERT INTO suggestions (run_id, excerpt_id, code, probability, rank, origin, reasons,"
                       " model_version, codebook_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return len(rows)


def load_suggestions(store: Store, run_id: int | None = None) -> pd.DataFrame:
    """Suggestions of one run, or by default each excerpt's suggestions from the latest run that suggested for it.

    Columns COLUMNS, ordered by excerpt then rank; `reasons` is a list of strings.
    """
    if run_id is None:
        where = "s.run_id = (SELECT MAX(run_id) FROM suggestions WHERE excerpt_id = s.excerpt_id)"
        params: tuple[int, ...] = ()
    else:
        where, params = "s.run_id = ?", (run_id,)
    frame = pd.read_sql_query(
        "SELECT s.run_id, s.excerpt_id, e.key, s.code, s.probability, s.rank, s.origin, s.reasons, s.model_version,"
        f" s.codebook_version FROM suggestions s JOIN excerpts e ON e.id = s.excerpt_id WHERE {where}"
        " ORDER BY s.excerpt_id, s.rank", store._db, params=params)
    frame["reasons"] = [json.loads(text) for text in frame["reasons"]]
    return frame.reindex(columns=COLUMNS)


def latest_suggestion_run(store: Store) -> tuple[int, str] | None:
    """(run id, model version) of the newest stored suggestion, or None when nothing was suggested yet."""
    row = store._db.execute("SELECT run_id, model_version FROM suggestions ORDER BY run_id DESC LIMIT 1").fetchone()
    return None if row is None else (int(row[0]), str(row[1]))
