"""Shared setup for the web workspace tests: a demo project with stored suggestions (built once per session, copied
for each test), a live server in a thread, and Debian's Chromium for pytest-playwright."""

from __future__ import annotations

import contextlib
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.app.project import open_project
from pipeline.app.suggest import model_for, suggest_project
from pipeline.config import Config
from tests.review_support import build_demo, copy_project

# Chromium flags for a machine without network: no first-run, sync, component or background traffic.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def build_suggested_demo(folder: Path, config: Config) -> Path:
    build_demo(folder, config)
    with open_project(folder) as project:
        suggest_project(project, model_for(project))
    return folder


@pytest.fixture(scope="session")
def web_template(tmp_path_factory: pytest.TempPathFactory, config: Config) -> Path:
    return build_suggested_demo(tmp_path_factory.mktemp("webdemo") / "gugus3", config)


@pytest.fixture
def web_project(web_template: Path, tmp_path: Path) -> Path:
    return copy_project(web_template, tmp_path / "gugus3")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LiveServer:
    """The workspace served by uvicorn in a daemon thread on a free port of 127.0.0.1."""

    def __init__(self, app: Any) -> None:
        import uvicorn

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> "LiveServer":
        self.thread.start()
        deadline = time.time() + 20
        while not self.server.started:
            if time.time() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def live(web_project: Path) -> Iterator[tuple[LiveServer, Path]]:
    from pipeline.web.app import create_app

    app = create_app(web_project)
    with LiveServer(app) as server:
        yield server, web_project
    app.state.workspace.close()


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    """pytest-playwright launches Debian's `chromium` (playwright's own browser download is not reachable)."""
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("the browser tests need Debian's chromium (`apt-get install chromium`; `bash .ci/run` installs "
                    "it when missing)")
    return {"executable_path": executable, "args": CHROMIUM_ARGS}


@contextlib.contextmanager
def signed_in(project: Path, reviewer: str) -> Iterator[Any]:
    """A TestClient on the workspace of `project`, with the reviewer's name and the CSRF cookie set."""
    from fastapi.testclient import TestClient

    from pipeline.web.app import create_app

    app = create_app(project)
    with TestClient(app) as client:
        client.cookies.set("reduksi_reviewer", reviewer)
        client.get("/nama")
        yield client
    app.state.workspace.close()


def post(client: Any, url: str, data: dict[str, Any] | None = None, hx: bool = True, **kwargs: Any) -> Any:
    """A form POST with the CSRF token, as HTMX sends it (`hx=False`: a plain form)."""
    headers = {"X-CSRF-Token": client.cookies.get("reduksi_csrf")}
    if hx:
        headers["HX-Request"] = "true"
    return client.post(url, data=data or {}, headers=headers, **kwargs)
