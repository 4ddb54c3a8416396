"""The default language layer: tokens and offsets, normal forms, clitics, reduplication, lemmas, stop words."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from pipeline.config import Config, LanguageConfig, load_config
from pipeline.errors import ConfigError
from pipeline.language import Token, backend_from_config, load_backend
from pipeline.language.resources import load_resources, read_lexicon
from pipeline.language.sentences import split_sentences

NEGATIONS = ("tidak", "belum", "bukan", "jangan", "tanpa")


@pytest.fixture(scope="session")
def backend():
    return load_backend("spacy")


def by_text(backend, text: str) -> dict[str, Token]:
    return {t.text: t for t in backend.tokenize(text)}


def test_offsets_are_exact_and_text_is_never_rewritten(backend) -> None:
    text = "Saya  gak\npernah ikut KKG (jeda) soalnya... jadwalnya bentrok!"
    tokens = backend.tokenize(text)
    assert all(text[t.start:t.end] == t.text for t in tokens)
    assert [t.start for t in tokens] == sorted(t.start for t in tokens)
    assert not any(t.text.isspace() for t in tokens)


def test_hyphenated_words_numbers_and_abbreviations(backend) -> None:
    texts = [t.text for t in backend.tokenize("Guru-guru kelas ke-5 tahun 2017/2018 jam 10.30, Ibu Ani, S.Pd. datang.")]
    assert "Guru-guru" in texts and "ke-5" in texts and "2017/2018" in texts and "10.30" in texts
    assert texts[-4:] == ["S.Pd", ".", "datang", "."]


@pytest.mark.parametrize("informal,standard", [
    ("gak", "tidak"), ("nggak", "tidak"), ("enggak", "tidak"), ("ga", "tidak"), ("udah", "sudah"), ("bikin", "buat"),
    ("kayak", "seperti"), ("gimana", "bagaimana"), ("pas", "saat"), ("kagak", "tidak"), ("gue", "saya"),
    ("bangeeet", "sekali"), ("anak2", "anak-anak"), ("temen-temen", "teman-teman"), ("nulis", "menulis"),
    ("nyari", "mencari"), ("ngecek", "mengecek"), ("bener", "benar"), ("sampe", "sampai"), ("bacain", "bacakan"),
])
def test_spoken_forms_are_normalised(backend, informal: str, standard: str) -> None:
    token = backend.tokenize(f"kata {informal} itu")[1]
    assert token.text == informal and token.norm == standard


def test_negation_and_modality_are_not_stop_words(backend) -> None:
    tokens = by_text(backend, "Saya tidak pernah ikut, belum bisa, bukan harus, jangan sering, gak selalu.")
    for word in ("tidak", "pernah", "ikut", "belum", "bisa", "bukan", "harus", "jangan", "sering", "gak", "selalu"):
        assert not tokens[word].is_stop and tokens[word].is_content, word
    assert tokens["Saya"].is_stop


def test_fillers_and_annotations_are_non_lexical(backend) -> None:
    text = "Eh, hmmm, jadi anu... [tidak jelas] gitu ya (tertawa) oke."
    tokens = backend.tokenize(text)
    marked = {t.text: t for t in tokens}
    for word in ("Eh", "hmmm", "anu", "gitu", "ya", "[tidak jelas]", "(tertawa)"):
        assert marked[word].is_nonlexical and not marked[word].is_content, word
    # "[tidak jelas]" is one token: its "tidak" must never count as a negation.
    assert not any(t.norm == "tidak" for t in tokens)


def test_clitics_split_into_syntactic_words(backend) -> None:
    tokens = by_text(backend, "bukunya kuambil bukuku dialah apakah sekolah bertemu ilmu")
    assert tokens["bukunya"].lemma == "buku" and tokens["bukunya"].enclitics == ("nya",)
    assert [(w.text, w.lemma) for w in tokens["bukunya"].words()] == [("buku", "buku"), ("nya", "dia")]
    assert tokens["kuambil"].proclitic == "ku" and tokens["kuambil"].lemma == "ambil"
    assert [w.lemma for w in tokens["bukuku"].words()] == ["buku", "aku"]
    assert tokens["apakah"].enclitics == ("kah",)
    for whole in ("sekolah", "bertemu", "ilmu"):
        assert tokens[whole].enclitics == () and tokens[whole].proclitic == "", whole


def test_syntactic_word_offsets(backend) -> None:
    text = "Ya. Bukunyalah itu."
    token = backend.tokenize(text)[2]
    assert [(text[w.start:w.end], w.lemma) for w in token.words()] == [("Buku", "buku"), ("nya", "dia"),
                                                                        ("lah", "lah")]


def test_reduplication(backend) -> None:
    tokens = by_text(backend, "guru-guru kupu-kupu sehari-hari benar-benar berlari-lari kemerah-merahan anak2")
    assert (tokens["guru-guru"].lemma, tokens["guru-guru"].plural) == ("guru", True)
    assert (tokens["kupu-kupu"].lemma, tokens["kupu-kupu"].plural) == ("kupu-kupu", False)
    assert (tokens["sehari-hari"].lemma, tokens["sehari-hari"].plural) == ("sehari-hari", False)
    assert (tokens["benar-benar"].lemma, tokens["benar-benar"].plural) == ("benar", False)
    assert tokens["berlari-lari"].lemma == "lari" and tokens["kemerah-merahan"].lemma == "merah"
    assert (tokens["anak2"].lemma, tokens["anak2"].plural) == ("anak", True)


@pytest.mark.parametrize("word,lemma", [
    ("meningkatkan", "tingkat"), ("peningkatan", "tingkat"), ("ditingkatkan", "tingkat"), ("pembelajaran", "ajar"),
    ("mengajar", "ajar"), ("pertanyaan", "tanya"), ("memasukkan", "masuk"), ("gerakan", "gerak"),
    ("mengirim", "kirim"), ("menyapu", "sapu"), ("keberhasilan", "hasil"), ("diperkenalkan", "kenal"),
    # over-stemming guards: adjectives, adverbs and function words keep their form
    ("sebagai", "sebagai"), ("terhadap", "terhadap"), ("biasanya", "biasanya"), ("tersebut", "tersebut"),
    ("pengalaman", "pengalaman"), ("kedua", "kedua"), ("ia", "dia"), ("pada", "pada"), ("xyzabc", "xyzabc"),
])
def test_lemmas(backend, word: str, lemma: str) -> None:
    assert backend.tokenize(f"itu {word} itu")[1].lemma == lemma


def test_names_and_acronyms_are_not_stemmed(backend) -> None:
    tokens = by_text(backend, "Kami ke Pekalongan bersama KKG. Pembelajaran berjalan baik.")
    assert tokens["Pekalongan"].lemma == "pekalongan" and tokens["KKG"].lemma == "kkg"
    assert tokens["Pembelajaran"].lemma == "ajar"  # sentence-initial capital is not a name


def test_lemma_is_from_the_normal_form(backend) -> None:
    tokens = by_text(backend, "Kami ngajarin anak-anak dan dikumpulin laporannya.")
    assert tokens["ngajarin"].lemma == "ajar" and tokens["dikumpulin"].lemma == "kumpul"


def test_cache_is_by_word_type(backend) -> None:
    backend.tokenize("pelatihan pelatihan")
    assert "pelatihan" in backend.analyzer.cache
    first, second = backend.tokenize("pelatihan pelatihan")
    assert (first.norm, first.lemma) == (second.norm, second.lemma)


def test_tokenize_many_matches_tokenize(backend) -> None:
    texts = ["Saya gak tau.", "Guru-guru datang."]
    assert list(backend.tokenize_many(texts)) == [backend.tokenize(t) for t in texts]


@pytest.mark.parametrize("text,expected", [
    ("Kami ikut KKG dll. setiap bulan. Bpk. Ahmad, S.Pd. datang.",
     ["Kami ikut KKG dll. setiap bulan.", "Bpk. Ahmad, S.Pd. datang."]),
    ("Ada buku, pensil, dll. Kemudian kami pulang.", ["Ada buku, pensil, dll.", "Kemudian kami pulang."]),
    ("Namanya Ibu Sari, M.Pd. Beliau kepala sekolah.", ["Namanya Ibu Sari, M.Pd.", "Beliau kepala sekolah."]),
    ("Tahun ajaran 2017/2018 dimulai 17 Jul. 2017 jam 07.30. Lalu rapat.",
     ["Tahun ajaran 2017/2018 dimulai 17 Jul. 2017 jam 07.30.", "Lalu rapat."]),
    ("SD No. 3 dan Dr. R. Ahmad hadir.", ["SD No. 3 dan Dr. R. Ahmad hadir."]),
    ("Saya bertemu Ibu. Beliau ramah.", ["Saya bertemu Ibu.", "Beliau ramah."]),
    ("Gimana ya? saya juga bingung... terus gitu", ["Gimana ya?", "saya juga bingung... terus gitu"]),
    ("P: Sudah lama?\nI: Ya, lumayan\nsih", ["P: Sudah lama?", "I: Ya, lumayan", "sih"]),
])
def test_sentences(text: str, expected: list[str]) -> None:
    assert [text[a:b] for a, b in split_sentences(text)] == expected


def test_backend_from_config_and_stop_word_settings(tmp_path: Path) -> None:
    lexicon = tmp_path / "extra.tsv"
    lexicon.write_text("# ours\nmantul\tmantap\tlisan\n", encoding="utf-8")
    language = LanguageConfig(lexicon=str(lexicon), stop_words_add=("kkg",), stop_words_keep=("saya",))
    config = dataclasses.replace(Config(), language=language)
    backend = backend_from_config(config)
    tokens = by_text(backend, "Saya bilang KKG itu mantul")
    assert tokens["mantul"].norm == "mantap" and not tokens["Saya"].is_stop
    assert load_config().language.backend == "spacy"
    assert backend.name == "spacy-id/1" and backend.info["lexicon"] == str(lexicon)


def test_bad_lexicon_line_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text("gak\ttidak\tlisan\nrusak tanpa tab\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        read_lexicon(path)
    assert "bad.tsv" in str(caught.value) and "line 2" in str(caught.value)


def test_packaged_resources() -> None:
    res = load_resources()
    assert len(res.lexicon) >= 300
    assert all(word not in res.stop_words for word in NEGATIONS)
    assert {"harus", "bisa", "sering", "jarang", "selalu", "pernah"}.isdisjoint(res.stop_words)
    assert {"eh", "hmm", "anu", "yang", "dan"} <= res.stop_words


def test_unknown_backend_lists_the_available_ones() -> None:
    with pytest.raises(ConfigError, match="spacy.*stanza|stanza.*spacy"):
        load_backend("nope")


def test_fast_token_constructor_equals_the_dataclass() -> None:
    from pipeline.language.base import make_token

    args = (3, 10, "bukunya", "bukunya", "buku", False, False, False, "NOUN", False, "", ("nya",))
    fast, slow = make_token(*args), Token(*args)
    assert fast == slow and hash(fast) == hash(slow) and repr(fast) == repr(slow)
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.lemma = "x"  # type: ignore[misc]
