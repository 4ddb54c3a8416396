"""Non-substantive excerpts: greetings, consent, thanks and bare confirmations (`non-substantif`).

`run(excerpts, suggestions=None, confident=0.5) -> Series[bool]` (name `non_substantive`, the frame's index).

An interview opens and closes with talk that carries no theme ("Waalaikumsalam, mangga, Pak. Kopinya diminum…",
"Sami-sami, Pak. Hati-hati di jalan."). Such turns are long enough to cluster, so they became "candidate new
themes" made of greetings and thank-yous. The rule, over each excerpt's sentences (annotations removed):

1. every sentence is formulaic: a sentence is formulaic when, once formula words (greetings, thanks, consent,
   confirmations, closings) and forms of address are removed, at most one word is left ("Iya, Pak." "Boleh, boleh.");
2. or it opens with a *reply* formula ("sama-sama", "sami-sami", "waalaikumsalam", "aamiin"): the informant answers
   a greeting or thanks, and what follows is small talk;
3. or it opens with a formulaic sentence and the interviewer's turn before it (`context`) also opens with one
   ("Assalamualaikum, Bu…" / "Punten, Pak…" -> "Mangga, mangga…").

The classifier has the last word: an excerpt for which the suggester is confident (a suggestion with probability
>= `confident`) stays substantive, whatever its opening ("Iya, Pak. Soal KKG, jadwalnya…").
"""

from __future__ import annotations

import re

import pandas as pd

from pipeline.annotations import ANNOTATION

LABEL = "non-substantif"
COLUMN = "non_substantive"

_REPLY = ("sama-sama", "sami-sami", "waalaikumsalam", "walaikumsalam", "wa'alaikumsalam", "aamiin", "amin")
_FORMULA = frozenset("""
assalamualaikum waalaikumsalam walaikumsalam salam selamat pagi siang sore malam halo hai permisi punten mangga
sampurasun rampes terima kasih makasih trims nuhun hatur matur nuwun sama-sama sami-sami aamiin amin maaf
mengganggu ganggu silakan silahkan boleh bersedia setuju izin direkam rekam iya ya yak betul benar bener leres oke
ok okay sip siap baik nggih enggih he'eh heeh hmm hm mm em eh oh ah wah nah tentu dong kok sih deh kan tidak
nggak enggak gak apa-apa masalah banyak sekali juga lagi dulu hati-hati jalan sampai jumpa ketemu semoga
mudah-mudahan lancar sukses waktunya atas sudah udah mau
""".split())
_ADDRESS = frozenset("pak bapak bu ibu kang akang teh teteh mas mbak dik adik neng aa ceu bang kak".split())
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_SENTENCE = re.compile(r"[^.!?]+[.!?]*")


def run(excerpts: pd.DataFrame, suggestions: pd.DataFrame | None = None, confident: float = 0.5) -> pd.Series:
    """True for the excerpts (rows of a frame with `text`, optional `context` and `excerpt_id`) that are greetings,
    consent, thanks or bare confirmation, unless `suggestions` holds a confident code for them."""
    texts = excerpts["text"].tolist()
    contexts = excerpts["context"].tolist() if "context" in excerpts.columns else [None] * len(texts)
    flags = [by_rule(text, context) for text, context in zip(texts, contexts)]
    result = pd.Series(flags, index=excerpts.index, name=COLUMN, dtype=bool)
    if suggestions is not None and not suggestions.empty and "excerpt_id" in excerpts.columns:
        sure = set(suggestions.loc[suggestions["probability"] >= confident, "excerpt_id"])
        result &= ~excerpts["excerpt_id"].isin(sure)
    return result


def ensure(excerpts: pd.DataFrame, suggestions: pd.DataFrame | None = None, confident: float = 0.5) -> pd.Series:
    """The frame's own `non_substantive` column when it has one (the app layer's), else `run`."""
    if COLUMN in excerpts.columns:
        return excerpts[COLUMN].fillna(False).astype(bool).rename(COLUMN)
    return run(excerpts, suggestions, confident)


def by_rule(text: object, context: object = None) -> bool:
    """The rule alone (no classifier)."""
    sentences = _sentences(text)
    if not sentences:
        return False
    if all(is_formulaic(s) for s in sentences):
        return True
    first = sentences[0]
    if _words(first) and _words(first)[0] in _REPLY:
        return True
    opening = _sentences(context)
    return is_formulaic(first) and bool(opening) and is_formulaic(opening[0])


def is_formulaic(sentence: str) -> bool:
    """At most one word left once formula words and forms of address are removed (and at least one word in all)."""
    words = _words(sentence)
    rest = [w for w in words if w not in _FORMULA and w not in _ADDRESS]
    return bool(words) and len(rest) <= 1


def _sentences(text: object) -> list[str]:
    if not isinstance(text, str):
        return []
    clean = ANNOTATION.sub(" ", text)
    return [s for s in (m.group().strip() for m in _SENTENCE.finditer(clean)) if _words(s)]


def _words(sentence: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(sentence)]
