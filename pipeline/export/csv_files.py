"""One CSV file per display: UTF-8 with a byte-order mark (so Excel reads the Indonesian text right), one header
row, every text cell neutralised against formula injection."""

from __future__ import annotations

from pathlib import Path

from pipeline.export.safety import safe_frame
from pipeline.export.tables import Table


def write_csv(tables: list[Table], folder: str | Path) -> list[Path]:
    """Write `<slug>.csv` for every table into `folder`; returns the paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in tables:
        path = folder / f"{table.slug}.csv"
        safe_frame(table.frame).to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")
        written.append(path)
    return written
