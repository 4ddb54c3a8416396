"""Numbered questions without speaker labels: `1. Apa …?` then the answer on `-`/`•`/`>` lines or in paragraphs.

A numbered line (`1.`, `2)`, `No. 3`) is a question when it holds a `?` or opens with a question word; a question
wraps onto a next line that goes on in lower case after a line without final punctuation. Everything up to the next
question is the answer (one turn; each bullet is a part of it, the bullet marks are not content), and answers that
are numbered lists themselves stay answers because their items are not questions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.ingest.roles import PROMPT_WORDS
from pipeline.ingest.turnmodel import Layout, Line, Turn, trimmed

QUESTION_SPEAKER = "Pertanyaan"
ANSWER_SPEAKER = "Jawaban"
_NUMBERED = re.compile(
    r"^[ \t]*(?:\*\*)?(?:(?:no|nomor|pertanyaan|soal)\.?[ \t]*\d{1,2}[.):]?|(?:\d{1,2}|[a-z])[.)])[ \t]+(?=\S)", re.IGNORECASE)  # noqa: E501 (one pattern reads best on one line)
_ENDS = (".", "?", "!", ":")
_MARKER = re.compile(r"^[ \t]*(?:[-•>*–·▪◦‣][ \t]+|(?:jawab(?:an)?|j)[ \t]*[:.][ \t]*)", re.IGNORECASE)


@dataclass(frozen=True)
class Questions:
    """How a file without two speaker labels tells questions from answers. The default: numbered questions, answers
    on bullet lines or plain paragraphs. Also used when only the questions (`Tanya: …`) or only the answers
    (`Jawab: …`) carry a label: `ask` and `mark` then look for that label."""

    ask: Callable[[str], int | None]  # where a question's words start on a line that opens one, else None
    mark: Callable[[str], int | None]  # where an answer's words start on a line that opens an answer part
    asker: str = QUESTION_SPEAKER
    answerer: str = ANSWER_SPEAKER
    convention: str = "numbered-questions"


def question_at(line: str) -> int | None:
    """Where the words of a numbered question start in `line`, or None."""
    match = _NUMBERED.match(line)
    if not match:
        return None
    words = line[match.end():]
    if "?" in words or words.lower().startswith(PROMPT_WORDS):
        return match.end()
    return None


def bullet_at(line: str) -> int | None:
    """Where the words start after a bullet (`-`, `•`, `>`) or an answer marker (`Jawab:`), or None."""
    match = _MARKER.match(line)
    return match.end() if match else None


def unlabelled_question_at(line: str) -> int | None:
    """An unnumbered, unlabelled question line: it opens with a capital (a line going on in lower case is the wrap of
    an answer) and ends in `?` or opens with a question word."""
    words = line.strip()
    if words[:1].isupper() and (words.endswith("?") or words.lower().startswith(PROMPT_WORDS)):
        return len(line) - len(line.lstrip())
    return None


NUMBERED = Questions(ask=question_at, mark=bullet_at)


def read_numbered(text: str, lines: list[Line], dropped: dict[int, str], style: Questions = NUMBERED
                  ) -> Layout | None:
    """Question and answer turns; None with fewer than two questions."""
    if sum(1 for line in lines if line.number not in dropped and style.ask(line.text) is not None) < 2:
        return None
    dropped = dict(dropped)
    turns: list[Turn] = []
    open_turn: list = []  # [speaker, start, end, line, continued]
    asking = False
    for line in lines:
        if line.number in dropped or line.text.lstrip().startswith("#"):
            _close(text, open_turn, turns)
            continue
        at = style.ask(line.text)
        mark = style.mark(line.text) if at is None else None
        if at is not None:
            _close(text, open_turn, turns)
            open_turn[:] = [style.asker, line.start + at, line.end, line.number, False]
            asking = not line.text.rstrip().endswith(_ENDS)
        elif not line.text.strip():
            asking = False
        elif open_turn and open_turn[0] == style.asker and asking and line.text.lstrip()[:1].islower():
            open_turn[2] = line.end  # the question wraps onto this line
            asking = not line.text.rstrip().endswith(_ENDS)
        elif open_turn and open_turn[0] == style.answerer and mark is None:
            open_turn[2] = line.end
        elif open_turn or turns:
            _close(text, open_turn, turns)
            open_turn[:] = [style.answerer, line.start + (mark or 0), line.end, line.number,
                            bool(turns) and turns[-1].speaker == style.answerer]
        else:
            dropped.setdefault(line.number, "before the first turn")
    _close(text, open_turn, turns)
    return Layout(style.convention, tuple(turns), (), dropped)


def _close(text: str, open_turn: list, turns: list[Turn]) -> None:
    if open_turn:
        speaker, start, end, line, continued = open_turn
        start, end = trimmed(text, start, end)
        if end > start:
            turns.append(Turn(start, end, speaker, line, continued=continued))
        open_turn.clear()
