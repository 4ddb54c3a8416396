"""Changes to a codebook as plain data: each takes the codebook's YAML mapping and returns a new one (the input is
never modified). The result is validated by `parse_codebook` before anything is written; carrying verified labels
across a change is the decision log's job (`decision_log.translate`), not this module's."""

from __future__ import annotations

import copy
from typing import Any

import yaml

from pipeline.errors import CodebookError, UnknownCode

Data = dict[str, Any]
TEXT_FIELDS = ("name", "definition", "include", "exclude")


def dump(data: Data) -> str:
    """YAML as a researcher reads it: keys in their order, Indonesian letters as written."""
    return str(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110))


def _codes(data: Data) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [(theme, code) for theme in data.get("themes", []) for code in theme.get("codes", [])]


def _find(data: Data, code_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    for theme, code in _codes(data):
        if code.get("id") == code_id:
            return theme, code
    known = ", ".join(str(code.get("id")) for _, code in _codes(data))
    raise UnknownCode(f"unknown code '{code_id}'", hint=f"known codes: {known}")


def _taken(data: Data, code_id: str) -> None:
    if any(code.get("id") == code_id for _, code in _codes(data)):
        raise CodebookError(f"code id '{code_id}' is already in the codebook")


def _drop_empty_themes(data: Data) -> Data:
    data["themes"] = [theme for theme in data.get("themes", []) if theme.get("codes")]
    return data


def add_code(data: Data, theme_id: str, code: dict[str, Any], theme_name: str | None = None) -> Data:
    """A new code in theme `theme_id` (a new theme when `theme_name` is given and the theme does not exist)."""
    new = copy.deepcopy(data)
    _taken(new, str(code.get("id")))
    themes = new.setdefault("themes", [])
    theme = next((t for t in themes if t.get("id") == theme_id), None)
    if theme is None:
        if not theme_name:
            raise CodebookError(f"no theme '{theme_id}'", hint="name the new theme, or use one of: "
                                + ", ".join(str(t.get("id")) for t in themes))
        theme = {"id": theme_id, "name": theme_name, "codes": []}
        themes.append(theme)
    theme.setdefault("codes", []).append({k: v for k, v in code.items() if v not in (None, "", [])})
    return new


def edit_code(data: Data, code_id: str, fields: dict[str, Any]) -> Data:
    """New name, definition, include or exclude notes, or examples for a code (its id stays)."""
    unknown = set(fields) - {*TEXT_FIELDS, "examples"}
    if unknown:
        raise CodebookError(f"cannot edit {', '.join(sorted(unknown))}", hint="rename a code with `rename`")
    new = copy.deepcopy(data)
    _, code = _find(new, code_id)
    code.update({k: v for k, v in fields.items() if v is not None})
    return new


def rename_code(data: Data, old_id: str, new_id: str, name: str | None = None) -> Data:
    new = copy.deepcopy(data)
    _taken(new, new_id)
    _, code = _find(new, old_id)
    code["id"] = new_id
    if name:
        code["name"] = name
    return new


def merge_codes(data: Data, merged: list[str], into: str) -> Data:
    """Fold `merged` into the existing code `into`: their include notes and examples join it, they disappear."""
    new = copy.deepcopy(data)
    _, target = _find(new, into)
    for code_id in (c for c in merged if c != into):
        theme, code = _find(new, code_id)
        target["include"] = "; ".join(p for p in (target.get("include"), code.get("include")) if p)
        target["examples"] = [*target.get("examples", []), *code.get("examples", [])]
        theme["codes"] = [c for c in theme["codes"] if c is not code]
    return _drop_empty_themes(new)


def split_code(data: Data, code_id: str, parts: list[dict[str, Any]]) -> Data:
    """Replace a code by two or more new codes in its theme."""
    if len(parts) < 2:
        raise CodebookError("a split needs at least two new codes")
    new = copy.deepcopy(data)
    theme, code = _find(new, code_id)
    for part in parts:
        if part.get("id") != code_id:
            _taken(new, str(part.get("id")))
    at = theme["codes"].index(code)
    theme["codes"][at:at + 1] = [{k: v for k, v in p.items() if v not in (None, "", [])} for p in parts]
    return new


def retire_code(data: Data, code_id: str, when: str) -> Data:
    """Take a code out of use; it is kept under `retired:` (with the date) so its history still reads."""
    new = copy.deepcopy(data)
    theme, code = _find(new, code_id)
    theme["codes"] = [c for c in theme["codes"] if c is not code]
    new.setdefault("retired", []).append({**code, "theme": theme.get("id"), "retired": when})
    return _drop_empty_themes(new)
