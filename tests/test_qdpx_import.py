"""QDPX import: the exported demo project comes back as the same codings; files from other tools come in despite
CRLF offsets, `sources/` folders, internal/relative paths and inline text; unknown codes stop the import."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from pipeline.app.imports import import_qdpx
from pipeline.app.project import Project, init_project
from pipeline.config import Config, load_config
from pipeline.errors import ExportError
from pipeline.ingest.batch import ingest, resolve_batch
from pipeline.store import Store
from pipeline.store.decisions import current_labels, history
from pipeline.store.excerpts import excerpts_frame
from tests.conftest import DEMO, DEMO_CODEBOOK, write_manifest
from tests.export_fixtures import codebook_of, demo_exports, demo_project  # noqa: F401  (fixtures)
from tests.test_cli import reduksi

W_A = """# Wawancara guru A
P: Bagaimana kelas Ibu?
I: Anak-anak saya atur duduk berkelompok, ada kesepakatan kelas juga.
P: Medianya?
I: Saya bikin alat peraga dari kardus bekas.
"""
W_B = """P: Jadwal KKG bagaimana?
I: Sering bentrok dengan rapat dinas, jadi jarang datang.
"""
O_C = """Guru membagi siswa ke dalam kelompok empat orang.

Guru memakai kartu bergambar hewan buatan sendiri.
"""
MACHINE = "{0A0A0A0A-0000-4000-8000-000000000001}"
CODER = "{0A0A0A0A-0000-4000-8000-000000000002}"
CODES = {"kelas": "11111111-1111-4111-8111-111111111111", "media": "22222222-2222-4222-8222-222222222222",
         "jadwal": "33333333-3333-4333-8333-333333333333", "asing": "44444444-4444-4444-8444-444444444444"}


def _labels_by_key(project: Path, empty: bool = False) -> dict[str, frozenset[str]]:
    with Store.open(project) as store:
        keys = dict(zip(excerpts_frame(store)["excerpt_id"], excerpts_frame(store)["key"]))
        return {keys[e]: codes for e, codes in current_labels(store).items() if codes or empty}


def test_exported_project_imports_into_a_fresh_project_unchanged(demo_project: Path, demo_exports: dict[str, Path],
                                                                  tmp_path: Path, config: Config) -> None:
    fresh = tmp_path / "fresh"
    with Store.init(fresh) as store:
        ingest(store, resolve_batch([DEMO], config)[0], config)
        report = import_qdpx(Project(store, config, codebook_of(config)), demo_exports["default"] / "reduksi.qdpx")
        again = import_qdpx(Project(store, config, codebook_of(config)), demo_exports["default"] / "reduksi.qdpx")
        log = history(store)
    assert _labels_by_key(fresh, empty=True) == _labels_by_key(demo_project, empty=True)  # "no code" too
    assert report.decisions == len(_labels_by_key(demo_project, empty=True)) and report.machine_skipped > 0
    assert report.unknown_codes == {} and report.outside_excerpts == 0 and report.problems() == []
    assert again.decisions == 0 and again.verdicts == 0  # importing the same file twice adds nothing
    assert {(d.action, d.origin, d.reviewer) for d in log} == {("set", "qdpx", "gold")}
    assert all(d.note == "imported from reduksi.qdpx" for d in log)


@pytest.fixture
def small_project(tmp_path: Path, config: Config) -> Path:
    corpus = tmp_path / "korpus"
    corpus.mkdir()
    for name, text in (("W-A.txt", W_A), ("W-B.txt", W_B), ("O-C.txt", O_C)):
        (corpus / name).write_text(text, encoding="utf-8")
    write_manifest(corpus, [dict(file="W-A.txt", informant="A", role="guru", method="wawancara"),
                            dict(file="W-B.txt", informant="B", role="guru", method="wawancara"),
                            dict(file="O-C.txt", method="observasi")])
    project = tmp_path / "proj"
    with init_project(project, DEMO_CODEBOOK) as store:
        ingest(store, resolve_batch([corpus], config)[0], config)
    return project


def _selection(text: str, phrase: str, code: str, user: str = CODER, crlf_as_two: bool = False,
               named: bool = False) -> str:
    """A PlainTextSelection of `phrase` in `text` (LF), with offsets as a tool writing CRLF files counts them."""
    start = text.index(phrase)
    end = start + len(phrase)
    if crlf_as_two:
        start, end = start + text[:start].count("\n"), end + text[:end].count("\n")
    name = f' name="{phrase[:30]}"' if named else ""
    return (f'<PlainTextSelection guid="{_guid(phrase + code)}"{name} startPosition="{start}" endPosition="{end}">'
            f'<Coding guid="{_guid(phrase + code + "c")}" creatingUser="{user}"><CodeRef targetGUID="{CODES[code]}"/>'
            f"</Coding></PlainTextSelection>")


def _guid(seed: str) -> str:
    import uuid

    return str(uuid.uuid5(uuid.NAMESPACE_URL, seed)).upper()


def _foreign_qdpx(folder: Path, texts: dict[str, str], unknown: bool = True) -> Path:
    """A project as another tool might write it: `sources/` in lower case, CRLF text files, braces GUIDs, codes
    named "ID name" or by their name, one source's text beside the file (relative://), one inline."""
    a, b, c = texts["W-A"], texts["W-B"], texts["O-C"]
    selections_a = (_selection(a, "ada kesepakatan kelas juga", "kelas", named=True)
                    + _selection(a, "alat peraga dari kardus bekas", "media", named=True)
                    + _selection(a, "Bagaimana kelas Ibu?", "kelas", named=True))  # an interviewer question
    selections_b = (_selection(b, "Sering bentrok dengan rapat dinas, jadi jarang datang.", "jadwal",
                               crlf_as_two=True)
                    + _selection(b, "Sering bentrok", "kelas", user=MACHINE, crlf_as_two=True))
    selections_c = _selection(c, "Guru membagi siswa ke dalam kelompok", "kelas")
    if unknown:
        selections_c += _selection(c, "kartu bergambar hewan", "asing")
    inline = c.replace("&", "&amp;").replace("<", "&lt;")
    project = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="alat lain" basePath="{folder}">
