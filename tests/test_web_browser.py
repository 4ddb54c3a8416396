"""What a person does in the workspace, in a real browser (pytest-playwright driving Debian's Chromium): a keyboard
review of 20 excerpts, undo, span coding and moved boundaries, a codebook rename, a memo — each checked against the
store afterwards — and a screenshot of every page (into $REDUKSI_SCREENSHOTS, else the test's folder)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from pipeline.app.memos import add_memo
from pipeline.app.project import open_project
from pipeline.app.transcript import code_span
from pipeline.store import decisions
from pipeline.store import workspace as repo
from pipeline.store.memos import list_memos
from tests.conftest import config
from tests.web_support import browser_type_launch_args, live, web_project, web_template


@pytest.fixture
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def blocked(page: Page) -> list[str]:
    """Console messages about anything the Content-Security-Policy refused (there must be none)."""
    found: list[str] = []
    page.on("console", lambda message: found.append(message.text)
            if "Content Security Policy" in message.text or message.type == "error" else None)
    return found


def sign_in(page: Page, url: str, name: str = "ani") -> None:
    page.goto(url + "/nama")
    page.fill("#name", name)
    page.click("button[type=submit]")


def shown(page: Page) -> str:
    return page.locator("#excerpt").get_attribute("data-excerpt") or ""


def press_and_wait(page: Page, key: str) -> str:
    before = shown(page)
    page.keyboard.press(key)
    expect(page.locator("#excerpt")).not_to_have_attribute("data-excerpt", before, timeout=15000)
    return shown(page)


def test_a_keyboard_review_of_20_excerpts_then_undo(live, page: Page, blocked: list[str]) -> None:
    server, project = live
    sign_in(page, server.url)
    page.goto(server.url + "/tinjau")
    decided: dict[int, str] = {}
    for i in range(20):
        current = int(shown(page))
        if i % 5 == 4:
            key = "x"
        elif i % 7 == 3:
            key = "t"
        else:
            key = "Enter"
            page.keyboard.press("1")  # toggle the first code (KP-KELAS) on or off before accepting
        decided[current] = key
        press_and_wait(page, key)
    last = list(decided)[-1]
    assert press_and_wait(page, "u") == str(last)  # undo brings the last excerpt back
    with open_project(project) as opened:
        log = decisions.history(opened.store, reviewer="ani")
        mine = decisions.current_labels(opened.store, reviewer="ani")
        state = decisions.label_state(opened.store)
    assert set(mine) == set(decided) - {last} and log[-1].action == "undo"
    assert {d.excerpt_id for d in log if d.action == "irrelevant"} == {e for e, k in decided.items() if k == "t"}
    assert state.irrelevant == {e for e, k in decided.items() if k == "t"} - {last}
    assert all(d.origin == "review" and d.reviewer == "ani" for d in log)
    assert blocked == []


def test_j_k_and_code_search(live, page: Page) -> None:
    server, _ = live
    sign_in(page, server.url)
    page.goto(server.url + "/tinjau")
    first = shown(page)
    second = press_and_wait(page, "j")
    assert press_and_wait(page, "k") == first and second != first
    page.keyboard.press("/")
    page.keyboard.type("jadwal")
    expect(page.locator('.codes button[data-code="HAM-JADWAL"]')).to_be_visible()
    expect(page.locator('.codes button[data-code="KP-KELAS"]')).to_be_hidden()
    page.keyboard.press("Enter")
    expect(page.locator('.codes button[data-code="HAM-JADWAL"]')).to_have_attribute("aria-pressed", "true")


def select(page: Page, start: int, end: int) -> None:
    """Select the transcript's characters start..end as a mouse would (a DOM range), then release the mouse."""
    page.evaluate("""([start, end]) => {
        const segs = Array.from(document.querySelectorAll('#transcript .seg'));
        const place = (offset) => {
            const seg = segs.filter(s => Number(s.dataset.start) <= offset).pop();
            return [seg.firstChild, offset - Number(seg.dataset.start)];
        };
        const range = document.createRange();
        range.setStart(...place(start));
        range.setEnd(...place(end));
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        document.querySelector('#transcript .text').dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
    }""", [start, end])


