"""WebVTT and SRT (speech-to-text output): speakers from `<v Name>` tags or a `Name:` prefix; cues merged into turns."""

from __future__ import annotations

import re

from pipeline.errors import IngestError
from pipeline.ingest.turns import LabelRules, TextBuilder, match_label
from pipeline.records import ParsedSource

_TAG = re.compile(r"<[^>]+>")
_PARAGRAPH_WORDS = 20


def parse_vtt(text: str, rules: LabelRules, *, path: str) -> ParsedSource:
    import webvtt

    try:
        captions = webvtt.from_string(text)
    except Exception as exc:  # webvtt raises several types for malformed files
        raise IngestError(f"not a valid WebVTT file: {exc}", file=path) from None
    cues: list[tuple[str | None, str, str]] = []
    for caption in captions.captions:
        body = " ".join(_TAG.sub("", line).strip() for line in caption.lines).strip()
        cues.append((caption.voice, body, caption.start.split(".")[0]))
    return _merge(cues, rules, path=path, fmt="vtt")


def parse_srt(text: str, rules: LabelRules, *, path: str) -> ParsedSource:
    import srt

    try:
        subtitles = list(srt.parse(text))
    except srt.SRTParseError as exc:
        line = text.count("\n", 0, exc.actual_start) + 1 if hasattr(exc, "actual_start") else None
        raise IngestError(f"not a valid SRT file: {exc}", file=path, line=line) from None
    cues: list[tuple[str | None, str, str]] = []
    for subtitle in subtitles:
        seconds = int(subtitle.start.total_seconds())
        stamp = f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
        cues.append((None, " ".join(_TAG.sub("", subtitle.content).split()), stamp))
    return _merge(cues, rules, path=path, fmt="srt")


def _merge(cues: list[tuple[str | None, str, str]], rules: LabelRules, *, path: str, fmt: str) -> ParsedSource:
    """Consecutive cues of one speaker become one turn (speech-to-text splits turns into short cues)."""
    turns: list[list] = []
    for voice, body, stamp in cues:
        speaker, body = _speaker(voice, body, rules)
        if not body:
            continue
        if turns and (speaker is None or speaker == turns[-1][0]):
            turns[-1][1].append(body)
        else:
            turns.append([speaker, [body], stamp])
    if not any(speaker for speaker, _, _ in turns):
        return _unlabelled(cues, path=path, fmt=fmt)
    builder = TextBuilder()
    for speaker, bodies, stamp in turns:
        builder.add(" ".join(bodies), speaker=speaker or "?", is_interviewer=rules.is_interviewer(speaker or ""),
                    timestamp=stamp)
    return ParsedSource(text=builder.text(), units=tuple(builder.units), format=fmt, kind="transcript",
                        convention="subtitle-cues" if fmt in ("vtt", "srt") else "speaker-rows")


def _unlabelled(cues: list[tuple[str | None, str, str]], *, path: str, fmt: str) -> ParsedSource:
    """No speaker in any cue: cues gathered into paragraphs that end a sentence (at least 20 words), with a warning,
    rather than one turn holding the whole recording."""
    builder, pending = TextBuilder(), []
    for _, body, _ in cues:
        pending.append(body)
        words = sum(len(b.split()) for b in pending)
        if words >= _PARAGRAPH_WORDS and body.rstrip().endswith((".", "?", "!", "…")):
            builder.add(" ".join(pending))
            pending = []
    builder.add(" ".join(pending))
    warning = (f"{path}: no speakers in any cue (no <v Name> tags or 'Name:' prefixes); kept as paragraphs, each "
               "coded as informant text — check the file")
    return ParsedSource(text=builder.text(), units=tuple(builder.units), format=fmt, kind="paragraphs",
                        warnings=(warning,), convention="paragraphs")


def _speaker(voice: str | None, body: str, rules: LabelRules) -> tuple[str | None, str]:
    if voice:
        return voice.strip(), body
    match = match_label(body, rules)
    if match:
        return match.group("label").strip(), body[match.end():].strip()
    return None, body
