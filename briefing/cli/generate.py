"""`briefing generate`: one briefing per article."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path
from typing import Annotated, Optional

import typer

from briefing.cli import app
from briefing.cli.common import (
    OUTPUT_FORMATS, PDF_HELP, AudienceOpt, BaseUrlOpt, ContextOpt, ForceOpt, LanguageOpt, LengthOpt,
    LocalModelOpt, LocalOpt, MaxTokensOpt, ModelOpt, ProfileOpt, PromptOpt, PromptsDirOpt, RetriesOpt,
    StrictOpt, TemplateOpt, TemplatesDirOpt, TimeoutOpt, VarOpt, VerboseOpt, check_formats, cli_errors,
    default_format, emit_output, output_folder, parse_vars, render_output, setup_logging,
)


@app.command()
def generate(
    articles: Annotated[list[str], typer.Argument(help="Article files (UTF-8 text), or '-' for stdin.", show_default=False)],
    formats: Annotated[Optional[list[str]], typer.Option("--format", "-f", help="md, html, json or pdf; repeat for several (needs -o DIR). Default: md, or html for an HTML-only --template. " + PDF_HELP, show_default=False)] = None,
    output: Annotated[Optional[str], typer.Option("--output", "-o", help="Output file, or folder (ending in / or existing) for files named after the briefing. Default: output_dir from config.toml, else stdout.", show_default=False)] = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    local: LocalOpt = False,
    local_model: LocalModelOpt = None,
    prompt: PromptOpt = None,
    template: TemplateOpt = None,
    prompts_dir: PromptsDirOpt = None,
    templates_dir: TemplatesDirOpt = None,
    audience: AudienceOpt = None,
    language: LanguageOpt = None,
    length: LengthOpt = None,
    var: VarOpt = None,
    profile: ProfileOpt = None,
    strict: StrictOpt = None,
    timeout: TimeoutOpt = None,
    max_retries: RetriesOpt = None,
    max_tokens: MaxTokensOpt = None,
    context_tokens: ContextOpt = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither reuse nor save results in the cache (BRIEFING_HOME/cache): ask the model again.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the rendered messages and a token estimate; call nothing.")] = False,
    force: ForceOpt = False,
    verbose: VerboseOpt = 0,
) -> None:
    """Write a policy briefing of each ARTICLE (Markdown, HTML handout, PDF or JSON).

    Examples:

      briefing generate seeds/korea-talks-collapse.txt

      briefing generate article.txt -f html -o out/

      briefing generate article.txt -f pdf -o briefing.output.pdf

      briefing generate article.txt --prompt executive --template email -o out/

      briefing generate article.txt --language French --dry-run

      cat article.txt | briefing generate - -f json > briefing.json
    """
    setup_logging(verbose)
    with cli_errors():
        from briefing.brief import brief_article, open_session
        from briefing.prompts import PromptSet
        from briefing.settings import load_settings
        from briefing.ingest.files import load_article
        from briefing.llm.embedded import ProgressLine
        from briefing.errors import OutputError
        from briefing.output.files import is_folder_destination

        settings = load_settings(
            dict(model=model, base_url=base_url, local=local or None, local_model=local_model, prompt=prompt,
                 template=template, audience=audience, language=language, length=length, strict=strict,
                 timeout=timeout, max_retries=max_retries, max_tokens=max_tokens, context_tokens=context_tokens),
            profile=profile, prompts_dirs=prompts_dir, templates_dirs=templates_dir, variables=parse_vars(var),
        )
        template_dirs, _ = settings.template_search_path()
        fmts = check_formats(formats or [default_format(settings.template, template_dirs)], OUTPUT_FORMATS)
        output = output if output is not None else output_folder(settings)
        if (len(fmts) > 1 or len(articles) > 1) and (output is None or not is_folder_destination(output)):
            raise typer.BadParameter("several formats or articles need -o DIR", param_hint="--output")
        if output is not None and not is_folder_destination(output) and Path(output).is_file() and not force:
            raise OutputError(f"{output} exists; use --force to replace it")  # before a request is paid for
        prompt_set = PromptSet(str(settings.prompt), *settings.prompt_search_path())
        prompt_set.check()
        if "pdf" in fmts and not dry_run:
            from briefing.output.pdf import require_chromium

            require_chromium()  # before any request: a missing browser must not waste a model call

        loaded = []
        for source in articles:
            started = time.perf_counter()
            article = load_article(source)
            loaded.append((article, time.perf_counter() - started))
        # Render the prompts, and try the output templates on a made-up briefing: a typo fails now,
        # not after the model has loaded or a request has been paid for.
        _try_templates(loaded[0][0], settings, fmts, template_dirs)
        if not dry_run:
            _try_prompts(loaded, prompt_set, settings)

        if dry_run:
            _print_dry_run(loaded, prompt_set, settings)
            return

        # A briefing already made from the same article, prompt, model and parameters is reused:
        # a rerun pays nothing (the cache is shared with `briefing digest`).
        from briefing.cache import Cache
        from briefing.run import briefing_key
        from briefing.records import BriefingResult

        cache = Cache(settings.cache_dir / "results", enabled=not no_cache)
        keys = [briefing_key(article, prompt_set, settings) for article, _ in loaded]
        cached = [cache.load(key, BriefingResult) for key in keys]
        for (article, _), result in zip(loaded, cached):
            if result is not None:
                _check_strict(result, settings)
        missing = [i for i, result in enumerate(cached) if result is None]
        session_cm = open_session(settings, progress=ProgressLine()) if missing else contextlib.nullcontext()
        with session_cm as session:
            if session is not None:
                where = "the embedded model (offline)" if session.endpoint.embedded else session.model_info.endpoint
                typer.echo(f"briefing: using {session.model_info.name} at {where}", err=True)
            for i, (article, load_seconds) in enumerate(loaded):
                result = cached[i]
                if result is None:
                    result = brief_article(article, session, prompt_set)
                    result.timings = {"load": load_seconds, **result.timings}
                    cache.write(keys[i], result)
                else:
                    typer.echo(f"briefing: {article.title}: from the cache (--no-cache asks again)", err=True)
                _write_outputs(result, fmts, output, settings, template_dirs, force=force)
                typer.echo(f"briefing: {article.title}: {result.grounding.line}", err=True)


def _check_strict(result, settings) -> None:
    """--strict holds for a cached briefing as for a new one."""
    from briefing.errors import GroundingError
    from briefing.verify import failed_items

    failed = failed_items(result.grounding)
    if failed and settings.strict:
        raise GroundingError(f"--strict: {len(failed)} item(s) could not be verified against "
                             f"{result.article.source}: " + "; ".join(failed))


def _write_outputs(result, fmts: list[str], output: str | None, settings, template_dirs, *, force: bool) -> None:
    """Render every format first, then write: a failing template or a taken name leaves nothing
    half-written, and the paid-for briefing is kept in the user folder to render later."""
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
            raise TemplateError(exc.message, hint=f"{exc.hint + '; ' if exc.hint else ''}the briefing is kept in "
                                                  f"{kept}: fix the template, then `briefing render {kept}`") from None
        result.timings[f"render_{fmt}"] = time.perf_counter() - started
    dests = {fmt: resolve_destination(output, result.briefing.title, fmt) for fmt in fmts}
    taken = [d for d in dests.values() if d is not None and d.is_file() and not force]
    if taken:
        kept = _keep(result, settings)
        raise OutputError(f"{taken[0]} exists; use --force to replace it",
                          hint=f"the briefing is kept in {kept}: `briefing render {kept} -o ...`")
    for fmt in fmts:
        data = rendered[fmt] if fmt in rendered else render_output(result, "json", settings, template_dirs)
        emit_output(data, dests[fmt], force=force)


def _keep(result, settings) -> Path:
    """Save a result that could not be written where asked in BRIEFING_HOME/unrendered; return its path."""
    from briefing.output.files import safe_filename, write_output

    return write_output(result.model_dump_json(indent=2) + "\n",
                        settings.home / "unrendered" / safe_filename(result.briefing.title, "json"), force=True)


def _try_templates(article, settings, fmts: list[str], dirs: list[Path]) -> None:
    """Render each output template on a sample briefing; raises TemplateError naming file and line."""
    from briefing.brief import prompt_variables
    from briefing.output.render import render_briefing
    from briefing.output.sample import sample_result

    saved = {k: str(v) for k, v in prompt_variables(settings).items() if k != "vars"}
    sample = sample_result(article, saved)
    for fmt in fmts:
        if fmt != "json":
            render_briefing(sample, "html" if fmt == "pdf" else fmt, template=settings.template, dirs=dirs,
                            classification=settings.classification)


def _try_prompts(loaded, prompt_set, settings) -> None:
    """Render the prompt for each article once; raises TemplateError naming file and line."""
    from briefing.brief import prompt_variables, quote_translation
    from briefing.prompts import build_messages

    for article, _ in loaded:
        build_messages(article, prompt_set, variables=prompt_variables(settings),
                       translate_to=quote_translation(article, settings))


def _print_dry_run(loaded, prompt_set, settings) -> None:
    """The messages exactly as they would be sent, the schema size and a token estimate; no request."""
    import json

    from briefing.brief import prompt_variables, quote_translation
    from briefing.prompts import build_messages
    from briefing.schema import build_schema

    target = "the embedded model" if settings.embedded else f"{settings.remote_model} at {settings.describe_endpoint()}"
    typer.echo(f"===== dry run: prompt {prompt_set.name!r} for {target}; nothing is sent =====")
    for file in prompt_set.files():
        typer.echo(f"prompt file: {file}")
    for article, _ in loaded:
        translate_to = quote_translation(article, settings)
        messages = build_messages(article, prompt_set, variables=prompt_variables(settings), translate_to=translate_to)
        schema = json.dumps(build_schema(article, translate_to=translate_to), separators=(",", ":"))
        for m in messages:
            typer.echo(f"----- {m['role']} -----")
            typer.echo(m["content"])
        chars = sum(len(m["content"]) for m in messages)
        note = f"; quotes translated into {translate_to}" if translate_to else ""
        typer.echo(
            f"----- estimate for {article.source}: ~{chars // 4:,} prompt tokens (+ ~{len(schema) // 4:,} for the "
            f"JSON schema), {len(article.sentences)} sentences{note}; no request made -----"
        )
