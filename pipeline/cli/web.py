"""Command: web (the local workspace in the browser)."""

from __future__ import annotations

from pathlib import Path

import typer

from pipeline.cli import command
from pipeline.cli.options import ProjectArgument

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


@command("web")
def web_command(
    project: Path = ProjectArgument,
    port: int = typer.Option(8765, "--port", help="Port to listen on."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (default: this computer only). "
                             "Any other address requires the per-launch token printed at start."),
    no_browser: bool = typer.Option(False, "--no-browser", help="Do not open the browser."),
) -> None:
    """Open the project in a local web workspace: dashboard, sources and transcript viewer, keyboard review,
    codebook and memos. Works offline; every change is a logged decision."""
    import secrets
    import threading
    import webbrowser

    import uvicorn

    from pipeline.app.review import warm_up
    from pipeline.web.app import create_app

    local = host in LOCAL_HOSTS
    token = None if local else secrets.token_urlsafe(18)
    app = create_app(project, token=token)
    url = f"http://{'127.0.0.1' if local else host}:{port}/" + (f"?token={token}" if token else "")
    if not local:
        typer.echo(f"Warning: listening on {host}: anyone who can reach this address and has the token can change "
                   "the project. Use --host only on a network you trust.", err=True)
    typer.echo(f"reduksi web: {url}  (Ctrl+C stops it)")
    threading.Thread(target=warm_up, args=(project,), daemon=True).start()  # the first review page waits less
    if not no_browser:
        threading.Timer(1.0, webbrowser.open, [url]).start()
    uvicorn.run(app, host=host, port=port, log_level="warning")
