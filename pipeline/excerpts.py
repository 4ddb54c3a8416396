"""Stage: cut a parsed source into excerpts, the units of coding.

Informant turns become excerpts (with the interviewer's preceding question as context, never coded); notes and
documents give one excerpt per paragraph. A unit longer than `max_words` is split at sentence boundaries into
windows of about that size. Every excerpt satisfies `source.text[start:end] == excerpt.text`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

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
    for unit in parsed.units:
        if unit.is_interviewer:
            question = unit.text
            continue
        excerpts.extend(_cut(unit, parsed.text, stem, config.max_words, question, sentences))
    return excerpts


def source_stem(path: str | Path) -> str:
    return Path(path).stem


def _cut(unit: Unit, text: str, stem: str, max_words: int, question: str | None,
         sentences: SentenceSplitter) -> list[Excerpt]:
    spans = [(unit.start, unit.end)]
    if len(unit.text.split()) > max_words:
        spans = _windows(unit, sentences, max_words)
    result = []
    for number, (start, end) in enumerate(spans, start=1):
        window = number if len(spans) > 1 else 0
        annotations = tuple(a for a in unit.annotations if start <= a.start and a.end <= end)
        result.append(Excerpt(key=excerpt_key(stem, unit.index, window), start=start, end=end, text=text[start:end],
                              unit=unit.index, window=window, speaker=unit.speaker, context=question,
                              annotations=annotations))
    return result


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
