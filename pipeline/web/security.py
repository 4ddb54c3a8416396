"""The workspace's guards: a per-launch token when it listens beyond localhost, a CSRF token on every change
(double submit: a cookie and the same value in a header or form field), and strict response headers."""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Awaitable, Callable

from fastapi import HTTPException, Request
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.responses import PlainTextResponse, Response

CSRF_COOKIE = "reduksi_csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
TOKEN_COOKIE = "reduksi_token"
LANG_COOKIE = "reduksi_lang"
# Everything the pages use is served by the workspace itself: no CDN, no inline script or style.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")


class Guard(BaseHTTPMiddleware):
    """Token check (when one is set), CSRF cookie, language cookie and security headers on every response."""

    def __init__(self, app: object, token: str | None) -> None:
        super().__init__(app)  # type: ignore[arg-type]
        self.token = token

    async def dispatch(self, request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        given = request.query_params.get("token") or request.cookies.get(TOKEN_COOKIE) or ""
        if self.token is not None and not hmac.compare_digest(given, self.token):
            return PlainTextResponse("403: open the address printed when `reduksi web` started (it holds the "
                                     "launch token)", status_code=403)
        csrf = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)
        request.state.csrf = csrf
        lang = request.query_params.get("lang")
        request.state.lang = lang if lang in ("id", "en") else request.cookies.get(LANG_COOKIE, "id")
        started = time.perf_counter()
        response = await call_next(request)
        response.headers["Server-Timing"] = f"app;dur={1000 * (time.perf_counter() - started):.1f}"
        if request.cookies.get(CSRF_COOKIE) != csrf:
            response.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="strict")
        if lang in ("id", "en"):
            response.set_cookie(LANG_COOKIE, lang, samesite="strict")
        if self.token is not None and request.cookies.get(TOKEN_COOKIE) != self.token:
            response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="strict")
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response


async def csrf_guard(request: Request) -> None:
    """A dependency on every router: a POST must carry the CSRF cookie's value in a header or a form field."""
    if request.method != "POST":
        return
    cookie = request.cookies.get(CSRF_COOKIE, "")
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else ""
    if not cookie or not hmac.compare_digest(cookie, sent):
        raise HTTPException(status_code=403, detail="CSRF token missing or wrong: reload the page and try again")
