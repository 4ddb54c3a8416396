"""Double coding: split excerpts among reviewers so that an overlapping sample is coded by two of them.

`plan(excerpt_ids, reviewers, overlap, seed, size)` is pure; `assign(store, ...)` records a round in the append-only
`review_assignments` table. A reviewer with assignments sees only those in `reduksi review` (unless `--all`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipeline.errors import ReviewError
from pipeline.store import Store
from pipeline.store.db import now


@dataclass(frozen=True)
class Assignment:
    excerpt_id: int
    reviewer: str
    overlap: bool  # also assigned to another reviewer


def plan(excerpt_ids: list[int], reviewers: tuple[str, ...], overlap: float, seed: int,
         size: int | None = None) -> list[Assignment]:
    """Draw `size` excerpts (all by default) at random; a share `overlap` of them goes to two reviewers (pairs
    rotate, so every pair of reviewers shares some), the rest to one reviewer each, in turn."""
    names = tuple(dict.fromkeys(r.strip() for r in reviewers if r.strip()))
    if len(names) < 2:
        raise ReviewError("double coding needs at least two different reviewers", hint="--reviewers ani,budi")
    if not 0 <= overlap <= 1:
        raise ReviewError(f"overlap must be between 0 and 1, got {overlap}")
    rng = np.random.default_rng(seed)
    drawn = [int(e) for e in rng.permutation(sorted(excerpt_ids))][:size if size is not None else None]
    n_double = round(overlap * len(drawn))
    result = []
    pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1:]]
    for i, excerpt_id in enumerate(drawn[:n_double]):
        a, b = pairs[i % len(pairs)]
        result += [Assignment(excerpt_id, a, True), Assignment(excerpt_id, b, True)]
    for i, excerpt_id in enumerate(drawn[n_double:]):
        result.append(Assignment(excerpt_id, names[i % len(names)], False))
    return result


def assign(store: Store, candidates: list[int], reviewers: tuple[str, ...], overlap: float, seed: int,
           size: int | None = None) -> tuple[str, list[Assignment]]:
    """Plan and record one round; returns (round name, assignments)."""
    planned = plan(candidates, reviewers, overlap, seed, size)
    if not planned:
        raise ReviewError("no excerpts to assign", hint="every current excerpt is already verified or assigned")
    with store.transaction() as db:
        number = 1 + db.execute("SELECT COUNT(DISTINCT round) FROM review_assignments").fetchone()[0]
        name = f"round-{number}"
        created = now()
        db.executemany("INSERT INTO review_assignments (round, excerpt_id, reviewer, overlap, created_at)"
                       " VALUES (?, ?, ?, ?, ?)",
                       [(name, a.excerpt_id, a.reviewer, int(a.overlap), created) for a in planned])
    return name, planned


def assigned_ids(store: Store) -> set[int]:
    return {int(r[0]) for r in store.db.execute("SELECT DISTINCT excerpt_id FROM review_assignments")}
