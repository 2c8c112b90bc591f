"""The [smtp] and [briefs.NAME] tables, the webhook payload and the message: table-driven, no network."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.deliver.config import SmtpConfig, parse_brief, parse_smtp
from briefing.deliver.mail import build_message
from briefing.deliver.summary import Summary
from briefing.deliver.webhook import build_payload, describe_webhook
from briefing.errors import ConfigError
from briefing.settings import load_settings

PATH = Path("config.toml")


@pytest.mark.parametrize(
    "table, message",
    [
        ({}, "[smtp] needs host"),
        ({"host": "smtp.example.org", "security": "tls"}, "must be one of starttls, ssl, none, not 'tls'"),
        ({"host": "smtp.example.org", "security": "none", "user": "u", "password_env": "P"}, "password in clear"),
        ({"host": "smtp.example.org", "user": "u"}, "has a user but no password_env"),
        ({"host": "smtp.example.org", "password": "hunter22"}, "unknown setting 'password' in [smtp]"),
        ({"host": "smtp.example.org", "port": "587"}, "port in [smtp] must be a whole number"),
        ({"host": "smtp.example.org", "port": 70000}, "must be a port number"),
        ({"host": "smtp.example.org", "sender": "a\nBcc: x@y"}, "is not an e-mail address"),
    ],
)
def test_smtp_tables_that_cannot_work_are_refused(table, message):
    with pytest.raises(ConfigError) as error:
        parse_smtp(PATH, table)
    assert message in str(error.value)


def test_smtp_defaults_follow_the_security():
    assert parse_smtp(PATH, {"host": "h"}) == SmtpConfig(host="h", port=587)
    assert parse_smtp(PATH, {"host": "h", "security": "ssl"}).port == 465
    local = parse_smtp(PATH, {"host": "127.0.0.1", "security": "none", "user": "u", "password_env": "P"})
    assert local.port == 25  # plain text only to this computer


@pytest.mark.parametrize(
    "table, message",
    [
        ({}, "needs inputs"),
        ({"inputs": "feed.xml"}, 'inputs in [briefs.morning] must be a list of text, like ["a", "b"]'),
        ({"inputs": ["a"], "recipient": ["x@example.org"]}, "did you mean 'recipients'?"),
        ({"inputs": ["a"], "recipients": ["nobody"]}, "'nobody' is not an e-mail address"),
        ({"inputs": ["a"], "limit": 0}, "limit in [briefs.morning] must be at least 1"),
        ({"inputs": ["a"], "allow_private": "yes"}, "must be true or false"),
    ],
)
def test_brief_tables_that_cannot_work_are_refused(table, message):
    with pytest.raises(ConfigError) as error:
        parse_brief(PATH, "morning", table)
    assert message in str(error.value)


def test_a_bad_webhook_is_refused_without_showing_its_path():
    with pytest.raises(ConfigError) as error:
        parse_brief(PATH, "morning", {"inputs": ["a"], "webhooks": ["ftp://host/SECRET-PATH"]})
    assert "a webhook must be an http(s) URL" in str(error.value) and "SECRET-PATH" not in str(error.value)
    assert describe_webhook("https://hooks.slack.com/services/T0/B0/SECRET?x=1") == "https://hooks.slack.com/…"


def test_the_config_file_is_checked_when_read(isolated_env):
    isolated_env.mkdir(parents=True)
    (isolated_env / "config.toml").write_text('[briefs.morning]\ninputs = ["a"]\nformat = ["md"]\n')
    with pytest.raises(ConfigError, match="unknown setting 'format' in \\[briefs.morning\\]"):
        load_settings()
    (isolated_env / "config.toml").write_text('[smtp]\nhost = "h"\n\n[briefs.morning]\ninputs = ["~/a"]\n')
    settings = load_settings()
    assert settings.smtp == SmtpConfig(host="h", port=587) and settings.briefs["morning"].inputs == ["~/a"]


def test_the_payload_is_slack_text_that_cannot_mention_or_link():
    summary = Summary(
        kind="briefing",
        title="<!channel> Talks *collapse*",
        date="2026-03-04",
        bluf="Prices & <https://evil.example|click>",
        top_lines=["one", "two"],
        grounding="3 of 3 items verified against the source",
        files=["/briefs/a.html"],
    )
    payload = build_payload(summary)
    assert payload["text"].splitlines() == [
        "*&lt;!channel&gt; Talks *collapse** (2026-03-04)",
        "Prices &amp; &lt;https://evil.example|click&gt;",
        "• one",
        "• two",
        "_3 of 3 items verified against the source_",
        "Files: /briefs/a.html",
    ]
    assert payload["title"] == summary.title and payload["files"] == ["/briefs/a.html"]
    assert summary.subject == "<!channel> Talks *collapse* — 2026-03-04"


def test_the_message_is_multipart_and_a_line_break_cannot_inject_a_header():
    message = build_message(
        subject="Title\r\nBcc: everyone@example.org",
        sender="Briefing <b@example.org>",
        recipients=["a@example.org"],
        html="<p>hé</p>",
        markdown="# hé",
        attachments=[("a.md", "# hé", "text/markdown"), ("a.pdf", b"%PDF-1.4", "application/pdf")],
    )
    assert message["Subject"] == "Title Bcc: everyone@example.org" and message["Bcc"] is None
    assert [p.get_content_type() for p in message.walk()] == [
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "text/html",
        "text/markdown",
        "application/pdf",
    ]
    assert message["Message-ID"].endswith("@example.org>")
