"""Turn recognition for a whole text: drop what is not content, try each convention, keep the best reading.

Order: a verbatim table when most lines are table rows (cells split by tabs or bars, or numbered lines);
otherwise labelled turns and numbered questions, whichever covers more of the text; when a single label is used,
it marks either the questions or the answers. A readable interview in no known convention is kept as paragraphs
with a warning: never dropped, never collapsed silently.
"""

from __future__ import annotations

import dataclasses
from itertools import pairwise

from pipeline.ingest.annotations import find_annotations
from pipeline.ingest.labelled import LabelSet, accept_labels, read_labelled
from pipeline.ingest.labels import find_label, fold
from pipeline.ingest.linenumbered import read_line_numbered
from pipeline.ingest.noncontent import NonContent, scan
from pipeline.ingest.numbered import (
    Questions,
    bullet_at,
    read_numbered,
    unlabelled_question_at,
)
from pipeline.ingest.quality import segmentation_warnings
from pipeline.ingest.roles import (
    INFORMANT,
    INFORMANT_WORDS,
    INTERVIEWER,
    INTERVIEWER_WORDS,
    known_role,
)
from pipeline.ingest.turnmodel import Layout, Line, lines_of, transcript_source, trimmed
from pipeline.ingest.turns import LabelRules
from pipeline.ingest.verbatim import read_text_table
from pipeline.records import ParsedSource, Unit

_QA = {"t", "j", "q", "a", "tanya", "jawab", "pertanyaan", "jawaban", "answer"}


def read_transcript(text: str, rules: LabelRules, *, path: str, fmt: str) -> ParsedSource:
    """An interview's text as turns with roles (or as paragraphs, with a warning, when no convention fits)."""
    lines = lines_of(text)
    cleanup = scan([line.text for line in lines], transcript=True, keys=rules.header_keys)
    layout = choose_layout(text, lines, cleanup, rules, path)
    if layout is None:
        parsed = _paragraphs(text, lines, cleanup.dropped, fmt, by_line=_one_paragraph_a_line(lines, fmt))
        warning = (f"{path}: no transcript convention recognised (no speaker labels, numbered questions or "
                   "verbatim table); kept as paragraphs, each coded as informant text — check the file")
        return dataclasses.replace(parsed, warnings=(warning,), metadata=cleanup.metadata)
    parsed = transcript_source(text, layout.turns, rules.evidence(cleanup.defined), format=fmt,
                               convention=layout.convention, metadata=cleanup.metadata,
                               dropped=tuple(sorted(layout.dropped.items())))
    parsed = dataclasses.replace(parsed, convention=_refined(parsed))
    return dataclasses.replace(parsed, warnings=(*layout.warnings, *segmentation_warnings(parsed, path)))


def read_paragraphs(text: str, *, fmt: str) -> ParsedSource:
    """Observation notes and documents: paragraphs, without front matter, header block and page numbers."""
    lines = lines_of(text)
    cleanup = scan([line.text for line in lines], transcript=False)
    parsed = _paragraphs(text, lines, cleanup.dropped, fmt)
    return dataclasses.replace(parsed, metadata=cleanup.metadata)


def choose_layout(text: str, lines: list[Line], cleanup: NonContent, rules: LabelRules, path: str) -> Layout | None:
    known = frozenset({*rules.known, *(fold(x) for x in (*INTERVIEWER_WORDS, *INFORMANT_WORDS, *rules.override)),
                       *(name for name, _ in cleanup.defined)})
    table = read_text_table(text, lines, cleanup.dropped) or read_line_numbered(text, lines, cleanup.dropped, known)
    if table is not None:
        return table
    labels = accept_labels(lines, cleanup.dropped, known, rules, path)
    labelled = read_labelled(text, lines, cleanup.dropped, labels)
    numbered = read_numbered(text, lines, cleanup.dropped)
    speakers = set(labels.speakers.values())
    if len(speakers) == 1 and not numbered:  # only the questions, or only the answers, carry a label
        return read_numbered(text, lines, cleanup.dropped, _one_label(speakers.pop(), labels, rules, cleanup))
    if labelled and numbered:
        speakers = {turn.speaker for turn in labelled.turns}
        return labelled if len(speakers) >= 2 and _covered(labelled) >= _covered(numbered) else numbered
    return labelled or numbered


def _one_label(speaker: str, labels: LabelSet, rules: LabelRules, cleanup: NonContent) -> Questions:
    """`Tanya: …?` then the answer unlabelled, or an unlabelled question then `Jawab: …`."""
    def labelled_at(line: str) -> int | None:
        hit = find_label(line)
        return hit.body if hit is not None and labels.speaker(hit) == speaker else None

    if known_role(speaker, rules.evidence(cleanup.defined)) == INTERVIEWER:
        return Questions(ask=labelled_at, mark=bullet_at, asker=speaker, convention="labelled-questions")
    return Questions(ask=lambda line: None if labelled_at(line) is not None else unlabelled_question_at(line),
                     mark=labelled_at, answerer=speaker, convention="labelled-answers")


def _covered(layout: Layout) -> int:
    return sum(turn.end - turn.start for turn in layout.turns)


def _refined(parsed: ParsedSource) -> str:
    """Name the family more precisely when the speakers say so: Q/A markers, or a focus group."""
    informants = [s for s, role in parsed.speakers if role == INFORMANT]
    turns = {s: sum(1 for u in parsed.units if u.speaker == s and not u.continued) for s in informants}
    if parsed.convention in ("numbered-questions", "verbatim-table", "line-numbered", "labelled-questions",
                             "labelled-answers"):
        return parsed.convention
    if len(informants) >= 3 or sum(1 for n in turns.values() if n >= 2) >= 2:
        return "focus-group"
    if parsed.speakers and all(fold(s).split(" (")[0] in _QA for s, _ in parsed.speakers):
        return "qa-markers"
    return parsed.convention


def _one_paragraph_a_line(lines: list[Line], fmt: str) -> bool:
    """Word paragraphs arrive one a line; so does text typed without blank lines between paragraphs."""
    content = [line for line in lines if line.text.strip()]
    blanks = sum(1 for a, b in pairwise(lines) if a.text.strip() and not b.text.strip())
    return fmt == "docx" or (len(content) >= 4 and blanks <= 1)


def _paragraphs(text: str, lines: list[Line], dropped: dict[int, str], fmt: str, *,
                by_line: bool = False) -> ParsedSource:
    """Runs of non-blank content lines (or single lines, `by_line`); a run of `#` lines is a heading, not a unit."""
    units: list[Unit] = []
    block: list[Line] = []
    for line in [*lines, None]:
        if line is not None and line.number not in dropped and line.text.strip(" \t") and not (by_line and block):
            block.append(line)
            continue
        if block and not all(b.text.lstrip().startswith("#") for b in block):
            start, end = trimmed(text, block[0].start, block[-1].end)
            units.append(Unit(index=len(units) + 1, start=start, end=end, text=text[start:end],
                              line=text.count("\n", 0, start) + 1,
                              annotations=find_annotations(text[start:end], start)))
        block = [line] if by_line and line is not None and line.number not in dropped and line.text.strip() else []
    return ParsedSource(text=text, units=tuple(units), format=fmt, kind="paragraphs", convention="paragraphs",
                        dropped=tuple(sorted(dropped.items())))
