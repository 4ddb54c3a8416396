"""The review decision log's rules: what a decision is, what an outcome writes, and how the log replays to labels.

A decision never changes: undo is a new decision that points at the one it cancels. The current labels of an
excerpt are the replay, in log order, of its effective label decisions:
    set / change / accept  -> labels := codes      (accept: the reviewer takes these suggested codes)
    irrelevant             -> labels := {}         ("tidak relevan": verified with no code, and non-substantive)
    add                    -> labels |= codes
    remove / reject        -> labels -= codes      (reject: the suggested codes are wrong)
    note                   -> no change
    undo                   -> the decision it points to (and only that one) stops counting
An excerpt with at least one effective label decision is *verified*, even when its label set is empty ("no code").
An excerpt whose latest effective label decision is `irrelevant` ("tidak relevan") is verified with no code, so it
trains as a "no code" example and agreement reads it as "no code"; it is also *irrelevant*
(`LabelState.irrelevant`): clustering leaves it out and the queue puts it last. Any later label decision (a code, a
reject) ends the mark; undoing the `irrelevant` decision ends it too.
Across reviewers the replay is one log: the latest effective decision of anyone wins; each reviewer's own labels
(for agreement) replay only that reviewer's decisions. This module holds no SQL: `pipeline.store.decisions`
reads and appends the log, and every reader of labels goes through `replay`.

Reviewer names match case-insensitively with spaces trimmed (`reviewer_key`): "Ani ", "ani" and "ANI" are one
reviewer, shown as first spelled. An adjudicator's decision (origin `adjudication`) settles a disagreement between
coders: it is the excerpt's final label, while each coder's own labels (for agreement) stay as they coded them.

Codebook changes never rewrite the log: a decision's codes are read through every change made after it (its id
<= the change's watermark): rename and merge carry a code to its new id, split and retire take it away. An excerpt
sent back to review (after a split, or when a candidate theme is adopted) counts as unverified until somebody
decides on it again; it stays in the log, so nothing is lost.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

LABEL_ACTIONS = ("set", "change", "accept", "add", "remove", "reject", "irrelevant")
ACTIONS = (*LABEL_ACTIONS, "note", "undo")
ORIGINS = ("review", "spreadsheet", "qdpx", "gold", "import", "adjudication")
_REPLACE = ("set", "change", "accept", "irrelevant")
_MOVES = ("rename", "merge", "split", "retire")  # codebook changes that move or take away a decision's codes
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
class CodebookChange:
    """One change to a project's codebook (stored in `codebook_changes`)."""

    operation: str  # add | edit | rename | merge | split | retire | adopt
    codes: tuple[str, ...]
    targets: tuple[str, ...] = ()  # rename, merge: the one code they become; split: the new codes
    watermark: int = 0  # the newest decision id when the change was made
    from_version: str = ""
    to_version: str = ""
    reviewer: str = ""
    note: str = ""
    id: int | None = None
    created_at: str | None = None


def translate(codes: Iterable[str], decision_id: int, changes: Sequence[CodebookChange]) -> tuple[str, ...]:
    """The codes of decision `decision_id` as they read after every later codebook change."""
    current = set(codes)
    for change in changes:
        if change.operation not in _MOVES or decision_id > change.watermark or not current & set(change.codes):
            continue
        current -= set(change.codes)
        if change.operation in ("rename", "merge"):
            current.add(change.targets[0])
    return tuple(sorted(current))


def reviewer_key(name: str) -> str:
    """The identity of a reviewer name: trimmed, inner spaces collapsed, case-folded."""
    return " ".join(str(name).split()).casefold()


def first_spellings(names: Iterable[str]) -> dict[str, str]:
    """Each name (in order of first use) -> the first spelling of its reviewer, trimmed."""
    first: dict[str, str] = {}
    return {name: first.setdefault(reviewer_key(name), " ".join(str(name).split())) for name in names}


