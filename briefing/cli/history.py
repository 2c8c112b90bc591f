"""`briefing history [search|story|prune|export]`: what the archive holds, searched, and kept or let go."""

from __future__ import annotations

from typing import Annotated

import typer

from briefing.cli import app
from briefing.cli.common import ForceOpt, check_formats, cli_errors, emit_output
from briefing.cli.options import ProfileOpt, TemplatesDirOpt

history_app = typer.Typer(
    name="history",
    help=(
        "The archive (BRIEFING_HOME/archive.db): every briefing and digest a run wrote. With no "
        "command, lists the latest; refs like b12 (a briefing) and d3 (a digest) work with "
        "`briefing render archive:d3`."
    ),
    invoke_without_command=True,
    rich_markup_mode=None,
)
app.add_typer(history_app, name="history")
LimitOpt = Annotated[int, typer.Option("--limit", "-n", min=1, help="Show at most this many.")]


def open_user_archive(profile: str | None = None):
    """The archive of the user folder (BRIEFING_HOME), opened and migrated."""
    from briefing.archive.db import archive_path, open_archive
    from briefing.settings import load_settings

    return open_archive(archive_path(load_settings({}, profile=profile).home))


@history_app.callback()
def history(
    ctx: typer.Context,
    limit: LimitOpt = 20,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind", help="Only 'briefing' or 'digest'; 'story' lists the stories instead.", show_default=False
        ),
    ] = None,
    profile: ProfileOpt = None,
) -> None:
    """List the latest briefings and digests in the archive, newest first."""
    if ctx.invoked_subcommand is not None:
        return
    if kind not in (None, "briefing", "digest", "story"):
        raise typer.BadParameter(f"{kind!r} is not briefing, digest or story", param_hint="--kind")
    with cli_errors():
        from briefing.archive.queries import recent

        with open_user_archive(profile) as archive:
            items = recent(archive, limit=limit, kind=kind)
            if not items:
                typer.echo(f"the archive is empty ({archive.path}); generate and digest record into it")
                return
            for item in items:
                typer.echo(f"{item.ref:>6}  {item.date}  {item.kind:<8}  {item.title}  ({item.detail})")
            if kind == "story":
                typer.echo("a story's timeline: briefing history story ID")


@history_app.command("search")
def search(
    query: Annotated[
        str,
        typer.Argument(
            help='An FTS5 query: words (all must match), "a phrase", OR, NOT, prefix*, title:word.',
            show_default=False,
        ),
    ],
    limit: LimitOpt = 20,
    profile: ProfileOpt = None,
) -> None:
    """Search titles, bottom lines, judgments, actors and article text, best match first (offline)."""
    with cli_errors():
        from briefing.archive.queries import search as search_archive

        with open_user_archive(profile) as archive:
            items = search_archive(archive, query, limit=limit)
        if not items:
            typer.echo(f"no matches for {query!r}")
            return
        for item in items:
            typer.echo(f"{item.ref:>6}  {item.date}  {item.kind:<8}  {item.title}  ({item.detail})")
            typer.echo(f"        {item.snippet}")


@history_app.command("story")
def story(
    story_id: Annotated[str, typer.Argument(help="A story id, as digests show it (s...).", show_default=False)],
    fmt: Annotated[str, typer.Option("--format", "-f", help="md, html or json.")] = "md",
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="Output file or folder. Default: stdout.", show_default=False)
    ] = None,
    templates_dir: TemplatesDirOpt = None,
    profile: ProfileOpt = None,
    force: ForceOpt = False,
) -> None:
    """Show a story's timeline: each day's bottom line, judgments, and what moved since the day before."""
    with cli_errors():
        from briefing.archive.timeline import build_timeline, render_timeline
        from briefing.output.files import resolve_destination
        from briefing.settings import load_settings

        fmt = check_formats([fmt], ("md", "html", "json"))[0]
        settings = load_settings({}, profile=profile, templates_dirs=templates_dir)
        dirs, _ = settings.template_search_path()
        with open_user_archive(profile) as archive:
            timeline = build_timeline(archive, story_id)
        text = render_timeline(timeline, fmt, dirs=dirs)
        emit_output(text, resolve_destination(output, f"story {story_id}", fmt), force=force)


@history_app.command("prune")
def prune(
    older_than: Annotated[
        str, typer.Option("--older-than", help="Age to keep: 180d, 26w, 6m, 1y.", show_default=False)
    ],
    profile: ProfileOpt = None,
) -> None:
    """Delete digests and briefings older than the age given (and what only they used)."""
    with cli_errors():
        from briefing.archive.maintenance import parse_age
        from briefing.archive.maintenance import prune as prune_archive
        from briefing.errors import ArchiveError

        try:
            days = parse_age(older_than)
        except ArchiveError as exc:
            raise typer.BadParameter(str(exc), param_hint="--older-than") from None
        with open_user_archive(profile) as archive:
            counts = prune_archive(archive, older_than_days=days)
        typer.echo("pruned " + ", ".join(f"{n} {table}" for table, n in counts.items()) + f" older than {days} days")


@history_app.command("export")
def export(
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", help="Output file (JSON lines). Default: stdout.", show_default=False),
    ] = None,
    profile: ProfileOpt = None,
    force: ForceOpt = False,
) -> None:
    """Write everything in the archive as JSON lines: one row of one table per line."""
    with cli_errors():
        from pathlib import Path

        from briefing.archive.maintenance import export as export_archive

        with open_user_archive(profile) as archive:
            text = "".join(line + "\n" for line in export_archive(archive))
        emit_output(text, Path(output) if output else None, force=force)
