"""The codebook as a REFI-QDA `.qdc` file (QDA-XML codebook 1.0), with each code's triangulation verdict."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from pipeline.codebook import Codebook
from pipeline.export.refi import CODEBOOK_NS, ORIGIN, codes_element, tag, to_bytes


def qdc_bytes(codebook: Codebook, notes: dict[str, str] | None = None) -> bytes:
    """`notes`: code id -> a line appended to its description (e.g. "Status triangulasi: terkonfirmasi — ...")."""
    ET.register_namespace("", CODEBOOK_NS)
    root = ET.Element(tag(CODEBOOK_NS, "CodeBook"), origin=ORIGIN)
    codes_element(root, CODEBOOK_NS, codebook, notes)
    return to_bytes(root)


def write_qdc(path: str | Path, codebook: Codebook, notes: dict[str, str] | None = None) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(qdc_bytes(codebook, notes))
    return path
