"""Double coding settled by an adjudicator: the final label is the adjudicator's, both coders' labels stay in the
log and in agreement; reviewer names match case-insensitively and trimmed; small samples carry a warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.app.adjudication import adjudicate, disagreements
from pipeline.app.project import open_project
from pipeline.store.decisions import Decision, append, current_labels, history, labels_by_reviewer, reviewers
from pipeline.store.excerpts import excerpts_frame
from tests.review_support import demo_project, demo_template  # noqa: F401  (fixtures)
from tests.test_cli import reduksi

# Six excerpts both coders verified: they agree on three and differ on three.
ANI = [("KP-KELAS",), ("KP-SISWA",), ("KKG-SUMBER",), ("KP-MEDIA",), ("HAM-SDM",), ()]
BUDI = [("KP-KELAS",), ("KP-SISWA",), ("KKG-SUMBER",), ("KP-LATAR",), ("HAM-SDM", "HAM-JADWAL"), ("KP-KELAS",)]


@pytest.fixture
def double_coded(demo_project: Path) -> tuple[Path, list[int]]:
    with open_project(demo_project) as project:
        ids = [int(e) for e in excerpts_frame(project.store)["excerpt_id"][:6]]
        with project.store.transaction():
            append(project.store, [Decision(e, "Ani", "set", codes) for e, codes in zip(ids, ANI)])
            append(project.store, [Decision(e, " budi ", "set", codes) for e, codes in zip(ids, BUDI)])
    return demo_project, ids


def test_reviewer_names_match_whatever_the_case_and_spaces(double_coded: tuple[Path, list[int]]) -> None:
    folder, ids = double_coded
    with open_project(folder) as project:
        with project.store.transaction():
            append(project.store, [Decision(ids[0], "  ANI", "add", ("KP-MEDIA",))])
        assert reviewers(project.store) == {"Ani": 7, "budi": 6}
        assert set(labels_by_reviewer(project.store)) == {"Ani", "budi"}
        assert labels_by_reviewer(project.store)["Ani"][ids[0]] == {"KP-KELAS", "KP-MEDIA"}
        assert {d.reviewer for d in history(project.store, reviewer="ani")} == {"Ani"}


def test_adjudication_settles_the_final_label_and_keeps_both_coders(double_coded: tuple[Path, list[int]]) -> None:
    folder, ids = double_coded
    with open_project(folder) as project:
        found = disagreements(project, ("ani", "BUDI"))
        assert [d.excerpt_id for d in found] == ids[3:]
        assert found[1].codes == {"Ani": {"HAM-SDM"}, "budi": {"HAM-SDM", "HAM-JADWAL"}}
        before = labels_by_reviewer(project.store)
        finals = [("KP-MEDIA", "KP-LATAR"), ("HAM-SDM",), ()]
        for excerpt_id, codes in zip(ids[3:], finals):
            adjudicate(project, excerpt_id, codes, adjudicator="Citra", note="dibahas bersama")
        labels = current_labels(project.store)
        assert [labels[e] for e in ids[3:]] == [frozenset(c) for c in finals]
        assert labels_by_reviewer(project.store) == before  # the coders' own labels, as they coded them
        assert "Citra" not in labels_by_reviewer(project.store)  # an adjudicator is not a third coder
        log = history(project.store)
        assert sum(d.origin == "adjudication" for d in log) == 3 and len(log) == 15
        assert disagreements(project) == []
        assert [d.settled for d in disagreements(project, settled=True)] == [frozenset(c) for c in finals]


def test_a_coder_changing_their_mind_reopens_a_settled_excerpt(double_coded: tuple[Path, list[int]]) -> None:
    folder, ids = double_coded
    with open_project(folder) as project:
        adjudicate(project, ids[5], (), adjudicator="Citra")
        assert ids[5] not in [d.excerpt_id for d in disagreements(project)]
        with project.store.transaction():
            append(project.store, [Decision(ids[5], "budi", "set", ("KP-SISWA",))])
        assert ids[5] in [d.excerpt_id for d in disagreements(project)]


def test_the_command_line_lists_settles_and_warns_on_small_samples(double_coded: tuple[Path, list[int]]) -> None:
    folder, _ = double_coded
    listed = reduksi("adjudicate", folder, "--coders", "ani,budi")
    assert listed.returncode == 0, listed.stderr
    assert "3 disagreement(s)" in listed.stdout and "HAM-JADWAL, HAM-SDM" in listed.stdout
    key = listed.stdout.splitlines()[0].split()[0]
    settled = reduksi("adjudicate", folder, "--excerpt", key, "--codes", "KP-MEDIA", "-r", "Citra")
    assert settled.returncode == 0 and f"Settled {key}: KP-MEDIA" in settled.stdout
    assert "2 disagreement(s)" in reduksi("adjudicate", folder).stdout
    unknown = reduksi("adjudicate", folder, "--excerpt", key, "--codes", "BUKAN-KODE", "-r", "Citra")
    assert unknown.returncode == 1 and "BUKAN-KODE" in unknown.stderr
    agreement = reduksi("agreement", folder, "--no-model", "--per-code")
    assert agreement.returncode == 0, agreement.stderr
    assert "Warning: figures marked ! rest on too few units" in agreement.stdout
    assert any(line.startswith("! Ani") for line in agreement.stdout.splitlines())
