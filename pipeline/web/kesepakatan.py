"""Kesepakatan and Adjudikasi: assign an overlapping sample for double coding, agreement per code and overall (with
intervals, n and the small-n warning, human–model beside), and each disagreement side by side for the adjudicator,
whose choice becomes the final label (both coders' labels stay in the log)."""

from __future__ import annotations

import math
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from pipeline.app.adjudication import adjudicate, disagreements
from pipeline.app.agreement import agreement_result, chosen_codings
from pipeline.app.review import assign_round
from pipeline.errors import ReviewError
from pipeline.web.render import need_name, page, reviewer, workspace
from pipeline.web.security import csrf_guard

router = APIRouter(dependencies=[Depends(csrf_guard)])


@router.get("/kesepakatan", response_class=HTMLResponse)
def agreement_page(request: Request, per_code: bool = False) -> Response:
    ws = workspace(request)
    with ws.lock:
        coders = chosen_codings(ws.project, with_model=False)
        result = agreement_result(ws.project) if len(coders) >= 2 else None
    pairs = alpha = []
    if result is not None:
        shown = result.pairs if per_code else result.pairs[result.pairs["code"] == "(all)"]
        pairs = [_finite(r) for r in shown.to_dict("records")]
        kept = result.alpha if per_code else result.alpha[result.alpha["code"] == "(all)"]
        alpha = [_finite(r) for r in kept.to_dict("records")]
    warn = any(r["too_few"] for r in [*pairs, *alpha])
    return page(request, "kesepakatan.html", {"pairs": pairs, "alpha": alpha, "warn": warn, "per_code": per_code,
                                              "coders": sorted(coders), "active": "kesepakatan"})


@router.post("/kesepakatan/bagi", response_class=HTMLResponse)
def assign(request: Request, reviewers: str = Form(...), overlap: float = Form(0.2), size: str = Form("")) -> Response:
    names = tuple(n.strip() for n in reviewers.split(",") if n.strip())
    ws = workspace(request)
    with ws.lock:
        result = assign_round(ws.project, names, overlap, int(size) if size.strip() else None)
        ws.changed()
    return page(request, "_pesan.html", {"round": result.round,
                                         "excerpts": len({a.excerpt_id for a in result.assignments}),
                                         "double": len({a.excerpt_id for a in result.assignments if a.overlap})})


@router.get("/adjudikasi", response_class=HTMLResponse)
def adjudication_page(request: Request, coders: str = "", settled: bool = False) -> Response:
    chosen = tuple(c.strip() for c in coders.split(",") if c.strip())
    ws = workspace(request)
    with ws.lock:
        found = disagreements(ws.project, chosen, settled=settled)
        codes = ws.project.codebook.codes
    return page(request, "adjudikasi.html", {"items": found, "codes": codes, "coders": coders, "settled": settled,
                                             "options": options, "active": "kesepakatan"})


@router.post("/adjudikasi/{excerpt_id}", response_class=HTMLResponse)
async def settle(request: Request, excerpt_id: int) -> Response:
    who = reviewer(request)
    if not who:
        return need_name(request)
    form = await request.form()
    chosen = tuple(str(c) for c in form.getlist("code"))
    note = str(form.get("note") or "") or None
    ws = workspace(request)
    with ws.lock:
        known = {d.excerpt_id: d for d in disagreements(ws.project, settled=True)}
        if excerpt_id not in known:
            raise ReviewError(f"excerpt {excerpt_id} is not a disagreement between coders")
        adjudicate(ws.project, excerpt_id, chosen, adjudicator=who, note=note)
        item = next(d for d in disagreements(ws.project, settled=True) if d.excerpt_id == excerpt_id)
        ws.changed()
    if not request.headers.get("hx-request"):
        return RedirectResponse("/adjudikasi", status_code=303)
    return page(request, "_adjudikasi_item.html", {"d": item, "codes": ws.project.codebook.codes,
                                                   "options": options})


def options(item: Any) -> list[str]:
    """The codes the adjudicator chooses among: each coder's, the model's, and the settled ones."""
    found = {c for given in item.codes.values() for c in given} | {c for c, _ in item.suggested}
    return sorted(found | set(item.settled or ()))


def _finite(row: dict[str, Any]) -> dict[str, Any]:
    """NaN (no variation, nothing to compare) as None, for the template."""
    return {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}
