"""Detected names: their stable pseudonyms and the researcher's "not a name" decisions (both never rewritten)."""

from __future__ import annotations

from typing import Iterable, NamedTuple

from pipeline.store.db import Store, now

PREFIXES = {"person": "ORANG", "school": "SEKOLAH", "place": "TEMPAT"}
DECISIONS = ("not_a_name", "name")


class NameDecision(NamedTuple):
    name: str
    decision: str
    reviewer: str
    note: str
    created_at: str


def pseudonyms(store: Store) -> dict[str, tuple[str, str]]:
    """name -> (kind, pseudonym) for every name that ever got one."""
    rows = store._db.execute("SELECT name, kind, pseudonym FROM name_pseudonyms").fetchall()
    return {row[0]: (row[1], row[2]) for row in rows}


def assign_pseudonyms(store: Store, names: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Give each new (name, kind) the next free pseudonym of its kind (call inside `store.transaction()`); returns
    name -> pseudonym for all of `names`. A name that has one keeps it."""
    known = pseudonyms(store)
    taken = {pseudonym for _, pseudonym in known.values()}
    result = {}
    for name, kind in names:
        if name not in known:
            number = sum(1 for k, _ in known.values() if k == kind) + 1
            while f"[{PREFIXES[kind]}-{number}]" in taken:
                number += 1
            pseudonym = f"[{PREFIXES[kind]}-{number}]"
            store._db.execute("INSERT INTO name_pseudonyms (name, kind, pseudonym, created_at) VALUES (?,?,?,?)",
                              (name, kind, pseudonym, now()))
            known[name] = (kind, pseudonym)
            taken.add(pseudonym)
        result[name] = known[name][1]
    return result


def add_name_decision(store: Store, name: str, decision: str, reviewer: str, note: str = "") -> None:
    """Log a decision on a detected name (call inside `store.transaction()`)."""
    store._db.execute("INSERT INTO name_decisions (name, decision, reviewer, note, created_at) VALUES (?,?,?,?,?)",
                      (name, decision, reviewer, note, now()))


def name_decisions(store: Store) -> list[NameDecision]:
    """Every decision, oldest first."""
    rows = store._db.execute("SELECT name, decision, reviewer, note, created_at FROM name_decisions ORDER BY id")
    return [NameDecision(*tuple(row)) for row in rows.fetchall()]


def not_names(store: Store) -> set[str]:
    """Names whose latest decision is "not a name"."""
    latest = {d.name: d.decision for d in name_decisions(store)}
    return {name for name, decision in latest.items() if decision == "not_a_name"}
