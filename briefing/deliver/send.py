"""plan_delivery() and deliver(): e-mail and webhooks for a brief already written, each tried twice.  [net]

plan_delivery runs before any model request, so a missing [smtp] table or an unset password
variable stops the run before it is paid for. deliver runs after the files are written and never
raises for a failed channel: it returns one line per failure, and the CLI turns them into exit 4.
A transient failure (no connection, a timeout, a 4xx SMTP reply, HTTP 429 or 5xx) is retried once
after RETRY_DELAY seconds; a permanent one (a rejected login, an unknown recipient, a redirect) is not.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from briefing.deliver.config import SmtpConfig, check_address, check_webhook_url
from briefing.deliver.mail import MailError, build_message, default_sender, load_password, send_mail
from briefing.deliver.summary import Summary
from briefing.deliver.webhook import (
    WebhookError,
    build_payload,
    describe_webhook,
    post_webhook,
    register_webhook_secret,
)
from briefing.errors import ConfigError

log = logging.getLogger(__name__)
RETRY_DELAY = 5.0  # seconds before the one retry of a transient failure


@dataclass(frozen=True)
class DeliveryPlan:
    """Who gets a brief once it is written, checked before the run."""

    recipients: list[str] = field(default_factory=list)
    webhooks: list[str] = field(default_factory=list)
    smtp: SmtpConfig | None = None
    password: str | None = None

    def __bool__(self) -> bool:
        return bool(self.recipients or self.webhooks)


@dataclass(frozen=True)
class MailParts:
    """What the e-mail carries: the mail-safe HTML body, the Markdown, the PDF when there is one."""

    html: str
    markdown: str
    pdf: bytes | None
    stem: str


def plan_delivery(smtp: SmtpConfig | None, recipients: list[str], webhooks: list[str]) -> DeliveryPlan:
    """Check the recipients, the [smtp] table, the password and the webhooks; ConfigError at the first wrong one."""
    recipients = list(dict.fromkeys(check_address(r, "--email") for r in recipients))
    webhooks = list(dict.fromkeys(check_webhook_url(w, "--webhook") for w in webhooks))
    for url in webhooks:
        register_webhook_secret(url)
    if recipients and smtp is None:
        raise ConfigError(
            "e-mail delivery needs an [smtp] table in config.toml", hint='at least: [smtp] host = "smtp.example.org"'
        )
    password = load_password(smtp) if recipients and smtp else None
    return DeliveryPlan(recipients=recipients, webhooks=webhooks, smtp=smtp, password=password)


def deliver(plan: DeliveryPlan, summary: Summary, parts: MailParts | None) -> list[str]:
    """Send the e-mail (one message to all recipients) and post each webhook; the failures, one line each."""
    failures: list[str] = []
    if plan.recipients and plan.smtp and parts:
        smtp = plan.smtp
        attachments: list[tuple[str, str | bytes, str]] = [(f"{parts.stem}.md", parts.markdown, "text/markdown")]
        if parts.pdf:
            attachments.append((f"{parts.stem}.pdf", parts.pdf, "application/pdf"))
        message = build_message(
            subject=summary.subject,
            sender=default_sender(smtp),
            recipients=plan.recipients,
            html=parts.html,
            markdown=parts.markdown,
            attachments=attachments,
        )
        to = ", ".join(plan.recipients)
        error = _twice(lambda: send_mail(smtp, message, plan.password), f"e-mail to {to}")
        if error:
            failures.append(f"e-mail to {to} failed: {error}")
        else:
            log.info("e-mail sent to %s via %s:%s", to, smtp.host, smtp.port)
    payload = build_payload(summary)
    for url in plan.webhooks:
        error = _twice(lambda url=url: post_webhook(url, payload), f"webhook {describe_webhook(url)}")
        if error:
            failures.append(f"{error}")
        else:
            log.info("posted to webhook %s", describe_webhook(url))
    return failures


def _twice(send, what: str) -> str | None:
    """Run `send`; after a transient failure wait and run it once more. The last error's line, or None."""
    for attempt in (1, 2):
        try:
            send()
            return None
        except (MailError, WebhookError) as exc:
            if attempt == 2 or not exc.transient:
                return str(exc)
            log.warning("%s: %s; retrying in %g s", what, exc, RETRY_DELAY)
            time.sleep(RETRY_DELAY)
    return None
