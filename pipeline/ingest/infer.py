"""A folder without a manifest: infer each file's row from its content, its header and its name.

Method: turns recognised → wawancara; otherwise observasi or dokumen from header and name cues. Informant id from a
header code (`Kode`, `Kode Informan`) or the file name (`W-G03` → `G03`); role, date, site and real name from the
header. The inferred rows are written as `manifest.inferred.csv` for the researcher to correct and reuse.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from pipeline.config import IngestConfig
from pipeline.errors import ReduksiError
from pipeline.ingest.dates import parse_date
from pipeline.ingest.labels import fold
from pipeline.ingest.manifest import COLUMNS
from pipeline.ingest.readers import read_source
from pipeline.records import ParsedSource, SourceMeta

INFERRED_NAME = "manifest.inferred.csv"
_OBSERVATION = ("observasi", "pengamatan", "catatan lapangan", "field note", "fieldnote")
_DOCUMENT = ("dokumen", "notulen", "surat", "laporan", "rekap", "program", "daftar hadir", "dok")
_CODE_KEYS = ("kode informan", "kode", "informan id", "id informan", "id", "kode narasumber")
_NAME_KEYS = ("nama informan", "nama narasumber", "informan", "narasumber", "responden", "nama")
_DATE_KEYS = ("hari/tanggal", "hari tanggal", "tanggal", "tgl", "date", "waktu", "hari")
_SITE_KEYS = ("sekolah", "instansi", "lokasi", "tempat", "site")
_ROLE_KEYS = ("jabatan", "peran", "role", "status", "pekerjaan", "profesi", "informan", "narasumber")


def infer_rows(files: list[Path], config: IngestConfig) -> list[SourceMeta]:
    """One manifest row per file, guessed; a file that cannot be read still gets a row (ingest will name why)."""
    return [infer_row(path, config) for path in files]


def infer_row(path: Path, config: IngestConfig) -> SourceMeta:
    probe = SourceMeta(path=str(path.resolve()), method="wawancara", informant=path.stem)
    try:
        parsed = read_source(probe, config)
    except ReduksiError:
        return SourceMeta(path=probe.path, method=_method_by_name(path) or "dokumen", manifest=None)
    header = {fold(k): v for k, v in parsed.metadata}
    method = "wawancara" if parsed.kind == "transcript" else _method_by_cues(path, header, parsed)
    informant = _first(header, _CODE_KEYS) or (_informant_from_name(path.stem) if method == "wawancara" else None)
    date = parse_date(_first(header, _DATE_KEYS) or "") or parse_date(path.stem.replace("_", "-"))
    return SourceMeta(path=probe.path, method=method, informant=informant if method == "wawancara" else None,
                      role=_role(header, path.stem, config.roles), site=_slug(_first(header, _SITE_KEYS)), date=date,
                      name=_first(header, _NAME_KEYS) if method == "wawancara" else None)


def write_inferred_manifest(rows: list[SourceMeta], path: str | Path) -> Path:
    """Write the rows as a manifest (paths relative to its folder) that `load_manifest` reads back."""
    path = Path(path)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(COLUMNS))
        writer.writeheader()
        for meta in rows:
            writer.writerow({"file": _relative(Path(meta.path), path.parent), "method": meta.method,
                             "informant": meta.informant or "", "role": meta.role or "", "site": meta.site or "",
                             "date": meta.date or "", "name": meta.name or "",
                             "interviewer": ";".join(meta.interviewer_labels)})
    return path


def _relative(file: Path, folder: Path) -> str:
    try:
        return file.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return str(file.resolve())


def _first(header: dict[str, str], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        for found, value in header.items():
            if (found == key or found.split(" (")[0] == key) and value.strip():
                return value.strip()
    return None


def _method_by_name(path: Path) -> str | None:
    name = fold(path.stem.replace("_", " ").replace("-", " "))
    if name.startswith(("o ", "obs")) or any(cue in name for cue in _OBSERVATION):
        return "observasi"
    if name.startswith(("d ", "dok")) or any(cue in name for cue in _DOCUMENT):
        return "dokumen"
    return None


def _method_by_cues(path: Path, header: dict[str, str], parsed: ParsedSource) -> str:
    by_name = _method_by_name(path)
    if by_name:
        return by_name
    opening = fold(" ".join([*header, *header.values(), parsed.text[:300]]))
    return "observasi" if any(cue in opening for cue in _OBSERVATION) else "dokumen"


def _informant_from_name(stem: str) -> str:
    """`W-G03` → `G03`, `wawancara_bu_sari` → `bu_sari`: the name without a leading method prefix."""
    parts = re.split(r"[-_ ]+", stem, maxsplit=1)
    prefix = fold(parts[0])
    if len(parts) == 2 and (prefix in {"w", "w1", "w2", "wawancara", "transkrip", "interview"} or
                            re.fullmatch(r"w\d*", prefix)):
        return parts[1]
    return stem


def _role(header: dict[str, str], stem: str, roles: tuple[str, ...]) -> str | None:
    text = fold(" ".join(v for k, v in header.items() if any(k.startswith(r) for r in _ROLE_KEYS)))
    for role in roles:
        if role != "lainnya" and role.replace("_", " ") in text:
            return role
    folded = fold(stem.replace("-", " ").replace("_", " "))
    for role in roles:
        if role != "lainnya" and role.replace("_", " ") in folded:
            return role
    return None


def _slug(value: str | None) -> str | None:
    if not value:
        return None
    return re.sub(r"[^a-z0-9]+", "-", fold(value.split(",")[0])).strip("-") or None
