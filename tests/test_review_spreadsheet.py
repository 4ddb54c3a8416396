"""Spreadsheet round trip: a good sheet lands whole; a bad sheet (or a killed import) changes nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pipeline.app.project import Project
from pipeline.app.review import import_review_sheet
from pipeline.config import load_config
from pipeline.review.spreadsheet import SheetRejected, export_sheet
from pipeline.store import Store
from pipeline.store.decisions import current_labels, history
from pipeline.store.excerpts import excerpts_frame
from pipeline.store.runs import start_run
from tests.review_support import codebook, demo_project, demo_template  # noqa: F401

REPO = Path(__file__).resolve().parents[1]


def _suggestions(excerpts: pd.DataFrame, run_id: int) -> pd.DataFrame:
    """Hand-made stored suggestions: KP-KELAS (0.8) and KKG-PROFESI (0.4) for every excerpt."""
    rows = [(run_id, e, k, code, p, rank, "codebook", ["kelas"], "codebook-test", "cb")
            for e, k in zip(excerpts["excerpt_id"], excerpts["key"])
            for rank, (code, p) in enumerate((("KP-KELAS", 0.8), ("KKG-PROFESI", 0.4)), start=1)]
    return pd.DataFrame(rows, columns=["run_id", "excerpt_id", "key", "code", "probability", "rank", "origin",
                                       "reasons", "model_version", "codebook_version"])


def _export(project: Path, n: int = 6) -> tuple[Path, pd.DataFrame]:
    with Store.open(project) as store:
        excerpts = excerpts_frame(store).head(n)
        run_id = start_run(store, "suggest")
        path = export_sheet(project / "sheet.xlsx", excerpts, _suggestions(excerpts, run_id), codebook(), reviewer="ani",
                            labels={})
    return path, excerpts


def _fill(path: Path, rows: dict[int, dict[str, object]]) -> None:
    """Write values into sheet rows (2 = first excerpt) by column name."""
    book = openpyxl.load_workbook(path)
    sheet = book["review"]
    header = [c.value for c in sheet[1]]
    for row, values in rows.items():
        for column, value in values.items():
            sheet.cell(row=row, column=header.index(column) + 1, value=value)
    book.save(path)


def test_export_has_a_row_per_excerpt_a_dropdown_and_a_column_per_code(demo_project: Path) -> None:
    path, excerpts = _export(demo_project)
    sheet = openpyxl.load_workbook(path)["review"]
    header = [c.value for c in sheet[1]]
    assert set(codebook().ids) <= set(header) and "decision" in header
    assert sheet.max_row == len(excerpts) + 1
    assert [sheet.cell(row=r, column=header.index("key") + 1).value for r in range(2, sheet.max_row + 1)] == \
        list(excerpts["key"])
    assert sheet.cell(row=2, column=header.index("suggested") + 1).value == "KP-KELAS 0.80; KKG-PROFESI 0.40"
    formulas = [v.formula1 for v in sheet.data_validations.dataValidation]
    assert '"accept,reject,change,add,note,tidak relevan"' in formulas


def test_round_trip_applies_every_decision(demo_project: Path) -> None:
    path, excerpts = _export(demo_project)
    _fill(path, {2: {"decision": "accept"}, 3: {"decision": "reject"},
                 4: {"decision": "change", "HAM-JADWAL": "x", "KP-SISWA": "X"},
                 5: {"decision": "add", "HAM-SDM": "x", "note": "ragu soal SDM"},
                 6: {"decision": "note", "note": "bahas di rapat"}})  # row 7: left empty, not reviewed
    with Store.open(demo_project) as store:
        report = import_review_sheet(Project(store, load_config(), codebook()), path)
        labels = current_labels(store, reviewer="ani")
        log = history(store)
    ids = [int(e) for e in excerpts["excerpt_id"]]
    assert labels == {ids[0]: {"KP-KELAS", "KKG-PROFESI"}, ids[1]: set(), ids[2]: {"HAM-JADWAL", "KP-SISWA"},
                      ids[3]: {"KP-KELAS", "KKG-PROFESI", "HAM-SDM"}}
    assert (report.rows, report.decided, report.decisions, report.reviewer) == (6, 5, 7, "ani")
    assert {d.origin for d in log} == {"spreadsheet"} and len({d.suggestion_run_id for d in log}) == 1
    assert {d.model_version for d in log} == {"codebook-test"}
    assert [d.note for d in log if d.action == "note"] == ["ragu soal SDM", "bahas di rapat"]


def test_a_bad_sheet_reports_every_problem_by_row_and_changes_nothing(demo_project: Path) -> None:
    path, excerpts = _export(demo_project)
    book = openpyxl.load_workbook(path)
    sheet = book["review"]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=1, column=header.index("KP-SISWA") + 1, value="KP-SISWI")  # unknown code column
    book.save(path)
    _fill(path, {2: {"decision": "accept"},  # fine on its own
                 3: {"decision": "reject", "HAM-JADWAL": "x"},  # contradictory
                 4: {"decision": "setuju"},  # unknown decision
                 5: {"HAM-SDM": "x"},  # marks without a decision
                 6: {"decision": "change", "HAM-SDM": "mungkin"},  # unclear mark, and then no mark at all
                 7: {"decision": "accept", "text_sha": "0000000000000000"}})  # excerpt changed since export
    with Store.open(demo_project) as store:
        with pytest.raises(SheetRejected) as caught:
            import_review_sheet(Project(store, load_config(), codebook()), path)
        assert history(store) == []
    problems = "\n".join(caught.value.problems)
    for expected in ("row 1: unknown code column 'KP-SISWI'", "row 3: reject, but codes are marked",
                     "row 4: unknown decision 'setuju'", "row 5: codes marked or a note written, but no decision",
                     "row 6: unclear mark 'mungkin'", "row 6: change, but no code is marked",
                     "row 7: excerpt " + str(excerpts["key"].iloc[5]) + " changed since the export"):
        assert expected in problems
    assert not any(p.startswith("row 2:") for p in caught.value.problems)


def test_a_sheet_from_before_a_reingest_is_refused(demo_project: Path, config) -> None:  # type: ignore[no-untyped-def]
    path, excerpts = _export(demo_project, n=2)
    _fill(path, {2: {"decision": "accept"}})
    with Store.open(demo_project) as store:  # a new version of the first excerpt's source replaces its excerpts
        store._db.execute("BEGIN IMMEDIATE")
        row = store._db.execute("SELECT * FROM sources WHERE id = ?", (int(excerpts["source_id"].iloc[0]),)).fetchone()
        store._db.execute("INSERT INTO sources (name, path, sha256, version, format, kind, method, informant_id, site,"
                         " date, text, ingested_at) SELECT name, path, 'changed', version + 1, format, kind, method,"
                         " informant_id, site, date, text || ' ', ingested_at FROM sources WHERE id = ?", (row["id"],))
        store._db.execute("COMMIT")
        with pytest.raises(SheetRejected, match="not a current excerpt"):
            import_review_sheet(Project(store, load_config(), codebook()), path)
        assert history(store) == []


KILLED_IMPORT = """
import sys, time
from pathlib import Path
import pipeline.store.decisions as decisions
from pipeline.codebook import load_codebook
from pipeline.app.project import Project
from pipeline.app.review import import_review_sheet
from pipeline.config import load_config
from pipeline.store import Store

