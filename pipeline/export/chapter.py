"""What the findings chapter says about each code, as plain data: counts, spread, verdict, quotes with citations.

Representative quotes are chosen for coverage first (each new quote from an informant, role and method not yet
quoted, where there is one), then for confidence (verified before suggested, then the higher suggestion score,
then the shorter). Citations follow `[export] citation`, e.g. "(W/KS01/12-02-2024)".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as Date

import pandas as pd

METHOD_LETTERS = {"wawancara": "W", "observasi": "O", "dokumen": "D"}
MAX_QUOTE_WORDS = 90
MAX_KEYS = 8  # excerpt keys shown per role or method in the evidence table


@dataclass(frozen=True)
class Spread:
    """How a code's evidence spreads over one role or method: counts and the keys (suggested ones marked ?)."""

    name: str
    verified: int
    suggested: int
    keys: str


@dataclass(frozen=True)
class Quote:
    text: str
    citation: str
    verified: bool


@dataclass(frozen=True)
class CodeFindings:
    code: str
    verified: int
    suggested: int
    informants: tuple[str, ...]  # informants with verified evidence (else with suggestions)
    other_sources: tuple[str, ...]  # observation notes and documents with that evidence
    by_role: tuple[Spread, ...]
    by_method: tuple[Spread, ...]
    quotes: tuple[Quote, ...]


def code_findings(code: str, evidence: pd.DataFrame, excerpts: pd.DataFrame, citation: str, date_format: str,
                  n_quotes: int) -> CodeFindings:
    """The findings of one code from the displays' evidence rows (status verified/suggested) and the excerpts."""
    rows = evidence[evidence["code"] == code]
    verified = rows[rows["status"] == "verified"]
    shown = verified if len(verified) else rows[rows["status"] == "suggested"]
    has_informant = shown["informant"].notna() & (shown["informant"].astype(str) != "")
    informants = tuple(sorted({str(c) for c in shown.loc[has_informant, "informant"]}))
    others = tuple(sorted({str(c) for c in shown.loc[~has_informant, "source"]}))
    return CodeFindings(code, len(verified), int((rows["status"] == "suggested").sum()), informants, others,
                        _spread(rows, "role"), _spread(rows, "method"),
                        tuple(choose_quotes(rows, excerpts, citation, date_format, n_quotes)))


def _spread(rows: pd.DataFrame, column: str) -> tuple[Spread, ...]:
    """Per value of `column` (role, method): verified and suggested counts and the excerpt keys behind them."""
    values = rows[column].fillna("—").astype(str)
    spread = []
    for value in sorted(set(values)):
        here = rows[values == value]
        verified = here[here["status"] == "verified"]
        suggested = here[here["status"] == "suggested"]
        keys = [str(k) for k in verified["key"]] or [f"{k}?" for k in suggested["key"]]
        shown = ", ".join(keys[:MAX_KEYS]) + (f", … (+{len(keys) - MAX_KEYS})" if len(keys) > MAX_KEYS else "")
        spread.append(Spread(value, len(verified), len(suggested), shown))
    return tuple(spread)


def choose_quotes(rows: pd.DataFrame, excerpts: pd.DataFrame, citation: str, date_format: str, n: int
                  ) -> list[Quote]:
    """Up to `n` quotes: coverage of informants, roles and methods first, then confidence."""
    candidates = rows[rows["status"].isin(["verified", "suggested"])].copy()
    if candidates.empty:
        return []
    candidates["is_verified"] = candidates["status"] == "verified"
    candidates = candidates.sort_values(["is_verified", "probability", "n_words"], ascending=[False, False, True])
    by_id = excerpts.set_index("excerpt_id")
    chosen: list[pd.Series] = []
    seen: dict[str, set[str]] = {"case": set(), "role": set(), "method": set()}
    pool = [row for _, row in candidates.iterrows()]
    while pool and len(chosen) < n:
        best = max(range(len(pool)), key=lambda i: (_novelty(pool[i], seen), -i))
        row = pool.pop(best)
        chosen.append(row)
        for column in seen:
            seen[column].add(str(row[column]))
    return [Quote(_shortened(str(row["text"])), cite(by_id.loc[int(row["excerpt_id"])], citation, date_format),
                  bool(row["is_verified"])) for row in chosen]


def _novelty(row: pd.Series, seen: dict[str, set[str]]) -> int:
    return sum(str(row[column]) not in values for column, values in seen.items())


def _shortened(text: str) -> str:
    words = " ".join(text.split()).split(" ")
    return " ".join(words) if len(words) <= MAX_QUOTE_WORDS else " ".join(words[:MAX_QUOTE_WORDS]) + " […]"


def cite(excerpt: pd.Series, template: str, date_format: str) -> str:
    """The citation of an excerpt, e.g. "(W/KS01/12-02-2024)"; a missing part is left out with its separator."""
    key = str(excerpt["key"])
    parts = {"method": METHOD_LETTERS.get(str(excerpt["method"]), str(excerpt["method"])[:1].upper()),
             "informant": _text(excerpt.get("informant")) or str(excerpt["source"]),
             "date": _date(excerpt.get("date"), date_format), "source": str(excerpt["source"]),
             "turn": key.rsplit(":", 1)[-1] if ":" in key else "", "role": _text(excerpt.get("role")),
             "site": _text(excerpt.get("site"))}
    text = template.format(**parts)
    return text.replace("//", "/").replace("(/", "(").replace("/)", ")")


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _date(value: object, date_format: str) -> str:
    text = _text(value)
    try:
        return Date.fromisoformat(text[:10]).strftime(date_format) if text else ""
    except ValueError:
        return text
