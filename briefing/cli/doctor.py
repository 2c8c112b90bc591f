"""`briefing doctor`: which settings, model and templates a run would use, and is the endpoint up."""

from __future__ import annotations

import typer

from briefing.cli import app
from briefing.cli.common import cli_errors, setup_logging
from briefing.cli.options import RunOptions, run_options


@app.command()
@run_options
def doctor(
    check: bool = typer.Option(True, "--check/--no-check", help="Contact the endpoint to see if it answers."),
    *,
    opts: RunOptions,
) -> None:
    """Show the effective settings and where each came from, the prompt and templates a run would
    use, and whether the endpoint answers. Takes the same options as generate and digest, to see their effect."""
    setup_logging(opts.verbose)
    with cli_errors():
        settings = opts.load_settings()
        rows = settings.describe()
        width = max(len(r[0]) for r in rows)
        for name, value, source in rows:
            typer.echo(f"{name:<{width}}  {value:<40}  ({source})")
        typer.echo("")
        config = settings.config_path
        if config.is_file():
            profiles = ", ".join(settings.profiles) or "none"
            typer.echo(f"config    {config} (profiles: {profiles})")
            _echo_delivery(settings)
        else:
            typer.echo(f"config    {config} (absent: defaults, environment and flags only)")
        from briefing.archive.db import archive_path

        archive = archive_path(settings.home)
        state = "on" if settings.archive else "off (archive = false)"
        typer.echo(f"archive   {archive} ({state}; {'present' if archive.is_file() else 'created by the first run'})")
        if settings.embedded:
            from briefing.llm.embedded import MODELS, model_label

            typer.echo(f"model     embedded: {model_label(str(settings.local_model))} (offline, on this computer)")
            spec = MODELS.get(str(settings.local_model))
            if spec:
                joined = settings.home / "models" / spec.filename
                typer.echo(
                    f"          weights: {joined if joined.exists() else 'joined from the installed pieces on first use'}"
                )
        else:
            typer.echo(f"model     {settings.remote_model} at {settings.describe_endpoint()}")
            if check:
                typer.echo(f"endpoint  {_probe(settings)}")
        _echo_search_path("prompts  ", *settings.prompt_search_path())
        _echo_search_path("templates", *settings.template_search_path())
        _echo_in_use(settings)


def _echo_delivery(settings) -> None:
    """The named briefs and the mail server; of the password, only whether its variable is set."""
    import os

    if settings.briefs:
        typer.echo(f"briefs    {', '.join(sorted(settings.briefs))} (briefing run NAME)")
    smtp = settings.smtp
    if smtp:
        login = ""
        if smtp.user:
            state = "set" if os.environ.get(smtp.password_env or "") else "NOT SET"
            login = f", user {smtp.user}, password from env {smtp.password_env} ({state})"
        typer.echo(f"smtp      {smtp.host}:{smtp.port} {smtp.security}{login}")


def _echo_search_path(label: str, dirs, origins) -> None:
    parts = [f"{d} ({o}{'' if d.is_dir() else ', absent'})" for d, o in zip(dirs, origins)]
    typer.echo(f"{label} " + "; ".join(parts))


def _echo_in_use(settings) -> None:
    """The files a run would read for the prompt and each output format, or what is missing."""
    from briefing.output.render import output_template_name
    from briefing.output.templating import find_template
    from briefing.prompts import PARTS

    dirs, origins = settings.prompt_search_path()
    for part in PARTS:
        found = find_template(dirs, f"{settings.prompt}.{part}.j2", origins)
        where = f"{found.path} ({found.origin})" if found else "MISSING: `briefing prompts list` shows what there is"
        typer.echo(f"prompt    {settings.prompt}.{part}.j2: {where}")
    dirs, origins = settings.template_search_path()
    for fmt in ("md", "html"):
        name = output_template_name(settings.template, fmt)
        found = find_template(dirs, name, origins)
        if found:
            typer.echo(f"output    -f {fmt}: {found.path} ({found.origin})")
        elif not settings.template:
            typer.echo(f"output    -f {fmt}: MISSING {name}")
        else:
            typer.echo(f"output    -f {fmt}: no {name} (template {settings.template!r} has no {fmt} version)")


def _probe(settings) -> str:
    """GET /models at the endpoint: says whether it answers and knows the model."""
    import httpx2

    headers = {"Authorization": f"Bearer {settings.api_key}"} if settings.api_key else {}
    url = settings.endpoint.rstrip("/") + "/models"
    try:
        r = httpx2.get(url, headers=headers, timeout=5.0)
    except httpx2.HTTPError as exc:
        return f"unreachable ({type(exc).__name__})"
    if r.status_code != 200:
        return f"answers HTTP {r.status_code} on /models"
    try:
        ids = [m.get("id") for m in r.json().get("data", [])]
    except ValueError:
        return "answers, but not like an OpenAI-compatible server"
    known = settings.remote_model in ids
    return f"reachable; {len(ids)} model(s) listed; {settings.remote_model!r} {'listed' if known else 'NOT listed'}"
