"""The append-only decision log and the verified labels derived from it.

A decision never changes: undo is a new decision that points at the one it cancels. The current labels of an
excerpt are the replay, in log order, of its effective label decisions:
    set / change / accept  -> labels := codes      (accept: the reviewer takes these suggested codes)
    add                    -> labels |= codes
    remove / reject        -> labels -= codes      (reject: the suggested codes are wrong)
    note                   -> no change
    undo                   -> the decision it points to (and only that one) stops counting
An excerpt with at least one effective label decision is *verified*, even when its label set is empty ("no code").

Across reviewers the replay is one log: the latest effective decision of anyone wins (per-reviewer labels, for
agreement, come from `current_labels(db, reviewer=...)`). `until=N` replays only decisions with id <= N: the labels
as they stood then (a model records the last decision id it learned from, so it can be re-fit on exactly that).
Writers call `append` inside `store.transaction()` (BEGIN IMMEDIATE): concurrent writers queue, none is lost.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Iterable

from pipeline.errors import ReviewError
from pipeline.store.db import now

LABEL_ACTIONS = ("set", "change", "accept", "add", "remove", "reject")
ACTIONS = (*LABEL_ACTIONS, "note", "undo")
ORIGINS = ("review", "spreadsheet", "qdpx", "gold", "import")


@dataclass(frozen=True)
class Decision:
    excerpt_id: int
    reviewer: str
    action: str
    codes: tuple[str, ...] = ()
    note: str | None = None
    suggestion_run_id: int | None = None
    model_version: str | None = None
    undoes: int | None = None
    origin: str = "review"
    id: int | None = None
    created_at: str | None = None


def append(db: sqlite3.Connection, decisions: Iterable[Decision], known_codes: Iterable[str] | None = None
           ) -> list[int]:
    """Append decisions (call inside a transaction); returns their ids. Validates before writing anything."""
    batch = list(decisions)
    codes = None if known_codes is None else set(known_codes)
    for decision in batch:
        _validate(db, decision, codes)
    ids = []
    for d in batch:
        cursor = db.execute(
            "INSERT INTO decisions (excerpt_id, reviewer, action, codes, note, suggestion_run_id, model_version,"
            " undoes, origin, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (d.excerpt_id, d.reviewer, d.action, json.dumps(sorted(set(d.codes))), d.note, d.suggestion_run_id,
             d.model_version, d.undoes, d.origin, d.created_at or now()))
        ids.append(int(cursor.lastrowid))
    return ids


def history(db: sqlite3.Connection, excerpt_id: int | None = None, reviewer: str | None = None,
            until: int | None = None) -> list[Decision]:
    """Decisions in log order, optionally for one excerpt and/or one reviewer, and up to decision id `until`."""
    clauses: list[str] = []
    params: list[object] = []
    if until is not None:
        clauses.append("id <= ?")
        params.append(until)
    if excerpt_id is not None:
        clauses.append("excerpt_id = ?")
        params.append(excerpt_id)
    if reviewer is not None:
        clauses.append("reviewer = ?")
        params.append(reviewer)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = db.execute(f"SELECT * FROM decisions {where} ORDER BY id", params).fetchall()
    return [Decision(excerpt_id=r["excerpt_id"], reviewer=r["reviewer"], action=r["action"],
                     codes=tuple(json.loads(r["codes"])), note=r["note"], suggestion_run_id=r["suggestion_run_id"],
                     model_version=r["model_version"], undoes=r["undoes"], origin=r["origin"], id=r["id"],
                     created_at=r["created_at"]) for r in rows]


def current_labels(db: sqlite3.Connection, reviewer: str | None = None, until: int | None = None
                   ) -> dict[int, frozenset[str]]:
    """Verified labels per excerpt id (only verified excerpts appear), from all reviewers or from one; with
    `until`, as they stood after decision `until`."""
    log = history(db, reviewer=reviewer, until=until)
    if reviewer is not None:  # an undo by someone else can still cancel this reviewer's decision
        targets = {d.id for d in log}
        log = sorted([*log, *(d for d in history(db, until=until) if d.action == "undo" and d.undoes in targets)],
                     key=lambda d: d.id or 0)
    cancelled = cancelled_ids(log)
    labels: dict[int, set[str]] = {}
    for decision in log:
        if decision.id in cancelled or decision.action not in LABEL_ACTIONS:
            continue
        current = labels.setdefault(decision.excerpt_id, set())
        codes = set(decision.codes)
        if decision.action in ("set", "change", "accept"):
            current.clear()
            current |= codes
        elif decision.action == "add":
            current |= codes
        else:
            current -= codes
    return {excerpt_id: frozenset(codes) for excerpt_id, codes in labels.items()}


def cancelled_ids(log: list[Decision]) -> set[int]:
    """Ids cancelled by effective undos; an undo can itself be undone (replayed newest first)."""
    cancelled: set[int] = set()
    for decision in sorted(log, key=lambda d: d.id or 0, reverse=True):
        if decision.action == "undo" and decision.id not in cancelled and decision.undoes is not None:
            cancelled.add(decision.undoes)
    return cancelled


def labels_by_reviewer(db: sqlite3.Connection, origins: Iterable[str] | None = None
                       ) -> dict[str, dict[int, frozenset[str]]]:
    """Each reviewer's own verified labels (for agreement), optionally only reviewers with decisions of `origins`."""
    wanted = None if origins is None else set(origins)
    names = [r for r, in db.execute("SELECT DISTINCT reviewer FROM decisions ORDER BY reviewer")
             if wanted is None or db.execute(f"SELECT 1 FROM decisions WHERE reviewer = ? AND origin IN "
                                            f"({','.join('?' * len(wanted))})", (r, *wanted)).fetchone()]
    return {name: current_labels(db, reviewer=name) for name in names}


