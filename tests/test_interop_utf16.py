"""Positions counted as another tool counts them: NVivo's UTF-16 code units and a byte-counting tool's UTF-8 bytes
on text with emoji (outside the Basic Multilingual Plane) are detected per source and every span lands exactly."""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from pipeline.app.export import export_project
from pipeline.app.imports import import_qdpx
from pipeline.app.project import init_project, open_project
from pipeline.config import Config
from pipeline.decision_log import Decision
from pipeline.export.positions import to_units, unit_map
from pipeline.ingest.batch import ingest, resolve_batch
from pipeline.store import Store, decisions
from pipeline.store.excerpts import excerpts_frame
from tests.conftest import DEMO_CODEBOOK, write_manifest

W_CHAT = """# Wawancara lewat grup WA guru kelas V 📱
P: Bagaimana KKG di gugus ini? 🙂
I: Jadwalnya sering bentrok 😩😩 sama rapat dinas, jadi banyak yang nggak datang 🙏🏽.
P: Media belajarnya bagaimana?
I: Saya bikin kartu bergambar 🐘🦒🐒 dari kardus bekas, anak-anak suka banget 😍👍🏽.
P: Kelasnya diatur bagaimana?
I: Duduk berkelompok 👩‍👩‍👧‍👦 empat orang, ada kesepakatan kelas yang ditempel di dinding 📌.
"""
CODES = {"W-CHAT:002": ("HAM-JADWAL",), "W-CHAT:004": ("KP-MEDIA",), "W-CHAT:006": ("KP-KELAS", "KP-SISWA")}
NS = "urn:QDA-XML:project:1.0"


def rewrite_positions(qdpx: Path, target: Path, units: str) -> Path:
    """The same file with every position counted in `units` ("utf16" as NVivo, "utf8" as a byte-counting tool)."""
    ET.register_namespace("", NS)
    with zipfile.ZipFile(qdpx) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    root = ET.fromstring(members["project.qde"])
    for source in root.iter(f"{{{NS}}}TextSource"):
        text = members[f"sources/{source.get('guid')}.txt"].decode("utf-8")
        for selection in source.iter(f"{{{NS}}}PlainTextSelection"):
            for attribute in ("startPosition", "endPosition"):
                selection.set(attribute, str(to_units(text, int(selection.get(attribute) or 0), units)))
    members["project.qde"] = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return target


@pytest.fixture
def emoji_project(tmp_path: Path, config: Config) -> Path:
    corpus = tmp_path / "korpus"
    corpus.mkdir()
    (corpus / "W-CHAT.txt").write_text(W_CHAT, encoding="utf-8")
    write_manifest(corpus, [dict(file="W-CHAT.txt", informant="G21", role="guru", method="wawancara")])
    project = tmp_path / "proj"
    with init_project(project, DEMO_CODEBOOK) as store:
        ingest(store, resolve_batch([corpus], config)[0], config)
        ids = dict(zip(excerpts_frame(store)["key"], excerpts_frame(store)["excerpt_id"].astype(int)))
        with store.transaction():
            decisions.append(store, [Decision(ids[k], "peneliti", "set", c) for k, c in CODES.items()])
    return project


def _spans(project: Path) -> dict[str, tuple[int, int, str]]:
    with open_project(project) as opened:
        frame = excerpts_frame(opened.store)
        labels = decisions.current_labels(opened.store)
    return {k: (s, e, t) for k, s, e, t, i in zip(frame["key"], frame["start"], frame["end"], frame["text"],
                                                  frame["excerpt_id"]) if int(i) in labels}


@pytest.mark.parametrize("units", ["utf16", "utf8"])
def test_positions_in_other_units_are_detected_and_every_span_is_exact(emoji_project: Path, tmp_path: Path,
                                                                      units: str) -> None:
    with open_project(emoji_project) as opened:
        export_project(opened, tmp_path / "out", ("qdpx",), real_names=True)
    foreign = rewrite_positions(tmp_path / "out" / "reduksi.qdpx", tmp_path / f"{units}.qdpx", units)
    fresh = tmp_path / "fresh"
    with open_project(fresh, create=True) as opened:
        report = import_qdpx(opened, foreign)
        labels = {k: c for k, c in _labels(opened).items() if c}
    assert report.positions == {"W-CHAT": units} and report.outside_excerpts == 0
    assert labels == {k: frozenset(c) for k, c in CODES.items()}
    assert _spans(fresh) == _spans(emoji_project)  # same excerpts, same offsets, same text


def _labels(opened) -> dict[str, frozenset[str]]:  # type: ignore[no-untyped-def]
    keys = dict(zip(excerpts_frame(opened.store)["excerpt_id"].astype(int), excerpts_frame(opened.store)["key"]))
    return {keys[e]: c for e, c in decisions.current_labels(opened.store).items()}


def test_reading_utf16_as_code_points_would_drift() -> None:
    """Why detection matters: the last answer's start, counted in UTF-16, is well past its code point."""
    start = W_CHAT.index("I: Duduk")
    units = to_units(W_CHAT, start, "utf16")
    assert units - start >= 10
    assert unit_map(W_CHAT, "utf16").start(units) == start
    assert unit_map(W_CHAT, "utf8").start(to_units(W_CHAT, start, "utf8")) == start
