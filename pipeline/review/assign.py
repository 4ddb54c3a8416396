"""Double coding: split excerpts among reviewers so that an overlapping sample is coded by two of them.

`plan(excerpt_ids, reviewers, overlap, seed, size)` is pure; `pipeline.app.review.assign_round` records a round in
the append-only `review_assignments` table. A reviewer with assignments sees only those in `reduksi review`
(unless `--all`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipeline.errors import ReviewError


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
