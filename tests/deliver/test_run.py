"""`briefing run morning` end to end: a loopback feed, the loopback model, a real SMTP server (aiosmtpd)
and a loopback webhook receiver, all on 127.0.0.1; then the SMTP server down, a transient failure
retried once, and a redirecting webhook."""

from __future__ import annotations

import io
import json

import docx
import pytest

from tests.articles import make_article, marker
from tests.smtp_server import SMTPServer, free_port
from tests.web_server import Page

PASSWORD = "smtp-SENTINEL-pa55word"
HOOK = "/services/T000/B000/HOOK-SENTINEL-secret"


def serve_feed(web, count: int = 2) -> None:
    items = []
    for i in range(count):
        body = make_article(20 + i).split("\n", 1)[1]
        paragraphs = "".join(f"<p>{s}.</p>" for s in body.strip().rstrip(".").split(". "))
        web.pages[f"/story{i}.html"] = Page(
            f"<html><head><title>Story {i}</title></head><body><article>{paragraphs}</article></body></html>"
        )
        items.append(f"<item><title>Story {i}</title><link>{web.url(f'/story{i}.html')}</link></item>")
    web.pages["/feed.xml"] = Page(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Loopback Desk</title>{"".join(items)}</channel></rss>',
        "application/rss+xml",
    )


def write_config(home, *, llm, web, smtp_port: int, out, formats=("md", "html", "json", "docx")) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        f"""
[defaults]
base_url = "{llm.url}"
classification = "Official"

[smtp]
host = "127.0.0.1"
port = {smtp_port}
security = "none"
user = "briefer"
password_env = "TEST_SMTP_PASSWORD"
sender = "Briefing <briefing@example.org>"
timeout = 20

[briefs.morning]
inputs = ["{web.url("/feed.xml")}"]
allow_private = true
title = "Morning brief"
formats = {json.dumps(list(formats))}
output_dir = "{out}"
recipients = ["desk@example.org", "Duty Officer <duty@example.org>"]
webhooks = ["{web.url(HOOK)}"]
""",
        encoding="utf-8",
    )


@pytest.fixture
def morning(llm, web, tmp_path, isolated_env, monkeypatch):
    """The brief's world: feed and pages served, config written; returns (home, out folder)."""
    serve_feed(web)
    out = tmp_path / "briefs"
    monkeypatch.setenv("TEST_SMTP_PASSWORD", PASSWORD)
    monkeypatch.setattr("briefing.deliver.send.RETRY_DELAY", 0.05)
    return isolated_env, out


def test_the_mail_arrives_with_html_body_and_attachments_and_the_webhook_gets_one_post(cli, llm, web, morning):
    home, out = morning
    with SMTPServer(user="briefer", password=PASSWORD) as smtp:
        write_config(home, llm=llm, web=web, smtp_port=smtp.port, out=out)
        result = cli("run", "morning", "--date", "2026-03-04", "-vv")
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == [f"morning-brief-2026-03-04.{f}" for f in ("docx", "html", "json", "md")]
    digest = json.loads((out / "morning-brief-2026-03-04.json").read_text())
    assert len(digest["stories"]) == 2 and marker(20) in json.dumps(digest)

    assert smtp.logins == [("briefer", PASSWORD)]
    assert len(smtp.received) == 1
    mail = smtp.received[0]
    assert sorted(mail.recipients) == ["desk@example.org", "duty@example.org"]
    message = mail.message
    assert message["Subject"] == f"Morning brief: {digest['cover']['headline']} — 2026-03-04"
    assert message["From"] == "Briefing <briefing@example.org>"
    assert message.get_content_type() == "multipart/mixed"
    html = message.get_body(preferencelist=("html",))
    text = message.get_body(preferencelist=("plain",))
    assert html is not None and text is not None
    body = html.get_content()
    assert digest["cover"]["bluf"] in body and "Official" in body
    for forbidden in ("<script", "<link", "<style", "class=", "src="):
        assert forbidden not in body  # the mail-safe template: inline styles only, nothing fetched
    attachments = {part.get_filename(): part for part in message.iter_attachments()}
    assert set(attachments) == {"morning-brief-2026-03-04.md", "morning-brief-2026-03-04.pdf"}
    md = (out / "morning-brief-2026-03-04.md").read_text()
    assert attachments["morning-brief-2026-03-04.md"].get_content().replace("\r\n", "\n") == md  # SMTP lines end CRLF
    assert attachments["morning-brief-2026-03-04.pdf"].get_content().startswith(b"%PDF-")
    assert text.get_content().replace("\r\n", "\n") == md

    assert len(web.posts) == 1
    path, headers, raw = web.posts[0]
    assert path == HOOK and headers["content-type"] == "application/json"
    payload = json.loads(raw)
    assert payload["title"] == f"Morning brief: {digest['cover']['headline']}" and payload["date"] == "2026-03-04"
    assert payload["bluf"] == digest["cover"]["bluf"]
    assert payload["top_lines"] == [t["line"] for t in digest["cover"]["top_lines"]]
    assert sorted(payload["files"]) == [str(out / n) for n in names]
    assert payload["text"].startswith("*Morning brief:") and "• " in payload["text"]

    # -vv shows the conversation, never the password or the webhook's secret path.
    assert "DEBUG" in result.stderr and "e-mail sent to" in result.stderr
    assert PASSWORD not in result.stderr and "HOOK-SENTINEL" not in result.stderr
    assert "/services/" not in result.stderr
    for path in out.iterdir():
        assert b"HOOK-SENTINEL" not in path.read_bytes() and PASSWORD.encode() not in path.read_bytes()


