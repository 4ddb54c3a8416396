"""The HTML report printed to PDF by headless Chromium (A4, the report's print styles).

Why Chromium and not WeasyPrint: the browser tests already need Debian's `chromium` (the test command installs
it), so PDF adds no Python dependency and no native libraries to pin; it renders the same CSS the reader sees in a
browser (sticky headers, SVG, `@page`), and printing the demo report takes about 1.5 s. The page has a strict
Content-Security-Policy and loads nothing, so printing it fetches nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from pipeline.errors import ExportError

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_SECONDS = 180


def find_browser() -> str | None:
    """The browser to print with: `$REDUKSI_BROWSER`, else the first of BROWSERS on the PATH."""
    chosen = os.environ.get("REDUKSI_BROWSER")
    if chosen:
        return chosen
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def write_pdf(html_file: Path, path: str | Path) -> Path:
    """Print `html_file` to `path` (A4, backgrounds kept, no browser header or footer)."""
    path = Path(path)
    browser = find_browser()
    if browser is None:
        raise ExportError("-f pdf needs Chromium to print the report, and none was found",
                          key="--format", hint="apt-get install chromium (or set REDUKSI_BROWSER)")
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="reduksi-pdf-") as profile:
        command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                   "--no-first-run", "--disable-extensions", f"--user-data-dir={profile}",
                   "--no-pdf-header-footer", "--print-to-pdf-no-header", f"--print-to-pdf={path.resolve()}",
                   html_file.resolve().as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            raise ExportError(f"{browser} did not finish printing {html_file} in {TIMEOUT_SECONDS} s",
                              key="--format") from None
    if done.returncode != 0 or not path.is_file() or path.stat().st_size == 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise ExportError(f"{browser} could not print {html_file} to PDF: {last}", key="--format")
    return path
