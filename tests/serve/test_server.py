"""`briefing serve` as a process: the address it prints, a clean Ctrl-C, refusals beyond loopback,
the token, the Host check, the empty pages of a fresh install; and the pure parts (judgments
followed across days, snippets, the token and Origin checks)."""

from __future__ import annotations

import http.client
import re
import urllib.error
import urllib.request

import pytest

from briefing.serve import security
from briefing.serve.pages import follow_judgments, split_snippet
from tests.serve.conftest import Served

TOKEN = "a-long-enough-test-token-123"
PAGES = ["/", "/search", "/search?q=talks", "/review", "/calibration", "/actor/Nobody"]


def get(url: str, headers: dict | None = None) -> tuple[int, dict, str]:
    """(status, headers, body) of a GET that follows no redirect."""
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""), headers=headers or {})
        answer = conn.getresponse()
        return answer.status, dict(answer.getheaders()), answer.read().decode()
    finally:
        conn.close()


def test_a_fresh_install_shows_every_page_empty_with_what_to_run(tmp_path):
    server = Served(tmp_path / "fresh-home")
    try:
        for path in PAGES:
            status, headers, body = get(server.url + path)
            assert status == 200, path
            assert headers["content-security-policy"] == security.CSP
            assert 'class="empty"' in body, path
        for path in ("/", "/search?q=talks", "/review"):
            assert "briefing digest" in get(server.url + path)[2], path
        status, _, body = get(server.url + "/story/s0000")
        assert status == 404 and "no story" in body
        assert get(server.url + "/digest/1")[0] == 404
    finally:
        code, err = server.stop()
    assert code == 0, err
    assert "stopped" in err and "Traceback" not in err


def test_ctrl_c_stops_the_server_cleanly(tmp_path):
    server = Served(tmp_path / "home")
    assert get(server.url + "/")[0] == 200
    code, err = server.stop()
    assert code == 0 and "Traceback" not in err
    assert err.strip().splitlines()[-1] == "briefing: stopped"
    with pytest.raises(OSError):
        get(server.url + "/")


def test_the_host_header_must_be_loopback(tmp_path):
    """DNS rebinding: a page elsewhere whose name resolves to 127.0.0.1 gets nothing."""
    server = Served(tmp_path / "home")
    try:
        status, headers, _ = get(server.url + "/", {"Host": "evil.example"})
        assert status == 421 and headers["content-security-policy"] == security.CSP
        assert get(server.url + "/", {"Host": "localhost:1"})[0] == 200
    finally:
        server.stop()


def test_a_token_guards_every_page(tmp_path):
    server = Served(tmp_path / "home", "--token", TOKEN)
    try:
        assert server.address == f"{server.url}/?token={TOKEN}"
        assert get(server.url + "/")[0] == 401
        assert get(server.url + "/?token=wrong-token-of-enough-length")[0] == 401
        status, headers, _ = get(f"{server.url}/search?q=x&token={TOKEN}")
        assert status == 303 and headers["location"] == "/search?q=x"  # the token leaves the address bar
        cookie = headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie
        session = re.match(r"[^;]+", cookie).group(0)
        assert get(server.url + "/", {"Cookie": session})[0] == 200
        assert get(server.url + "/", {"Authorization": f"Bearer {TOKEN}"})[0] == 200
    finally:
        code, err = server.stop()
    assert TOKEN not in err  # the token is printed once on stdout, never logged


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--host", "0.0.0.0"), "is not a loopback address: serving the archive there needs a token"),
        (("--host", "192.0.2.1"), "needs a token"),
        (("--token", "short"), "at least 16 characters"),
        (("--port", "70000"), "less than or equal to 65535"),
    ],
)
def test_unsafe_or_bad_settings_are_refused_before_listening(cli, args, says):
    result = cli("serve", *args)
    assert result.exit_code == 2
    assert says in result.stderr and "Traceback" not in result.stderr


def test_a_port_in_use_is_one_line(tmp_path, cli):
    server = Served(tmp_path / "home")
    try:
        port = server.url.rsplit(":", 1)[1]
        result = cli("serve", "--port", port)
        assert result.exit_code == 1
        assert (
            result.stderr.strip()
            == f"error: cannot listen on 127.0.0.1:{port}: Address already in use (choose another --port)"
        )
    finally:
        server.stop()


def test_judgments_are_followed_across_days_by_their_wording():
    days = [
        [("Talks will resume within weeks.", "likely"), ("Sanctions will tighten.", "unlikely")],
        [("Talks will probably resume within weeks.", "very likely")],
        [
            ("A ceasefire will hold through the winter.", "roughly even chance"),
            ("Sanctions will tighten soon.", "likely"),
        ],
    ]
    series = follow_judgments(days)
    assert [[(p.day, p.likelihood) for p in s.points] for s in series] == [
        [(0, "likely"), (1, "very likely")],
        [(0, "unlikely"), (2, "likely")],
        [(2, "roughly even chance")],
    ]


def test_snippets_split_into_marked_and_plain_text():
    assert split_snippet("…the \x02talks\x03 failed and \x02talks\x03 end") == [
        ("…the ", False), ("talks", True), (" failed and ", False), ("talks", True), (" end", False),
    ]  # fmt: skip
    assert split_snippet("<script>x</script>") == [("<script>x</script>", False)]  # escaped by the template


def test_security_checks():
    assert security.is_loopback("127.0.0.1") and security.is_loopback("::1") and security.is_loopback("localhost")
    assert security.is_loopback("127.4.5.6") and not security.is_loopback("0.0.0.0")
    assert not security.is_loopback("192.168.1.2") and not security.is_loopback("localhost.evil.example")
    assert security.host_of("[::1]:8765") == "::1" and security.host_of("127.0.0.1:80") == "127.0.0.1"
    assert security.origin_allowed(None, "127.0.0.1:8765")
    assert security.origin_allowed("http://127.0.0.1:8765", "127.0.0.1:8765")
    assert not security.origin_allowed("null", "127.0.0.1:8765")
    assert not security.origin_allowed("http://127.0.0.1:9999", "127.0.0.1:8765")
    assert security.bearer("Bearer abc") == "abc" and security.bearer("Basic abc") is None
    assert not security.same(None, "x") and security.same("x", "x")
