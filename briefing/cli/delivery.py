"""--email and --webhook for generate, digest and run: the options, the check before the run, the
delivery after the files are written, and exit 4 when a delivery failed."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

EmailOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--email",
        help="E-mail the written brief to this address (repeatable): HTML body, Markdown and PDF attached. Server: [smtp] in config.toml.",
        show_default=False,
    ),
]
WebhookOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--webhook",
        help="POST a JSON summary of the written brief to this URL (repeatable); Slack/Mattermost-compatible 'text'.",
        show_default=False,
    ),
]
# The mail-safe body of each kind of brief (inline styles, tables): a user's own file of that name wins.
EMAIL_TEMPLATES = {"briefing": "email", "digest": "digest-email"}


def plan_delivery(settings, emails: list[str] | None, webhooks: list[str] | None, *, kind: str):
    """The delivery plan, checked now (addresses, [smtp], the password, the mail template of `kind`,
    'briefing' or 'digest'): before any request is paid for."""
    from briefing.deliver.send import plan_delivery as plan
    from briefing.output.render import check_output_template

    checked = plan(settings.smtp, list(emails or []), list(webhooks or []))
    if checked.recipients:
        dirs, _ = settings.template_search_path()
        check_output_template("html", template=EMAIL_TEMPLATES[kind], dirs=dirs)
    return checked


def deliver_result(plan, result, files: list[Path], settings, dirs: list[Path], rendered: dict) -> list[str]:
    """Render the mail parts (reusing what was written), send and post; the failures, one line each."""
    import dataclasses

    from briefing.deliver.send import MailParts, deliver
    from briefing.deliver.summary import build_summary
    from briefing.digest_records import Digest
    from briefing.errors import BriefingError
    from briefing.output.files import safe_filename
    from briefing.output.render import render_briefing, render_digest

    if not plan:
        return []
    is_digest = isinstance(result, Digest)
    parts, failures = None, []
    if plan.recipients:
        render = render_digest if is_digest else render_briefing
        kwargs = dict(dirs=dirs, classification=settings.classification)
        title = f"{result.title} {result.date}" if is_digest else result.briefing.title
        try:
            html = render(result, "html", template=EMAIL_TEMPLATES["digest" if is_digest else "briefing"], **kwargs)
            markdown = rendered.get("md") or render(result, "md", **kwargs)
        except BriefingError as exc:  # the files are written: a mail that cannot be made is a failed delivery
            failures.append(f"e-mail to {', '.join(plan.recipients)} not sent: {exc}")
            plan = dataclasses.replace(plan, recipients=[])
        else:
            pdf = _pdf(result, rendered, settings, dirs)
            parts = MailParts(html=html, markdown=markdown, pdf=pdf, stem=Path(safe_filename(title, "md")).stem)
    return failures + deliver(plan, build_summary(result, files), parts)


def _pdf(result, rendered: dict, settings, dirs) -> bytes | None:
    """The PDF handout to attach: the one written, else one printed now, else none with a warning."""
    from briefing.cli.common import render_output
    from briefing.digest_records import Digest
    from briefing.errors import BriefingError
    from briefing.output.pdf import INSTALL_HINT, find_chromium, render_pdf
    from briefing.output.render import render_digest

    if rendered.get("pdf"):
        return rendered["pdf"]
    if find_chromium() is None:
        typer.echo(f"warning: no Chromium, so the e-mail has no PDF attached ({INSTALL_HINT})", err=True)
        return None
    try:
        if isinstance(result, Digest):  # the digest's own handout: the config's `template` names a briefing's
            return render_pdf(render_digest(result, "html", dirs=dirs, classification=settings.classification))
        data = render_output(result, "pdf", settings, dirs)
    except BriefingError as exc:
        typer.echo(f"warning: the e-mail has no PDF attached: {exc}", err=True)
        return None
    return data if isinstance(data, bytes) else None


def exit_if_undelivered(failures: list[str]) -> None:
    """Print each failed delivery on one line and exit 4 (the files are written by now)."""
    from briefing.errors import EXIT_DELIVERY
    from briefing.redact import redact_text

    if not failures:
        return
    for line in failures:
        typer.echo(f"error: delivery failed (the brief is written): {redact_text(line)}", err=True)
    raise typer.Exit(EXIT_DELIVERY)
