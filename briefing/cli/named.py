"""`briefing run NAME`: a named brief from config.toml ([briefs.NAME]), one run at a time, delivered."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated

import typer

from briefing.cli import app
from briefing.cli.common import OUTPUT_FORMATS, ForceOpt, check_formats, cli_errors, setup_logging
from briefing.cli.delivery import EmailOpt, WebhookOpt
from briefing.cli.options import RunOptions, run_options


@app.command("run")
@run_options
def run_brief(
    name: Annotated[str, typer.Argument(help="The brief: a [briefs.NAME] table in config.toml.", show_default=False)],
    date: Annotated[
        str | None, typer.Option("--date", help="Date of the brief, YYYY-MM-DD [default: today].", show_default=False)
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Neither reuse nor save results in the cache (BRIEFING_HOME/cache).")
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Load and merge the inputs, show the stories; call no model, send nothing."),
    ] = False,
    email: EmailOpt = None,
    webhook: WebhookOpt = None,
    force: ForceOpt = False,
    *,
    opts: RunOptions,
) -> None:
    """Run the brief NAME from config.toml: brief its inputs as a digest, write its formats to its folder,
    then e-mail its recipients and post to its webhooks. Made for cron and systemd timers.

    Only one run of a brief at a time: a second one says so and exits 5 (a run that was killed
    leaves no lock behind). If the files are written but a delivery fails, the exit code is 4.

    Example config.toml:

    \b
      [briefs.morning]
      inputs = ["https://example.org/world.rss"]
      since = "24h"
      formats = ["html", "pdf", "json"]
      output_dir = "~/briefs"
      recipients = ["desk@example.org"]

    Then: briefing run morning
    """
    setup_logging(opts.verbose)
    with cli_errors():
        from briefing.cli.digest import check_date, execute_digest
        from briefing.deliver.lock import hold_lock, lock_path
        from briefing.errors import ConfigError

        settings = opts.load_settings()
        brief = settings.briefs.get(name)
        if brief is None:
            known = ", ".join(sorted(settings.briefs)) or "none defined"
            raise ConfigError(
                f"no brief {name!r} in {settings.config_path} (known: {known})",
                hint=f"add a [briefs.{name}] table with its inputs",
            )
        where = f"[briefs.{name}] in {settings.config_path}"
        try:
            fmts = check_formats(brief.formats, OUTPUT_FORMATS)
        except typer.BadParameter as exc:
            raise ConfigError(f"formats in {where}: {exc.message}") from None
        # The command line beats the brief, which beats the profile and the defaults.
        merged = dataclasses.replace(
            opts,
            prompt=opts.prompt or brief.prompt,
            template=opts.template or brief.template,
            profile=opts.profile or brief.profile,
        )
        folder = brief.output_dir or (merged.load_settings().output_dir if merged.profile else settings.output_dir)
        if not folder:
            raise ConfigError(f"{where} needs output_dir, the folder its files are written to")
        with hold_lock(lock_path(settings.home, name), f"brief {name!r}"):
            execute_digest(
                [_input(settings.home, i) for i in brief.inputs],
                fmts,
                merged,
                title=brief.title or f"{name.replace('_', ' ').replace('-', ' ').capitalize()} brief",
                day=check_date(date),
                since=brief.since,
                limit=brief.limit,
                previous=None,
                no_cache=no_cache,
                allow_private=brief.allow_private,
                output=str(_folder(settings.home, str(folder))) + "/",
                force=force,
                dry_run=dry_run,
                emails=[*brief.recipients, *(email or [])],
                webhooks=[*brief.webhooks, *(webhook or [])],
            )


def _input(home: Path, value: str) -> str:
    """A brief's input: URLs as they are; paths with ~ expanded, relative ones from BRIEFING_HOME."""
    from briefing.ingest.inputs import is_url

    if is_url(value):
        return value
    return str(_folder(home, value))


def _folder(home: Path, value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else home / path
