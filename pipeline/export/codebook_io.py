"""A codebook from another tool (a `.qdc`, or the `<CodeBook>` of a `.qdpx`) as a reduksi codebook.

The REFI-QDA tree becomes themes and codes: a top-level code with children is a theme (its codable descendants,
at any depth, are its codes, and it is a code itself when codable); top-level codes without children go under
one theme, "UMUM". Code ids follow the codebook's rule (THEME-NAME, upper case, dash-separated): a name that
already is such an id is kept (reduksi's own exports name codes by id), otherwise the id is the theme's initials
and the name folded to ASCII (`KP-PENGELOLAAN-KELAS`); a clash gets `-2`, `-3` (reported, never merged). Two
codes with the same name but different GUIDs stay two codes, and the report says so. A description written by
reduksi (labelled lines) gives back definition, include, exclude and examples; any other description is the
definition. The original GUIDs and colours are kept under `refi:` so the next export reuses them.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pipeline.codebook import CODE_ID, Codebook, parse_codebook
from pipeline.errors import ExportError
from pipeline.export.qdpx_notes import VERDICT_LABELS
from pipeline.export.refi import LABELS
from pipeline.export.refi_xml import QdaCode, code_tree, local, parse_xml, read_file

GENERAL_THEME = ("UMUM", "Kode tanpa tema")
_VERSION = re.compile(r"buku kode:?\s+(.+?)\s+\(?versi\s+([0-9a-f]{12})", re.IGNORECASE)


@dataclass
class CodebookImport:
    codebook: Codebook
    yaml_text: str
    ids: dict[str, str]  # code GUID -> code id
    renamed: dict[str, str] = field(default_factory=dict)  # "name (GUID)" -> id, where the id is not the name
    duplicates: dict[str, int] = field(default_factory=dict)  # code name -> how many codes (different GUIDs) have it
    source_version: str | None = None  # the version a reduksi export named


def read_codebook_file(path: str | Path) -> tuple[tuple[QdaCode, ...], str]:
    """The code tree and the name of a `.qdc` or of the codebook inside a `.qdpx` (read safely)."""
    from pipeline.export.qdpx_read import project_root  # a .qdpx is a checked zip

    path = Path(path)
    if path.suffix.lower() == ".qdpx":
        root = project_root(path)
        about = " ".join((c.text or "") for c in root if local(c.tag) == "Description")
        label = f"{root.get('name') or path.stem} {about}"
    elif path.suffix.lower() == ".qdc":
        root = parse_xml(read_file(path), path)
        label = f"{path.stem} {root.get('origin') or ''}"
    else:
        raise ExportError("not a REFI-QDA codebook (.qdc) or project (.qdpx)", file=path)
    tree = code_tree(root)
    if not tree:
        raise ExportError("holds no codes", file=path, hint="export the codebook again from the other tool")
    return tree, label


def codebook_from_tree(tree: tuple[QdaCode, ...], label: str, where: str | Path) -> CodebookImport:
    """The reduksi codebook of a REFI-QDA code tree (validated by `parse_codebook`), with its YAML text."""
    kids: dict[str | None, list[QdaCode]] = {}
    for code in tree:
        kids.setdefault(code.parent, []).append(code)
    groups: list[tuple[QdaCode | None, list[QdaCode]]] = []
    loose = [c for c in kids.get(None, []) if not kids.get(c.guid)]
    for top in (c for c in kids.get(None, []) if kids.get(c.guid)):
        members = ([top] if top.codable else []) + [c for c in _below(top, kids) if c.codable]
        groups.append((top, members))
    if loose:
        groups.append((None, [c for c in loose if c.codable]))
    found = re.search(_VERSION, label)
    result = _build([g for g in groups if g[1]], found.group(1).strip() if found else label.split()[0], where)
    result.source_version = found.group(2) if found else None
    names = Counter(_fold(c.name) for c in tree if c.codable)
    result.duplicates = {c.name: names[_fold(c.name)] for c in tree if c.codable and names[_fold(c.name)] > 1}
    return result


def _below(code: QdaCode, kids: dict[str | None, list[QdaCode]]) -> list[QdaCode]:
    found = []
    for child in kids.get(code.guid, []):
        found.append(child)
        found += _below(child, kids)
    return found


def _build(groups: list[tuple[QdaCode | None, list[QdaCode]]], name: str, where: str | Path) -> CodebookImport:
    themes: list[dict[str, Any]] = []
    ids: dict[str, str] = {}
    renamed: dict[str, str] = {}
    meta: dict[str, dict[str, str]] = {"guids": {}, "colours": {}}
    for top, members in groups:
        theme_id, theme_name = _theme(top, {t["id"] for t in themes})
        if top is not None:
            meta["guids"][theme_id] = top.guid
            _colour(meta, theme_id, top.color)
        codes = []
        for code in members:
            code_id = _unique(_code_id(code.name, theme_id), set(ids.values()))
            ids[code.guid] = code_id
            if code_id != code.name:
                renamed[f"{code.name} ({code.guid})"] = code_id
            meta["guids"][code_id] = code.guid
            _colour(meta, code_id, code.color)
            codes.append({"id": code_id, **_fields(code)})
        themes.append({"id": theme_id, "name": theme_name, "codes": codes})
    data = {"name": name, "themes": themes, "refi": meta}
    text = ("# Imported from a REFI-QDA codebook by `reduksi codebook import`; `refi:` keeps the other tool's\n"
            "# GUIDs and colours for the next export.\n"
            + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110))
    codebook = parse_codebook(yaml.safe_load(text), path=where, content=text)
    return CodebookImport(codebook, text, ids, renamed)


def _theme(top: QdaCode | None, taken: set[str]) -> tuple[str, str]:
    if top is None:
        return _unique(GENERAL_THEME[0], taken), GENERAL_THEME[1]
    head, _, rest = top.name.partition(" ")
    if re.fullmatch(r"[A-Z][A-Z0-9]*", head) and rest.strip():  # reduksi's "KP Pengelolaan kelas"
        return _unique(head, taken), (top.description or rest).strip()
    initials = "".join(word[0] for word in _ascii(top.name).split() if word[0].isalnum()) or "T"
    theme_id = initials if initials[0].isalpha() else f"T{initials}"
    return _unique(theme_id[:6], taken), top.name.strip() or theme_id


def _code_id(name: str, theme_id: str) -> str:
    if CODE_ID.match(name):
        return name
    words = re.findall(r"[A-Z0-9]+", _ascii(name))
    slug = "-".join(words)[:40].strip("-") or "KODE"
    return slug if CODE_ID.match(slug) and slug.split("-")[0] == theme_id else f"{theme_id}-{slug}"


def _unique(value: str, taken: set[str]) -> str:
    candidate, n = value, 1
    while candidate in taken:
        n += 1
        candidate = f"{value}-{n}"
    taken.add(candidate)
    return candidate


def _fields(code: QdaCode) -> dict[str, Any]:
    """name, definition, include, exclude, examples from a description (reduksi's labelled lines, or free text)."""
    lines = code.description.splitlines()
    labels = {f"{label}:": key for key, label in LABELS.items()}
    labelled = any(line.startswith(tuple(labels)) for line in lines[1:])
    if not labelled:
        return {"name": code.name, "definition": code.description.strip() or code.name}
    values: dict[str, list[str]] = {}
    current = None
    for line in lines[1:]:
        if line.startswith(VERDICT_LABELS):  # a triangulation verdict a .qdc appends: not the codebook's
            break
        prefix = next((p for p in labels if line.startswith(p)), None)
        if prefix is not None:
            current = labels[prefix]
            values[current] = [line[len(prefix):].strip()]
        elif current is not None and current != "examples":
            values[current].append(line)
    fields: dict[str, Any] = {"name": lines[0].strip() or code.name,
                              "definition": "\n".join(values.get("definition", [])).strip() or code.name}
    for key in ("include", "exclude"):
        if key in values:
            fields[key] = "\n".join(values[key]).strip()
    if "examples" in values:
        fields["examples"] = [e.strip() for e in values["examples"][0].split(" | ") if e.strip()]
    return fields


def _colour(meta: dict[str, dict[str, str]], key: str, colour: str | None) -> None:
    if colour and re.fullmatch(r"#[0-9A-Fa-f]{6}", colour):
        meta["colours"][key] = colour.lower()
    elif colour and re.fullmatch(r"#[0-9A-Fa-f]{3}", colour):
        meta["colours"][key] = "#" + "".join(c * 2 for c in colour[1:]).lower()


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").upper()


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()
