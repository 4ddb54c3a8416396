"""One Excel workbook: a sheet per display, frozen header (and first column), filters, readable column widths,
wrapped long text. Every text cell is neutralised against formula injection and written as a string."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from pipeline.export.safety import workbook_cell
from pipeline.export.tables import Table

MAX_WIDTH = 60  # characters; longer text wraps
WRAPPED_WIDTH = 50
_HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def write_workbook(tables: list[Table], path: str | Path) -> Path:
    """Write every table as a sheet of one `.xlsx` file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for table in tables:
        sheet = workbook.create_sheet(_sheet_name(table.title, used))
        _fill(sheet, table)
    workbook.save(path)
    return path


def _fill(sheet, table: Table) -> None:  # type: ignore[no-untyped-def]
    frame = table.frame
    sheet.append([workbook_cell(str(c)) for c in frame.columns])
    for row in frame.itertuples(index=False):
        sheet.append([_value(v) for v in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.data_type = "s"
    _force_strings(sheet)
    long_text = set(table.long_text)
    for index, column in enumerate(frame.columns, start=1):
        letter = get_column_letter(index)
        wrapped = column in long_text
        sheet.column_dimensions[letter].width = _width(frame.iloc[:, index - 1], str(column), wrapped)
        if wrapped:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2" if len(frame.columns) > 1 else "A2"
    if len(frame.columns):
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(frame.columns))}{max(len(frame) + 1, 2)}"


def _value(value: object) -> object:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if hasattr(value, "item"):  # numpy scalars -> Python numbers openpyxl knows
        value = value.item()  # type: ignore[union-attr]
    return workbook_cell(value)


def _force_strings(sheet) -> None:  # type: ignore[no-untyped-def]
    """openpyxl takes any text starting with "=" as a formula; text cells here are text, whatever they hold."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"


def _width(values: pd.Series, header: str, wrapped: bool) -> float:
    if wrapped:
        return WRAPPED_WIDTH
    sample = values.head(500).map(lambda v: 0 if v is None or v != v else len(str(v)))  # v != v: NaN
    longest = max([int(sample.quantile(0.9)) if len(sample) else 0, min(len(header), 24)])
    return float(min(max(longest + 2, 8), MAX_WIDTH))


def _sheet_name(title: str, used: set[str]) -> str:
    """A valid, unique sheet name (at most 31 characters, none of []:*?/\\)."""
    base = _SHEET_FORBIDDEN.sub("-", title).strip("'")[:31] or "Sheet"
    name, n = base, 2
    while name.casefold() in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.casefold())
    return name
