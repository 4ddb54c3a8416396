"""The review decision log's rules: what a decision is, what an outcome writes, and how the log replays to labels.

A decision never changes: undo is a new decision that points at the one it cancels. The current labels of an
excerpt are the replay, in log order, of its effective label decisions:
    set / change / accept  -> labels := codes      (accept: the reviewer takes these suggested codes)
    add                    -> labels |= codes
    remove / reject        -> labels -= codes      (reject: the suggested codes are wrong)
    note                   -> no change
    undo                   -> the decision it points to (and only that one) stops counting
An excerpt with at least one effective label decision is *verified*, even when its label set is empty ("no code").
Across reviewers the replay is one log: the latest effective decision of anyone wins; each reviewer's own labels
(for agreement) replay only that reviewer's decisions. This module holds no SQL: `pipeline.store.decisions`
reads and appends the log, and every reader of labels goes through `replay`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

LABEL_ACTIONS = ("set", "change", "accept", "add", "remove", "reject")
ACTIONS = (*LABEL_ACTIONS, "note", "undo")
ORIGINS = ("review", "spreadsheet", "qdpx", "gold", "import")
_REPLACE = ("set", "change", "accept")
Step = tuple[str, frozenset[str]]  # (action, codes)


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


@dataclass(frozen=True)
class LabelState:
    """The log replayed once: labels overall, per reviewer, and who gave each current code (and when)."""

    labels: dict[int, frozenset[str]] = field(default_factory=dict)
    by_reviewer: dict[str, dict[int, frozenset[str]]] = field(default_factory=dict)
    authors: dict[tuple[int, str], tuple[str, str]] = field(default_factory=dict)


def cancelled_ids(log: Iterable[Decision]) -> set[int]:
    """Ids cancelled by effective undos; an undo can itself be undone (replayed newest first)."""
    cancelled: set[int] = set()
    for decision in sorted(log, key=lambda d: d.id or 0, reverse=True):
        if decision.action == "undo" and decision.id not in cancelled and decision.undoes is not None:
            cancelled.add(decision.undoes)
    return cancelled


def replay(log: Sequence[Decision]) -> LabelState:
    """One pass over the log (in id order): O(n) whatever the number of reviewers."""
    cancelled = cancelled_ids(log)
    labels: dict[int, set[str]] = {}
    mine: dict[str, dict[int, set[str]]] = {}
    authors: dict[int, dict[str, tuple[str, str]]] = {}
    for d in log:
        if d.id in cancelled or d.action not in LABEL_ACTIONS:
            continue
        _apply(labels.setdefault(d.excerpt_id, set()), d)
        _apply(mine.setdefault(d.reviewer, {}).setdefault(d.excerpt_id, set()), d)
        _credit(authors.setdefault(d.excerpt_id, {}), d)
    return LabelState(labels={e: frozenset(c) for e, c in labels.items()},
                      by_reviewer={r: {e: frozenset(c) for e, c in own.items()} for r, own in mine.items()},
                      authors={(e, c): who for e, codes in authors.items() for c, who in codes.items()})


def _apply(current: set[str], d: Decision) -> None:
    if d.action in _REPLACE:
        current.clear()
        current.update(d.codes)
    elif d.action == "add":
        current.update(d.codes)
    else:
        current.difference_update(d.codes)


def _credit(current: dict[str, tuple[str, str]], d: Decision) -> None:
    if d.action in _REPLACE:
        current.clear()
    if d.action in (*_REPLACE, "add"):
        current.update({c: (d.reviewer, d.created_at or "") for c in d.codes if c not in current})
    else:
        for code in d.codes:
            current.pop(code, None)


def last_undoable(log: Sequence[Decision], reviewer: str) -> Decision | None:
    """The reviewer's most recent decision that still counts (not an undo, not cancelled): what `undo` cancels."""
    cancelled = cancelled_ids(log)
    for decision in reversed(log):
        if decision.reviewer == reviewer and decision.action != "undo" and decision.id not in cancelled:
            return decision
    return None


def selection_steps(suggested: frozenset[str], chosen: frozenset[str]) -> list[Step]:
    """A reviewer's saved selection, in the log's words:
        selection == suggested                 -> accept(suggested)   (also "no code" when nothing was suggested)
        selection > suggested (non-empty)      -> accept(suggested) + add(the extra codes)
        selection empty, something suggested   -> reject(suggested)
        otherwise                              -> change(selection)"""
    if chosen == suggested:
        return [("accept", suggested)]
    if suggested and chosen > suggested:
        return [("accept", suggested), ("add", chosen - suggested)]
    if suggested and not chosen:
        return [("reject", suggested)]
    return [("change", chosen)]


def outcome_steps(outcome: str, suggested: frozenset[str], marked: frozenset[str]) -> list[Step]:
    """A named outcome (a spreadsheet's decision column, a button) in the log's words."""
    steps: dict[str, list[Step]] = {
        "accept": [("accept", suggested)], "reject": [("reject", suggested)], "change": [("change", marked)],
        "add": [("accept", suggested), ("add", marked - suggested)], "note": [("note", frozenset())]}
    return steps[outcome]
