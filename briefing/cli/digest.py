"""`briefing digest`: many articles in, one daily brief out."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from briefing.cli import app
from briefing.cli.common import (
    OUTPUT_FORMATS,
    PDF_HELP,
    ForceOpt,
    check_formats,
    cli_errors,
    is_file,
    say,
    setup_logging,
)
from briefing.cli.delivery import EmailOpt, WebhookOpt, deliver_result, exit_if_undelivered, plan_delivery
from briefing.cli.digest_output import write_formats
from briefing.cli.options import RunOptions, run_options


@app.command()
@run_options
def digest(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Article files, folders (searched recursively for .txt, .md, .html), globs, URLs, RSS/Atom feed URLs, or '-' for a list of them on stdin, one per line.",
            show_default=False,
        ),
    ],
    formats: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            "-f",
            help="md, html, json, pdf or docx; repeat for several (needs -o DIR). Save json to pass it as --previous tomorrow. "
            + PDF_HELP,
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="Output file, or folder (ending in / or existing) for files named after the title and date. Default: stdout.",
            show_default=False,
        ),
    ] = None,
    title: Annotated[str, typer.Option("--title", help="Title of the brief.")] = "Daily brief",
    date: Annotated[
        str | None, typer.Option("--date", help="Date of the brief, YYYY-MM-DD [default: today].", show_default=False)
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="Feeds: only entries published since a duration ago (24h, 2d, 90m, 1w) or a date (2026-03-04).",
            show_default=False,
        ),
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", min=1, help="Feeds: at most this many entries per feed, newest first.")
    ] = 20,
    previous: Annotated[
        Path | None,
        typer.Option(
            "--previous",
            help="Yesterday's digest saved with -f json: adds what changed since then [default: the latest earlier digest of the same --title in the archive].",
            show_default=False,
        ),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Neither reuse nor save results in the cache (BRIEFING_HOME/cache).")
    ] = False,
    allow_private: Annotated[
        bool,
        typer.Option(
            "--allow-private", help="Fetch URLs on private, loopback and link-local addresses (refused by default)."
        ),
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help="Load and merge the inputs, show the stories and which are cached; call no model."
        ),
    ] = False,
    no_archive: Annotated[
        bool,
        typer.Option(
            "--no-archive",
            help="Record nothing in the archive (BRIEFING_HOME/archive.db) and compare with it only by --previous.",
        ),
    ] = False,
    email: EmailOpt = None,
    webhook: WebhookOpt = None,
    force: ForceOpt = False,
    *,
    opts: RunOptions,
) -> None:
    """Write one daily brief from many articles: a cover across all stories, then one section per story.

    Near-duplicates (one wire story from several outlets) become one story with all its sources.
    Results are cached, so a rerun only asks for what is new or failed. If some inputs fail, the
    brief is still written, the failures are listed in it and on stderr, and the exit code is 3.

    Examples:

      briefing digest articles/ -o briefs/

      briefing digest https://example.org/world.rss --since 24h -f md -f json -o briefs/

      briefing digest today/ --previous briefs/daily-brief-2026-03-03.json -f html -o today.html
    """
    setup_logging(opts.verbose)
    with cli_errors():
        fmts = check_formats(formats or ["md"], OUTPUT_FORMATS)
        if len(fmts) > 1 and output is None:
            raise typer.BadParameter("several formats need -o DIR", param_hint="--output")
        execute_digest(
            inputs,
            fmts,
            opts,
            title=title,
            day=check_date(date),
            since=since,
            limit=limit,
            previous=previous,
            no_cache=no_cache,
            allow_private=allow_private,
            output=output,
            force=force,
            dry_run=dry_run,
            no_archive=no_archive,
            emails=email,
            webhooks=webhook,
        )


def execute_digest(inputs, fmts, opts: RunOptions, *, emails, webhooks, **run) -> None:
    """Brief, write, report and deliver one digest; exits 3 (partial) or 4 (undelivered) as the README says.
    `briefing run NAME` calls this with the brief's settings."""
    from briefing.errors import EXIT_PARTIAL, DigestFailedError

    try:
        done = _run(inputs, fmts, opts, delivery=(emails or [], webhooks or []), **run)
    except DigestFailedError as exc:
        _print_failures(exc.failures)
        raise
    if done is None:
        return
    failures, digest_ = done.digest.failures, done.digest
    _print_failures(failures)
    n = len(digest_.stories)
    cached = sum(s.cached for s in digest_.stories)
    say(
        f"briefing: {n} stor{'y' if n == 1 else 'ies'} ({cached} from the cache), "
        f"{digest_.usage.requests} request(s), {len(failures)} failed input(s), "
        f"{sum(digest_.timings.values()):.1f} s"
    )
    if digest_.cover_note:
        say(f"warning: {digest_.cover_note}")
    undelivered = deliver_result(done.plan, digest_, done.files, done.settings, done.dirs, done.rendered)
    exit_if_undelivered(undelivered)  # exit 4 says more than 3: nobody got the brief
    if failures or digest_.cover_note or done.unwritten:
        raise typer.Exit(EXIT_PARTIAL)


