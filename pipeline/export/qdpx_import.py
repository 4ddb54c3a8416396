"""Codings and notes made in another QDA tool (or exported by reduksi) come in as decisions: the plan.

`plan(...)` maps a read QDPX onto the project's excerpts without writing; `pipeline.app.imports` stores it.

Mapping, per coding:
1. its source -> a project source: by name (file extension and case ignored), else by the SHA-256 of the text
   with LF line ends (sources that match neither are added to the project first, by the app layer);
2. its offsets -> the project source's text: positions are read as code points, UTF-16 code units (NVivo) or
   UTF-8 bytes, with CRLF counted as two characters or one (ATLAS.ti) — whichever reading makes the source's
   selections fit the text best (in range, matching the selection names, on word boundaries); then through an
   alignment of the two texts, so a copy with pseudonyms or small edits still lands on the same words;
3. the range -> excerpts: an excerpt takes the code when the range covers at least half of the excerpt, or the
   excerpt holds at least half of the range. Text outside any excerpt is counted and reported;
4. the code -> a codebook id: by GUID when the file's codebook was imported with it, else by name (the id, the
   name, "ID name" / "ID: name", ignoring case). Two codes with one name and different GUIDs are reported.

Decisions, per excerpt and coder (the coding's user, or `reviewer` when given), dated as the file dates them:
`set` the coder's codes when the coder has no labels on the excerpt yet, else `add` the codes missing (so
importing a file twice adds nothing). Notes written by reduksi come back as what they were (`qdpx_notes`):
rejections as `reject`, review notes as `note`, "no code" as an empty `set`, triangulation verdicts as verdicts;
another tool's note on a selection becomes a `note` decision, a note on a code, a source or the project a memo.
Machine suggestions (users named for a model version) are not verified labels: skipped.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pipeline.codebook import Codebook
from pipeline.decision_log import Decision
from pipeline.export.offsets import Chain, align
from pipeline.export.positions import candidates
from pipeline.export.qdpx_read import QdaCoding, QdaProject, QdaSource
from pipeline.export.refi import is_machine, utc

_EXTENSIONS = (".txt", ".md", ".docx", ".doc", ".rtf", ".odt", ".pdf", ".vtt", ".srt", ".csv", ".xlsx", ".html")
_ORDER = {"set": 0, "add": 0, "reject": 1, "note": 2}


@dataclass
class ImportReport:
    file: str
    sources: int = 0
    codings: int = 0  # codings read (text sources only)
    imported: int = 0  # codings that reached at least one excerpt with a known code
    decisions: int = 0
    excerpts: int = 0
    machine_skipped: int = 0
    outside_excerpts: int = 0
    unknown_codes: dict[str, int] = field(default_factory=dict)
    unmatched_sources: list[str] = field(default_factory=list)
    skipped_sources: list[str] = field(default_factory=list)
    line_ends: dict[str, str] = field(default_factory=dict)  # source -> "lf", "crlf=2" or "crlf=1"
    positions: dict[str, str] = field(default_factory=dict)  # source -> "codepoints", "utf16" or "utf8"
    duplicate_codes: dict[str, int] = field(default_factory=dict)  # name -> codes (GUIDs) sharing it
    sources_added: list[str] = field(default_factory=list)
    codebook: str | None = None  # "name (version): N codes" when the file's codebook came in
    renamed_codes: dict[str, str] = field(default_factory=dict)
    verifications: dict[str, int] = field(default_factory=dict)  # coder -> (excerpt, code) pairs placed
    notes: int = 0  # notes read
    notes_placed: int = 0
    notes_skipped: dict[str, int] = field(default_factory=dict)  # reason -> notes
    verdicts: int = 0
    memos: int = 0
    codes_by_guid: bool = False  # codes mapped by GUID (the file's codebook came in), not by name

    def problems(self) -> list[str]:
        """What stops an import unless `skip_unknown`: unknown codes, unmatched sources, ambiguous code names."""
        found = [f"unknown code '{name}' ({n} coding(s))" for name, n in self.unknown_codes.items()]
        found += [f"no matching source for '{name}'" for name in self.unmatched_sources]
        found += [f"{n} codes named '{name}' with different GUIDs would become one code" for name, n in
                  self.duplicate_codes.items() if not self.codes_by_guid]
        return found

    def warnings(self) -> list[str]:
        """Everything else that was not placed, and why."""
        found = [f"{name} is not a text source; skipped" for name in self.skipped_sources]
        found += [f"{n} note(s) skipped: {reason}" for reason, n in self.notes_skipped.items()]
        if self.outside_excerpts:
            found.append(f"{self.outside_excerpts} coding(s) outside any excerpt (e.g. interviewer questions)")
        if self.codes_by_guid:
            found += [f"{n} codes named '{name}' with different GUIDs kept apart" for name, n in
                      self.duplicate_codes.items()]
            found += [f"code '{name}' is {code_id} in the codebook" for name, code_id in self.renamed_codes.items()]
        return found


@dataclass(frozen=True)
class Verdict:
    code: str
    status: str
    reviewer: str
    note: str
    created_at: str | None


@dataclass(frozen=True)
class ImportedMemo:
    """A note on the project, a source (by project source name) or a code (by id)."""

    target_kind: str
    target: str
    title: str
    text: str
    author: str
    created_at: str | None


@dataclass(frozen=True)
class ImportPlan:
    report: ImportReport
    decisions: list[Decision]
    verdicts: list[Verdict]
    memos: list[ImportedMemo] = field(default_factory=list)


@dataclass(frozen=True)
class ProjectView:
    """What the plan needs of the project: excerpts, source texts by name, the codebook, each reviewer's labels,
    the (excerpt, reviewer, action, codes, note) of logged rejections and notes, and the current verdicts."""

    excerpts: pd.DataFrame
    texts: dict[str, str]
    codebook: Codebook
    by_reviewer: dict[str, dict[int, frozenset[str]]]
    logged: frozenset[tuple[int, str, str, tuple[str, ...], str | None]] = frozenset()
    verdicts: dict[str, tuple[str, str]] = field(default_factory=dict)  # code -> (status, note)
    memos: frozenset[tuple[str, str, str, str]] = frozenset()  # (kind, target, title, text) of stored memos


def plan(project: QdaProject, file_name: str, view: ProjectView, reviewer: str | None = None,
         code_ids: dict[str, str] | None = None) -> ImportPlan:
    """The report, decisions and verdicts an import would write (nothing is written here)."""
    from pipeline.export.qdpx_import_notes import place_notes

    report = ImportReport(file_name, sources=len(project.sources), skipped_sources=list(project.skipped))
    codes = _code_map(project, view.codebook, code_ids, report)
    placer = Placer(view.excerpts, view.texts)
    wanted: dict[tuple[int, str], set[str]] = defaultdict(set)
    times: dict[tuple[int, str], str] = {}
    unknown: Counter[str] = Counter()
    for source in project.sources:
        target = placer.match(source, report)
        for coding in source.codings if target else ():
            report.codings += 1
            user = project.users.get(coding.user or "", "")
            if is_machine(user):
                report.machine_skipped += 1
                continue
            code = codes.get(coding.code)
            if code is None:
                unknown[project.codes.get(coding.code, coding.code)] += 1
                continue
            hits = placer.hits(source, coding.start, coding.end)
            report.imported += bool(hits)
            report.outside_excerpts += not hits
            for excerpt_id in hits:
                key = (excerpt_id, reviewer or user or "qdpx")
                wanted[key].add(code)
                times[key] = max(times.get(key, ""), utc(coding.created) or "")
    notes, verdicts, memos = place_notes(project, placer, view, codes, reviewer, report, wanted, times, unknown)
    report.unknown_codes = dict(sorted(unknown.items()))
    batch = _label_decisions(wanted, times, view.by_reviewer, file_name, report) + notes
    batch.sort(key=lambda d: (d.created_at or "~", _ORDER.get(d.action, 3)))
    report.excerpts = len({d.excerpt_id for d in batch})
    return ImportPlan(report, batch, verdicts, memos)


class Placer:
    """Sources matched to the project, their offset maps, and the excerpts a range falls on."""

    def __init__(self, excerpts: pd.DataFrame, texts: dict[str, str]) -> None:
        self.excerpts = excerpts
        self.texts = texts
        self.by_name = {_stem(name): name for name in texts}
        self.by_hash = {text_hash(text): name for name, text in texts.items()}
        self.targets: dict[str, tuple[str, Chain]] = {}  # source GUID or name -> (project source, offset map)
        self.selections: dict[str, tuple[QdaSource, int, int, str | None]] = {}

    def match(self, source: QdaSource, report: ImportReport) -> str | None:
        target = self.by_name.get(_stem(source.name)) or self.by_hash.get(text_hash(source.text))
        if target is None:
            if source.codings:
                report.unmatched_sources.append(source.name)
            return None
        offsets, report.line_ends[source.name], report.positions[source.name] = source_offsets(
            source, self.texts[target])
        self.targets[source.guid or source.name] = (target, offsets)
        for selection, start, end, user in source.selections:
            self.selections[selection] = (source, start, end, user)
        return target

    def hits(self, source: QdaSource, start: int, end: int) -> list[int]:
        target, offsets = self.targets[source.guid or source.name]
        own = self.excerpts[self.excerpts["source"] == target]
        return covered_excerpts(own, *offsets.span(start, end))


def source_offsets(source: QdaSource, project_text: str) -> tuple[Chain, str, str]:
    """The map from the file's positions to the project text, how line ends were counted and which units."""
    best = None
    for units, line_ends, normalised, reading in candidates(source.text):
        score = _fit(source.codings, normalised, reading)
        if best is None or score > best[0]:
            best = (score, units, line_ends, normalised, reading)
    assert best is not None
    _, units, line_ends, normalised, reading = best
    return Chain((*reading.maps, align(normalised, project_text))), line_ends, units


