"""The append-only decision log as stored; the rules that read it live in `pipeline.decision_log`.

Writers call `append` inside `store.transaction()` (BEGIN IMMEDIATE): concurrent writers queue, none is lost.
`until=N` reads only decisions with id <= N: the labels as they stood then (a model records the last decision id it
learned from, so it can be re-fit on exactly that).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace

from pipeline.decision_log import (
    ACTIONS,
    LABEL_ACTIONS,
    ORIGINS,
    Decision,
    LabelState,
    first_spellings,
    last_undoable,
    replay,
    reviewer_key,
)
from pipeline.errors import ReviewError
from pipeline.store.db import Store, now

__all__ = ["ACTIONS", "LABEL_ACTIONS", "ORIGINS", "Decision", "append", "current_labels", "history",
           "irrelevant_excerpts", "label_state", "labels_by_reviewer", "reviewers", "spelling", "undo", "watermark"]


def append(store: Store, decisions: Iterable[Decision], known_codes: Iterable[str] | None = None) -> list[int]:
    """Append decisions (call inside a transaction); returns their ids. Validates before writing anything."""
    batch = list(decisions)
    codes = None if known_codes is None else set(known_codes)
    for decision in batch:
        _validate(store, decision, codes)
    ids = []
    for d in batch:
        d = replace(d, reviewer=spelling(store, d.reviewer))
        cursor = store._db.execute(
            "INSERT INTO decisions (excerpt_id, reviewer, action, codes, note, suggestion_run_id, model_version,"
            " undoes, origin, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (d.excerpt_id, d.reviewer, d.action, json.dumps(sorted(set(d.codes))), d.note, d.suggestion_run_id,
             d.model_version, d.undoes, d.origin, d.created_at or now()))
        ids.append(int(cursor.lastrowid or 0))
    return ids


def history(store: Store, excerpt_id: int | None = None, reviewer: str | None = None,
            until: int | None = None) -> list[Decision]:
    """Decisions in log order, optionally for one excerpt and/or one reviewer, and up to decision id `until`."""
    clauses: list[str] = []
    params: list[object] = []
    for clause, value in (("id <= ?", until), ("excerpt_id = ?", excerpt_id),
                          ("reviewer_key(reviewer) = reviewer_key(?)", reviewer)):
        if value is not None:
            clauses.append(clause)
            params.append(value)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = store._db.execute(f"SELECT * FROM decisions {where} ORDER BY id", params).fetchall()
    names = _spellings(store)
    return [Decision(excerpt_id=r["excerpt_id"], reviewer=names.get(r["reviewer"], r["reviewer"]), action=r["action"],
                     codes=tuple(json.loads(r["codes"])), note=r["note"], suggestion_run_id=r["suggestion_run_id"],
                     model_version=r["model_version"], undoes=r["undoes"], origin=r["origin"], id=r["id"],
                     created_at=r["created_at"]) for r in rows]


def label_state(store: Store, until: int | None = None, log: list[Decision] | None = None) -> LabelState:
    """The whole log replayed once (labels, per-reviewer labels, authors), read through the codebook's changes;
    excerpts sent back to review count as unverified until decided again. `log`: the history already read."""
    from pipeline.store.codebooks import codebook_changes, review_requests

    found = history(store, until=until) if log is None else log
    return replay(found, codebook_changes(store), review_requests(store))


def current_labels(store: Store, reviewer: str | None = None, until: int | None = None
                   ) -> dict[int, frozenset[str]]:
    """Verified labels per excerpt id (only verified excerpts appear), from all reviewers or from one; with
    `until`, as they stood after decision `until`."""
    state = label_state(store, until)
    return state.labels if reviewer is None else state.by_reviewer.get(reviewer, {})


def irrelevant_excerpts(store: Store) -> frozenset[int]:
    """Excerpts marked "tidak relevan" (their latest effective label decision is `irrelevant`): the app layer passes
    them on as non-substantive, so clustering leaves them out and the review queue puts them last."""
    return label_state(store).irrelevant


def labels_by_reviewer(store: Store, origins: Iterable[str] | None = None) -> dict[str, dict[int, frozenset[str]]]:
    """Each coder's own verified labels (for agreement), optionally only reviewers with decisions of `origins`; an
    adjudicator's settling decisions make nobody a coder."""
    log = history(store)
    wanted = None if origins is None else set(origins)
    names = sorted({d.reviewer for d in log if d.origin != "adjudication" and (wanted is None or d.origin in wanted)})
    mine = label_state(store).by_reviewer
    return {name: mine.get(name, {}) for name in names}


def undo(store: Store, reviewer: str, *, origin: str = "review") -> Decision | None:
    """Append an undo of the reviewer's last decision that still counts (inside a transaction); None if none."""
    reviewer = spelling(store, reviewer)
    target = last_undoable(history(store), reviewer)
    if target is None:
        return None
    event = Decision(target.excerpt_id, reviewer, "undo", undoes=target.id, origin=origin)
    [new_id] = append(store, [event])
    return replace(event, id=new_id)


def watermark(store: Store) -> int:
    """The id of the newest decision (0 for an empty log): `current_labels(store, until=watermark)` is
    reproducible."""
    return int(store._db.execute("SELECT COALESCE(MAX(id), 0) FROM decisions").fetchone()[0])


def reviewers(store: Store) -> dict[str, int]:
    """Reviewer (as first spelled) -> number of decisions."""
    names = _spellings(store)
    counts: dict[str, int] = {}
    for name, count in store._db.execute("SELECT reviewer, COUNT(*) FROM decisions GROUP BY reviewer"):
        counts[names[name]] = counts.get(names[name], 0) + int(count)
    return dict(sorted(counts.items()))


def spelling(store: Store, name: str) -> str:
    """The name a reviewer is known by in this log (case and spaces aside), else `name` trimmed."""
    known = {reviewer_key(first): first for first in _spellings(store).values()}
    return known.get(reviewer_key(name), " ".join(str(name).split()))


def _spellings(store: Store) -> dict[str, str]:
    rows = store._db.execute("SELECT reviewer FROM decisions GROUP BY reviewer ORDER BY MIN(id)").fetchall()
    return first_spellings(str(r[0]) for r in rows)


def _validate(store: Store, d: Decision, known_codes: set[str] | None) -> None:
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
    if store._db.execute("SELECT 1 FROM excerpts WHERE id = ?", (d.excerpt_id,)).fetchone() is None:
        raise ReviewError(f"no excerpt with id {d.excerpt_id}")
    if d.action == "irrelevant" and d.codes:
        raise ReviewError(f"'tidak relevan' takes no codes (excerpt {d.excerpt_id})",
                          hint="mark the excerpt irrelevant, or decide on its codes, not both")
    if d.action == "undo":
        target = store._db.execute("SELECT excerpt_id FROM decisions WHERE id = ?", (d.undoes,)).fetchone()
        if target is None or target[0] != d.excerpt_id:
            raise ReviewError(f"undo must point at an earlier decision on excerpt {d.excerpt_id}")
