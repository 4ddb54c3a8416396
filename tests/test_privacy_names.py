"""Names in the text: honorifics, the name list, roles and titles, stable pseudonyms, "not a name" decisions."""

from __future__ import annotations

from pathlib import Path

from pipeline.export.privacy import Pseudonymiser
from pipeline.privacy.name_list import is_listed_name, name_list_available, name_lists
from pipeline.privacy.names import Lexicon, detect_names, find_mentions

ORDINARY = frozenset({"guru", "kepala", "sekolah", "rapat", "jadi", "terus", "budi", "kata", "tadi", "dan"})
LEXICON = Lexicon(ORDINARY, lambda word: word.casefold() in {"nayla", "hendrawati", "rudi", "budi", "putri"})


def names_in(text: str) -> list[str]:
    return [m.text for m in find_mentions(text, LEXICON, places=True)]


def test_an_honorific_before_capitalised_words_names_someone() -> None:
    assert names_in("Kata Bu Hendrawati tadi, si Nayla sudah bisa.") == ["Hendrawati", "Nayla"]
    assert names_in("Terus Pak Haji Oman datang sama Kak Dewi Lestari.") == ["Oman", "Dewi Lestari"]
    assert names_in("Bu Guru Sinta, S.Pd. mengajar.") == ["Sinta"]


def test_roles_days_and_sentence_ends_are_not_names() -> None:
    assert names_in("Bu Kepala Sekolah bilang Pak Guru harus ikut rapat Senin.") == []
    assert names_in("Iya, Bu. Terus saya pulang. Iya Pak, Jumat kemarin.") == []


def test_the_name_list_finds_names_without_an_honorific() -> None:
    assert names_in("Tadi Rudi sama Nayla Putri main bola.") == ["Rudi", "Nayla Putri"]
    assert names_in("Budi pekerti itu penting, jadi kata budi...") == []  # an ordinary word, seen in lower case


def test_schools_and_places() -> None:
    assert names_in("Di SDN Cikaret 2 dan Desa Sukamaju.") == ["SDN Cikaret 2", "Desa Sukamaju"]


def test_a_name_found_once_is_counted_and_replaced_everywhere() -> None:
    texts = {"W-G01": "Bu Hendrawati datang. Hendrawati itu tegas.", "W-G02": "HENDRAWATI lagi, hendrawati kecil."}
    [found] = detect_names(texts, LEXICON)
    assert (found.name, found.count, found.sources) == ("Hendrawati", 3, ("W-G01", "W-G02"))
    privacy = Pseudonymiser.from_informants([("G01", "Rina Marlina")]).with_found({"Hendrawati": "[ORANG-1]"})
    assert privacy.text(texts["W-G02"]) == "[ORANG-1] lagi, hendrawati kecil."
    assert privacy.terms("hendrawati, rina, rapat") == "[ORANG-1], [G01], rapat"


def test_the_shipped_name_list_is_read_without_running_code() -> None:
    # The test command installs the `names` extra (in `dev`): the large list must be there and read.
    assert name_list_available() and "indonamegender" in name_lists()
    assert is_listed_name("Nayla") and is_listed_name("hendrawati") and not is_listed_name("kepala")


def test_pseudonyms_are_stable_and_not_a_name_is_logged(tmp_path: Path) -> None:
    from pipeline.app.names import mark_name, project_privacy, write_detected_names
    from pipeline.app.project import open_project
    from pipeline.app.run import run_job
    from tests.conftest import write_manifest

    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "W-G01.txt").write_text("P: Siapa yang bantu?\nI: Bu Hendrawati, sama Pak Darmaji dari desa.\n"
                                      "P: Lalu?\nI: Si Nayla juga ikut. Kata Bu Rina itu bagus.\n", encoding="utf-8")
    write_manifest(corpus, [{"file": "W-G01.txt", "informant": "G01", "role": "guru", "method": "wawancara",
                             "name": "Rina Marlina"}])
    run_job(corpus, tmp_path / "p")
    with open_project(tmp_path / "p") as project:
        first = project_privacy(project)
        names = dict(zip(first.detected["name"], first.detected["pseudonym"]))
        assert set(names) == {"Hendrawati", "Darmaji", "Nayla"}
        mark_name(project, "Darmaji", "ani", note="nama toko")
        again = project_privacy(project)
        path = write_detected_names(project, again)
    kept = dict(zip(again.detected["name"], again.detected["pseudonym"]))
    assert kept["Hendrawati"] == names["Hendrawati"] and kept["Nayla"] == names["Nayla"]
    assert again.detected.set_index("name").at["Darmaji", "status"] == "not_a_name"
    assert again.pseudonymiser.text("Pak Darmaji dan Bu Hendrawati") == f"Pak Darmaji dan Bu {names['Hendrawati']}"
    assert path.name == "nama_terdeteksi.csv" and "Hendrawati" in path.read_text(encoding="utf-8-sig")
    excerpts = (tmp_path / "p" / "excerpts.csv").read_text(encoding="utf-8-sig")
    assert "Hendrawati" not in excerpts and "Nayla" not in excerpts and "Rina" not in excerpts


