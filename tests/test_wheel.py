"""An installed reduksi works from any folder: build the wheel, install it (not editable) in a fresh virtual
environment, and run the main job on the demo corpus from an unrelated folder.

The venv sees the already-installed dependencies (`--system-site-packages`) so the test does not download spaCy and
scikit-learn again; reduksi itself comes only from the wheel (asserted)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]


def _run(*command: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(c) for c in command], cwd=cwd, capture_output=True, text=True, timeout=900)


def test_the_wheel_runs_the_demo_from_another_folder(tmp_path: Path) -> None:
    built = _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp_path / "dist", REPO, cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    [wheel] = (tmp_path / "dist").glob("reduksi-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {"pipeline/configs/reduksi.toml", "pipeline/configs/codebook.template.yaml",
            "pipeline/models/gugus3-3/model.skops", "pipeline/store/migrations/0001_init.sql",
            "pipeline/web/templates/base.html", "pipeline/web/static/htmx.min.js",
            "pipeline/web/static/reduksi.js"} <= set(names)
    venv = tmp_path / "venv"
    assert _run(sys.executable, "-m", "venv", "--system-site-packages", venv, cwd=tmp_path).returncode == 0
    installed = _run(venv / "bin" / "python", "-m", "pip", "install", "-q", "--no-deps", wheel, cwd=tmp_path)
    assert installed.returncode == 0, installed.stderr
    elsewhere = tmp_path / "di-tempat-lain"
    elsewhere.mkdir()
    where = _run(venv / "bin" / "python", "-c", "import pipeline; print(pipeline.__file__)", cwd=elsewhere)
    assert where.stdout.strip().startswith(str(venv)), where.stdout + where.stderr
    result = _run(venv / "bin" / "reduksi", "run", REPO / "corpora" / "gugus3", "--out", "hasil", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert "Excerpts: 431" in result.stdout and "(model gugus3-3)" in result.stdout
    table = pd.read_csv(elsewhere / "hasil" / "excerpts.csv", keep_default_na=False)
    assert (table["suggested_codes"] != "").sum() > 300
