"""Plain text and Markdown: speaker-labelled transcripts, or paragraphs for observation notes and documents."""

from __future__ import annotations

import re

from pipeline.errors import NoSpeakerLabels
from pipeline.ingest.annotations import find_annotations
from pipeline.ingest.turns import LabelRules, is_speaker, match_label, speaker_labels
from pipeline.records import ParsedSource, Unit

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def parse_transcript(text: str, rules: LabelRules, *, path: str, fmt: str) -> ParsedSource:
    """Turns start at a `Label:` line; unlabeled lines continue the previous turn; `#` lines are headings."""
    lines = text.split("\n")
    accepted = speaker_labels(lines, rules)
    if not accepted:
        raise NoSpeakerLabels("no speaker labels found, but the manifest says this is an interview",
                              file=path, line=1,
                              hint="start each turn with a label such as 'P: ...' / 'I: ...', "
                                   "or give the file method 'observasi' or 'dokumen'")
    units: list[Unit] = []
    current: dict | None = None
    offset = 0
    for number, line in enumerate(lines, start=1):
        match = match_label(line, rules)
        if line.lstrip().startswith("#"):  # a heading ends the open turn
            _close(current, units, text, rules)
            current = None
        elif match is not None and is_speaker(match, accepted):
            _close(current, units, text, rules)
            label = match.group("label").strip()
            current = {"start": offset + match.end(), "end": offset + len(line.rstrip()), "speaker": label,
                       "timestamp": match.group("ts1") or match.group("ts2"), "line": number}
        elif current is not None and line.strip():
            current["end"] = offset + len(line.rstrip())
        offset += len(line) + 1
    _close(current, units, text, rules)
    return ParsedSource(text=text, units=tuple(units), format=fmt, kind="transcript")


def _close(current: dict | None, units: list[Unit], text: str, rules: LabelRules) -> None:
    """Finish the open turn (if it has any text) and append it to `units`."""
    if current is not None and current["end"] > current["start"]:
        start, end = current["start"], current["end"]
        units.append(Unit(index=len(units) + 1, start=start, end=end, text=text[start:end],
                          speaker=current["speaker"], is_interviewer=rules.is_interviewer(current["speaker"]),
                          timestamp=current["timestamp"], line=current["line"],
                          annotations=find_annotations(text[start:end], start)))


def parse_paragraphs(text: str, *, fmt: str) -> ParsedSource:
    """Paragraphs separated by blank lines; a paragraph whose lines all start with `#` is a heading."""
    units: list[Unit] = []
    position = 0
    for block in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = block.start() if block else len(text)
        _add_paragraph(text, position, end, units)
        position = block.end() if block else len(text)
    return ParsedSource(text=text, units=tuple(units), format=fmt, kind="paragraphs")


def _add_paragraph(text: str, start: int, end: int, units: list[Unit]) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped or all(line.lstrip().startswith("#") for line in stripped.split("\n")):
        return
    start += len(chunk) - len(chunk.lstrip())
    end = start + len(stripped)
    units.append(Unit(index=len(units) + 1, start=start, end=end, text=text[start:end],
                      line=text.count("\n", 0, start) + 1, annotations=find_annotations(text[start:end], start)))
