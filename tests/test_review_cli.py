"""The review commands end to end on the demo project, through the real command line."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pipeline.cli import _load_commands, app
from pipeline.config import REPO_ROOT
from pipeline.store import Store
from pipeline.store.decisions import history, labels_by_reviewer
from tests.review_support import demo_project, demo_template  # noqa: F401
from tests.test_cli import reduksi


def _fill_all(path: Path, decision: str) -> int:
    book = openpyxl.load_workbook(path)
    sheet = book["review"]
    column = [c.value for c in sheet[1]].index("decision") + 1
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row=row, column=column, value=decision)
    book.save(path)
    return sheet.max_row - 1


def test_double_coding_round_trip_and_agreement(demo_project: Path, tmp_path: Path) -> None:
    assigned = reduksi("assign", demo_project, "--reviewers", "ani,budi", "--size", "10", "--overlap", "0.5",
                       cwd=REPO_ROOT)
    assert assigned.returncode == 0, assigned.stderr
    assert "10 excerpt(s), 5 double-coded; ani 8, budi 7" in assigned.stdout
    for reviewer, decision in (("ani", "accept"), ("budi", "reject")):
        sheet = tmp_path / f"{reviewer}.xlsx"
        exported = reduksi("review", "export", demo_project, "--reviewer", reviewer, "--out", sheet, cwd=REPO_ROOT)
        assert exported.returncode == 0, exported.stderr
        rows = _fill_all(sheet, decision)
        assert rows == (8 if reviewer == "ani" else 7)  # only the reviewer's assignments
        imported = reduksi("review", "import", demo_project, sheet, cwd=REPO_ROOT)
        assert imported.returncode == 0, imported.stderr
        assert f"on {rows} excerpt(s) by {reviewer}" in imported.stdout
    with Store.open(demo_project) as store:
        coded = labels_by_reviewer(store)
    assert len(set(coded["ani"]) & set(coded["budi"])) == 5

    out = tmp_path / "agreement"
    shown = reduksi("agreement", demo_project, "--per-code", "--csv", out, cwd=REPO_ROOT)
    assert shown.returncode == 0, shown.stderr
    assert "Krippendorff alpha" in shown.stdout and "kappa" in shown.stdout
    pairs = pd.read_csv(out / "agreement_pairs.csv")
    overall = pairs[(pairs["coder_a"] == "ani") & (pairs["coder_b"] == "budi") & (pairs["code"] == "(all)")]
    assert overall["n_excerpts"].tolist() == [5]
    assert set(pairs["kind"]) == {"human-human", "human-model"}
    alpha = pd.read_csv(out / "agreement_alpha.csv")
    assert {"ani+budi", "ani+budi+" + pairs.loc[pairs["kind"] == "human-model", "coder_b"].iloc[0]} == \
        set(alpha["coders"])


def test_a_bad_sheet_is_one_error_listing_rows_and_applies_nothing(demo_project: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "ani.xlsx"
    assert reduksi("review", "export", demo_project, "--reviewer", "ani", "--out", sheet, "--limit", "3",
                   cwd=REPO_ROOT).returncode == 0
    _fill_all(sheet, "setuju")
    result = reduksi("review", "import", demo_project, sheet, cwd=REPO_ROOT)
    assert result.returncode == 1 and result.stderr.startswith("Error: [E510]")
    assert all(f"row {r}: unknown decision 'setuju'" in result.stderr for r in (2, 3, 4))
    assert "Traceback" not in result.stderr
    with Store.open(demo_project) as store:
        assert history(store) == []


def test_models_lists_nothing_yet_and_errors_are_one_line(demo_project: Path) -> None:
    listed = reduksi("models", demo_project, cwd=REPO_ROOT)
    assert listed.returncode == 0 and "No models" in listed.stdout
    assert "In use: gugus3-3 (shipped with reduksi)" in listed.stdout
    lonely = reduksi("agreement", demo_project, "--no-model", cwd=REPO_ROOT)
    assert lonely.returncode == 1 and lonely.stderr.startswith("Error: [E500]") and "two coders" in lonely.stderr


@pytest.mark.parametrize("args", [["review", "--help"], ["review", "export", "--help"], ["review", "import", "--help"],
                                  ["agreement", "--help"], ["assign", "--help"], ["models", "--help"]])
def test_help(args: list[str]) -> None:
    result = reduksi(*args)
    assert result.returncode == 0 and "Usage" in result.stdout


def test_review_commands_have_help_text() -> None:
    _load_commands()
    names = {c.name for c in app.registered_commands}
    assert {"agreement", "assign", "models"} <= names
    review = next(g for g in app.registered_groups if g.name == "review").typer_instance
    assert {c.name for c in review.registered_commands} == {"start", "export", "import"}
    for registered in review.registered_commands:
        assert (registered.callback.__doc__ or "").strip()
