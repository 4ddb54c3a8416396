"""The project as a REFI-QDA `.qdpx` (QDA-XML project 1.0): sources, codebook, cases, codings, notes.

- Sources: one `<TextSource>` per current source, its plain text in `Sources/<guid>.txt` (UTF-8, LF line ends:
  the normalised text every offset points into, pseudonymised unless real names were asked for; offsets are
  carried through the pseudonymisation, so each selection still covers exactly its excerpt).
- Codings: one `<PlainTextSelection>` per coded excerpt (named by its key, offsets in characters, end exclusive)
  holding one `<Coding>` per code. Verified codes are coded by the reviewer whose decision gave them; machine
  suggestions (for excerpts nobody has verified yet) by the user MACHINE_USER.
- Cases: one per informant, with the variables role, site and method, referring to the informant's sources.
- Notes: the triangulation verdict of each judged code, referenced from the code.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.codebook import Codebook
from pipeline.export.privacy import Pseudonymiser
from pipeline.export.refi import MACHINE_USER, ORIGIN, PROJECT_NS, codes_element, guid, tag, to_bytes, xml_text

VARIABLES = ("role", "site", "method")


@dataclass(frozen=True)
class QdpxInputs:
    """sources: [source_id, name, method, informant, site, date, text, sha256, ingested_at] (current versions);
    excerpts: [excerpt_id, key, source_id, start, end, text]; codings: [excerpt_id, code, user, created_at]
    (user = reviewer, or MACHINE_USER for suggestions); informants: [id, role, site, real_name];
    notes: code id -> triangulation note text (user, created_at in `note_meta`)."""

    project: str
    codebook: Codebook
    sources: pd.DataFrame
    excerpts: pd.DataFrame
    codings: pd.DataFrame
    informants: pd.DataFrame
    notes: dict[str, str]
    note_meta: dict[str, tuple[str, str]]
    created: str


def _n(name: str) -> str:
    return tag(PROJECT_NS, name)


def build_qdpx(inputs: QdpxInputs, privacy: Pseudonymiser) -> tuple[bytes, dict[str, str]]:
    """(project.qde bytes, {zip member: plain text}) — also checked by the tests against the schema."""
    ET.register_namespace("", PROJECT_NS)
    users = _users(inputs, privacy)
    root = ET.Element(_n("Project"), name=privacy.text(inputs.project), origin=ORIGIN,
                      creatingUserGUID=users[MACHINE_USER], creationDateTime=inputs.created)
    users_element = ET.SubElement(root, _n("Users"))
    for name, user_guid in users.items():
        ET.SubElement(users_element, _n("User"), guid=user_guid, name=name)
    codebook_element = ET.SubElement(root, _n("CodeBook"))
    note_guids = {code: guid("note", "triangulation", code) for code in inputs.notes}
    extra = tuple(sorted(set(inputs.codings["code"]) - set(inputs.codebook.ids)))
    codes_element(codebook_element, PROJECT_NS, inputs.codebook, note_refs=note_guids, extra=extra)
    _variables(root, privacy)
    _cases(root, inputs, privacy)
    sources_element = ET.SubElement(root, _n("Sources"))
    files = {}
    for source in inputs.sources.itertuples(index=False):
        member, text = _source(sources_element, source, inputs, users, privacy)
        files[member] = text
    if inputs.notes:
        notes_element = ET.SubElement(root, _n("Notes"))
        for code, text in inputs.notes.items():
            reviewer, created = inputs.note_meta.get(code, (MACHINE_USER, inputs.created))
            note = ET.SubElement(notes_element, _n("Note"), guid=note_guids[code], name=f"Triangulasi {code}",
                                 creatingUser=users.get(privacy.text(reviewer), users[MACHINE_USER]),
                                 creationDateTime=created)
            ET.SubElement(note, _n("PlainTextContent")).text = xml_text(privacy.text(text))
    return to_bytes(root), files


def write_qdpx(path: str | Path, inputs: QdpxInputs, privacy: Pseudonymiser) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    project, files = build_qdpx(inputs, privacy)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", project)
        for member, text in files.items():
            archive.writestr(member, text.encode("utf-8"))
    return path


def _users(inputs: QdpxInputs, privacy: Pseudonymiser) -> dict[str, str]:
    names = [MACHINE_USER, *sorted(set(inputs.codings["user"]) - {MACHINE_USER}),
             *sorted({reviewer for reviewer, _ in inputs.note_meta.values()})]
    return {privacy.text(n): guid("user", privacy.text(n)) for n in dict.fromkeys(names)}


def _variables(root: ET.Element, privacy: Pseudonymiser) -> None:
    element = ET.SubElement(root, _n("Variables"))
    names = VARIABLES if privacy.enabled else (*VARIABLES, "real_name")
    for name in names:
        ET.SubElement(element, _n("Variable"), guid=guid("variable", name), name=name, typeOfVariable="Text")


def _cases(root: ET.Element, inputs: QdpxInputs, privacy: Pseudonymiser) -> None:
    sources = inputs.sources.dropna(subset=["informant"])
    if sources.empty:
        return
    element = ET.SubElement(root, _n("Cases"))
    informants = inputs.informants.set_index("id")
    for informant, own in sources.groupby("informant", sort=True):
        case = ET.SubElement(element, _n("Case"), guid=guid("case", informant), name=str(informant))
        known = informants.loc[informant] if informant in informants.index else None
        values = {"role": None if known is None else known["role"], "site": own["site"].dropna().iloc[0]
                  if own["site"].notna().any() else (None if known is None else known["site"]),
                  "method": ", ".join(dict.fromkeys(own["method"]))}
        if not privacy.enabled and known is not None:
            values["real_name"] = known["real_name"]
        for name, value in values.items():
            if value is None or pd.isna(value) or str(value) == "":
                continue
            item = ET.SubElement(case, _n("VariableValue"))
            ET.SubElement(item, _n("VariableRef"), targetGUID=guid("variable", name))
            ET.SubElement(item, _n("TextValue")).text = xml_text(privacy.text(str(value)))
        for source in own.itertuples(index=False):
            ET.SubElement(case, _n("SourceRef"), targetGUID=_source_guid(source))


def _source_guid(source: Any) -> str:
    return guid("source", source.name, source.sha256)


def _source(parent: ET.Element, source: Any, inputs: QdpxInputs, users: dict[str, str],
            privacy: Pseudonymiser) -> tuple[str, str]:
    source_guid = _source_guid(source)
    text, offsets = privacy.text_with_map(str(source.text))
    element = ET.SubElement(parent, _n("TextSource"), guid=source_guid, name=str(source.name),
                            plainTextPath=f"internal://{source_guid}.txt", creatingUser=users[MACHINE_USER],
                            creationDateTime=str(source.ingested_at))
    about = [f"method: {source.method}"] + [f"{k}: {getattr(source, k)}" for k in ("informant", "site", "date")
                                            if getattr(source, k) is not None and not pd.isna(getattr(source, k))]
    ET.SubElement(element, _n("Description")).text = xml_text(privacy.text("; ".join(about)))
    excerpts = inputs.excerpts[inputs.excerpts["source_id"] == source.source_id]
    codings = inputs.codings.merge(excerpts[["excerpt_id", "key", "start", "end"]], on="excerpt_id")
    for (key, start, end), group in codings.groupby(["key", "start", "end"], sort=False):
        new_start, new_end = offsets.span(int(start), int(end))
        selection = ET.SubElement(element, _n("PlainTextSelection"), guid=guid("selection", source_guid, key),
                                  name=str(key), startPosition=str(new_start), endPosition=str(new_end),
                                  creatingUser=users[MACHINE_USER])
        for row in group.itertuples(index=False):
            user = privacy.text(str(row.user))
            attributes = {"guid": guid("coding", source_guid, key, row.code, user), "creatingUser": users[user]}
            if isinstance(row.created_at, str) and row.created_at:
                attributes["creationDateTime"] = row.created_at
            coding = ET.SubElement(selection, _n("Coding"), attrib=attributes)
            ET.SubElement(coding, _n("CodeRef"), targetGUID=guid("code", row.code))
    return f"Sources/{source_guid}.txt", text
