"""Search: words and their other forms (lemmas), keyword in context, filters, saved sets coded in bulk."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.app.project import open_project
from pipeline.app.search import SearchFilter, code_set, save_search, search
from pipeline.errors import ReviewError
from pipeline.store.decisions import Decision, append, current_labels, history
from pipeline.store.excerpts import excerpts_frame
from tests.review_support import demo_project, demo_template  # noqa: F401  (fixtures)
from tests.test_cli import reduksi


def test_lemma_search_finds_other_forms_and_exact_search_does_not(demo_project: Path) -> None:
    with open_project(demo_project) as project:
        every = excerpts_frame(project.store)
        forms = search(project, "mengajar")
        exact = search(project, "mengajar", lemmas=False)
    with_word = every[every["text"].str.contains(r"(?<!\w)mengajar(?!\w)", case=False, regex=True)]
    assert {h.key for h in exact} == set(with_word["key"])
    assert len(forms) > len(exact)  # diajarkan, ngajarin, pembelajaran... share the lemma
    matched = {h.match.lower() for h in forms}
    assert "mengajar" in matched and matched - {"mengajar"}
    for hit in forms[:20]:
        text = every.set_index("key").loc[hit.key, "text"]
        assert (hit.left.lstrip("…") + hit.match + hit.right.rstrip("…")) in text


def test_filters_and_phrases(demo_project: Path) -> None:
    with open_project(demo_project) as project:
        every = excerpts_frame(project.store).set_index("key")
        phrase = search(project, '"lesson study"')
        heads = search(project, "guru", where=SearchFilter(roles=("kepala_sekolah",)))
        documents = search(project, "guru", where=SearchFilter(methods=("dokumen",)))
        second = search(project, "guru", where=SearchFilter(rounds=("2",)))
        with project.store.transaction():
            append(project.store, [Decision(int(every.loc[heads[0].key, "excerpt_id"]), "ani", "set", ("KP-KELAS",))])
        verified = search(project, "guru", where=SearchFilter(state="verified"))
        coded = search(project, "guru", where=SearchFilter(codes=("KP-KELAS",), state="verified"))
    assert phrase and all(re.search(r"lesson\s+study", every.loc[h.key, "text"], re.I) for h in phrase)
    assert heads and {every.loc[h.key, "role"] for h in heads} == {"kepala_sekolah"}
    assert documents and {every.loc[h.key, "method"] for h in documents} == {"dokumen"}
    assert second and {every.loc[h.key, "round"] for h in second} == {"2"}
    assert [h.key for h in verified] == [h.key for h in coded] == [heads[0].key]
    assert verified[0].verified == ("KP-KELAS",)


@pytest.mark.parametrize("query", ['guru" OR "', "NEAR(guru", "kelas AND", "*", '"', "guru -siswa", "a:b"])
def test_search_syntax_from_the_user_never_breaks_the_query(demo_project: Path, query: str) -> None:
    with open_project(demo_project) as project:
        try:
            search(project, query)
        except ReviewError as error:
            assert "empty search" in str(error)


def test_a_saved_set_is_coded_in_bulk_one_logged_decision_each(demo_project: Path) -> None:
    with open_project(demo_project) as project:
        hits = search(project, '"lesson study"')
        save_search(project, "ls", '"lesson study"', hits, SearchFilter(), "ani")
        first = hits[0].excerpt_id
        with project.store.transaction():
            append(project.store, [Decision(first, "ani", "set", ("KKG-SUMBER",))])
        added = code_set(project, "ls", "KKG-SUMBER", "budi")
        labels = current_labels(project.store)
        log = history(project.store)
        with pytest.raises(ReviewError, match="unknown code"):
            code_set(project, "ls", "BUKAN", "budi")
        with pytest.raises(ReviewError, match="no saved search"):
            code_set(project, "tidak-ada", "KKG-SUMBER", "budi")
    assert added == len(hits) - 1
    assert all("KKG-SUMBER" in labels[h.excerpt_id] for h in hits)
    bulk = [d for d in log if d.reviewer == "budi"]
    assert len(bulk) == added and {d.action for d in bulk} == {"add"} and {d.note for d in bulk} == {"set: ls"}


def test_the_command_line(demo_project: Path) -> None:
    found = reduksi("search", demo_project, "jadwal*", "--method", "wawancara", "--limit", "2", "--save", "j",
                    "-r", "ani")
    assert found.returncode == 0, found.stderr
    assert "Saved set 'j'" in found.stdout and "2 shown" in found.stdout and "[jadwal" in found.stdout.lower()
    assert "j:" in reduksi("search", demo_project, "--sets").stdout
    coded = reduksi("code-set", demo_project, "j", "HAM-JADWAL", "-r", "ani")
    assert coded.returncode == 0 and "Added HAM-JADWAL to" in coded.stdout
