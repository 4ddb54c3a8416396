"""Safety of outputs: formula injection neutralised in CSV and Excel, transcript text escaped in HTML."""

from __future__ import annotations

import csv
import re
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest

from pipeline.app.export import export_project
from pipeline.app.project import Project
from pipeline.config import Config
from pipeline.export.safety import XLSX_MAX_CHARS, neutralise, workbook_cell
from pipeline.store import Store
from pipeline.store.decisions import Decision, append
from pipeline.store.excerpts import excerpts_frame
from tests.export_fixtures import codebook_of, hostile_project  # noqa: F401  (fixture)

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def test_neutralise_prefixes_every_trigger_and_leaves_the_rest() -> None:
    for trigger in TRIGGERS:
        assert neutralise(f"{trigger}SUM(A1)") == f"'{trigger}SUM(A1)"
    assert neutralise("Guru = fasilitator") == "Guru = fasilitator"
    assert neutralise(-3) == -3 and neutralise(0.5) == 0.5 and neutralise(None) is None
    assert workbook_cell("\x01=1+1") == "'=1+1"  # control characters go first, then the check
    assert len(workbook_cell("x" * 40_000)) <= XLSX_MAX_CHARS


@pytest.fixture
def exported(hostile_project: Path, tmp_path: Path, config: Config) -> Path:
    codebook = codebook_of(config)
    with Store.open(hostile_project) as store:
        ids = excerpts_frame(store)["excerpt_id"].tolist()
        with store.transaction() as db:
            append(db, [Decision(int(i), "uji", "set", ("KKG-PROFESI",), origin="gold") for i in ids])
        export_project(Project(store, config, codebook), tmp_path / "out", ("csv", "xlsx", "html"))
    return tmp_path / "out"


def test_csv_cells_cannot_start_a_formula(exported: Path) -> None:
    seen = []
    for path in exported.glob("*.csv"):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.reader(handle):
                seen += row
    risky = [cell for cell in seen if cell.startswith("'") and cell[1:].startswith(TRIGGERS)]
    assert {cell[:3] for cell in risky} >= {"'=H", "'+6", "'-1"}  # the three answers, in evidence.csv
    assert [cell for cell in seen if cell.startswith(TRIGGERS)] == []


def test_workbook_has_no_formula_and_no_cell_starting_a_formula(exported: Path) -> None:
    workbook = openpyxl.load_workbook(exported / "reduksi.xlsx")
    values = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    values.append(cell.value)
    assert [v for v in values if v.startswith(TRIGGERS)] == []
    assert any(v.startswith("'=HYPERLINK") for v in values)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.urls += [value or "" for name, value in attrs if name in ("src", "href", "action", "data")]


def test_html_escapes_transcript_text_and_loads_nothing(exported: Path) -> None:
    page = (exported / "laporan.html").read_text(encoding="utf-8")
    parser = _Tags()
    parser.feed(page)
    assert not {"script", "img", "iframe", "link", "object", "embed", "form"} & set(parser.tags)
    assert all(url.startswith("#") for url in parser.urls)  # only in-page anchors
    assert "&lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert not re.search(r"url\(|@import|https?://(?!contoh\.invalid)", page)  # the only URL is quoted text


def test_hostile_project_is_pseudonymised_too(exported: Path) -> None:
    page = (exported / "laporan.html").read_text(encoding="utf-8")
    assert "Bambang" not in page and "[X1]" in page
