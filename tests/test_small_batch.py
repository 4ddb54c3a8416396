"""The main job never fails on a small batch: one short interview, no manifest, completes with notes and reports."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tests.test_cli import reduksi

SHORT = """Informan: Bu Lastri (guru kelas 2)
Hari/Tanggal: Senin, 12 Februari 2024

P : Selamat pagi, Bu. Boleh cerita soal KKG bulan ini?
LS : Pagi, Pak. Bulan ini KKG-nya cuma sekali, bahas modul ajar kurikulum baru.
P : Menurut Ibu manfaatnya apa?
LS : Lumayan sih, saya jadi tahu cara bikin asesmen awal. Tapi waktunya mepet, habis itu langsung pulang.
"""


def test_run_on_one_four_turn_interview_without_manifest_completes(tmp_path: Path) -> None:
    corpus = tmp_path / "satu"
    corpus.mkdir()
    (corpus / "wawancara-lastri.txt").write_text(SHORT, encoding="utf-8")
    result = reduksi("run", corpus, "--out", tmp_path / "hasil", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Note: clustering skipped" in result.stdout and "Traceback" not in result.stderr
    table = pd.read_csv(tmp_path / "hasil" / "excerpts.csv", keep_default_na=False)
    assert len(table) == 2 and all(table["speaker"] == "LS")  # both answers, no question, no header line
    report = pd.read_csv(tmp_path / "hasil" / "ingest_report.csv", keep_default_na=False)
    assert report["turns"].tolist() == [4] and report["file"].str.endswith("wawancara-lastri.txt").all()
    inferred = pd.read_csv(tmp_path / "hasil" / "manifest.inferred.csv", keep_default_na=False)
    assert inferred["method"].tolist() == ["wawancara"] and inferred["date"].tolist() == ["2024-02-12"]
