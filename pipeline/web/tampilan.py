"""Tampilan: the matrices (code × informant, role, method, site) as heat maps whose every cell opens its excerpts,
and the cluster map (hover a point for its excerpt and its cluster's label)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from pipeline.app.displays import MATRIX_FIELDS, cell_evidence, cluster_map, matrix
from pipeline.web.render import page, workspace
from pipeline.web.security import csrf_guard

router = APIRouter(dependencies=[Depends(csrf_guard)])
HEAT_STEPS = 8  # CSS classes h0..h8; the palette is one hue, light to dark, readable without colour vision
TOTAL = "__total__"


@dataclass(frozen=True)
class Cell:
    value: str  # the column (an informant, role, method or site)
    verified: int
    suggested: int
    heat: int  # 0..HEAT_STEPS


@router.get("/tampilan", response_class=HTMLResponse)
def displays_page(request: Request, field: str = "informant") -> Response:
    if field not in MATRIX_FIELDS:
        raise HTTPException(404, f"no matrix by '{field}'")
    ws = workspace(request)
    with ws.lock:
        found = matrix(ws.project, field)
        names = {c.id: c.name for c in ws.project.codebook.codes}
    columns, rows, top = _heat_rows(found)
    legend = [(step, round(top * step / HEAT_STEPS)) for step in range(HEAT_STEPS + 1)]
    # The informant matrix is by case: the informant, or the source of an observation or a document.
    cell_field = "case" if field == "informant" else field
    return page(request, "tampilan.html", {"field": field, "cell_field": cell_field, "fields": MATRIX_FIELDS,
                                           "columns": columns,
                                           "rows": rows, "names": names, "legend": legend, "active": "tampilan"})


@router.get("/tampilan/sel", response_class=HTMLResponse)
def cell_page(request: Request, code: str, field: str, value: str, status: str | None = None) -> Response:
    ws = workspace(request)
    with ws.lock:
        rows = cell_evidence(ws.project, code, field, value, status=status or None)
    template = "_sel.html" if request.headers.get("hx-request") else "sel.html"
    return page(request, template, {"code": code, "field": field, "value": value,
                                    "rows": rows.to_dict("records"), "active": "tampilan"})


@router.get("/tampilan/klaster", response_class=HTMLResponse)
def cluster_page(request: Request) -> Response:
    ws = workspace(request)
    with ws.lock:
        found = cluster_map(ws.project)
    if found is None:
        return page(request, "klaster.html", {"points": [], "clusters": [], "labels": {}, "active": "tampilan"})
    points, summary = found
    labels = dict(zip(summary["cluster"].astype(int), summary["label_terms"].astype(str)))
    return page(request, "klaster.html", {"points": _scaled(points), "clusters": summary.to_dict("records"),
                                          "labels": labels, "active": "tampilan"})


def _heat_rows(table: pd.DataFrame) -> tuple[list[str], list[tuple[str, list[Cell]]], int]:
    """(column values, [(code, cells)], the largest verified count) of a (value, field) column frame."""
    values = [v for v in dict.fromkeys(table.columns.get_level_values("value")) if v != TOTAL]
    counts = {v: (table[(v, "verified")] if (v, "verified") in table.columns else 0,
                  table[(v, "suggested")] if (v, "suggested") in table.columns else 0) for v in values}
    top = max([int(c[0].max()) for c in counts.values() if isinstance(c[0], pd.Series)] + [1])
    rows = []
    for code in table.index:
        cells = []
        for v in values:
            verified, suggested = (int(s.loc[code]) if isinstance(s, pd.Series) else 0 for s in counts[v])
            heat = 0 if verified == 0 else max(1, round(HEAT_STEPS * verified / top))
            cells.append(Cell(str(v), verified, suggested, heat))
        rows.append((str(code), cells))
    return [str(v) for v in values], rows, top


def _scaled(points: pd.DataFrame, width: int = 640, height: int = 420, pad: int = 12) -> list[dict[str, object]]:
    """Points placed in an SVG box of `width` × `height` (the map's coordinates have no unit)."""
    x, y = points["x"].astype(float), points["y"].astype(float)
    span_x, span_y = (x.max() - x.min()) or 1.0, (y.max() - y.min()) or 1.0
    placed = points.assign(px=pad + (x - x.min()) / span_x * (width - 2 * pad),
                           py=pad + (y.max() - y) / span_y * (height - 2 * pad))
    return placed.to_dict("records")
