"""`briefing prompts list|show|init`: the prompt styles, where each comes from, and copies to edit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from briefing.cli import app
from briefing.cli.common import cli_errors
from briefing.cli.library_views import echo_entries, echo_init, echo_source
from briefing.cli.options import ProfileOpt, PromptsDirOpt

prompts_app = typer.Typer(
    name="prompts",
    help=(
        "The prompt styles (policy, executive, risk, or your own): list them, show one with the "
        "variables it receives, copy the built-ins out to edit.\n\n"
        "Lookup order, first match wins: --prompts-dir (repeatable), then the prompts folder in "
        "BRIEFING_HOME, then the built-ins. A prompt is NAME.system.j2 + NAME.user.j2."
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(prompts_app, name="prompts")


@prompts_app.command("list")
def list_prompts(prompts_dir: PromptsDirOpt = None, profile: ProfileOpt = None) -> None:
    """List every prompt, its parts, and the folder each part comes from (shadowed copies too)."""
    with cli_errors():
        from briefing.library import find_entries
        from briefing.settings import load_settings

        settings = load_settings({}, profile=profile, prompts_dirs=prompts_dir)
        dirs, origins = settings.prompt_search_path()
        echo_entries(find_entries(dirs, origins), dirs, origins, in_use=str(settings.prompt), kind="prompt")


@prompts_app.command("show")
def show_prompt(
    name: Annotated[str, typer.Argument(help="Prompt name, e.g. policy.", show_default=False)],
    prompts_dir: PromptsDirOpt = None,
    profile: ProfileOpt = None,
) -> None:
    """Print both parts of prompt NAME, the blocks you can override, and the variables it receives."""
    with cli_errors():
        from briefing.output.variables import PROMPT_VARIABLES
        from briefing.prompts import PARTS, PromptSet
        from briefing.settings import load_settings

        settings = load_settings({}, profile=profile, prompts_dirs=prompts_dir)
        prompt = PromptSet(name, *settings.prompt_search_path())
        prompt.files()  # both parts must exist
        env = prompt.environment()
        for part in PARTS:
            echo_source(env, f"{name}.{part}.j2", *settings.prompt_search_path())
        current = {
            "audience": settings.audience,
            "language": settings.language,
            "length": settings.length,
        }
        typer.echo("Variables (briefing/prompts.py, PROMPT_VARIABLES):")
        width = max(len(k) for k in PROMPT_VARIABLES)
        for key, text in PROMPT_VARIABLES.items():
            now = f"  [now: {current[key]}]" if key in current else ""
            typer.echo(f"  {key:<{width}}  {text}{now}")
        if settings.variables:
            typer.echo("Your variables (--var, [vars] in config.toml):")
            for key, value in sorted(settings.variables.items()):
                typer.echo(f"  {key:<{width}}  {value}")


@prompts_app.command("init")
def init_prompts(
    folder: Annotated[
        Path, typer.Argument(help="Where to copy the built-in prompts (created if missing).", show_default=False)
    ],
    names: Annotated[
        list[str] | None, typer.Argument(help="Only these prompts (default: all).", show_default=False)
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace files that already exist.")] = False,
) -> None:
    """Copy the built-in prompts into FOLDER to edit; existing files are kept unless --force.

    Then use them with --prompts-dir FOLDER, or copy them into the prompts folder of BRIEFING_HOME
    (`briefing doctor` shows where it is), which is searched on every run and never touched by an
    upgrade. To change one block only, keep a file that starts with
    {% extends "builtin/policy.system.j2" %} and overrides that block.
    """
    with cli_errors():
        from briefing.library import copy_builtins
        from briefing.settings import builtin_dir

        done = copy_builtins(builtin_dir("prompts"), folder, names, kind="prompt", force=force)
        echo_init(done, f"briefing generate ARTICLE --prompts-dir {folder}")
