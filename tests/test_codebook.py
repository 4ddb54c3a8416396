"""The default codebook and its validation."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipeline.codebook import load_codebook, parse_codebook
from pipeline.errors import CodebookError, UnknownCode
from tests.conftest import DEMO_CODEBOOK

DEFAULT = DEMO_CODEBOOK
CODES = ["KP-KELAS", "KP-SISWA", "KP-MEDIA", "KP-LATAR", "KKG-PROFESI", "KKG-SUMBER", "KKG-MASALAH",
         "KIN-PENILAIAN", "KIN-PEMBINAAN", "KIN-PERAN-KKG", "HAM-PARTISIPASI", "HAM-SDM", "HAM-JADWAL"]


def test_default_codebook_has_the_thirteen_codes() -> None:
    codebook = load_codebook(DEFAULT)
    assert list(codebook.ids) == CODES
    assert [t.id for t in codebook.themes] == ["KP", "KKG", "KIN", "HAM"]
    for code in codebook.codes:
        assert code.name and code.definition and code.include and code.exclude and len(code.examples) >= 5


def test_version_is_a_content_hash() -> None:
    data = yaml.safe_load(DEFAULT.read_text(encoding="utf-8"))
    first = parse_codebook(data)
    assert parse_codebook(data).version == first.version and len(first.version) == 12
    data["themes"][0]["codes"][0]["definition"] += " Ditambah."
    assert parse_codebook(data).version != first.version


@pytest.mark.parametrize("mutate, key", [
    (lambda d: d["themes"][0]["codes"][0].pop("definition"), "themes[0].codes[0].definition"),
    (lambda d: d["themes"][0]["codes"][1].update(id="KP-KELAS"), "themes[0].codes[1].id"),
    (lambda d: d["themes"][0]["codes"][0].update(id="kelas"), "themes[0].codes[0].id"),
    (lambda d: d["themes"][1]["codes"][0].update(contoh=["x"]), "themes[1].codes[0]"),
    (lambda d: d["themes"][2].update(codes=[]), "themes[2].codes"),
])
def test_invalid_codebooks_name_the_key(tmp_path: Path, mutate, key: str) -> None:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(DEFAULT.read_text(encoding="utf-8"))
    mutate(data)
    path = tmp_path / "codebook.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CodebookError) as raised:
        load_codebook(path)
    assert str(path) in str(raised.value) and f"'{key}'" in str(raised.value)


def test_unknown_code_is_named_with_its_place() -> None:
    codebook = load_codebook(DEFAULT)
    with pytest.raises(UnknownCode) as raised:
        codebook.check(["KP-KELAS", "KP-GURU"], file="labels.csv", line=7)
    assert "labels.csv, line 7" in str(raised.value) and "KP-GURU" in str(raised.value)
