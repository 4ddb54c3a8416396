"""Sources of an imported QDPX that the project does not have yet: their plain text as files and manifest rows.

A source matches a project source by name (extension and case ignored) or by the SHA-256 of its text (LF line
ends, NFC); the others are written to `PROJECT/imported/<name>.txt` (LF line ends, so the text ingest stores is the
text the file's offsets count in) and ingested with what the file says of them: method, informant, site and date
from reduksi's own source description, role, site and method from the case that refers to the source; an unknown
method becomes `dokumen` (paragraphs). Names are cut to safe file names; nothing is written outside the folder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.export.qdpx_import import _stem, text_hash
from pipeline.export.qdpx_read import QdaProject, QdaSource
from pipeline.records import METHODS, SourceMeta

IMPORTED_FOLDER = "imported"


@dataclass(frozen=True)
class NewSource:
    source: QdaSource
    file_name: str  # <safe stem>.txt
    meta: dict[str, str | None]  # method, informant, role, site, date


def new_sources(project: QdaProject, texts: dict[str, str]) -> list[NewSource]:
    """The file's text sources that match no project source, with safe, unique file names."""
    names = {_stem(name) for name in texts}
    hashes = {text_hash(text) for text in texts.values()}
    found: list[NewSource] = []
    for source in project.sources:
        if _stem(source.name) in names or text_hash(source.text) in hashes:
            continue
        stem = _unique(_safe(_stem_keep_case(source.name)) or f"sumber-{source.guid[:8]}", names)
        hashes.add(text_hash(source.text))
        found.append(NewSource(source, f"{stem}.txt", _meta(source, project.cases.get(source.guid, {}))))
    return found


def write_sources(folder: Path, sources: list[NewSource]) -> list[SourceMeta]:
    """Write each new source's text under `folder/imported/` and return its manifest row."""
    target = folder / IMPORTED_FOLDER
    target.mkdir(parents=True, exist_ok=True)
    metas = []
    for new in sources:
        path = target / new.file_name
        path.write_text(new.source.text.replace("\r\n", "\n").replace("\r", "\n"), encoding="utf-8")
        metas.append(SourceMeta(path=str(path), method=str(new.meta["method"]), informant=new.meta["informant"],
                                role=new.meta["role"], site=new.meta["site"], date=new.meta["date"]))
    return metas


def _meta(source: QdaSource, case: dict[str, str]) -> dict[str, str | None]:
    about = dict(part.split(": ", 1) for part in source.description.split("; ") if ": " in part)
    method = about.get("method") or case.get("method", "").split(",")[0].strip()
    informant = about.get("informant") or case.get("case") or None
    if informant is not None:
        informant = _safe(informant) or None
    if method not in METHODS:
        method = "dokumen"
    if method == "wawancara" and informant is None:
        method = "dokumen"  # an interview needs an informant; without one, its text is read as paragraphs
    return {"method": method, "informant": informant, "role": case.get("role"),
            "site": about.get("site") or case.get("site"), "date": about.get("date")}


def _stem_keep_case(name: str) -> str:
    stem = _stem(name)
    return name.strip()[: len(stem)]


def _safe(name: str) -> str:
    return re.sub(r"[^\w-]+", "-", name).strip("-_")[:80]


def _unique(stem: str, taken: set[str]) -> str:
    candidate, n = stem, 1
    while candidate.casefold() in taken:
        n += 1
        candidate = f"{stem}-{n}"
    taken.add(candidate.casefold())
    return candidate
