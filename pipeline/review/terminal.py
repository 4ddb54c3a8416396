"""Terminal review: one excerpt at a time, with its preceding question and the suggestions (probability, reasons).

A suggestion's reasons are the informant's words; the interviewer's question words that moved its score
(`context_reasons`) follow them apart, after `tanya:`, and are never shown as the excerpt's words.

Keys (type one, then Enter):
    a / Enter   accept: save the marked codes (the suggestions, unless you toggled some)
    r           reject the suggested codes
    t           tidak relevan: the excerpt is not relevant (verified, no code, left out of clustering)
    1..N        toggle code number N (several at once: "2 5")
    n           add a note (asked on the next line)
    u           undo your last decision (the excerpt comes back)
    s           skip (it comes back at the end)
    q           quit (everything saved so far stays; the next session resumes with what is left)
    ?           show these keys
Every decision is written to the log at once.
"""

from __future__ import annotations

import shutil
import textwrap
from dataclasses import dataclass
from typing import Callable

from pipeline.app.session import ReviewSession, Shown
from pipeline.errors import ReviewError
from pipeline.suggest.explain import QUESTION_LABEL

KEYS = ("a accept · r reject · t tidak relevan · 1-{n} toggle code · n note · u undo · s skip · q quit"
        " · ? help")


@dataclass(frozen=True)
class LoopSummary:
    decided: int
    remaining: int
    quit: bool


def render(shown: Shown, session: ReviewSession, width: int = 100) -> str:
    """The screen for one excerpt."""
    e = shown.excerpt
    fill = textwrap.TextWrapper(width=width, initial_indent="  ", subsequent_indent="  ")
    who = " · ".join(str(v) for v in (e.get("informant"), e.get("role"), e.get("method"), e.get("date"))
                     if v is not None and v == v)
    lines = ["─" * width, f"{e['key']}   {who}   ({session.remaining} left, {session.done} done this session)"]
    if isinstance(e.get("context"), str) and e["context"]:
        lines += ["Pertanyaan:", fill.fill(e["context"])]
    speaker = e.get("speaker")  # NaN (not None) for paragraphs of notes and documents, from the frame
    lines += [f"Kutipan ({speaker if isinstance(speaker, str) and speaker else 'teks'}):", fill.fill(str(e["text"]))]
    if shown.suggestions:
        lines.append(f"Suggested by {shown.model_version}:")
        for s in shown.suggestions:
            reasons = ", ".join(s["reasons"]) if len(s["reasons"]) else "-"
            asked = _question_terms(s.get("context_reasons"))
            lines.append(f"  {s['code']:<18} p={s['probability']:.2f}  {s['origin']:<8}  because: {reasons}"
                         + (f"  ({QUESTION_LABEL}{', '.join(asked)})" if asked else ""))
    else:
        lines.append(f"No code suggested by {shown.model_version}.")
    lines.append("Codes ([x] = will be saved):")
    cells = [f"{'[x]' if c.id in session.selection else '[ ]'} {i:>2} {c.id}"
             for i, c in enumerate(session.codebook.codes, start=1)]
    columns = max(1, width // 28)
    for start in range(0, len(cells), columns):
        lines.append("  " + "".join(f"{cell:<28}" for cell in cells[start:start + columns]).rstrip())
    lines.append(KEYS.format(n=len(session.codebook.codes)))
    return "\n".join(lines)


def _question_terms(value: object) -> list[str]:
    """The interviewer's words in a suggestion (a list; missing for suggestions stored without them)."""
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else []


def review_loop(session: ReviewSession, read: Callable[[str], str | None], write: Callable[[str], None],
                width: int | None = None) -> LoopSummary:
    """Run the session until the queue is empty or the reviewer quits; `read(prompt)` returns None at end of input."""
    width = width or min(shutil.get_terminal_size((100, 24)).columns, 120)
    while (shown := session.current) is not None:
        write(render(shown, session, width))
        answer = read("> ")
        if answer is None or answer.strip().lower() in ("q", "quit"):
            return LoopSummary(session.done, session.remaining, quit=True)
        try:
            write(_apply(session, answer.strip(), read))
        except ReviewError as problem:
            write(f"! {problem.message}" + (f" ({problem.hint})" if problem.hint else ""))
    write("Queue empty: nothing left to review with these filters.")
    return LoopSummary(session.done, 0, quit=False)


def _apply(session: ReviewSession, answer: str, read: Callable[[str], str | None]) -> str:
    key = answer.lower()
    if key in ("", "a"):
        saved = session.save()
        return "Saved: " + "; ".join(f"{d.action} {', '.join(d.codes) or '(no code)'}" for d in saved)
    if key == "r":
        [rejected] = session.reject()
        return f"Rejected: {', '.join(rejected.codes) or '(nothing suggested: no code)'}"
    if key == "t":
        session.irrelevant()
        return "Marked tidak relevan (no code)."
    if key == "s":
        session.skip()
        return "Skipped."
    if key == "u":
        event = session.undo()
        return "Nothing to undo." if event is None else f"Undone decision {event.undoes}."
    if key == "n":
        text = read("Note: ")
        session.note(text or "")
        return "Note saved."
    if key in ("?", "h", "help"):
        return __doc__.split("Keys (type one, then Enter):\n", 1)[1]
    numbers = answer.replace(",", " ").split()
    if numbers and all(n.isdigit() for n in numbers):
        session.toggle([int(n) for n in numbers])
        return "Marked: " + (", ".join(sorted(session.selection)) or "(no code)")
    raise ReviewError(f"unknown key '{answer}'", hint="? shows the keys")
