"""Labelled turns: colon labels, quoted turns after a label, labels alone on their line, several turns on a line.

A label is accepted as a speaker when it is known (the role dictionary, a header definition, the manifest) or used
at least twice in the file (initials for quoted turns and bare label lines); a one-off label close to an accepted
one (`Penelti:` beside `Peneliti:`) is read as that speaker, with a warning. Unlabelled lines continue the open turn.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

from pipeline.ingest.labels import (
    CLOSING_QUOTES,
    INLINE_CANDIDATE,
    LabelHit,
    find_label,
    fold,
    inline_pattern,
    looks_like_initials,
    role_key,
)
from pipeline.ingest.roles import WEAK_WORDS
from pipeline.ingest.turnmodel import Layout, Line, Turn, trimmed
from pipeline.ingest.turns import LabelRules

_NUMBERED_SPEAKER = re.compile(r"^[^\W\d_]+[ ]?\d{1,2}$")  # `Speaker 1`, `Peserta 3`, `R2`: numbered speakers
_HONORIFICS = {"bu", "ibu", "pak", "bapak", "mas", "mbak", "teh", "kang", "bang", "kak", "dik", "bu.", "pak."}
# Interjections and discourse words that open a line of speech with a colon (`Misalnya: …`), never speakers.
_NOT_LABELS = {"ok", "oke", "ya", "iya", "nah", "hm", "hmm", "eh", "oh", "ah", "wah", "lho", "nggak", "tidak",
               "misalnya", "contohnya", "contoh", "jadi", "intinya", "pertama", "kedua", "ketiga", "keempat",
               "terakhir", "catatan", "keterangan", "kesimpulan", "terus", "lalu", "yaitu", "yakni", "seperti",
               "tujuannya", "hasilnya", "alasannya", "masalahnya", "artinya", "maksudnya", "katanya", "pokoknya"}


@dataclass
class LabelSet:
    """Accepted labels of one file: folded name -> the speaker as first written."""

    speakers: dict[str, str] = field(default_factory=dict)
    forms: set[str] = field(default_factory=set)  # labels as written, for splitting lines holding several turns
    styles: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)

    def speaker(self, hit: LabelHit) -> str | None:
        for name in (*hit.names, role_key(hit.label)):
            if fold(name) in self.speakers:
                return self.speakers[fold(name)]
        return None


def accept_labels(lines: list[Line], dropped: dict[int, str], known: frozenset[str], rules: LabelRules,
                  path: str = "") -> LabelSet:
    hits = [(line, hit) for line in lines if line.number not in dropped and (hit := find_label(line.text))]
    counts = Counter((hit.style, fold(hit.label)) for _, hit in hits)
    labels = LabelSet()
    for line, hit in hits:
        if _acceptable(hit, counts[(hit.style, fold(hit.label))], known, rules):
            _register(labels, hit, bare=not line.text[hit.body:].strip())
    _inline_labels(labels, lines, dropped, known)
    for line, hit in hits:
        if hit.style == "colon" and labels.speaker(hit) is None:
            _typo_or_unknown(labels, line, hit, path)
    return labels


def _inline_labels(labels: LabelSet, lines: list[Line], dropped: dict[int, str], known: frozenset[str]) -> None:
    """Labels that only ever follow the end of a sentence (`…? KY : …`): initials used twice, or known words."""
    counts = Counter(m.group("label") for line in lines if line.number not in dropped
                     for m in INLINE_CANDIDATE.finditer(line.text))
    for label, count in counts.items():
        if fold(label) in labels.speakers or fold(label) in _NOT_LABELS:
            continue
        if fold(label) in known or role_key(label) in known or (looks_like_initials(label) and count >= 2):
            labels.speakers[fold(label)] = label
            labels.forms.add(label)


def _acceptable(hit: LabelHit, count: int, known: frozenset[str], rules: LabelRules) -> bool:
    is_known = any(fold(name) in known or role_key(name) in known for name in hit.names)
    if is_known and count < 2 and all(role_key(name) in WEAK_WORDS for name in hit.names):
        is_known = False
    if fold(hit.label) in _NOT_LABELS:
        return False
    if hit.style == "colon":
        if hit.sep == ";":
            return is_known
        if hit.sep in "-–—":  # `P - …`: only known labels or initials, used at least twice
            return count >= 2 and (is_known or looks_like_initials(hit.label))
        # Speakers are written with a capital; `jadi begini:` at the start of a line is speech.
        return is_known or (count >= 2 and rules.plausible(hit.label) and hit.label[:1].isupper())
    words = hit.label.split()
    named = (looks_like_initials(hit.label) or (len(words) >= 2 and fold(words[0]) in _HONORIFICS)
             or _NUMBERED_SPEAKER.match(hit.label) is not None)
    if hit.style == "quoted":
        return is_known or (count >= 2 and named and len(words) <= 3)
    # A label alone on its line is used at least twice, known or not: once, it is a title (`Informan 1 (Guru)`).
    return count >= 2 and (is_known or (named and (hit.label.isupper() or len(words) >= 2)))


def _register(labels: LabelSet, hit: LabelHit, *, bare: bool) -> None:
    written = f"{hit.label} ({hit.abbr})" if hit.abbr else hit.label
    speaker = labels.speaker(hit) or written
    for name in (written, *hit.names):
        labels.speakers.setdefault(fold(name), speaker)
    labels.styles["alone" if bare else hit.style] += 1
    if hit.style != "alone":
        labels.forms.update(hit.names)


def _typo_or_unknown(labels: LabelSet, line: Line, hit: LabelHit, path: str) -> None:
    folded = fold(hit.label)
    close = difflib.get_close_matches(folded, [k for k in labels.speakers if len(k) >= 4], n=1, cutoff=0.8)
    where = f"{path}: line {line.number}"
    if _NUMBERED_SPEAKER.match(hit.label) and any(_base(hit.label) == _base(s) for s in labels.speakers.values()):
        labels.speakers[folded] = hit.label  # `Speaker 3` beside `Speaker 1`: another speaker, not a typo
        labels.forms.add(hit.label)
    elif close and len(folded) >= 4:
        labels.speakers[folded] = labels.speakers[close[0]]
        labels.warnings.append(f"{where}: label '{hit.label}' read as '{labels.speakers[close[0]]}'")
    elif looks_like_initials(hit.label) and labels.speakers:
        labels.warnings.append(f"{where}: unrecognised label '{hit.label}:' (used once) read as speech")


def _base(label: str) -> str:
    return fold(label).rstrip("0123456789 ")


def read_labelled(text: str, lines: list[Line], dropped: dict[int, str], labels: LabelSet) -> Layout | None:
    """Turns from accepted labels; None when the file has fewer than two labelled turns."""
    if not labels.speakers:
        return None
    reader = _Reader(text, labels, dict(dropped))
    for line in lines:
        reader.feed(line)
    reader.close()
    if len(reader.turns) < 2:
        return None
    return Layout(_convention(labels), tuple(reader.turns), tuple(labels.warnings), reader.dropped)


def _convention(labels: LabelSet) -> str:
    style = labels.styles.most_common(1)[0][0] if labels.styles else "colon"
    return {"colon": "colon-labels", "quoted": "quoted-labels", "alone": "label-lines"}[style]


class _Reader:
    """The state machine: a label opens a turn, other lines continue it, a dropped line interrupts it."""

    def __init__(self, text: str, labels: LabelSet, dropped: dict[int, str]) -> None:
        self.text, self.labels, self.dropped = text, labels, dropped
        self.inline = inline_pattern(labels.forms)
        self.turns: list[Turn] = []
        self.open: dict | None = None
        self.interrupted: dict | None = None
        self.stamp: str | None = None  # a timestamp alone on the line before a label belongs to that turn

    def feed(self, line: Line) -> None:
        if self.dropped.get(line.number) == "timestamp":
            self.stamp = line.text.strip(" \t[]()")
        if line.number in self.dropped:
            if self.open and self._has_words(self.open):
                self.interrupted = self.open
                self.close()
            return
        if line.text.lstrip().startswith("#"):
            self.close()
            self.interrupted = None
            return
        for start, end in self._segments(line):
            self._segment(line, start, end)

    def _segments(self, line: Line) -> list[tuple[int, int]]:
        first = find_label(line.text)
        own = first is not None and first.style != "alone" and self.labels.speaker(first) is not None
        floor = first.body if first and own else 0  # not inside the line's own label
        inner = [m.end() for m in self.inline.finditer(line.text) if m.end() > floor] if self.inline else []
        cuts = [0, *inner, len(line.text)]
        return [(line.start + a, line.start + b) for a, b in pairwise(cuts)]

    def _segment(self, line: Line, start: int, end: int) -> None:
        piece = self.text[start:end]
        if not piece.strip():
            return
        hit = find_label(piece)
        speaker = self.labels.speaker(hit) if hit else None
        stamp, self.stamp = self.stamp, None
        if hit and speaker:
            self.close()
            self.interrupted = None
            self.open = {"speaker": speaker, "start": start + hit.body, "end": end, "line": line.number,
                         "timestamp": hit.timestamp or stamp, "quoted": hit.style == "quoted", "continued": False}
        elif self.open:
            self.open["end"] = end
        elif self.interrupted:
            self.open = {**self.interrupted, "start": start, "end": end, "line": line.number, "continued": True}
            self.interrupted = None
        else:
            self.dropped.setdefault(line.number, "before the first turn")

    def _has_words(self, turn: dict) -> bool:
        start, end = trimmed(self.text, turn["start"], turn["end"])
        return end > start

    def close(self) -> None:
        turn, self.open = self.open, None
        if turn is None:
            return
        start, end = trimmed(self.text, turn["start"], turn["end"])
        if turn["quoted"] and end > start and self.text[end - 1] in CLOSING_QUOTES:
            end -= 1
        if end > start:
            self.turns.append(Turn(start, end, turn["speaker"], turn["line"], turn["timestamp"],
                                   continued=turn["continued"]))
