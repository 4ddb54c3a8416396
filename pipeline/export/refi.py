"""What the REFI-QDA writers and the readers share: namespaces, stable GUIDs, users, dates, the codebook tree.

QDA-XML 1.0 (www.qdasoftware.org): a `.qdpx` is a zip holding `project.qde` (namespace PROJECT_NS) and a
`sources/` folder of plain-text files (the standard's spelling; readers that follow it look there); a `.qdc` is a
codebook alone (namespace CODEBOOK_NS). GUIDs are derived from what they identify (uuid5), so exporting the same
project twice gives the same identities. A codebook that came in from another tool keeps that tool's GUIDs and
colours (the `refi:` mapping `codebook_io` writes into the project's codebook.yaml).
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from typing import Any

import yaml

import pipeline
from pipeline.codebook import Code, Codebook

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
TOOL_USER = "reduksi"  # creates the project and its sources
MACHINE_USER = "reduksi-suggester"  # a <Coding> has no confidence: each model version is a user of its own
SOURCES_FOLDER = "sources"
ORIGIN = f"reduksi {getattr(pipeline, '__version__', '0.1.0')}"
_NAMESPACE = uuid.UUID("6f1d7a52-2b53-4c77-9a55-8c3c1f0d4e21")
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
THEME_COLOURS = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7")
# Labelled lines of a code's <Description> (what `codebook_io` reads back into definition, include, exclude,
# examples); a tool that shows descriptions shows them as written.
LABELS = {"definition": "Definisi", "include": "Termasuk", "exclude": "Tidak termasuk", "examples": "Contoh"}


def guid(kind: str, *identity: object) -> str:
    """A stable GUID for one thing of a kind, e.g. guid("code", "KP-KELAS")."""
    return str(uuid.uuid5(_NAMESPACE, ":".join([kind, *map(str, identity)])))


def model_user(model_version: str) -> str:
    """The user that holds one model version's suggestions, e.g. "reduksi-suggester codebook-1a2b3c4d5e6f"."""
    return f"{MACHINE_USER} {model_version}"


def is_machine(user_name: str) -> bool:
    """A user that holds machine suggestions (any model version), never a reviewer's verification."""
    return user_name == MACHINE_USER or user_name.startswith(MACHINE_USER + " ")


def utc(value: object) -> str | None:
    """An ISO date-time as xsd:dateTime in UTC with `Z` (a naive time is taken as UTC); None when unreadable."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def xml_text(value: object) -> str:
    """Text that XML 1.0 can hold: control characters (a stray form feed from a .docx) are dropped."""
    return _NOT_XML.sub("", str(value))


def tag(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


def codebook_meta(codebook: Codebook) -> dict[str, dict[str, str]]:
    """{"guids": {code or theme id: GUID}, "colours": {id: "#rrggbb"}} kept from another tool's codebook."""
    try:
        data: Any = yaml.safe_load(codebook.content) if codebook.content else None
    except yaml.YAMLError:
        return {}
    refi = data.get("refi") if isinstance(data, dict) else None
    if not isinstance(refi, dict):
        return {}
    return {key: {str(k): str(v) for k, v in value.items()} for key, value in refi.items() if isinstance(value, dict)}


def code_guids(codebook: Codebook, extra: tuple[str, ...] = ()) -> dict[str, str]:
    """Code id -> GUID: the one another tool gave it (kept in the codebook), else derived from the id."""
    kept = codebook_meta(codebook).get("guids", {})
    return {code_id: kept.get(code_id, guid("code", code_id)) for code_id in (*codebook.ids, *extra)}


def codes_element(parent: ET.Element, namespace: str, codebook: Codebook,
                  notes: dict[str, str] | None = None, note_refs: dict[str, list[str]] | None = None,
                  extra: tuple[str, ...] = ()) -> ET.Element:
    """`<Codes>` under `parent`: one non-codable code per theme holding its codable codes.

    A code's name is its id (what `reduksi import` maps back by); its description holds the name, then labelled
    lines (definition, include, exclude, examples), plus `notes[code]` (the triangulation verdict, codebook only).
    `note_refs[code]` (project only) points the code at its `<Note>`s. `extra`: codes used in the project but absent
    from the codebook (e.g. from an older codebook), kept under a theme of their own rather than dropped.
    """
    meta = codebook_meta(codebook)
    guids, colours = code_guids(codebook, extra), meta.get("colours", {})
    codes = ET.SubElement(parent, tag(namespace, "Codes"))
    if extra:
        other = ET.SubElement(codes, tag(namespace, "Code"), guid=guid("theme", "(extra)"),
                              name="Di luar buku kode", isCodable="false", color="#999999")
        for code_id in extra:
            element = ET.SubElement(other, tag(namespace, "Code"), guid=guids[code_id], name=code_id,
                                    isCodable="true", color="#999999")
            _note_ref(element, namespace, note_refs, code_id)
    for index, theme in enumerate(codebook.themes):
        colour = colours.get(theme.id, THEME_COLOURS[index % len(THEME_COLOURS)])
        theme_element = ET.SubElement(codes, tag(namespace, "Code"),
                                      guid=meta.get("guids", {}).get(theme.id, guid("theme", theme.id)),
                                      name=f"{theme.id} {theme.name}", isCodable="false", color=colour)
        ET.SubElement(theme_element, tag(namespace, "Description")).text = xml_text(theme.name)
        for code in (c for c in codebook.codes if c.theme == theme.id):
            element = ET.SubElement(theme_element, tag(namespace, "Code"), guid=guids[code.id],
                                    name=code.id, isCodable="true", color=colours.get(code.id, colour))
            ET.SubElement(element, tag(namespace, "Description")).text = xml_text(
                describe(code, (notes or {}).get(code.id)))
            _note_ref(element, namespace, note_refs, code.id)
    return codes


def _note_ref(element: ET.Element, namespace: str, note_refs: dict[str, list[str]] | None, code_id: str) -> None:
    for target in (note_refs or {}).get(code_id, ()):
        ET.SubElement(element, tag(namespace, "NoteRef"), targetGUID=target)


def describe(code: Code, note: str | None = None) -> str:
    parts = [code.name, f"{LABELS['definition']}: {code.definition}"]
    if code.include:
        parts.append(f"{LABELS['include']}: {code.include}")
    if code.exclude:
        parts.append(f"{LABELS['exclude']}: {code.exclude}")
    if code.examples:
        parts.append(f"{LABELS['examples']}: " + " | ".join(code.examples))
    if note:
        parts.append(note)
    return "\n".join(parts)


def to_bytes(root: ET.Element) -> bytes:
    ET.indent(root, space=" ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
