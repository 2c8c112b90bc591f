"""`briefing serve`: the archive in a local web browser (days, stories, actors, search, review)."""

from __future__ import annotations

from typing import Annotated

import typer

from briefing.cli import app
from briefing.cli.common import cli_errors, say
from briefing.cli.options import ProfileOpt

DEFAULT_PORT = 8765


@app.command()
def serve(
    host: Annotated[
        str,
        typer.Option(
            "--host", help="Address to listen on. Anything but loopback needs --token (or BRIEFING_SERVE_TOKEN)."
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", "-p", min=0, max=65535, help="Port (0: any free one).")] = DEFAULT_PORT,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            envvar="BRIEFING_SERVE_TOKEN",
            help="A secret of 16+ characters every request must carry (the printed address sets it once).",
            show_default=False,
            show_envvar=True,
        ),
    ] = None,
    profile: ProfileOpt = None,
) -> None:
    """Browse the archive in a web browser: the days, each story's timeline, actors, search, review.

    Runs on this computer only (127.0.0.1) and fetches nothing from anywhere; Ctrl-C stops it.
    Read-only, except recording a judgment's outcome on the review page.
    """
    with cli_errors():
        from briefing.archive.db import archive_path
        from briefing.serve.server import serve as run_server
        from briefing.settings import load_settings

        path = archive_path(load_settings({}, profile=profile).home)

        def announce(url: str) -> None:
            say(f"briefing: serving the archive {path}")
            typer.echo(url)
            say("briefing: Ctrl-C stops the server")

        run_server(path, host, port, token, announce=announce)
    say("briefing: stopped")
