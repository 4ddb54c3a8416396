"""The real command line, driven as a user would (subprocess), plus help text for every command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli import _load_commands, app


def reduksi(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=600)


def test_every_command_has_help_text() -> None:
    _load_commands()
    commands = app.registered_commands
    assert {c.name for c in commands} >= {"init", "ingest", "run"}
    for registered in commands:
        assert (registered.callback.__doc__ or "").strip(), f"command {registered.name} has no help text"


def test_ingest_then_reingest(mini_corpus: Path, tmp_path: Path) -> None:
    first = reduksi("ingest", tmp_path / "proj", mini_corpus)
    assert first.returncode == 0, first.stderr
    assert "Ingested 9 source(s)" in first.stdout
    second = reduksi("ingest", tmp_path / "proj", mini_corpus)
    assert "Ingested 0 source(s)" in second.stdout and "9 unchanged" in second.stdout


def test_errors_are_one_line_with_exit_status_1(mini_corpus: Path, tmp_path: Path) -> None:
    (mini_corpus / "W-A.txt").write_bytes(b"")
    result = reduksi("ingest", tmp_path / "proj", mini_corpus)
    assert result.returncode == 1
    assert result.stderr.startswith("Error: [E102]") and "W-A.txt" in result.stderr and "empty" in result.stderr
    assert "Traceback" not in result.stderr


def test_usage_error_exit_status(tmp_path: Path) -> None:
    result = reduksi("ingest")
    assert result.returncode == 2 and "Missing argument" in result.stderr


@pytest.mark.parametrize("args", [["--help"], ["ingest", "--help"], ["run", "--help"]])
def test_help_runs(args: list[str]) -> None:
    result = reduksi(*args)
    assert result.returncode == 0 and "Usage" in result.stdout
