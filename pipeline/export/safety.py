"""Safe cells: exported transcripts must not run as spreadsheet formulas.

A text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return can be read by Excel, LibreOffice or
Google Sheets as a formula (CSV/formula injection: `=HYPERLINK(...)`, `=cmd|...`). Such a cell gets a leading
apostrophe, the spreadsheet convention for "this is text", so it shows as written and never runs. Numbers are
left alone (a negative count is a number, not text). Control characters that XML 1.0 cannot hold are dropped from
workbook cells (openpyxl would refuse them), and a cell longer than a workbook cell can hold is cut with a marker.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MAX_CHARS = 32_767
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralise(value: object) -> object:
    """The value, with a leading apostrophe when it is text that a spreadsheet could run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def workbook_cell(value: object) -> object:
    """`neutralise`, minus characters XML cannot hold, cut to what one workbook cell holds."""
    if not isinstance(value, str):
        return value
    text = _ILLEGAL_XML.sub("", value)
    safe = neutralise(text)
    assert isinstance(safe, str)
    if len(safe) > XLSX_MAX_CHARS:
        keep = XLSX_MAX_CHARS - 40  # room for the marker; the CSV export keeps the whole text
        safe = f"{safe[:keep]} … [+{len(safe) - keep}]"
    return safe


def safe_frame(frame: "pd.DataFrame") -> "pd.DataFrame":
    """A copy whose headers and text cells cannot start a formula: every CSV reduksi writes goes through this."""
    import pandas as pd

    safe = frame.copy()
    safe.columns = [neutralise(str(c)) for c in safe.columns]
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    return safe
