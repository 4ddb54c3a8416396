"""Terminal review driven through a pseudo-terminal: keys become decisions; a new session resumes."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from pipeline.store import Store
from pipeline.store.decisions import current_labels, history
from tests.review_support import codebook, demo_project, demo_template  # noqa: F401

pexpect = pytest.importorskip("pexpect")
REPO = Path(__file__).resolve().parents[1]
HEADER = re.compile(r"─{20,}\r?\n(\S+:\d+(?:\.\d+)?) ")


def _spawn(project: Path) -> "pexpect.spawn":
    child = pexpect.spawn(sys.executable, ["-m", "pipeline", "review", str(project), "--reviewer", "ani"],
                          cwd=str(REPO), encoding="utf-8", timeout=180, dimensions=(50, 110))
    child.expect(r"excerpt\(s\) to review for ani")
    return child


def _next_key(child: "pexpect.spawn") -> str:
    child.expect(HEADER)
    key = child.match.group(1)
    child.expect("> ")
    return key


def _send(child: "pexpect.spawn", keys: str, answer: str) -> None:
    child.sendline(keys)
    child.expect(answer)


def test_keys_record_decisions_and_the_next_session_resumes(demo_project: Path) -> None:
    child = _spawn(demo_project)
    first = _next_key(child)
    _send(child, "a", "Saved: accept")
    second = _next_key(child)
    _send(child, "12 13", r"Marked: ([^\r\n]*)")  # toggle two codes (HAM-SDM, HAM-JADWAL) ...
    toggled = set(child.match.group(1).split(", ")) - {"(no code)"}
    child.expect("> ")
    _send(child, "13", r"Marked: ([^\r\n]*)")  # ... and one of them back
    marked = set(child.match.group(1).split(", ")) - {"(no code)"}
    assert marked ^ toggled == {"HAM-JADWAL"}
    child.expect("> ")
    _send(child, "n", "Note: ")
    _send(child, "perlu dicek lagi", "Note saved.")
    child.expect("> ")
    _send(child, "", "Saved: ")  # Enter saves the marked codes
    third = _next_key(child)
    _send(child, "r", "Rejected")
    fourth = _next_key(child)
    _send(child, "u", "Undone decision")
    assert _next_key(child) == third  # the rejected excerpt is back
    _send(child, "s", "Skipped.")
    assert _next_key(child) == fourth
    _send(child, "x", "unknown key")
    child.expect("> ")
    child.sendline("q")
    child.expect(r"Recorded decisions on 2 excerpt\(s\)")
    child.expect(pexpect.EOF)

    with Store.open(demo_project) as store:
        keys = dict(store._db.execute("SELECT id, key FROM excerpts"))
        labels = {keys[e]: codes for e, codes in current_labels(store, reviewer="ani").items()}
        log = history(store, reviewer="ani")
    assert set(labels) == {first, second}
    assert labels[second] == marked
    assert [d.action for d in log][-2:] == ["reject", "undo"]
    assert any(d.action == "note" and d.note == "perlu dicek lagi" and keys[d.excerpt_id] == second for d in log)
    assert all(d.model_version for d in log if d.action != "undo")  # the suggestions it answered
    assert all(d.suggestion_run_id is not None for d in log if d.action != "undo")

    again = _spawn(demo_project)  # resumes where it stopped, with the verified excerpts gone from the queue
    assert _next_key(again) == fourth
    again.sendline("q")
    again.expect(r"Recorded decisions on 0 excerpt\(s\)")
    again.expect(pexpect.EOF)
