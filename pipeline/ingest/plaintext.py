"""Plain text and Markdown: transcripts in any recognised convention, or paragraphs for notes and documents."""

from __future__ import annotations

from pipeline.ingest.segment import read_paragraphs, read_transcript
from pipeline.ingest.turns import LabelRules
from pipeline.records import ParsedSource


def parse_transcript(text: str, rules: LabelRules, *, path: str, fmt: str) -> ParsedSource:
    """Turns in whichever convention the file follows (`segment`); paragraphs with a warning when none fits."""
    return read_transcript(text, rules, path=path, fmt=fmt)


def parse_paragraphs(text: str, *, fmt: str) -> ParsedSource:
    """Paragraphs separated by blank lines; a paragraph whose lines all start with `#` is a heading."""
    return read_paragraphs(text, fmt=fmt)