def test_with_the_smtp_server_down_the_files_are_written_and_the_exit_code_is_4(cli, llm, web, morning):
    home, out = morning
    write_config(home, llm=llm, web=web, smtp_port=free_port(), out=out, formats=("md", "json"))
    result = cli("run", "morning", "--date", "2026-03-04")
    assert result.exit_code == 4, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["morning-brief-2026-03-04.json", "morning-brief-2026-03-04.md"]
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        "error: delivery failed (the brief is written): e-mail to desk@example.org, Duty Officer <duty@example.org> "
        f"failed: cannot connect to 127.0.0.1:{errors[0].rsplit(':', 2)[1].split()[0]}: Connection refused"
    ]
    assert "retrying in" in result.stderr  # tried twice
    assert len(web.posts) == 1  # the webhook is still posted
    assert PASSWORD not in result.stderr


def test_a_transient_smtp_failure_is_retried_once_and_a_permanent_one_is_not(cli, llm, web, morning):
    home, out = morning
    with SMTPServer(user="briefer", password=PASSWORD, fail_first=1) as smtp:
        write_config(home, llm=llm, web=web, smtp_port=smtp.port, out=out, formats=("md",))
        result = cli("run", "morning", "--date", "2026-03-04")
        assert result.exit_code == 0, result.stderr
        assert smtp.attempts == 2 and len(smtp.received) == 1  # 451, then delivered
    with SMTPServer(user="briefer", password="another password") as smtp:
        write_config(home, llm=llm, web=web, smtp_port=smtp.port, out=out, formats=("md",))
        result = cli("run", "morning", "--date", "2026-03-04", "--force")
        assert result.exit_code == 4
        assert "retrying" not in result.stderr  # a rejected login is not retried
        assert "rejected the login of briefer: 535" in result.stderr and PASSWORD not in result.stderr


def test_a_webhook_redirect_is_not_followed_and_fails_the_delivery(cli, llm, web, morning):
    home, out = morning
    web.pages[HOOK] = Page("", status=302, headers={"Location": web.url("/elsewhere")})
    with SMTPServer(user="briefer", password=PASSWORD) as smtp:
        write_config(home, llm=llm, web=web, smtp_port=smtp.port, out=out, formats=("md",))
        result = cli("run", "morning", "--date", "2026-03-04")
    assert result.exit_code == 4
    assert [p for p, _, _ in web.posts] == [HOOK]  # once: a redirect is permanent, never retried or followed
    line = next(line for line in result.stderr.splitlines() if line.startswith("error:"))
    assert line.endswith(
        f"webhook http://127.0.0.1:{web.url().split(':')[2].rstrip('/')}/…: HTTP 302 redirect, not followed"
    )
    assert "HOOK-SENTINEL" not in result.stderr and len(smtp.received) == 1


