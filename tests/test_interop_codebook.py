"""Codebooks from other tools: a `.qdc` and the codebook of a `.qdpx` (written here to the standard, as MAXQDA and
NVivo write them: nested codes, colours, free descriptions, two codes with one name) become the project's codebook;
a QDPX whose codes share a name is reported, never merged silently; untrusted codebook XML is refused."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import yaml

from pipeline.app.imports import import_codebook, import_qdpx
from pipeline.app.project import open_project
from pipeline.codebook import CODE_ID
from pipeline.errors import ExportError
from pipeline.export.qdc import qdc_bytes
from pipeline.export.refi_xml import code_tree, parse_xml
from pipeline.store.decisions import current_labels, history
from pipeline.store.memos import list_memos
from tests.test_cli import reduksi
from tests.test_qdpx_import import small_project  # noqa: F401  (fixture)

G = "{{5A0C1F00-0000-4000-8000-0000000000{:02d}}}"
QDC = f"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="MAXQDA 2022">
 <Codes>
  <Code guid="{G.format(1)}" name="Strategi mengajar" isCodable="false" color="#3366CC">
   <Code guid="{G.format(2)}" name="Kerja kelompok" isCodable="true" color="#33AA33">
    <Description>Siswa belajar dalam kelompok kecil.</Description>
   </Code>
   <Code guid="{G.format(3)}" name="Media buatan sendiri" isCodable="true">
    <Description>Alat peraga dari bahan bekas.</Description>
    <Code guid="{G.format(4)}" name="Kartu bergambar" isCodable="true" color="#f80"/>
   </Code>
  </Code>
  <Code guid="{G.format(5)}" name="Kendala KKG" isCodable="true" color="#CC3333">
   <Code guid="{G.format(6)}" name="Kerja kelompok" isCodable="true">
    <Description>Kelompok kerja guru yang tidak berjalan.</Description>
   </Code>
  </Code>
  <Code guid="{G.format(7)}" name="Catatan lain" isCodable="true"/>
 </Codes>
</CodeBook>
"""


def _nvivo_qdpx(folder: Path, with_coding: bool = False) -> Path:
    """A project as NVivo might write it: nodes (codes) in a tree, one source with codings on two same-name codes."""
    codes = QDC.split("<Codes>", 1)[1].split("</Codes>", 1)[0].replace("<Description>", "<Description>NVivo: ")
    source = notes = ""
    if with_coding:
        codes = codes.replace("kelompok kecil.</Description>", f'kelompok kecil.</Description><NoteRef targetGUID="{G.format(40)}"/>')
        notes = (f'<Notes><Note guid="{G.format(40)}" name="Memo kode" creatingUser="{G.format(30)}"><PlainTextContent>'
                 f'Kode ini dari pembimbing.</PlainTextContent></Note><Note guid="{G.format(41)}" name="Anotasi" '
                 f'creatingUser="{G.format(30)}"><PlainTextContent>Perhatikan jadwalnya.</PlainTextContent></Note>'
                 "</Notes>")
        text = "Guru membagi siswa ke dalam kelompok empat orang.\n\nKKG jarang berjalan karena jadwal bentrok.\n"
        source = (f'<Sources><TextSource guid="{G.format(20)}" name="Catatan lapangan"><PlainTextContent>{text}'
                  f'</PlainTextContent><PlainTextSelection guid="{G.format(21)}" startPosition="0" endPosition="50" '
                  f'creatingUser="{G.format(30)}"><Coding guid="{G.format(22)}" creatingUser="{G.format(30)}">'
                  f'<CodeRef targetGUID="{G.format(2)}"/></Coding></PlainTextSelection>'
                  f'<PlainTextSelection guid="{G.format(23)}" startPosition="52" endPosition="95" '
                  f'creatingUser="{G.format(30)}"><Coding guid="{G.format(24)}" creatingUser="{G.format(30)}">'
                  f'<CodeRef targetGUID="{G.format(6)}"/></Coding><NoteRef targetGUID="{G.format(41)}"/>'
                  "</PlainTextSelection></TextSource></Sources>")
    project = (f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="Gugus 4" '
               f'origin="NVivo 14"><Users><User guid="{G.format(30)}" name="Dr. Hartono"/></Users>'
               f"<CodeBook><Codes>{codes}</Codes></CodeBook>{source}{notes}</Project>")
    path = folder / "nvivo.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", project)
    return path