@dataclass
class _Done:
    """A digest written: what the delivery needs."""

    digest: Any
    rendered: dict
    files: list[Path]
    plan: Any
    settings: Any
    dirs: list[Path]
    unwritten: list[str]  # formats that could not be rendered or written (the digest is kept)


def _run(
    inputs,
    fmts,
    opts: RunOptions,
    *,
    title,
    day,
    since,
    limit,
    previous,
    no_cache,
    allow_private,
    output,
    force,
    dry_run,
    delivery,
    no_archive=False,
) -> _Done | None:
    """Everything between the options and the report: the written digest, or None for --dry-run."""
    import dataclasses

    from briefing.archive.recorder import Recorder
    from briefing.cache import Cache
    from briefing.digest.build import DigestPlan, request_digest
    from briefing.digest.cover import COVER_PROMPT
    from briefing.digest.dedupe import build_stories
    from briefing.ingest.feeds import parse_since
    from briefing.ingest.fetch import FetchPolicy
    from briefing.ingest.inputs import load_inputs
    from briefing.output.files import resolve_destination
    from briefing.output.render import DEFAULT_DIGEST_TEMPLATES, check_output_template
    from briefing.progress import make_progress
    from briefing.prompts import PromptSet
    from briefing.session import default_concurrency, open_session

    settings = opts.load_settings()
    prompt_set = PromptSet(str(settings.prompt), *settings.prompt_search_path())
    cover_prompt = PromptSet(COVER_PROMPT, *settings.prompt_search_path())
    prompt_set.files()
    cover_prompt.files()
    template_dirs, _ = settings.template_search_path()
    # Only --template, not the config's `template`: that one names a briefing template, not a digest's.
    template = opts.template or DEFAULT_DIGEST_TEMPLATES["md"]
    for fmt in fmts:
        if fmt != "docx":
            check_output_template("html" if fmt == "pdf" else fmt, template=template, dirs=template_dirs)
    if "pdf" in fmts and not dry_run:
        from briefing.output.pdf import require_chromium

        require_chromium()  # before any request: a missing browser must not waste a model call
    plan = plan_delivery(settings, *delivery, kind="digest")
    since_at = parse_since(since) if since else None
    yesterday = _load_previous(previous) if previous else None
    dests = {fmt: resolve_destination(output, f"{title} {day}", fmt) for fmt in fmts}
    for dest in dests.values():
        if dest is not None and is_file(dest) and not force and not dry_run:
            from briefing.errors import OutputError

            raise OutputError(f"{dest} exists; use --force to replace it")

    recorder = None if dry_run else Recorder.open(settings, enabled=not no_archive, made_on=day)
    compared_with = str(previous) if previous else ""
    if yesterday is None and recorder is not None:
        compared_with, yesterday = recorder.previous_digest(title, day) or ("", None)
    try:
        started = time.perf_counter()
        progress = make_progress()
        try:
            loaded = load_inputs(
                inputs, policy=FetchPolicy(allow_private=allow_private), since=since_at, limit=limit, progress=progress
            )
            load_seconds = time.perf_counter() - started
            stories = build_stories(loaded.articles)
            digest_plan = DigestPlan(
                title=title,
                date=day,
                stories=stories,
                failures=loaded.failures,
                previous=yesterday,
                compared_with=compared_with,
            )
            if not stories:
                from briefing.errors import DigestFailedError, InputError

                if loaded.failures:
                    raise DigestFailedError(
                        f"all {len(loaded.failures)} input(s) failed; no digest written", failures=loaded.failures
                    )
                raise InputError("no articles in the inputs; nothing to brief")
            cache = Cache(settings.cache_dir / "results", enabled=not no_cache)
            if dry_run:
                progress.close()
                _print_plan(digest_plan, prompt_set, settings, cache)
                return None
            # --strict is applied by the digest, after caching, so a strict rerun needs no new request.
            lenient = dataclasses.replace(settings, values={**settings.values, "strict": False})
            digest = request_digest(
                digest_plan,
                lambda: open_session(lenient, progress=progress),
                prompt_set,
                cover_prompt,
                settings=lenient,
                cache=cache,
                concurrency=settings.concurrency or default_concurrency(settings),
                strict=bool(settings.strict),
                progress=progress,
                record=recorder.record_briefing if recorder else None,
            )
            if recorder is not None:
                recorder.track(digest, yesterday)
        finally:
            progress.close()
        digest.timings = {"load": load_seconds, **digest.timings}
        if digest.changes is not None:
            previous_day = f"{digest.changes.previous_title!r} of {digest.changes.previous_date}"
            say(f"briefing: compared with {previous_day} ({digest.changes.compared_with})")
        rendered, unwritten = write_formats(digest, dests, template, template_dirs, settings, force=force)
        if recorder is not None:
            ref = recorder.record_digest(digest)
            if ref:
                say(f"briefing: archived as {ref}")
    finally:
        if recorder is not None:
            recorder.close()
    files: list[Path] = [dest for fmt, dest in dests.items() if fmt in rendered and dest is not None]
    return _Done(digest, rendered, files, plan, settings, template_dirs, unwritten)


