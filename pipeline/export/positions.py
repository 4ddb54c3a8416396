"""How a tool counted positions in a source's text, and the map from its counting to Unicode code points.

The standard counts Unicode characters (code points), as reduksi and QualCoder do; NVivo counts UTF-16 code
units (a character outside the Basic Multilingual Plane, such as most emoji, counts twice); a tool written around
UTF-8 may count bytes. Line ends are a second question: CRLF counted as two characters or as one (ATLAS.ti).
`candidates` lists every reading that differs for this text; the importer keeps the one the selections fit best.
"""

from __future__ import annotations

from pipeline.export.offsets import Chain, OffsetMap, crlf_map

UNITS = ("codepoints", "utf16", "utf8")


def unit_map(text: str, units: str) -> OffsetMap:
    """From positions counted in `units` over `text` to code point positions in `text`."""
    if units == "codepoints":
        return OffsetMap.identity(len(text))
    replacements, position = [], 0
    for char in text:
        width = _width(char, units)
        if width > 1:
            replacements.append((position, position + width, 1))
        position += width
    return OffsetMap.from_replacements(position, replacements)


def to_units(text: str, position: int, units: str) -> int:
    """A code point position of `text` counted in `units` (what a tool counting that way would write)."""
    return sum(_width(char, units) for char in text[:position])


def candidates(text: str) -> list[tuple[str, str, str, Chain]]:
    """(units, line ends, the text with LF line ends, map from the file's positions to that text) for every
    distinct reading: code points first, then UTF-16, then UTF-8; CRLF as two characters before CRLF as one."""
    found = []
    normalised, two = crlf_map(text)
    for units in UNITS:
        if units != "codepoints" and not _differs(text, units):
            continue
        if "\r" not in text:
            found.append((units, "lf", text, Chain((unit_map(text, units),))))
            continue
        found.append((units, "crlf=2", normalised, Chain((unit_map(text, units), two))))
        found.append((units, "crlf=1", normalised, Chain((unit_map(normalised, units),))))
    return found


def _width(char: str, units: str) -> int:
    if units == "utf16":
        return 2 if ord(char) > 0xFFFF else 1
    if units == "utf8":
        return len(char.encode("utf-8", errors="surrogatepass"))
    return 1


def _differs(text: str, units: str) -> bool:
    return any(_width(char, units) > 1 for char in text)
