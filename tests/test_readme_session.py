"""The README's "typical session", command by command, as a researcher would type it (in a scratch folder)."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import openpyxl

from pipeline.config import REPO_ROOT


def _session_commands() -> list[list[str]]:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## A typical session\s+```bash\n(.*?)```", readme, re.S)
    assert block, "README has no typical-session block"
    return [shlex.split(line, comments=True) for line in block.group(1).splitlines() if line.strip()]


def _fill(sheet_path: Path, rows: int) -> None:
    book = openpyxl.load_workbook(sheet_path)
    sheet = book["review"]
    column = [c.value for c in sheet[1]].index("decision") + 1
    for row in range(2, 2 + rows):
        sheet.cell(row=row, column=column, value="accept")
    book.save(sheet_path)


def test_every_command_of_the_typical_session_works(tmp_path: Path) -> None:
    (tmp_path / "corpora").symlink_to(REPO_ROOT / "corpora", target_is_directory=True)
    commands = _session_commands()
    assert [c[:2] for c in commands][:3] == [["reduksi", "run"], ["reduksi", "review"], ["reduksi", "review"]]
    outputs = []
    for command in commands:
        if command[1:3] == ["review", "import"]:
            _fill(tmp_path / command[-1], rows=20)  # the reviewer fills the sheet between export and import
        # The terminal review reads keys from stdin: here it gets none and must stop cleanly.
        done = subprocess.run([sys.executable, "-m", "pipeline", *command[1:]], cwd=tmp_path, input="",
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"{shlex.join(command)}\n{done.stdout}\n{done.stderr}"
        outputs.append(done.stdout)
    text = "\n".join(outputs)
    assert "Excerpts: 431" in text and "Wrote review-budi.xlsx: " in text
    assert "Kutipan (" in text and "Kutipan (nan)" not in text
    assert "Imported 20 decision(s) on 20 excerpt(s) by budi" in text
    assert "Trained on 431 verified excerpts (20 of this project, 411 learned by gugus3-3;" in text
    assert re.search(r"-> (promoted|kept)", text)
    assert re.search(r"budi +model:gugus3-\d +\(all\) +20 ", text)  # human-model agreement on budi's excerpts
    assert {"reduksi.xlsx", "laporan.html"} <= {p.name for p in (tmp_path / "hasil" / "gugus3").iterdir()}
    assert list((tmp_path / "hasil" / "gugus3").rglob("*.qdpx"))
