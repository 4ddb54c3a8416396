"""A code's page for triangulation: its evidence by method and by role, the excerpts judged against it, verdicts."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.app.project import open_project
from pipeline.app.triangulation import code_dossier, record_verdict
from pipeline.errors import ExportError
from pipeline.store.decisions import Decision, append, current_labels
from pipeline.store.labels import record_gold
from tests.conftest import DEMO
from tests.review_support import demo_project, demo_template  # noqa: F401  (fixtures)


def test_the_dossier_splits_evidence_by_method_and_role_and_shows_counter_evidence(demo_project: Path) -> None:
    with open_project(demo_project) as project:
        record_gold(project.store, DEMO / "gold.csv", codebook=project.codebook)
        labels = current_labels(project.store)
        holders = sorted(e for e, codes in labels.items() if "HAM-JADWAL" in codes)
        other = next(e for e, codes in sorted(labels.items()) if "HAM-JADWAL" not in codes)
        with project.store.transaction():
            append(project.store, [Decision(other, "ani", "reject", ("HAM-JADWAL",))])
        record_verdict(project, "HAM-JADWAL", "perlu data tambahan", "ani", "cek daftar hadir")
        dossier = code_dossier(project, "HAM-JADWAL")
        with pytest.raises(ExportError, match="unknown code"):
            code_dossier(project, "BUKAN")
    verified = sum(int((g["status"] == "verified").sum()) for g in dossier.by_method.values())
    assert verified == len(holders)
    assert set(dossier.by_method) >= {"wawancara", "dokumen"} and set(dossier.by_role) >= {"guru"}
    assert all(set(g["method"]) == {m} for m, g in dossier.by_method.items())
    assert list(dossier.counter["reviewer"]) == ["ani"] and len(dossier.counter) == 1
    assert dossier.verdicts.iloc[-1]["note"] == "cek daftar hadir" and dossier.name
