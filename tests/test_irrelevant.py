"""`tidak relevan`: a logged decision that verifies an excerpt with no code and marks it non-substantive."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pipeline.app.cluster import with_irrelevant
from pipeline.app.project import open_project
from pipeline.app.review import build_queue, import_review_sheet
from pipeline.app.session import ReviewSession
from pipeline.config import load_config
from pipeline.decision_log import Decision, replay
from pipeline.errors import ReviewError
from pipeline.review import agreement
from pipeline.review.spreadsheet import SheetRejected, export_sheet
from pipeline.review.terminal import review_loop
from pipeline.store import Store, decisions
from pipeline.store.excerpts import excerpts_frame
from tests.review_support import codebook, demo_project, demo_template  # noqa: F401


def _log(*steps: tuple[str, tuple[str, ...] | int]) -> list[Decision]:
    """Decisions on excerpt 7 by ani, ids 1, 2, …; an undo's argument is the id it cancels."""
    return [Decision(7, "ani", action, arg if isinstance(arg, tuple) else (),
                     undoes=arg if isinstance(arg, int) else None, id=i)
            for i, (action, arg) in enumerate(steps, start=1)]


def test_replay_irrelevant_is_verified_no_code_until_a_later_decision_or_an_undo() -> None:
    marked = replay(_log(("accept", ("A",)), ("irrelevant", ())))
    assert marked.labels == {7: frozenset()} and marked.irrelevant == {7}
    assert marked.by_reviewer["ani"] == {7: frozenset()}
    later = replay(_log(("irrelevant", ()), ("add", ("B",))))
    assert later.labels == {7: frozenset({"B"})} and later.irrelevant == frozenset()
    undone = replay(_log(("accept", ("A",)), ("irrelevant", ()), ("undo", 2)))
    assert undone.labels == {7: frozenset({"A"})} and undone.irrelevant == frozenset()
    reopened = replay(_log(("irrelevant", ())), reopened={7: 1})
    assert reopened.labels == {} and reopened.irrelevant == frozenset()


def _session(store: Store, reviewer: str = "ani") -> ReviewSession:
    excerpts = excerpts_frame(store)
    none = pd.DataFrame(columns=["run_id", "excerpt_id", "code", "probability", "origin", "reasons", "rank",
                                 "model_version"])
    return ReviewSession(store, codebook(), reviewer, [int(e) for e in excerpts["excerpt_id"][:3]], excerpts, none,
                         fallback_version="codebook-test")


def _answers(*keys: str):  # noqa: ANN202
    queue = list(keys)
    return lambda prompt: queue.pop(0) if queue else None


def test_terminal_t_marks_the_excerpt_and_u_takes_it_back(demo_project: Path) -> None:
    written: list[str] = []
    with Store.open(demo_project) as store:
        session = _session(store)
        first = session.order[0]
        review_loop(session, _answers("?", "t", "q"), written.append, width=100)
        assert any("t           tidak relevan" in w for w in written)  # in the `?` help
        assert "t tidak relevan" in written[0]  # and in the keys under every excerpt
        assert "Marked tidak relevan (no code)." in written
        assert decisions.irrelevant_excerpts(store) == {first}
        assert decisions.current_labels(store, reviewer="ani") == {first: frozenset()}
        assert session.current is not None and session.current.excerpt["excerpt_id"] != first
        review_loop(session, _answers("u", "q"), written.append, width=100)
        assert written[-2].startswith("Undone decision")
        assert session.order[0] == first
        assert decisions.irrelevant_excerpts(store) == frozenset()
        assert decisions.current_labels(store) == {}
        assert [d.action for d in decisions.history(store)] == ["irrelevant", "undo"]


def test_an_irrelevant_decision_takes_no_codes(demo_project: Path) -> None:
    with Store.open(demo_project) as store:
        first = int(excerpts_frame(store)["excerpt_id"].iloc[0])
        with pytest.raises(ReviewError, match="takes no codes"), store.transaction():
            decisions.append(store, [Decision(first, "ani", "irrelevant", ("KP-KELAS",))])


def _sheet(project: Path, values: list[tuple[str, str | None]]) -> tuple[Path, list[int]]:
    with Store.open(project) as store:
        excerpts = excerpts_frame(store).head(len(values))
        path = export_sheet(project / "sheet.xlsx", excerpts, pd.DataFrame(columns=["excerpt_id", "rank"]),
                            codebook(), reviewer="ani", labels={})
    book = openpyxl.load_workbook(path)
    sheet = book["review"]
    header = [c.value for c in sheet[1]]
    for row, (decision, mark) in enumerate(values, start=2):
        sheet.cell(row=row, column=header.index("decision") + 1, value=decision)
        if mark:
            sheet.cell(row=row, column=header.index(mark) + 1, value="x")
    book.save(path)
    return path, [int(e) for e in excerpts["excerpt_id"]]


