"""Read excerpts as a pandas frame: the plain data every later stage works on."""

from __future__ import annotations

from typing import Iterator

import pandas as pd

from pipeline.store.db import Store

EXCERPT_COLUMNS = ["excerpt_id", "key", "source", "source_id", "version", "informant", "role", "site", "method",
                   "date", "round", "speaker", "start", "end", "text", "context", "n_words"]

_QUERY = """
SELECT e.id AS excerpt_id, e.key, s.name AS source, s.id AS source_id, s.version, s.informant_id AS informant,
       i.role, COALESCE(s.site, i.site) AS site, s.method, s.date, s.round, e.speaker, e.start, e.end, e.text,
       e.context, e.n_words
FROM excerpts e
JOIN sources s ON s.id = e.source_id
LEFT JOIN informants i ON i.id = s.informant_id
WHERE {where}
ORDER BY s.name, e.unit, e.window
"""
_CURRENT = "s.version = (SELECT MAX(version) FROM sources WHERE name = s.name)"


def excerpts_frame(store: Store, *, current_only: bool = True) -> pd.DataFrame:
    """One row per excerpt (columns EXCERPT_COLUMNS); by default only the newest version of each source."""
    query = _QUERY.format(where=_CURRENT if current_only else "1 = 1")
    frame = pd.read_sql_query(query, store._db)
    return frame.reindex(columns=EXCERPT_COLUMNS)


def source_text(store: Store, source_id: int) -> str:
    row = store._db.execute("SELECT text FROM sources WHERE id = ?", (source_id,)).fetchone()
    return "" if row is None else str(row[0])


def iter_excerpt_texts(store: Store, batch_size: int = 2000) -> Iterator[tuple[int, str]]:
    """Stream (excerpt_id, text) of current excerpts in batches, so memory stays flat on large projects."""
    query = ("SELECT e.id, e.text FROM excerpts e JOIN sources s ON s.id = e.source_id"
             f" WHERE {_CURRENT} ORDER BY e.id")
    cursor = store._db.execute(query)
    while rows := cursor.fetchmany(batch_size):
        yield from ((int(r[0]), str(r[1])) for r in rows)