<Users><User guid="{MACHINE}" name="reduksi-suggester"/><User guid="{CODER}" name="Tim KKG"/></Users>
<CodeBook><Codes>
 <Code guid="{{{CODES['kelas'].upper()}}}" name="KP-KELAS Pengelolaan kelas" isCodable="true"/>
 <Code guid="{CODES['media']}" name="media pembelajaran" isCodable="true"/>
 <Code guid="{CODES['jadwal']}" name="HAM-JADWAL: Kendala jadwal dan dana" isCodable="true"/>
 <Code guid="{CODES['asing']}" name="Kode Asing" isCodable="true"/>
</Codes></CodeBook>
<Sources>
 <TextSource guid="{_guid('a')}" name="W-A.txt" plainTextPath="internal://{_guid('a')}.txt">{selections_a}</TextSource>
 <TextSource guid="{_guid('b')}" name="w-b" plainTextPath="relative://teks/W-B.txt">{selections_b}</TextSource>
 <TextSource guid="{_guid('c')}" name="Observasi kelas C"><PlainTextContent>{inline}</PlainTextContent>{selections_c}</TextSource>
</Sources></Project>"""
    (folder / "teks").mkdir(exist_ok=True)
    (folder / "teks" / "W-B.txt").write_bytes(b.replace("\n", "\r\n").encode("utf-8"))
    path = folder / "alat-lain.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", project)
        archive.writestr(f"sources/{_guid('a')}.txt", "\ufeff".encode() + a.replace("\n", "\r\n").encode())
    return path


def _texts(project: Path) -> dict[str, str]:
    with Store.open(project) as store:
        return dict(store._db.execute("SELECT name, text FROM sources").fetchall())


def test_unknown_codes_stop_the_import_and_write_nothing(small_project: Path, tmp_path: Path) -> None:
    path = _foreign_qdpx(tmp_path, _texts(small_project))
    with Store.open(small_project) as store:
        with pytest.raises(ExportError, match="unknown code 'Kode Asing' \\(1 coding\\(s\\)\\)") as error:
            import_qdpx(Project(store, load_config(), codebook_of(load_config())), path)
        assert "alat-lain.qdpx" in str(error.value) and "--skip-unknown" in str(error.value)
        assert history(store) == []


def test_foreign_codings_land_on_the_right_excerpts(small_project: Path, tmp_path: Path) -> None:
    path = _foreign_qdpx(tmp_path, _texts(small_project))
    with Store.open(small_project) as store:
        report = import_qdpx(Project(store, load_config(), codebook_of(load_config())), path, skip_unknown=True)
        log = history(store)
    labels = _labels_by_key(small_project)
    assert labels == {"W-A:002": {"KP-KELAS"}, "W-A:004": {"KP-MEDIA"}, "W-B:002": {"HAM-JADWAL"},
                      "O-C:001": {"KP-KELAS"}}
    assert report.line_ends == {"W-A.txt": "crlf=1", "w-b": "crlf=2", "Observasi kelas C": "lf"}
    assert (report.unknown_codes, report.machine_skipped, report.outside_excerpts) == ({"Kode Asing": 1}, 1, 1)
    assert {d.reviewer for d in log} == {"Tim KKG"} and report.decisions == 4


def test_reviewer_override_and_cli(small_project: Path, tmp_path: Path) -> None:
    path = _foreign_qdpx(tmp_path, _texts(small_project), unknown=False)
    result = reduksi("import", small_project, path, "--reviewer", "rina")
    assert result.returncode == 0, result.stderr
    assert "Appended 4 decision(s) on 4 excerpt(s)" in result.stdout and "w-b crlf=2" in result.stdout
    with Store.open(small_project) as store:
        assert {d.reviewer for d in history(store)} == {"rina"}


def test_cli_reports_unknown_codes_as_one_line_error(small_project: Path, tmp_path: Path) -> None:
    result = reduksi("import", small_project, _foreign_qdpx(tmp_path, _texts(small_project)))
    assert result.returncode == 1 and result.stderr.startswith("Error: [E600]")
    assert "Kode Asing" in result.stderr and "Traceback" not in result.stderr


def test_not_a_qdpx_is_a_clear_error(small_project: Path, tmp_path: Path) -> None:
    bogus = tmp_path / "x.qdpx"
    bogus.write_text("bukan zip", encoding="utf-8")
    with Store.open(small_project) as store, pytest.raises(ExportError, match="not a zip"):
        import_qdpx(Project(store, load_config(), codebook_of(load_config())), bogus)
    empty = tmp_path / "y.qdpx"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("readme.txt", "kosong")
    with Store.open(small_project) as store, pytest.raises(ExportError, match="no project.qde"):
        import_qdpx(Project(store, load_config(), codebook_of(load_config())), empty)
