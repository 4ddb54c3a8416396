"""Every matrix cell opens its evidence: the rows behind a cell are as many as the cell counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import display
from pipeline.app.displays import cell_evidence, project_displays
from pipeline.app.project import open_project
from pipeline.errors import ExportError
from pipeline.store.labels import record_gold
from tests.conftest import DEMO
from tests.review_support import demo_project, demo_template  # noqa: F401  (fixtures)


def test_each_cell_count_matches_its_evidence(demo_project: Path) -> None:
    with open_project(demo_project) as project:
        record_gold(project.store, DEMO / "gold.csv", codebook=project.codebook)
        displays = project_displays(project)
        matrix = displays.by_role
        checked = 0
        for code in matrix.index[:5]:
            for role in dict.fromkeys(matrix.columns.get_level_values("value")):
                if role == display.TOTAL or (role, "verified") not in matrix.columns:
                    continue
                rows = cell_evidence(project, code, "role", role, status="verified", displays=displays)
                assert len(rows) == matrix.loc[code, (role, "verified")]
                assert set(rows["code"]) <= {code} and set(rows["role"].astype(str)) <= {role}
                checked += 1
        with pytest.raises(ExportError, match="unknown matrix field"):
            cell_evidence(project, "KP-KELAS", "warna", "x", displays=displays)
    assert checked >= 10
