"""Displays as flat, labelled, pseudonymised tables: what the CSV files, the workbook and the HTML report show.

Every text cell and header passes through the pseudonymiser, so the same name becomes the same pseudonym in every
file. File and sheet identities (`Table.slug`) are stable English names; titles and headers follow `lang`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipeline.codebook import Codebook
from pipeline.display import FIELDS, NO_VALUE, STATUSES, TOTAL, Displays
from pipeline.display.matrices import KEY_FIELDS
from pipeline.export.labels import words
from pipeline.export.privacy import Pseudonymiser

CROSS_TABLES = (("code_by_informant", "by_informant"), ("code_by_role", "by_role"),
                ("code_by_method", "by_method"), ("code_by_site", "by_site"))
FLAGS = ("single_source", "single_method", "suggestions_only")


@dataclass(frozen=True)
class Table:
    slug: str  # file stem and sheet identity: code_by_informant, triangulation, ...
    title: str
    frame: pd.DataFrame  # flat, labelled columns; pseudonymised text
    long_text: tuple[str, ...] = ()  # columns of long text (wrapped in the workbook)


def build_tables(displays: Displays, codebook: Codebook, privacy: Pseudonymiser, lang: str) -> list[Table]:
    """All tables, in report order."""
    w = words(lang)
    names = code_names(codebook)
    tables = []
    for slug, attribute in CROSS_TABLES:
        frame, keys = flat_cross(getattr(displays, attribute), names, w)
        tables.append(Table(slug, w[slug], frame, keys))
    if has_rounds(displays):
        frame, keys = flat_cross(displays.by_round, names, w)
        tables.append(Table("code_by_round", w["code_by_round"], frame, keys))
    frame, _ = flat_cross(displays.cooccurrence, names, w)
    tables.append(Table("code_cooccurrence", w["code_cooccurrence"], frame))
    tables.append(_framework(displays, w))
    tables.append(_triangulation(displays, names, w))
    tables.append(_evidence(displays, w))
    return [private_table(table, privacy) for table in tables]


def has_rounds(displays: Displays) -> bool:
    """Whether the manifest gave data collection rounds (else the code × round matrix says nothing)."""
    if displays.by_round is None:
        return False
    return any(v not in (NO_VALUE, TOTAL) for v in displays.by_round.columns.get_level_values("value"))


def code_names(codebook: Codebook) -> dict[str, str]:
    return {code.id: code.name for code in codebook.codes}


def flat_cross(frame: pd.DataFrame, names: dict[str, str], w: dict[str, str]) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """A (value, field) column frame as flat columns: code, name, every count column, then every key column."""
    flat = pd.DataFrame({w["code"]: frame.index, w["name"]: [names.get(c, "") for c in frame.index]})
    fields = list(dict.fromkeys(frame.columns.get_level_values("field")))
    ordered = [f for f in FIELDS if f in fields] + [f for f in fields if f not in FIELDS]
    key_columns = []
    for field in ordered:
        for value in dict.fromkeys(frame.columns.get_level_values("value")):
            if (value, field) not in frame.columns:
                continue
            header = f"{w.get(value, value) if value == TOTAL else value} · {w.get(field, field)}"
            flat[header] = frame[(value, field)].to_numpy()
            if field in KEY_FIELDS:
                key_columns.append(header)
    return flat, tuple(key_columns)


def _framework(displays: Displays, w: dict[str, str]) -> Table:
    frame = displays.framework.reset_index()
    frame = frame.rename(columns={c: w[c] for c in ("case", "role", "site", "method")})
    codes = tuple(c for c in frame.columns if c in displays.codes)
    return Table("framework_matrix", w["framework_matrix"], frame, codes)


def _triangulation(displays: Displays, names: dict[str, str], w: dict[str, str]) -> Table:
    frame = displays.triangulation.copy()
    frame.insert(1, "name", frame["code"].map(names).fillna(""))
    for flag in FLAGS:
        frame[flag] = frame[flag].map({True: w["yes"], False: w["no"]})
    frame["status"] = frame["status"].map(lambda s: w.get(s, s))
    long_text = ("verified_by_role", "suggested_by_role", "verified_by_method", "suggested_by_method", "note")
    frame = frame.rename(columns={c: w.get(c, c) for c in frame.columns})
    return Table("triangulation", w["triangulation"], frame, tuple(w[c] for c in long_text))


def _evidence(displays: Displays, w: dict[str, str]) -> Table:
    columns = ["key", "source", "case", "informant", "role", "site", "method", "code", "status", "probability",
               "text"]
    frame = displays.evidence[columns].copy()
    frame["status"] = frame["status"].map({s: w[s] for s in STATUSES})
    frame["probability"] = frame["probability"].round(3)
    frame = frame.rename(columns={c: w[c] for c in columns})
    return Table("evidence", w["evidence"], frame, (w["text"],))


def private_table(table: Table, privacy: Pseudonymiser) -> Table:
    if not privacy.enabled:
        return table
    frame = table.frame.copy()
    frame.columns = [privacy.text(str(c)) for c in frame.columns]
    for column in frame.columns:
        if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
            frame[column] = frame[column].map(privacy.value)
    long_text = tuple(privacy.text(c) for c in table.long_text)
    return Table(table.slug, privacy.text(table.title), frame, long_text)
