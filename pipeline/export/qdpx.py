"""The project as a REFI-QDA `.qdpx` (QDA-XML project 1.0): sources, codebook, cases, codings, notes.

- Sources: one `<TextSource>` per current source, its plain text in `sources/<guid>.txt` (UTF-8, LF line ends:
  the normalised text every offset points into, pseudonymised unless real names were asked for; offsets are
  carried through the pseudonymisation, so each selection still covers exactly its excerpt). Positions count
  Unicode code points, as the standard says.
- Codings: one `<PlainTextSelection>` per coded excerpt and coder (named by the excerpt's key, end exclusive),
  created by that coder and holding one `<Coding>` per code, created by the same coder: every reviewer's own
  verified codes come out under the reviewer's `<User>` (so a tool that credits the selection's creator, as
  QualCoder does, credits the reviewer). Open suggestions (excerpts nobody has verified) belong to a user named
  for the model version (`model_user`), their probabilities and reasons in the selection's `<Description>`.
- Notes: rejections, review notes and "verified with no code" on the reviewer's selection of the excerpt;
  triangulation verdicts and memos on the code; memos on a source or the project there. Each note's
  `<Description>` starts with a line reduksi reads back (`reduksi:reject KP-A KP-B`, `reduksi:note`,
  `reduksi:none`, `reduksi:triangulation CODE STATUS`, `reduksi:memo`).
- Cases: one per informant, with the variables role, site and method, referring to the informant's sources.
- Dates are UTC with `Z`; the project's `<Description>` names the codebook and its version.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.codebook import Codebook
from pipeline.export.privacy import Pseudonymiser
from pipeline.export.refi import (
    ORIGIN,
    PROJECT_NS,
    SOURCES_FOLDER,
    TOOL_USER,
    code_guids,
    codes_element,
    guid,
    tag,
    to_bytes,
    utc,
    xml_text,
)

VARIABLES = ("role", "site", "method")
Target = tuple[Any, ...]  # ("selection", excerpt id, user) | ("code", code id) | ("source", name) | ("project",)


@dataclass(frozen=True)
class NoteSpec:
    """One `<Note>`: `kind` is the first line of its description (what reduksi reads back), `text` its content."""

    guid: str
    name: str
    kind: str
    text: str
    user: str
    created: str | None
    target: Target


@dataclass(frozen=True)
class QdpxInputs:
    """sources: [source_id, name, method, informant, site, date, text, sha256, ingested_at] (current versions);
    excerpts: [excerpt_id, key, source_id, start, end, text]; codings: [excerpt_id, code, user, created_at]
    (user = the reviewer, or `model_user(version)` for suggestions); informants: [id, role, site, real_name];
    descriptions: (excerpt id, user) -> the selection's description (a suggestion's probability and reasons)."""

    project: str
    codebook: Codebook
    sources: pd.DataFrame
    excerpts: pd.DataFrame
    codings: pd.DataFrame
    informants: pd.DataFrame
    notes: tuple[NoteSpec, ...]
    created: str
    descriptions: dict[tuple[int, str], str] = field(default_factory=dict)


def _n(name: str) -> str:
    return tag(PROJECT_NS, name)


def build_qdpx(inputs: QdpxInputs, privacy: Pseudonymiser) -> tuple[bytes, dict[str, str]]:
    """(project.qde bytes, {zip member: plain text}) — also checked by the tests against the schema."""
    ET.register_namespace("", PROJECT_NS)
    users = _users(inputs)
    root = ET.Element(_n("Project"), name=privacy.text(inputs.project), origin=ORIGIN,
                      creatingUserGUID=users[TOOL_USER], creationDateTime=utc(inputs.created) or "")
    users_element = ET.SubElement(root, _n("Users"))
    for name, user_guid in users.items():
        ET.SubElement(users_element, _n("User"), guid=user_guid, name=name)
    codebook_element = ET.SubElement(root, _n("CodeBook"))
    code_notes: dict[str, list[str]] = {}
    for note in (n for n in inputs.notes if n.target[0] == "code"):
        code_notes.setdefault(str(note.target[1]), []).append(note.guid)
    extra = tuple(sorted(set(inputs.codings["code"]) - set(inputs.codebook.ids)))
    codes_element(codebook_element, PROJECT_NS, inputs.codebook, note_refs=code_notes, extra=extra)
    _variables(root, privacy)
    _cases(root, inputs, privacy)
    sources_element = ET.SubElement(root, _n("Sources"))
    files = {}
    context = _Context(inputs, users, privacy, code_guids(inputs.codebook, extra))
    for source in inputs.sources.itertuples(index=False):
        member, text = _source(sources_element, source, context)
        files[member] = text
    if inputs.notes:
        _notes(root, inputs.notes, users, privacy)
    codebook = inputs.codebook
    ET.SubElement(root, _n("Description")).text = xml_text(
        f"Buku kode: {codebook.name or 'reduksi'} (versi {codebook.version}); diekspor oleh {ORIGIN}")
    for note in (n for n in inputs.notes if n.target[0] == "project"):
        ET.SubElement(root, _n("NoteRef"), targetGUID=note.guid)
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


@dataclass(frozen=True)
class _Context:
    inputs: QdpxInputs
    users: dict[str, str]  # user name (as written) -> GUID
    privacy: Pseudonymiser
    codes: dict[str, str]  # code id -> GUID


def _users(inputs: QdpxInputs) -> dict[str, str]:
    """One `<User>` per reviewer and model version; the GUID depends on the name only (stable across exports).
    Reviewers are the research team, not informants: their names are not pseudonymised (a reviewer who shares a
    first name with an informant would otherwise come back as someone else)."""
    names = [TOOL_USER, *sorted(set(inputs.codings["user"])), *sorted({n.user for n in inputs.notes}),
             *sorted({user for _, user in inputs.descriptions})]
    return {str(n): guid("user", n) for n in dict.fromkeys(names)}


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


def _source(parent: ET.Element, source: Any, context: _Context) -> tuple[str, str]:
    inputs, privacy = context.inputs, context.privacy
    source_guid = _source_guid(source)
    text, offsets = privacy.text_with_map(str(source.text))
    attributes = {"guid": source_guid, "name": str(source.name),
                  "plainTextPath": f"internal://{source_guid}.txt", "creatingUser": context.users[TOOL_USER]}
    created = utc(source.ingested_at)
    if created:
        attributes["creationDateTime"] = created
    element = ET.SubElement(parent, _n("TextSource"), attrib=attributes)
    about = [f"method: {source.method}"] + [f"{k}: {getattr(source, k)}" for k in ("informant", "site", "date")
                                            if getattr(source, k) is not None and not pd.isna(getattr(source, k))]
    ET.SubElement(element, _n("Description")).text = xml_text(privacy.text("; ".join(about)))
    excerpts = inputs.excerpts[inputs.excerpts["source_id"] == source.source_id]
    for excerpt_id, key, start, end, user, codings in _selections(inputs, excerpts):
        new_start, new_end = offsets.span(int(start), int(end))
        _selection(element, context, (source_guid, excerpt_id, str(key), new_start, new_end), user, codings)
    for note in (n for n in inputs.notes if n.target == ("source", str(source.name))):
        ET.SubElement(element, _n("NoteRef"), targetGUID=note.guid)
    return f"{SOURCES_FOLDER}/{source_guid}.txt", text


def _selections(inputs: QdpxInputs, excerpts: pd.DataFrame) -> list[tuple[int, str, int, int, str, list[Any]]]:
    """(excerpt id, key, start, end, user, codings) per excerpt and coder, in excerpt order: every pair that has
    a coding, a note or a description."""
    by_pair: dict[tuple[int, str], list[Any]] = defaultdict(list)
    for row in inputs.codings[inputs.codings["excerpt_id"].isin(set(excerpts["excerpt_id"]))].itertuples(
            index=False):
        by_pair[(int(row.excerpt_id), str(row.user))].append(row)
    for note in inputs.notes:
        if note.target[0] == "selection":
            by_pair.setdefault((int(note.target[1]), str(note.target[2])), [])
    for pair in inputs.descriptions:
        by_pair.setdefault(pair, [])
    found = []
    for row in excerpts.itertuples(index=False):
        for (excerpt_id, user), codings in sorted((p, c) for p, c in by_pair.items() if p[0] == row.excerpt_id):
            found.append((excerpt_id, str(row.key), int(row.start), int(row.end), user, codings))
    return found


def _selection(parent: ET.Element, context: _Context, where: tuple[str, int, str, int, int], user: str,
               codings: list[Any]) -> None:
    source_guid, excerpt_id, key, start, end = where
    name = user
    times = sorted(t for t in (utc(c.created_at) for c in codings) if t)
    attributes = {"guid": guid("selection", source_guid, key, name), "name": key, "startPosition": str(start),
                  "endPosition": str(end), "creatingUser": context.users[name]}
    if times:
        attributes["creationDateTime"] = times[0]
    selection = ET.SubElement(parent, _n("PlainTextSelection"), attrib=attributes)
    description = context.inputs.descriptions.get((excerpt_id, user))
    if description:
        ET.SubElement(selection, _n("Description")).text = xml_text(context.privacy.terms(description))
    for row in sorted(codings, key=lambda c: str(c.code)):
        coding_attributes = {"guid": guid("coding", source_guid, key, row.code, name),
                             "creatingUser": context.users[name]}
        created = utc(row.created_at)
        if created:
            coding_attributes["creationDateTime"] = created
        coding = ET.SubElement(selection, _n("Coding"), attrib=coding_attributes)
        ET.SubElement(coding, _n("CodeRef"), targetGUID=context.codes[str(row.code)])
    for note in context.inputs.notes:
        if note.target[0] == "selection" and (int(note.target[1]), str(note.target[2])) == (excerpt_id, user):
            ET.SubElement(selection, _n("NoteRef"), targetGUID=note.guid)


def _notes(root: ET.Element, notes: tuple[NoteSpec, ...], users: dict[str, str], privacy: Pseudonymiser) -> None:
    element = ET.SubElement(root, _n("Notes"))
    for note in notes:
        attributes = {"guid": note.guid, "name": xml_text(privacy.text(note.name)),
                      "creatingUser": users[note.user]}
        created = utc(note.created)
        if created:
            attributes["creationDateTime"] = created
        item = ET.SubElement(element, _n("Note"), attrib=attributes)
        ET.SubElement(item, _n("Description")).text = xml_text(note.kind)
        ET.SubElement(item, _n("PlainTextContent")).text = xml_text(privacy.text(note.text))
