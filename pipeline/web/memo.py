"""Memo: Markdown memos on the project, a source, a code or an excerpt; listed together and searchable."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from pipeline.app.memos import KINDS, add_memo, memos
from pipeline.web.render import need_name, page, reviewer, workspace
from pipeline.web.security import csrf_guard

router = APIRouter(dependencies=[Depends(csrf_guard)])


@router.get("/memo", response_class=HTMLResponse)
def memo_page(request: Request, q: str = "", kind: str = "", target: str = "") -> Response:
    ws = workspace(request)
    with ws.lock:
        found = memos(ws.project, q, kind if kind in KINDS else "")
    template = "_memo_list.html" if request.headers.get("hx-request") else "memo.html"
    return page(request, template, {"memos": found, "q": q, "kind": kind, "kinds": KINDS, "target": target,
                                    "active": "memo"})


@router.post("/memo", response_class=HTMLResponse)
def new_memo(request: Request, kind: str = Form(...), target: str = Form(""), text: str = Form(...),
             title: str = Form("")) -> Response:
    who = reviewer(request)
    if not who:
        return need_name(request)
    ws = workspace(request)
    with ws.lock:
        add_memo(ws.project, kind, target, text, author=who, title=title)
        found = memos(ws.project)
    return page(request, "_memo_list.html", {"memos": found, "q": "", "kind": ""})
