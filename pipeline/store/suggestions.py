"""Suggestions as stored: one row per (run, excerpt, code) with probability, rank, origin, reasons and versions.

`reasons` are the informant's words that pushed a suggestion; `context_reasons` the interviewer's question words
that moved its score (migration 0021; `[]` for suggestions stored before it, or from a frame without the column).
"""

from __future__ import annotations

import json

import pandas as pd

from pipeline.errors import StoreError
from pipeline.store.db import Store

COLUMNS = ["run_id", "excerpt_id", "key", "code", "probability", "rank", "origin", "reasons", "model_version",
           "codebook_version", "context_reasons"]
_REQUIRED = ("excerpt_id", "code", "probability", "rank", "origin", "reasons", "model_version")


def save_suggestions(store: Store, run_id: int, suggestions: pd.DataFrame, codebook_version: str) -> int:
    """Store the suggest stage's frame for `run_id` in one transaction; reasons become a JSON list."""
    missing = [c for c in _REQUIRED if c not in suggestions.columns]
    if missing:
        raise StoreError(f"suggestions lack column(s) {', '.join(missing)}")
    context = (suggestions["context_reasons"] if "context_reasons" in suggestions.columns
               else pd.Series([()] * len(suggestions), index=suggestions.index))
    rows = [(run_id, int(r.excerpt_id), str(r.code), float(r.probability), int(r.rank), str(r.origin),
             json.dumps(list(r.reasons), ensure_ascii=False), str(r.model_version), codebook_version,
             json.dumps(_terms(question), ensure_ascii=False))
            for r, question in zip(suggestions.itertuples(index=False), context)]
    with store.transaction():
        store._db.executemany("INSERT INTO suggestions (run_id, excerpt_id, code, probability, rank, origin, reasons,"
                              " model_version, codebook_version, context_reasons)"
                              " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return len(rows)


def load_suggestions(store: Store, run_id: int | None = None) -> pd.DataFrame:
    """Suggestions of one run, or by default each excerpt's suggestions from the latest run that suggested for it.

    Columns COLUMNS, ordered by excerpt then rank; `reasons` and `context_reasons` are lists of strings.
    """
    if run_id is None:
        where = "s.run_id = (SELECT MAX(run_id) FROM suggestions WHERE excerpt_id = s.excerpt_id)"
        params: tuple[int, ...] = ()
    else:
        where, params = "s.run_id = ?", (run_id,)
    frame = pd.read_sql_query(
        "SELECT s.run_id, s.excerpt_id, e.key, s.code, s.probability, s.rank, s.origin, s.reasons, s.model_version,"
        " s.codebook_version, s.context_reasons FROM suggestions s JOIN excerpts e ON e.id = s.excerpt_id"
        f" WHERE {where}"
        " ORDER BY s.excerpt_id, s.rank", store._db, params=params)
    frame["reasons"] = [json.loads(text) for text in frame["reasons"]]
    frame["context_reasons"] = [json.loads(text) for text in frame["context_reasons"]]
    return frame.reindex(columns=COLUMNS)


def suggestions_for(store: Store, excerpt_ids: list[int]) -> list[tuple[int, str, float, list[str]]]:
    """(excerpt id, code, probability, reasons) of these excerpts' latest suggestion run, best first."""
    if not excerpt_ids:
        return []
    marks = ",".join("?" * len(excerpt_ids))
    rows = store._db.execute(
        "SELECT s.excerpt_id, s.code, s.probability, s.reasons FROM suggestions s"
        f" WHERE s.excerpt_id IN ({marks})"
        " AND s.run_id = (SELECT MAX(run_id) FROM suggestions WHERE excerpt_id = s.excerpt_id)"
        " ORDER BY s.excerpt_id, s.rank", excerpt_ids).fetchall()
    return [(int(e), str(c), float(p), list(json.loads(r))) for e, c, p, r in rows]


def suggested_counts(store: Store) -> dict[str, int]:
    """Code -> how many excerpts it is suggested for, counting each excerpt's latest run (as `load_suggestions`)."""
    rows = store._db.execute(
        "SELECT s.code, COUNT(DISTINCT s.excerpt_id) FROM suggestions s JOIN"
        " (SELECT excerpt_id, MAX(run_id) AS run_id FROM suggestions GROUP BY excerpt_id) latest"
        " ON latest.excerpt_id = s.excerpt_id AND latest.run_id = s.run_id GROUP BY s.code").fetchall()
    return {str(code): int(n) for code, n in rows}


def _terms(value: object) -> list[str]:
    """A list of terms from a cell that may be missing (NaN/None) or any sequence."""
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return []


def latest_suggestion_run(store: Store) -> tuple[int, str] | None:
    """(run id, model version) of the newest stored suggestion, or None when nothing was suggested yet."""
    row = store._db.execute("SELECT run_id, model_version FROM suggestions ORDER BY run_id DESC LIMIT 1").fetchone()
    return None if row is None else (int(row[0]), str(row[1]))
