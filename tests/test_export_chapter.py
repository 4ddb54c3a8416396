"""The findings chapter (docx), the printed report (pdf), and no name left in any export."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from docx import Document

from pipeline.export.chapter import choose_quotes, cite
from tests.conftest import DEMO
from tests.export_fixtures import codebook_of, demo_exports, demo_project  # noqa: F401  (fixtures)

CITATION = re.compile(r"\((W|O|D)/[A-Z0-9-]+/\d{2}-\d{2}-\d{4}\)")


def test_citations_follow_the_configured_template() -> None:
    excerpt = pd.Series({"key": "W-KS01:012", "method": "wawancara", "informant": "KS01", "date": "2024-02-12",
                         "source": "W-KS01", "role": "kepala_sekolah", "site": "sdn-1"})
    assert cite(excerpt, "({method}/{informant}/{date})", "%d-%m-%Y") == "(W/KS01/12-02-2024)"
    assert cite(excerpt, "[{informant}, {source}:{turn}]", "%Y") == "[KS01, W-KS01:012]"
    document = excerpt.copy()
    document["method"], document["informant"], document["date"] = "dokumen", None, None
    assert cite(document, "({method}/{informant}/{date})", "%d-%m-%Y") == "(D/W-KS01)"


def test_quotes_cover_informants_roles_and_methods_before_confidence() -> None:
    rows = pd.DataFrame({"excerpt_id": [1, 2, 3, 4], "case": ["G01", "G01", "KS01", "O-1"],
                         "role": ["guru", "guru", "kepala_sekolah", "—"],
                         "method": ["wawancara", "wawancara", "wawancara", "observasi"],
                         "status": ["verified", "verified", "suggested", "verified"],
                         "probability": [0.9, 0.95, 0.99, 0.5], "n_words": [10, 10, 10, 10],
                         "text": ["satu", "dua", "tiga", "empat"]})
    excerpts = pd.DataFrame({"excerpt_id": [1, 2, 3, 4], "key": ["W-G01:002", "W-G01:004", "W-KS01:002", "O-1:001"],
                             "method": ["wawancara"] * 3 + ["observasi"], "informant": ["G01", "G01", "KS01", None],
                             "date": ["2024-02-13"] * 4, "source": ["W-G01", "W-G01", "W-KS01", "O-1"],
                             "role": ["guru", "guru", "kepala_sekolah", None], "site": [""] * 4})
    quotes = choose_quotes(rows, excerpts, "({method}/{informant}/{date})", "%d-%m-%Y", 3)
    assert [q.text for q in quotes] == ["dua", "empat", "tiga"]  # verified first, a new informant each time
    assert [q.verified for q in quotes] == [True, True, False]


def test_the_chapter_has_headings_quotes_with_citations_and_triangulation_tables(
        demo_exports: dict[str, Path]) -> None:
    document = Document(str(demo_exports["default"] / "bab4.docx"))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == ("Title", "BAB IV HASIL PENELITIAN DAN PEMBAHASAN")
    codebook = codebook_of(None)  # type: ignore[arg-type]
    level2 = [text for style, text in headings if style == "Heading 2"]
    assert all(any(text.startswith(code) for text in level2) for code in codebook.ids)
    assert "LAMPIRAN" in {text for style, text in headings if style == "Heading 1"}
    assert 'TOC \\o' in document.element.xml
    quotes = [p.text for p in document.paragraphs if p.style.name == "Quote"]
    assert len(quotes) >= 2 * len(codebook.ids) and all(CITATION.search(q) for q in quotes)
    verdicts = [p.text for p in document.paragraphs if p.text.startswith("Hasil triangulasi:")]
    assert "Hasil triangulasi: perlu data tambahan — Cek notulen; kata [G01] beda." in verdicts
    evidence = [t for t in document.tables
                if [c.text for c in t.rows[0].cells] == ["", "", "terverifikasi", "saran", "kutipan"]]
    assert len(evidence) == len(codebook.ids) and evidence[0].rows[1].cells[0].text == "peran"
    assert re.match(r"W2?-[A-Z0-9]+:\d{3}", evidence[0].rows[1].cells[4].text)  # the keys of the evidence
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Dadang" not in text and "Lampiran 2. Tabel pengodean per transkrip" in text


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.skipif(shutil.which("chromium") is None, reason="-f pdf prints with Chromium (.ci/run installs it)")
def test_the_pdf_holds_every_column_header_and_every_code(demo_project: Path, tmp_path: Path) -> None:
    from pipeline.app.export import export_project
    from pipeline.app.project import Project
    from pipeline.config import load_config
    from pipeline.privacy.scan import pdf_text
    from pipeline.store import Store

    config = load_config()
    with Store.open(demo_project) as store:
        [pdf] = export_project(Project(store, config, codebook_of(config)), tmp_path, ("pdf",))
    assert pdf.name == "laporan.pdf" and not (tmp_path / "laporan.html").exists()
    text = _squeezed(pdf_text(pdf))
    manifest = pd.read_csv(DEMO / "manifest.csv", keep_default_na=False)
    headers = {*manifest["informant"][manifest["informant"] != ""], *manifest["role"][manifest["role"] != ""],
               "wawancara", "observasi", "dokumen", *manifest["site"][manifest["site"] != ""],
               "kutipan terverifikasi", "kutipan saran", "catatan peneliti", "status"}
    missing = [h for h in sorted(headers) if _squeezed(h) not in text]
    assert missing == []
    assert [c for c in codebook_of(config).ids if c not in text] == []


def test_no_detected_or_manifest_name_in_any_export(demo_exports: dict[str, Path], demo_project: Path) -> None:
    from pipeline.export.privacy import name_forms
    from pipeline.privacy.scan import export_texts, leaks

    detected = pd.read_csv(demo_project / "nama_terdeteksi.csv", encoding="utf-8-sig", keep_default_na=False)
    names = set(detected.loc[detected["status"] == "name", "name"])
    assert {"Hendrawati", "Nayla", "Imas"} <= names
    manifest = pd.read_csv(DEMO / "manifest.csv", keep_default_na=False)
    names |= {form for name in manifest["name"] if name for form in name_forms(name)[1] if len(form) >= 3}
    texts = export_texts(demo_exports["default"])
    assert any(name.startswith("bab4.docx:") for name in texts)
    assert leaks(texts, names) == []
    assert leaks(export_texts(demo_exports["real"]), ["Hendrawati"]) != []


def _header_cells(fragment: str) -> list[str]:
    return [cell for head in re.findall(r"<thead><tr>(.*?)</tr></thead>", fragment)
            for cell in re.findall(r"<th[^>]*>(.*?)</th>", head)]


def test_wide_matrices_print_in_parts_that_keep_every_column(demo_exports: dict[str, Path]) -> None:
    report = (demo_exports["default"] / "laporan.html").read_text(encoding="utf-8")
    assert "@page{size:A4" in report and "print-color-adjust:exact" in report
    heatmap = re.search(r'<section id="heatmap">(.*?)</section>', report, re.S)
    assert heatmap and 'class="swatch"' in heatmap.group(1)  # the legend of the shades
    screen, printed = heatmap.group(1).split('<div class="print-only">')
    columns = _header_cells(screen)
    parts = re.findall(r"<table>.*?</table>", printed, re.S)
    assert len(columns) > 13 and len(parts) == -(-(len(columns) - 1) // 12)
    printed_columns = [cell for part in parts for cell in _header_cells(part)[1:]]
    assert printed_columns == columns[1:] and all(_header_cells(p)[0] == columns[0] for p in parts)
    assert re.search(r'<td class="n dark" style="background:rgba\(31,119,180,0\.[5-9]', report)


def test_the_chapter_in_english(demo_project: Path, tmp_path: Path) -> None:
    from pipeline.app.export import export_project
    from pipeline.app.project import Project
    from pipeline.config import load_config
    from pipeline.store import Store

    config = load_config()
    with Store.open(demo_project) as store:
        [chapter] = export_project(Project(store, config, codebook_of(config)), tmp_path, ("docx",), lang="en")
    document = Document(str(chapter))
    assert document.paragraphs[0].text == "CHAPTER IV FINDINGS AND DISCUSSION"
    assert any(p.text.startswith("Triangulation verdict: needs more data") for p in document.paragraphs)


def test_memos_and_notes_reach_every_format(demo_project: Path, tmp_path: Path) -> None:
    import zipfile

    import openpyxl

    from pipeline.app.export import export_project
    from pipeline.app.project import Project
    from pipeline.config import load_config
    from pipeline.store import Store
    from pipeline.store.memos import Memo, add_memos

    project = tmp_path / "copy"
    shutil.copytree(demo_project, project)
    config = load_config()
    with Store.open(project) as store:
        with store.transaction():
            add_memos(store, [Memo("code", "HAM-JADWAL", "Jadwal bentrok", "Kata Bu Hendrawati rapat dinas selalu "
                                   "menang.", "peneliti", origin="reduksi")])
        files = export_project(Project(store, config, codebook_of(config)), tmp_path / "o",
                               ("csv", "xlsx", "docx", "qdpx"))
    memos = pd.read_csv(tmp_path / "o" / "memos.csv", encoding="utf-8-sig", keep_default_na=False)
    assert list(memos.columns) == ["tentang", "judul", "isi catatan", "penulis", "waktu"]
    assert memos.iloc[0]["tentang"] == "kode HAM-JADWAL"
    assert "Bu [ORANG-" in memos.iloc[0]["isi catatan"] and "Hendrawati" not in memos.iloc[0]["isi catatan"]
    verdicts = pd.read_csv(tmp_path / "o" / "triangulation_notes.csv", encoding="utf-8-sig", keep_default_na=False)
    assert len(verdicts) == 2 and verdicts["isi catatan"].str.contains("terkonfirmasi").any()
    sheets = openpyxl.load_workbook(tmp_path / "o" / "reduksi.xlsx").sheetnames
    assert {"Memo", "Catatan review", "Catatan triangulasi"} <= set(sheets)
    chapter = Document(str(tmp_path / "o" / "bab4.docx"))
    assert any("Jadwal bentrok: Kata Bu [ORANG-" in p.text for p in chapter.paragraphs)
    with zipfile.ZipFile(tmp_path / "o" / "reduksi.qdpx") as archive:
        assert "Jadwal bentrok" in archive.read("project.qde").decode("utf-8")
    assert len(files) == 16  # 9 displays, 3 note tables, tentang.csv, the workbook, the chapter, the .qdpx
