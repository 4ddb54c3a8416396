"""One entry point for every supported format: a file plus its manifest row in, a ParsedSource out."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

from pipeline.config import IngestConfig
from pipeline.errors import BinarySource, EmptySource, UnsupportedFormat
from pipeline.ingest.decode import read_text_file
from pipeline.ingest.docx_reader import parse_docx
from pipeline.ingest.plaintext import parse_paragraphs, parse_transcript
from pipeline.ingest.subtitles import parse_srt, parse_vtt
from pipeline.ingest.tabular import parse_csv, parse_xlsx
from pipeline.ingest.turnmodel import with_roles
from pipeline.ingest.turns import LabelRules
from pipeline.records import ParsedSource, SourceMeta

TEXT_FORMATS = {".txt": "txt", ".md": "md", ".markdown": "md", ".vtt": "vtt", ".srt": "srt", ".csv": "csv"}
BINARY_FORMATS = {".docx": "docx", ".xlsx": "xlsx"}
SUPPORTED = (*TEXT_FORMATS, *BINARY_FORMATS)
_ZIP_MAGIC = b"PK\x03\x04"


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_source(meta: SourceMeta, config: IngestConfig) -> ParsedSource:
    """Parse one file as its manifest row says: interviews as speaker turns, notes and documents as paragraphs."""
    path = Path(meta.path)
    suffix = path.suffix.lower()
    rules = LabelRules.from_config(config, meta.interviewer_labels)
    transcript = meta.method == "wawancara"
    if suffix in BINARY_FORMATS:
        _check_zip(path)
        parsed = parse_docx(path, rules, transcript=transcript) if suffix == ".docx" else parse_xlsx(path, rules)
    elif suffix not in TEXT_FORMATS:
        raise UnsupportedFormat(f"unsupported file type '{suffix or '(none)'}'", file=path,
                                hint=f"supported: {', '.join(SUPPORTED)}")
    else:
        decoded = read_text_file(path)
        parsed = _parse_text(decoded.text, TEXT_FORMATS[suffix], rules, str(path), transcript)
        if decoded.warning:
            parsed = dataclasses.replace(parsed, warnings=(*parsed.warnings, decoded.warning))
    if parsed.kind == "transcript" and not parsed.speakers:  # structured formats: roles over the whole file
        parsed = with_roles(parsed, rules.evidence())
    return parsed


def _parse_text(text: str, fmt: str, rules: LabelRules, path: str, transcript: bool) -> ParsedSource:
    if fmt == "vtt":
        return parse_vtt(text, rules, path=path)
    if fmt == "srt":
        return parse_srt(text, rules, path=path)
    if fmt == "csv":
        return parse_csv(text, rules, path=path)
    if transcript:
        return parse_transcript(text, rules, path=path, fmt=fmt)
    return parse_paragraphs(text, fmt=fmt)


def _check_zip(path: Path) -> None:
    with open(path, "rb") as handle:
        head = handle.read(4)
    if not head:
        raise EmptySource("the file is empty", file=path)
    if head != _ZIP_MAGIC:
        raise BinarySource(f"not a {path.suffix.lower()} file (it is not an Office Open XML package)", file=path)
