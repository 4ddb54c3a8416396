"""Non-substantive excerpts: greetings, consent, thanks and bare confirmations, by rule, with the classifier's veto."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.suggest import substance

SMALL_TALK = [
    ("Iya, Pak.", "Bisa kita mulai sekarang?"),
    ("Boleh, boleh, silakan direkam.", "Wawancaranya boleh saya rekam, Bu?"),
    ("Sami-sami, Kang. Hati-hati di jalan, tadi hujan deras di tanjakan.", "Hatur nuhun, Kang Deden."),
    ("Waalaikumsalam. Mangga, duduk dulu, Pak, kursinya yang itu saja, yang ini goyang.",
     "Assalamualaikum, Bu Ratna."),
    ("Mangga, mangga. Kopinya diminum dulu, masih panas, gulanya sedikit.", "Punten, Bu, mengganggu sebentar."),
    ("Betul, betul.", None),
    ("Oke, siap. [tertawa]", ""),
]
SUBSTANTIVE = [
    ("Iya, Pak. Jadwal KKG kami sering bentrok dengan rapat dinas, jadi banyak guru yang absen.",
     "Bagaimana jadwal pertemuan KKG?"),
    ("Kalau di kelas saya, tempat duduknya diatur berkelompok supaya anak-anak bisa diskusi.",
     "Terima kasih, Bu. Lalu bagaimana Ibu mengatur kelas?"),
    ("Modul ajarnya kami susun bareng di KKG, tiap guru bawa satu contoh.", "Selamat siang, Pak."),
    ("Alat peraga saya bikin dari kardus bekas.", None),
]


@pytest.mark.parametrize(("text", "context"), SMALL_TALK)
def test_greetings_thanks_consent_and_confirmations_are_not_substantive(text: str, context: str | None) -> None:
    assert substance.by_rule(text, context)


@pytest.mark.parametrize(("text", "context"), SUBSTANTIVE)
def test_answers_with_content_are_substantive(text: str, context: str | None) -> None:
    assert not substance.by_rule(text, context)


def test_the_classifier_keeps_a_confidently_coded_excerpt() -> None:
    frame = pd.DataFrame({"excerpt_id": [10, 11, 12], "text": ["Iya, Pak.", "Sama-sama, Bu. Remedialnya tiap Jumat.",
                                                              "Saya pakai tepuk diam."],
                          "context": [None, "Terima kasih.", None]}, index=[5, 6, 7])
    by_rule = substance.run(frame)
    assert by_rule.tolist() == [True, True, False] and by_rule.name == substance.COLUMN
    assert list(by_rule.index) == [5, 6, 7]
    suggestions = pd.DataFrame({"excerpt_id": [11, 11], "code": ["A", "B"], "probability": [0.8, 0.1]})
    assert substance.run(frame, suggestions, confident=0.5).tolist() == [True, False, False]
    given = frame.assign(non_substantive=[False, False, True])  # the app layer's own column wins
    assert substance.ensure(given).tolist() == [False, False, True]


def test_empty_and_missing_texts() -> None:
    assert not substance.by_rule("", None) and not substance.by_rule(None, None)
    assert substance.run(pd.DataFrame({"text": pd.Series([], dtype=str)})).empty
