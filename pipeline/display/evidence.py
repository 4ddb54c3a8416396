"""The evidence frame: one row per (excerpt, code) with its status, the common input of every display.

Status is `verified` for the codes of an excerpt that has verified labels (the decision log's replay), and
`suggested` for the codes suggested for an excerpt that is *not* verified yet. An excerpt is never counted both
ways: once a reviewer has decided, the machine's suggestions for it no longer count as evidence. A verified
excerpt with an empty label set ("no code") contributes nothing.

The *case* of an excerpt is its informant, or for observations and documents (no informant) its source file.
"""

from __future__ import annotations

from typing import Iterable, Mapping

import pandas as pd

STATUSES = ("verified", "suggested")
NO_VALUE = "—"  # shown where an excerpt has no role / site (e.g. observation notes and documents)
EVIDENCE_COLUMNS = ["order", "excerpt_id", "key", "source", "case", "informant", "role", "site", "method", "round",
                    "code", "status", "probability", "n_words", "text"]
_EXCERPT_COLUMNS = ["excerpt_id", "key", "source", "informant", "role", "site", "method", "round", "n_words", "text"]


def evidence(excerpts: pd.DataFrame, suggestions: pd.DataFrame | None,
             verified: Mapping[int, Iterable[str]]) -> pd.DataFrame:
    """Evidence rows (EVIDENCE_COLUMNS) in excerpt order, verified before suggested within an excerpt.

    `excerpts`: the store's excerpt frame (current versions). `suggestions`: [excerpt_id, code, probability]
    (the latest suggestion run per excerpt), or None. `verified`: excerpt id -> verified codes.
    `probability` is the suggester's score for that code on that excerpt when it made one (NaN otherwise): it
    ranks the strongest excerpts of a cell.
    """
    base = _prepare(excerpts)
    scores = _scores(suggestions)
    verified_rows = pd.DataFrame([(int(e), str(c)) for e, codes in verified.items() for c in codes],
                                 columns=["excerpt_id", "code"])
    verified_rows = verified_rows.merge(scores, on=["excerpt_id", "code"], how="left").assign(status="verified")
    open_scores = scores[~scores["excerpt_id"].isin({int(e) for e in verified})].assign(status="suggested")
    rows = pd.concat([verified_rows, open_scores], ignore_index=True)
    frame = base.merge(rows, on="excerpt_id", how="inner")
    frame["rank"] = (frame["status"] == "suggested").astype(int)
    frame = frame.sort_values(["order", "rank", "code"], kind="stable").drop(columns="rank")
    frame["probability"] = frame["probability"].astype(float)
    return frame.reindex(columns=EVIDENCE_COLUMNS).reset_index(drop=True)


def cases_frame(excerpts: pd.DataFrame) -> pd.DataFrame:
    """Every case of the corpus in excerpt order, coded or not: [case, informant, role, site, method]."""
    base = _prepare(excerpts)
    cases = base.drop_duplicates("case")[["case", "informant", "role", "site", "method"]]
    # Informants first (as the corpus lists them), then observation notes and documents.
    cases = cases.assign(_later=cases["informant"].isna()).sort_values("_later", kind="stable")
    return cases.drop(columns="_later").reset_index(drop=True)


def _prepare(excerpts: pd.DataFrame) -> pd.DataFrame:
    base = excerpts.reindex(columns=_EXCERPT_COLUMNS).copy()
    base["order"] = range(len(base))
    informant = base["informant"].where(base["informant"].notna() & (base["informant"].astype(str) != ""))
    base["informant"] = informant
    base["case"] = informant.fillna(base["source"]).astype(str)
    for column in ("role", "site", "method", "round"):
        base[column] = base[column].where(base[column].notna() & (base[column].astype(str) != ""), NO_VALUE)
        base[column] = base[column].astype(str)
    return base


def _scores(suggestions: pd.DataFrame | None) -> pd.DataFrame:
    if suggestions is None or suggestions.empty:
        return pd.DataFrame({"excerpt_id": pd.Series(dtype="int64"), "code": pd.Series(dtype=object),
                             "probability": pd.Series(dtype=float)})
    scores = suggestions[["excerpt_id", "code", "probability"]].copy()
    scores["excerpt_id"] = scores["excerpt_id"].astype("int64")
    scores["code"] = scores["code"].astype(str)
    # One score per (excerpt, code): the highest, should a frame ever hold two runs.
    return scores.sort_values("probability", ascending=False).drop_duplicates(["excerpt_id", "code"])


def code_order(evidence_frame: pd.DataFrame, codes: Iterable[str]) -> list[str]:
    """The codebook's codes in its order, then any other code found in the evidence (e.g. imported), sorted."""
    ordered = list(dict.fromkeys(codes))
    extra = sorted(set(evidence_frame["code"]) - set(ordered))
    return ordered + extra
