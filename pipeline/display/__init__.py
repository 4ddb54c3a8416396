"""Data display (Miles & Huberman's *penyajian data*): matrices and the triangulation table, as pandas frames.

`run(inputs, config) -> Displays` is the stage entry point; each display is also a plain function over the
evidence frame (see `evidence.py` for what counts as verified and as suggested).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping

import pandas as pd

from pipeline.config import DisplayConfig
from pipeline.display.evidence import NO_VALUE, STATUSES, cases_frame, code_order, evidence
from pipeline.display.matrices import (
    FIELDS,
    TOTAL,
    code_by,
    cooccurrence,
    framework_matrix,
    shorten,
)
from pipeline.display.triangulation import TRIANGULATION_COLUMNS, triangulation
from pipeline.records import METHODS

__all__ = ["DisplayInputs", "Displays", "FIELDS", "NO_VALUE", "STATUSES", "TOTAL", "TRIANGULATION_COLUMNS",
           "cases_frame", "code_by", "code_order", "cooccurrence", "evidence", "framework_matrix", "matrix_by", "run",
           "shorten", "triangulation"]


@dataclass(frozen=True)
class DisplayInputs:
    """What the displays are built from (the store's readers produce each piece).

    excerpts: the excerpt frame (`pipeline.store.excerpts.excerpts_frame`); suggestions: [excerpt_id, code,
    probability, ...] from the latest suggestion run per excerpt; verified: excerpt id -> verified codes
    (`pipeline.store.decisions.current_labels`); codes: the codebook's code ids in order; status: the latest
    triangulation verdict per code (`pipeline.store.triangulation.current_status`).
    """

    excerpts: pd.DataFrame
    suggestions: pd.DataFrame | None
    verified: Mapping[int, Iterable[str]]
    codes: tuple[str, ...] = ()
    status: pd.DataFrame | None = None


@dataclass(frozen=True)
class Displays:
    evidence: pd.DataFrame
    cases: pd.DataFrame
    by_informant: pd.DataFrame
    by_role: pd.DataFrame
    by_method: pd.DataFrame
    by_site: pd.DataFrame
    cooccurrence: pd.DataFrame
    framework: pd.DataFrame
    triangulation: pd.DataFrame
    codes: tuple[str, ...] = field(default=())
    by_round: pd.DataFrame | None = None  # code × data collection round (putaran), when the manifest gives rounds


def run(inputs: DisplayInputs, config: DisplayConfig) -> Displays:
    """Build every display from the inputs."""
    found = evidence(inputs.excerpts, inputs.suggestions, inputs.verified)
    cases = cases_frame(inputs.excerpts)
    codes = tuple(code_order(found, inputs.codes))
    return Displays(
        evidence=found, cases=cases,
        by_informant=matrix_by(found, cases, codes, "case"),  # the source file for notes and documents
        by_role=matrix_by(found, cases, codes, "role"),
        by_method=matrix_by(found, cases, codes, "method"),
        by_site=matrix_by(found, cases, codes, "site"),
        cooccurrence=cooccurrence(found, codes),
        framework=framework_matrix(found, codes, config.framework_excerpts, config.framework_chars, cases),
        triangulation=triangulation(found, codes, inputs.status),
        codes=codes,
        by_round=matrix_by(found, cases, codes, "round"),
    )


def matrix_by(found: pd.DataFrame, cases: pd.DataFrame, codes: tuple[str, ...], column: str) -> pd.DataFrame:
    """Code × `column` (case, role, method, site or round) with every value of the corpus as a column, in its
    natural order (cases as the corpus lists them; wawancara, observasi, dokumen; rounds 1, 2, ...), the excerpts
    without a value last."""
    if column == "round":
        return code_by(found, "round", codes, _rounds(found))
    values = list(dict.fromkeys(cases[column].astype(str)))
    if column == "method":
        values.sort(key=lambda m: METHODS.index(m) if m in METHODS else len(METHODS))
    return code_by(found, column, codes, [v for v in values if v != NO_VALUE] + [v for v in values if v == NO_VALUE])


def _rounds(found: pd.DataFrame) -> list[str]:
    """Rounds in their natural order (1, 2, ... 10), the excerpts without one last."""
    values = {str(v) for v in found["round"]} if len(found) else set()
    given = sorted(values - {NO_VALUE}, key=lambda v: (0, int(v), v) if v.isdigit() else (1, 0, v))
    return given + ([NO_VALUE] if NO_VALUE in values else [])
