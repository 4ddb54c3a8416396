"""Untrusted REFI-QDA XML, read safely: defusedxml (no DTD, no entities), size limits, namespace-blind names,
GUIDs normalised; and the code tree every `.qde` and `.qdc` holds.

Tools differ in small ways handled here: GUIDs with or without braces, in any case; namespaces omitted or
prefixed; colours as `#rgb` or `#rrggbb`; codes nested to any depth.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # types only: parsing goes through defusedxml
from dataclasses import dataclass
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from pipeline.errors import ExportError

MAX_XML_BYTES = 256 * 1024**2


@dataclass(frozen=True)
class QdaCode:
    guid: str  # normalised
    name: str
    codable: bool
    color: str | None
    description: str
    parent: str | None  # the enclosing code's GUID


def parse_xml(data: bytes, where: str | Path) -> ET.Element:
    """The root element of untrusted XML; a DTD or entity, or malformed XML, is a one-line error."""
    if len(data) > MAX_XML_BYTES:
        raise ExportError(f"{len(data):,} bytes of XML is more than a REFI-QDA file needs; refusing it", file=where)
    try:
        root: ET.Element = fromstring(data, forbid_dtd=True)
    except ET.ParseError as exc:
        raise ExportError(f"not well-formed XML: {exc}", file=where) from None
    except DefusedXmlException as exc:
        raise ExportError(f"declares a DTD or entities, which a REFI-QDA file never needs: {exc}",
                          file=where) from None
    return root


def read_file(path: Path) -> bytes:
    """A file's bytes, refusing what is too large to be a REFI-QDA codebook or project."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ExportError("file not found", file=path) from None
    if size > MAX_XML_BYTES:
        raise ExportError(f"{size:,} bytes is more than a REFI-QDA file needs; refusing it", file=path)
    return path.read_bytes()


def local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def children(element: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in element if local(c.tag) == name]


def descendants(root: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in root.iter() if local(e.tag) == name]


def norm_guid(value: str | None) -> str:
    return (value or "").strip().strip("{}").lower()


def text_of(element: ET.Element, name: str) -> str:
    found = children(element, name)
    return (found[0].text or "").strip() if found else ""


def code_tree(root: ET.Element) -> tuple[QdaCode, ...]:
    """Every `<Code>` under the `<Codes>` of a project's `<CodeBook>` or a `.qdc` root, parents first."""
    books = [root] if local(root.tag) == "CodeBook" else descendants(root, "CodeBook")
    found: list[QdaCode] = []
    for book in books:
        for codes in children(book, "Codes"):
            for code in children(codes, "Code"):
                _walk(code, None, found)
    return tuple(found)


def _walk(element: ET.Element, parent: str | None, found: list[QdaCode]) -> None:
    identity = norm_guid(element.get("guid"))
    colour = (element.get("color") or "").strip() or None
    found.append(QdaCode(identity, (element.get("name") or "").strip(),
                         (element.get("isCodable") or "true").strip().lower() in ("true", "1"), colour,
                         text_of(element, "Description"), parent))
    for child in children(element, "Code"):
        _walk(child, identity, found)
