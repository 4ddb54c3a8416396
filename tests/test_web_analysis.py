"""The analysis pages through TestClient: displays with drill-down, triangulation verdicts, agreement with the
small-n warning, adjudication, search with saved sets coded in bulk, exports for download — each checked against
the store; and the guards (CSRF, escaping) on their forms."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from pipeline.app.project import open_project
from pipeline.store import decisions
from pipeline.store.decisions import Decision, append
from pipeline.store.excerpts import excerpts_frame
from pipeline.store.labels import record_gold
from pipeline.store.triangulation import current_status
from pipeline.web.app import create_app
from tests.conftest import DEMO, config  # noqa: F401  (fixture)
from tests.web_support import post, signed_in, web_project, web_template  # noqa: F401  (fixtures)

PAGES = ["/tampilan", "/tampilan?field=role", "/tampilan?field=method", "/tampilan?field=site", "/tampilan?field=round",
         "/tampilan/klaster",
         "/triangulasi", "/kode/KP-KELAS", "/kesepakatan", "/kesepakatan?per_code=true", "/adjudikasi",
         "/cari", "/cari?q=mengajar", "/ekspor"]
ANI = [("KP-KELAS",), ("KP-SISWA",), ("KKG-SUMBER",), ("KP-MEDIA",), ("HAM-SDM",), ()]
BUDI = [("KP-KELAS",), ("KP-SISWA",), ("KKG-SUMBER",), ("KP-LATAR",), ("HAM-SDM", "HAM-JADWAL"), ("KP-KELAS",)]


@pytest.fixture
def client(web_project: Path) -> Iterator[TestClient]:
    with signed_in(web_project, "citra") as test_client:
        yield test_client


def _double_code(project_folder: Path) -> list[int]:
    with open_project(project_folder) as project:
        ids = [int(e) for e in excerpts_frame(project.store)["excerpt_id"][:6]]
        with project.store.transaction():
            append(project.store, [Decision(e, "ani", "set", c) for e, c in zip(ids, ANI)])
            append(project.store, [Decision(e, "budi", "set", c) for e, c in zip(ids, BUDI)])
    return ids


def test_every_analysis_page_answers(client: TestClient) -> None:
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "<script>" not in response.text and "unsafe-inline" not in response.headers["content-security-policy"]
    assert ">Displays<" in client.get("/tampilan?lang=en").text


def test_a_matrix_cell_opens_its_excerpts(client: TestClient, web_project: Path) -> None:
    with open_project(web_project) as project:
        record_gold(project.store, DEMO / "gold.csv", codebook=project.codebook)
    page = client.get("/tampilan?field=role").text
    links = re.findall(r'hx-get="(/tampilan/sel\?code=([^&]+)&amp;field=role&amp;value=([^"]+))"', page)
    assert links and 'class="legend"' in page
    url, code, value = links[0]
    cell = client.get(url.replace("&amp;", "&"), headers={"HX-Request": "true"}).text
    shown = re.search(rf"<td class=\"h\d\">.*?{re.escape(url)}[^>]*>(\d+)", page)
    assert shown is not None
    assert cell.count('<td class="key">') >= int(shown.group(1)) and "<html" not in cell


def test_a_verdict_is_edited_in_place_and_logged(client: TestClient, web_project: Path) -> None:
    response = post(client, "/triangulasi/KP-KELAS", {"status": "perlu_data_tambahan", "note": "<b>cek</b>"})
    assert response.status_code == 200 and "&lt;b&gt;cek&lt;/b&gt;" in response.text
    with open_project(web_project) as project:
        status = current_status(project.store).set_index("code")
    assert status.loc["KP-KELAS", "status"] == "perlu_data_tambahan"
    assert status.loc["KP-KELAS", "reviewer"] == "citra" and status.loc["KP-KELAS", "note"] == "<b>cek</b>"
    refused = client.post("/triangulasi/KP-KELAS", data={"status": "ditolak"})  # no CSRF token
    assert refused.status_code == 403


def test_agreement_warns_on_six_excerpts_and_adjudication_keeps_both_coders(client: TestClient,
                                                                          web_project: Path) -> None:
    ids = _double_code(web_project)
    agreement = client.get("/kesepakatan?per_code=true").text
    assert 'class="warn"' in agreement and "kurang dari 30 kutipan" in agreement
    listed = client.get("/adjudikasi").text
    assert all(f'id="adj-{e}"' in listed for e in ids[3:]) and f'id="adj-{ids[0]}"' not in listed
    settled = post(client, f"/adjudikasi/{ids[4]}", {"code": ["HAM-SDM"], "note": "dibahas"})
    assert settled.status_code == 200 and "HAM-SDM" in settled.text
    with open_project(web_project) as project:
        labels = decisions.current_labels(project.store)
        mine = decisions.labels_by_reviewer(project.store)
        log = decisions.history(project.store)
    assert labels[ids[4]] == {"HAM-SDM"}
    assert mine["ani"][ids[4]] == {"HAM-SDM"} and mine["budi"][ids[4]] == {"HAM-SDM", "HAM-JADWAL"}
    assert [d.reviewer for d in log if d.origin == "adjudication"] == ["citra"]
    assert f'id="adj-{ids[4]}"' not in client.get("/adjudikasi").text
    assert post(client, f"/adjudikasi/{ids[0]}", {"code": ["KP-KELAS"]}).status_code == 200  # an error fragment
    with open_project(web_project) as project:
        assert sum(d.origin == "adjudication" for d in decisions.history(project.store)) == 1


def test_search_with_filters_saves_a_set_and_codes_it(client: TestClient, web_project: Path) -> None:
    found = client.get("/cari", params={"q": "jadwal*", "method": "wawancara"}).text
    assert "<mark>" in found and "results" not in found
    saved = post(client, "/cari/simpan", {"name": "jadwal", "q": "jadwal*", "method": "wawancara", "state": "all"})
    assert saved.status_code == 200 and "jadwal" in saved.text
    coded = post(client, "/cari/kode", {"name": "jadwal", "code": "HAM-JADWAL"})
    assert coded.status_code == 200
    added = int(re.search(r"HAM-JADWAL \w+ (\d+)", coded.text).group(1))
    with open_project(web_project) as project:
        bulk = [d for d in decisions.history(project.store) if d.note == "set: jadwal"]
    assert added > 0 and len(bulk) == added and {d.reviewer for d in bulk} == {"citra"}


def test_an_export_job_writes_files_to_download(client: TestClient) -> None:
    started = post(client, "/ekspor", {"format": ["csv", "html"]}, hx=False, follow_redirects=False)
    assert started.status_code == 303
    job = started.headers["location"]
    for _ in range(300):
        if "selesai" in client.get(job + "/status").text:
            break
        time.sleep(0.2)
    listing = client.get("/ekspor").text
    assert "laporan.html" in listing and "evidence.csv" in listing
    download = client.get("/ekspor/berkas/laporan.html")
    assert download.status_code == 200 and "<html" in download.text
    assert client.get("/ekspor/berkas/..%2Freduksi.sqlite").status_code == 404
    assert client.get("/ekspor/berkas/reduksi.sqlite").status_code == 404
