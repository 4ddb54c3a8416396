"""Never silent: warnings when a transcript's segmentation looks wrong, and the per-file ingest report frame.

Signs of a wrong reading: an interview with fewer than 3 turns per 1,000 words (turns collapsed), one speaker with
more than 90% of the words while speaking
alone, as the interviewer, or in turns averaging over 200 words (labels missed: informants who talk a lot in turns of
ordinary length are normal), many informant turns ending in `?` (roles swapped).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from pipeline.records import ParsedSource

REPORT_COLUMNS = ["file", "convention", "turns", "informant_words", "warnings"]
_MIN_TURNS_PER_1000 = 3
_MAX_SPEAKER_SHARE = 0.9
_MAX_ASKING_INFORMANT = 0.3
_LONG_TURN = 200


@dataclass(frozen=True)
class FileReport:
    """One row of `ingest_report.csv`."""

    file: str
    convention: str
    turns: int
    informant_words: int
    warnings: tuple[str, ...] = ()


def file_report(path: str, parsed: ParsedSource) -> FileReport:
    return FileReport(file=path, convention=parsed.convention or parsed.kind, turns=count_turns(parsed),
                      informant_words=informant_words(parsed), warnings=tuple(parsed.warnings))


def count_turns(parsed: ParsedSource) -> int:
    return sum(1 for u in parsed.units if not u.continued)


def informant_words(parsed: ParsedSource) -> int:
    return sum(len(u.text.split()) for u in parsed.units if not u.is_interviewer)


def segmentation_warnings(parsed: ParsedSource, path: str) -> list[str]:
    words = {speaker: 0 for speaker, _ in parsed.speakers}
    for unit in parsed.units:
        words[unit.speaker or "?"] = words.get(unit.speaker or "?", 0) + len(unit.text.split())
    total, turns = sum(words.values()), count_turns(parsed)
    warnings = []
    if total and turns * 1000 / total < _MIN_TURNS_PER_1000:
        warnings.append(f"{path}: only {turns} turn(s) in {total} words: turns may have been merged "
                        "(check the speaker labels with `reduksi inspect`)")
    top = max(words, key=lambda s: words[s]) if words else None
    if top is not None and total >= 200 and words[top] > _MAX_SPEAKER_SHARE * total and _suspect(parsed, top):
        warnings.append(f"{path}: speaker '{top}' has {100 * words[top] / total:.0f}% of the words: "
                        "other speakers' labels may have been missed")
    answers = [u for u in parsed.units if not u.is_interviewer and not u.continued]
    asking = sum(1 for u in answers if u.text.rstrip(" .)]\"”").endswith("?"))
    if asking >= 3 and asking > _MAX_ASKING_INFORMANT * len(answers):
        warnings.append(f"{path}: {asking} of {len(answers)} informant turns end with '?': the interviewer may "
                        "have been taken for an informant (set the manifest's `interviewer` column)")
    return warnings


def _suspect(parsed: ParsedSource, speaker: str) -> bool:
    own = [u for u in parsed.units if u.speaker == speaker]
    turns = sum(1 for u in own if not u.continued) or 1
    lone = len(parsed.speakers) < 2 or own[0].is_interviewer
    return lone or sum(len(u.text.split()) for u in own) / turns > _LONG_TURN


def report_frame(reports: Iterable[FileReport]) -> pd.DataFrame:
    """`ingest_report.csv`: columns file, convention, turns, informant_words, warnings (joined by ' | ')."""
    rows = [{"file": r.file, "convention": r.convention, "turns": r.turns, "informant_words": r.informant_words,
             "warnings": " | ".join(r.warnings)} for r in reports]
    return pd.DataFrame(rows, columns=REPORT_COLUMNS)