def carried_codes(changes: Sequence[CodebookChange], trained_for: str, current: str,
                  known: Iterable[str]) -> dict[str, str | None] | None:
    """What each code a model knows (trained for codebook version `trained_for`) is called in codebook version
    `current`, through the logged changes made since: itself (kept or edited), its new id (rename, merge), or None
    (split or retired: what it meant is gone). None when the log does not lead from `trained_for` to `current`
    (e.g. another study's codebook, or one replaced by hand): the model then does not apply at all."""
    later = [i + 1 for i, c in enumerate(changes) if c.to_version == trained_for]
    start = later[-1] if later else next((i for i, c in enumerate(changes) if c.from_version == trained_for), None)
    if start is None or start >= len(changes) or changes[-1].to_version != current:
        return None
    names: dict[str, str | None] = {code: code for code in known}
    for change in changes[start:]:
        for code, now in names.items():
            if now is None or now not in change.codes:
                continue
            if change.operation in ("rename", "merge"):
                names[code] = change.targets[0]
            elif change.operation in ("split", "retire"):
                names[code] = None
    return names


@dataclass(frozen=True)
class LabelState:
    """The log replayed once: labels overall, per reviewer, and who gave each current code (and when)."""

    labels: dict[int, frozenset[str]] = field(default_factory=dict)
    by_reviewer: dict[str, dict[int, frozenset[str]]] = field(default_factory=dict)
    authors: dict[tuple[int, str], tuple[str, str]] = field(default_factory=dict)
    irrelevant: frozenset[int] = frozenset()  # excerpts whose latest label decision is "tidak relevan"


def cancelled_ids(log: Iterable[Decision]) -> set[int]:
    """Ids cancelled by effective undos; an undo can itself be undone (replayed newest first)."""
    cancelled: set[int] = set()
    for decision in sorted(log, key=lambda d: d.id or 0, reverse=True):
        if decision.action == "undo" and decision.id not in cancelled and decision.undoes is not None:
            cancelled.add(decision.undoes)
    return cancelled


def replay(log: Sequence[Decision], changes: Sequence[CodebookChange] = (),
           reopened: Mapping[int, int] | None = None) -> LabelState:
    """One pass over the log (in id order): O(n) whatever the number of reviewers. `changes`: the codebook's
    changes, in order; `reopened`: excerpt id -> watermark of a request to review it again."""
    cancelled = cancelled_ids(log)
    labels: dict[int, set[str]] = {}
    mine: dict[str, dict[int, set[str]]] = {}
    authors: dict[int, dict[str, tuple[str, str]]] = {}
    latest: dict[tuple[str | None, int], int] = {}  # (reviewer or None for anyone, excerpt) -> newest decision id
    last_action: dict[int, str] = {}  # excerpt -> action of its newest label decision
    for d in log:
        if d.id in cancelled or d.action not in LABEL_ACTIONS:
            continue
        if changes:
            d = replace(d, codes=translate(d.codes, d.id or 0, changes))
        _apply(labels.setdefault(d.excerpt_id, set()), d)
        if d.origin != "adjudication":  # the final say, not a coder's own coding
            _apply(mine.setdefault(d.reviewer, {}).setdefault(d.excerpt_id, set()), d)
        _credit(authors.setdefault(d.excerpt_id, {}), d)
        latest[(None, d.excerpt_id)] = latest[(d.reviewer, d.excerpt_id)] = d.id or 0
        last_action[d.excerpt_id] = d.action
    waiting = reopened or {}

    def answered(reviewer: str | None, excerpt: int) -> bool:
        return excerpt not in waiting or latest.get((reviewer, excerpt), 0) > waiting[excerpt]

    return LabelState(labels={e: frozenset(c) for e, c in labels.items() if answered(None, e)},
                      by_reviewer={r: {e: frozenset(c) for e, c in own.items() if answered(r, e)}
                                   for r, own in mine.items()},
                      authors={(e, c): who for e, codes in authors.items() if answered(None, e)
                               for c, who in codes.items()},
                      irrelevant=frozenset(e for e, action in last_action.items()
                                           if action == "irrelevant" and answered(None, e)))


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
        "add": [("accept", suggested), ("add", marked - suggested)], "note": [("note", frozenset())],
        "irrelevant": [("irrelevant", frozenset())]}
    return steps[outcome]
