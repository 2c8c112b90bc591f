"""`briefing templates list|show|init`: the output templates, where each comes from, and copies to edit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from briefing.cli import app
from briefing.cli.common import cli_errors
from briefing.cli.library_views import echo_entries, echo_init, echo_source
from briefing.cli.options import ProfileOpt, TemplatesDirOpt

templates_app = typer.Typer(
    name="templates",
    help=(
        "The output templates (briefing.md, handout.html, compact.html, email.html, or your own): "
        "list them, show one with the variables it receives, copy the built-ins out to edit.\n\n"
        "Lookup order, first match wins: --templates-dir (repeatable), then the templates folder in "
        "BRIEFING_HOME, then the built-ins. A template is NAME.FORMAT.j2 (FORMAT md or html)."
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(templates_app, name="templates")


@templates_app.command("list")
def list_output_templates(templates_dir: TemplatesDirOpt = None, profile: ProfileOpt = None) -> None:
    """List every output template, its formats, and the folder each comes from (shadowed copies too)."""
    with cli_errors():
        from briefing.library import find_entries
        from briefing.output.render import DEFAULT_TEMPLATES
        from briefing.settings import load_settings

        settings = load_settings({}, profile=profile, templates_dirs=templates_dir)
        dirs, origins = settings.template_search_path()
        in_use = str(settings.template) if settings.template else DEFAULT_TEMPLATES
        echo_entries(find_entries(dirs, origins), dirs, origins, in_use=in_use, kind="template")


@templates_app.command("show")
def show_template(
    name: Annotated[str, typer.Argument(help="Template name, e.g. compact (or compact.html).", show_default=False)],
    fmt: Annotated[
        str | None,
        typer.Option("--format", "-f", help="md or html (default: every format NAME exists in).", show_default=False),
    ] = None,
    templates_dir: TemplatesDirOpt = None,
    profile: ProfileOpt = None,
) -> None:
    """Print output template NAME, the blocks you can override, and the variables it receives."""
    with cli_errors():
        from briefing.errors import TemplateError
        from briefing.output.environment import make_output_environment
        from briefing.output.templating import find_template
        from briefing.output.variables import FILTERS, TEMPLATE_VARIABLES
        from briefing.settings import load_settings

        settings = load_settings({}, profile=profile, templates_dirs=templates_dir)
        dirs, origins = settings.template_search_path()
        name, _, suffix = name.removesuffix(".j2").partition(".")
        formats = [fmt or suffix] if (fmt or suffix) else ["md", "html"]
        files = [f"{name}.{f}.j2" for f in formats if find_template(dirs, f"{name}.{f}.j2", origins)]
        if not files:
            raise TemplateError(
                f"no output template {name!r} ({', '.join(f'{name}.{f}.j2' for f in formats)}) in "
                + ", ".join(str(d) for d in dirs),
                hint="`briefing templates list` shows what there is",
            )
        for file in files:
            echo_source(make_output_environment(file.split(".")[1], dirs), file, dirs, origins)
        typer.echo("Variables (briefing/output/variables.py, TEMPLATE_VARIABLES):")
        width = max(len(k) for k in [*TEMPLATE_VARIABLES, *FILTERS])
        for key, text in TEMPLATE_VARIABLES.items():
            typer.echo(f"  {key:<{width}}  {text}")
        typer.echo("Filters besides Jinja's own:")
        for key, text in FILTERS.items():
            typer.echo(f"  {key:<{width}}  {text}")
        if settings.variables:
            typer.echo("Your variables (--var, [vars] in config.toml):")
            for key, value in sorted(settings.variables.items()):
                typer.echo(f"  {key:<{width}}  {value}")
        typer.echo("HTML templates are autoescaped: model and article text can never become markup.")


@templates_app.command("init")
def init_templates(
    folder: Annotated[
        Path, typer.Argument(help="Where to copy the built-in templates (created if missing).", show_default=False)
    ],
    names: Annotated[
        list[str] | None,
        typer.Argument(help="Only these templates (default: all, and labels.toml).", show_default=False),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace files that already exist.")] = False,
) -> None:
    """Copy the built-in output templates into FOLDER to edit; existing files are kept unless --force.

    Then use them with --templates-dir FOLDER, or copy them into the templates folder of
    BRIEFING_HOME (`briefing doctor` shows where it is), which is searched on every run and never
    touched by an upgrade. To change one block only, keep a file that starts with
    {% extends "builtin/briefing.md.j2" %} and overrides that block.
    """
    with cli_errors():
        from briefing.library import copy_builtins
        from briefing.settings import builtin_dir

        done = copy_builtins(builtin_dir("templates"), folder, names, kind="template", force=force)
        echo_init(done, f"briefing generate ARTICLE --templates-dir {folder}")
