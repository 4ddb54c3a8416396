"""`reduksi inspect`: a preview of how files will be read, touching no store."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.ingest.inspect import inspect_paths, render
from tests.ingest_formats_support import FORMATS
from tests.test_cli import reduksi


def test_inspect_shows_convention_speakers_counts_metadata_drops_and_first_turns(config) -> None:  # type: ignore[no-untyped-def]
    [seen] = inspect_paths([FORMATS / "pdf-paste" / "W-pdf-pengungsi.txt"], config, n_turns=2)
    assert (seen.method, seen.convention, seen.turns) == ("wawancara", "colon-labels", 8)
    assert [(s.label, s.role) for s in seen.speakers] == [("P", "interviewer"), ("I", "informant")]
    assert seen.questions == 4 and seen.excerpts == 5 and seen.informant_words > 90
    assert (8, "page number", "12") in seen.dropped
    assert [t.keys for t in seen.first_turns] == [(), ("W-pdf-pengungsi:002",)]
    text = render(seen)
    assert "dropped line 8 (page number): 12" in text and "[W-pdf-pengungsi:002] I (informant)" in text


def test_a_bad_file_is_shown_with_its_error_not_raised(tmp_path: Path, config) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "W-kosong.txt").write_text("", encoding="utf-8")
    (tmp_path / "W-ok.txt").write_text("P: Apa kabar?\nI: Baik.\n", encoding="utf-8")
    seen = {Path(i.file).name: i for i in inspect_paths([tmp_path], config)}
    assert "E102" in (seen["W-kosong.txt"].error or "") and seen["W-ok.txt"].turns == 2


def test_cli_json_and_no_store(tmp_path: Path) -> None:
    folder = FORMATS / "verbatim-table"
    result = reduksi("inspect", "--json", folder, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    files = json.loads(result.stdout)
    assert {Path(f["file"]).name for f in files} == {"W-kepala-sekolah-tab.txt", "W-ibu-rumah-tangga-pipa.txt",
                                                     "W-pustakawan-docx.docx"}
    assert all(f["convention"] == "verbatim-table" for f in files)
    assert not list(tmp_path.iterdir()) and not (folder / "reduksi.sqlite").exists()
    plain = reduksi("inspect", FORMATS / "quoted-labels" / "W-nelayan.txt", "-n", "1", cwd=tmp_path)
    assert plain.returncode == 0 and "speaker 'DW': interviewer" in plain.stdout
