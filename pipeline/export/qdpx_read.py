"""Read a REFI-QDA `.qdpx` written by NVivo, ATLAS.ti, MAXQDA, QualCoder or reduksi: users, the code tree, text
sources with their codings and descriptions, notes and what they point at, and the cases' variables, as plain
records. Mapping them onto a project is `qdpx_import`'s job; the codebook is `codebook_io`'s.

Known traps handled here: the sources folder spelled `Sources/` or `sources/` (or any case); `plainTextPath` as
`internal://` (inside the zip), `relative://` (beside the project's `basePath` or the .qdpx file), `absolute://`
or `file://`; the text inline as `<PlainTextContent>`; GUIDs with or without braces, in any case; text files in
UTF-8 (with or without BOM), UTF-16 or Windows-1252. Line ends are kept as written: whether a tool counted CRLF
as one character or two is decided per source when the offsets are mapped.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # types only: parsing goes through defusedxml (refi_xml.parse_xml)
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from pipeline.errors import ExportError
from pipeline.export.refi_xml import QdaCode, children, code_tree, descendants, local, norm_guid, parse_xml, text_of

_SKIPPED_SOURCES = ("PDFSource", "PictureSource", "AudioSource", "VideoSource")
# An untrusted archive: no member may unpack to more than this, nor the whole to more than the total, nor
# compress better than the ratio (a zip bomb does all three).
MAX_MEMBER_BYTES = 256 * 1024**2
MAX_TOTAL_BYTES = 1024**3
MAX_RATIO = 200


@dataclass(frozen=True)
class QdaCoding:
    start: int
    end: int
    code: str  # code GUID (normalised)
    user: str | None  # user GUID (normalised) or None
    selection_name: str | None = None  # tools often store the selected text (or its start) here
    selection: str = ""  # the selection's GUID (notes point at it)
    created: str | None = None  # the coding's creationDateTime, as written


@dataclass(frozen=True)
class QdaSource:
    name: str
    text: str  # as written in the file (line ends not normalised)
    codings: tuple[QdaCoding, ...]
    guid: str = ""
    description: str = ""
    selections: tuple[tuple[str, int, int, str | None], ...] = ()  # (GUID, start, end, user GUID), codings or not


@dataclass(frozen=True)
class QdaNote:
    guid: str
    name: str
    user: str | None  # user GUID
    created: str | None
    description: str
    text: str
    targets: tuple[tuple[str, str], ...]  # ("selection" | "code" | "source" | "project", GUID or "")


@dataclass(frozen=True)
class QdaProject:
    users: dict[str, str]  # GUID -> name
    codes: dict[str, str]  # GUID -> name
    sources: tuple[QdaSource, ...]
    skipped: tuple[str, ...]  # sources of other kinds (PDF, picture, audio, video) that were not read
    code_tree: tuple[QdaCode, ...] = ()
    notes: tuple[QdaNote, ...] = ()
    cases: dict[str, dict[str, str]] = field(default_factory=dict)  # source GUID -> {case, role, site, method}


def read_qdpx(path: str | Path) -> QdaProject:
    path = Path(path)
    archive = _open(path)
    with archive:
        check_archive(archive, path)
        root = _project_root(archive, path)
        base_path = root.get("basePath") or ""
        users = {norm_guid(e.get("guid")): e.get("name") or e.get("id") or norm_guid(e.get("guid"))
                 for e in descendants(root, "User")}
        tree = code_tree(root)
        sources, skipped = [], []
        containers = [c for c in root if local(c.tag).lower() == "sources"]  # notes are TextSources too: skip
        for element in (e for container in containers for e in container):
            name = local(element.tag)
            if name == "TextSource":
                sources.append(_text_source(element, _source_text(element, archive, path, base_path)))
            elif name in _SKIPPED_SOURCES:
                skipped.append(f"{element.get('name') or element.get('guid')} ({name})")
    return QdaProject(users, {c.guid: c.name for c in tree}, tuple(sources), tuple(skipped), tree,
                      _notes(root), _cases(root))


def _text_source(element: ET.Element, text: str) -> QdaSource:
    selections = tuple((norm_guid(s.get("guid")), *_positions(s, element), _user(s.get("creatingUser")))
                       for s in children(element, "PlainTextSelection"))
    return QdaSource(element.get("name") or norm_guid(element.get("guid")), text,
                     tuple(_codings(element, len(text))), norm_guid(element.get("guid")),
                     text_of(element, "Description"), selections)


def _user(value: str | None) -> str | None:
    return norm_guid(value) if value else None


def _notes(root: ET.Element) -> tuple[QdaNote, ...]:
    """Every `<Note>` with the things that point at it (`<NoteRef>` inside a selection, code, source, project)."""
    targets: dict[str, list[tuple[str, str]]] = {}
    kinds = {"PlainTextSelection": "selection", "Code": "code", "TextSource": "source", "Project": "project",
             "Coding": "coding"}
    for holder in root.iter():
        kind = kinds.get(local(holder.tag))
        if kind is None:
            continue
        for ref in children(holder, "NoteRef"):
            target = "" if kind == "project" else norm_guid(holder.get("guid"))
            targets.setdefault(norm_guid(ref.get("targetGUID")), []).append((kind, target))
    notes = []
    for container in children(root, "Notes"):
        for note in children(container, "Note"):
            identity = norm_guid(note.get("guid"))
            notes.append(QdaNote(identity, note.get("name") or "", _user(note.get("creatingUser")),
                                 note.get("creationDateTime"), text_of(note, "Description"),
                                 (children(note, "PlainTextContent") or [ET.Element("x")])[0].text or "",
                                 tuple(targets.get(identity, ()))))
    return tuple(notes)


def _cases(root: ET.Element) -> dict[str, dict[str, str]]:
    """Source GUID -> the case that refers to it (its name as `case`) and the case's text variables."""
    variables = {norm_guid(v.get("guid")): (v.get("name") or "").strip().lower()
                 for v in descendants(root, "Variable")}
    found: dict[str, dict[str, str]] = {}
    for case in descendants(root, "Case"):
        values = {"case": (case.get("name") or "").strip()}
        for item in children(case, "VariableValue"):
            refs = children(item, "VariableRef")
            name = variables.get(norm_guid(refs[0].get("targetGUID")), "") if refs else ""
            value = text_of(item, "TextValue")
            if name and value:
                values[name] = value
        for ref in children(case, "SourceRef"):
            found.setdefault(norm_guid(ref.get("targetGUID")), values)
    return found


