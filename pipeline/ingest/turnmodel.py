"""The one turn model every convention produces, and its conversion into units with roles.

A convention module (labelled lines, numbered questions, verbatim tables) returns `Turn`s: character spans of the
normalised text plus who speaks. A turn interrupted by a line that is not content (a page number, a running header,
a table's line-number cell) is several `Turn`s, the later ones `continued`, so no unit covers a dropped character.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from pipeline.ingest.annotations import find_annotations
from pipeline.ingest.roles import INTERVIEWER, RoleEvidence, assign_roles
from pipeline.records import ParsedSource, Unit


@dataclass(frozen=True)
class Turn:
    start: int
    end: int
    speaker: str
    line: int
    timestamp: str | None = None
    memo: str | None = None
    continued: bool = False


@dataclass(frozen=True)
class Layout:
    """How a file was read: the convention's name, its turns, and what it noticed on the way."""

    convention: str
    turns: tuple[Turn, ...]
    warnings: tuple[str, ...] = ()
    dropped: dict[int, str] = dataclasses.field(default_factory=dict)  # line -> why it is not content


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without surrounding white space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def transcript_source(text: str, turns: tuple[Turn, ...], found: RoleEvidence, **fields: Any) -> ParsedSource:
    """A transcript's units from its turns, each with its speaker's role; `fields` go to the ParsedSource."""
    spans = [(turn, *trimmed(text, turn.start, turn.end)) for turn in turns]
    spans = [(turn, start, end) for turn, start, end in spans if end > start]
    roles = assign_roles([(turn.speaker, text[start:end]) for turn, start, end in spans if not turn.continued], found)
    units = tuple(Unit(index=number, start=start, end=end, text=text[start:end], speaker=turn.speaker,
                       is_interviewer=roles[turn.speaker] == INTERVIEWER, role=roles[turn.speaker],
                       timestamp=turn.timestamp, line=turn.line, memo=turn.memo, continued=turn.continued,
                       annotations=find_annotations(text[start:end], start))
                  for number, (turn, start, end) in enumerate(spans, start=1))
    return ParsedSource(text=text, units=units, kind="transcript", speakers=tuple(roles.items()), **fields)


def with_roles(parsed: ParsedSource, found: RoleEvidence) -> ParsedSource:
    """Give every turn its speaker's role (interviewer or informant) and record the speakers with their roles."""
    if parsed.kind != "transcript":
        return parsed
    spoken = [(u.speaker or "?", u.text) for u in parsed.units if not u.continued]
    roles = assign_roles(spoken, found)
    units = tuple(dataclasses.replace(u, role=roles.get(u.speaker or "?"),
                                      is_interviewer=roles.get(u.speaker or "?") == INTERVIEWER)
                  for u in parsed.units)
    return dataclasses.replace(parsed, units=units, speakers=tuple(roles.items()))


@dataclass(frozen=True)
class Line:
    number: int  # 1-based
    start: int  # offset of the line's first character in the text
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def lines_of(text: str) -> list[Line]:
    lines, offset = [], 0
    for number, line in enumerate(text.split("\n"), start=1):
        lines.append(Line(number, offset, line))
        offset += len(line) + 1
    return lines
