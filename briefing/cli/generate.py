"""`briefing generate`: one briefing per article."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated, Optional

import typer

from briefing.cli import app
from briefing.cli.common import (
    AudienceOpt, BaseUrlOpt, ForceOpt, LanguageOpt, LengthOpt, LocalModelOpt, LocalOpt, MaxTokensOpt, ContextOpt,
    OUTPUT_FORMATS, PDF_HELP, ModelOpt, ProfileOpt, PromptOpt, PromptsDirOpt, RetriesOpt, StrictOpt, TemplateOpt,
    TemplatesDirOpt, TimeoutOpt, VarOpt, VerboseOpt, cli_errors, emit_output, parse_vars, render_output, setup_logging,
)


@app.command()
def generate(
    articles: Annotated[list[str], typer.Argument(help="Article files (UTF-8 text), or '-' for stdin.", show_default=False)],
    formats: Annotated[Optional[list[str]], typer.Option("--format", "-f", help="md, html, json or pdf; repeat for several (needs -o DIR). " + PDF_HELP, show_default=False)] = None,
    output: Annotated[Optional[str], typer.Option("--output", "-o", help="Output file, or folder (ending in / or existing) for files named after the briefing. Default: stdout.", show_default=False)] = None,
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
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the rendered prompt and a token estimate; call nothing.")] = False,
    force: ForceOpt = False,
    verbose: VerboseOpt = 0,
) -> None:
    """Write a policy briefing of each ARTICLE (Markdown, HTML handout, PDF or JSON).

    Examples:

      briefing generate seeds/korea-talks-collapse.txt

      briefing generate article.txt -f html -o out/

      briefing generate article.txt -f pdf -o briefing.pdf

      cat article.txt | briefing generate - -f json > briefing.json
    """
    setup_logging(verbose)
    with cli_errors():
        from briefing.output import resolve_destination
        from briefing.pipeline import brief_article, open_session
        from briefing.prompts import PromptSet
        from briefing.settings import load_settings
        from briefing.sources import load_article
        from briefing.local import ProgressLine

        fmts = _check_formats(formats or ["md"], OUTPUT_FORMATS)
        if (len(fmts) > 1 or len(articles) > 1) and output is None:
            raise typer.BadParameter("several formats or articles need -o DIR", param_hint="--output")
        settings = load_settings(
            dict(model=model, base_url=base_url, local=local or None, local_model=local_model, prompt=prompt,
                 template=template, audience=audience, language=language, length=length, strict=strict,
                 timeout=timeout, max_retries=max_retries, max_tokens=max_tokens, context_tokens=context_tokens),
            profile=profile, prompts_dirs=prompts_dir, templates_dirs=templates_dir, variables=parse_vars(var),
        )
        prompt_set = PromptSet(str(settings.prompt), *settings.prompt_search_path())
        prompt_set.files()
        template_dirs, _ = settings.template_search_path()
        _check_templates(template_dirs, settings.template, fmts)
        if "pdf" in fmts and not dry_run:
            from briefing.pdf import require_chromium

            require_chromium()  # before any request: a missing browser must not waste a model call

        loaded = []
        for source in articles:
            started = time.perf_counter()
            article = load_article(source)
            loaded.append((article, time.perf_counter() - started))

        if dry_run:
            _print_dry_run(loaded, prompt_set, settings)
            return

        progress = ProgressLine()
        with open_session(settings, progress=progress) as session:
            where = "the embedded model (offline)" if session.endpoint.embedded else session.model_info.endpoint
            typer.echo(f"briefing: using {session.model_info.name} at {where}", err=True)
            for article, load_seconds in loaded:
                result = brief_article(article, session, prompt_set)
                result.timings = {"load": load_seconds, **result.timings}
                for fmt in fmts:
                    started = time.perf_counter()
                    data = render_output(result, fmt, settings, template_dirs)
                    result.timings[f"render_{fmt}"] = time.perf_counter() - started
                    emit_output(data, resolve_destination(output, result.briefing.title, fmt), force=force)
                typer.echo(f"briefing: {article.title}: {result.grounding.line}", err=True)


def _check_formats(formats: list[str], known: tuple[str, ...]) -> list[str]:
    for fmt in formats:
        if fmt not in known:
            raise typer.BadParameter(f"{fmt!r} is not one of {', '.join(known)}", param_hint="--format")
    return list(dict.fromkeys(formats))


def _check_templates(dirs: list[Path], template: str | None, fmts: list[str]) -> None:
    """Fail before any request if an output template is missing."""
    from briefing.errors import TemplateError
    from briefing.render import DEFAULT_TEMPLATES

    for fmt in fmts:
        if fmt == "json":
            continue
        fmt = "html" if fmt == "pdf" else fmt  # a PDF is the HTML template, printed
        name = f"{template or DEFAULT_TEMPLATES[fmt]}.{fmt}.j2"
        if not any((Path(d) / name).is_file() for d in dirs):
            raise TemplateError(f"no output template {name} in " + ", ".join(str(d) for d in dirs),
                                hint="`briefing templates list` shows the templates there are")


def _print_dry_run(loaded, prompt_set, settings) -> None:
    import json

    from briefing.pipeline import prompt_variables
    from briefing.prompts import build_messages
    from briefing.schema import build_schema

    for article, _ in loaded:
        messages = build_messages(article, prompt_set, variables=prompt_variables(settings))
        schema = json.dumps(build_schema(article), separators=(",", ":"))
        for m in messages:
            typer.echo(f"----- {m['role']} -----")
            typer.echo(m["content"])
        chars = sum(len(m["content"]) for m in messages)
        typer.echo(
            f"----- estimate: ~{chars // 4:,} prompt tokens (+ ~{len(schema) // 4:,} for the JSON schema), "
            f"{len(article.sentences)} sentences; no request made -----"
        )
