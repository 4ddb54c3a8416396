"""Speaker-label grammar of Indonesian transcripts: where a turn starts on a line, and who speaks it.

Three label styles, any of which may carry a timestamp before or after the label (`[00:01:02]`, `00:01`, `(01.02)`):
- colon labels with any spacing: `P:`, `P :`, `Peneliti (P):`, `Ibu Sari :` (a `;` is read as a typo for a known
  label's colon, and `P - …` / `IR – …` as a dash in place of the colon);
- a label without a colon followed by a quoted turn: `A “…”`, `LS "…"`;
- a label alone on its line, the turn on the next lines: `Peneliti:` or `PENELITI`.
Several turns typed on one line are split where a label known in the file follows the end of a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

TIME = r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:[.,]\d{1,3})?"
_LEAD = rf"(?:[\[(](?P<ts1>{TIME})(?:[ \t]*[-–][ \t]*{TIME})?[\])]|(?P<ts0>\d{{1,2}}:\d{{2}}(?::\d{{2}})?))[ \t]*[-–]?[ \t]*"  # noqa: E501 (one pattern reads best on one line)
_ABBR = r"(?:[ \t]*\([ \t]*(?P<abbr>[^\W\d_][\w .]{0,15}?)[ \t]*\))?"
_TRAIL_TS = rf"(?:[ \t]*[\[(](?P<ts2>{TIME})[\])])?"
_BOLD = r"(?:\*\*|__)?"  # Markdown bold around a label: `**P:**`, `**Peneliti**:`
_BULLET = r"(?:[-•*][ \t]+)?"  # a list mark before the label: `- P: …`
# A label in brackets, as pseudonymised exports write speakers (`[G02]: …`) and some transcribers do (`[P]: …`).
_OPEN, _CLOSE = r"(?:\[(?=[^\W\d_][\w.'’ -]{0,40}\][ \t]*[:;]))?", r"\]?"
COLON = re.compile(
    rf"^[ \t]*{_BULLET}(?:{_LEAD})?{_BOLD}{_OPEN}(?P<label>[^\W\d_][\w.'’ -]{{0,40}}?){_CLOSE}{_ABBR}{_TRAIL_TS}{_BOLD}"
    rf"[ \t]*(?P<sep>:(?:(?=[ \t*_])|(?![/\d]))|;(?=[ \t])|(?<=[ \t])[-–—](?=[ \t])){_BOLD}[ \t]*"
    rf"(?:[\[(](?P<ts3>{TIME})(?:[ \t]*[-–][ \t]*{TIME})?[\])][ \t]*)?"
)
QUOTED = re.compile(
    rf"^[ \t]*(?:{_LEAD})?(?P<label>[A-Z][\w.'’-]{{0,15}}(?:[ \t]+[A-Z][\w.'’-]{{0,15}}){{0,2}}){_ABBR}{_TRAIL_TS}"
    r"[ \t]*(?P<quote>[“\"„«])"
)
ALONE = re.compile(  # transcription services: `Speaker 1 (00:00:03)`, `Speaker 1  0:03`
    rf"^[ \t]*(?:{_LEAD})?(?P<label>[^\W\d_][\w.'’ -]{{0,30}}?){_ABBR}{_TRAIL_TS}"
    r"(?:[ \t]+(?P<ts4>\d{1,2}:\d{2}(?::\d{2})?))?[ \t]*:?[ \t]*$"
)
CLOSING_QUOTES = "”\"»“"
# A possible label inside a line: a capitalised word of at most 12 letters after the end of a sentence, then a colon.
INLINE_CANDIDATE = re.compile(r"(?<=[.?!…\"”])[ \t]+(?P<label>[A-Z][A-Za-z0-9]{0,11})[ \t]*:[ \t]")


@dataclass(frozen=True)
class LabelHit:
    """A label at the start of a line (or of a sentence inside one): `body` is where the turn's words start."""

    label: str
    abbr: str | None
    style: str  # "colon", "quoted" or "alone"
    body: int  # offset in the line
    timestamp: str | None
    sep: str = ":"

    @property
    def names(self) -> tuple[str, ...]:
        return (self.label, self.abbr) if self.abbr else (self.label,)


@lru_cache(maxsize=8192)
def fold(label: str) -> str:
    """The comparable form of a label: dots to spaces, single spaces, case-folded."""
    return " ".join(label.replace(".", " ").split()).casefold()


@lru_cache(maxsize=8192)
def role_key(label: str) -> str:
    """`Pertanyaan 1` and `Informan 2` look up like `pertanyaan` and `informan`; `P1` or `G2` stay as they are."""
    words = fold(label).split()
    if len(words) > 1 and words[-1].isdigit() and len(words[0]) > 2:
        words = words[:-1]
    return " ".join(words)


@lru_cache(maxsize=8192)  # each line is asked about by several conventions
def find_label(line: str) -> LabelHit | None:
    """The label a line starts with, in any style, or None (acceptance per file is decided by the caller)."""
    match = COLON.match(line)
    if match:
        return _hit(match, "colon", match.end())
    match = QUOTED.match(line)
    if match:
        return _hit(match, "quoted", match.end())
    match = ALONE.match(line)
    if match and match.group("label").strip() and len(match.group("label").split()) <= 3:
        return _hit(match, "alone", len(line))
    return None


def _hit(match: re.Match[str], style: str, body: int) -> LabelHit:
    groups = match.groupdict()
    stamp = next((groups[g] for g in ("ts0", "ts1", "ts2", "ts3", "ts4") if groups.get(g)), None)
    return LabelHit(label=match.group("label").strip(), abbr=(groups.get("abbr") or None), style=style, body=body,
                    timestamp=stamp, sep=(groups.get("sep") or ":"))


def inline_pattern(labels: set[str]) -> re.Pattern[str] | None:
    """Where another turn starts inside a line: a known label after the end of a sentence (`…? KY : …`)."""
    if not labels:
        return None
    names = "|".join(re.escape(x) for x in sorted(labels, key=len, reverse=True))
    return re.compile(rf"(?<=[.?!…\"”])[ \t]+(?=(?:{names})(?:[ \t]*\([^()\n]{{1,15}}\))?"
                      rf"(?:[ \t]*:[ \t]|[ \t]+[“\"]))")


def looks_like_initials(label: str) -> bool:
    """`KY`, `LS`, `IR`, `G1`: short upper-case tokens, typical of speakers and unlike words of speech."""
    return len(label) <= 4 and label[:1].isupper() and label.replace(".", "").isalnum() and label.upper() == label
