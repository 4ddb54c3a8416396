"""Memos, review notes and triangulation notes as tables (CSV files, workbook sheets, the chapter's appendix).

Built from the same notes the REFI-QDA export carries, so every format holds the same notes.
"""

from __future__ import annotations

from typing import Sequence

import pandas as pd

from pipeline.export.qdpx import NoteSpec
from pipeline.export.tables import Table

# A note on an excerpt is the researcher's memo on it (the web workspace's excerpt memo): it goes with the memos.
GROUPS = (("memos", ("reduksi:memo", "reduksi:note")), ("review_notes", ("reduksi:reject", "reduksi:none")),
          ("triangulation_notes", ("reduksi:triangulation",)))
COLUMNS = ("about", "title", "note_text", "author", "created")


def notes_tables(notes: Sequence[NoteSpec], keys: dict[int, str], w: dict[str, str]) -> list[Table]:
    """One table per group (memos, review notes, triangulation notes), each with a row per note."""
    tables = []
    for slug, kinds in GROUPS:
        rows = [(_about(note, keys, w), note.name, note.text, note.user, note.created or "")
                for note in notes if note.kind.split(" ")[0] in kinds]
        frame = pd.DataFrame(rows, columns=[w[c] for c in COLUMNS])
        tables.append(Table(slug, w[slug], frame, (w["note_text"],)))
    return tables


def _about(note: NoteSpec, keys: dict[int, str], w: dict[str, str]) -> str:
    kind, *rest = note.target
    if kind == "selection":
        return f'{w["excerpt"]} {keys.get(int(rest[0]), rest[0])}'
    if kind == "project":
        return w["project"]
    return f"{w.get(kind, kind)} {rest[0]}" if rest else str(kind)
