"""The transcript viewer's use cases: a source cut into pieces (turns, excerpts with their verified codes and pending
suggestions), and coding a selected span of it (a new excerpt with exact offsets, or an excerpt's moved boundaries).

Offsets are code points into the source's normalised text, as everywhere: `text[start:end]` of every piece and
excerpt is exactly what the reviewer selected (leading and trailing white space trimmed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pipeline.app.project import Project
from pipeline.errors import ReviewError
from pipeline.store import decisions
from pipeline.store import workspace as repo
from pipeline.store.decisions import Decision
from pipeline.store.suggestions import suggestions_for


@dataclass(frozen=True)
class Marked:
    """An excerpt as the viewer marks it: its verified codes and its pending (unverified) suggestions."""

    excerpt_id: int
    key: str
    start: int
    end: int
    verified: tuple[str, ...] | None  # None: not verified yet
    suggested: tuple[tuple[str, float, tuple[str, ...]], ...]  # (code, probability, reasons), best first


@dataclass(frozen=True)
class Piece:
    """A stretch of the text with one speaker turn and one set of excerpts over it."""

    start: int
    end: int
    text: str
    excerpts: tuple[int, ...] = ()  # innermost first
    unit: int | None = None
    turn_label: str = ""  # set on the first piece of a turn: speaker · role
    interviewer: bool = False


@dataclass(frozen=True)
class Transcript:
    source: dict[str, Any]
    pieces: tuple[Piece, ...]
    excerpts: dict[int, Marked] = field(default_factory=dict)


@dataclass(frozen=True)
class SpanResult:
    excerpt_id: int
    key: str
    created: bool  # False: the span was an existing excerpt
    decisions: int


def list_sources(project: Project) -> list[dict[str, Any]]:
    """The newest version of each source with its metadata and excerpt count."""
    return repo.source_overview(project.store)


def source_transcript(project: Project, source_id: int) -> Transcript:
    """The whole source cut at every turn and excerpt boundary, with each excerpt's codes."""
    source = _source(project, source_id)
    text = str(source["text"])
    units = repo.source_units(project.store, source_id)
    rows = repo.source_excerpts(project.store, source_id)
    labels = decisions.current_labels(project.store)
    suggested: dict[int, list[tuple[str, float, tuple[str, ...]]]] = {}
    for excerpt_id, code, probability, reasons in suggestions_for(project.store, [int(r["excerpt_id"]) for r in rows]):
        suggested.setdefault(excerpt_id, []).append((code, probability, tuple(reasons)))
    marked = {int(r["excerpt_id"]): Marked(int(r["excerpt_id"]), str(r["key"]), int(r["start"]), int(r["end"]),
                                            tuple(sorted(labels[int(r["excerpt_id"])]))
                                            if int(r["excerpt_id"]) in labels else None,
                                            tuple(suggested.get(int(r["excerpt_id"]), ())))
              for r in rows}
    return Transcript(source, tuple(_pieces(text, units, list(marked.values()))), marked)


def _pieces(text: str, units: list[dict[str, Any]], marked: list[Marked]) -> list[Piece]:
    cuts = {0, len(text)} | {int(u["start"]) for u in units} | {int(u["end"]) for u in units}
    cuts |= {m.start for m in marked} | {m.end for m in marked}
    bounds = sorted(c for c in cuts if 0 <= c <= len(text))
    pieces, labelled = [], set()
    for start, end in zip(bounds, bounds[1:]):
        unit = next((u for u in units if u["start"] <= start < u["end"]), None)
        over = sorted((m for m in marked if m.start <= start and end <= m.end), key=lambda m: m.end - m.start)
        label = ""
        if unit is not None and unit["idx"] not in labelled:
            labelled.add(unit["idx"])
            label = " · ".join(str(v) for v in (unit["speaker"], unit["role"]) if v)
        pieces.append(Piece(start, end, text[start:end], tuple(m.excerpt_id for m in over),
                            None if unit is None else int(unit["idx"]), label,
                            bool(unit and unit["is_interviewer"])))
    return pieces


