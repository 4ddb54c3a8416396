"""REFI-QDA export of the demo project: valid against the QDA-XML schemas, exact offsets, users, cases, codebook."""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from pipeline.app.names import project_privacy
from pipeline.app.project import Project
from pipeline.config import load_config
from pipeline.export.refi import TOOL_USER, is_machine
from pipeline.store import Store
from pipeline.store.decisions import current_labels
from pipeline.store.excerpts import excerpts_frame
from tests.export_fixtures import REFI_SCHEMAS, codebook_of, demo_exports, demo_project  # noqa: F401  (fixtures)

NS = {"q": "urn:QDA-XML:project:1.0", "c": "urn:QDA-XML:codebook:1.0"}


def _schema(name: str):  # type: ignore[no-untyped-def]
    path = REFI_SCHEMAS / name
    if not path.is_file():
        pytest.skip(f"REFI-QDA schema {name} not found in {REFI_SCHEMAS.resolve()}: the third-party schemas are "
                    "read in place from the `shared/` folder beside the repository and are not copied into it "
                    "(CI always has them)")
    import xmlschema

    return xmlschema.XMLSchema(str(path))


def _project(folder: Path) -> tuple[ET.Element, dict[str, str], bytes]:
    with zipfile.ZipFile(folder / "reduksi.qdpx") as archive:
        raw = archive.read("project.qde")
        files = {n: archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("sources/")}
    return ET.fromstring(raw), files, raw


@pytest.mark.parametrize("variant", ["default", "real"])
def test_qdpx_and_qdc_validate_against_the_refi_schemas(demo_exports: dict[str, Path], variant: str) -> None:
    project_schema, codebook_schema = _schema("Project-mrt2019.xsd"), _schema("Codebook.xsd")
    _, _, raw = _project(demo_exports[variant])
    project_schema.validate(raw.decode("utf-8"))
    codebook_schema.validate(str(demo_exports[variant] / "codebook.qdc"))


def test_every_selection_selects_exactly_its_excerpt(demo_project: Path, demo_exports: dict[str, Path]) -> None:
    config = load_config()
    with Store.open(demo_project) as store:
        excerpts = excerpts_frame(store).set_index("key")
        privacy = project_privacy(Project(store, config, codebook_of(config))).pseudonymiser
    for variant in ("default", "real"):
        root, files, _ = _project(demo_exports[variant])
        checked = 0
        for source in root.iterfind("q:Sources/q:TextSource", NS):
            path = source.get("plainTextPath")
            assert path.startswith("internal://")
            text = files[f"sources/{path.removeprefix('internal://')}"]
            for selection in source.iterfind("q:PlainTextSelection", NS):
                start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
                expected = excerpts.at[selection.get("name"), "text"]
                assert text[start:end] == (privacy.text(expected) if variant == "default" else expected)
                checked += 1
        assert checked >= 190


def test_verified_codings_by_their_reviewer_suggestions_by_the_machine(demo_project: Path,
                                                                      demo_exports: dict[str, Path]) -> None:
    root, _, _ = _project(demo_exports["default"])
    users = {u.get("guid"): u.get("name") for u in root.iterfind("q:Users/q:User", NS)}
    codes = {c.get("guid"): c.get("name") for c in root.iter(f"{{{NS['q']}}}Code")}
    coded: dict[str, set[tuple[str, str]]] = {}
    for selection in root.iter(f"{{{NS['q']}}}PlainTextSelection"):
        for coding in selection.iterfind("q:Coding", NS):
            code = codes[coding.find("q:CodeRef", NS).get("targetGUID")]
            coded.setdefault(selection.get("name"), set()).add((code, users[coding.get("creatingUser")]))
    with Store.open(demo_project) as store:
        keys = dict(zip(excerpts_frame(store)["excerpt_id"], excerpts_frame(store)["key"]))
        verified = {keys[e]: codes_ for e, codes_ in current_labels(store).items()}
    for key, pairs in coded.items():
        if key in verified:
            assert pairs == {(code, "gold") for code in verified[key]}
        else:
            assert all(is_machine(user) for _, user in pairs)
    assert {TOOL_USER, "gold", "peneliti"} <= set(users.values())


def test_cases_carry_role_site_method_and_no_real_name(demo_exports: dict[str, Path]) -> None:
    root, _, _ = _project(demo_exports["default"])
    variables = {v.get("guid"): v.get("name") for v in root.iterfind("q:Variables/q:Variable", NS)}
    assert set(variables.values()) == {"role", "site", "method"}
    cases = {c.get("name"): c for c in root.iterfind("q:Cases/q:Case", NS)}
    assert set(cases) == {"KS01", "KS02", *(f"G0{i}" for i in range(1, 8))}
    values = {variables[v.find("q:VariableRef", NS).get("targetGUID")]: v.find("q:TextValue", NS).text
              for v in cases["KS01"].iterfind("q:VariableValue", NS)}
    assert values == {"role": "kepala_sekolah", "site": "sdn-mekarjaya-1", "method": "wawancara"}
    assert len(cases["KS01"].findall("q:SourceRef", NS)) == 2  # the first interview and the follow-up
    real, _, _ = _project(demo_exports["real"])
    assert "real_name" in {v.get("name") for v in real.iterfind("q:Variables/q:Variable", NS)}


def test_codebook_tree_names_codes_by_id(demo_exports: dict[str, Path]) -> None:
    codebook = ET.parse(demo_exports["default"] / "codebook.qdc").getroot()
    themes = codebook.findall("c:Codes/c:Code", NS)
    assert [t.get("isCodable") for t in themes] == ["false"] * 4
    leaves = [c.get("name") for t in themes for c in t.findall("c:Code", NS)]
    assert len(leaves) == 13 and leaves[0] == "KP-KELAS"