def covered_excerpts(excerpts: pd.DataFrame, start: int, end: int) -> list[int]:
    """Excerpts (of one source) that a coded range [start, end) covers by at least half, or that hold at least
    half of the range."""
    if end <= start or excerpts.empty:
        return []
    starts, ends = excerpts["start"].to_numpy(), excerpts["end"].to_numpy()
    overlap = np.minimum(ends, end) - np.maximum(starts, start)
    hit = (overlap > 0) & ((overlap * 2 >= ends - starts) | (overlap * 2 >= end - start))
    return [int(x) for x in excerpts["excerpt_id"].to_numpy()[hit]]


def code_lookup(codebook: Codebook) -> dict[str, str]:
    """Folded code name -> code id: the id, the name, and "ID name" / "ID: name" / "ID - name"."""
    lookup: dict[str, str] = {}
    for code in codebook.codes:
        for form in (code.name, f"{code.id} {code.name}", f"{code.id}: {code.name}", f"{code.id} - {code.name}",
                     f"{code.id} – {code.name}", code.id):
            lookup[fold(form)] = code.id
    return lookup


def _code_map(project: QdaProject, codebook: Codebook, code_ids: dict[str, str] | None,
              report: ImportReport) -> dict[str, str]:
    """Code GUID -> codebook id (codes that map to nothing are absent); shared names reported."""
    tree = project.code_tree or ()
    names = Counter(fold(c.name) for c in tree if c.codable)
    report.duplicate_codes = {c.name: names[fold(c.name)] for c in tree if c.codable and names[fold(c.name)] > 1}
    if code_ids is not None:
        report.codes_by_guid = True
        return dict(code_ids)
    lookup = code_lookup(codebook)
    return {identity: lookup[fold(name)] for identity, name in project.codes.items() if fold(name) in lookup}