def project_root(path: str | Path) -> ET.Element:
    """The checked, safely parsed `project.qde` of a `.qdpx` (for its codebook alone)."""
    path = Path(path)
    with _open(path) as archive:
        check_archive(archive, path)
        return _project_root(archive, path)


def _open(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except FileNotFoundError:
        raise ExportError("file not found", file=path) from None
    except zipfile.BadZipFile:
        raise ExportError("not a .qdpx file (not a zip archive)", file=path) from None


def check_archive(archive: zipfile.ZipFile, path: Path) -> None:
    """Refuse members whose names climb out of the archive or are absolute, and archives that unpack too large."""
    total = 0
    for member in archive.infolist():
        name = PurePosixPath(member.filename.replace("\\", "/"))
        if name.is_absolute() or ".." in name.parts or member.filename[1:2] == ":":
            raise ExportError(f"member '{member.filename}' points outside the archive", file=path)
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES or (
                ratio > MAX_RATIO and member.file_size > 1024**2):
            raise ExportError(f"member '{member.filename}' unpacks to {member.file_size:,} bytes (ratio "
                              f"{ratio:.0f}); refusing what looks like a zip bomb", file=path)


def _project_root(archive: zipfile.ZipFile, path: Path) -> ET.Element:
    candidates = [n for n in archive.namelist() if n.lower().endswith(".qde")]
    if not candidates:
        raise ExportError("no project.qde inside", file=path, hint="is this a REFI-QDA project export (.qdpx)?")
    chosen = sorted(candidates, key=lambda n: (n.lower() != "project.qde", n.count("/"), n))[0]
    return parse_xml(archive.read(chosen), f"{path}:{chosen}")


def _codings(source: ET.Element, length: int) -> list[QdaCoding]:
    found = []
    for child in source:
        kind = local(child.tag)
        if kind == "Coding":  # a coding of the whole source
            found += _coding(child, (0, length), None, None, "")
        elif kind == "PlainTextSelection":
            for coding in children(child, "Coding"):
                found += _coding(coding, _positions(child, source), child.get("creatingUser"), child.get("name"),
                                 norm_guid(child.get("guid")))
    return found


def _positions(selection: ET.Element, source: ET.Element) -> tuple[int, int]:
    try:
        start, end = int(selection.get("startPosition", "")), int(selection.get("endPosition", ""))
    except ValueError:
        raise ExportError(f"selection {selection.get('guid')} of source '{source.get('name')}' has no whole-"
                          f"number startPosition/endPosition") from None
    return min(start, end), max(start, end)


def _coding(coding: ET.Element, span: tuple[int, int], selection_user: str | None, name: str | None,
            selection: str) -> list[QdaCoding]:
    user = _user(coding.get("creatingUser") or selection_user)
    return [QdaCoding(*span, norm_guid(ref.get("targetGUID")), user, name, selection,
                      coding.get("creationDateTime")) for ref in children(coding, "CodeRef")]


def _source_text(element: ET.Element, archive: zipfile.ZipFile, qdpx: Path, base_path: str) -> str:
    inline = [c for c in element if local(c.tag) == "PlainTextContent"]
    if inline and inline[0].text is not None:
        return inline[0].text
    location = element.get("plainTextPath")
    if not location:
        raise ExportError(f"source '{element.get('name')}' has neither plain text nor plainTextPath", file=qdpx)
    return decode(_read_location(location, archive, qdpx, base_path), f"{qdpx}:{location}")


def _read_location(location: str, archive: zipfile.ZipFile, qdpx: Path, base_path: str) -> bytes:
    scheme, _, rest = location.partition("://")
    if not _:
        scheme, rest = "", location
    rest = unquote(rest).replace("\\", "/")
    scheme = scheme.lower()
    if scheme in ("internal", ""):
        data = _member(archive, rest)
        if data is not None:
            return data
    if scheme in ("relative", ""):
        for folder in (Path(base_path.replace("\\", "/")) if base_path else None, qdpx.parent):
            if folder is not None and _inside(folder, rest) and (folder / rest).is_file():
                return (folder / rest).read_bytes()
        data = _member(archive, rest)
        if data is not None:
            return data
    if scheme in ("absolute", "file"):
        candidate = Path(rest[1:] if rest[2:3] == ":" else rest)  # file:///C:/x -> C:/x
        if candidate.is_file():
            return candidate.read_bytes()
    raise ExportError(f"source text '{location}' not found", file=qdpx,
                      hint="internal:// files live in the zip's Sources/ folder; relative:// beside the project")


def _inside(folder: Path, relative: str) -> bool:
    """A relative:// path may not climb out of its folder ("../../etc/passwd")."""
    return (folder / relative).resolve().is_relative_to(folder.resolve())


def _member(archive: zipfile.ZipFile, relative: str) -> bytes | None:
    """A zip member by name, in `Sources/`, `sources/` (any case) or anywhere, matching case-insensitively."""
    wanted = relative.lstrip("/").lower()
    names = {n.lower(): n for n in archive.namelist()}
    for candidate in (wanted, f"sources/{wanted}"):
        if candidate in names:
            return archive.read(names[candidate])
    tail = "/" + wanted.rsplit("/", 1)[-1]
    matches = [n for low, n in names.items() if low.endswith(tail)]
    return archive.read(matches[0]) if len(matches) == 1 else None


def decode(data: bytes, where: str = "") -> str:
    """Text of a source file: BOM-marked UTF-8/UTF-16, else UTF-8, else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")
