"""Import a REFI-QDA project (.qdpx) — sources, codebook, codings, notes — or a codebook alone (.qdc / .qdpx).

`import_qdpx`: everything is read and checked first; unknown codes, unmatched sources (with `sources=False`) and
code names shared by different GUIDs stop the import unless `skip_unknown`. Then, in order: the file's codebook
becomes the project's (`codebook=True`, or by default when the project is empty), the sources the project lacks
are ingested (one all-or-nothing batch), and the decisions, triangulation verdicts and memos are written in
one transaction. `import_codebook`: a codebook from another tool becomes the project's `codebook.yaml`.
"""

from __future__ import annotations

import shutil
from collections import Counter
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import yaml

from pipeline.app.project import PROJECT_CODEBOOK, Project, recorded_run
from pipeline.codebook import load_codebook, parse_codebook
from pipeline.decision_log import replay
from pipeline.errors import CodebookError, ExportError
from pipeline.export.codebook_io import CodebookImport, codebook_from_tree, read_codebook_file
from pipeline.export.qdpx_import import ImportPlan, ImportReport, ProjectView, plan
from pipeline.export.qdpx_read import QdaProject, read_qdpx
from pipeline.export.qdpx_sources import new_sources, write_sources
from pipeline.ingest.batch import ingest
from pipeline.store import decisions
from pipeline.store.codebooks import record_codebook
from pipeline.store.excerpts import excerpts_frame
from pipeline.store.memos import Memo, add_memos, list_memos
from pipeline.store.sources import current_sources_frame
from pipeline.store.triangulation import current_status, set_status


def import_qdpx(project: Project, path: str | Path, *, skip_unknown: bool = False, reviewer: str | None = None,
                codebook: bool | None = None, sources: bool = True) -> ImportReport:
    """Bring a whole QDPX into the project; returns the report (counts of what was placed, skipped and why)."""
    path = Path(path)
    qda = read_qdpx(path)
    if codebook is None:
        codebook = _is_empty(project) and bool(qda.code_tree)
    taken = _codebook_of(qda, path) if codebook else None
    adding = new_sources(qda, _texts(project)) if sources else []
    dry = _plan(project, qda, path, reviewer, taken, skip_sources={n.source.guid for n in adding})
    problems = dry.report.problems()
    if problems and not skip_unknown:
        raise ExportError(f"{'; '.join(problems)} — nothing was imported", file=path,
                          hint="import the file's codebook (--take-codebook), add the codes or rename them in the "
                               "tool, "
                               "or pass --skip-unknown to import the rest")
    with recorded_run(project, "import") as run_id:
        if taken is not None:
            adopt_codebook(project, taken)
        if adding:
            ingest(project.store, write_sources(project.folder, adding), project.config, run_id=run_id)
        final = _plan(project, qda, path, reviewer, taken)
        _write(project, final)
    report = final.report
    report.sources_added = [n.source.name for n in adding]
    if taken is not None:
        report.codebook = f"{project.codebook.name} ({project.codebook.version}): {len(project.codebook.codes)} codes"
        report.renamed_codes = taken.renamed
    return report


def import_codebook(project: Project, path: str | Path) -> CodebookImport:
    """A `.qdc`, or the codebook of a `.qdpx`, becomes the project's codebook (`PROJECT/codebook.yaml`)."""
    path = Path(path)
    tree, label = read_codebook_file(path)
    taken = codebook_from_tree(tree, label, path)
    with recorded_run(project, "codebook import"):
        adopt_codebook(project, taken)
    return taken


def adopt_codebook(project: Project, taken: CodebookImport) -> Path:
    """Write the codebook as `PROJECT/codebook.yaml` (an earlier one is kept under backups/), record its version
    and use it from now on. Refused when verified labels use codes the new codebook lacks: they would be orphaned
    (rename or merge them first with `reduksi codebook`)."""
    target = project.folder / PROJECT_CODEBOOK
    incoming = set(parse_codebook(yaml.safe_load(taken.yaml_text), path=target).ids)
    used = Counter(c for codes in decisions.current_labels(project.store).values() for c in codes)
    orphaned = {code: n for code, n in sorted(used.items()) if code not in incoming}
    if orphaned:
        listed = ", ".join(f"{code} ({n})" for code, n in orphaned.items())
        raise CodebookError(f"verified labels use codes the imported codebook lacks: {listed}", file=target,
                            hint="rename or merge them with `reduksi codebook` first, so no label is lost")
    if target.exists():
        backups = project.folder / "backups"
        backups.mkdir(exist_ok=True)
        shutil.copy2(target, backups / f"{target.stem}-{datetime.now():%Y%m%d-%H%M%S-%f}.yaml")
    target.write_text(taken.yaml_text, encoding="utf-8")
    project.codebook = load_codebook(target)
    with project.store.transaction():
        record_codebook(project.store, project.codebook)
    return target


def _codebook_of(qda: QdaProject, path: Path) -> CodebookImport:
    if not qda.code_tree:
        raise ExportError("holds no codebook to import", file=path)
    tree, label = read_codebook_file(path)
    return codebook_from_tree(tree, label, path)


def _plan(project: Project, qda: QdaProject, path: Path, reviewer: str | None, taken: CodebookImport | None,
          skip_sources: set[str] | None = None) -> ImportPlan:
    if skip_sources:  # sources that will be added: not "unmatched"
        qda = replace(qda, sources=tuple(s for s in qda.sources if s.guid not in skip_sources))
    store = project.store
    log = decisions.history(store)
    state = replay(log)
    status = current_status(store)
    view = ProjectView(excerpts_frame(store), _texts(project), taken.codebook if taken else project.codebook,
                       state.by_reviewer,
                       frozenset((d.excerpt_id, d.reviewer, d.action, d.codes, d.note) for d in log
                                 if d.action in ("reject", "note")),
                       {row.code: (row.status, row.note) for row in status.itertuples(index=False)},
                       frozenset((m.target_kind, m.target, m.title, m.text) for m in list_memos(store)))
    return plan(qda, path.name, view, reviewer, taken.ids if taken else None)


def _write(project: Project, final: ImportPlan) -> None:
    """Decisions, verdicts and memos in one transaction: all of them land, or none."""
    with project.store.transaction():
        decisions.append(project.store, final.decisions, known_codes=project.codebook.ids)
        for verdict in final.verdicts:
            set_status(project.store, verdict.code, verdict.status, verdict.reviewer, verdict.note,
                       known_codes=project.codebook.ids)
        add_memos(project.store, [Memo(m.target_kind, m.target, m.title, m.text, m.author, m.created_at)
                                  for m in final.memos])
    final.report.decisions = len(final.decisions)
    final.report.verdicts = len(final.verdicts)
    final.report.memos = len(final.memos)


def _texts(project: Project) -> dict[str, str]:
    frame = current_sources_frame(project.store)
    return dict(zip(frame["name"], frame["text"]))


def _is_empty(project: Project) -> bool:
    """A project that holds no codebook yet, or nothing at all, takes the file's codebook."""
    return project.codebook.is_empty or (current_sources_frame(project.store).empty
                                         and decisions.watermark(project.store) == 0)
