"""Kodebuku: the codes with definition, include/exclude notes, examples and counts; every change (add, edit, rename,
merge, split, retire, adopt a candidate theme) is first previewed with how many labels move, then applied."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from pipeline.app.codebook import adopt_theme, candidate_themes, change_codebook, codebook_rows
from pipeline.errors import CodebookError
from pipeline.web.render import need_name, page, reviewer, workspace
from pipeline.web.security import csrf_guard

router = APIRouter(dependencies=[Depends(csrf_guard)])
OPERATIONS = ("add", "edit", "rename", "merge", "split", "retire", "adopt")


@router.get("/kodebuku", response_class=HTMLResponse)
def codebook_page(request: Request) -> Response:
    ws = workspace(request)
    with ws.lock:
        rows = codebook_rows(ws.project)
        candidates = candidate_themes(ws.project)
    return page(request, "kodebuku.html", {"rows": rows, "candidates": candidates,
                                           "codes": {c.id: c for c in ws.project.codebook.codes},
                                           "themes": ws.project.codebook.themes, "operations": OPERATIONS,
                                           "active": "kodebuku"})


@router.post("/kodebuku/ubah", response_class=HTMLResponse)
def change(request: Request, operation: str = Form(...), code: str = Form(""), others: str = Form(""),
           target: str = Form(""), name: str = Form(""), definition: str = Form(""), include: str = Form(""),
           exclude: str = Form(""), theme: str = Form(""), parts: str = Form(""), cluster: int = Form(-1),
           confirm: str = Form("")) -> Response:
    """Without `confirm`: a preview (a dry run) that says how many labels move; with it: the change."""
    who = reviewer(request)
    if not who:
        return need_name(request)
    ws = workspace(request)
    fields = {k: v for k, v in (("name", name), ("definition", definition), ("include", include),
                                ("exclude", exclude)) if v.strip()}
    dry = confirm != "yes"
    with ws.lock:
        report = _change(ws.project, operation, code.strip(), others, target.strip(), fields, theme.strip(), parts,
                         cluster, who, dry)
        if not dry:
            ws.changed()
    form = {"operation": operation, "code": code, "others": others, "target": target, "name": name,
            "definition": definition, "include": include, "exclude": exclude, "theme": theme, "parts": parts,
            "cluster": cluster}
    return page(request, "_perubahan.html", {"report": report, "form": form})


def _change(project: Any, operation: str, code: str, others: str, target: str, fields: dict[str, str], theme: str,
            parts: str, cluster: int, who: str, dry: bool) -> Any:
    if operation not in OPERATIONS:
        raise CodebookError(f"unknown codebook operation '{operation}'", hint=f"use one of: {', '.join(OPERATIONS)}")
    if operation == "adopt":
        return adopt_theme(project, cluster, code, fields.get("name", code), theme, reviewer=who, dry_run=dry)
    codes = (code, *[c.strip() for c in others.replace(",", " ").split() if c.strip()])
    if operation in ("rename", "merge") and not target:
        raise CodebookError(f"{operation} needs the code it becomes", key="target")
    split = [_part(line) for line in parts.splitlines() if line.strip()] if operation == "split" else None
    return change_codebook(project, operation, codes if operation == "merge" else (code,), reviewer=who,
                           targets=(target,) if target else (), fields=fields, theme=theme or None,
                           parts=split, dry_run=dry)


def _part(line: str) -> dict[str, str]:
    pieces = [p.strip() for p in line.split("|")]
    if len(pieces) < 3 or not all(pieces[:3]):
        raise CodebookError(f"a part needs ID|Name|Definition, got '{line.strip()}'", key="parts")
    return {"id": pieces[0], "name": pieces[1], "definition": pieces[2]}
