"""The tokenizer backend contract shared by every backend (spaCy, stanza)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator, Protocol

# Lemmas of the clitics split off as syntactic words (`bukunya` = `buku` + `nya`, whose lemma is `dia`).
CLITIC_LEMMAS = {"nya": "dia", "ku": "aku", "mu": "kamu", "kau": "engkau"}


@dataclass(frozen=True, slots=True)
class Word:
    """A syntactic word inside a token: the host or one of its clitics."""

    start: int
    end: int
    text: str
    lemma: str


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
    proclitic: str = ""  # "ku" of "kuambil", lower case; its characters open the token
    enclitics: tuple[str, ...] = ()  # ("nya", "lah") of "bukunyalah", lower case, in order; they close the token

    @property
    def is_content(self) -> bool:
        """A token worth counting as meaning: not a stop word, filler, annotation or punctuation."""
        return not (self.is_stop or self.is_punct or self.is_nonlexical) and any(c.isalpha() for c in self.text)

    def words(self) -> tuple[Word, ...]:
        """The syntactic words: proclitic, host (carrying the token's lemma), enclitics; exact offsets."""
        if not self.proclitic and not self.enclitics:
            return (Word(self.start, self.end, self.text, self.lemma),)
        words = []
        position = self.start
        if self.proclitic:
            position += len(self.proclitic)
            words.append(Word(self.start, position, self.text[: len(self.proclitic)], CLITIC_LEMMAS.get(
                self.proclitic, self.proclitic)))
        host_end = self.end - sum(len(clitic) for clitic in self.enclitics)
        words.append(Word(position, host_end, self.text[position - self.start: host_end - self.start], self.lemma))
        position = host_end
        for clitic in self.enclitics:
            end = position + len(clitic)
            words.append(Word(position, end, self.text[position - self.start: end - self.start],
                              CLITIC_LEMMAS.get(clitic, clitic)))
            position = end
        return tuple(words)


_SETTERS = tuple(getattr(Token, name).__set__ for name in Token.__dataclass_fields__)
_new = object.__new__


def make_token(start: int, end: int, text: str, norm: str, lemma: str, is_stop: bool, is_punct: bool,
               is_nonlexical: bool, pos: str, plural: bool, proclitic: str, enclitics: tuple[str, ...]) -> Token:
    """`Token(...)` with every field given, for backends' per-token loops.

    The dataclass __init__ of a frozen class routes each field through object.__setattr__; writing the slots directly
    gives the same immutable, equal, hashable Token in less than half the time, which matters at a million tokens.
    """
    token = _new(Token)
    (s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11) = _SETTERS
    s0(token, start), s1(token, end), s2(token, text), s3(token, norm), s4(token, lemma), s5(token, is_stop)
    s6(token, is_punct), s7(token, is_nonlexical), s8(token, pos), s9(token, plural), s10(token, proclitic)
    s11(token, enclitics)
    return token


class TokenizerBackend(Protocol):
    """What every backend offers. `name` is versioned ("spacy-id/1") and recorded with every run."""

    name: str

    def tokenize(self, text: str) -> list[Token]: ...

    def tokenize_many(self, texts: Iterable[str]) -> Iterator[list[Token]]: ...

    def sentences(self, text: str) -> list[tuple[int, int]]:
        """Sentence spans (start, end) covering the text's non-space characters."""
        ...
