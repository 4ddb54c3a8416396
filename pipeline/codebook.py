"""The codebook: themes and codes with definitions, include/exclude notes and example phrases.

Validated at load; its `version` is a hash of its content, recorded with every suggestion and model.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from pipeline.errors import CodebookError, UnknownCode

CODE_ID = re.compile(r"^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+$")
_CODE_KEYS = {"id", "name", "definition", "include", "exclude", "examples"}


@dataclass(frozen=True)
class Code:
    id: str
    theme: str
    name: str
    definition: str
    include: str = ""
    exclude: str = ""
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class Theme:
    id: str
    name: str


@dataclass(frozen=True)
class Codebook:
    name: str
    version: str  # content hash, 12 hex digits
    themes: tuple[Theme, ...]
    codes: tuple[Code, ...]
    path: str = ""
    content: str = ""

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(code.id for code in self.codes)

    @property
    def is_empty(self) -> bool:
        """No codes: open-coding mode (clusters and candidate themes, no code suggestions)."""
        return not self.codes

    @property
    def identity(self) -> str:
        """The version recorded with codebook-only (cold start) suggestions: `codebook-<hash>`."""
        return f"codebook-{self.version}"

    def code(self, code_id: str) -> Code:
        for code in self.codes:
            if code.id == code_id:
                return code
        raise UnknownCode(f"unknown code '{code_id}'", hint=f"codebook {self.version} has: {', '.join(self.ids)}")

    def check(self, code_ids: list[str] | tuple[str, ...], *, file: str | Path | None = None,
              line: int | None = None) -> None:
        """Raise UnknownCode naming where an unknown code id was found."""
        for code_id in code_ids:
            if code_id not in self.ids:
                raise UnknownCode(f"unknown code '{code_id}'", file=file, line=line,
                                  hint=f"known codes: {', '.join(self.ids)}")


def empty_codebook() -> Codebook:
    """The codebook of a project that has none yet (open coding)."""
    return Codebook(name="", version=_version([]), themes=(), codes=())


def load_codebook(path: str | Path) -> Codebook:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CodebookError("codebook file not found", file=path) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise CodebookError(f"not valid YAML: {exc}", file=path, line=None if line is None else line + 1) from None
    return parse_codebook(data, path=path, content=text)


def parse_codebook(data: Any, *, path: str | Path = "<codebook>", content: str = "") -> Codebook:
    if not isinstance(data, dict) or not isinstance(data.get("themes"), list) or not data["themes"]:
        raise CodebookError("expected a mapping with a non-empty 'themes' list", file=path, key="themes")
    themes, codes, seen = [], [], set()
    for t_index, theme in enumerate(data["themes"]):
        where = f"themes[{t_index}]"
        theme_id = _text(theme, "id", path, where)
        themes.append(Theme(theme_id, _text(theme, "name", path, where)))
        if not isinstance(theme.get("codes"), list) or not theme["codes"]:
            raise CodebookError("a theme needs a non-empty 'codes' list", file=path, key=f"{where}.codes")
        for c_index, raw in enumerate(theme["codes"]):
            code = _parse_code(raw, theme_id, path, f"{where}.codes[{c_index}]")
            if code.id in seen:
                raise CodebookError(f"duplicate code id '{code.id}'", file=path, key=f"{where}.codes[{c_index}].id")
            seen.add(code.id)
            codes.append(code)
    return Codebook(name=str(data.get("name", "")), version=_version(codes), themes=tuple(themes),
                    codes=tuple(codes), path=str(path), content=content)


def _version(codes: list[Code]) -> str:
    """A hash of what the codes say (not of the file's layout or comments)."""
    canonical = json.dumps([[c.id, c.theme, c.name, c.definition, c.include, c.exclude, list(c.examples)]
                            for c in codes], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]


def _parse_code(raw: Any, theme_id: str, path: str | Path, where: str) -> Code:
    if not isinstance(raw, dict):
        raise CodebookError("a code must be a mapping", file=path, key=where)
    unknown = set(raw) - _CODE_KEYS
    if unknown:
        raise CodebookError(f"unknown key(s) {', '.join(sorted(unknown))}", file=path, key=where,
                            hint=f"allowed: {', '.join(sorted(_CODE_KEYS))}")
    code_id = _text(raw, "id", path, where)
    if not CODE_ID.match(code_id):
        raise CodebookError(f"code id '{code_id}' must look like THEME-NAME (upper case, dash-separated)",
                            file=path, key=f"{where}.id")
    examples = raw.get("examples", [])
    if not isinstance(examples, list) or not all(isinstance(e, str) and e.strip() for e in examples):
        raise CodebookError("'examples' must be a list of phrases", file=path, key=f"{where}.examples")
    return Code(id=code_id, theme=theme_id, name=_text(raw, "name", path, where),
                definition=_text(raw, "definition", path, where),
                include=str(raw.get("include", "") or ""), exclude=str(raw.get("exclude", "") or ""),
                examples=tuple(e.strip() for e in examples))


def _text(mapping: Any, key: str, path: str | Path, where: str) -> str:
    value = mapping.get(key) if isinstance(mapping, dict) else None
    if not isinstance(value, str) or not value.strip():
        raise CodebookError(f"missing or empty '{key}'", file=path, key=f"{where}.{key}")
    return value.strip()
