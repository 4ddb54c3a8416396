"""The decision log: labels derive from it, undo is an event, nothing is rewritten."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.decision_log import last_undoable
from pipeline.errors import ReviewError
from pipeline.ingest.batch import ingest, resolve_batch
from pipeline.store import Store
from pipeline.store.decisions import Decision, append, current_labels, history, labels_by_reviewer, undo, watermark


@pytest.fixture
def project(mini_corpus: Path, tmp_path: Path, config):  # type: ignore[no-untyped-def]
    store = Store.init(tmp_path / "p")
    ingest(store, resolve_batch([mini_corpus], config)[0], config)
    ids = [r[0] for r in store._db.execute("SELECT id FROM excerpts ORDER BY id LIMIT 2")]
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
    labels = current_labels(store)
    assert labels == {first: frozenset({"A-X", "A-Z"}), second: frozenset()}  # verified "no code" counts
    assert current_labels(store, reviewer="budi") == {second: frozenset()}


def test_undo_and_undo_of_undo(project) -> None:  # type: ignore[no-untyped-def]
    store, (first, _) = project
    set_id, add_id = _log(store, Decision(first, "ani", "set", ("A-X",)), Decision(first, "ani", "add", ("A-Y",)))
    [undo_id] = _log(store, Decision(first, "ani", "undo", undoes=add_id))
    assert current_labels(store)[first] == {"A-X"}
    _log(store, Decision(first, "ani", "undo", undoes=undo_id))
    assert current_labels(store)[first] == {"A-X", "A-Y"}
    assert [d.action for d in history(store, first)] == ["set", "add", "undo", "undo"]  # all kept


def test_invalid_decisions_write_nothing(project) -> None:  # type: ignore[no-untyped-def]
    store, (first, second) = project
    for bad in (Decision(first, "ani", "set", ("A-Q",)), Decision(first, "ani", "approve"),
                Decision(10_000, "ani", "set", ("A-X",)), Decision(first, " ", "set"),
                Decision(second, "ani", "undo", undoes=999)):
        with pytest.raises(ReviewError):
            _log(store, Decision(first, "ani", "set", ("A-X",)), bad)
    assert history(store) == []


def test_until_replays_the_log_as_it_stood(project) -> None:  # type: ignore[no-untyped-def]
    store, (first, _) = project
    set_id, add_id = _log(store, Decision(first, "ani", "set", ("A-X",)), Decision(first, "ani", "add", ("A-Y",)))
    _log(store, Decision(first, "ani", "undo", undoes=set_id))
    assert current_labels(store, until=set_id) == {first: {"A-X"}}
    assert current_labels(store, until=add_id) == {first: {"A-X", "A-Y"}}
    assert current_labels(store) == {first: {"A-Y"}}
    assert current_labels(store, until=0) == {} and watermark(store) == add_id + 1


def test_labels_by_reviewer_and_undo_of_the_last_decision(project) -> None:  # type: ignore[no-untyped-def]
    store, (first, second) = project
    _log(store, Decision(first, "ani", "set", ("A-X",)), Decision(first, "budi", "set", ("A-Y",)),
         Decision(second, "ani", "accept", ("A-Z",)), Decision(second, "ani", "note", note="cek lagi"))
    assert labels_by_reviewer(store) == {"ani": {first: {"A-X"}, second: {"A-Z"}}, "budi": {first: {"A-Y"}}}
    assert current_labels(store)[first] == {"A-Y"}  # across reviewers the latest decision wins
    with store.transaction() as db:
        first_undo = undo(db, "ani")  # the note is the last decision that counts
        second_undo = undo(db, "ani")  # then the accept
    assert (first_undo.action, second_undo.action) == ("undo", "undo")
    assert [d.action for d in history(store) if d.id in (first_undo.undoes, second_undo.undoes)] == \
        ["accept", "note"]
    assert labels_by_reviewer(store)["ani"] == {first: {"A-X"}}
    assert last_undoable(history(store), "ani").action == "set"
    assert last_undoable(history(store), "carla") is None


def test_append_only_at_the_database_level(project) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    store, (first, _) = project
    [decision_id] = _log(store, Decision(first, "ani", "set", ("A-X",)))
    for statement in ("UPDATE decisions SET codes = '[]' WHERE id = ?", "DELETE FROM decisions WHERE id = ?"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            with store.transaction() as db:
                db._db.execute(statement, (decision_id,))
    assert current_labels(store) == {first: {"A-X"}}


WRITER = """
import sys, time
from pathlib import Path
from pipeline.store import Store
from pipeline.store.decisions import Decision, append
folder, reviewer, n, excerpt_id, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), Path(sys.argv[5])
store = Store.open(folder)
while not go.exists():
    time.sleep(0.01)
for i in range(n):
    with store.transaction() as db:
        append(db, [Decision(excerpt_id, reviewer, "note", note=f"{reviewer} {i}")])
store.close()
"""


def test_two_processes_recording_at_once_lose_nothing(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    store, (first, second) = project
    script, go = tmp_path / "writer.py", tmp_path / "go"
    script.write_text(WRITER, encoding="utf-8")
    repo = Path(__file__).resolve().parents[1]
    n = 150
    writers = [subprocess.Popen([sys.executable, str(script), str(store.folder), name, str(n), str(excerpt), str(go)],
                                cwd=repo) for name, excerpt in (("ani", first), ("budi", second))]
    go.touch()  # both start writing at the same moment
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    log = history(store)
    for name in ("ani", "budi"):
        assert sorted(d.note for d in log if d.reviewer == name) == sorted(f"{name} {i}" for i in range(n))
    assert len(log) == 2 * n and len({d.id for d in log}) == 2 * n
