"""Words of the exports in Bahasa Indonesia (`id`, the default) and English (`en`), from `labels.toml`."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from pipeline.errors import ExportError

LANGS = ("id", "en")


@cache
def _tables() -> dict[str, dict[str, str]]:
    text = (resources.files("pipeline.export") / "labels.toml").read_text(encoding="utf-8")
    return {lang: dict(table) for lang, table in tomllib.loads(text).items()}


def words(lang: str) -> dict[str, str]:
    """The label table of a language; an unknown language is an error naming the known ones."""
    tables = _tables()
    if lang not in tables:
        raise ExportError(f"unknown language '{lang}'", key="lang", hint=f"use one of: {', '.join(LANGS)}")
    return tables[lang]