def test_spreadsheet_tidak_relevan_and_irrelevant_import_as_irrelevant(demo_project: Path) -> None:
    path, ids = _sheet(demo_project, [("tidak relevan", None), ("Irrelevant", None), ("reject", None)])
    with open_project(demo_project) as project:
        report = import_review_sheet(project, path)
        assert report.decisions == 3
        assert [d.action for d in decisions.history(project.store)] == ["irrelevant", "irrelevant", "reject"]
        assert decisions.irrelevant_excerpts(project.store) == set(ids[:2])
        assert decisions.current_labels(project.store) == {e: frozenset() for e in ids}


def test_spreadsheet_tidak_relevan_with_marks_is_rejected(demo_project: Path) -> None:
    path, _ = _sheet(demo_project, [("tidak relevan", "KP-KELAS")])
    with open_project(demo_project) as project, pytest.raises(SheetRejected, match="tidak relevan, but codes"):
        import_review_sheet(project, path)
    with Store.open(demo_project) as store:
        assert decisions.history(store) == []


def _mark(store: Store, excerpt_id: int, reviewer: str = "ani") -> None:
    with store.transaction():
        decisions.append(store, [Decision(excerpt_id, reviewer, "irrelevant")])


def test_irrelevant_excerpts_leave_clustering_input(demo_project: Path) -> None:
    with Store.open(demo_project) as store:
        excerpts = excerpts_frame(store)
        assert with_irrelevant(store, excerpts, None, 0.5) is excerpts  # nothing marked: the rule decides alone
        substantive = [int(e) for e, text in zip(excerpts["excerpt_id"], excerpts["text"]) if len(str(text)) > 200]
        target = substantive[0]
        _mark(store, target)
        marked = with_irrelevant(store, excerpts, None, 0.5)
        flags = dict(zip(marked["excerpt_id"], marked["non_substantive"]))
        assert flags[target]
        from pipeline.suggest import substance
        rule = dict(zip(excerpts["excerpt_id"], substance.run(excerpts)))
        assert {e: f for e, f in flags.items() if e != target} == {e: f for e, f in rule.items() if e != target}


def test_cluster_project_leaves_an_irrelevant_excerpt_out(demo_project: Path, tmp_path: Path) -> None:
    from pipeline.app.cluster import cluster_project

    with open_project(demo_project) as project:
        excerpts = excerpts_frame(project.store)
        target = int(excerpts.loc[excerpts["text"].str.len().idxmax(), "excerpt_id"])
        before, _ = cluster_project(project, tmp_path / "before")
        status = dict(zip(before.assignments["excerpt_id"], before.assignments["status"]))
        assert status[target] != "non-substantive"
        _mark(project.store, target)
        after, _ = cluster_project(project, tmp_path / "after")
        status = dict(zip(after.assignments["excerpt_id"], after.assignments["status"]))
        assert status[target] == "non-substantive"


def test_the_queue_puts_an_irrelevant_excerpt_last(demo_project: Path) -> None:
    with open_project(demo_project) as project:
        queue = build_queue(project, "budi", None)
        target = int(queue["excerpt_id"].iloc[0])
        assert not queue["non_substantive"].iloc[0]
        _mark(project.store, target, "ani")
        after = build_queue(project, "budi", None)
        position = list(after["excerpt_id"]).index(target)
        assert after["non_substantive"].iloc[position]
        assert position >= int((~after["non_substantive"]).sum())  # after every substantive excerpt
        assert target not in set(build_queue(project, "ani", None)["excerpt_id"])  # verified for ani


def test_agreement_reads_tidak_relevan_as_no_code(demo_project: Path) -> None:
    with Store.open(demo_project) as store:
        ids = [int(e) for e in excerpts_frame(store)["excerpt_id"][:4]]
        with store.transaction():
            decisions.append(store, [Decision(ids[0], "ani", "irrelevant"), Decision(ids[0], "budi", "reject"),
                                     Decision(ids[1], "ani", "set", ("KP-KELAS",)),
                                     Decision(ids[1], "budi", "irrelevant")])
        codings = decisions.labels_by_reviewer(store)
    assert codings["ani"][ids[0]] == codings["budi"][ids[0]] == frozenset()
    assert codings["budi"][ids[1]] == frozenset()
    result = agreement.run(codings, codebook().ids, load_config(None).review)
    kelas = result.pairs.set_index("code").loc["KP-KELAS"]
    assert kelas["n_excerpts"] == 2 and kelas["percent"] == pytest.approx(50.0)
