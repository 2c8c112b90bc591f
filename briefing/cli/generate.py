"""`briefing generate`: one briefing per article (the run loop of a digest, without the cover)."""

from __future__ import annotations

import time
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
    is_file,
    keep_unrendered,
    output_folder,
    render_output,
    say,
    setup_logging,
)
from briefing.cli.delivery import EmailOpt, WebhookOpt, deliver_result, exit_if_undelivered, plan_delivery
from briefing.cli.options import RunOptions, run_options


@app.command()
@run_options
def generate(
    articles: Annotated[
        list[str],
        typer.Argument(
            help="Article files (text, Markdown or HTML), web page URLs (http/https), or '-' for stdin.",
            show_default=False,
        ),
    ],
    formats: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            "-f",
            help="md, html, json, pdf or docx; repeat for several (needs -o DIR). Default: md, or html for an HTML-only --template. "
            + PDF_HELP,
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="Output file, or folder (ending in / or existing) for files named after the briefing. Default: output_dir from config.toml, else stdout.",
            show_default=False,
        ),
    ] = None,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache", help="Neither reuse nor save results in the cache (BRIEFING_HOME/cache): ask the model again."
        ),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the rendered messages and a token estimate; call nothing.")
    ] = False,
    allow_private: Annotated[
        bool,
        typer.Option(
            "--allow-private", help="Fetch URLs on private, loopback and link-local addresses (refused by default)."
        ),
    ] = False,
    email: EmailOpt = None,
    webhook: WebhookOpt = None,
    no_archive: Annotated[
        bool, typer.Option("--no-archive", help="Record nothing in the archive (BRIEFING_HOME/archive.db).")
    ] = False,
    force: ForceOpt = False,
    *,
    opts: RunOptions,
) -> None:
    """Write a policy briefing of each ARTICLE (Markdown, HTML handout, PDF or JSON).

    Several articles are briefed like a digest's stories (cached, concurrently for a remote
    endpoint); if some fail, the others are still written, the failures are listed on stderr, and
    the exit code is 3.

    Examples:

      briefing generate seeds/korea-talks-collapse.txt

      briefing generate article.txt -f html -o out/

      briefing generate https://example.org/news/story.html -f docx -o out/

      briefing generate article.txt -f html -o out/ --email desk@example.org

      briefing generate article.txt -f pdf -o briefing.pdf

      briefing generate article.txt --prompt executive --template email -o out/

      briefing generate article.txt --language French --dry-run

      cat article.txt | briefing generate - -f json > briefing.json
    """
    setup_logging(opts.verbose)
    with cli_errors():
        from briefing.errors import OutputError
        from briefing.ingest.fetch import FetchPolicy
        from briefing.ingest.files import load_article
        from briefing.ingest.inputs import load_url_article
        from briefing.output.files import is_folder_destination
        from briefing.prompts import PromptSet

        settings = opts.load_settings()
        template_dirs, _ = settings.template_search_path()
        fmts = check_formats(formats or [default_format(settings.template, template_dirs)], OUTPUT_FORMATS)
        output = output if output is not None else output_folder(settings)
        if (len(fmts) > 1 or len(articles) > 1) and (output is None or not is_folder_destination(output)):
            raise typer.BadParameter("several formats or articles need -o DIR", param_hint="--output")
        if output is not None and not is_folder_destination(output) and is_file(Path(output)) and not force:
            raise OutputError(f"{output} exists; use --force to replace it")  # before a request is paid for
        prompt_set = PromptSet(str(settings.prompt), *settings.prompt_search_path())
        prompt_set.check()
        if "pdf" in fmts and not dry_run:
            from briefing.output.pdf import require_chromium

            require_chromium()  # before any request: a missing browser must not waste a model call
        plan = plan_delivery(settings, email, webhook, kind="briefing")

        loaded = []
        policy = FetchPolicy(allow_private=allow_private)
        for source in articles:
            started = time.perf_counter()
            # Any scheme goes to the fetcher, which refuses all but http(s) by name.
            article = load_url_article(source, policy) if "://" in source else load_article(source)
            loaded.append((article, time.perf_counter() - started))
        # Render the prompts, and try the output templates on a made-up briefing: a typo fails now,
        # not after the model has loaded or a request has been paid for.
        _try_templates(loaded[0][0], settings, fmts, template_dirs)
        if dry_run:
            _print_dry_run(loaded, prompt_set, settings)
            return
        _try_prompts(loaded, prompt_set, settings)
        _run(
            loaded,
            prompt_set,
            settings,
            fmts,
            output,
            template_dirs,
            plan,
            no_cache=no_cache,
            force=force,
            archive=not no_archive,
        )