def test_span_coding_and_moving_boundaries_in_the_viewer(live, page: Page, blocked: list[str]) -> None:
    server, project = live
    with open_project(project) as opened:
        sid = next(s["source_id"] for s in repo.source_overview(opened.store) if s["name"] == "W-KS01")
        text = repo.source_detail(opened.store, sid)["text"]
        excerpt = repo.source_excerpts(opened.store, sid)[1]
    sign_in(page, server.url)
    page.goto(f"{server.url}/sumber/{sid}")
    start = text.index("Uban udah mulai banyak")
    select(page, start, start + len("Uban udah mulai banyak, Pak."))
    expect(page.locator("#coder")).to_be_visible()
    expect(page.locator("#selected-text")).to_have_text("Uban udah mulai banyak, Pak.")
    page.check('#span-form input[value="KP-LATAR"]')
    page.click("#span-submit")
    expect(page.locator('.seg[data-key="W-KS01:002.s1"]')).to_have_count(1)
    page.click('.seg[data-key="W-KS01:002.s1"]')  # a click shows the excerpt's codes and a memo link
    expect(page.locator("#info-key")).to_have_text("W-KS01:002.s1")
    expect(page.locator("#info-codes")).to_contain_text("KP-LATAR")
    expect(page.locator("#info-memo")).to_have_attribute("href", "/memo?kind=excerpt&target=W-KS01%3A002.s1")
    select(page, excerpt["start"] + 5, excerpt["end"] - 5)
    expect(page.locator("#adjust-form")).to_be_visible()
    page.click("#adjust-submit")
    expect(page.locator(f'.seg[data-start="{excerpt["start"] + 5}"]')).to_have_count(1)
    with open_project(project) as opened:
        rows = {r["key"]: r for r in repo.source_excerpts(opened.store, sid)}
        labels = decisions.current_labels(opened.store)
    new = rows["W-KS01:002.s1"]
    assert (new["start"], new["end"], new["text"]) == (start, start + 28, text[start:start + 28])
    assert labels[new["excerpt_id"]] == {"KP-LATAR"}
    moved = rows[excerpt["key"]]
    assert (moved["start"], moved["end"]) == (excerpt["start"] + 5, excerpt["end"] - 5)
    assert moved["text"] == text[moved["start"]:moved["end"]]
    assert blocked == []


def test_a_rename_with_its_confirmation(live, page: Page) -> None:
    server, project = live
    sign_in(page, server.url)
    page.goto(server.url + "/tinjau")
    excerpt = int(shown(page))
    if page.locator('.codes button[data-code="KP-LATAR"]').get_attribute("aria-pressed") != "true":
        page.keyboard.press("4")  # KP-LATAR's key
    expect(page.locator('.codes button[data-code="KP-LATAR"]')).to_have_attribute("aria-pressed", "true")
    press_and_wait(page, "Enter")
    page.goto(server.url + "/kodebuku")
    page.click('button[data-op="rename"][data-code="KP-LATAR"]')  # fills in the operation and the code
    expect(page.locator("#operation")).to_have_value("rename")
    expect(page.locator("#change-code")).to_have_value("KP-LATAR")
    page.fill("#change-target", "KP-RIWAYAT")
    page.click("#change-preview")
    expect(page.locator("#labels-move b").first).to_have_text("1")
    page.click("#change-confirm")
    expect(page.locator(".change.applied")).to_be_visible()
    with open_project(project) as opened:
        assert "KP-RIWAYAT" in opened.codebook.ids and "KP-LATAR" not in opened.codebook.ids
        labels = decisions.current_labels(opened.store)[excerpt]
    assert "KP-RIWAYAT" in labels and "KP-LATAR" not in labels


def test_a_memo(live, page: Page) -> None:
    server, project = live
    sign_in(page, server.url)
    page.goto(server.url + "/memo")
    page.select_option("#memo-new-kind", "code")
    page.fill("#memo-target", "KP-SISWA")
    page.fill("#memo-title", "Pola")
    page.fill("#memo-text", "Guru **sering** menyebut <script>kelas besar</script>.")
    page.click("#memo-save")
    expect(page.locator("#memo-list .memo strong")).to_have_text("sering")
    expect(page.locator("#memo-list .memo")).to_contain_text("<script>kelas besar</script>")
    page.fill("#memo-q", "tidak ada")
    expect(page.locator("#memo-list .memo")).to_have_count(0)
    with open_project(project) as opened:
        [memo] = list_memos(opened.store)
    assert (memo.target_kind, memo.target, memo.title, memo.author) == ("code", "KP-SISWA", "Pola", "ani")


def test_a_screenshot_of_every_page(live, page: Page, tmp_path: Path, blocked: list[str]) -> None:
    server, project = live
    folder = Path(os.environ.get("REDUKSI_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    with open_project(project) as opened:  # some verified codes and a memo, so the pages show them
        sid = next(s["source_id"] for s in repo.source_overview(opened.store) if s["name"] == "W-KS01")
        for excerpt, codes in zip(repo.source_excerpts(opened.store, sid)[:4],
                                  [("KP-LATAR",), ("KKG-PROFESI", "KIN-PERAN-KKG"), ("KIN-PERAN-KKG",), ()]):
            code_span(opened, sid, excerpt["start"], excerpt["end"], codes, reviewer="ani")
        add_memo(opened, "source", "W-KS01", "Kepala sekolah menilai KKG **aktif** tapi bergantung pada SD inti.",
                 author="ani", title="Peran SD inti")
    sign_in(page, server.url)
    for name, url in [("beranda", "/"), ("sumber", f"/sumber/{sid}"), ("daftar-sumber", "/sumber"),
                      ("tinjau", "/tinjau"), ("kodebuku", "/kodebuku"), ("memo", "/memo"), ("tugas", "/tugas")]:
        page.goto(server.url + url)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(folder / f"{name}.png"))
        assert (folder / f"{name}.png").stat().st_size > 10_000
    assert blocked == []
