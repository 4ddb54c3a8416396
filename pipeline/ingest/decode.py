"""Bytes to normalised text: encoding detection, binary/empty checks, newline and Unicode normalisation.

Normalisation happens here, once: every offset in the project points into the text this returns.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import BinarySource, EmptySource, EncodingProblem

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # control characters other than white space


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    warning: str | None = None


def decode_bytes(data: bytes, path: str | Path) -> Decoded:
    """Decode a text file's bytes; raise a clear error for empty or binary content."""
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise EmptySource("the file is empty", file=path)
    encoding, body, warning = _detect(data, path)
    text = normalise_text(body)
    if not text.strip():
        raise EmptySource("the file holds only white space", file=path)
    _reject_binary(text, path)
    return Decoded(text, encoding, warning)


def normalise_text(text: str) -> str:
    """Newlines to `\\n` and Unicode to NFC: the one normalisation every offset refers to."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def read_text_file(path: str | Path) -> Decoded:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise EncodingProblem(f"cannot read: {exc.strerror}", file=path) from None
    return decode_bytes(data, path)


def _detect(data: bytes, path: str | Path) -> tuple[str, str, str | None]:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", _strict(data[3:], "utf-8", path), None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", _strict(data, "utf-16", path), None
    if _looks_utf16_without_bom(data):
        encoding = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        return encoding, _strict(data, encoding, path), None
    if b"\x00" in data:
        raise BinarySource("binary content (NUL bytes): not a text file", file=path,
                           hint="export the transcript as .txt, .docx, .vtt, .srt, .csv or .xlsx")
    try:
        return "utf-8", data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        text = data.decode("cp1252", errors="replace")
        warning = (f"{path}: line {line}: not valid UTF-8 (byte 0x{data[exc.start]:02x}); "
                   "decoded as Windows-1252 — check accented characters, or save the file as UTF-8")
        return "cp1252", text, warning


def _strict(data: bytes, encoding: str, path: str | Path) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise EncodingProblem(f"invalid {encoding} at byte {exc.start}", file=path) from None


def _looks_utf16_without_bom(data: bytes) -> bool:
    sample = data[:4000]
    if len(sample) < 4:
        return False
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    return max(even_nuls, odd_nuls) > 0.4 * half and min(even_nuls, odd_nuls) < 0.05 * half


def _reject_binary(text: str, path: str | Path) -> None:
    sample = text[:8000]
    controls = len(_CONTROL.findall(sample))
    replaced = sample.count("\ufffd")
    if controls > 0.01 * len(sample) + 2 or replaced > 0.05 * len(sample) + 2:
        raise BinarySource("binary content: not a text file", file=path,
                           hint="export the transcript as .txt, .docx, .vtt, .srt, .csv or .xlsx")
