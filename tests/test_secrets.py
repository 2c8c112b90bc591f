"""A sentinel API key and URL credentials never appear in logs (at any level), outputs, the cache,
error messages or --dry-run; the key goes to the endpoint in its Authorization header and nowhere else."""

from __future__ import annotations

import base64
import logging

import pytest

from briefing.redact import redact_text
from tests.articles import write_articles
from tests.conftest import run_briefing
from tests.llm_server import Reply
from tests.web_server import Page

KEY = "sk-SENTINEL-0123456789abcdef"
PASSWORD = "pa55-SENTINEL-word"
TOKEN = "QUERY-SENTINEL-token"
BASIC = base64.b64encode(f"briefer:{PASSWORD}".encode()).decode()  # what httpx2 sends for URL credentials
SECRETS = (KEY, PASSWORD, TOKEN, BASIC)


def _with_credentials(url: str) -> str:
    return url.replace("http://", f"http://briefer:{PASSWORD}@")


def _leaks(*texts: str | bytes) -> list[str]:
    found = []
    for text in texts:
        text = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
        found += [secret for secret in SECRETS if secret in text]
    return found


def _files(*folders) -> list[bytes]:
    return [p.read_bytes() for folder in folders for p in folder.rglob("*") if p.is_file()]


def test_generate_as_a_user_with_debug_logs_leaks_nothing(llm, seed, tmp_path, isolated_env):
    out = tmp_path / "out"
    proc = run_briefing(
        "generate",
        seed,
        "-vv",
        "-f",
        "md",
        "-f",
        "html",
        "-f",
        "json",
        "-o",
        f"{out}/",
        "--base-url",
        _with_credentials(llm.url),
        env={"OPENAI_API_KEY": KEY},
    )
    assert proc.returncode == 0, proc.stderr
    assert llm.chat_requests[0].headers["authorization"] == f"Basic {BASIC}"  # URL credentials win over the key
    assert b"DEBUG httpcore2" in proc.stderr and b"INFO httpx2: HTTP Request: POST" in proc.stderr
    assert b"briefer:***@" in proc.stderr  # the URLs are there, redacted
    assert not _leaks(proc.stdout, proc.stderr, *_files(out, isolated_env))


