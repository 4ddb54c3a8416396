"""Import codings made in another QDA tool (REFI-QDA .qdpx) as verified labels."""

from __future__ import annotations

from pathlib import Path

from pipeline.app.project import Project
from pipeline.errors import ExportError
from pipeline.export.qdpx_import import ImportReport, plan
from pipeline.export.qdpx_read import read_qdpx
from pipeline.store import decisions
from pipeline.store.excerpts import excerpts_frame
from pipeline.store.sources import source_texts


def import_qdpx(project: Project, path: str | Path, *, skip_unknown: bool = False,
                reviewer: str | None = None) -> ImportReport:
    """Read `path`, map its codings onto the project's excerpts and append them as verified labels: everything is
    checked first, then written in one transaction; unknown codes or unmatched sources stop the import unless
    `skip_unknown`."""
    path = Path(path)
    qda = read_qdpx(path)
    excerpts = excerpts_frame(project.store)
    texts = dict(source_texts(project.store, [int(i) for i in excerpts["source_id"].unique()]).values())
    report, batch = plan(qda, path.name, excerpts, texts, project.codebook, decisions.current_labels(project.store),
                         reviewer)
    problems = [f"unknown code '{name}' ({n} coding(s))" for name, n in report.unknown_codes.items()]
    problems += [f"no matching source for '{name}'" for name in report.unmatched_sources]
    if problems and not skip_unknown:
        raise ExportError(f"{'; '.join(problems)} — nothing was imported", file=path,
                          hint="add the codes to the codebook or rename them in the tool, ingest the missing "
                               "sources, or pass --skip-unknown to import the rest")
    with project.store.transaction():
        decisions.append(project.store, batch, known_codes=project.codebook.ids)
    report.decisions = len(batch)
    return report
