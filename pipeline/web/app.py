"""The workspace's FastAPI application: one router per page, vendored static files, one error shape."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from pipeline.errors import BatchIngestError, ReduksiError
from pipeline.web import beranda, cari, ekspor, jobs, kesepakatan, kodebuku, memo, sumber, tampilan, tinjau, triangulasi
from pipeline.web.render import HERE, page
from pipeline.web.security import Guard
from pipeline.web.state import Workspace, settle


def create_app(project: str | Path, *, token: str | None = None) -> FastAPI:
    """The workspace for one project. `token`: required on every request (for a server reachable beyond
    localhost)."""
    app = FastAPI(title="reduksi", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.workspace = Workspace.open(Path(project), token)
    app.add_middleware(Guard, token=token)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    for module in (beranda, sumber, tinjau, kodebuku, memo, jobs, tampilan, triangulasi, kesepakatan, cari, ekspor):
        app.include_router(module.router)
    app.add_exception_handler(ReduksiError, _library_error)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, _http_error)  # type: ignore[arg-type]
    settle()
    return app


def _error(request: Request, messages: list[str], status: int) -> Response:
    """One error shape: a fragment put into the page's message area (HTMX), else the error page."""
    if request.headers.get("hx-request"):
        response = page(request, "_galat.html", {"errors": messages}, status_code=200)
        response.headers["HX-Retarget"] = "#flash"
        response.headers["HX-Reswap"] = "innerHTML"
        return response
    return page(request, "galat.html", {"errors": messages, "active": ""}, status_code=status)


async def _library_error(request: Request, error: ReduksiError) -> Response:
    messages = [str(e) for e in error.errors] if isinstance(error, BatchIngestError) else [str(error)]
    return _error(request, messages, 400)


async def _http_error(request: Request, error: HTTPException) -> Response:
    return _error(request, [str(error.detail)], error.status_code)
