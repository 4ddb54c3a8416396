"""Codings made in another QDA tool come in as verified labels (`reduksi import PROJECT FILE.qdpx`): the plan.

`plan(...)` maps a read QDPX onto the project's excerpts without writing; `pipeline.app.imports` stores it.

Mapping, per coding:
1. its source -> a project source: by name (file extension and case ignored), else by the SHA-256 of the text
   with LF line ends;
2. its offsets -> the project source's text: when the file's text has CRLF line ends, the offsets are read as
   counting "\\r\\n" as two characters or as one (ATLAS.ti) — whichever makes the source's selections fit the text
   (in range, matching the selection names, starting and ending at word boundaries); then through an alignment of
   the two texts, so a copy with pseudonyms or small edits still lands on the same words;
3. the range -> excerpts: an excerpt takes the code when the range covers at least half of the excerpt, or the
   excerpt holds at least half of the range (a phrase coded inside a turn counts; a range grazing the next turn
   does not). Text outside any excerpt (interviewer questions, headings) is counted and reported.
4. code names -> codebook ids: the id, the name, or "ID name" / "ID: name", ignoring case.

Decisions: one `add` decision (origin 'qdpx') per excerpt and coder, with the codes the excerpt does not already
hold (so importing the same file twice adds nothing), the coder being the coding's user in the file (or
`reviewer` when given). Codings by MACHINE_USER (reduksi's own suggestions) are not verified labels and are
skipped. Everything is checked before anything is written, and written in one transaction; unknown codes or
unmatched sources stop the import unless `skip_unknown` is set.
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
from pipeline.export.offsets import Chain, OffsetMap, align, crlf_map
from pipeline.export.qdpx_read import QdaCoding, QdaProject, QdaSource
from pipeline.export.refi import MACHINE_USER

_EXTENSIONS = (".txt", ".md", ".docx", ".doc", ".rtf", ".odt", ".pdf", ".vtt", ".srt", ".csv", ".xlsx", ".html")


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


def plan(project: QdaProject, file_name: str, excerpts: pd.DataFrame, texts: dict[str, str], codebook: Codebook,
         current: dict[int, frozenset[str]], reviewer: str | None = None
         ) -> tuple[ImportReport, list[Decision]]:
    """The report and the decisions an import would append (nothing is written here)."""
    report = ImportReport(file_name, sources=len(project.sources), skipped_sources=list(project.skipped))
    lookup = code_lookup(codebook)
    by_name = {_stem(name): name for name in texts}
    by_hash = {_hash(text): name for name, text in texts.items()}
    wanted: dict[tuple[int, str], set[str]] = defaultdict(set)
    unknown: Counter[str] = Counter()
    for source in project.sources:
        target = by_name.get(_stem(source.name)) or by_hash.get(_hash(source.text))
        if target is None:
            if source.codings:
                report.unmatched_sources.append(source.name)
            continue
        offsets, report.line_ends[source.name] = source_offsets(source, texts[target])
        own = excerpts[excerpts["source"] == target]
        for coding in source.codings:
            report.codings += 1
            user = project.users.get(coding.user or "", "")
            if user == MACHINE_USER:
                report.machine_skipped += 1
                continue
            name = project.codes.get(coding.code, coding.code)
            code = lookup.get(_fold(name))
            if code is None:
                unknown[name] += 1
                continue
            hits = covered_excerpts(own, *offsets.span(coding.start, coding.end))
            if not hits:
                report.outside_excerpts += 1
                continue
            report.imported += 1
            for excerpt_id in hits:
                wanted[(excerpt_id, reviewer or user or "qdpx")].add(code)
    report.unknown_codes = dict(sorted(unknown.items()))
    batch = _decisions(wanted, current, file_name)
    report.excerpts = len({d.excerpt_id for d in batch})
    return report, batch


def source_offsets(source: QdaSource, project_text: str) -> tuple[Chain, str]:
    """The map from the file's offsets to the project text, and how line ends were counted."""
    text = source.text
    if "\r" not in text:
        return Chain((align(text, project_text),)), "lf"
    normalised, two = crlf_map(text)
    one = OffsetMap.identity(len(normalised))
    if _fit(source.codings, normalised, two) >= _fit(source.codings, normalised, one):
        return Chain((two, align(normalised, project_text))), "crlf=2"
    return Chain((one, align(normalised, project_text))), "crlf=1"


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
            lookup[_fold(form)] = code.id
    return lookup


def _decisions(wanted: dict[tuple[int, str], set[str]], current: dict[int, frozenset[str]],
               file_name: str) -> list[Decision]:
    batch = []
    for (excerpt_id, coder), codes in sorted(wanted.items()):
        new = sorted(codes - set(current.get(excerpt_id, frozenset())))
        if new:
            batch.append(Decision(excerpt_id=excerpt_id, reviewer=coder, action="add", codes=tuple(new),
                                            note=f"imported from {file_name}", origin="qdpx"))
    return batch


def _fit(codings: tuple[QdaCoding, ...], text: str, offsets: OffsetMap) -> float:
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


def _hash(text: str) -> str:
    normalised = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()
