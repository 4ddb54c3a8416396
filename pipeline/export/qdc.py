"""The codebook as a REFI-QDA `.qdc` file (QDA-XML codebook 1.0), with each code's triangulation verdict."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from pipeline.codebook import Codebook
from pipeline.export.refi import CODEBOOK_NS, ORIGIN, codes_element, tag, to_bytes


def qdc_bytes(codebook: Codebook, notes: dict[str, str] | None = None) -> bytes:
    """`notes`: code id -> a line appended to its description (e.g. "Status triangulasi: terkonfirmasi — ...")."""
    ET.register_namespace("", CODEBOOK_NS)
    # The schema gives a codebook no name or version: `origin` names both (e.g. "reduksi 0.1.0; buku kode
    # Gugus 3 versi 1a2b3c4d5e6f"), and `reduksi codebook import` reads the version back.
    root = ET.Element(tag(CODEBOOK_NS, "CodeBook"),
                      origin=f"{ORIGIN}; buku kode {codebook.name or 'reduksi'} versi {codebook.version}")
    codes_element(root, CODEBOOK_NS, codebook, notes)
    return to_bytes(root)


def write_qdc(path: str | Path, codebook: Codebook, notes: dict[str, str] | None = None) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(qdc_bytes(codebook, notes))
    return path
