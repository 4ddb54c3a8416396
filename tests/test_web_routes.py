"""Every route of the web workspace through FastAPI's TestClient: pages, the review keys, span coding, codebook
changes, memos, uploads and jobs; and the guards (CSRF, escaping, Content-Security-Policy, the launch token)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from pipeline.app.project import open_project
from pipeline.store import decisions
from pipeline.store import workspace as repo
from pipeline.store.memos import list_memos
from pipeline.web.app import create_app
from tests.conftest import config
from tests.web_support import post, signed_in, web_project, web_template

PAGES = ["/", "/sumber", "/tinjau", "/kodebuku", "/memo", "/tugas", "/nama"]


@pytest.fixture
def client(web_project: Path) -> Iterator[TestClient]:
    with signed_in(web_project, "ani") as test_client:
        yield test_client


def source_id(project: Path, name: str = "W-KS01") -> int:
    with open_project(project) as opened:
        return next(s["source_id"] for s in repo.source_overview(opened.store) if s["name"] == name)


def test_every_page_answers_with_a_strict_policy_and_nothing_from_elsewhere(client: TestClient,
                                                                           web_project: Path) -> None:
    for url in [*PAGES, f"/sumber/{source_id(web_project)}"]:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = response.headers["content-security-policy"]
        assert "default-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert not re.search(r"(src|href)=\"(https?:)?//", response.text), url
        assert "<script>" not in response.text  # no inline script: the policy would block it
    for asset in ("/static/htmx.min.js", "/static/reduksi.js", "/static/reduksi.css"):
        assert client.get(asset).status_code == 200


def test_english_on_request(client: TestClient) -> None:
    assert "Kodebuku" in client.get("/").text
    assert ">Codebook<" in client.get("/?lang=en").text and ">Codebook<" in client.get("/kodebuku").text


def test_review_asks_for_a_name_first(web_project: Path) -> None:
    app = create_app(web_project)
    with TestClient(app) as anonymous:
        response = anonymous.get("/tinjau", follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/nama?next=/tinjau"
        token = anonymous.get("/nama").cookies.get("reduksi_csrf") or anonymous.cookies.get("reduksi_csrf")
        chosen = anonymous.post("/nama", data={"name": "citra", "next": "/tinjau", "csrf_token": token},
                                follow_redirects=False)
        assert chosen.status_code == 303 and chosen.cookies.get("reduksi_reviewer") == "citra"
    app.state.workspace.close()


def shown(html: str) -> int:
    return int(re.search(r'id="excerpt" data-excerpt="(\d+)"', html).group(1))


def test_review_keys_are_decisions_in_the_log(client: TestClient, web_project: Path) -> None:
    first = shown(client.get("/tinjau").text)
    answer = post(client, "/tinjau/aksi", {"action": "accept", "excerpt_id": first, "codes": ["KP-LATAR"]})
    second = shown(answer.text)
    assert second != first
    post(client, "/tinjau/aksi", {"action": "irrelevant", "excerpt_id": second})
    stale = post(client, "/tinjau/aksi", {"action": "reject", "excerpt_id": first})
    assert "reload" in stale.text and stale.headers["hx-retarget"] == "#flash"
    back = post(client, "/tinjau/aksi", {"action": "undo"})
    assert shown(back.text) == second
    with open_project(web_project) as project:
        assert decisions.current_labels(project.store, reviewer="ani") == {first: frozenset({"KP-LATAR"})}
        assert [d.action for d in decisions.history(project.store)][-2:] == ["irrelevant", "undo"]
    assert shown(post(client, "/tinjau/aksi", {"action": "next", "excerpt_id": second}).text) != second
    assert shown(post(client, "/tinjau/aksi", {"action": "prev"}).text) == second


def test_every_change_needs_the_csrf_token(client: TestClient, web_project: Path) -> None:
    first = shown(client.get("/tinjau").text)
    for headers in ({}, {"X-CSRF-Token": "wrong"}):
        response = client.post("/tinjau/aksi", data={"action": "accept", "excerpt_id": first}, headers=headers)
        assert response.status_code == 403
        response = client.post("/memo", data={"kind": "project", "text": "x"}, headers=headers)
        assert response.status_code == 403
    with open_project(web_project) as project:
        assert decisions.history(project.store) == [] and list_memos(project.store) == []


def test_span_coding_and_moved_boundaries(client: TestClient, web_project: Path) -> None:
    sid = source_id(web_project)
    with open_project(web_project) as project:
        text = repo.source_detail(project.store, sid)["text"]
        excerpt = repo.source_excerpts(project.store, sid)[0]
    start = text.index("Uban udah")
    answer = post(client, f"/sumber/{sid}/kode", {"start": start, "end": start + 22, "codes": ["KP-LATAR"]})
    assert answer.status_code == 200 and "W-KS01:002.s1" in answer.text
    moved = post(client, "/kutipan/batas", {"excerpt_id": excerpt["excerpt_id"], "start": excerpt["start"],
                                           "end": excerpt["start"] + 40})
    assert moved.status_code == 200
    bad = post(client, f"/sumber/{sid}/kode", {"start": 5, "end": 10 ** 7})
    assert "outside the source" in bad.text
    with open_project(web_project) as project:
        rows = {r["key"]: r for r in repo.source_excerpts(project.store, sid)}
        assert rows["W-KS01:002.s1"]["text"] == text[start:start + 22]
        assert rows[excerpt["key"]]["end"] == excerpt["start"] + 40


def test_codebook_rename_previews_how_many_labels_move_then_applies(client: TestClient, web_project: Path) -> None:
    first = shown(client.get("/tinjau").text)
    post(client, "/tinjau/aksi", {"action": "accept", "excerpt_id": first, "codes": ["KP-LATAR"]})
    form = {"operation": "rename", "code": "KP-LATAR", "target": "KP-RIWAYAT"}
    preview = post(client, "/kodebuku/ubah", form)
    assert re.search(r'id="labels-move"><b>1</b>', preview.text) and "change-confirm" in preview.text
    with open_project(web_project) as project:
        assert "KP-LATAR" in project.codebook.ids  # a preview changes nothing
    applied = post(client, "/kodebuku/ubah", {**form, "confirm": "yes"})
    assert "Diterapkan" in applied.text
    with open_project(web_project) as project:
        assert "KP-RIWAYAT" in project.codebook.ids and "KP-LATAR" not in project.codebook.ids
        assert decisions.current_labels(project.store)[first] == {"KP-RIWAYAT"}
    assert "KP-RIWAYAT" in client.get("/tinjau").text  # the session follows the new codebook
    unknown = post(client, "/kodebuku/ubah", {"operation": "merge", "code": "NO-SUCH", "target": "KP-SISWA"})
    assert "NO-SUCH" in unknown.text and unknown.headers["hx-retarget"] == "#flash"


def test_memos_are_markdown_searchable_and_escaped(client: TestClient, web_project: Path) -> None:
    answer = post(client, "/memo", {"kind": "project", "text": "**Tebal** <script>alert('memo')</script>",
                                    "title": "<script>x</script>"})
    assert "<strong>Tebal</strong>" in answer.text and "&lt;script&gt;alert(" in answer.text
    assert "<script>alert" not in answer.text and "<script>x" not in answer.text
    post(client, "/memo", {"kind": "code", "target": "KP-SISWA", "text": "Bandingkan dengan observasi."})
    found = client.get("/memo?q=observasi", headers={"HX-Request": "true"})
    assert "Bandingkan" in found.text and "Tebal" not in found.text
    with open_project(web_project) as project:
        assert [(m.target_kind, m.author, m.origin) for m in list_memos(project.store)] == [
            ("project", "ani", "web"), ("code", "ani", "web")]


def wait_for_job(client: TestClient, job: str) -> str:
    for _ in range(600):
        html = client.get(job + "/status").text
        if "hx-trigger" not in html:
            return html
        time.sleep(0.1)
    raise AssertionError("the job did not finish")


def test_upload_ingests_in_the_background_and_escapes_the_transcript(client: TestClient, web_project: Path) -> None:
    content = "P: Bagaimana KKG?\nI: <script>alert('x')</script> KKG jalan terus, Pak.\n"
    files = [("files", ("W-UJI.txt", content.encode("utf-8"), "text/plain"))]
    answer = client.post("/sumber/unggah", files=files, data={"csrf_token": client.cookies.get("reduksi_csrf")},
                         follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/tugas/")
    job = answer.headers["location"]
    assert client.get(job).status_code == 200 and client.get("/tugas").status_code == 200
    assert "W-UJI v1" in wait_for_job(client, job)
    viewer = client.get(f"/sumber/{source_id(web_project, 'W-UJI')}").text
    assert "&lt;script&gt;alert(" in viewer and "<script>alert" not in viewer


def test_a_bad_upload_gets_the_cli_error_and_stores_nothing(client: TestClient, web_project: Path) -> None:
    token = {"csrf_token": client.cookies.get("reduksi_csrf")}
    wrong_type = client.post("/sumber/unggah", files=[("files", ("notes.exe", b"MZ", "application/octet-stream"))],
                             data=token)
    assert wrong_type.status_code == 400 and "notes.exe" in wrong_type.text and "is not read by reduksi" in wrong_type.text
    files = [("files", ("W-OK.txt", b"P: Apa kabar?\nI: Baik.\n", "text/plain")),
             ("files", ("W-BIN.txt", b"\x00\x01\x02\x03" * 100, "text/plain"))]
    answer = client.post("/sumber/unggah", files=files, data=token, follow_redirects=False)
    html = wait_for_job(client, answer.headers["location"])
    assert "W-BIN.txt" in html and "E10" in html
    with open_project(web_project) as project:
        assert not {"W-OK", "W-BIN"} & {s["name"] for s in repo.source_overview(project.store)}
    assert not any((web_project / "unggahan").glob("*/W-OK.txt"))


def test_jobs_start_from_the_page_and_report_back(client: TestClient) -> None:
    answer = client.post("/tugas/suggest", data={"csrf_token": client.cookies.get("reduksi_csrf")},
                         follow_redirects=False)
    assert answer.status_code == 303
    assert "suggestions" in wait_for_job(client, answer.headers["location"])
    assert client.get("/tugas/999").status_code == 404


def test_a_code_name_with_markup_is_shown_as_text(client: TestClient, web_project: Path) -> None:
    post(client, "/kodebuku/ubah", {"operation": "add", "code": "KP-UJI", "theme": "KP", "confirm": "yes",
                                    "name": "<script>alert('kode')</script>", "definition": "Uji <b>tebal</b>."})
    for url in ("/kodebuku", "/tinjau", "/"):
        html = client.get(url).text
        assert "KP-UJI" in html and "<script>alert" not in html and "&lt;script&gt;alert(" in html, url


def test_beyond_localhost_every_request_needs_the_launch_token(web_project: Path) -> None:
    app = create_app(web_project, token="s3cret")
    with TestClient(app) as outsider:
        assert outsider.get("/").status_code == 403
        assert outsider.get("/static/reduksi.css").status_code == 403
        assert outsider.get("/?token=wrong").status_code == 403
        assert outsider.get("/?token=s3cret").status_code == 200
        assert outsider.get("/kodebuku").status_code == 200  # the token is kept in a cookie
    app.state.workspace.close()


def test_the_cli_starts_the_server_with_its_options(web_project: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess
    import sys

    import uvicorn

    from pipeline.cli.web import web_command

    assert "--no-browser" in subprocess.run([sys.executable, "-m", "pipeline", "web", "--help"], capture_output=True,
                                            text=True, check=True).stdout
    started: list[tuple[str, int]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, host, port, log_level: started.append((host, port)))
    web_command(web_project, port=8999, host="127.0.0.1", no_browser=True)
    web_command(web_project, port=8998, host="0.0.0.0", no_browser=True)
    assert started == [("127.0.0.1", 8999), ("0.0.0.0", 8998)]
    outside = subprocess.run([sys.executable, "-m", "pipeline", "web", str(tmp_path / "nothing"), "--no-browser"],
                             capture_output=True, text=True)
    assert outside.returncode == 1 and outside.stderr.startswith("Error: [E3")


def test_beyond_localhost_the_cli_warns_and_prints_the_token(web_project: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    import uvicorn

    from pipeline.cli.web import web_command

    monkeypatch.setattr(uvicorn, "run", lambda app, host, port, log_level: None)
    web_command(web_project, port=8997, host="0.0.0.0", no_browser=True)
    captured = capsys.readouterr()
    assert "Warning" in captured.err and re.search(r"http://0\.0\.0\.0:8997/\?token=\S{20,}", captured.out)
    web_command(web_project, port=8996, host="127.0.0.1", no_browser=True)
    captured = capsys.readouterr()
    assert "token" not in captured.out and captured.err == ""


def test_cluster_job_then_adopt_a_theme_with_a_preview(client: TestClient, web_project: Path) -> None:
    answer = client.post("/tugas/cluster", data={"csrf_token": client.cookies.get("reduksi_csrf")},
                         follow_redirects=False)
    assert "candidate_themes" in wait_for_job(client, answer.headers["location"])
    page = client.get("/kodebuku").text
    clusters = re.findall(r"<tr><td>(\d+)</td>", page)
    cluster = int(clusters[0]) if clusters else 0
    form = {"operation": "adopt", "cluster": cluster, "code": "KD-BARU", "name": "Tema baru", "theme": "KP"}
    preview = post(client, "/kodebuku/ubah", form)
    assert "change-confirm" in preview.text and re.search(r"<b>\d+</b> kutipan kembali", preview.text)
    post(client, "/kodebuku/ubah", {**form, "confirm": "yes"})
    with open_project(web_project) as project:
        assert "KD-BARU" in project.codebook.ids


def test_the_queue_resumes_where_the_reviewer_stopped(client: TestClient, web_project: Path) -> None:
    first = shown(client.get("/tinjau").text)
    answer = post(client, "/tinjau/aksi", {"action": "accept", "excerpt_id": first})
    on_screen = shown(post(client, "/tinjau/aksi", {"action": "next", "excerpt_id": shown(answer.text)}).text)
    app = create_app(web_project)  # the server stopped and started again
    with TestClient(app) as again:
        again.cookies.set("reduksi_reviewer", "ani")
        assert shown(again.get("/tinjau").text) == on_screen
    app.state.workspace.close()


def test_upload_with_a_manifest_keeps_its_metadata_and_a_bad_row_is_reported(client: TestClient,
                                                                            web_project: Path) -> None:
    token = {"csrf_token": client.cookies.get("reduksi_csrf")}
    transcript = ("files", ("W-BARU.txt", b"P: Ikut KKG, Bu?\nI: Ikut, tiap Kamis.\n", "text/plain"))
    manifest = b"file,informant,role,site,method,date\nW-BARU.txt,G99,guru,sdn-baru,wawancara,2024-03-01\n"
    answer = client.post("/sumber/unggah", data=token, follow_redirects=False,
                         files=[transcript, ("manifest", ("manifest.csv", manifest, "text/csv"))])
    assert "W-BARU v1" in wait_for_job(client, answer.headers["location"])
    listed = client.get("/sumber").text
    assert re.search(r"W-BARU</a>.*?wawancara</td><td>G99</td><td>guru</td><td>sdn-baru</td><td>2024-03-01", listed,
                     re.S)
    wrong = b"file,informant,method\nW-LAIN.txt,G98,wawancara-kelompok\n"
    answer = client.post("/sumber/unggah", data=token, follow_redirects=False,
                         files=[("files", ("W-LAIN.txt", b"P: Halo?\nI: Halo.\n", "text/plain")),
                                ("manifest", ("manifest.csv", wrong, "text/csv"))])
    html = wait_for_job(client, answer.headers["location"])
    assert "manifest.csv" in html and "line 2" in html and "wawancara-kelompok" in html
    with open_project(web_project) as project:
        assert "W-LAIN" not in {s["name"] for s in repo.source_overview(project.store)}
