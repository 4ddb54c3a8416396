"""The manifest: which file is whose words, gathered how and when (CSV or YAML).

Columns: file, method (wawancara | observasi | dokumen) required; informant, role, site, date (ISO, DD-MM-YYYY,
DD/MM/YYYY or `12 Februari 2024`),
name (real name, for pseudonymisation only), interviewer (labels, `;`-separated), round (the data collection
round, e.g. 1 or 2; also written `putaran` or `tahap`) optional.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import yaml

from pipeline.config import IngestConfig
from pipeline.errors import BatchIngestError, ManifestError
from pipeline.ingest.dates import parse_date
from pipeline.ingest.decode import read_text_file
from pipeline.records import METHODS, SourceMeta

COLUMNS = ("file", "method", "informant", "role", "site", "date", "name", "interviewer", "round")
ALIASES = {"putaran": "round", "tahap": "round"}  # Indonesian names of a column
MANIFEST_NAMES = ("manifest.csv", "manifest.yaml", "manifest.yml")


def find_manifest(folder: Path) -> Path | None:
    for name in MANIFEST_NAMES:
        if (folder / name).is_file():
            return folder / name
    return None


def load_manifest(path: str | Path, config: IngestConfig) -> list[SourceMeta]:
    """Read and validate every row; every problem of every row is reported at once, naming file, line and column."""
    path = Path(path)
    rows = _yaml_rows(path) if path.suffix.lower() in (".yaml", ".yml") else _csv_rows(path)
    metas: list[SourceMeta] = []
    seen: dict[str, int] = {}
    problems: list[ManifestError] = []
    for line, row in rows:
        meta, found = _validate_row(row, line, path, config)
        problems.extend(found)
        if meta is None:
            continue
        if meta.path in seen:
            problems.append(ManifestError(f"'{row['file']}' is listed twice (first at line {seen[meta.path]})",
                                          file=path, line=line, key="file"))
            continue
        seen[meta.path] = line
        metas.append(meta)
    if problems:
        raise problems[0] if len(problems) == 1 else BatchIngestError(list(problems))
    if not metas:
        raise ManifestError("the manifest lists no files", file=path)
    return metas


def _csv_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    reader = csv.reader(io.StringIO(read_text_file(path).text))
    header = [_column(h) for h in next(reader, [])]
    _check_columns(header, path)
    rows = []
    for record in reader:
        if not any(cell.strip() for cell in record):
            continue
        line = reader.line_num
        if len(record) > len(header):
            raise ManifestError(f"{len(record)} cells but the header has {len(header)}", file=path, line=line)
        rows.append((line, {h: v.strip() for h, v in zip(header, record)}))
    return rows


def _yaml_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    text = read_text_file(path).text
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ManifestError(f"not valid YAML: {getattr(exc, 'problem', exc)}", file=path,
                            line=mark.line + 1 if mark else None) from None
    if node is None:  # an empty file
        raise ManifestError("the manifest is empty", file=path)
    if isinstance(data, dict) and "sources" in data:
        node = next(v for k, v in node.value if k.value == "sources")
        data = data["sources"]
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ManifestError("expected a list of entries (or 'sources:' with one)", file=path)
    rows = []
    for item, item_node in zip(data, node.value):
        keys = [_column(k) for k in item]
        _check_columns(keys, path, line=item_node.start_mark.line + 1, require=False)
        rows.append((item_node.start_mark.line + 1, {_column(k): _scalar(v) for k, v in item.items()}))
    return rows


def _column(name: Any) -> str:
    cleaned = str(name).strip().lower()
    return ALIASES.get(cleaned, cleaned)


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    return str(value).strip()


def _check_columns(names: list[str], path: Path, line: int = 1, require: bool = True) -> None:
    unknown = [n for n in names if n not in COLUMNS]
    if unknown:
        raise ManifestError(f"unknown column '{unknown[0]}'", file=path, line=line, key=unknown[0],
                            hint=f"known columns: {', '.join(COLUMNS)}")
    missing = [c for c in ("file", "method") if c not in names]
    if require and missing:
        raise ManifestError(f"missing column '{missing[0]}'", file=path, line=line, key=missing[0])


def _validate_row(row: dict[str, str], line: int, path: Path, config: IngestConfig
                  ) -> tuple[SourceMeta | None, list[ManifestError]]:
    problems: list[ManifestError] = []

    def fail(message: str, key: str, hint: str | None = None) -> None:
        problems.append(ManifestError(message, file=path, line=line, key=key, hint=hint))

    file = (path.parent / row["file"]).resolve() if row.get("file") else None
    if file is None:
        fail("empty file name", "file")
    elif not file.is_file():
        fail(f"file '{row['file']}' does not exist", "file", hint=f"looked for {file}")
    method = row.get("method", "").lower()
    if method not in METHODS:
        fail(f"unknown method '{row.get('method', '')}'", "method", hint=f"use one of: {', '.join(METHODS)}")
    role = row.get("role") or None
    if role and role not in config.roles:
        fail(f"unknown role '{role}'", "role",
             hint=f"known roles: {', '.join(config.roles)} (add roles in configs, [ingest] roles)")
    informant = row.get("informant") or None
    if method == "wawancara" and not informant:
        fail("an interview needs an informant id", "informant")
    date = parse_date(row.get("date", "")) if row.get("date") else None
    if row.get("date") and date is None:
        fail(f"date '{row['date']}' is not a date", "date",
             hint="write YYYY-MM-DD, DD-MM-YYYY, DD/MM/YYYY or '12 Februari 2024'")
    if problems or file is None:
        return None, problems
    return SourceMeta(path=str(file), method=method, informant=informant, role=role, site=row.get("site") or None,
                      date=date, name=row.get("name") or None, round=row.get("round") or None,
                      interviewer_labels=tuple(x.strip() for x in row.get("interviewer", "").split(";") if x.strip()),
                      manifest=str(path), manifest_line=line), []
