"""Triangulasi: the table by source and method with each code's evidence, verdicts edited in place (each a logged
verdict with a note and the reviewer), and a page per code with what each method and role says side by side."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from pipeline.app.triangulation import VERDICTS, code_dossier, record_verdict, triangulation_table
from pipeline.web.render import need_name, page, reviewer, workspace
from pipeline.web.security import csrf_guard

router = APIRouter(dependencies=[Depends(csrf_guard)])


@router.get("/triangulasi", response_class=HTMLResponse)
def triangulation_page(request: Request) -> Response:
    ws = workspace(request)
    with ws.lock:
        table = triangulation_table(ws.project)
        names = {c.id: c.name for c in ws.project.codebook.codes}
    return page(request, "triangulasi.html", {"rows": table.to_dict("records"), "names": names,
                                              "verdicts": VERDICTS, "active": "triangulasi"})


@router.post("/triangulasi/{code}", response_class=HTMLResponse)
def save_verdict(request: Request, code: str, status: str = Form(...), note: str = Form("")) -> Response:
    who = reviewer(request)
    if not who:
        return need_name(request)
    ws = workspace(request)
    with ws.lock:
        record_verdict(ws.project, code, status, who, note)
        table = triangulation_table(ws.project)
    row = table[table["code"] == code].iloc[0].to_dict()
    return page(request, "_verdict.html", {"r": row, "verdicts": VERDICTS, "saved": True})


@router.get("/kode/{code}", response_class=HTMLResponse)
def code_page(request: Request, code: str) -> Response:
    ws = workspace(request)
    with ws.lock:
        dossier = code_dossier(ws.project, code)
    return page(request, "kode.html", {
        "d": dossier, "verdicts": VERDICTS,
        "by_method": {m: g.to_dict("records") for m, g in dossier.by_method.items()},
        "by_role": {r: g.to_dict("records") for r, g in dossier.by_role.items()},
        "counter": dossier.counter.to_dict("records"), "history": dossier.verdicts.to_dict("records"),
        "active": "triangulasi"})
