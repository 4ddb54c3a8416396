"""Read a REFI-QDA `.qdpx` written by NVivo, ATLAS.ti, MAXQDA, QualCoder or reduksi: users, codes, text sources
and their codings, as plain records. Mapping them onto a project is `qdpx_import`'s job.

Known traps handled here: the sources folder spelled `Sources/` or `sources/` (or any case); `plainTextPath` as
`internal://` (inside the zip), `relative://` (beside the project's `basePath` or the .qdpx file), `absolute://`
or `file://`; the text inline as `<PlainTextContent>`; GUIDs with or without braces, in any case; text files in
UTF-8 (with or without BOM), UTF-16 or Windows-1252. Line ends are kept as written: whether a tool counted CRLF
as one character or two is decided per source when the offsets are mapped.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # types only: parsing goes through defusedxml
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from pipeline.errors import ExportError

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


@dataclass(frozen=True)
class QdaSource:
    name: str
    text: str  # as written in the file (line ends not normalised)
    codings: tuple[QdaCoding, ...]


@dataclass(frozen=True)
class QdaProject:
    users: dict[str, str]  # GUID -> name
    codes: dict[str, str]  # GUID -> name
    sources: tuple[QdaSource, ...]
    skipped: tuple[str, ...]  # sources of other kinds (PDF, picture, audio, video) that were not read


def read_qdpx(path: str | Path) -> QdaProject:
    path = Path(path)
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise ExportError("file not found", file=path) from None
    except zipfile.BadZipFile:
        raise ExportError("not a .qdpx file (not a zip archive)", file=path) from None
    with archive:
        check_archive(archive, path)
        root = _project_root(archive, path)
        base_path = root.get("basePath") or ""
        users = {_guid(e.get("guid")): e.get("name") or e.get("id") or _guid(e.get("guid"))
                 for e in _all(root, "User")}
        codes = {_guid(e.get("guid")): (e.get("name") or "").strip() for e in _all(root, "Code")}
        sources, skipped = [], []
        containers = [c for c in root if _local(c.tag).lower() == "sources"]  # notes are TextSources too: skip
        for element in (e for container in containers for e in container):
            name = _local(element.tag)
            if name == "TextSource":
                text = _source_text(element, archive, path, base_path)
                sources.append(QdaSource(element.get("name") or _guid(element.get("guid")), text,
                                         tuple(_codings(element, len(text)))))
            elif name in _SKIPPED_SOURCES:
                skipped.append(f"{element.get('name') or element.get('guid')} ({name})")
    return QdaProject(users, codes, tuple(sources), tuple(skipped))


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
    try:
        root: ET.Element = fromstring(archive.read(chosen), forbid_dtd=True)
    except ET.ParseError as exc:
        raise ExportError(f"{chosen} is not well-formed XML: {exc}", file=path) from None
    except DefusedXmlException as exc:
        raise ExportError(f"{chosen} declares a DTD or entities, which a REFI-QDA project never needs: {exc}",
                          file=path) from None
    return root


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _all(root: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in root.iter() if _local(e.tag) == name]


def _guid(value: str | None) -> str:
    return (value or "").strip().strip("{}").lower()


def _codings(source: ET.Element, length: int) -> list[QdaCoding]:
    found = []
    for child in source:
        kind = _local(child.tag)
        if kind == "Coding":  # a coding of the whole source
            found += _coding(child, 0, length, None, None)
        elif kind == "PlainTextSelection":
            try:
                start, end = int(child.get("startPosition", "")), int(child.get("endPosition", ""))
            except ValueError:
                raise ExportError(f"selection {child.get('guid')} of source '{source.get('name')}' has no whole-"
                                  f"number startPosition/endPosition") from None
            for coding in (c for c in child if _local(c.tag) == "Coding"):
                found += _coding(coding, start, end, child.get("creatingUser"), child.get("name"))
    return found


def _coding(coding: ET.Element, start: int, end: int, selection_user: str | None,
            name: str | None) -> list[QdaCoding]:
    refs = [c for c in coding if _local(c.tag) == "CodeRef"]
    user = coding.get("creatingUser") or selection_user
    return [QdaCoding(min(start, end), max(start, end), _guid(ref.get("targetGUID")), _guid(user) if user else None,
                      name) for ref in refs]


def _source_text(element: ET.Element, archive: zipfile.ZipFile, qdpx: Path, base_path: str) -> str:
    inline = [c for c in element if _local(c.tag) == "PlainTextContent"]
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
