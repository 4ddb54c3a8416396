"""The application-layer use cases the web workspace added: span coding and moved boundaries, memos (searchable,
carried into the QDPX export), the dashboard, the review session's `choose` / `previous`, background jobs."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest

from pipeline.app.dashboard import dashboard
from pipeline.app.jobs import JobRegistry, ingest_work, suggest_work
from pipeline.app.memos import add_memo, memos
from pipeline.app.project import open_project
from pipeline.app.review import start_session
from pipeline.app.transcript import adjust_excerpt, code_span, highlight, list_sources, source_transcript
from pipeline.errors import CodebookError, ReviewError
from pipeline.store import decisions
from pipeline.store import workspace as repo
from tests.conftest import config
from tests.web_support import web_project, web_template


def first_interview(project) -> dict:
    row = next(s for s in list_sources(project) if s["name"] == "W-KS01")
    return repo.source_detail(project.store, row["source_id"])


def test_the_transcript_covers_the_whole_text_with_turns_and_excerpts(web_project: Path) -> None:
    with open_project(web_project) as project:
        source = first_interview(project)
        transcript = source_transcript(project, source["source_id"])
    assert "".join(p.text for p in transcript.pieces) == source["text"]
    assert all(source["text"][p.start:p.end] == p.text for p in transcript.pieces)
    labelled = [p for p in transcript.pieces if p.turn_label]
    assert labelled[0].turn_label == "P · interviewer" and labelled[0].interviewer
    coded = [p for p in transcript.pieces if p.excerpts]
    assert coded and any(transcript.excerpts[p.excerpts[0]].suggested for p in coded)


def test_a_selected_span_becomes_an_excerpt_with_exact_offsets(web_project: Path) -> None:
    with open_project(web_project) as project:
        source = first_interview(project)
        text = source["text"]
        start = text.index("Uban udah mulai banyak")
        end = start + len("Uban udah mulai banyak, Pak.")
        result = code_span(project, source["source_id"], start - 1, end + 1, ("KP-LATAR",), reviewer="ani")
        row = repo.excerpt_row(project.store, result.excerpt_id)
        assert result.created and (row["start"], row["end"]) == (start, end)  # white space trimmed
        assert row["text"] == text[start:end] == "Uban udah mulai banyak, Pak."
        assert row["key"] == "W-KS01:002.s1" and row["context"].startswith("Assalamualaikum")
        assert decisions.current_labels(project.store)[result.excerpt_id] == frozenset({"KP-LATAR"})
        again = code_span(project, source["source_id"], start, end, ("KP-SISWA",), reviewer="ani")
        assert not again.created and again.excerpt_id == result.excerpt_id
        assert decisions.current_labels(project.store)[result.excerpt_id] == {"KP-LATAR", "KP-SISWA"}
        assert [e["operation"] for e in repo.excerpt_edits(project.store)] == ["create"]


def test_a_bad_span_stores_nothing(web_project: Path) -> None:
    with open_project(web_project) as project:
        source = first_interview(project)
        before = len(repo.source_excerpts(project.store, source["source_id"]))
        with pytest.raises(CodebookError):
            code_span(project, source["source_id"], 10, 40, ("NO-SUCH",), reviewer="ani")
        with pytest.raises(ReviewError, match="outside the source"):
            code_span(project, source["source_id"], 10, 10 ** 7, (), reviewer="ani")
        with pytest.raises(ReviewError, match="white space"):
            code_span(project, source["source_id"], 48, 50, (), reviewer="ani")
        assert len(repo.source_excerpts(project.store, source["source_id"])) == before


def test_moving_an_excerpts_boundaries_keeps_its_labels_and_the_old_offsets(web_project: Path) -> None:
    with open_project(web_project) as project:
        source = first_interview(project)
        excerpt = repo.source_excerpts(project.store, source["source_id"])[0]
        code_span(project, source["source_id"], excerpt["start"], excerpt["end"], ("KP-LATAR",), reviewer="ani")
        moved = adjust_excerpt(project, excerpt["excerpt_id"], excerpt["start"], excerpt["start"] + 60,
                               reviewer="budi")
        assert moved["text"] == source["text"][excerpt["start"]:excerpt["start"] + 60].rstrip()
        assert decisions.current_labels(project.store)[excerpt["excerpt_id"]] == {"KP-LATAR"}
        [edit] = repo.excerpt_edits(project.store, excerpt["excerpt_id"])
        assert (edit["old_start"], edit["old_end"], edit["reviewer"]) == (excerpt["start"], excerpt["end"], "budi")


def test_memos_on_everything_are_listed_searchable_and_exported(web_project: Path, tmp_path: Path) -> None:
    with open_project(web_project) as project:
        excerpt_id = int(repo.source_excerpts(project.store, first_interview(project)["source_id"])[0]["excerpt_id"])
        add_memo(project, "project", "", "# Catatan\nGugus **aktif**", author="ani", title="Awal")
        add_memo(project, "source", "W-KS01", "Kepala sekolah terbuka.", author="ani")
        add_memo(project, "code", "KP-LATAR", "Pisahkan dari sertifikasi?", author="budi")
        add_memo(project, "excerpt", "W-KS01:002", "Bandingkan dengan W-G03.", author="ani")
        with pytest.raises(CodebookError):
            add_memo(project, "code", "NO-SUCH", "x", author="ani")
        with pytest.raises(ReviewError):
            add_memo(project, "excerpt", "999999", "x", author="ani")
        listed = memos(project)
        assert [m.kind for m in listed] == ["project", "source", "code", "excerpt"]
        assert [m.target for m in memos(project, "bandingkan")] == ["W-KS01:002"]
        assert [m.author for m in memos(project, kind="code")] == ["budi"]
        assert [d.action for d in decisions.history(project.store, excerpt_id=excerpt_id)] == ["note"]
        add_memo(project, "excerpt", str(excerpt_id), "Lewat id juga.", author="ani")
        assert memos(project, "lewat id")[0].target == "W-KS01:002"
        from pipeline.app.export import export_project

        written = export_project(project, tmp_path / "out", ("qdpx", "xlsx", "html", "csv"))
    with zipfile.ZipFile(tmp_path / "out" / "reduksi.qdpx") as archive:
        xml = archive.read("project.qde").decode("utf-8")
    import openpyxl

    sheet = openpyxl.load_workbook(tmp_path / "out" / "reduksi.xlsx")["Memo"]
    cells = " ".join(str(c.value) for row in sheet.iter_rows() for c in row)
    html = (tmp_path / "out" / "laporan.html").read_text(encoding="utf-8")
    csv_text = (tmp_path / "out" / "memos.csv").read_text(encoding="utf-8-sig")
    assert tmp_path / "out" / "memos.csv" in written
    for text in ("Gugus **aktif**", "Kepala sekolah terbuka.", "Pisahkan dari sertifikasi?", "Bandingkan dengan W-G03."):
        assert text in xml and text in cells and text in html and text in csv_text
    assert "W-KS01:002" in cells


def test_the_dashboard_counts_what_the_project_holds(web_project: Path) -> None:
    with open_project(web_project) as project:
        session = start_session(project, "ani")
        session.save()
        session.irrelevant()
        board = dashboard(project)
    assert (board.sources, board.excerpts, board.verified, board.irrelevant) == (32, 431, 2, 1)
    assert board.model is not None and board.model.version == board.model_version
    assert len(board.codes) == 13 and board.reviewers == {"ani": 2} and board.agreement is None
    assert board.activity[0]["kind"] == "decision" and board.activity[0]["what"].startswith("irrelevant")


def test_the_session_takes_a_selection_and_goes_back(web_project: Path) -> None:
    with open_project(web_project) as project:
        session = start_session(project, "ani")
        first = session.current.excerpt["excerpt_id"]
        session.choose(["KP-LATAR", "KP-SISWA"])
        session.save()
        assert decisions.current_labels(project.store)[first] == {"KP-LATAR", "KP-SISWA"}
        with pytest.raises(ReviewError):
            session.choose(["NO-SUCH"])
        assert session.previous() and session.current.excerpt["excerpt_id"] == first
        assert session.selection == {"KP-LATAR", "KP-SISWA"}
        assert not session.previous()


def test_highlight_marks_whole_reason_words_only() -> None:
    pieces = highlight("Guru-guru KKG; kkg rutin, kkgnya", ["kkg", "rutin"])
    assert "".join(p for p, _ in pieces) == "Guru-guru KKG; kkg rutin, kkgnya"
    assert [p for p, hit in pieces if hit] == ["KKG", "kkg", "rutin"]


def wait(job, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while job.status == "running" and time.time() < deadline:
        time.sleep(0.05)


def test_jobs_run_in_the_background_and_keep_the_use_case_errors(web_project: Path, tmp_path: Path) -> None:
    registry = JobRegistry(web_project)
    job = registry.start("suggest", suggest_work)
    wait(job)
    assert job.status == "done" and job.result["suggestions"] > 0 and job.percent == 100
    (tmp_path / "W-BAD.txt").write_bytes(b"\x00\x01\x02binary" * 50)
    (tmp_path / "W-OK.txt").write_text("P: Apa kabar?\nI: Baik, Pak. KKG jalan terus.\n", encoding="utf-8")
    bad = registry.start("ingest", ingest_work([tmp_path / "W-OK.txt", tmp_path / "W-BAD.txt"], None))
    wait(bad)
    assert bad.status == "failed" and any("W-BAD.txt" in e for e in bad.errors)
    with open_project(web_project) as project:
        assert "W-OK" not in {s["name"] for s in list_sources(project)}  # all or nothing
    good = registry.start("ingest", ingest_work([tmp_path / "W-OK.txt"], None))
    wait(good)
    assert good.status == "done" and good.result["added"] == ["W-OK v1"] and good.result["report"]
    assert [j.id for j in registry.all()] == [3, 2, 1]


def test_a_background_rerank_changes_the_order_only_between_two_excerpts(web_project: Path) -> None:
    from pipeline.app.review import session_requeue

    with open_project(web_project) as project:
        session = start_session(project, "ani", background=True)
        for _ in range(project.config.review.requeue_every):
            session.save()
        on_screen = session.current.excerpt["excerpt_id"]
        session.requeue.__self__.wait(120)  # the ranker's thread
        assert session.current.excerpt["excerpt_id"] == on_screen  # nothing moves under the reviewer's eyes
        expected = session_requeue(project, "ani")()
        session.save()  # the finished ranking is taken after this decision
        assert session.order[:10] == [e for e in expected if e != on_screen][:10]


def test_the_dashboard_shows_agreement_between_two_reviewers(web_project: Path) -> None:
    with open_project(web_project) as project:
        source = first_interview(project)
        for name in ("ani", "budi"):
            for excerpt in repo.source_excerpts(project.store, source["source_id"])[:4]:
                code_span(project, source["source_id"], excerpt["start"], excerpt["end"], ("KP-LATAR",),
                          reviewer=name)
        summary = dashboard(project).agreement
    assert summary is not None and summary.coders == ("ani", "budi") and summary.excerpts == 4
    assert summary.percent == 100.0
