"""A suggestion's question words (`context_reasons`) are stored with it and shown apart from the informant's."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd

from pipeline.app.project import open_project
from pipeline.app.review import import_review_sheet
from pipeline.app.session import ReviewSession
from pipeline.review.spreadsheet import export_sheet
from pipeline.review.terminal import render
from pipeline.store import Store, decisions
from pipeline.store.excerpts import excerpts_frame
from pipeline.store.runs import start_run
from pipeline.store.suggestions import COLUMNS, load_suggestions, save_suggestions
from tests.review_support import codebook, demo_project, demo_template  # noqa: F401


def _frame(excerpts: pd.DataFrame, context: bool = True) -> pd.DataFrame:
    """The suggest stage's shape: KP-KELAS with question words, KKG-PROFESI without, for each excerpt."""
    rows = [(e, k, code, p, rank, "codebook", ["kelas"], "codebook-test", asked)
            for e, k in zip(excerpts["excerpt_id"], excerpts["key"])
            for rank, (code, p, asked) in enumerate((("KP-KELAS", 0.8, ["pelatihan", "guru"]),
                                                     ("KKG-PROFESI", 0.4, [])), start=1)]
    frame = pd.DataFrame(rows, columns=["excerpt_id", "key", "code", "probability", "rank", "origin", "reasons",
                                        "model_version", "context_reasons"])
    return frame if context else frame.drop(columns="context_reasons")


def _stored(store: Store, context: bool = True) -> pd.DataFrame:
    excerpts = excerpts_frame(store).head(3)
    run_id = start_run(store, "suggest")
    save_suggestions(store, run_id, _frame(excerpts, context), "cb")
    return load_suggestions(store, run_id)


def test_migration_0021_is_applied(demo_project: Path) -> None:
    with Store.open(demo_project) as store:
        assert 21 in store.applied_migrations()


def test_context_reasons_round_trip_through_the_store(demo_project: Path) -> None:
    with Store.open(demo_project) as store:
        loaded = _stored(store)
    assert list(loaded.columns) == COLUMNS
    kelas = loaded[loaded["code"] == "KP-KELAS"]
    assert all(asked == ["pelatihan", "guru"] for asked in kelas["context_reasons"])
    assert all(asked == [] for asked in loaded.loc[loaded["code"] == "KKG-PROFESI", "context_reasons"])
    assert all(reasons == ["kelas"] for reasons in loaded["reasons"])  # the informant's words stay as they were


def test_a_frame_without_context_reasons_stores_none(demo_project: Path) -> None:
    with Store.open(demo_project) as store:
        loaded = _stored(store, context=False)
    assert all(asked == [] for asked in loaded["context_reasons"])


def test_the_terminal_shows_question_words_apart(demo_project: Path) -> None:
    with Store.open(demo_project) as store:
        suggestions = _stored(store)
        excerpts = excerpts_frame(store)
        first = int(suggestions["excerpt_id"].iloc[0])
        session = ReviewSession(store, codebook(), "ani", [first], excerpts, suggestions)
        shown = session.current
        assert shown is not None
        screen = render(shown, session, width=110)
    [kelas] = [line for line in screen.splitlines() if line.strip().startswith("KP-KELAS")]
    because, asked = kelas.split("because: ", 1)[1].split("  (tanya: ")
    assert because == "kelas" and asked == "pelatihan, guru)"
    [profesi] = [line for line in screen.splitlines() if line.strip().startswith("KKG-PROFESI")]
    assert "tanya" not in profesi
    quoted = screen.split("Kutipan", 1)[1].split("Suggested by", 1)[0]
    assert "tanya" not in quoted  # never shown among the excerpt's words


def test_the_review_sheet_shows_them_in_the_suggested_cell_and_imports_back(demo_project: Path) -> None:
    with Store.open(demo_project) as store:
        suggestions = _stored(store)
        excerpts = excerpts_frame(store).head(3)
        path = export_sheet(demo_project / "sheet.xlsx", excerpts, suggestions, codebook(), reviewer="ani",
                            labels={})
    book = openpyxl.load_workbook(path)
    sheet = book["review"]
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("suggested") + 1).value
    assert cell == "KP-KELAS 0.80 (tanya: pelatihan, guru); KKG-PROFESI 0.40"
    sheet.cell(row=2, column=header.index("decision") + 1, value="accept")
    book.save(path)
    with open_project(demo_project) as project:
        import_review_sheet(project, path)
        [accepted] = decisions.history(project.store)
    assert accepted.action == "accept" and accepted.codes == ("KKG-PROFESI", "KP-KELAS")


def test_a_sheet_exported_before_context_reasons_still_imports(demo_project: Path) -> None:
    with Store.open(demo_project) as store:
        suggestions = _stored(store).drop(columns="context_reasons")
        excerpts = excerpts_frame(store).head(2)
        path = export_sheet(demo_project / "old.xlsx", excerpts, suggestions, codebook(), reviewer="ani", labels={})
    book = openpyxl.load_workbook(path)
    sheet = book["review"]
    header = [c.value for c in sheet[1]]
    assert sheet.cell(row=2, column=header.index("suggested") + 1).value == "KP-KELAS 0.80; KKG-PROFESI 0.40"
    sheet.cell(row=2, column=header.index("decision") + 1, value="reject")
    book.save(path)
    with open_project(demo_project) as project:
        report = import_review_sheet(project, path)
    assert report.decisions == 1
