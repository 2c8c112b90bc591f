"""`briefing render`: re-render a saved briefing without calling any model."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from briefing.cli import app
from briefing.cli.common import (
    OUTPUT_FORMATS,
    PDF_HELP,
    ForceOpt,
    check_formats,
    cli_errors,
    default_format,
    emit_output,
    output_folder,
    parse_vars,
    render_output,
)
from briefing.cli.options import ProfileOpt, TemplateOpt, TemplatesDirOpt, VarOpt


@app.command()
def render(
    saved: Annotated[
        str,
        typer.Argument(
            help="A briefing or digest saved with -f json, or one in the archive: archive:b12, archive:d3 (see `briefing history`).",
            show_default=False,
        ),
    ],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="md, html, json, pdf or docx. Default: md, or html for an HTML-only --template. " + PDF_HELP,
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="Output file or folder. Default: output_dir from config.toml, else stdout.",
            show_default=False,
        ),
    ] = None,
    template: TemplateOpt = None,
    templates_dir: TemplatesDirOpt = None,
    var: VarOpt = None,
    profile: ProfileOpt = None,
    force: ForceOpt = False,
) -> None:
    """Render a saved or archived briefing or digest as Markdown, HTML, PDF, Word or JSON again, with no model call.

    The variables saved with the briefing (audience, language, your --var values) are used again;
    --var adds to them or overrides them.
    """
    with cli_errors():
        from briefing.output.files import resolve_destination
        from briefing.output.saved import load_saved, saved_title
        from briefing.settings import load_settings

        settings = load_settings(dict(template=template), profile=profile, templates_dirs=templates_dir)
        dirs, _ = settings.template_search_path()
        fmt = check_formats([fmt or default_format(settings.template, dirs)], OUTPUT_FORMATS)[0]
        if saved.startswith("archive:"):
            from briefing.archive.queries import load_item
            from briefing.cli.history import open_user_archive

            with open_user_archive(profile) as archive:
                result = load_item(archive, saved)
        else:
            result = load_saved(Path(saved))
        if fmt == "pdf":
            from briefing.output.pdf import require_chromium

            require_chromium()
        data = render_output(result, fmt, settings, dirs, variables={**settings.variables, **parse_vars(var)})
        dest = resolve_destination(output if output is not None else output_folder(settings), saved_title(result), fmt)
        emit_output(data, dest, force=force)
