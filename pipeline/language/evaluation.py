"""Score a backend on annotated spoken sentences (tests/data/language/spoken.tsv and any set in that format).

One sentence per line: `sentence<TAB>surface=norm>lemma ...`, expectations in token order; `_` in a norm is a space;
`>lemma` may be left out when the lemma equals the norm. An expectation whose norm differs from the lower-cased
surface is an informal form. A project can write such a file for its own transcripts to check a custom lexicon.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import ConfigError
from pipeline.language.base import TokenizerBackend

NEGATIONS = frozenset(("tidak", "tak", "belum", "bukan", "jangan", "tanpa"))


@dataclass(frozen=True)
class Expectation:
    surface: str
    norm: str
    lemma: str


@dataclass(frozen=True)
class SpokenScore:
    sentences: int
    informal: int
    informal_correct: int
    lemmas: int
    lemmas_correct: int
    negations: int
    negations_kept: int  # negations that are not stop words and count as content
    errors: tuple[str, ...]

    @property
    def normalisation_accuracy(self) -> float:
        return 100.0 * self.informal_correct / self.informal if self.informal else 100.0

    @property
    def lemma_accuracy(self) -> float:
        return 100.0 * self.lemmas_correct / self.lemmas if self.lemmas else 100.0


def read_spoken_set(path: Path) -> list[tuple[str, list[Expectation]]]:
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        sentence, _, annotations = line.partition("\t")
        expectations = []
        for item in annotations.split():
            surface, equals, rest = item.partition("=")
            if not equals or not rest:
                raise ConfigError(f"expected surface=norm>lemma, got {item!r}", file=path, line=number)
            norm, _, lemma = rest.partition(">")
            expectations.append(Expectation(surface, norm.replace("_", " "), (lemma or norm).replace("_", " ")))
        items.append((sentence, expectations))
    return items


def score_spoken(backend: TokenizerBackend, items: list[tuple[str, list[Expectation]]]) -> SpokenScore:
    informal = informal_ok = lemmas = lemmas_ok = negations = kept = 0
    errors = []
    for sentence, expectations in items:
        tokens = backend.tokenize(sentence)
        for token in tokens:
            if token.norm in NEGATIONS:
                negations += 1
                kept += not token.is_stop and token.is_content
        position = 0
        for expected in expectations:
            index = next((i for i in range(position, len(tokens)) if tokens[i].text == expected.surface), None)
            if index is None:
                errors.append(f"no token {expected.surface!r} in {sentence!r}")
                informal += expected.norm != expected.surface.lower()
                lemmas += 1
                continue
            token, position = tokens[index], index + 1
            if expected.norm != expected.surface.lower():
                informal += 1
                informal_ok += token.norm == expected.norm
            lemmas += 1
            lemmas_ok += token.lemma == expected.lemma
            if (token.norm, token.lemma) != (expected.norm, expected.lemma):
                errors.append(f"{expected.surface}: expected {expected.norm}/{expected.lemma}, "
                              f"got {token.norm}/{token.lemma}")
    return SpokenScore(len(items), informal, informal_ok, lemmas, lemmas_ok, negations, kept, tuple(errors))
