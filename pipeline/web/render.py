"""Templates (Jinja2, autoescaped) and the helpers every page uses: the reviewer's name, the language, errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from markdown_it import MarkdownIt
from markupsafe import Markup

from pipeline.web.i18n import translate
from pipeline.web.state import Workspace

HERE = Path(__file__).parent
REVIEWER_COOKIE = "reduksi_reviewer"
# Autoescaping on for every template: transcript text, code names and memos are shown as text, never as markup.
templates = Jinja2Templates(env=Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=True))
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False})  # raw HTML in a memo is shown as text
N_COLOURS = 12


def markdown(text: str) -> Markup:
    return Markup(_markdown.render(text or ""))


def code_colours(code_ids: tuple[str, ...]) -> dict[str, int]:
    """Each code's colour number (CSS classes c0..c11), in codebook order."""
    return {code: i % N_COLOURS for i, code in enumerate(code_ids)}


templates.env.filters["markdown"] = markdown


def workspace(request: Request) -> Workspace:
    found: Workspace = request.app.state.workspace
    return found


def reviewer(request: Request) -> str:
    return request.cookies.get(REVIEWER_COOKIE, "").strip()


def page(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    lang = getattr(request.state, "lang", "id")
    ws = workspace(request)
    base = {"request": request, "t": translate(lang), "lang": lang, "csrf": request.state.csrf,
            "reviewer": reviewer(request), "project_name": ws.folder.name,
            "colours": code_colours(ws.project.codebook.ids)}
    return templates.TemplateResponse(request, name, {**base, **context}, status_code=status_code)


def need_name(request: Request) -> RedirectResponse:
    return RedirectResponse(f"/nama?next={quote(request.url.path)}", status_code=303)
