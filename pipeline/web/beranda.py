"""Beranda (the project at a glance) and choosing the reviewer's name."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from pipeline.app.dashboard import dashboard
from pipeline.web.render import REVIEWER_COOKIE, page, workspace
from pipeline.web.security import csrf_guard

router = APIRouter(dependencies=[Depends(csrf_guard)])


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    ws = workspace(request)
    with ws.lock:
        summary = dashboard(ws.project)
    jobs = ws.jobs.running() if ws.jobs else []
    return page(request, "beranda.html", {"d": summary, "jobs": jobs, "active": "beranda"})


@router.get("/nama", response_class=HTMLResponse)
def name_form(request: Request, next: str = "/") -> Response:
    return page(request, "nama.html", {"next": next if next.startswith("/") else "/", "active": ""})


@router.post("/nama")
def choose_name(request: Request, name: str = Form(...), next: str = Form("/")) -> Response:
    target = next if next.startswith("/") and not next.startswith("//") else "/"
    response = RedirectResponse(target, status_code=303)
    if name.strip():
        response.set_cookie(REVIEWER_COOKIE, name.strip()[:60], samesite="strict", max_age=3600 * 24 * 365)
    return response