def test_digest_logs_outputs_and_cache_leak_nothing(cli, llm, tmp_path, isolated_env, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    write_articles(tmp_path / "in", 3)
    out = tmp_path / "out"
    args = [
        "digest",
        tmp_path / "in",
        "-vv",
        "-f",
        "md",
        "-f",
        "json",
        "-o",
        f"{out}/",
        "--base-url",
        _with_credentials(llm.url),
    ]
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    assert "DEBUG openai" in result.stderr and list((isolated_env / "cache" / "results").rglob("*.json"))
    dry = cli(*args, "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert not _leaks(result.stdout, result.stderr, dry.stdout, dry.stderr, *_files(out, isolated_env))


def test_a_rejected_key_is_not_in_the_error(cli, llm, seed, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    llm.respond = lambda r: Reply(status=401, body={"error": {"message": f"Incorrect API key provided: {KEY}"}})
    result = cli("generate", seed, "-vv", "--base-url", _with_credentials(llm.url))
    assert result.exit_code == 1 and "rejected the API key (401)" in result.stderr
    assert not _leaks(result.stdout, result.stderr)


def test_an_unreachable_endpoint_with_credentials_is_redacted(cli, seed, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    result = cli("generate", seed, "-vv", "--max-retries", "0", "--base-url", f"http://u:{PASSWORD}@127.0.0.1:9/v1")
    assert result.exit_code == 1 and "error: cannot reach http://127.0.0.1:9/v1" in result.stderr
    assert not _leaks(result.stdout, result.stderr)


def test_dry_run_and_doctor_show_no_secret(cli, llm, seed, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    for args in (("generate", seed, "--dry-run"), ("doctor",)):
        result = cli(*args, "--base-url", _with_credentials(llm.url))
        assert result.exit_code == 0, result.stderr
        assert not _leaks(result.stdout, result.stderr)


def test_debug_logs_of_the_libraries_pass_through_the_redaction(cli, llm, seed, monkeypatch):
    """openai, httpx2 and httpcore2 at DEBUG, in-process: every line the CLI's handler writes is clean."""
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    result = cli("generate", seed, "-vv", "--base-url", _with_credentials(llm.url))
    assert result.exit_code == 0, result.stderr
    assert llm.chat_requests[0].headers["authorization"] in (f"Bearer {KEY}", f"Basic {BASIC}")
    for name in ("openai", "httpx2", "httpcore2"):
        assert logging.getLogger(name).getEffectiveLevel() == logging.DEBUG
    assert "DEBUG openai._base_client" in result.stderr and "INFO httpx2: HTTP Request" in result.stderr
    assert not _leaks(result.stdout, result.stderr)


@pytest.mark.parametrize(
    "text, clean",
    [
        (f"key {KEY} used", "key *** used"),
        (f"http://me:{PASSWORD}@host/v1", "http://me:***@host/v1"),
        (f"https://host/v1?api-key={TOKEN}&x=1", "https://host/v1?api-key=***&x=1"),
        (f"Authorization: Bearer {TOKEN}", "Authorization: Bearer ***"),
        ("no secret at http://host:8080/v1?page=2", "no secret at http://host:8080/v1?page=2"),
    ],
)
def test_redact_text(text, clean, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    assert redact_text(text) == clean


def test_input_urls_with_credentials_are_fetched_with_them_and_shown_without(cli, llm, web, tmp_path, isolated_env):
    # Issue 14, item 2: http://user:secret@host/article put the password in progress and `failed:`
    # lines, in md, html and json (sources[].source), in the cache and in --dry-run.
    articles = write_articles(tmp_path / "in", 2)
    for i in (1, 2):
        web.pages[f"/a{i}?token={TOKEN}&page=2"] = Page(articles[i - 1].read_text(), "text/plain")
    good = [_with_credentials(web.url(f"/a{i}?token={TOKEN}&page=2")) for i in (1, 2)]
    missing = _with_credentials(web.url("/gone"))
    out = tmp_path / "out"
    args = ["digest", *good, missing, "--allow-private", "-vv", "--base-url", llm.url]
    result = cli(*args, "-f", "md", "-f", "html", "-f", "json", "-o", f"{out}/")
    assert result.exit_code == 3, result.stderr
    assert web.requests[0][1]["authorization"] == f"Basic {BASIC}"  # sent to the host it belongs to
    assert "failed: http://127.0.0.1:" in result.stderr and "/gone: HTTP 404" in result.stderr
    assert "page=2" in (out / next(p.name for p in out.iterdir() if p.suffix == ".json")).read_text()
    dry = cli(*args, "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    again = cli(*args, "-f", "md")  # from the cache: sources come from the cached results too
    assert again.exit_code == 3 and "(2 from the cache)" in again.stderr
    assert not _leaks(
        result.stdout, result.stderr, dry.stdout, dry.stderr, again.stdout, again.stderr, *_files(out, isolated_env)
    )


# Delivery: the SMTP password and a webhook's secret path ------------------------------------------

SMTP_PASSWORD = "smtp-SENTINEL-password"
HOOK_SECRET = "HOOK-SENTINEL-T000-B000"


def _delivery_leaks(*texts: str | bytes) -> list[str]:
    found = []
    for text in texts:
        text = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
        plain = base64.b64encode(f"\0briefer\0{SMTP_PASSWORD}".encode()).decode()  # AUTH PLAIN on the wire
        found += [s for s in (SMTP_PASSWORD, HOOK_SECRET, plain) if s in text]
    return found


def _smtp_config(home, port: int) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\nuser = "briefer"\n'
        'password_env = "TEST_SMTP_PASSWORD"\ntimeout = 20\n',
        encoding="utf-8",
    )


@pytest.mark.parametrize("outcome", ["delivered", "rejected"])
def test_smtp_password_and_webhook_path_never_in_logs_outputs_or_errors(
    outcome, llm, web, seed, tmp_path, isolated_env
):
    """As a user, at -vv: delivered (the secrets are used) and rejected (they are in the failing requests)."""
    from tests.smtp_server import SMTPServer
    from tests.web_server import Page

    hook = f"/hooks/{HOOK_SECRET}"
    if outcome == "rejected":
        web.pages[hook] = Page(f"no such hook {HOOK_SECRET}", "text/plain", status=404)
    server_password = SMTP_PASSWORD if outcome == "delivered" else "not-the-password"
    out = tmp_path / "out"
    with SMTPServer(user="briefer", password=server_password) as smtp:
        _smtp_config(isolated_env, smtp.port)
        proc = run_briefing(
            "generate",
            seed,
            "-vv",
            "-f",
            "md",
            "-f",
            "json",
            "-o",
            f"{out}/",
            "--base-url",
            llm.url,
            "--email",
            "desk@example.org",
            "--webhook",
            web.url(hook),
            env={"TEST_SMTP_PASSWORD": SMTP_PASSWORD},
        )
    assert smtp.logins == [("briefer", SMTP_PASSWORD)]  # the password is used, and nowhere else
    assert [p for p, _, _ in web.posts] == [hook]
    stderr = proc.stderr.decode()
    if outcome == "delivered":
        assert proc.returncode == 0, stderr
        assert "INFO httpx2: HTTP Request: POST" in stderr and "e-mail sent to desk@example.org" in stderr
    else:
        assert proc.returncode == 4, stderr
        assert "rejected the login of briefer" in stderr and "HTTP 404" in stderr
    assert not _delivery_leaks(proc.stdout, proc.stderr, *_files(out, isolated_env))
    if outcome == "delivered":
        assert not _delivery_leaks(smtp.received[0].data)  # nor in the mail itself
