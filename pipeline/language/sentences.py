"""Sentence splitting for spoken turns and written notes, aware of common Indonesian abbreviations."""

from __future__ import annotations

import re

# Abbreviations after which a full stop does not end a sentence (compared in lower case, without the final dot).
ABBREVIATIONS = frozenset(
    "dll dsb dst dkk tsb yth no hlm bpk ibu bu pak sdr sdri drs dra dr prof ir hj h kh s.pd m.pd s.pd.sd a.ma "
    "a.ma.pd s.si s.ag m.si s.e m.m st jl kec kab kel tgl th thn ps pkl vs mis spt krn yg dg dgn utk".split()
)
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+|$)")
_NEXT_START = re.compile(r"\s+(?=\S)")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return (start, end) spans of sentences; whitespace between sentences belongs to none."""
    spans: list[tuple[int, int]] = []
    start = _skip_space(text, 0)
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        if end <= start or _is_abbreviation(text, start, match.start()):
            continue
        spans.append((start, end))
        start = _skip_space(text, end)
    if start < len(text.rstrip()):
        spans.append((start, len(text.rstrip())))
    return spans


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def _is_abbreviation(text: str, sentence_start: int, dot: int) -> bool:
    if text[dot] != ".":
        return False
    word_start = dot
    while word_start > sentence_start and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:dot].lower().lstrip("(\"'")
    if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
        return True
    # "S.Pd." style titles: letters with inner dots.
    return bool(re.fullmatch(r"(?:[a-z]{1,3}\.)+[a-z]{1,3}", word))

