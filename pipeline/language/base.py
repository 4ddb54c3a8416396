"""The tokenizer backend contract shared by every backend (spaCy, stanza)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator, Protocol


@dataclass(frozen=True, slots=True)
class Token:
    """One token with character offsets into the text it came from (end exclusive)."""

    start: int
    end: int
    text: str
    norm: str  # standard form of the word (spoken forms mapped: "gak" -> "tidak"), lower case
    lemma: str  # dictionary form ("bukunya" -> "buku")
    is_stop: bool = False
    is_punct: bool = False
    is_nonlexical: bool = False  # fillers, transcript annotations such as [tertawa], punctuation
    pos: str = ""  # UPOS when the backend provides it
    plural: bool = False  # reduplicated plural: "guru-guru"

    @property
    def is_content(self) -> bool:
        """A token worth counting as meaning: not a stop word, filler, annotation or punctuation."""
        return not (self.is_stop or self.is_punct or self.is_nonlexical) and any(c.isalpha() for c in self.text)


class TokenizerBackend(Protocol):
    """What every backend offers. `name` is versioned ("spacy-id/1") and recorded with every run."""

    name: str

    def tokenize(self, text: str) -> list[Token]: ...

    def tokenize_many(self, texts: Iterable[str]) -> Iterator[list[Token]]: ...

    def sentences(self, text: str) -> list[tuple[int, int]]:
        """Sentence spans (start, end) covering the text's non-space characters."""
        ...
