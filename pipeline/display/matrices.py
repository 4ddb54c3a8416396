"""Miles & Huberman displays over the evidence frame: code x informant / role / method / site, code
co-occurrence, and the framework matrix. Verified codes and mere suggestions are always counted separately.

Cross tables (`code_by_*`) are indexed by code (codebook order, then extra codes), with a two-level column index
(value, field): for each value of the dimension, and for the TOTAL pseudo-value, the fields
    verified, suggested            number of excerpts with the code
    verified_keys, suggested_keys  their excerpt keys, in source order, ", "-joined
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence

import pandas as pd

from pipeline.display.evidence import STATUSES, code_order

TOTAL = "__total__"  # the pseudo-value holding a row's totals; exports translate it ("jumlah" / "total")
COUNT_FIELDS = STATUSES
KEY_FIELDS = tuple(f"{status}_keys" for status in STATUSES)
FIELDS = (*COUNT_FIELDS, *KEY_FIELDS)


def code_by(evidence: pd.DataFrame, by: str, codes: Iterable[str] = (),
            values: Sequence[str] | None = None) -> pd.DataFrame:
    """Code x `by` (a column of the evidence frame, e.g. case, role, method, site): counts and excerpt keys.

    `values`: the columns to show, in order (e.g. every informant, coded or not); by default those in the
    evidence, in excerpt order. Values found in the evidence but missing from `values` are appended.
    """
    rows = code_order(evidence, codes)
    found = _values(evidence, by)
    values = list(dict.fromkeys([*(values or ()), *found]))
    frame = _cross(evidence, ["code", by])
    total = _cross(evidence, ["code"]).reindex(columns=list(FIELDS))
    total.columns = pd.MultiIndex.from_product([[TOTAL], list(FIELDS)])
    wide = pd.concat([frame.unstack(by).swaplevel(axis=1), total], axis=1) if len(frame) else total
    columns = pd.MultiIndex.from_product([[*values, TOTAL], list(FIELDS)], names=["value", "field"])
    result = wide.reindex(index=rows, columns=columns)
    # Counts and keys filled apart, then put back in column order: one block each (column-wise setitem was slow).
    is_count = columns.get_level_values("field").isin(COUNT_FIELDS)
    counts = result.loc[:, is_count].fillna(0).astype(int)
    keys = result.loc[:, ~is_count].astype(object).fillna("")
    result = pd.concat([counts, keys], axis=1).reindex(columns=columns)
    result.index.name = "code"
    return result




def cooccurrence(evidence: pd.DataFrame, codes: Iterable[str] = ()) -> pd.DataFrame:
    """Code x code: excerpts holding both codes, verified and suggested apart (columns (code, status)).

    The diagonal is the number of excerpts holding the code. An excerpt's codes all share one status (verified
    excerpt or not), so a pair never mixes a verified code with a suggested one.
    """
    order = code_order(evidence, codes)
    pairs = evidence[["excerpt_id", "code", "status"]]
    joined = pairs.merge(pairs, on=["excerpt_id", "status"], suffixes=("", "_other"))
    counts = joined.groupby(["code", "code_other", "status"]).size()
    table = counts.unstack(["code_other", "status"], fill_value=0) if len(counts) else pd.DataFrame()
    columns = pd.MultiIndex.from_product([order, list(STATUSES)], names=["value", "field"])
    result = table.reindex(index=order, columns=columns, fill_value=0).astype(int)
    result.index.name = "code"
    return result


def framework_matrix(evidence: pd.DataFrame, codes: Iterable[str] = (), per_cell: int = 2,
                     width: int = 240, cases: pd.DataFrame | None = None) -> pd.DataFrame:
    """Cases x codes; each cell the `per_cell` strongest excerpts, shortened to `width` characters.

    A cell shows verified excerpts when it has any (highest suggester score first, then the longest), otherwise
    suggested ones, marked with `?` after the key: `[W-G01:004] ...`, `[O-KELAS-CK:003?] ...`. Columns: role,
    site, method (the case's), then one per code. `cases` ([case, role, site, method], e.g. `cases_frame`) gives
    the rows, so informants without any evidence still show; by default the cases found in the evidence.
    """
    order = code_order(evidence, codes)
    cases = _case_attributes(evidence, cases)
    ranked = evidence.assign(rank=(evidence["status"] != "verified").astype(int))
    best_rank = ranked.groupby(["case", "code"])["rank"].transform("min")
    ranked = ranked[ranked["rank"] == best_rank]
    ranked = ranked.sort_values(["case", "code", "probability", "n_words", "order"],
                                ascending=[True, True, False, False, True], na_position="last", kind="stable")
    chosen = ranked.groupby(["case", "code"], sort=False).head(per_cell)
    marks = chosen["status"].map({"verified": "", "suggested": "?"})
    lines = "[" + chosen["key"].astype(str) + marks + "] " + chosen["text"].map(lambda t: shorten(str(t), width))
    cells = lines.groupby([chosen["case"], chosen["code"]], sort=False).agg("\n".join)
    grid = cells.unstack("code") if len(cells) else pd.DataFrame(index=pd.Index([], name="case"))
    grid = grid.reindex(index=cases.index, columns=order).astype(object).fillna("")
    result = pd.concat([cases, grid], axis=1)
    result.index.name = "case"
    return result


def shorten(text: str, width: int) -> str:
    """Collapse whitespace and cut at a word boundary to at most `width` characters, ending with an ellipsis."""
    flat = re.sub(r"\s+", " ", text).strip()
    if len(flat) <= width:
        return flat
    cut = flat[: max(width - 1, 1)]
    space = cut.rfind(" ")
    if space > width // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:") + "…"


def _values(evidence: pd.DataFrame, by: str) -> list[str]:
    """Values of `by` in order of first appearance in the excerpt order (informants as the corpus lists them)."""
    ordered = evidence.sort_values("order", kind="stable")[by].astype(str)
    return list(dict.fromkeys(ordered))


def _cross(evidence: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """Per group of `keys` and status: excerpt count and keys, as columns FIELDS."""
    if evidence.empty:
        return pd.DataFrame(columns=list(FIELDS), index=pd.MultiIndex.from_arrays([[]] * len(keys), names=keys))
    data = evidence.assign(**{k: evidence[k].astype(str) for k in keys if k != "code"})
    grouped = data.groupby([*keys, "status"], sort=False)["key"]
    counts = grouped.size().unstack("status", fill_value=0).reindex(columns=list(STATUSES), fill_value=0)
    joined = grouped.agg(", ".join).unstack("status", fill_value="").reindex(columns=list(STATUSES), fill_value="")
    joined.columns = list(KEY_FIELDS)
    return pd.concat([counts, joined], axis=1)


def _case_attributes(evidence: pd.DataFrame, cases: pd.DataFrame | None) -> pd.DataFrame:
    """role, site, method per case (the first seen), cases in excerpt order; given cases first."""
    firsts = evidence.sort_values("order", kind="stable")
    if cases is not None:
        firsts = pd.concat([cases, firsts], ignore_index=True)
    firsts = firsts.drop_duplicates("case").set_index("case")
    return firsts[["role", "site", "method"]].astype(str)
