"""Verified labels for training, and the demo corpus gold recorded as verified decisions.

The decision log (`pipeline.store.decisions`) is the only source of truth: labels are its replay.
"""

from __future__ import annotations

import csv
from pathlib import Path

from pipeline.codebook import Codebook
from pipeline.errors import ReviewError
from pipeline.store import decisions
from pipeline.store.db import Store
from pipeline.store.excerpts import excerpts_frame


def verified_labels(store: Store) -> dict[int, frozenset[str]]:
    """Current verified codes per excerpt id (an empty set is a verified "no code")."""
    return decisions.current_labels(store)


def read_gold(path: str | Path) -> list[tuple[int, str, tuple[str, ...]]]:
    """(line, excerpt key, codes) per row of a `key,codes` CSV with `;`-joined codes."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames or not {"key", "codes"} <= set(reader.fieldnames):
                raise ReviewError("gold file needs the columns key,codes", file=path, line=1)
            return [(reader.line_num, (row["key"] or "").strip(),
                     tuple(sorted({c.strip() for c in (row["codes"] or "").split(";") if c.strip()})))
                    for row in reader]
    except FileNotFoundError:
        raise ReviewError("gold file not found", file=path) from None


def record_gold(store: Store, gold_csv_path: str | Path, reviewer: str = "gold", *, codebook: Codebook) -> int:
    """Append a 'set' decision (origin 'gold') per gold row whose labels differ from the current ones.

    Every key must name a current excerpt and every code must be in the codebook; nothing is written otherwise.
    Running it again appends nothing. Returns the number of decisions appended.
    """
    rows = read_gold(gold_csv_path)
    excerpts = excerpts_frame(store)
    excerpt_ids = dict(zip(excerpts["key"], excerpts["excerpt_id"]))
    current = dict(verified_labels(store))
    batch = []
    for line, key, codes in rows:
        if key not in excerpt_ids:
            raise ReviewError(f"unknown excerpt key '{key}'", file=gold_csv_path, line=line,
                              hint="is the corpus ingested into this project?")
        codebook.check(codes, file=gold_csv_path, line=line)
        excerpt_id = int(excerpt_ids[key])
        if current.get(excerpt_id) == frozenset(codes):
            continue
        current[excerpt_id] = frozenset(codes)  # a key listed twice: its last row wins, once
        batch.append(decisions.Decision(excerpt_id=excerpt_id, reviewer=reviewer, action="set", codes=codes,
                                        origin="gold"))
    with store.transaction():
        decisions.append(store, batch, known_codes=codebook.ids)
    return len(batch)
