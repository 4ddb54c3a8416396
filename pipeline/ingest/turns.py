"""Speaker turns: label recognition, and building a plain text with exact unit offsets for structured formats."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from pipeline.config import IngestConfig
from pipeline.ingest.annotations import find_annotations
from pipeline.ingest.decode import normalise_text
from pipeline.ingest.roles import RoleEvidence, evidence
from pipeline.records import Unit

# Labels that, whatever the counts, mark an informant's turn in Indonesian transcripts.
INFORMANT_LABELS = ("I", "Informan", "Narasumber", "Responden", "N", "R", "Subjek", "S")

TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_LINE = re.compile(
    rf"^[ \t]*(?:[\[(]?(?P<ts1>{TIME})[\])]?[ \t]+)?"
    r"(?P<label>[^\W\d_][\w.'’ -]{0,40}?)[ \t]*:(?![/\d])[ \t]*"
    rf"(?:[\[(](?P<ts2>{TIME})[\])][ \t]*)?"
)


@dataclass(frozen=True)
class LabelRules:
    """Decides which `Label:` prefixes are speakers and which of them are the interviewer."""

    interviewer: frozenset[str]
    known: frozenset[str]
    header_keys: frozenset[str]
    max_words: int
    override: tuple[str, ...] = ()  # the manifest's `interviewer` labels for this file, as written
    config_interviewer: tuple[str, ...] = ()  # `[ingest] interviewer_labels`, as written

    @classmethod
    def from_config(cls, config: IngestConfig, interviewer_labels: tuple[str, ...] = ()) -> LabelRules:
        interviewer = interviewer_labels or config.interviewer_labels
        return cls(interviewer=frozenset(_fold(x) for x in interviewer),
                   known=frozenset(_fold(x) for x in (*interviewer, *INFORMANT_LABELS)),
                   header_keys=frozenset(_fold(x) for x in config.header_keys),
                   max_words=config.max_label_words, override=tuple(interviewer_labels),
                   config_interviewer=tuple(config.interviewer_labels))

    def evidence(self, defined: tuple[tuple[str, str], ...] = ()) -> RoleEvidence:
        """What the configuration, the manifest row and the file's header say about roles."""
        return evidence(self.config_interviewer, self.override, defined)

    def plausible(self, label: str) -> bool:
        folded = _fold(label)
        return (folded not in self.header_keys and len(label.split()) <= self.max_words
                and not label.endswith((" ", "-")))

    def is_interviewer(self, label: str) -> bool:
        return _fold(label) in self.interviewer


def _fold(label: str) -> str:
    return " ".join(label.replace(".", " ").split()).casefold()


def match_label(line: str, rules: LabelRules) -> re.Match[str] | None:
    match = _LINE.match(line)
    if match and rules.plausible(match.group("label").strip()):
        return match
    return None


def speaker_labels(lines: list[str], rules: LabelRules) -> set[str]:
    """Labels accepted as speakers: known ones, and others used at least twice (a one-off 'Jadi intinya:' is speech)."""
    counts = Counter(_fold(m.group("label")) for line in lines if (m := match_label(line, rules)))
    return {label for label, n in counts.items() if label in rules.known or n >= 2}


def is_speaker(match: re.Match[str] | None, accepted: set[str]) -> bool:
    return bool(match) and _fold(match.group("label")) in accepted


@dataclass
class TextBuilder:
    """Renders turns or paragraphs of a structured file (docx, vtt, csv...) into one plain text, keeping offsets."""

    parts: list[str] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    length: int = 0

    def add(self, body: str, *, speaker: str | None = None, is_interviewer: bool = False,
            timestamp: str | None = None, line: int | None = None, memo: str | None = None) -> None:
        body = normalise_text(body).strip()
        if not body:
            return
        prefix = ""
        if timestamp:
            prefix += f"[{timestamp}] "
        if speaker:
            prefix += f"{speaker}: "
        if self.parts:
            self._append("\n\n" if speaker is None else "\n")
        self._append(prefix)
        start = self.length
        self._append(body)
        self.units.append(Unit(index=len(self.units) + 1, start=start, end=self.length, text=body, speaker=speaker,
                               is_interviewer=is_interviewer, timestamp=timestamp, line=line,
                               memo=memo, annotations=find_annotations(body, start)))

    def add_heading(self, heading: str) -> None:
        """A title kept in the text for the reader but not a unit."""
        heading = normalise_text(heading).strip()
        if heading:
            self._append(("\n\n" if self.parts else "") + heading)

    def _append(self, piece: str) -> None:
        self.parts.append(piece)
        self.length += len(piece)

    def text(self) -> str:
        return "".join(self.parts) + "\n"
