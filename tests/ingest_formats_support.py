"""Reading the hand-written convention fixtures (`tests/data/ingest_formats/<convention>/`) and checking them whole."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline import excerpts as excerpt_stage
from pipeline.config import Config
from pipeline.ingest.readers import read_source
from pipeline.records import ParsedSource, SourceMeta

FORMATS = Path(__file__).resolve().parent / "data" / "ingest_formats"


def fixture_names(convention: str) -> list[str]:
    return sorted(p.stem for p in (FORMATS / convention).glob("*.json"))


def read_fixture(convention: str, name: str, config: Config) -> tuple[ParsedSource, dict]:
    expected = json.loads((FORMATS / convention / f"{name}.json").read_text(encoding="utf-8"))
    meta = SourceMeta(path=str(FORMATS / convention / expected["file"]), method="wawancara", informant=name)
    return read_source(meta, config.ingest), expected


def check_fixture(convention: str, name: str, config: Config) -> ParsedSource:
    """Speakers and roles as expected; informant turns exactly the expected answers (parts of an answer split by a
    page number or line numbers are consecutive units); every unit and excerpt selects exactly its text."""
    parsed, expected = read_fixture(convention, name, config)
    assert dict(parsed.speakers) == expected["speakers"]
    answers: list[list[str]] = []
    for unit in parsed.units:
        assert parsed.text[unit.start:unit.end] == unit.text
        for span in unit.annotations:
            assert unit.start <= span.start < span.end <= unit.end
        if unit.is_interviewer:
            continue
        if unit.continued and answers:
            answers[-1].append(unit.text)
        else:
            answers.append([unit.text])
    assert answers == [a["parts"] for a in expected["answers"]]
    for excerpt in excerpt_stage.run(parsed, name, config.excerpts):
        assert parsed.text[excerpt.start:excerpt.end] == excerpt.text
    if "metadata" in expected:
        assert dict(parsed.metadata) == expected["metadata"]
    return parsed
