"""Shared fixtures: small files in every supported format, written by the tests themselves."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pipeline.config import Config, load_config

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "corpora" / "gugus3"
DEMO_CODEBOOK = DEMO / "codebook.yaml"  # the demo study's codebook (the shipped model is trained for it)

INTERVIEW_TXT = """# Wawancara guru kelas 4
[00:00:03] P: Selamat pagi, Bu. Sudah lama mengajar di sini?
I: (00:10) Eh, pagi Pak. Udah dua belas tahun [tertawa]. Dulu honorer dulu.
Terus baru diangkat tahun 2015.

P: Kalau ikut KKG gimana, Bu?
I: Jarang sih, soalnya jadwalnya bentrok sama rapat dinas. (jeda) Tapi kalau ada workshop modul ajar saya usahakan datang.
"""

OBSERVATION_MD = """# Observasi kelas 3

07.15 Guru membuka pelajaran dengan salam dan doa. Siswa duduk berkelompok empat orang.

Guru menunjukkan kartu bergambar hewan [foto terlampir]; siswa yang ramai ditegur dengan tepuk diam.
"""

VTT = """WEBVTT

00:00:01.000 --> 00:00:04.000
<v Peneliti>Bu, medianya bikin sendiri?</v>

00:00:04.500 --> 00:00:08.000
<v Bu Rina>Iya, dari kardus bekas gitu.</v>

00:00:08.500 --> 00:00:12.000
<v Bu Rina>Anak-anak seneng banget [tertawa].</v>
"""

SRT = """1
00:00:01,000 --> 00:00:03,000
Peneliti: Pak, sering ikut KKG?

2
00:00:03,500 --> 00:00:06,000
Pak Ujang: Nggak pernah ikut, jujur aja.

3
00:00:06,500 --> 00:00:09,000
Pak Ujang: Sekolah saya jauh, jalannya rusak.
"""


@pytest.fixture(scope="session")
def config() -> Config:
    return load_config()


def write_docx_paragraphs(path: Path, paragraphs: list[str]) -> Path:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    document.save(str(path))
    return path


def write_docx_table(path: Path, rows: list[tuple[str, str]], title: str = "Transkrip") -> Path:
    import docx

    document = docx.Document()
    document.add_heading(title, level=1)
    table = document.add_table(rows=0, cols=2)
    for speaker, text in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = speaker, text
    document.save(str(path))
    return path


def write_csv(path: Path, rows: list[list[str]], header: list[str] | None = None) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header or ["speaker", "text", "start", "end"])
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[str]]) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["speaker", "text", "start", "end"])
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def write_manifest(folder: Path, rows: list[dict[str, str]]) -> Path:
    columns = ["file", "informant", "role", "site", "method", "date", "name"]
    path = folder / "manifest.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})
    return path


@pytest.fixture
def mini_corpus(tmp_path: Path) -> Path:
    """A small corpus folder: one file per supported format plus a manifest."""
    folder = tmp_path / "korpus"
    folder.mkdir()
    (folder / "W-A.txt").write_text(INTERVIEW_TXT, encoding="utf-8")
    (folder / "W-B.vtt").write_text(VTT, encoding="utf-8")
    (folder / "W-C.srt").write_text(SRT, encoding="utf-8")
    write_csv(folder / "W-D.csv", [["Peneliti", "Bagaimana PKG tahun ini?", "00:00:01", ""],
                                   ["Bu Nining", "Nilainya baik, tapi instrumennya banyak banget.", "00:00:05", ""]])
    write_xlsx(folder / "W-E.xlsx", [["Peneliti", "Ada supervisi dari pengawas?", "00:00:01", ""],
                                     ["Pak Asep", "Ada, setahun sekali, terus dikasih umpan balik.", "00:00:04", ""]])
    write_docx_paragraphs(folder / "W-F.docx", ["P: Sertifikasinya sudah, Bu?", "I: Belum, masih nunggu PPG.",
                                                "Mudah-mudahan tahun depan."])
    write_docx_table(folder / "W-G.docx", [("P", "Apa kendala KKG?"), ("I", "Pemandunya itu-itu saja.")])
    (folder / "O-H.md").write_text(OBSERVATION_MD, encoding="utf-8")
    write_docx_paragraphs(folder / "D-I.docx", ["# Notulen rapat KKG", "Rapat dihadiri 14 guru.",
                                                "Iuran disepakati sepuluh ribu rupiah."])
    rows = [dict(file=f, informant=i, role="guru", site="sdn-a", method="wawancara", date="2024-02-01")
            for f, i in [("W-A.txt", "G1"), ("W-B.vtt", "G2"), ("W-C.srt", "G3"), ("W-D.csv", "G4"),
                         ("W-E.xlsx", "G5"), ("W-F.docx", "G6"), ("W-G.docx", "G7")]]
    rows[0]["name"] = "Sri Wahyuni"
    rows += [dict(file="O-H.md", site="sdn-a", method="observasi", date="2024-02-02"),
             dict(file="D-I.docx", site="sdn-a", method="dokumen", date="2024-01-13")]
    write_manifest(folder, rows)
    return folder
