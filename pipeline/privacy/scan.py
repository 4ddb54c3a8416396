"""Look for names left in exported files: the text of every CSV, XLSX, HTML, PDF, DOCX, QDPX and QDC file."""

from __future__ import annotations

import html
import re
import unicodedata
import zipfile
from pathlib import Path
from typing import Iterable

TEXT_SUFFIXES = (".csv", ".html", ".qdc", ".toml", ".svg")
ZIP_SUFFIXES = (".xlsx", ".qdpx", ".docx")


def export_texts(folder: Path, skip: Iterable[str] = (), recursive: bool = True) -> dict[str, str]:
    """File (or `file:member`) -> its text, for every export in `folder` (files named in `skip` left out; only
    the folder's own files unless `recursive`)."""
    texts: dict[str, str] = {}
    skipped = set(skip)
    for path in sorted(folder.rglob("*") if recursive else folder.iterdir()):
        if not path.is_file() or path.name in skipped:
            continue
        if path.suffix in TEXT_SUFFIXES:
            texts[path.name] = html.unescape(path.read_text(encoding="utf-8-sig"))
        elif path.suffix in ZIP_SUFFIXES:
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    if member.endswith((".xml", ".qde", ".txt", ".rels")):
                        texts[f"{path.name}:{member}"] = _xml_text(archive.read(member).decode("utf-8-sig"))
        elif path.suffix == ".pdf":
            texts[path.name] = pdf_text(path)
    return texts


def pdf_text(path: Path) -> str:
    """The text of a PDF (pypdf, in the dev extra), ligatures ("ﬁ") read as their letters."""
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    return unicodedata.normalize("NFKC", text)


def _xml_text(xml: str) -> str:
    """Markup removed, runs joined (a Word run may split a word), entities read."""
    return html.unescape(re.sub(r"<[^>]+>", "", re.sub(r"</w:p>|<br/>|</row>", "\n", xml)))


def leaks(texts: dict[str, str], names: Iterable[str]) -> list[tuple[str, str]]:
    """(file, name) for every name still written (capitalised, as a whole word) in any text."""
    found = []
    for name in sorted(set(names)):
        pattern = re.compile(rf"(?<![\w'’]){re.escape(name)}(?![\w'’])")
        upper = re.compile(rf"(?<![\w'’]){re.escape(name.upper())}(?![\w'’])")
        found += [(file, name) for file, text in texts.items() if pattern.search(text) or upper.search(text)]
    return found
