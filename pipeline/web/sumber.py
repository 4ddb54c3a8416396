"""Sumber: the sources with their metadata, uploading files to ingest, and the transcript viewer where a selected
span is coded (a new excerpt with exact offsets) or becomes an excerpt's new boundaries."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from pipeline.app.jobs import ingest_work
from pipeline.app.transcript import adjust_excerpt, code_span, list_sources, source_transcript
from pipeline.errors import IngestError
from pipeline.web.render import need_name, page, reviewer, workspace
from pipeline.web.security import csrf_guard

router = APIRouter(dependencies=[Depends(csrf_guard)])
SOURCE_TYPES = (".txt", ".md", ".docx", ".vtt", ".srt", ".csv", ".xlsx")
MANIFEST_TYPES = (".csv", ".yaml", ".yml")
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_FILES = 200


@router.get("/sumber", response_class=HTMLResponse)
def sources(request: Request) -> Response:
    ws = workspace(request)
    with ws.lock:
        rows = list_sources(ws.project)
    return page(request, "sumber.html", {"sources": rows, "active": "sumber", "types": ", ".join(SOURCE_TYPES)})


@router.post("/sumber/unggah")
async def upload(request: Request, files: list[UploadFile] = File(...),
                 manifest: UploadFile | None = File(None)) -> Response:
    """Check every file's type and size, keep them in `PROJECT/unggahan/<time>/`, and ingest them as a job (all or
    nothing: a batch with a bad file stores nothing, and its upload folder is removed)."""
    ws = workspace(request)
    chosen = [f for f in files if f.filename]
    folder = ws.folder / "unggahan" / time.strftime("%Y%m%d-%H%M%S")
    try:
        if not chosen:
            raise IngestError("no file chosen", hint="choose one or more transcripts, notes or documents")
        if len(chosen) > MAX_FILES:
            raise IngestError(f"{len(chosen)} files in one upload", hint=f"upload at most {MAX_FILES} at a time")
        folder.mkdir(parents=True, exist_ok=True)
        paths = [await _keep(f, folder, SOURCE_TYPES) for f in chosen]
        listed = await _keep(manifest, folder, MANIFEST_TYPES) if manifest is not None and manifest.filename \
            else None
    except IngestError as problem:
        shutil.rmtree(folder, ignore_errors=True)
        with ws.lock:
            rows = list_sources(ws.project)
        return page(request, "sumber.html", {"sources": rows, "active": "sumber",
                                             "types": ", ".join(SOURCE_TYPES), "errors": [str(problem)]},
                    status_code=400)
    assert ws.jobs is not None
    job = ws.jobs.start("ingest", _cleaning(ingest_work(paths, listed), folder))
    return RedirectResponse(f"/tugas/{job.id}", status_code=303)


def _cleaning(work, folder: Path):  # type: ignore[no-untyped-def]
    """Remove the upload folder when the ingest stored nothing."""

    def run(project, job):  # type: ignore[no-untyped-def]
        try:
            return work(project, job)
        except Exception:
            shutil.rmtree(folder, ignore_errors=True)
            raise

    return run


async def _keep(upload: UploadFile, folder: Path, allowed: tuple[str, ...]) -> Path:
    name = Path(upload.filename or "").name
    safe = re.sub(r"[^\w.\- ]+", "_", name).strip(" .") or "berkas"
    if Path(safe).suffix.lower() not in allowed:
        raise IngestError(f"file type '{Path(safe).suffix or '(none)'}' is not read by reduksi", file=name,
                          hint=f"use one of: {', '.join(allowed)}")
    target = folder / safe
    size = 0
    with target.open("wb") as handle:
        while chunk := await upload.read(1024 * 1024):
            size += len(chunk)
            if size > MAX_FILE_BYTES:
                raise IngestError(f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB", file=name,
                                  hint="split it, or ingest it with `reduksi ingest`")
            handle.write(chunk)
    return target


@router.get("/sumber/{source_id}", response_class=HTMLResponse)
def viewer(request: Request, source_id: int) -> Response:
    ws = workspace(request)
    with ws.lock:
        transcript = source_transcript(ws.project, source_id)
    return page(request, "transkrip.html", {"tr": transcript, "codes": ws.project.codebook.codes,
                                            "active": "sumber"})


@router.post("/sumber/{source_id}/kode", response_class=HTMLResponse)
def code_selection(request: Request, source_id: int, start: int = Form(...), end: int = Form(...),
                   codes: list[str] = Form([])) -> Response:
    name = reviewer(request)
    if not name:
        return need_name(request)
    ws = workspace(request)
    with ws.lock:
        result = code_span(ws.project, source_id, start, end, tuple(codes), reviewer=name)
        if result.created:
            ws.changed()  # review sessions pick up the new excerpt
        transcript = source_transcript(ws.project, source_id)
    return page(request, "_transkrip.html", {"tr": transcript})


@router.post("/kutipan/batas", response_class=HTMLResponse)
def move_boundaries(request: Request, excerpt_id: int = Form(...), start: int = Form(...),
                    end: int = Form(...)) -> Response:
    name = reviewer(request)
    if not name:
        return need_name(request)
    ws = workspace(request)
    with ws.lock:
        row = adjust_excerpt(ws.project, excerpt_id, start, end, reviewer=name)
        ws.changed()  # review sessions show the excerpt's new text
        transcript = source_transcript(ws.project, int(row["source_id"]))
    return page(request, "_transkrip.html", {"tr": transcript})
