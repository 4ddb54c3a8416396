"""The triangulation table: one row per code, how many distinct cases, informants, roles and methods support it.

Source triangulation asks whether a code is supported by more than one source (kepala sekolah vs guru, several
informants, a document); method triangulation whether more than one method (wawancara, observasi, dokumen) does.
Flags are computed on *verified* evidence only: a suggestion is not evidence until someone has checked it.
    single_source      fewer than 2 distinct cases (informants, or files for observations and documents)
    single_method      fewer than 2 distinct methods
    suggestions_only   suggested excerpts but no verified one yet
The researcher's verdict (status, note) comes from the store (`pipeline.store.triangulation`).
"""

from __future__ import annotations

from typing import Iterable

import pandas as pd

from pipeline.display.evidence import NO_VALUE, STATUSES, code_order

DEFAULT_STATUS = "belum_diperiksa"
TRIANGULATION_COLUMNS = [
    "code", "verified_excerpts", "suggested_excerpts",
    "verified_cases", "suggested_cases", "verified_informants", "suggested_informants",
    "verified_roles", "suggested_roles", "verified_methods", "suggested_methods",
    "single_source", "single_method", "suggestions_only",
    "verified_informant_ids", "verified_by_role", "suggested_by_role", "verified_by_method", "suggested_by_method",
    "status", "note", "status_by", "status_at",
]
_DISTINCT = {"cases": "case", "informants": "informant", "roles": "role", "methods": "method"}


def triangulation(evidence: pd.DataFrame, codes: Iterable[str] = (), status: pd.DataFrame | None = None
                  ) -> pd.DataFrame:
    """One row per code (codebook order) with the columns TRIANGULATION_COLUMNS.

    `status`: [code, status, note, reviewer, updated_at], the latest verdict per code; codes without one are
    `belum_diperiksa`. `*_by_role` / `*_by_method` hold one line per group: `guru (3): W-G01:004, ...`.
    """
    order = code_order(evidence, codes)
    table = pd.DataFrame(index=pd.Index(order, name="code"))
    for status_name in STATUSES:
        part = evidence[evidence["status"] == status_name]
        grouped = part.groupby("code")
        table[f"{status_name}_excerpts"] = grouped["excerpt_id"].nunique()
        for label, column in _DISTINCT.items():
            values = part[part[column].notna() & (part[column] != NO_VALUE)] if column != "case" else part
            table[f"{status_name}_{label}"] = values.groupby("code")[column].nunique()
        table[f"{status_name}_by_role"] = _grouped_keys(part, "role")
        table[f"{status_name}_by_method"] = _grouped_keys(part, "method")
    counts = [c for c in table.columns if not c.endswith(("_by_role", "_by_method"))]
    table[counts] = table[counts].fillna(0).astype(int)
    texts = [c for c in table.columns if c.endswith(("_by_role", "_by_method"))]
    table[texts] = table[texts].fillna("")
    verified = evidence[evidence["status"] == "verified"]
    table["verified_informant_ids"] = (verified.dropna(subset=["informant"]).drop_duplicates(["code", "informant"])
                                       .groupby("code")["informant"].agg(", ".join))
    table["verified_informant_ids"] = table["verified_informant_ids"].fillna("")
    table["single_source"] = table["verified_cases"] < 2
    table["single_method"] = table["verified_methods"] < 2
    table["suggestions_only"] = (table["verified_excerpts"] == 0) & (table["suggested_excerpts"] > 0)
    table = table.join(_status(status), how="left")
    table["status"] = table["status"].fillna(DEFAULT_STATUS)
    for column in ("note", "status_by", "status_at"):
        table[column] = table[column].fillna("")
    return table.reset_index().reindex(columns=TRIANGULATION_COLUMNS)


def _grouped_keys(part: pd.DataFrame, column: str) -> pd.Series:
    """Per code, one line per value of `column`: `value (n): key, key, ...` (values in excerpt order)."""
    if part.empty:
        return pd.Series(dtype=object)
    ordered = part.sort_values("order", kind="stable")
    keys = ordered.groupby(["code", column], sort=False)["key"].agg(list)
    lines = [f"{value} ({len(group)}): {', '.join(group)}" for (_, value), group in keys.items()]
    by_code = pd.Series(lines, index=keys.index.get_level_values("code"))
    return by_code.groupby(level=0, sort=False).agg("\n".join)


def _status(status: pd.DataFrame | None) -> pd.DataFrame:
    columns = ["status", "note", "status_by", "status_at"]
    if status is None or status.empty:
        return pd.DataFrame(columns=columns, index=pd.Index([], name="code"))
    frame = status.rename(columns={"reviewer": "status_by", "updated_at": "status_at"}).set_index("code")
    return frame.reindex(columns=columns)
