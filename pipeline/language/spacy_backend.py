"""Default backend: spaCy's rule-based Indonesian tokenizer (`spacy.blank("id")`)."""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from pipeline.language.base import Token
from pipeline.language.sentences import split_sentences
from pipeline.registry import register

# Transcript annotations ("[tertawa]", "(jeda)") are non-speech: their tokens are marked non-lexical.
ANNOTATION = re.compile(r"\[[^\]\n]{1,40}\]|\((?:jeda|tertawa|diam|batuk|tidak jelas|hening|menghela napas)[^)\n]{0,20}\)",
                        re.IGNORECASE)


class SpacyBackend:
    name = "spacy-id/1"

    def __init__(self, batch_size: int = 256) -> None:
        import spacy

        self._nlp = spacy.blank("id")
        self._stop_words = frozenset(self._nlp.Defaults.stop_words)
        self.batch_size = batch_size

    def tokenize(self, text: str) -> list[Token]:
        return self._convert(text, self._nlp.make_doc(text))

    def tokenize_many(self, texts: Iterable[str]) -> Iterator[list[Token]]:
        for text in texts:
            yield self.tokenize(text)

    def sentences(self, text: str) -> list[tuple[int, int]]:
        return split_sentences(text)

    def _convert(self, text: str, doc) -> list[Token]:  # type: ignore[no-untyped-def]
        annotated = _annotation_mask(text)
        tokens = []
        for tok in doc:
            if tok.is_space:
                continue
            start = tok.idx
            lower = tok.lower_
            nonlexical = tok.is_punct or any(annotated[start:start + len(tok.text)])
            tokens.append(Token(start=start, end=start + len(tok.text), text=tok.text, norm=lower, lemma=lower,
                                is_stop=lower in self._stop_words, is_punct=tok.is_punct,
                                is_nonlexical=nonlexical))
        return tokens


def _annotation_mask(text: str) -> bytearray:
    mask = bytearray(len(text))
    for match in ANNOTATION.finditer(text):
        mask[match.start():match.end()] = b"\x01" * (match.end() - match.start())
    return mask


@register("tokenizer", "spacy")
def make_spacy_backend(**options: object) -> SpacyBackend:
    return SpacyBackend(**options)  # type: ignore[arg-type]
