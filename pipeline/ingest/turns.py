"""The label rules a file is read with, and building a plain text with exact unit offsets for structured formats."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.config import IngestConfig
from pipeline.ingest.annotations import find_annotations
from pipeline.ingest.decode import normalise_text
from pipeline.ingest.labels import COLON, fold
from pipeline.ingest.roles import INFORMANT_WORDS, RoleEvidence, evidence
from pipeline.records import Unit


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
        return cls(interviewer=frozenset(fold(x) for x in interviewer),
                   known=frozenset(fold(x) for x in (*interviewer, *INFORMANT_WORDS)),
                   header_keys=frozenset(fold(x) for x in config.header_keys),
                   max_words=config.max_label_words, override=tuple(interviewer_labels),
                   config_interviewer=tuple(config.interviewer_labels))

    def evidence(self, defined: tuple[tuple[str, str], ...] = ()) -> RoleEvidence:
        """What the configuration, the manifest row and the file's header say about roles."""
        return evidence(self.config_interviewer, self.override, defined)

    def plausible(self, label: str) -> bool:
        folded = fold(label)
        return (folded not in self.header_keys and len(label.split()) <= self.max_words
                and not label.endswith((" ", "-")))

    def is_interviewer(self, label: str) -> bool:
        return fold(label) in self.interviewer


def match_label(line: str, rules: LabelRules) -> re.Match[str] | None:
    """A plausible `Label:` at the start of a line (subtitle cues without voice tags)."""
    match = COLON.match(line)
    if match and rules.plausible(match.group("label").strip()):
        return match
    return None


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
