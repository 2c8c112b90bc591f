"""`briefing render`: re-render a saved briefing without calling any model."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from briefing.cli import app
from briefing.cli.common import ForceOpt, ProfileOpt, TemplateOpt, TemplatesDirOpt, cli_errors


@app.command()
def render(
    saved: Annotated[Path, typer.Argument(help="A JSON file saved with -f json.", show_default=False)],
    fmt: Annotated[str, typer.Option("--format", "-f", help="md, html or json.")] = "md",
    output: Annotated[Optional[str], typer.Option("--output", "-o", help="Output file or folder. Default: stdout.", show_default=False)] = None,
    template: TemplateOpt = None,
    templates_dir: TemplatesDirOpt = None,
    profile: ProfileOpt = None,
    force: ForceOpt = False,
) -> None:
    """Render a saved briefing (JSON) as Markdown, HTML or JSON again, with no model call."""
    with cli_errors():
        from briefing.output import resolve_destination, write_output
        from briefing.render import render_saved
        from briefing.settings import load_settings

        settings = load_settings(dict(template=template), profile=profile, templates_dirs=templates_dir)
        dirs, _ = settings.template_search_path()
        text, title = render_saved(saved, fmt, template=settings.template, dirs=dirs)
        dest = resolve_destination(output, title, fmt)
        if dest is None:
            sys.stdout.write(text)
        else:
            write_output(text, dest, force=force)
            typer.echo(f"wrote {dest}", err=True)
