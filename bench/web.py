"""The web workspace's speed on a 2,000-excerpt project: server time of each page and the time from a review
keystroke to the next excerpt on screen (Chromium via playwright), beside a static file served by the same server
in the same run.

The project is the demo corpus replicated (each copy with new file names and informant ids) to about 2,000
excerpts, ingested and suggested once in a temporary folder, with 300 excerpts verified by two reviewers (counts,
agreement and activity to show). Server time is the app's own `Server-Timing` figure
(request in, response out), so loopback and client time are left out; each page is asked once to warm up, then
`--repeat` times (the median and the slowest are shown). The keystroke time runs from the key press to the moment
the next excerpt is in the page (measured in the page with `performance.now()`). Every `[review] requeue_every`
decisions the session re-ranks its queue in a background thread (the new order is taken at the first decision
after it is ready); those keystrokes are shown apart. The analysis pages (displays, triangulation, agreement,
adjudication, search) compute once per state of the project: their first request after a new decision is measured
apart. Targets: every page under 300 ms server time, a keystroke under 150 ms.

    python bench/web.py [--copies 5] [--repeat 10] [--keys 50]
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
DEMO = REPO / "corpora" / "gugus3"
if TYPE_CHECKING:
    from pipeline.app.project import Project

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def replicate(folder: Path, copies: int) -> Path:
    """The demo corpus `copies` times over: file stems and informant ids get a suffix, so every copy is new."""
    corpus = folder / "korpus"
    (corpus / "sumber").mkdir(parents=True)
    with open(DEMO / "manifest.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    out = []
    for k in range(1, copies + 1):
        for row in rows:
            source = DEMO / row["file"]
            target = Path("sumber") / f"{source.stem}-R{k}{source.suffix}"
            shutil.copyfile(source, corpus / target)
            out.append({**row, "file": str(target), "informant": f"{row['informant']}R{k}" if row["informant"] else "",
                        "name": f"{row['name']} {k}" if row["name"] else ""})
    with open(corpus / "manifest.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(out)
    return corpus


def build(folder: Path, copies: int) -> tuple[Path, int]:
    from pipeline.app.ingest import ingest_paths
    from pipeline.app.project import init_project, open_project
    from pipeline.app.suggest import model_for, suggest_project

    project = folder / "proyek"
    init_project(project, DEMO / "codebook.yaml").close()
    with open_project(project) as opened:
        result = ingest_paths(opened, [replicate(folder, copies)])
        suggest_project(opened, model_for(opened))
        double_code(opened, 300)
    return project, result.report.excerpts


def double_code(project: "Project", n: int) -> None:
    """Two reviewers verify the first `n` excerpts that have a suggestion with its top code (so the dashboard
    shows counts and agreement, as in a project under way)."""
    from pipeline.app.transcript import code_span, list_sources, source_transcript

    done = 0
    for source in list_sources(project):
        for marked in source_transcript(project, source["source_id"]).excerpts.values():
            if done >= n or not marked.suggested:
                continue
            for name in ("ani", "budi"):
                code_span(project, source["source_id"], marked.start, marked.end, (marked.suggested[0][0],),
                          reviewer=name)
            done += 1


class Server:
    def __init__(self, project: Path) -> None:
        import uvicorn

        from pipeline.web.app import create_app

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = create_app(project)
        self.server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> "Server":
        self.thread.start()
        while not self.server.started:
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def server_ms(url: str, cookies: str, repeat: int, warm: bool = True) -> tuple[float, float]:
    """(median, slowest) of the app's Server-Timing for GET `url` (after one warm-up request: templates compile;
    `warm=False`: the one request itself)."""
    times = []
    for _ in range(repeat + 1):
        request = urllib.request.Request(url, headers={"Cookie": cookies})
        with urllib.request.urlopen(request) as response:
            response.read()
            timing = response.headers["Server-Timing"]
        times.append(float(timing.split("dur=")[1]))
    kept = times[1:] if warm else times
    return statistics.median(kept), max(kept)


KEYSTROKE_JS = """() => new Promise(resolve => {
    const before = document.getElementById('excerpt').dataset.excerpt;
    const card = document.getElementById('card');
    const started = performance.now();
    const observer = new MutationObserver(() => {
        const now = document.getElementById('excerpt');
        if (now && now.dataset.excerpt !== before) { observer.disconnect(); resolve(performance.now() - started); }
    });
    observer.observe(card, {childList: true, subtree: true});
    document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true}));
})"""


def keystrokes(url: str, count: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(url + "/nama")
        page.fill("#name", "bench")
        page.click("button[type=submit]")
        page.goto(url + "/tinjau")
        times = [float(page.evaluate(KEYSTROKE_JS)) for _ in range(count)]
        browser.close()
    return times


ANALYSIS_PAGES = {"/tampilan (code × case)": "/tampilan", "/tampilan?field=round": "/tampilan?field=round",
                  "/tampilan/sel (a cell's excerpts)": "/tampilan/sel?code=KP-KELAS&field=role&value=guru",
                  "/triangulasi": "/triangulasi", "/kode/KP-KELAS (a code's dossier)": "/kode/KP-KELAS",
                  "/kesepakatan (per code)": "/kesepakatan?per_code=true", "/adjudikasi": "/adjudikasi",
                  "/cari?q=mengajar (lemmas)": "/cari?q=mengajar", "/cari (filtered)": "/cari?q=guru&role=guru&round=2"}


def first_after_change(workspace: object, url: str, cookies: str) -> dict[str, float]:
    """Server time of each analysis page on its first request after a new decision (nothing cached)."""
    from pipeline.app.adjudication import adjudicate
    from pipeline.store.excerpts import excerpts_frame

    found = {}
    for name, path in ANALYSIS_PAGES.items():
        with workspace.lock:  # type: ignore[attr-defined]
            project = workspace.project  # type: ignore[attr-defined]
            excerpt = int(excerpts_frame(project.store)["excerpt_id"].iloc[-1])
            adjudicate(project, excerpt, ("KP-KELAS",), adjudicator="bench")  # any logged decision will do
        found[name] = server_ms(url + path, cookies, 0, warm=False)[0]
    return found


def main() -> None:
    from pipeline.app.transcript import list_sources

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--keys", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        started = time.perf_counter()
        project, n_excerpts = build(Path(scratch), args.copies)
        print(f"project: {n_excerpts} excerpts ({args.copies} copies of the demo), built in "
              f"{time.perf_counter() - started:.1f} s")
        with Server(project) as server:
            workspace = server.app.state.workspace
            with workspace.lock:
                largest = max(list_sources(workspace.project), key=lambda s: s["chars"])["source_id"]
            cookies = "reduksi_reviewer=bench"
            started = time.perf_counter()
            urllib.request.urlopen(urllib.request.Request(server.url + "/tinjau", headers={"Cookie": cookies})).read()
            session_s = time.perf_counter() - started
            pages = {"/ (beranda)": "/", "/sumber": "/sumber", f"/sumber/{largest} (largest transcript)":
                     f"/sumber/{largest}", "/tinjau": "/tinjau", "/kodebuku": "/kodebuku", "/memo": "/memo",
                     "/tugas": "/tugas", **ANALYSIS_PAGES, "static file (reduksi.css)": "/static/reduksi.css"}
            # The analysis pages compute their displays once per state of the project: the first request after
            # a change (a decision here) pays for it; the table shows that apart from the repeated requests.
            first = first_after_change(workspace, server.url, cookies)
            figures = {name: server_ms(server.url + path, cookies, args.repeat) for name, path in pages.items()}
            keys = keystrokes(server.url, args.keys)
            every = workspace.project.config.review.requeue_every
    print(f"review session start (first /tinjau: queue, scores): {session_s * 1000:.0f} ms")
    print(f"{'server time':<44}{'median ms':>10}{'slowest ms':>12}")
    for name, (median, slowest) in figures.items():
        print(f"{name:<44}{median:>10.1f}{slowest:>12.1f}")
    rerank = [t for i, t in enumerate(keys, start=1) if every and i % every == 0]
    plain = [t for i, t in enumerate(keys, start=1) if not (every and i % every == 0)]
    p90 = statistics.quantiles(plain, n=10)[-1]
    print(f"{'keystroke -> next excerpt (Chromium)':<44}{'median ms':>10}{'slowest ms':>12}{'p90 ms':>9}")
    print(f"{'  keystrokes (' + str(len(plain)) + ')':<44}{statistics.median(plain):>10.1f}{max(plain):>12.1f}"
          f"{p90:>9.1f}")
    if rerank:
        print(f"{'  with a re-rank (every ' + str(every) + ')':<44}{statistics.median(rerank):>10.1f}"
              f"{max(rerank):>12.1f}")
    print(f"{'first request after a decision (analysis pages)':<44}{'ms':>10}")
    for name, ms in first.items():
        print(f"{name:<44}{ms:>10.1f}")
    page_max = max(slowest for name, (_, slowest) in figures.items() if not name.startswith("static"))
    print(json.dumps({"excerpts": n_excerpts, "page_ms_max": round(page_max, 1),
                      "keystroke_ms": round(statistics.median(plain), 1), "keystroke_ms_p90": round(p90, 1),
                      "keystroke_ms_max": round(max(plain), 1),
                      "rerank_keystroke_ms": round(max(rerank), 1) if rerank else None,
                      "analysis_page_first_ms_max": round(max(first.values()), 1),
                      "static_ms": round(figures["static file (reduksi.css)"][0], 1)}))


if __name__ == "__main__":
    main()
