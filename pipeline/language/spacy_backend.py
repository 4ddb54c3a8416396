"""Default backend: spaCy's Indonesian tokenizer, retuned, plus the reduksi word analyzer.

`spacy.blank("id")` splits every reduplication it does not list (`sistem-sistem` -> `sistem - sistem`), `ke-5` and
`1990-an`, and keeps abbreviations whole with their full stop. Here hyphenated words stay one token (the analyzer
reads `guru-guru` as the plural of `guru`), a final full stop is its own token (`S.Pd` `.`, as Universal Dependencies
does) and LaTeX quotes are one token. Transcript annotations (`[tertawa]`, `(jeda)`) become one non-lexical token.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Iterator

from pipeline.annotations import ANNOTATION
from pipeline.language.analyzer import Analyzer
from pipeline.language.base import Token, make_token
from pipeline.language.resources import load_resources
from pipeline.language.sentences import split_sentences
from pipeline.registry import register

# After these a capital starts a sentence, so the word is analysed in lower case.
_SENTENCE_END = frozenset((".", "!", "?", "...", "…", ":", "\n"))
_OPENERS = frozenset(("\"", "“", "``", "'", "‘", "(", "[", "-", "—"))
# Infixes that would split these stay out: hyphenated words, decades, ordinals, school years.
_KEEP_WHOLE = ("guru-guru", "ke-5", "1990-an", "19:4-6", "kata-Nya", "2017/2018")


class SpacyBackend:
    name = "spacy-id/1"

    def __init__(self, batch_size: int = 256, lexicon: str = "", stop_words_add: tuple[str, ...] = (),
                 stop_words_keep: tuple[str, ...] = ()) -> None:
        self._nlp = build_tokenizer()
        self.analyzer = Analyzer(load_resources(lexicon, tuple(stop_words_add), tuple(stop_words_keep)))
        self.batch_size = batch_size
        self.info: dict[str, Any] = {"backend": self.name, "spacy": _version("spacy"), "lexicon": lexicon or "packaged"}

    def tokenize(self, text: str) -> list[Token]:
        return self._convert(text, self._nlp.make_doc(text))

    def tokenize_many(self, texts: Iterable[str]) -> Iterator[list[Token]]:
        for text in texts:
            yield self.tokenize(text)

    def sentences(self, text: str) -> list[tuple[int, int]]:
        return split_sentences(text)

    def _convert(self, text: str, doc: Any) -> list[Token]:
        cache = self.analyzer.cache
        analyse = self.analyzer.analyse
        tokens = []
        initial = True
        for tok in doc:
            word = tok.text
            if tok.is_space:
                initial = initial or "\n" in word
                continue
            key = word.lower() if initial and word[:1].isupper() and word[1:].islower() else word
            a = cache.get(key) or analyse(key)
            start = tok.idx
            tokens.append(make_token(start, start + len(word), word, a[0], a[1], a[2], a[3], a[4], "", a[5], a[6],
                                     a[7]))
            if word not in _OPENERS:
                initial = word in _SENTENCE_END
        if "[" in text or "(" in text:
            return merge_annotations(text, tokens)
        return tokens


def merge_annotations(text: str, tokens: list[Token]) -> list[Token]:
    """One non-lexical token per transcript annotation: `[tidak jelas]` must not count as a negation."""
    spans = [m.span() for m in ANNOTATION.finditer(text)]
    if not spans:
        return tokens
    merged: list[Token] = []
    span_index = 0
    for token in tokens:
        while span_index < len(spans) and spans[span_index][1] <= token.start:
            span_index += 1
        if span_index < len(spans) and spans[span_index][0] <= token.start < spans[span_index][1]:
            start, end = spans[span_index]
            if not merged or merged[-1].start != start:
                label = text[start:end].lower()
                merged.append(Token(start, end, text[start:end], label, label, False, False, True))
            continue
        merged.append(token)
    return merged


def build_tokenizer() -> Any:
    """spacy.blank("id") with hyphenated words kept whole and abbreviation full stops split off."""
    import spacy
    from spacy.tokenizer import Tokenizer
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

    nlp = spacy.blank("id")
    defaults = nlp.Defaults
    infixes = [p for p in map(str, defaults.infixes or ()) if not any(_splits(p, probe) for probe in _KEEP_WHOLE)]
    suffixes = [p for p in map(str, defaults.suffixes or ()) if not re.search(f"(?:{p})$", "kata-nya kata-ku")]
    # A single capital before a full stop is an initial: split the stop off like any other (R. -> R .).
    suffixes = ["``", "''", r"(?<=[A-Z])(?<![A-Za-z][A-Z])\."] + suffixes
    base: Tokenizer = nlp.tokenizer  # type: ignore[assignment]  # spacy.blank's tokenizer is a Tokenizer
    rules = {key: value for key, value in base.rules.items()
             if not (len(key) > 1 and key.endswith(".") and key[-2].isalnum())}
    # One constructor call: each tokenizer property set afterwards would reload ~7,000 special cases (~0.4 s each).
    prefixes = ["``", "''", *map(str, defaults.prefixes or ())]
    nlp.tokenizer = Tokenizer(nlp.vocab, rules=rules, token_match=base.token_match, url_match=base.url_match,
                              prefix_search=compile_prefix_regex(prefixes).search,
                              suffix_search=compile_suffix_regex(suffixes).search,
                              infix_finditer=compile_infix_regex(infixes).finditer)
    return nlp


def _splits(pattern: str, probe: str) -> bool:
    match = re.search(pattern, probe)
    return match is not None and match.group() in ("-", "/")


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


@register("tokenizer", "spacy")
def make_spacy_backend(**options: Any) -> SpacyBackend:
    return SpacyBackend(**options)
