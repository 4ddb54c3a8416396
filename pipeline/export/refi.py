"""What the REFI-QDA writers and the reader share: namespaces, stable GUIDs, the machine user, the codebook tree.

QDA-XML 1.0 (www.qdasoftware.org): a `.qdpx` is a zip holding `project.qde` (namespace PROJECT_NS) and a
`Sources/` folder of plain-text files; a `.qdc` is a codebook alone (namespace CODEBOOK_NS). GUIDs are derived
from what they identify (uuid5), so exporting the same project twice gives the same identities.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET

import pipeline
from pipeline.codebook import Code, Codebook

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
MACHINE_USER = "reduksi-suggester"  # a <Coding> has no confidence: machine suggestions get their own user
ORIGIN = f"reduksi {getattr(pipeline, '__version__', '0.1.0')}"
_NAMESPACE = uuid.UUID("6f1d7a52-2b53-4c77-9a55-8c3c1f0d4e21")
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
THEME_COLOURS = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7")


def guid(kind: str, *identity: object) -> str:
    """A stable GUID for one thing of a kind, e.g. guid("code", "KP-KELAS")."""
    return str(uuid.uuid5(_NAMESPACE, ":".join([kind, *map(str, identity)])))


def xml_text(value: object) -> str:
    """Text that XML 1.0 can hold: control characters (a stray form feed from a .docx) are dropped."""
    return _NOT_XML.sub("", str(value))


def tag(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


def codes_element(parent: ET.Element, namespace: str, codebook: Codebook,
                  notes: dict[str, str] | None = None, note_refs: dict[str, str] | None = None,
                  extra: tuple[str, ...] = ()) -> ET.Element:
    """`<Codes>` under `parent`: one non-codable code per theme holding its codable codes.

    A code's name is its id (what `reduksi import` maps back by); its description holds the name, definition
    and include/exclude notes, plus `notes[code]` (the triangulation verdict). `note_refs[code]` (project only)
    points the code at a `<Note>`. `extra`: codes used in the project but absent from the codebook (e.g. from
    an older codebook), kept under a theme of their own rather than dropped.
    """
    codes = ET.SubElement(parent, tag(namespace, "Codes"))
    if extra:
        other = ET.SubElement(codes, tag(namespace, "Code"), guid=guid("theme", "(extra)"),
                              name="Di luar buku kode", isCodable="false", color="#999999")
        for code_id in extra:
            element = ET.SubElement(other, tag(namespace, "Code"), guid=guid("code", code_id), name=code_id,
                                    isCodable="true", color="#999999")
            if note_refs and code_id in note_refs:
                ET.SubElement(element, tag(namespace, "NoteRef"), targetGUID=note_refs[code_id])
    for index, theme in enumerate(codebook.themes):
        colour = THEME_COLOURS[index % len(THEME_COLOURS)]
        theme_element = ET.SubElement(codes, tag(namespace, "Code"), guid=guid("theme", theme.id),
                                      name=f"{theme.id} {theme.name}", isCodable="false", color=colour)
        ET.SubElement(theme_element, tag(namespace, "Description")).text = xml_text(theme.name)
        for code in (c for c in codebook.codes if c.theme == theme.id):
            element = ET.SubElement(theme_element, tag(namespace, "Code"), guid=guid("code", code.id),
                                    name=code.id, isCodable="true", color=colour)
            ET.SubElement(element, tag(namespace, "Description")).text = xml_text(
                describe(code, (notes or {}).get(code.id)))
            if note_refs and code.id in note_refs:
                ET.SubElement(element, tag(namespace, "NoteRef"), targetGUID=note_refs[code.id])
    return codes


def describe(code: Code, note: str | None = None) -> str:
    parts = [f"{code.name}. {code.definition}"]
    if code.include:
        parts.append(f"Termasuk: {code.include}")
    if code.exclude:
        parts.append(f"Tidak termasuk: {code.exclude}")
    if note:
        parts.append(note)
    return "\n".join(parts)


def to_bytes(root: ET.Element) -> bytes:
    ET.indent(root, space=" ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
