"""`briefing render`: re-render a saved briefing without calling any model."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from briefing.cli import app
from briefing.cli.common import (
    ForceOpt, ProfileOpt, TemplateOpt, TemplatesDirOpt, VarOpt, check_formats, cli_errors, default_format,
    output_folder, parse_vars,
)


@app.command()
def render(
    saved: Annotated[Path, typer.Argument(help="A JSON file saved with -f json.", show_default=False)],
    fmt: Annotated[Optional[str], typer.Option("--format", "-f", help="md, html or json. Default: md, or html for an HTML-only --template.", show_default=False)] = None,
    output: Annotated[Optional[str], typer.Option("--output", "-o", help="Output file or folder. Default: output_dir from config.toml, else stdout.", show_default=False)] = None,
    template: TemplateOpt = None,
    templates_dir: TemplatesDirOpt = None,
    var: VarOpt = None,
    profile: ProfileOpt = None,
    force: ForceOpt = False,
) -> None:
    """Render a saved briefing (JSON) as Markdown, HTML or JSON again, with no model call.

    The variables saved with the briefing (audience, language, your --var values) are used again;
    --var adds to them or overrides them.
    """
    with cli_errors():
        from briefing.output import resolve_destination, write_output
        from briefing.render import FORMATS, render_saved
        from briefing.settings import load_settings

        settings = load_settings(dict(template=template), profile=profile, templates_dirs=templates_dir)
        dirs, _ = settings.template_search_path()
        fmt = check_formats([fmt or default_format(settings.template, dirs)], FORMATS)[0]
        text, title = render_saved(saved, fmt, template=settings.template, dirs=dirs,
                                   variables={**settings.variables, **parse_vars(var)})
        dest = resolve_destination(output if output is not None else output_folder(settings), title, fmt)
        if dest is None:
            sys.stdout.write(text)
        else:
            write_output(text, dest, force=force)
            typer.echo(f"wrote {dest}", err=True)