def _run(
    loaded, prompt_set, settings, fmts, output, template_dirs, plan, *, no_cache: bool, force: bool, archive: bool
) -> None:
    """Brief every article through the run loop, writing each as it lands; the exit code says what failed."""
    from briefing.archive.recorder import Recorder
    from briefing.cache import Cache
    from briefing.digest_records import FailedInput
    from briefing.errors import EXIT_PARTIAL, BriefingError, OutputError, TemplateError
    from briefing.llm.embedded import ProgressLine
    from briefing.run import Job, run_briefings
    from briefing.session import LazySession, default_concurrency, open_session

    def opened(session) -> None:
        where = "the embedded model (offline)" if session.endpoint.embedded else session.model_info.endpoint
        say(f"briefing: using {session.model_info.name} at {where}")

    failures: dict[int, FailedInput] = {}
    errors: dict[int, BriefingError] = {}
    undelivered: list[str] = []

    def write(i: int, done) -> None:
        result = done.result
        article, load_seconds = loaded[i]
        if done.cached:
            say(f"briefing: {article.title}: from the cache (--no-cache asks again)")
        else:
            result.timings = {"load": load_seconds, **result.timings}
        try:
            rendered, written = _write_outputs(result, fmts, output, settings, template_dirs, force=force)
        except (OutputError, TemplateError) as exc:
            if len(loaded) == 1:
                raise
            failures[i], errors[i] = FailedInput(source=article.source, stage="output", error=str(exc)), exc
            return
        say(f"briefing: {article.title}: {result.grounding.line}")
        undelivered.extend(deliver_result(plan, result, written, settings, template_dirs, rendered))
        if recorder is not None:
            recorder.record_briefing(result)  # once written: the archive holds what the user got

    cache = Cache(settings.cache_dir / "results", enabled=not no_cache)
    jobs = [Job(article) for article, _ in loaded]
    recorder = Recorder.open(settings, enabled=archive)
    try:
        with LazySession(lambda: open_session(settings, progress=ProgressLine()), on_open=opened) as lazy:
            outcome = run_briefings(
                jobs,
                lazy,
                prompt_set,
                settings=settings,
                cache=cache,
                concurrency=settings.concurrency or default_concurrency(settings),
                strict=bool(settings.strict),
                on_done=write,
            )
    finally:
        if recorder is not None:
            recorder.close()
    failures.update(outcome.failed)
    errors.update(outcome.errors)
    if len(failures) == len(loaded) == 1:
        raise errors[next(iter(errors))]
    exit_if_undelivered(undelivered)  # exit 4 says more than 3: nobody got the brief
    if not failures:
        return
    for i in sorted(failures):
        say(f"failed: {failures[i].source}: {failures[i].error}")
    written = len(loaded) - len(failures)
    say(f"briefing: {written} of {len(loaded)} briefing(s) written, {len(failures)} failed")
    raise typer.Exit(EXIT_PARTIAL if written else 1)


