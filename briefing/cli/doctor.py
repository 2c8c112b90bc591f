"""`briefing doctor`: which settings, model and templates a run would use, and is the endpoint up."""

from __future__ import annotations

import typer

from briefing.cli import app
from briefing.cli.common import BaseUrlOpt, LocalOpt, ModelOpt, ProfileOpt, cli_errors


@app.command()
def doctor(
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    local: LocalOpt = False,
    profile: ProfileOpt = None,
    check: bool = typer.Option(True, "--check/--no-check", help="Contact the endpoint to see if it answers."),
) -> None:
    """Show the effective settings and where each came from, and check the endpoint."""
    with cli_errors():
        from briefing.settings import load_settings

        settings = load_settings(dict(model=model, base_url=base_url, local=local or None), profile=profile)
        width = max(len(r[0]) for r in settings.describe())
        for name, value, source in settings.describe():
            typer.echo(f"{name:<{width}}  {value:<40}  ({source})")
        typer.echo("")
        if settings.embedded:
            from briefing.local import MODELS, model_label

            typer.echo(f"model     embedded: {model_label(str(settings.local_model))} (offline, on this computer)")
            spec = MODELS.get(str(settings.local_model))
            if spec:
                joined = settings.home / "models" / spec.filename
                typer.echo(f"          weights: {joined if joined.exists() else 'joined from the installed pieces on first use'}")
        else:
            typer.echo(f"model     {settings.remote_model} at {settings.describe_endpoint()}")
            if check:
                typer.echo(f"endpoint  {_probe(settings)}")
        dirs, origins = settings.prompt_search_path()
        typer.echo("prompts   " + "; ".join(f"{d} ({o}{'' if d.is_dir() else ', absent'})" for d, o in zip(dirs, origins)))
        dirs, origins = settings.template_search_path()
        typer.echo("templates " + "; ".join(f"{d} ({o}{'' if d.is_dir() else ', absent'})" for d, o in zip(dirs, origins)))


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