def test_without_chromium_the_mail_goes_without_its_pdf_and_says_so(cli, llm, web, morning, monkeypatch):
    home, out = morning
    monkeypatch.setenv("BRIEFING_CHROMIUM", "/nonexistent/chromium")
    with SMTPServer(user="briefer", password=PASSWORD) as smtp:
        write_config(home, llm=llm, web=web, smtp_port=smtp.port, out=out, formats=("md",))
        result = cli("run", "morning", "--date", "2026-03-04")
    assert result.exit_code == 0, result.stderr
    assert "warning: no Chromium, so the e-mail has no PDF attached" in result.stderr
    assert [p.get_filename() for p in smtp.received[0].message.iter_attachments()] == ["morning-brief-2026-03-04.md"]


def test_generate_and_digest_take_email_and_webhook(cli, llm, web, seed, morning, tmp_path):
    home, out = morning
    with SMTPServer(user="briefer", password=PASSWORD) as smtp:
        write_config(home, llm=llm, web=web, smtp_port=smtp.port, out=out)
        hook = web.url("/generate-hook-SECRET")
        args = ["--email", "a@example.org", "--email", "b@example.org", "--webhook", hook, "--base-url", llm.url]
        result = cli("generate", seed, "-f", "docx", "-o", f"{tmp_path}/g/", *args)
        assert result.exit_code == 0, result.stderr
        digest = cli("digest", seed, "-o", tmp_path / "d.md", *args)
        assert digest.exit_code == 0, digest.stderr
    first, second = smtp.received
    assert first.recipients == second.recipients == ["a@example.org", "b@example.org"]
    saved = next((tmp_path / "g").glob("*.docx"))
    assert first.message["Subject"].startswith(docx.Document(io.BytesIO(saved.read_bytes())).paragraphs[0].text)
    assert [p for p, _, _ in web.posts] == ["/generate-hook-SECRET"] * 2
    assert json.loads(web.posts[0][2])["files"] == [str(saved)]
    assert json.loads(web.posts[1][2])["kind"] == "digest"


def test_delivery_settings_are_checked_before_any_request(cli, llm, web, morning, monkeypatch, seed):
    home, out = morning
    write_config(home, llm=llm, web=web, smtp_port=free_port(), out=out)
    monkeypatch.delenv("TEST_SMTP_PASSWORD")
    result = cli("run", "morning")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "error: [smtp] password_env names TEST_SMTP_PASSWORD, which is not set "
        "(export TEST_SMTP_PASSWORD=... in the environment that runs briefing (never in config.toml))"
    )
    bad = cli("generate", seed, "--email", "not an address", "--base-url", llm.url)
    assert bad.exit_code == 1 and "--email: 'not an address' is not an e-mail address" in bad.stderr
    hook = cli("generate", seed, "--webhook", "ftp://example.org/x", "--base-url", llm.url)
    assert hook.exit_code == 1 and "a webhook must be an http(s) URL" in hook.stderr
    unknown = cli("run", "evening")
    assert unknown.exit_code == 1 and "no brief 'evening'" in unknown.stderr and "known: morning" in unknown.stderr
    assert llm.requests == [] and web.requests == [] and not out.exists()


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_starttls_and_ssl_verify_the_server_certificate(security, cli, llm, web, morning, monkeypatch):
    from tests.smtp_server import CERT

    home, out = morning
    monkeypatch.setenv("BRIEFING_CHROMIUM", "/nonexistent/chromium")  # no PDF: this is about the connection
    with SMTPServer(user="briefer", password=PASSWORD, tls=security) as smtp:
        write_config(home, llm=llm, web=web, smtp_port=smtp.port, out=out, formats=("md",))
        config = (home / "config.toml").read_text().replace('security = "none"', f'security = "{security}"')
        (home / "config.toml").write_text(config)
        untrusted = cli("run", "morning", "--date", "2026-03-04")
        assert untrusted.exit_code == 4  # a certificate nobody vouches for: no password is sent
        assert "TLS failed: CERTIFICATE_VERIFY_FAILED" in untrusted.stderr and smtp.logins == []
        assert "retrying" not in untrusted.stderr
        monkeypatch.setenv("SSL_CERT_FILE", str(CERT))  # the test CA, as a company CA would be trusted
        trusted = cli("run", "morning", "--date", "2026-03-04", "--force")
        assert trusted.exit_code == 0, trusted.stderr
    assert smtp.logins == [("briefer", PASSWORD)] and len(smtp.received) == 1
