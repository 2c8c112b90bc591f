"""post_webhook(): a JSON summary of a written brief to a chat or automation webhook.   [net]

The payload has the fields a script wants (title, date, BLUF, top lines, files) and a `text` field
in Slack's mrkdwn, so Slack and Mattermost incoming webhooks show it as it is. Text from the model
is escaped for mrkdwn (`<!channel>` in a headline must not ping a whole channel).

A webhook URL is a secret (Slack's carries its token in the path): it is registered with redact.py
before the request, so no log line at any level shows more than its scheme and host, and errors
name only `scheme://host/…`. Webhooks are the user's own configuration, so private addresses are
allowed; redirects are not followed (a redirect would carry the brief somewhere not configured),
proxies from the environment are not used, and the request has a timeout.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import httpx2

from briefing import __version__
from briefing.deliver.summary import Summary
from briefing.redact import add_secret

TIMEOUT = 15.0


class WebhookError(Exception):
    """One failed POST; `transient` says whether a second try may succeed."""

    def __init__(self, message: str, *, transient: bool) -> None:
        super().__init__(message)
        self.transient = transient


def describe_webhook(url: str) -> str:
    """The webhook as it may be shown: scheme and host only."""
    parts = urlsplit(url)
    host = parts.hostname or "?"
    return f"{parts.scheme}://{host}{':' + str(parts.port) if parts.port else ''}/…"


def build_payload(summary: Summary) -> dict:
    """The JSON body: the summary's fields and a Slack-compatible `text`."""
    lines = [f"*{_mrkdwn(summary.title)}* ({summary.date})", _mrkdwn(summary.bluf)]
    lines += [f"• {_mrkdwn(line)}" for line in summary.top_lines]
    lines.append(f"_{_mrkdwn(summary.grounding)}_")
    if summary.files:
        lines.append("Files: " + ", ".join(_mrkdwn(f) for f in summary.files))
    return {
        "text": "\n".join(lines),
        "kind": summary.kind,
        "title": summary.title,
        "date": summary.date,
        "bluf": summary.bluf,
        "top_lines": summary.top_lines,
        "grounding": summary.grounding,
        "files": summary.files,
        "sources": summary.sources,
        "generator": f"briefing {__version__}",
    }


def post_webhook(url: str, payload: dict, *, timeout: float = TIMEOUT) -> None:
    """POST `payload`; raises WebhookError with a message that never shows the URL's path."""
    register_webhook_secret(url)
    where = describe_webhook(url)
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    headers = {"Content-Type": "application/json", "User-Agent": f"briefing/{__version__}"}
    try:
        with httpx2.Client(timeout=httpx2.Timeout(timeout), follow_redirects=False, trust_env=False) as client:
            response = client.post(url, content=body, headers=headers)
    except httpx2.TimeoutException:
        raise WebhookError(f"webhook {where}: no answer within {timeout:g} s", transient=True) from None
    except httpx2.HTTPError as exc:
        raise WebhookError(f"webhook {where}: {_first_line(exc, url)}", transient=True) from None
    status = response.status_code
    if 300 <= status < 400:
        raise WebhookError(f"webhook {where}: HTTP {status} redirect, not followed", transient=False)
    if status >= 400:
        transient = status in (408, 425, 429) or status >= 500
        raise WebhookError(f"webhook {where}: HTTP {status}", transient=transient)


def register_webhook_secret(url: str) -> None:
    """Keep the URL's path, query and user info out of every log line and error from now on."""
    parts = urlsplit(url)
    for secret in (url, parts.path, parts.query, parts.password, parts.username):
        if secret and secret != "/":
            add_secret(secret)


def _mrkdwn(text: str) -> str:
    """Slack's three escapes: the text shows as written and cannot form a link or a mention."""
    return " ".join(str(text).split()).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _first_line(exc: Exception, url: str) -> str:
    text = " ".join(str(exc).split())[:200] or type(exc).__name__
    return text.replace(url, describe_webhook(url))
