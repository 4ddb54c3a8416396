"""Character offset maps between two versions of a text.

Offsets are sacred: when an export rewrites a text (pseudonymised names) or an import reads another tool's copy
of a source (CRLF line ends, names replaced, small edits), every position is carried across through an
`OffsetMap` built from the stretches both texts share. A position inside a changed stretch maps to the edge of
the matching stretch on the other side, so a selection never loses the words it covered.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Iterable

_LEVELS = (re.compile(r"[^\n]*\n|[^\n]+"), re.compile(r"\w+|\s+|[^\w\s]"))  # lines, then words; then characters


@dataclass(frozen=True)
class OffsetMap:
    """Maps offsets of text A (length `a_len`) to text B (length `b_len`).

    `blocks`: (a_start, b_start, size) of the stretches A and B share, sorted and non-overlapping.
    """

    blocks: tuple[tuple[int, int, int], ...]
    a_len: int
    b_len: int

    @classmethod
    def identity(cls, length: int) -> "OffsetMap":
        return cls(((0, 0, length),) if length else (), length, length)

    @classmethod
    def from_replacements(cls, a_len: int, replacements: Iterable[tuple[int, int, int]]) -> "OffsetMap":
        """Text B is A with the non-overlapping spans [start, end) replaced by texts of the given lengths."""
        blocks, a_pos, shift = [], 0, 0
        for start, end, new_length in sorted(replacements):
            if start > a_pos:
                blocks.append((a_pos, a_pos + shift, start - a_pos))
            shift += new_length - (end - start)
            a_pos = end
        if a_len > a_pos:
            blocks.append((a_pos, a_pos + shift, a_len - a_pos))
        return cls(tuple(blocks), a_len, a_len + shift)

    def start(self, position: int) -> int:
        """Where a selection starting at `position` of A starts in B."""
        i = bisect.bisect_right(self._starts, position) - 1
        if i < 0:
            return 0
        a, b, size = self.blocks[i]
        return b + (position - a) if position < a + size else b + size

    def end(self, position: int) -> int:
        """Where a selection ending (exclusive) at `position` of A ends in B."""
        i = bisect.bisect_left(self._starts, position) - 1
        if i < 0:
            return self.blocks[0][1] if self.blocks else 0
        a, b, size = self.blocks[i]
        if position <= a + size:
            return b + (position - a)
        return self.blocks[i + 1][1] if i + 1 < len(self.blocks) else self.b_len

    def span(self, start: int, end: int) -> tuple[int, int]:
        new_start, new_end = self.start(start), self.end(end)
        return new_start, max(new_start, new_end)

    @property
    def _starts(self) -> list[int]:
        cached = self.__dict__.get("_starts_cache")
        if cached is None:
            cached = [a for a, _, _ in self.blocks]
            object.__setattr__(self, "_starts_cache", cached)
        return cached


@dataclass(frozen=True)
class Chain:
    """Several maps applied one after the other (A -> B -> C)."""

    maps: tuple[OffsetMap, ...]

    @property
    def a_len(self) -> int:
        return self.maps[0].a_len

    def span(self, start: int, end: int) -> tuple[int, int]:
        for offset_map in self.maps:
            start, end = offset_map.span(start, end)
        return start, end


def align(a: str, b: str) -> OffsetMap:
    """An offset map from `a` to `b`, matched line by line, then word by word, then character by character."""
    if a == b:
        return OffsetMap.identity(len(a))
    blocks: list[tuple[int, int, int]] = []
    _match(a, b, 0, len(a), 0, len(b), 0, blocks)
    return OffsetMap(tuple(_merge(blocks)), len(a), len(b))


def crlf_map(text: str) -> tuple[str, OffsetMap]:
    """`text` with CRLF (and lone CR) line ends as LF, and the map from offsets counting "\\r\\n" as two
    characters to offsets in the LF text."""
    replacements = [(m.start(), m.end(), 1) for m in re.finditer(r"\r\n", text)]
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    return normalised, OffsetMap.from_replacements(len(text), replacements)


def _match(a: str, b: str, a0: int, a1: int, b0: int, b1: int, level: int,
           blocks: list[tuple[int, int, int]]) -> None:
    if level == len(_LEVELS):
        matcher = SequenceMatcher(None, a[a0:a1], b[b0:b1], autojunk=False)
        blocks.extend((a0 + i, b0 + j, n) for i, j, n in matcher.get_matching_blocks() if n)
        return
    units_a, starts_a = _units(a, a0, a1, level)
    units_b, starts_b = _units(b, b0, b1, level)
    matcher = SequenceMatcher(None, units_a, units_b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        s_a, e_a, s_b, e_b = starts_a[i1], starts_a[i2], starts_b[j1], starts_b[j2]
        if tag == "equal":
            blocks.append((s_a, s_b, e_a - s_a))
        elif tag == "replace":
            _match(a, b, s_a, e_a, s_b, e_b, level + 1, blocks)


def _units(text: str, start: int, end: int, level: int) -> tuple[list[str], list[int]]:
    """The units of text[start:end] at `level` and their start offsets, plus `end` as a final sentinel."""
    units, starts = [], []
    for m in _LEVELS[level].finditer(text, start, end):
        units.append(m.group())
        starts.append(m.start())
    starts.append(end)
    return units, starts


def _merge(blocks: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    merged: list[tuple[int, int, int]] = []
    for a, b, size in sorted(blocks):
        if merged and merged[-1][0] + merged[-1][2] == a and merged[-1][1] + merged[-1][2] == b:
            merged[-1] = (merged[-1][0], merged[-1][1], merged[-1][2] + size)
        else:
            merged.append((a, b, size))
    return merged
