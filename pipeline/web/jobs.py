"""Tugas: long jobs started from the workspace (suggest, train, export; ingest starts from Sumber), each with a page
that polls its progress, so a reviewer can leave it and come back."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from pipeline.app.jobs import Job, cluster_work, export_work, suggest_work, train_work
from pipeline.web.render import page, workspace
from pipeline.web.security import csrf_guard

router = APIRouter(dependencies=[Depends(csrf_guard)])
WORK = {"suggest": suggest_work, "cluster": cluster_work, "train": train_work,
        "export": export_work(("xlsx", "html", "qdpx"))}


@router.get("/tugas", response_class=HTMLResponse)
def job_list(request: Request) -> Response:
    ws = workspace(request)
    return page(request, "tugas.html", {"jobs": ws.jobs.all() if ws.jobs else [], "kinds": list(WORK),
                                        "active": "tugas"})


@router.post("/tugas/{kind}")
def start_job(request: Request, kind: str) -> Response:
    ws = workspace(request)
    if kind not in WORK or ws.jobs is None:
        raise HTTPException(404, f"no job '{kind}'")
    job = ws.jobs.start(kind, WORK[kind])
    return RedirectResponse(f"/tugas/{job.id}", status_code=303)


def _job(request: Request, job_id: int) -> Job:
    ws = workspace(request)
    job = ws.jobs.get(job_id) if ws.jobs else None
    if job is None:
        raise HTTPException(404, f"no job {job_id}")
    return job


@router.get("/tugas/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, job_id: int) -> Response:
    return page(request, "tugas_satu.html", {"job": _job(request, job_id), "active": "tugas"})


@router.get("/tugas/{job_id}/status", response_class=HTMLResponse)
def job_status(request: Request, job_id: int) -> Response:
    """The job's progress as a fragment; the page polls it every second until the job ends."""
    return page(request, "_job.html", {"job": _job(request, job_id)})
