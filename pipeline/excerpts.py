"""Stage: cut a parsed source into excerpts, the units of coding.

Informant turns become excerpts (with the interviewer's preceding question as context, never coded); notes and
documents give one excerpt per paragraph. A unit longer than `max_words` is split at sentence boundaries into
windows of about that size; a turn in several parts (interrupted by a page number or a table's line numbers, which
are not content) gives one window per part, under the turn's number. Every excerpt satisfies
`source.text[start:end] == excerpt.text`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pipeline.config import ExcerptConfig
from pipeline.language.sentences import split_sentences
from pipeline.records import Excerpt, ParsedSource, Unit

SentenceSplitter = Callable[[str], list[tuple[int, int]]]


def excerpt_key(stem: str, unit: int, window: int = 0) -> str:
    """'W-G03:002' for a whole unit, 'W-G03:002.1' for the first window of a split one."""
    return f"{stem}:{unit:03d}.{window}" if window else f"{stem}:{unit:03d}"


def run(parsed: ParsedSource, stem: str, config: ExcerptConfig,
        sentences: SentenceSplitter = split_sentences) -> list[Excerpt]:
    excerpts: list[Excerpt] = []
    question: str | None = None
    for number, parts in turns(parsed.units):
        if parts[0].is_interviewer:
            question = " ".join(part.text for part in parts)
            continue
        excerpts.extend(_cut(number, parts, parsed.text, stem, config.max_words, question, sentences))
    return excerpts


def turns(units: tuple[Unit, ...]) -> list[tuple[int, list[Unit]]]:
    """(turn number, its units): a unit `continued` after a page break or a table's line numbers is a further part
    of the turn before it, so the turn keeps one number (its parts become windows)."""
    grouped: list[tuple[int, list[Unit]]] = []
    for unit in units:
        if unit.continued and grouped:
            grouped[-1][1].append(unit)
        else:
            grouped.append((len(grouped) + 1, [unit]))
    return grouped


def source_stem(path: str | Path) -> str:
    return Path(path).stem


def _cut(number: int, parts: list[Unit], text: str, stem: str, max_words: int, question: str | None,
         sentences: SentenceSplitter) -> list[Excerpt]:
    spans = [(unit, start, end) for unit in parts for start, end in _spans(unit, sentences, max_words)]
    result = []
    for position, (unit, start, end) in enumerate(spans, start=1):
        window = position if len(spans) > 1 else 0
        annotations = tuple(a for a in unit.annotations if start <= a.start and a.end <= end)
        result.append(Excerpt(key=excerpt_key(stem, number, window), start=start, end=end, text=text[start:end],
                              unit=unit.index, window=window, speaker=unit.speaker, context=question,
                              annotations=annotations))
    return result


def _spans(unit: Unit, sentences: SentenceSplitter, max_words: int) -> list[tuple[int, int]]:
    if len(unit.text.split()) > max_words:
        return _windows(unit, sentences, max_words)
    return [(unit.start, unit.end)]


def _windows(unit: Unit, sentences: SentenceSplitter, max_words: int) -> list[tuple[int, int]]:
    """Greedy packing of whole sentences into windows of at most about `max_words` words."""
    windows: list[tuple[int, int]] = []
    start: int | None = None
    end = 0
    words = 0
    for s_start, s_end in sentences(unit.text):
        count = len(unit.text[s_start:s_end].split())
        if start is not None and words + count > max_words:
            windows.append((unit.start + start, unit.start + end))
            start, words = None, 0
        if start is None:
            start = s_start
        end, words = s_end, words + count
    if start is not None:
        windows.append((unit.start + start, unit.start + end))
    return windows
