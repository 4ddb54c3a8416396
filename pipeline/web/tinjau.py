"""Tinjau: the review queue, one excerpt at a time, keyboard first. The same session as the terminal review
(`pipeline.app.session`): the same queue, re-ranked every `[review] requeue_every` decisions, resumed where the
reviewer stopped; every key is a decision in the log at once."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from pipeline.app.project import Project
from pipeline.app.review import bookmark
from pipeline.app.session import ReviewSession
from pipeline.app.transcript import highlight, previous_turn
from pipeline.web.render import need_name, page, reviewer, workspace
from pipeline.web.security import csrf_guard

router = APIRouter(dependencies=[Depends(csrf_guard)])
# A key per code, in codebook order: digits, then letters the review keys leave free (x t u j k are taken).
CODE_KEYS = "1234567890qwertyiopasdfghlzcvbnm".replace("t", "")


def code_keys(n: int) -> list[str]:
    return list(CODE_KEYS[:n]) + [""] * max(0, n - len(CODE_KEYS))


@router.get("/tinjau", response_class=HTMLResponse)
def review_page(request: Request) -> Response:
    name = reviewer(request)
    if not name:
        return need_name(request)
    ws = workspace(request)
    with ws.lock:
        context = _card(ws.project, ws.session(name))
    return page(request, "tinjau.html", {**context, "active": "tinjau"})


@router.post("/tinjau/aksi", response_class=HTMLResponse)
def act(request: Request, action: str = Form(...), codes: list[str] = Form([]),
        excerpt_id: int = Form(0)) -> Response:
    """One key: accept (with the codes marked on screen), reject, irrelevant, undo, next, prev. `excerpt_id`: the
    excerpt on the reviewer's screen; a decision for another one (a stale page) is refused."""
    name = reviewer(request)
    if not name:
        return need_name(request)
    ws = workspace(request)
    with ws.lock:
        session = ws.session(name)
        shown = session.current
        if action in ("accept", "reject", "irrelevant", "next") and (
                shown is None or int(shown.excerpt["excerpt_id"]) != excerpt_id):
            raise HTTPException(409, "the queue moved on: reload the page")
        message = _apply(session, action, codes)
        now = session.current
        if now is not None:
            bookmark(ws.project, name, int(now.excerpt["excerpt_id"]))
        context = _card(ws.project, session, message)
    return page(request, "_kartu.html", context)


def _apply(session: ReviewSession, action: str, codes: list[str]) -> str:
    if action == "accept":
        session.choose(codes)
        saved = session.save()
        return "✓ " + "; ".join(f"{d.action} {', '.join(d.codes) or '∅'}" for d in saved)
    if action == "reject":
        session.reject()
        return "✗"
    if action == "irrelevant":
        session.irrelevant()
        return "tidak relevan"
    if action == "undo":
        event = session.undo()
        return "—" if event is None else f"↶ {event.undoes}"
    if action == "next":
        session.skip()
        return ""
    if action == "prev":
        session.previous()
        return ""
    raise HTTPException(400, f"unknown action '{action}'")


def _card(project: Project, session: ReviewSession, message: str = "") -> dict[str, object]:
    shown = session.current
    codebook = session.codebook
    context: dict[str, object] = {"shown": shown, "session": session, "message": message,
                                  "codes": list(zip(codebook.codes, code_keys(len(codebook.codes))))}
    if shown is not None:
        words = [w for s in shown.suggestions for w in s["reasons"]]
        context["pieces"] = highlight(str(shown.excerpt["text"]), words)
        context["probabilities"] = {s["code"]: s["probability"] for s in shown.suggestions}
        context["previous"] = previous_turn(project, int(shown.excerpt["excerpt_id"]))
    return context
