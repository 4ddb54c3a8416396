"""Adjudication of double coding: the excerpts coders verified differently, side by side with the model's
suggestion and the excerpt's context, and the adjudicator's choice as the final label.

The choice is a logged decision of origin `adjudication` (action `set`): it becomes the excerpt's label, while each
coder's own labels stay in the log and in agreement (see `pipeline.decision_log`). An excerpt is *settled* when its
newest effective label decision is an adjudication; a coder changing their label afterwards opens it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from pipeline.app.project import Project
from pipeline.decision_log import cancelled_ids, reviewer_key
from pipeline.errors import ReviewError
from pipeline.store import decisions
from pipeline.store.excerpts import excerpts_frame
from pipeline.store.suggestions import suggestions_for

ORIGIN = "adjudication"


@dataclass(frozen=True)
class Disagreement:
    excerpt_id: int
    key: str
    text: str
    context: str  # the question or previous turn
    informant: str
    codes: dict[str, frozenset[str]]  # coder -> the codes they verified
    suggested: tuple[tuple[str, float], ...]  # the model's suggestions (code, probability), best first
    settled: frozenset[str] | None  # the adjudicated label, once settled


def disagreements(project: Project, coders: tuple[str, ...] = (), *, settled: bool = False) -> list[Disagreement]:
    """Excerpts at least two of `coders` (default: every reviewer) verified with different codes, in excerpt
    order; adjudicated ones only with `settled`."""
    log = decisions.history(project.store)
    state = decisions.label_state(project.store, log=log)
    wanted = {reviewer_key(c) for c in coders}
    mine = {name: labels for name, labels in state.by_reviewer.items()
            if labels and (not wanted or reviewer_key(name) in wanted)}
    if coders and len(mine) < 2:
        raise ReviewError(f"adjudication needs two coders with verified labels; found {', '.join(mine) or 'none'}",
                          hint=f"reviewers in this project: {', '.join(decisions.reviewers(project.store))}")
    split = {e for a, b in combinations(mine, 2) for e in set(mine[a]) & set(mine[b]) if mine[a][e] != mine[b][e]}
    final = _adjudicated(log, state.labels)
    keep = sorted(e for e in split if settled or e not in final)
    frame = excerpts_frame(project.store, current_only=False).set_index("excerpt_id")
    suggested: dict[int, tuple[tuple[str, float], ...]] = {}
    for e, code, probability, _ in suggestions_for(project.store, keep):
        suggested[e] = (*suggested.get(e, ()), (code, probability))
    found = []
    for e in keep:
        if e not in frame.index:
            continue
        row = frame.loc[e]
        found.append(Disagreement(
            excerpt_id=int(e), key=str(row["key"]), text=str(row["text"]), context=_text(row.get("context")),
            informant=_text(row.get("informant")),
            codes={name: labels[e] for name, labels in mine.items() if e in labels},
            suggested=suggested.get(int(e), ()), settled=final.get(e)))
    return found


def adjudicate(project: Project, excerpt_id: int, codes: tuple[str, ...], *, adjudicator: str,
               note: str | None = None) -> int:
    """Record the adjudicator's final codes for an excerpt (empty: no code); returns the decision id."""
    if not adjudicator.strip():
        raise ReviewError("an adjudication needs the adjudicator's name", hint="pass --reviewer NAME")
    known = set(excerpts_frame(project.store, current_only=False)["excerpt_id"].astype(int))
    if int(excerpt_id) not in known:
        raise ReviewError(f"no excerpt with id {excerpt_id}")
    decision = decisions.Decision(int(excerpt_id), adjudicator, "set", tuple(sorted(set(codes))), note=note,
                                  origin=ORIGIN)
    with project.store.transaction():
        [decision_id] = decisions.append(project.store, [decision], known_codes=project.codebook.ids)
    return decision_id


def excerpt_id_of(project: Project, key: str) -> int:
    """The id of the current excerpt with this key (as shown in every table)."""
    frame = excerpts_frame(project.store)
    found = frame.loc[frame["key"] == key, "excerpt_id"]
    if found.empty:
        raise ReviewError(f"no excerpt with key '{key}'", hint="keys look like W-G01:012 (see evidence.csv)")
    return int(found.iloc[0])


def _adjudicated(log: list[decisions.Decision], labels: dict[int, frozenset[str]]) -> dict[int, frozenset[str]]:
    """Excerpt -> its adjudicated codes, where the newest effective label decision is an adjudication."""
    gone = cancelled_ids(log)
    newest = {}
    for d in log:
        if d.id not in gone and d.action in decisions.LABEL_ACTIONS:
            newest[d.excerpt_id] = d
    return {e: labels.get(e, frozenset()) for e, d in newest.items() if d.origin == ORIGIN}


def _text(value: object) -> str:
    return "" if value is None or value != value else str(value)  # NaN != NaN