original, halfway = decisions.append, Path(sys.argv[3])

def slow_append(db, batch, known_codes=None):
    batch = list(batch)
    ids = original(db, batch[: len(batch) // 2], known_codes)  # half of the rows are written (uncommitted) ...
    halfway.touch()
    time.sleep(60)  # ... and the process is killed here
    return ids + original(db, batch[len(batch) // 2:], known_codes)

decisions.append = slow_append
with Store.open(sys.argv[1]) as store:
    import_review_sheet(Project(store, load_config(), load_codebook(sys.argv[4])), sys.argv[2])
"""


def test_a_process_killed_in_the_middle_of_an_import_leaves_the_log_as_it_was(demo_project: Path,
                                                                               tmp_path: Path) -> None:
    from pipeline.store.decisions import Decision, append

    with Store.open(demo_project) as store, store.transaction() as db:
        first = int(excerpts_frame(store)["excerpt_id"].iloc[0])
        append(db, [Decision(first, "budi", "set", ("HAM-SDM",))])
        before = history(store)
    path, _ = _export(demo_project, n=8)
    _fill(path, {r: {"decision": "accept"} for r in range(2, 10)})
    script, halfway = tmp_path / "import.py", tmp_path / "halfway"
    script.write_text(KILLED_IMPORT, encoding="utf-8")
    child = subprocess.Popen([sys.executable, str(script), str(demo_project), str(path), str(halfway),
                              str(REPO / "corpora" / "gugus3" / "codebook.yaml")], cwd=REPO)
    deadline = time.monotonic() + 120
    while not halfway.exists():
        assert child.poll() is None and time.monotonic() < deadline, "the import ended before the kill point"
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    with Store.open(demo_project) as store:
        assert history(store) == before
        assert store._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        report = import_review_sheet(Project(store, load_config(), codebook()), path)  # the same sheet still imports cleanly afterwards
        assert report.decisions == 8 and len(history(store)) == len(before) + 8
