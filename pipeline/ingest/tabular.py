"""CSV and XLSX transcripts: one row per turn, columns speaker, text and optional start/end."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from pipeline.errors import IngestError
from pipeline.ingest.turns import LabelRules, TextBuilder
from pipeline.records import ParsedSource

# Accepted column names (lower case), English and Indonesian.
COLUMNS = {
    "speaker": ("speaker", "pembicara", "penutur"),
    "text": ("text", "teks", "ucapan", "transkrip"),
    "start": ("start", "mulai", "waktu"),
    "end": ("end", "selesai"),
}


def parse_csv(text: str, rules: LabelRules, *, path: str) -> ParsedSource:
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = csv.reader(io.StringIO(text), dialect)
    return _parse_rows(rows, rules, path=path, fmt="csv")


def parse_xlsx(path: Path, rules: LabelRules) -> ParsedSource:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile/KeyError/InvalidFileException for broken files
        raise IngestError(f"not a readable .xlsx workbook: {exc}", file=path) from None
    try:
        sheet = workbook.worksheets[0]
        rows = (["" if cell is None else str(cell) for cell in row] for row in sheet.iter_rows(values_only=True))
        return _parse_rows(rows, rules, path=str(path), fmt="xlsx")
    finally:
        workbook.close()


def _parse_rows(rows: Iterable[list[str]], rules: LabelRules, *, path: str, fmt: str) -> ParsedSource:
    iterator = iter(rows)
    header = next(iterator, None)
    if header is None:
        raise IngestError("no header row", file=path, line=1)
    columns = _columns(header, path)
    builder = TextBuilder()
    for line, row in enumerate(iterator, start=2):
        if not any(cell.strip() for cell in row):
            continue
        speaker = _cell(row, columns["speaker"]).strip()
        body = _cell(row, columns["text"])
        if not speaker and body.strip():
            raise IngestError("a row with text but no speaker", file=path, line=line)
        builder.add(body, speaker=speaker, is_interviewer=rules.is_interviewer(speaker),
                    timestamp=_cell(row, columns.get("start")).strip() or None, line=line)
    if not builder.units:
        raise IngestError("no turns: every row is empty", file=path)
    return ParsedSource(text=builder.text(), units=tuple(builder.units), format=fmt, kind="transcript",
                        convention="subtitle-cues" if fmt in ("vtt", "srt") else "speaker-rows")


def _columns(header: list[str], path: str) -> dict[str, int]:
    names = [str(h or "").strip().lower() for h in header]
    found = {}
    for role, aliases in COLUMNS.items():
        for alias in aliases:
            if alias in names:
                found[role] = names.index(alias)
                break
    missing = [role for role in ("speaker", "text") if role not in found]
    if missing:
        raise IngestError(f"missing column(s) {', '.join(missing)}", file=path, line=1,
                          hint=f"the header must name speaker and text columns; found: {', '.join(names)}")
    return found


def _cell(row: list[str], index: int | None) -> str:
    return row[index] if index is not None and index < len(row) and row[index] is not None else ""
