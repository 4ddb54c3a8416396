"""Line-numbered verbatim transcripts pasted as plain text (a table whose tabs became spaces, or Word line numbering):

    12   IR   Terus, gimana tanggapan guru-guru waktu itu?
    13   IE   Ya awalnya banyak yang nolak, Bu. Soalnya
    14        mereka takut nambah kerjaan.

The line number is not content, so every line is its own part of a turn: a line with a speaker (initials, or any
label before a colon, a tab or two spaces) opens a turn, a line without one continues it.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import pairwise

from pipeline.ingest.labels import find_label, fold, looks_like_initials, role_key
from pipeline.ingest.turnmodel import Layout, Line, Turn, trimmed

_NUMBER = re.compile(r"^[ \t]*(?P<n>\d{1,4})[.)]?(?:[ \t]+|$)")
_SPACED = re.compile(r"^(?P<label>[^\W\d_][\w.'’]{0,14}(?: [^\W\d_][\w.'’]{0,14})?)(?:[ \t]*:[ \t]*|\t[ \t]*|[ \t]{2,})")  # noqa: E501 (one pattern reads best on one line)
_INITIALS = re.compile(r"^(?P<label>[A-Z][A-Z0-9]{0,3})[ \t]+(?=\S)")
_MIN_SHARE = 0.6


def read_line_numbered(text: str, lines: list[Line], dropped: dict[int, str], known: frozenset[str]) -> Layout | None:
    rows = _numbered_rows(lines, dropped)
    if rows is None:
        return None
    counts = Counter(label for _, _, label in rows if label)
    accepted = {label for label, n in counts.items()
                if n >= 2 or fold(label) in known or role_key(label) in known}
    dropped = dict(dropped)
    turns: list[Turn] = []
    speaker: str | None = None
    for line, body, label in rows:
        continued = bool(turns) and (label not in accepted or label == speaker)
        if label in accepted:
            speaker = label
            body += _label_length(line.text[body:], label)
        elif speaker is None:
            dropped.setdefault(line.number, "before the first turn")
            continue
        start, end = trimmed(text, line.start + body, line.end)
        if end > start:
            turns.append(Turn(start, end, speaker, line.number, continued=continued))
    if len({t.speaker for t in turns}) < 2:
        return None
    return Layout("line-numbered", tuple(turns), (), dropped)


def _numbered_rows(lines: list[Line], dropped: dict[int, str]) -> list[tuple[Line, int, str | None]] | None:
    """(line, where its words start after the number, the speaker label it opens with) when most lines are
    numbered in sequence; None otherwise."""
    content = [line for line in lines if line.number not in dropped and line.text.strip()]
    rows = []
    numbers = []
    for line in content:
        match = _NUMBER.match(line.text)
        if match:
            numbers.append(int(match.group("n")))
            rows.append((line, match.end(), _label(line.text[match.end():])))
    in_sequence = sum(1 for a, b in pairwise(numbers) if b == a + 1)
    if len(rows) < 4 or len(rows) < _MIN_SHARE * len(content) or in_sequence < 0.5 * len(rows):
        return None
    return rows


def _label(rest: str) -> str | None:
    hit = find_label(rest)
    if hit and hit.style == "colon" and hit.sep == ":":
        return hit.label
    spaced = _SPACED.match(rest) or _INITIALS.match(rest)
    if spaced and (spaced.re is _SPACED or looks_like_initials(spaced.group("label"))):
        return spaced.group("label")
    return None


def _label_length(rest: str, label: str) -> int:
    """Characters from the line's words start to the end of the label and its separator."""
    match = re.match(rf"{re.escape(label)}[ \t]*:?[ \t]*", rest)
    return match.end() if match else 0
