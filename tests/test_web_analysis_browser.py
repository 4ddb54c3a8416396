"""The analysis pages in a real browser (pytest-playwright driving Debian's Chromium): an adjudication of three
disagreements, a verdict edit, a matrix cell drill-down and a search with filters — each checked against the store
afterwards — and screenshots of the pages (into $REDUKSI_SCREENSHOTS, else the test's folder)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from pipeline.app.project import open_project
from pipeline.store import decisions
from pipeline.store.decisions import Decision, append
from pipeline.store.excerpts import excerpts_frame
from pipeline.store.labels import record_gold
from pipeline.store.triangulation import current_status
from tests.conftest import DEMO, config  # noqa: F401  (fixture)
from tests.web_support import browser_type_launch_args, live, web_project, web_template  # noqa: F401

ANI = [("KP-KELAS",), ("KP-SISWA",), ("KKG-SUMBER",), ("KP-MEDIA",), ("HAM-SDM",), ()]
BUDI = [("KP-KELAS",), ("KP-SISWA",), ("KKG-SUMBER",), ("KP-LATAR",), ("HAM-SDM", "HAM-JADWAL"), ("KP-KELAS",)]


@pytest.fixture
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}}


def sign_in(page: Page, url: str, name: str = "citra") -> None:
    page.goto(url + "/nama")
    page.fill("#name", name)
    page.click("button[type=submit]")


def shoot(page: Page, name: str, tmp_path: Path) -> None:
    folder = Path(os.environ.get("REDUKSI_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"))


def test_adjudicating_three_disagreements(live, page: Page, tmp_path: Path) -> None:
    server, project = live
    with open_project(project) as opened:
        ids = [int(e) for e in excerpts_frame(opened.store)["excerpt_id"][:6]]
        with opened.store.transaction():
            append(opened.store, [Decision(e, "ani", "set", c) for e, c in zip(ids, ANI)])
            append(opened.store, [Decision(e, "budi", "set", c) for e, c in zip(ids, BUDI)])
    sign_in(page, server.url)
    page.goto(server.url + "/kesepakatan?per_code=true")
    expect(page.locator(".warn")).to_be_visible()
    page.goto(server.url + "/adjudikasi")
    expect(page.locator("article.adjudication")).to_have_count(3)
    shoot(page, "adjudikasi", tmp_path)
    finals = {ids[3]: ["KP-MEDIA"], ids[4]: ["HAM-SDM", "HAM-JADWAL"], ids[5]: []}
    for excerpt_id, codes in finals.items():
        card = page.locator(f"#adj-{excerpt_id}")
        for box in card.locator("input[name=code]").all():
            box.set_checked(box.get_attribute("value") in codes)
        card.locator("button").click()
        expect(page.locator(f"#adj-{excerpt_id} .ok")).to_be_visible()
    with open_project(project) as opened:
        labels = decisions.current_labels(opened.store)
        mine = decisions.labels_by_reviewer(opened.store)
        log = decisions.history(opened.store)
    assert {e: set(labels[e]) for e in finals} == {e: set(c) for e, c in finals.items()}
    assert [mine["ani"][e] for e in ids[3:]] == [frozenset(c) for c in ANI[3:]]
    assert [mine["budi"][e] for e in ids[3:]] == [frozenset(c) for c in BUDI[3:]]
    assert sorted(d.excerpt_id for d in log if d.origin == "adjudication") == sorted(finals)
    page.goto(server.url + "/adjudikasi")
    expect(page.locator("article.adjudication")).to_have_count(0)


def test_a_verdict_a_drill_down_and_a_search(live, page: Page, tmp_path: Path) -> None:
    server, project = live
    with open_project(project) as opened:
        record_gold(opened.store, DEMO / "gold.csv", codebook=opened.codebook)
    sign_in(page, server.url)
    page.goto(server.url + "/triangulasi")
    row = page.locator("form.verdict").filter(has=page.locator("select[aria-label='Putusan HAM-JADWAL']"))
    row.locator("select").select_option("terkonfirmasi")
    row.locator("input[name=note]").fill("wawancara, observasi dan daftar hadir sejalan")
    row.locator("button").click()
    expect(page.locator("form.verdict .ok")).to_be_visible()
    shoot(page, "triangulasi", tmp_path)
    with open_project(project) as opened:
        verdict = current_status(opened.store).set_index("code").loc["HAM-JADWAL"]
    assert verdict["status"] == "terkonfirmasi" and verdict["reviewer"] == "citra"

    page.goto(server.url + "/tampilan?field=role")
    cell = page.locator("table.matrix td a").first
    count = int(re.match(r"\d+", cell.inner_text()).group())
    cell.click()
    expect(page.locator("#sel td.key")).to_have_count(count)
    shoot(page, "tampilan", tmp_path)

    page.goto(server.url + "/cari")
    page.fill("input[name=q]", "mengajar")
    page.select_option("select[name=role]", "kepala_sekolah")
    page.click("form.searchform button")
    expect(page.locator("table.kwic mark").first).to_be_visible()
    keys = page.locator("table.kwic td.key").all_inner_texts()
    with open_project(project) as opened:
        roles = excerpts_frame(opened.store).set_index("key")["role"]
    assert keys and {roles[k.split()[0]] for k in keys} == {"kepala_sekolah"}
    shoot(page, "cari", tmp_path)
