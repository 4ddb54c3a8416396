"""Ekspor: every export format for download, with the pseudonymisation choice stated; exports run as a job."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from pipeline.app.export import FORMATS
from pipeline.app.jobs import export_work, exported_file, exported_files
from pipeline.errors import ExportError
from pipeline.web.render import page, workspace
from pipeline.web.security import csrf_guard

router = APIRouter(dependencies=[Depends(csrf_guard)])


@router.get("/ekspor", response_class=HTMLResponse)
def export_page(request: Request) -> Response:
    ws = workspace(request)
    files = [(p.name, p.stat().st_size) for p in exported_files(ws.project)]
    return page(request, "ekspor.html", {"formats": FORMATS, "files": files, "active": "ekspor"})


@router.post("/ekspor")
async def start_export(request: Request) -> Response:
    form = await request.form()
    chosen = tuple(f for f in FORMATS if f in form.getlist("format")) or FORMATS
    ws = workspace(request)
    if ws.jobs is None:
        raise HTTPException(503, "jobs are not running")
    work = export_work(chosen, real_names=form.get("real_names") == "yes", lang=str(form.get("lang") or "") or None)
    job = ws.jobs.start("export", work)
    return RedirectResponse(f"/tugas/{job.id}", status_code=303)


@router.get("/ekspor/berkas/{name}")
def download(request: Request, name: str) -> Response:
    ws = workspace(request)
    try:
        path = exported_file(ws.project, name)
    except ExportError as missing:
        raise HTTPException(404, str(missing)) from None
    return FileResponse(path, filename=path.name)