def _write_outputs(result, fmts: list[str], output: str | None, settings, template_dirs, *, force: bool):
    """Render every format first, then write: a failing template or a taken name leaves nothing
    half-written, and the paid-for briefing is kept in the user folder to render later.
    Returns what was rendered (by format) and the files written."""
    from briefing.errors import OutputError, TemplateError
    from briefing.output.files import resolve_destination

    rendered = {}
    for fmt in fmts:
        if fmt == "json":  # rendered last: the saved result carries the other formats' render timings
            continue
        started = time.perf_counter()
        try:
            rendered[fmt] = render_output(result, fmt, settings, template_dirs)
        except TemplateError as exc:
            kept = _keep(result, settings)
            raise TemplateError(
                exc.message,
                hint=f"{exc.hint + '; ' if exc.hint else ''}the briefing is kept in "
                f"{kept}: fix the template, then `briefing render {kept}`",
            ) from exc
        result.timings[f"render_{fmt}"] = time.perf_counter() - started
    dests = {fmt: resolve_destination(output, result.briefing.title, fmt) for fmt in fmts}
    taken = [d for d in dests.values() if d is not None and is_file(d) and not force]
    if taken:
        kept = _keep(result, settings)
        raise OutputError(
            f"{taken[0]} exists; use --force to replace it",
            hint=f"the briefing is kept in {kept}: `briefing render {kept} -o ...`",
        )
    for fmt in fmts:
        data = rendered[fmt] if fmt in rendered else render_output(result, "json", settings, template_dirs)
        try:
            emit_output(data, dests[fmt], force=force)
        except OutputError as exc:  # a full disk, a folder we may not write, a name taken meanwhile
            kept = _keep(result, settings)
            raise OutputError(
                exc.message, hint=f"the briefing is kept in {kept}: `briefing render {kept} -o ...`"
            ) from exc
    return rendered, [d for d in dests.values() if d is not None]


def _keep(result, settings) -> Path:
    """Keep a briefing that could not be written in BRIEFING_HOME/unrendered (with --no-cache, the only copy)."""
    return keep_unrendered(result, settings, result.briefing.title)


def _try_templates(article, settings, fmts: list[str], dirs: list[Path]) -> None:
    """Render each output template on a sample briefing; raises TemplateError naming file and line."""
    from briefing.ask import prompt_variables
    from briefing.output.render import render_briefing
    from briefing.output.sample import sample_result

    saved = {k: str(v) for k, v in prompt_variables(settings).items() if k != "vars"}
    sample = sample_result(article, saved)
    for fmt in fmts:
        if fmt not in ("json", "docx"):  # docx uses no template
            render_briefing(
                sample,
                "html" if fmt == "pdf" else fmt,
                template=settings.template,
                dirs=dirs,
                classification=settings.classification,
            )


def _try_prompts(loaded, prompt_set, settings) -> None:
    """Render the prompt for each article once; raises TemplateError naming file and line."""
    from briefing.ask import prompt_variables, quote_translation
    from briefing.prompts import build_messages

    for article, _ in loaded:
        build_messages(
            article, prompt_set, variables=prompt_variables(settings), translate_to=quote_translation(article, settings)
        )


def _print_dry_run(loaded, prompt_set, settings) -> None:
    """The messages exactly as they would be sent, the schema size and a token estimate; no request."""
    import json

    from briefing.ask import prompt_variables, quote_translation
    from briefing.prompts import build_messages
    from briefing.schema import build_schema
    from briefing.text.controls import clean_text

    target = "the embedded model" if settings.embedded else f"{settings.remote_model} at {settings.describe_endpoint()}"
    typer.echo(f"===== dry run: prompt {prompt_set.name!r} for {target}; nothing is sent =====")
    for file in prompt_set.files():
        typer.echo(f"prompt file: {file}")
    for article, _ in loaded:
        translate_to = quote_translation(article, settings)
        messages = build_messages(article, prompt_set, variables=prompt_variables(settings), translate_to=translate_to)
        schema = json.dumps(
            build_schema(article, translate_to=translate_to, length=str(settings.length)), separators=(",", ":")
        )
        for m in messages:
            typer.echo(f"----- {m['role']} -----")
            typer.echo(clean_text(m["content"]))
        chars = sum(len(m["content"]) for m in messages)
        note = f"; quotes translated into {translate_to}" if translate_to else ""
        typer.echo(
            f"----- estimate for {article.source}: ~{chars // 4:,} prompt tokens (+ ~{len(schema) // 4:,} for the "
            f"JSON schema), {len(article.sentences)} sentences{note}; no request made -----"
        )