def _label_decisions(wanted: dict[tuple[int, str], set[str]], times: dict[tuple[int, str], str],
                     by_reviewer: dict[str, dict[int, frozenset[str]]], file_name: str,
                     report: ImportReport) -> list[Decision]:
    batch = []
    for (excerpt_id, coder), codes in sorted(wanted.items()):
        own = by_reviewer.get(coder, {}).get(excerpt_id)
        action, new = ("set", sorted(codes)) if own is None else ("add", sorted(codes - own))
        if action == "add" and not new:
            continue
        report.verifications[coder] = report.verifications.get(coder, 0) + len(new)
        batch.append(Decision(excerpt_id=excerpt_id, reviewer=coder, action=action, codes=tuple(new),
                              note=f"imported from {file_name}", origin="qdpx",
                              created_at=times.get((excerpt_id, coder)) or None))
    return batch


def _fit(codings: tuple[QdaCoding, ...], text: str, offsets: Chain) -> float:
    """How well the codings fit `text` when read through `offsets`: out of range is fatal; a selection name that
    matches the selected text, and ranges on word boundaries, count for it."""
    score = 0.0
    for coding in codings:
        if coding.end > offsets.a_len:
            return float("-inf")
        start, end = offsets.span(coding.start, coding.end)
        selected = text[start:end]
        name = " ".join((coding.selection_name or "").split())[:40]
        if name and " ".join(selected.split()).startswith(name):
            score += 3
        score += _boundary(text, start) + _boundary(text, end)
    return score


def _boundary(text: str, position: int) -> int:
    if position <= 0 or position >= len(text):
        return 1
    return int(not (text[position - 1].isalnum() and text[position].isalnum()))


def _stem(name: str) -> str:
    folded = name.strip().casefold()
    for extension in _EXTENSIONS:
        if folded.endswith(extension):
            return folded[: -len(extension)]
    return folded


def text_hash(text: str) -> str:
    """SHA-256 of a text with LF line ends, NFC: how an imported source is matched to a project source."""
    normalised = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def fold(name: str) -> str:
    return " ".join(name.split()).casefold()