def last_undoable(db: sqlite3.Connection, reviewer: str) -> Decision | None:
    """The reviewer's most recent decision that still counts (not an undo, not cancelled): what `undo` cancels."""
    log = history(db, reviewer=reviewer)
    cancelled = cancelled_ids([*log, *(d for d in history(db) if d.action == "undo")])
    for decision in reversed(log):
        if decision.action != "undo" and decision.id not in cancelled:
            return decision
    return None


def undo(db: sqlite3.Connection, reviewer: str, *, origin: str = "review") -> Decision | None:
    """Append an undo of the reviewer's last decision that still counts (inside a transaction); None if none."""
    target = last_undoable(db, reviewer)
    if target is None:
        return None
    event = Decision(target.excerpt_id, reviewer, "undo", undoes=target.id, origin=origin)
    [new_id] = append(db, [event])
    return replace(event, id=new_id)


def watermark(db: sqlite3.Connection) -> int:
    """The id of the newest decision (0 for an empty log): `current_labels(db, until=watermark)` is reproducible."""
    return int(db.execute("SELECT COALESCE(MAX(id), 0) FROM decisions").fetchone()[0])


def reviewers(db: sqlite3.Connection) -> dict[str, int]:
    """Reviewer -> number of decisions."""
    return dict(db.execute("SELECT reviewer, COUNT(*) FROM decisions GROUP BY reviewer ORDER BY reviewer"))


def _validate(db: sqlite3.Connection, d: Decision, known_codes: set[str] | None) -> None:
    if d.action not in ACTIONS:
        raise ReviewError(f"unknown action '{d.action}'", hint=f"use one of: {', '.join(ACTIONS)}")
    if d.origin not in ORIGINS:
        raise ReviewError(f"unknown origin '{d.origin}'", hint=f"use one of: {', '.join(ORIGINS)}")
    if not d.reviewer.strip():
        raise ReviewError("a decision needs a reviewer name")
    if known_codes is not None:
        unknown = sorted(set(d.codes) - known_codes)
        if unknown:
            raise ReviewError(f"unknown code(s) {', '.join(unknown)} for excerpt {d.excerpt_id}",
                              hint=f"known codes: {', '.join(sorted(known_codes))}")
    if db.execute("SELECT 1 FROM excerpts WHERE id = ?", (d.excerpt_id,)).fetchone() is None:
        raise ReviewError(f"no excerpt with id {d.excerpt_id}")
    if d.action == "undo":
        target = db.execute("SELECT excerpt_id FROM decisions WHERE id = ?", (d.undoes,)).fetchone()
        if target is None or target[0] != d.excerpt_id:
            raise ReviewError(f"undo must point at an earlier decision on excerpt {d.excerpt_id}")