def code_span(project: Project, source_id: int, start: int, end: int, codes: tuple[str, ...], *,
              reviewer: str) -> SpanResult:
    """Code the span `text[start:end]` of a source: an excerpt with exactly these offsets gets the codes added; any
    other span becomes a new excerpt (key `<source>:<turn>.s<N>`) verified with the codes (none: it waits in the
    review queue). One transaction."""
    _reviewer(reviewer)
    project.codebook.check(list(codes))
    source = _source(project, source_id)
    text = str(source["text"])
    start, end = _trimmed(text, start, end)
    existing = next((r for r in repo.source_excerpts(project.store, source_id)
                     if r["start"] == start and r["end"] == end), None)
    with project.store.transaction():
        if existing is not None:
            excerpt_id, key, created = int(existing["excerpt_id"]), str(existing["key"]), False
        else:
            excerpt_id, key = _new_excerpt(project, source, start, end, reviewer)
            created = True
        batch = [Decision(excerpt_id, reviewer, "add" if not created else "set", tuple(sorted(codes)))] \
            if codes else []
        decisions.append(project.store, batch, known_codes=project.codebook.ids)
    return SpanResult(excerpt_id, key, created, len(batch))


def adjust_excerpt(project: Project, excerpt_id: int, start: int, end: int, *, reviewer: str) -> dict[str, Any]:
    """Move an excerpt's boundaries inside its source; its labels and decisions stay with it, the old offsets are
    kept in the edit log. Returns the excerpt as it now reads."""
    _reviewer(reviewer)
    row = repo.excerpt_row(project.store, excerpt_id)
    if row is None:
        raise ReviewError(f"no excerpt with id {excerpt_id}")
    text = str(_source(project, int(row["source_id"]))["text"])
    start, end = _trimmed(text, start, end)
    with project.store.transaction():
        repo.move_excerpt(project.store, excerpt_id, start, end, text[start:end], reviewer)
    return repo.excerpt_row(project.store, excerpt_id) or {}


def _new_excerpt(project: Project, source: dict[str, Any], start: int, end: int, reviewer: str) -> tuple[int, str]:
    units = repo.source_units(project.store, int(source["source_id"]))
    text = str(source["text"])
    before = [u for u in units if u["start"] <= start]
    unit = before[-1] if before else None
    number = int(unit["idx"]) if unit else 0
    speaker = unit["speaker"] if unit and end <= unit["end"] and not unit["is_interviewer"] else None
    asked = [u for u in units if u["is_interviewer"] and u["end"] <= start]
    context = text[asked[-1]["start"]:asked[-1]["end"]] if asked else None
    prefix = f"{source['name']}:{number:03d}.s"
    taken = repo.keys_like(project.store, int(source["source_id"]), prefix)
    n = 1 + max([int(k[len(prefix):]) for k in taken if k[len(prefix):].isdigit()], default=0)
    key = f"{prefix}{n}"
    excerpt_id = repo.add_span_excerpt(project.store, int(source["source_id"]), key, number, start, end,
                                       text[start:end], speaker, context, reviewer)
    return excerpt_id, key


def _source(project: Project, source_id: int) -> dict[str, Any]:
    source = repo.source_detail(project.store, source_id)
    if source is None:
        raise ReviewError(f"no source with id {source_id}")
    return source


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    if not 0 <= start < end <= len(text):
        raise ReviewError(f"the span {start}..{end} is outside the source (0..{len(text)})",
                          hint="select text inside the transcript")
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        raise ReviewError("the selected span holds only white space", hint="select some words")
    return start, end


def _reviewer(reviewer: str) -> None:
    if not reviewer.strip():
        raise ReviewError("a decision needs a reviewer name", hint="pick a name first")


def highlight(text: str, words: list[str]) -> list[tuple[str, bool]]:
    """`text` in pieces, True for each whole-word occurrence (any case) of one of `words` (a suggestion's reasons),
    so a shell can mark them; joined, the pieces give `text` back."""
    wanted = sorted({w for w in words if w.strip()}, key=len, reverse=True)
    if not wanted:
        return [(text, False)]
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in wanted) + r")(?!\w)", re.IGNORECASE)
    pieces: list[tuple[str, bool]] = []
    last = 0
    for match in pattern.finditer(text):
        if match.start() > last:
            pieces.append((text[last:match.start()], False))
        pieces.append((match.group(0), True))
        last = match.end()
    if last < len(text):
        pieces.append((text[last:], False))
    return pieces


def previous_turn(project: Project, excerpt_id: int) -> str | None:
    """The turn before the excerpt's question (the informant's previous answer), for context in review."""
    row = repo.excerpt_row(project.store, excerpt_id)
    if row is None:
        return None
    units = repo.source_units(project.store, int(row["source_id"]))
    earlier = [u for u in units if u["end"] <= int(row["start"]) and not u["is_interviewer"]]
    if not earlier:
        return None
    text = str((repo.source_detail(project.store, int(row["source_id"])) or {}).get("text", ""))
    return text[earlier[-1]["start"]:earlier[-1]["end"]]
