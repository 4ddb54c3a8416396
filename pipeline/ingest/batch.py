"""Batch ingest: manifest rows in, new source versions and their excerpts stored, all or nothing.

Every file of the batch is parsed; if any has a problem, all problems are reported and nothing is stored.
Unchanged files (same content hash) add nothing; a changed file becomes a new version, the old one is kept.
A folder without a manifest is accepted: its rows are inferred (`infer`) and returned for `manifest.inferred.csv`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self

from pipeline import excerpts as excerpt_stage
from pipeline.config import Config
from pipeline.errors import BatchIngestError, ManifestError, ReduksiError
from pipeline.ingest.infer import INFERRED_NAME, infer_rows
from pipeline.ingest.manifest import MANIFEST_NAMES, find_manifest, load_manifest
from pipeline.ingest.quality import FileReport, file_report
from pipeline.ingest.readers import SUPPORTED, file_sha256, read_source
from pipeline.records import SourceMeta
from pipeline.store import Store
from pipeline.store.sources import existing_version, insert_source, update_round, upsert_informant

Progress = Callable[[Iterable[SourceMeta]], Iterator[SourceMeta]]
_NOT_SOURCES = {*MANIFEST_NAMES, INFERRED_NAME, "gold.csv", "readme.md", "readme.txt", "ingest_report.csv"}


@dataclass(frozen=True)
class IngestReport:
    added: tuple[tuple[str, int], ...] = ()  # (source name, version)
    unchanged: tuple[str, ...] = ()
    excerpts: int = 0
    warnings: tuple[str, ...] = field(default=())
    files: tuple[FileReport, ...] = ()  # one per parsed file: rows of `ingest_report.csv` (see `report_frame`)


class ResolvedBatch(tuple):  # type: ignore[type-arg]
    """`(metas, warnings)` as before — it unpacks and indexes like that pair — plus `inferred`: the rows guessed for
    folders or files without a manifest (write them with `write_inferred_manifest`)."""

    inferred: tuple[SourceMeta, ...]

    def __new__(cls, metas: list[SourceMeta], warnings: list[str], inferred: tuple[SourceMeta, ...] = ()
                ) -> Self:
        batch = super().__new__(cls, (metas, warnings))
        batch.inferred = inferred
        return batch

    @property
    def metas(self) -> list[SourceMeta]:
        return self[0]  # type: ignore[no-any-return]

    @property
    def warnings(self) -> list[str]:
        return self[1]  # type: ignore[no-any-return]


def resolve_batch(paths: list[str | Path], config: Config, manifest: str | Path | None = None) -> ResolvedBatch:
    """Turn folders, files and manifests named on the command line into manifest rows (plus warnings)."""
    metas: list[SourceMeta] = []
    warnings: list[str] = []
    inferred: list[SourceMeta] = []
    given = load_manifest(manifest, config.ingest) if manifest else None
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            rows = given or _folder_rows(path, config, inferred, warnings)
            metas.extend(rows)
            warnings.extend(_unlisted(path, rows))
        elif path.name.lower() in MANIFEST_NAMES or (manifest is None and path.suffix in (".yaml", ".yml")):
            metas.extend(load_manifest(path, config.ingest))
        elif path.is_file():
            metas.extend(given and _listed(path, given) or _file_rows(path, config, inferred, warnings))
        else:
            raise ManifestError("no such file or folder", file=path)
    return ResolvedBatch(_unique(metas), warnings, tuple(_unique(inferred)))


def _listed(path: Path, rows: list[SourceMeta]) -> list[SourceMeta]:
    match = [m for m in rows if Path(m.path) == path.resolve()]
    if not match:
        raise ManifestError(f"'{path}' is not listed in the manifest", file=rows[0].manifest,
                            hint="add a row for it (file, method, informant, role, site, date)")
    return match


def _file_rows(path: Path, config: Config, inferred: list[SourceMeta], warnings: list[str]) -> list[SourceMeta]:
    found = find_manifest(path.parent)
    if found is not None:
        return _listed(path, load_manifest(found, config.ingest))
    rows = infer_rows([path], config.ingest)
    inferred.extend(rows)
    warnings.append(f"{path}: no manifest; method, informant and date were inferred ({_describe(rows[0])})")
    return rows


def _folder_rows(folder: Path, config: Config, inferred: list[SourceMeta], warnings: list[str]
                 ) -> list[SourceMeta]:
    found = find_manifest(folder)
    if found is not None:
        return load_manifest(found, config.ingest)
    files = _candidates(folder)
    if not files:
        raise ManifestError("no manifest and no transcripts, notes or documents in this folder", file=folder,
                            hint=f"supported files: {', '.join(SUPPORTED)}")
    rows = infer_rows(files, config.ingest)
    inferred.extend(rows)
    warnings.append(f"{folder}: no manifest; {len(rows)} row(s) inferred from headers and file names "
                    f"(written into the project folder as {INFERRED_NAME}: correct it and save it as manifest.csv)")
    return rows


def _describe(meta: SourceMeta) -> str:
    return ", ".join(f"{k}={v}" for k, v in (("method", meta.method), ("informant", meta.informant),
                                              ("date", meta.date)) if v)


def ingest(store: Store, metas: list[SourceMeta], config: Config, *, run_id: int | None = None,
           progress: Progress | None = None) -> IngestReport:
    added: list[tuple[str, int]] = []
    unchanged: list[str] = []
    warnings: list[str] = []
    problems: list[ReduksiError] = []
    files: list[FileReport] = []
    n_excerpts = 0
    _check_stems(metas)
    with store.transaction() as db:
        for meta in (progress(metas) if progress else metas):
            try:
                name, sha = excerpt_stage.source_stem(meta.path), file_sha256(meta.path)
                if existing_version(db, name, sha) is not None:
                    unchanged.append(name)
                    warnings.extend(w for w in [update_round(db, name, sha, meta.round)] if w)
                    continue
                parsed = read_source(meta, config.ingest)
                files.append(file_report(meta.path, parsed))
                found = excerpt_stage.run(parsed, name, config.excerpts)
                warnings.extend(w for w in [upsert_informant(db, meta), *parsed.warnings] if w)
                _, version = insert_source(db, meta, parsed, found, name=name, sha256=sha, run_id=run_id)
                added.append((name, version))
                n_excerpts += len(found)
            except ReduksiError as problem:
                problems.append(problem)
        if problems:
            raise problems[0] if len(problems) == 1 else BatchIngestError(problems)
    return IngestReport(tuple(added), tuple(unchanged), n_excerpts, tuple(warnings), tuple(files))


def _candidates(folder: Path) -> list[Path]:
    """Files a folder offers as sources: supported types, not manifests or read-me files, not hidden."""
    return [path for path in sorted(folder.rglob("*"))
            if path.is_file() and path.suffix.lower() in SUPPORTED and path.name.lower() not in _NOT_SOURCES
            and not path.name.startswith(("_", ".")) and not any(p.startswith(".") for p in path.parts[:-1])]


def _unlisted(folder: Path, rows: list[SourceMeta]) -> list[str]:
    listed = {Path(m.path) for m in rows}
    return [f"{path}: not in the manifest, skipped" for path in _candidates(folder) if path.resolve() not in listed]


def _unique(metas: list[SourceMeta]) -> list[SourceMeta]:
    seen: dict[str, SourceMeta] = {}
    for meta in metas:
        seen.setdefault(meta.path, meta)
    return list(seen.values())


def _check_stems(metas: list[SourceMeta]) -> None:
    """Excerpt keys are built from file names without extension, so two files may not share one."""
    stems: dict[str, SourceMeta] = {}
    for meta in metas:
        stem = Path(meta.path).stem
        if stem in stems:
            raise ManifestError(f"'{Path(meta.path).name}' and '{Path(stems[stem].path).name}' share the name "
                                f"'{stem}'; excerpt keys need unique file names", file=meta.manifest,
                                line=meta.manifest_line, key="file")
        stems[stem] = meta
