"""Verbatim tables: a line-number column, a speaker column (`IR`/`IE`, `P`/`N`, names), the words, and an optional
analysis/coding column that becomes a memo on the turn, never informant text.

Pasted text tables (cells split by tabs or `|`) keep offsets into the file: each row's words cell is its own span,
and a turn running over several numbered rows is one turn in several parts (the line numbers between them are not
content). Word tables arrive as rows of cells and are rendered by `docx_reader`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from pipeline.ingest.labels import fold
from pipeline.ingest.turnmodel import Layout, Line, Turn, trimmed

HEADER_WORDS = {"no", "no.", "nomor", "baris", "line", "speaker", "pembicara", "penutur", "nama", "text", "teks",
                "ucapan", "transkrip", "verbatim", "transkrip verbatim", "isi", "koding", "kode", "coding", "analisis",
                "keterangan", "tema", "kategori", "refleksi", "catatan", "memo", "data", "hasil wawancara",
                "isi wawancara", "percakapan", "waktu"}
_CELL = re.compile(r"[^\t|]+")


@dataclass(frozen=True)
class Columns:
    number: int | None
    speaker: int
    words: int
    memo: int | None


def split_cells(line: str) -> list[tuple[int, int]]:
    """(start, end) of each cell of a tab- or bar-separated line, empty cells included."""
    separator = "\t" if "\t" in line else "|"
    body = line.strip()
    lead = line.index(body[0]) if body else 0
    if separator == "|" and body.startswith("|"):
        lead, body = lead + 1, body[1:]
    if separator == "|" and body.endswith("|"):
        body = body[:-1]
    cells, position = [], lead
    for cell in body.split(separator):
        cells.append((position, position + len(cell)))
        position += len(cell) + 1
    return cells


def find_columns(rows: list[list[str]]) -> Columns | None:
    """Guess the columns from the rows' cell texts: numbers, short repeated speakers, the longest words, then memo."""
    width = Counter(len(r) for r in rows).most_common(1)[0][0]
    rows = [r for r in rows if len(r) == width]
    if width < 2 or len(rows) < 2:
        return None
    filled = [[c.strip() for c in r] for r in rows]
    number = next((i for i in range(width) if _share(filled, i, lambda c: c.isdigit()) >= 0.8), None)
    others = [i for i in range(width) if i != number]
    lengths = {i: sum(len(r[i]) for r in filled) for i in others}
    words = max(others, key=lambda i: lengths[i])
    speakers = [i for i in others if i < words and _share(filled, i, lambda c: 0 < len(c) <= 25 and
                                                           len(c.split()) <= 3) >= 0.5]
    if not speakers:
        return None
    memo = next((i for i in others if i > words), None)
    return Columns(number, speakers[-1], words, memo)


def _share(rows: list[list[str]], index: int, test) -> float:  # type: ignore[no-untyped-def]
    cells = [r[index] for r in rows if r[index]]
    return sum(map(test, cells)) / len(cells) if cells else 0.0


def is_header_row(cells: list[str]) -> bool:
    named = [fold(c).rstrip(":") for c in cells if c.strip()]
    return bool(named) and sum(n in HEADER_WORDS for n in named) >= max(1, len(named) - 1)


def table_lines(lines: list[Line], dropped: dict[int, str]) -> list[Line]:
    content = [line for line in lines if line.number not in dropped and line.text.strip()]
    rows = [line for line in content if ("\t" in line.text or line.text.count("|") >= 2)
            and len(split_cells(line.text)) >= 2]
    return rows if content and len(rows) >= 0.5 * len(content) and len(rows) >= 3 else []


def read_text_table(text: str, lines: list[Line], dropped: dict[int, str]) -> Layout | None:
    rows = table_lines(lines, dropped)
    if not rows:
        return None
    cells = {line.number: split_cells(line.text) for line in rows}
    columns = find_columns([[line.text[a:b] for a, b in cells[line.number]] for line in rows])
    if columns is None:
        return None
    dropped = dict(dropped)
    turns: list[Turn] = []
    speaker: str | None = None
    for line in lines:
        row = cells.get(line.number)
        if line.number in dropped or not line.text.strip():
            continue
        if row is None or len(row) <= max(columns.speaker, columns.words):
            speaker = _wrapped_line(text, line, turns, speaker, dropped)
            continue
        values = [line.text[a:b].strip() for a, b in row]
        if is_header_row(values) or all(set(v) <= set("-:= ") for v in values):
            dropped[line.number] = "table header"
            continue
        written = values[columns.speaker].rstrip(":").strip()
        continued = bool(turns) and written in ("", speaker)  # rows of one turn: speaker left blank or repeated
        speaker = written or speaker
        start, end = trimmed(text, line.start + row[columns.words][0], line.start + row[columns.words][1])
        memo = values[columns.memo] if columns.memo is not None and columns.memo < len(values) else ""
        if speaker and end > start:
            turns.append(Turn(start, end, speaker, line.number, memo=memo or None, continued=continued))
    return Layout("verbatim-table", tuple(turns), (), dropped) if len(turns) >= 2 else None


def _wrapped_line(text: str, line: Line, turns: list[Turn], speaker: str | None, dropped: dict[int, str]) -> str | None:
    """A line without cells: the words of the previous row wrapped onto it, as a further part of that turn."""
    if not turns or speaker is None:
        dropped.setdefault(line.number, "before the first turn")
        return speaker
    start, end = trimmed(text, line.start, line.end)
    turns.append(Turn(start, end, speaker, line.number, continued=True))
    return speaker


def rows_to_turns(rows: list[list[str]]) -> list[tuple[str, str, str | None]] | None:
    """Word table rows -> (speaker, words, memo) per turn; rows of one speaker's turn are joined."""
    body = [r for r in rows if not is_header_row(r)]
    columns = find_columns(body) if body else None
    if columns is None:
        return None
    turns: list[tuple[str, list[str], list[str]]] = []
    for row in body:
        if len(row) <= max(columns.speaker, columns.words):
            continue
        speaker, words = row[columns.speaker].strip().rstrip(":").strip(), row[columns.words].strip()
        memo = row[columns.memo].strip() if columns.memo is not None and columns.memo < len(row) else ""
        if turns and speaker in ("", turns[-1][0]):  # rows of one turn: speaker left blank or repeated
            turns[-1][1].append(words)
            turns[-1][2].append(memo)
        elif words:
            turns.append((speaker or "?", [words], [memo]))
    return [(s, "\n".join(w for w in words if w), "\n".join(m for m in memos if m) or None)
            for s, words, memos in turns]
