"""The decision log: labels derive from it, undo is an event, nothing is rewritten."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import ReviewError
from pipeline.ingest.batch import ingest, resolve_batch
from pipeline.store import Store
from pipeline.store.decisions import Decision, append, current_labels, history


@pytest.fixture
def project(mini_corpus: Path, tmp_path: Path, config):  # type: ignore[no-untyped-def]
    store = Store.init(tmp_path / "p")
    ingest(store, resolve_batch([mini_corpus], config)[0], config)
    ids = [r[0] for r in store.db.execute("SELECT id FROM excerpts ORDER BY id LIMIT 2")]
    yield store, ids
    store.close()


def _log(store: Store, *decisions: Decision) -> list[int]:
    with store.transaction() as db:
        return append(db, decisions, known_codes=["A-X", "A-Y", "A-Z"])


def test_replay_of_label_actions(project) -> None:  # type: ignore[no-untyped-def]
    store, (first, second) = project
    _log(store, Decision(first, "ani", "accept", ("A-X", "A-Y")), Decision(first, "ani", "reject", ("A-Y",)),
         Decision(first, "ani", "add", ("A-Z",)), Decision(first, "ani", "note", note="ragu"),
         Decision(second, "budi", "set", ()))
    labels = current_labels(store.db)
    assert labels == {first: frozenset({"A-X", "A-Z"}), second: frozenset()}  # verified "no code" counts
    assert current_labels(store.db, reviewer="budi") == {second: frozenset()}


def test_undo_and_undo_of_undo(project) -> None:  # type: ignore[no-untyped-def]
    store, (first, _) = project
    set_id, add_id = _log(store, Decision(first, "ani", "set", ("A-X",)), Decision(first, "ani", "add", ("A-Y",)))
    [undo_id] = _log(store, Decision(first, "ani", "undo", undoes=add_id))
    assert current_labels(store.db)[first] == {"A-X"}
    _log(store, Decision(first, "ani", "undo", undoes=undo_id))
    assert current_labels(store.db)[first] == {"A-X", "A-Y"}
    assert [d.action for d in history(store.db, first)] == ["set", "add", "undo", "undo"]  # all kept


def test_invalid_decisions_write_nothing(project) -> None:  # type: ignore[no-untyped-def]
    store, (first, second) = project
    for bad in (Decision(first, "ani", "set", ("A-Q",)), Decision(first, "ani", "approve"),
                Decision(10_000, "ani", "set", ("A-X",)), Decision(first, " ", "set"),
                Decision(second, "ani", "undo", undoes=999)):
        with pytest.raises(ReviewError):
            _log(store, Decision(first, "ani", "set", ("A-X",)), bad)
    assert history(store.db) == []
