"""One exception hierarchy with coded, actionable messages.

The library raises these; only the CLI (and web layer) turns them into exit codes and one-line messages.
Every error names where the problem is (file, line, key) when there is one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class Location:
    """Where a problem was found: a file, optionally a line (1-based) and a key or column."""

    file: str | Path | None = None
    line: int | None = None
    key: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.file is not None:
            parts.append(str(self.file))
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.key is not None:
            parts.append(f"'{self.key}'")
        return ", ".join(parts)


class ReduksiError(Exception):
    """Base class. `code` is stable (E1xx ingest, E2xx config, E3xx store, E4xx models, E5xx review, E6xx export)."""

    code = "E000"

    def __init__(self, message: str, *, file: str | Path | None = None, line: int | None = None,
                 key: str | None = None, hint: str | None = None) -> None:
        self.message = message
        self.location = Location(file, line, key)
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        where = str(self.location)
        text = f"[{self.code}] {where}: {self.message}" if where else f"[{self.code}] {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class IngestError(ReduksiError):
    code = "E100"


class EncodingProblem(IngestError):
    code = "E101"


class EmptySource(IngestError):
    code = "E102"


class BinarySource(IngestError):
    code = "E103"


class NoSpeakerLabels(IngestError):
    code = "E104"


class UnsupportedFormat(IngestError):
    code = "E105"


class ManifestError(IngestError):
    code = "E110"


class BatchIngestError(IngestError):
    """Several files failed; nothing of the batch was stored."""

    code = "E120"

    def __init__(self, errors: list[ReduksiError]) -> None:
        self.errors = errors
        lines = "\n".join(f"  {e}" for e in errors)
        super().__init__(f"{len(errors)} problem(s); nothing was stored:\n{lines}")


class ConfigError(ReduksiError):
    code = "E200"


class ConfigValueError(ConfigError):
    """A value of the right type outside what the key allows (a range or a list of choices)."""

    code = "E201"


class CodebookError(ConfigError):
    code = "E210"


class UnknownCode(CodebookError):
    code = "E211"


class StoreError(ReduksiError):
    code = "E300"


class ModelError(ReduksiError):
    code = "E400"


class TooFewExcerpts(ModelError):
    """A stage that needs more data than the project holds (the main job skips it with a note)."""

    code = "E401"


class BackendUnavailable(ReduksiError):
    """An optional backend (stanza, a dense embedder) lacks its extra or its model files."""

    code = "E410"


class ReviewError(ReduksiError):
    code = "E500"


class ExportError(ReduksiError):
    code = "E600"