def test_a_sentence_end_after_an_honorific_or_role_ends_the_search() -> None:
    assert names_in("Dia maju ke meja setelah dipanggil guru. Selama satu jam dia diam.") == []
    assert names_in("Anak yang namanya Keanu pinter gambar.") == ["Keanu"]


def test_the_name_list_reader_refuses_anything_but_its_vocabulary() -> None:
    import io
    import pickle

    import pytest

    from pipeline.privacy.name_list import _OnlyVocabulary

    class Sneaky:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (print, ("ran",))

    with pytest.raises(pickle.UnpicklingError, match="refusing to load builtins.print"):
        _OnlyVocabulary(io.BytesIO(pickle.dumps(Sneaky()))).load()


def test_the_names_command_lists_and_marks(tmp_path: Path) -> None:
    from tests.conftest import write_manifest
    from tests.test_cli import reduksi

    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "W-G01.txt").write_text("P: Siapa?\nI: Bu Hendrawati sama si Nayla.\n", encoding="utf-8")
    write_manifest(corpus, [{"file": "W-G01.txt", "informant": "G01", "role": "guru", "method": "wawancara"}])
    project = tmp_path / "p"
    for step in (("init", project), ("ingest", project, corpus)):
        done = reduksi(*step)
        assert done.returncode == 0, done.stderr
    listed = reduksi("names", project)
    assert listed.returncode == 0, listed.stderr
    assert "Hendrawati" in listed.stdout and "[ORANG-" in listed.stdout and "nama_terdeteksi.csv" in listed.stdout
    marked = reduksi("names", project, "--not-a-name", "Nayla", "-r", "ani", "--note", "uji")
    assert marked.returncode == 0 and "(not a name)" in marked.stdout
    refused = reduksi("names", project, "--not-a-name", "Nayla")
    assert refused.returncode == 1 and "reviewer" in refused.stderr


def test_the_names_test_set_meets_the_targets() -> None:
    """bench/privacy.py's figures on its 351 sentences: name recall >= 98%, precision >= 90%."""
    import importlib.util

    from pipeline.app.names import ordinary_words
    from pipeline.config import REPO_ROOT
    from pipeline.privacy.names import seen_in_lower_case

    if not name_list_available():
        return  # the figures are for the full detector (the `names` extra is part of `dev`)
    spec = importlib.util.spec_from_file_location("privacy_bench", REPO_ROOT / "bench" / "privacy.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    sentences = bench.read_set(bench.DATA)
    assert len(sentences) >= 300
    lexicon = Lexicon(ordinary_words(), is_listed_name, seen_in_lower_case(text for text, _ in sentences))
    figures = bench.evaluate(sentences, lexicon, places=True)
    assert figures["person_recall"] >= 98 and figures["precision"] >= 90


def test_every_install_has_fakers_names_and_without_the_large_list_unknown_words_count() -> None:
    from pipeline.app.names import known_word
    from pipeline.privacy.name_list import _faker_names

    assert {"rudi", "wahyu", "siti"} <= _faker_names() and "kepala" not in _faker_names()
    is_word = known_word()
    assert is_word("Pokoknya") and is_word("Disaranin") and is_word("Guru-guru") and not is_word("Rizal")
    base = Lexicon(ORDINARY, lambda word: word.casefold() in _faker_names(), frozenset({"terus"}), unlisted=True,
                   is_word=is_word)
    text = "Rizal sama Rudi telat. Pokoknya Azka itu pendiam, terus Guru-guru bilang Disaranin pulang."
    assert [m.text for m in find_mentions(text, base)] == ["Rizal", "Rudi", "Azka"]
    strict = Lexicon(ORDINARY, lambda word: word.casefold() in _faker_names(), frozenset(), is_word=is_word)
    assert [m.text for m in find_mentions(text, strict)] == ["Rudi"]  # the large list's rule: listed words only
