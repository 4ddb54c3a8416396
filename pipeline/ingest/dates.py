"""Dates as Indonesian researchers write them: ISO, `12-02-2024`, `12/02/2024`, `12 Februari 2024`,
`Senin, 12 Februari 2024` (day names and common month abbreviations included)."""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {"januari": 1, "jan": 1, "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "maret": 3, "mar": 3,
          "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "agustus": 8, "agu": 8,
          "agt": 8, "ags": 8, "agst": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10,
          "november": 11, "nov": 11, "nopember": 11, "desember": 12, "des": 12,
          "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8, "aug": 8,
          "october": 10, "oct": 10, "december": 12, "dec": 12}
_NUMERIC = re.compile(r"\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_WORDS = re.compile(r"\b(\d{1,2})\s+([A-Za-z]{3,9})\.?\s+(\d{4})\b")


def parse_date(value: str) -> str | None:
    """The ISO date written somewhere in `value`, or None when there is none (or it is not a real day)."""
    for pattern, order in ((_ISO, (0, 1, 2)), (_NUMERIC, (2, 1, 0)), (_WORDS, (2, 1, 0))):
        match = pattern.search(value)
        if not match:
            continue
        parts = match.groups()
        year, month, day = (parts[i] for i in order)
        number = MONTHS.get(month.lower()) if not month.isdigit() else int(month)
        if number is None:
            continue
        try:
            return dt.date(int(year), number, int(day)).isoformat()
        except ValueError:
            return None
    return None
