"""Bench: displays and triangulation of a 50,000-excerpt project, against a naive baseline, plus the HTML report of
the demo corpus rendered in headless Chromium (zero network requests, screenshot written).

    python bench/display.py [--excerpts 50000] [--out /tmp/reduksi-bench-display] [--no-browser]

Synthetic frames (our own generated words; no third-party data) stand in for a large project: 300 informants in
two roles over 20 sites, interviews, observation notes and documents, 13 codes, ~2.4 suggestions per excerpt and
40 % of excerpts verified. The baseline is the straightforward way to fill a matrix: a boolean mask over the
evidence per (code, value) cell. Both are timed in this run, on the same frames, and checked to agree.

Chromium is found through $REDUKSI_CHROMIUM, else /usr/lib/chromium/chromium (Debian's binary behind the
/usr/bin/chromium wrapper), else `chromium`, `chromium-browser`, `google-chrome` on PATH; without one the browser
part is skipped with a printed reason. The page is driven over the DevTools protocol on a pipe (no port, no extra
Python package): every request the page makes is recorded, then a full-page screenshot is taken.

Ends with one line of JSON.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline import display  # noqa: E402
from pipeline.config import load_config  # noqa: E402

CODES = ("KP-KELAS", "KP-SISWA", "KP-MEDIA", "KP-LATAR", "KKG-PROFESI", "KKG-SUMBER", "KKG-MASALAH",
         "KIN-PENILAIAN", "KIN-PEMBINAAN", "KIN-PERAN-KKG", "HAM-PARTISIPASI", "HAM-SDM", "HAM-JADWAL")
WORDS = ("guru", "kelas", "siswa", "rapat", "kkg", "modul", "jadwal", "pengawas", "nilai", "media", "iya", "jadi",
         "terus", "kami", "pelatihan", "sekolah", "program", "materi", "gugus", "kepala", "diskusi", "bulan")


def synthetic(n_excerpts: int, seed: int = 7) -> display.DisplayInputs:
    rng = np.random.default_rng(seed)
    n_informants, per_source = 300, 40
    informants = [f"G{i:03d}" if i % 10 else f"KS{i:03d}" for i in range(n_informants)]
    source_of = np.arange(n_excerpts) // per_source
    n_sources = int(source_of.max()) + 1
    method = np.where(np.arange(n_sources) % 10 < 8, "wawancara", np.where(np.arange(n_sources) % 10 == 8,
                                                                           "observasi", "dokumen"))
    informant = np.array([informants[s % n_informants] if m == "wawancara" else None
                          for s, m in enumerate(method)], dtype=object)
    role = np.array([None if i is None else ("kepala_sekolah" if i.startswith("KS") else "guru") for i in informant],
                    dtype=object)
    site = np.array([f"sdn-{s % 20:02d}" for s in range(n_sources)], dtype=object)
    words = rng.integers(0, len(WORDS), size=(n_excerpts, 30))
    excerpts = pd.DataFrame({
        "excerpt_id": np.arange(1, n_excerpts + 1), "key": [f"S{s:05d}:{i % per_source + 1:03d}"
                                                            for i, s in enumerate(source_of)],
        "source": [f"S{s:05d}" for s in source_of], "informant": informant[source_of], "role": role[source_of],
        "site": site[source_of], "method": method[source_of], "n_words": 30,
        "text": [" ".join(WORDS[w] for w in row) for row in words]})
    k = rng.integers(1, 4, size=n_excerpts)
    rows = [(e, CODES[c], float(p)) for e, kk in zip(excerpts["excerpt_id"], k)
            for c, p in zip(rng.choice(len(CODES), kk, replace=False), rng.uniform(0.2, 0.95, kk))]
    suggestions = pd.DataFrame(rows, columns=["excerpt_id", "code", "probability"])
    chosen = rng.random(n_excerpts) < 0.4
    verified = {int(e): frozenset(CODES[c] for c in rng.choice(len(CODES), rng.integers(0, 3), replace=False))
                for e in excerpts["excerpt_id"][chosen]}
    return display.DisplayInputs(excerpts, suggestions, verified, CODES)


def naive_code_by(evidence: pd.DataFrame, by: str, codes: tuple[str, ...]) -> dict[tuple[str, str, str], int]:
    """The baseline: one boolean mask over the evidence per (code, value, status) cell, counts and keys (columns
    taken out as numpy arrays once, so the masks themselves are all that is timed)."""
    code, value, status = (evidence[c].astype(str).to_numpy() for c in ("code", by, "status"))
    keys = evidence["key"].to_numpy()
    counts = {}
    for c in codes:
        for v in dict.fromkeys(value):
            for st in ("verified", "suggested"):
                mask = (code == c) & (value == v) & (status == st)
                counts[(c, v, st)] = int(mask.sum())
                ", ".join(keys[mask])
    return counts


def time_best(function, repeat: int = 3) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def bench_displays(n_excerpts: int) -> dict[str, float]:
    config = load_config()
    inputs = synthetic(n_excerpts)
    total, shown = time_best(lambda: display.run(inputs, config.display))
    evidence = shown.evidence
    one, ours = time_best(lambda: display.code_by(evidence, "case", CODES))
    naive_role, _ = time_best(lambda: naive_code_by(evidence, "role", CODES), repeat=1)
    naive_one, naive = time_best(lambda: naive_code_by(evidence, "case", CODES), repeat=1)
    for (code, value, status), n in naive.items():  # the two must agree before their times mean anything
        assert int(ours.at[code, (value, status)]) == n, (code, value, status)
    figures = {"excerpts": n_excerpts, "evidence_rows": len(evidence), "displays_s": total,
               "code_by_informant_s": one, "naive_code_by_informant_s": naive_one, "naive_code_by_role_s": naive_role,
               "speedup": naive_one / one}
    print(f"\nDisplays of a {n_excerpts:,}-excerpt project ({len(evidence):,} evidence rows, "
          f"{evidence['case'].nunique()} cases, {len(CODES)} codes)")
    print(f"{'what':<48}{'seconds':>10}")
    for label, value in (("all displays + triangulation (display.run)", total),
                         ("code x informant (grouped)", one),
                         ("code x informant (naive: mask per cell)", naive_one),
                         ("code x role (naive: mask per cell)", naive_role)):
        print(f"{label:<48}{value:>10.3f}")
    print(f"{'speed-up on code x informant':<48}{naive_one / one:>9.0f}x")
    return figures


def demo_report(folder: Path) -> Path:
    """The demo corpus as a project with two thirds of its gold verified, suggestions, a verdict, clusters if the
    cluster stage is present; its HTML report."""
    from pipeline import suggest
    from pipeline.app.cluster import cluster_project
    from pipeline.app.export import export_project
    from pipeline.app.project import Project
    from pipeline.codebook import load_codebook
    from pipeline.ingest.batch import ingest, resolve_batch
    from pipeline.store import Store
    from pipeline.store.excerpts import excerpts_frame
    from pipeline.store.labels import record_gold
    from pipeline.store.runs import start_run
    from pipeline.store.suggestions import save_suggestions
    from pipeline.store.triangulation import set_status

    config = load_config()
    codebook = load_codebook(REPO / "corpora" / "gugus3" / "codebook.yaml")
    corpus = REPO / "corpora" / "gugus3"
    lines = (corpus / "gold.csv").read_text(encoding="utf-8").splitlines()
    partial = folder / "gold-part.csv"
    partial.write_text("\n".join(lines[: 1 + (len(lines) - 1) * 2 // 3]) + "\n", encoding="utf-8")
    with Store.init(folder / "project") as store:
        ingest(store, resolve_batch([corpus], config)[0], config)
        record_gold(store, partial, codebook=codebook)
        excerpts = excerpts_frame(store)
        run_id = start_run(store, "bench")
        save_suggestions(store, run_id, suggest.run(excerpts, codebook, config.suggest), codebook.version)
        with store.transaction() as db:
            set_status(db, "KKG-MASALAH", "perlu_data_tambahan", "bench", "Cek notulen <b>rapat</b> & observasi.")
            set_status(db, "HAM-JADWAL", "terkonfirmasi", "bench", "Didukung wawancara, observasi dan dokumen.")
        project = Project(store, config, codebook)
        cluster_project(project, folder / "project")
        [report] = export_project(project, folder / "export", ("html",))
    return report


def find_chromium() -> str | None:
    for candidate in (os.environ.get("REDUKSI_CHROMIUM"), "/usr/lib/chromium/chromium"):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        if shutil.which(name):
            return shutil.which(name)
    return None


class DevTools:
    """Chromium's DevTools protocol over --remote-debugging-pipe: JSON messages ending in NUL on fds 3 and 4."""

    def __init__(self, binary: str) -> None:
        self.profile = tempfile.mkdtemp(prefix="reduksi-chromium-")
        command_read, command_write = os.pipe()
        reply_read, reply_write = os.pipe()

        def child() -> None:  # copy first: a pipe end may already sit on fd 3 or 4
            commands, replies = os.dup(command_read), os.dup(reply_write)
            os.dup2(commands, 3)
            os.dup2(replies, 4)

        self.process = subprocess.Popen(
            [binary, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe", "--no-first-run",
             f"--user-data-dir={self.profile}", "--no-default-browser-check", "--disable-extensions",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-default-apps", "about:blank"],
            preexec_fn=child, close_fds=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(command_read), os.close(reply_write)
        self.writer, self.reader = os.fdopen(command_write, "wb", 0), os.fdopen(reply_read, "rb", 0)
        self.buffer, self.events, self.next_id = b"", [], 0

    def call(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.writer.write(json.dumps(message).encode() + b"\0")
        while True:
            reply = self._receive()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, event: str) -> None:
        while not any(e.get("method") == event for e in self.events):
            self.events.append(self._receive())

    def close(self) -> None:
        try:
            self.call("Browser.close")
        except (OSError, RuntimeError, EOFError):
            self.process.kill()
        self.process.wait(timeout=20)
        shutil.rmtree(self.profile, ignore_errors=True)

    def _receive(self) -> dict:
        while b"\0" not in self.buffer:
            chunk = self.reader.read(1 << 16)
            if not chunk:
                raise EOFError("chromium closed the DevTools pipe")
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(raw)


def screenshot(binary: str, page: Path, target: Path) -> dict[str, object]:
    """Open `page`, record every request, save a full-page PNG; returns the figures."""
    browser = DevTools(binary)
    try:
        target_id = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.call("Target.attachToTarget", {"targetId": target_id, "flatten": True})["sessionId"]
        for method in ("Network.enable", "Page.enable"):
            browser.call(method, session=session)
        browser.call("Emulation.setDeviceMetricsOverride", {"width": 1400, "height": 1000, "deviceScaleFactor": 1,
                                                            "mobile": False}, session=session)
        start = time.perf_counter()
        browser.call("Page.navigate", {"url": page.resolve().as_uri()}, session=session)
        browser.wait_for("Page.loadEventFired")
        load_s = time.perf_counter() - start
        height = browser.call("Page.getLayoutMetrics", session=session)["cssContentSize"]["height"]
        browser.call("Emulation.setDeviceMetricsOverride", {"width": 1400, "height": int(min(height, 16000)),
                                                            "deviceScaleFactor": 1, "mobile": False}, session=session)
        data = browser.call("Page.captureScreenshot", {"format": "png"}, session=session)["data"]
        target.write_bytes(base64.b64decode(data))
        urls = [e["params"]["request"]["url"] for e in browser.events
                if e.get("method") == "Network.requestWillBeSent"]
        failed = [e["params"] for e in browser.events if e.get("method") == "Network.loadingFailed"]
    finally:
        browser.close()
    network = [u for u in urls if not u.startswith(("file:", "data:", "about:"))]
    return {"requests": urls, "network_requests": len(network), "failed": failed, "load_s": load_s,
            "page_height": height}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--excerpts", type=int, default=50_000)
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "reduksi-bench-display")
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    figures: dict[str, object] = {k: round(v, 3) if isinstance(v, float) else v
                                  for k, v in bench_displays(args.excerpts).items()}
    if args.no_browser:
        print("\nBrowser check skipped (--no-browser).")
    elif (binary := find_chromium()) is None:
        print("\nBrowser check skipped: no Chromium found (apt-get install chromium, or set REDUKSI_CHROMIUM).")
    else:
        shutil.rmtree(args.out, ignore_errors=True)
        args.out.mkdir(parents=True)
        report = demo_report(args.out)
        shot = screenshot(binary, report, args.out / "report.png")
        print(f"\nHTML report of the demo corpus in headless Chromium ({binary})")
        print(f"{'report':<28}{report} ({report.stat().st_size:,} bytes)")
        print(f"{'requests made':<28}{len(shot['requests'])} ({', '.join(shot['requests'])})")
        print(f"{'network requests':<28}{shot['network_requests']}")
        print(f"{'failed loads':<28}{len(shot['failed'])}")
        print(f"{'load time (s)':<28}{shot['load_s']:.2f}")
        print(f"{'screenshot':<28}{args.out / 'report.png'} (page height {shot['page_height']:.0f} px)")
        figures.update(network_requests=shot["network_requests"], page_load_s=round(shot["load_s"], 2),
                       report_bytes=report.stat().st_size)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
