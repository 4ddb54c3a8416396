"""Cari: full-text and lemma search with keyword in context and filters; a search saved as a set can be coded in
bulk (each excerpt still one logged decision)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from pipeline.app.search import STATES, SearchFilter, code_set, filter_values, save_search, saved_searches, search
from pipeline.web.render import need_name, page, reviewer, workspace
from pipeline.web.security import csrf_guard
from pipeline.web.state import Workspace

router = APIRouter(dependencies=[Depends(csrf_guard)])
SHOWN = 200  # hits on the page; a saved set keeps them all


def _filter(code: list[str], informant: list[str], role: list[str], method: list[str], state: str,
            round_: list[str]) -> SearchFilter:
    clean = [tuple(v for v in values if v) for values in (code, informant, role, method, round_)]
    return SearchFilter(codes=clean[0], informants=clean[1], roles=clean[2], methods=clean[3], state=state or "all",
                        rounds=clean[4])


@router.get("/cari", response_class=HTMLResponse)
def search_page(request: Request, q: str = "", exact: bool = False, code: list[str] = Query([]),
                informant: list[str] = Query([]), role: list[str] = Query([]), method: list[str] = Query([]),
                state: str = "all", round: list[str] = Query([])) -> Response:
    ws = workspace(request)
    where = _filter(code, informant, role, method, state, round)
    with ws.lock:
        hits = search(ws.project, q, lemmas=not exact, where=where) if q.strip() else []
        sets = saved_searches(ws.project)
        options = _options(ws)
    return page(request, "cari.html", {"q": q, "exact": exact, "where": where, "hits": hits[:SHOWN],
                                       "total": len(hits), "sets": sets, "states": STATES, "options": options,
                                       "active": "cari"})


@router.post("/cari/simpan", response_class=HTMLResponse)
def save(request: Request, name: str = Form(...), q: str = Form(...), exact: bool = Form(False),
         code: list[str] = Form([]), informant: list[str] = Form([]), role: list[str] = Form([]),
         method: list[str] = Form([]), state: str = Form("all"), round: list[str] = Form([])) -> Response:
    who = reviewer(request)
    if not who:
        return need_name(request)
    ws = workspace(request)
    where = _filter(code, informant, role, method, state, round)
    with ws.lock:
        found = save_search(ws.project, name, q, search(ws.project, q, lemmas=not exact, where=where), where, who)
        sets = saved_searches(ws.project)
    return page(request, "_sets.html", {"sets": sets, "saved": found.name, "options": _options(ws)})


@router.post("/cari/kode", response_class=HTMLResponse)
def code_saved_set(request: Request, name: str = Form(...), code: str = Form(...)) -> Response:
    who = reviewer(request)
    if not who:
        return need_name(request)
    ws = workspace(request)
    with ws.lock:
        added = code_set(ws.project, name, code, who)
        sets = saved_searches(ws.project)
        ws.changed()
    return page(request, "_sets.html", {"sets": sets, "coded": (name, code, added), "options": _options(ws)})


def _options(ws: Workspace) -> dict[str, list[str]]:
    return filter_values(ws.project)
