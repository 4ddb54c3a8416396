"""Model events as stored: what happened to each model version (trained / promoted / kept), append-only."""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from pipeline.store.db import Store, now


class ModelEvent(NamedTuple):
    """One row of `model_events`."""

    id: int
    version: str
    path: str
    event: str  # trained | promoted | kept
    watermark: int | None  # the last decision id the model learned from
    compared_to: str | None
    metrics: dict[str, Any]
    forced: bool
    created_at: str


def record_model_event(store: Store, version: str, path: str, event: str, *, watermark: int | None,
                       compared_to: str | None = None, metrics: dict[str, Any] | None = None,
                       forced: bool = False) -> None:
    with store.transaction():
        store._db.execute(
            "INSERT INTO model_events (version, path, event, watermark, compared_to, metrics, forced, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (version, path, event, watermark, compared_to, json.dumps(metrics or {}, ensure_ascii=False),
             int(forced), now()))


def model_events(store: Store) -> list[ModelEvent]:
    rows = store._db.execute("SELECT * FROM model_events ORDER BY id").fetchall()
    return [ModelEvent(id=int(r["id"]), version=str(r["version"]), path=str(r["path"]), event=str(r["event"]),
                       watermark=None if r["watermark"] is None else int(r["watermark"]),
                       compared_to=r["compared_to"], metrics=json.loads(r["metrics"]), forced=bool(r["forced"]),
                       created_at=str(r["created_at"])) for r in rows]