def check_date(text: str | None) -> str:
    import datetime

    if text is None:
        return datetime.date.today().isoformat()
    try:
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date like 2026-03-04", param_hint="--date") from None


def _load_previous(path: Path):
    """Yesterday's digest for --previous: any saved file `briefing render` reads, if it is a digest."""
    from briefing.errors import InputError
    from briefing.output.saved import load_saved

    try:
        return load_saved(path, expect="digest")
    except InputError as exc:
        raise InputError(f"--previous {exc.message}") from None


def _print_failures(failures) -> None:
    for f in failures:
        say(f"failed: {f.source}: {f.error}")


def _print_plan(plan, prompt_set, settings, cache) -> None:
    from briefing.records import BriefingResult
    from briefing.run import briefing_key
    from briefing.text.controls import one_line

    cached = 0
    for number, story in enumerate(plan.stories, 1):
        hit = cache.load(briefing_key(story.lead, prompt_set, settings), BriefingResult) is not None
        cached += hit
        typer.echo(one_line(f"{number:3}. {story.lead.title[:70]}  [{'cached' if hit else 'to request'}]"))
        for article in story.articles:
            typer.echo(one_line(f"       {article.source}" + (f" ({article.outlet})" if article.outlet else "")))
    for f in plan.failures:
        typer.echo(one_line(f"failed: {f.source}: {f.error}"))
    typer.echo(
        f"----- {len(plan.stories)} stories, {cached} cached, {len(plan.stories) - cached} briefing "
        f"request(s) + 1 cover request to make; no request made -----"
    )