def test_qdc_from_another_tool_becomes_the_projects_codebook(small_project: Path, tmp_path: Path) -> None:  # noqa: F811
    (tmp_path / "maxqda.qdc").write_text(QDC, encoding="utf-8")
    result = reduksi("codebook", "import", small_project, tmp_path / "maxqda.qdc")
    assert result.returncode == 0, result.stderr
    assert "2 codes are named 'Kerja kelompok' (different GUIDs): kept apart" in result.stderr
    with open_project(small_project) as opened:
        codebook = opened.codebook
    assert [t.id for t in codebook.themes] == ["SM", "KK", "UMUM"]
    assert codebook.ids == ("SM-KERJA-KELOMPOK", "SM-MEDIA-BUATAN-SENDIRI", "SM-KARTU-BERGAMBAR", "KK-KENDALA-KKG",
                            "KK-KERJA-KELOMPOK", "UMUM-CATATAN-LAIN")
    assert all(CODE_ID.match(code_id) for code_id in codebook.ids)
    assert codebook.code("SM-MEDIA-BUATAN-SENDIRI").definition == "Alat peraga dari bahan bekas."
    assert "Code 'Kerja kelompok (5a0c1f00-0000-4000-8000-000000000006)' -> KK-KERJA-KELOMPOK" in result.stdout
    saved = yaml.safe_load((small_project / "codebook.yaml").read_text(encoding="utf-8"))
    assert saved["refi"]["colours"]["SM-KARTU-BERGAMBAR"] == "#ff8800"
    # The next export gives the other tool its own GUIDs and colours back.
    again = {c.guid: c for c in code_tree(parse_xml(qdc_bytes(codebook), "again.qdc"))}
    assert again["5a0c1f00-0000-4000-8000-000000000004"].color == "#ff8800"
    assert {f"5a0c1f00-0000-4000-8000-0000000000{i:02d}" for i in (1, 2, 3, 4, 5, 6, 7)} <= set(again)


def test_codebook_inside_a_qdpx_comes_in_too(small_project: Path, tmp_path: Path) -> None:  # noqa: F811
    with open_project(small_project) as opened:
        taken = import_codebook(opened, _nvivo_qdpx(tmp_path))
        assert opened.codebook.version == taken.codebook.version
    assert taken.codebook.name == "Gugus"  # the project's name, first word
    assert taken.codebook.code("SM-KERJA-KELOMPOK").definition == "NVivo: Siswa belajar dalam kelompok kecil."
    with open_project(small_project) as reopened:
        assert reopened.codebook.version == taken.codebook.version  # open_project prefers PROJECT/codebook.yaml


def test_same_name_codes_are_reported_not_merged(small_project: Path, tmp_path: Path) -> None:  # noqa: F811
    path = _nvivo_qdpx(tmp_path, with_coding=True)
    with open_project(small_project) as opened, pytest.raises(ExportError, match="2 codes named 'Kerja kelompok'"):
        import_qdpx(opened, path)
    fresh = tmp_path / "fresh"
    with open_project(fresh, create=True) as opened:  # an empty project takes the file's codebook: kept apart
        report = import_qdpx(opened, path)
        labels = sorted(tuple(sorted(c)) for c in current_labels(opened.store).values())
    assert labels == [("KK-KERJA-KELOMPOK",), ("SM-KERJA-KELOMPOK",)]
    assert report.verifications == {"Dr. Hartono": 2} and report.sources_added == ["Catatan lapangan"]
    assert "2 codes named 'Kerja kelompok' with different GUIDs kept apart" in report.warnings()
    assert (report.notes, report.notes_placed, report.memos) == (2, 2, 1)  # a memo on the code, a note decision
    with open_project(fresh) as opened:
        assert [(m.target, m.text, m.author) for m in list_memos(opened.store)] == [
            ("SM-KERJA-KELOMPOK", "Kode ini dari pembimbing.", "Dr. Hartono")]
        assert [d.note for d in history(opened.store) if d.action == "note"] == ["Anotasi\nPerhatikan jadwalnya."]


def test_codebook_xml_with_entities_is_refused(small_project: Path, tmp_path: Path) -> None:  # noqa: F811
    bomb = tmp_path / "bom.qdc"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
                    '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="x" name="&b;" isCodable="true"/>'
                    "</Codes></CodeBook>", encoding="utf-8")
    held = (small_project / "codebook.yaml").read_text(encoding="utf-8")
    with open_project(small_project) as opened, pytest.raises(ExportError, match="DTD or entities"):
        import_codebook(opened, bomb)
    assert (small_project / "codebook.yaml").read_text(encoding="utf-8") == held  # the project's codebook stays
    result = reduksi("codebook", "import", small_project, tmp_path / "nothing.txt")
    assert result.returncode == 1 and result.stderr.startswith("Error: ") and "Traceback" not in result.stderr


def test_an_imported_codebook_that_would_orphan_verified_labels_is_refused(small_project: Path,
                                                                          tmp_path: Path) -> None:  # noqa: F811
    from pipeline.store.decisions import Decision, append, current_labels
    from pipeline.store.excerpts import excerpts_frame

    with open_project(small_project) as opened:
        first = int(excerpts_frame(opened.store)["excerpt_id"].iloc[0])
        with opened.store.transaction():
            append(opened.store, [Decision(first, "ani", "set", ("KP-KELAS",))], known_codes=opened.codebook.ids)
    other = tmp_path / "lain.qdc"
    other.write_text('<?xml version="1.0" encoding="utf-8"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="uji">'
                     '<Codes><Code guid="11111111-1111-4111-8111-111111111111" name="Hanya satu kode" '
                     'isCodable="true"/></Codes></CodeBook>', encoding="utf-8")
    held = (small_project / "codebook.yaml").read_text(encoding="utf-8")
    result = reduksi("codebook", "import", small_project, other)
    assert result.returncode == 1 and "KP-KELAS (1)" in result.stderr and "reduksi codebook" in result.stderr
    assert (small_project / "codebook.yaml").read_text(encoding="utf-8") == held
    with open_project(small_project) as opened:
        assert current_labels(opened.store)[first] == {"KP-KELAS"}
