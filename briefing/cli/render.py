"""`briefing render`: re-render a saved briefing without calling any model."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from briefing.cli import app
from briefing.cli.common import (
    OUTPUT_FORMATS, PDF_HELP, ForceOpt, ProfileOpt, TemplateOpt, TemplatesDirOpt, VarOpt, cli_errors, emit_output,
    parse_vars, render_output,
)


@app.command()
def render(
    saved: Annotated[Path, typer.Argument(help="A JSON file saved with -f json.", show_default=False)],
    fmt: Annotated[str, typer.Option("--format", "-f", help="md, html, json or pdf. " + PDF_HELP)] = "md",
    output: Annotated[Optional[str], typer.Option("--output", "-o", help="Output file or folder. Default: stdout.", show_default=False)] = None,
    template: TemplateOpt = None,
    templates_dir: TemplatesDirOpt = None,
    var: VarOpt = None,
    profile: ProfileOpt = None,
    force: ForceOpt = False,
) -> None:
    """Render a saved briefing (JSON) as Markdown, an HTML handout, PDF or JSON again, with no model call."""
    with cli_errors():
        from briefing.output import resolve_destination
        from briefing.render import load_saved
        from briefing.settings import load_settings

        if fmt not in OUTPUT_FORMATS:
            raise typer.BadParameter(f"{fmt!r} is not one of {', '.join(OUTPUT_FORMATS)}", param_hint="--format")
        settings = load_settings(dict(template=template), profile=profile, templates_dirs=templates_dir,
                                 variables=parse_vars(var))
        dirs, _ = settings.template_search_path()
        result = load_saved(saved)
        if fmt == "pdf":
            from briefing.pdf import require_chromium

            require_chromium()
        data = render_output(result, fmt, settings, dirs)
        emit_output(data, resolve_destination(output, result.briefing.title, fmt), force=force)
