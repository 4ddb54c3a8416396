"""A preview of how files will be read, touching no store: convention, speakers and roles, counts, metadata, lines
dropped and why, and the first turns exactly as they will become excerpts.

`reduksi inspect PATH…` prints it (`--json` for scripts); a file that cannot be read is shown with its error, so
one bad file does not hide what the others look like.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline import excerpts as excerpt_stage
from pipeline.config import Config
from pipeline.errors import ReduksiError
from pipeline.ingest.batch import resolve_batch
from pipeline.ingest.quality import count_turns, informant_words
from pipeline.ingest.readers import read_source
from pipeline.records import ParsedSource, SourceMeta


@dataclass(frozen=True)
class SpeakerSummary:
    label: str
    role: str
    turns: int
    words: int


@dataclass(frozen=True)
class TurnPreview:
    """A unit as it will be stored: its excerpt key(s) when coded (informant turns), else None (a question)."""

    line: int | None
    speaker: str | None
    role: str | None
    text: str
    keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class FileInspection:
    file: str
    method: str
    format: str = ""
    convention: str = ""
    speakers: tuple[SpeakerSummary, ...] = ()
    turns: int = 0
    informant_words: int = 0
    questions: int = 0  # turns ending in '?'
    excerpts: int = 0
    metadata: tuple[tuple[str, str], ...] = ()
    dropped: tuple[tuple[int, str, str], ...] = ()  # (line, reason, the line as written)
    first_turns: tuple[TurnPreview, ...] = ()
    warnings: tuple[str, ...] = field(default=())
    error: str | None = None  # why the file cannot be read; nothing else is filled then

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def inspect_paths(paths: list[str | Path], config: Config, *, manifest: str | Path | None = None,
                  n_turns: int = 6) -> list[FileInspection]:
    """One inspection per file named by `paths` (folders with or without a manifest, files, manifests)."""
    metas, _ = resolve_batch(paths, config, manifest)
    return [inspect_file(meta, config, n_turns=n_turns) for meta in metas]


def inspect_file(meta: SourceMeta, config: Config, *, n_turns: int = 6) -> FileInspection:
    try:
        parsed = read_source(meta, config.ingest)
    except ReduksiError as error:
        return FileInspection(file=meta.path, method=meta.method, error=str(error))
    found = excerpt_stage.run(parsed, excerpt_stage.source_stem(meta.path), config.excerpts)
    keys: dict[int, list[str]] = {}
    for excerpt in found:
        keys.setdefault(excerpt.unit, []).append(excerpt.key)
    return FileInspection(
        file=meta.path, method=meta.method, format=parsed.format, convention=parsed.convention or parsed.kind,
        speakers=_speakers(parsed), turns=count_turns(parsed), informant_words=informant_words(parsed),
        questions=sum(1 for u in parsed.units if u.text.rstrip(" .)]\"”").endswith("?")), excerpts=len(found),
        metadata=parsed.metadata, dropped=_dropped(parsed), warnings=parsed.warnings,
        first_turns=tuple(TurnPreview(u.line, u.speaker, u.role, u.text, tuple(keys.get(u.index, ())))
                          for u in parsed.units[:n_turns]))


def _speakers(parsed: ParsedSource) -> tuple[SpeakerSummary, ...]:
    turns = Counter(u.speaker for u in parsed.units if not u.continued)
    words: Counter[str | None] = Counter()
    for unit in parsed.units:
        words[unit.speaker] += len(unit.text.split())
    return tuple(SpeakerSummary(label, role, turns[label], words[label]) for label, role in parsed.speakers)


def _dropped(parsed: ParsedSource) -> tuple[tuple[int, str, str], ...]:
    lines = parsed.text.split("\n")
    return tuple((line, reason, lines[line - 1] if 0 < line <= len(lines) else "") for line, reason in parsed.dropped)


def render(inspection: FileInspection) -> str:
    """The text `reduksi inspect` prints for one file."""
    out = [f"{inspection.file}  [{inspection.method}]"]
    if inspection.error:
        return "\n".join([*out, f"  cannot be read: {inspection.error}"])
    out.append(f"  convention: {inspection.convention} ({inspection.format}); {inspection.turns} turns, "
               f"{inspection.informant_words} informant words, {inspection.questions} questions, "
               f"{inspection.excerpts} excerpts")
    out += [f"  speaker {s.label!r}: {s.role}, {s.turns} turns, {s.words} words" for s in inspection.speakers]
    out += [f"  metadata {key}: {value}" for key, value in inspection.metadata]
    out += [f"  dropped line {line} ({reason}): {text.strip()[:70]}" for line, reason, text in inspection.dropped]
    out += [f"  warning: {warning}" for warning in inspection.warnings]
    for turn in inspection.first_turns:
        where = ", ".join(turn.keys) if turn.keys else "context"
        text = " ".join(turn.text.split())
        out.append(f"  [{where}] {turn.speaker or '-'} ({turn.role or 'paragraph'}): "
                   f"{text[:100]}{'…' if len(text) > 100 else ''}")
    return "\n".join(out)
