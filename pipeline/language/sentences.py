"""Sentence splitting for spoken turns and written notes, aware of Indonesian abbreviations.

A sentence ends at `.`, `!`, `?`, `…` (with closing quotes/brackets) before white space, except after a title or
abbreviation (`Bpk.`, `S.Pd.`, `No.`, `dll.` followed by lower case), an initial (`R. Ahmad`) or a month before a
number (`12 Jan. 2018`); numbers (`2017/2018`, `10.30`, `1.500`) never split since no space follows their dots.
In speech a line break ends a sentence too; `?` and `!` always do; an ellipsis does unless lower case follows.
"""

from __future__ import annotations

import re

# Titles and abbreviations written before a name or number: a full stop after them never ends a sentence.
TITLES = frozenset(
    "bpk bp sdr sdri drs dra dr prof ir hj h kh st no nomor hlm jl jln kec kab kel kp ds tgl pkl rt rw "
    "yth mr mrs ms rp vol gg dsn dk tb ny nn".split()
)
# Abbreviations that may close a sentence: they end one only when a capital follows.
CLOSING = frozenset("dll dsb dst dkk tsb spt yg dgn utk krn dr kpd sbg thn th sd smp sma smk".split())
MONTHS = frozenset("jan feb mar apr mei jun jul agu agt ags sep sept okt nov des".split())
_BOUNDARY = re.compile(r"(?:[.!?]+|…|\.\.\.)[\"'”’)\]]*(?=\s)|\n+")
_DEGREE = re.compile(r"(?:[A-Za-z]{1,4}\.){1,3}[A-Za-z]{1,4}")  # S.Pd, M.Pd, S.Pd.SD, A.Ma.Pd


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return (start, end) spans of sentences; whitespace between sentences belongs to none."""
    spans: list[tuple[int, int]] = []
    start = _skip_space(text, 0)
    for match in _BOUNDARY.finditer(text + " "):
        end = match.end()
        if match.start() >= len(text) or end <= start or not _ends_sentence(text, start, match):
            continue
        stop = _trim(text, start, min(end, len(text)))
        if stop > start:
            spans.append((start, stop))
        start = _skip_space(text, end)
    stop = _trim(text, start, len(text))
    if stop > start:
        spans.append((start, stop))
    return spans


def _ends_sentence(text: str, start: int, match: re.Match[str]) -> bool:
    mark = match.group()
    if mark.startswith("\n"):
        return True
    following = _next_char(text, match.end())
    if mark[0] in "!?":
        return True
    if mark.startswith(("…", "..")):
        return not following.islower()
    return not _is_abbreviation(text, start, match.start(), following)


def _is_abbreviation(text: str, sentence_start: int, dot: int, following: str) -> bool:
    word_start = dot
    while word_start > sentence_start and not text[word_start - 1].isspace():
        word_start -= 1
    raw = text[word_start:dot].lstrip("(\"'“")
    word = raw.lower()
    if word in TITLES or (word in MONTHS and following.isdigit()):
        return True
    if len(raw) == 1 and raw.isalpha() and raw.isupper():  # an initial: R. Ahmad
        return True
    if word in CLOSING or _DEGREE.fullmatch(raw):  # dll. / S.Pd. end a sentence when a capital follows
        return not (following.isupper() or following in "\"“'")
    return False


def _next_char(text: str, position: int) -> str:
    while position < len(text) and text[position].isspace():
        position += 1
    return text[position] if position < len(text) else ""


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def _trim(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end
