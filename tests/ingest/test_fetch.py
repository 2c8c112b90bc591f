"""request_url() against a real web server on 127.0.0.1: address checks, redirects, size and time limits."""

from __future__ import annotations

import time

import pytest

from briefing.errors import FetchError, RefusedAddressError
from briefing.ingest.fetch import FetchPolicy, address_refusal, request_url
from tests.web_server import Page

OPEN = FetchPolicy(allow_private=True)


@pytest.mark.parametrize(
    "address, refusal",
    [
        ("127.0.0.1", "a loopback"),
        ("127.8.9.10", "a loopback"),
        ("::1", "a loopback"),
        ("::ffff:127.0.0.1", "a loopback"),  # IPv4-mapped IPv6 is the IPv4 address
        ("10.1.2.3", "a private"),
        ("172.16.0.1", "a private"),
        ("192.168.1.1", "a private"),
        ("169.254.169.254", "a link-local"),  # the cloud metadata service
        ("fe80::1%eth0", "a link-local"),
        ("fd00::1", "a private"),
        ("100.64.0.1", "a non-public"),  # carrier-grade NAT
        ("0.0.0.0", "a private"),
        ("224.0.0.1", "a multicast"),
        ("240.0.0.1", "a private"),
        ("8.8.8.8", None),
        ("2001:4860:4860::8888", None),
    ],
)
def test_address_policy(address, refusal):
    assert address_refusal(address, FetchPolicy()) == refusal
    assert address_refusal(address, OPEN) is None


def test_loopback_url_is_refused_before_connecting(web):
    web.pages["/a"] = Page("<html><body><p>hello</p></body></html>")
    with pytest.raises(RefusedAddressError, match=r"refused: 127\.0\.0\.1 is a loopback address.*--allow-private"):
        request_url(web.url("/a"))
    assert web.requests == []


def test_localhost_name_is_resolved_and_refused(web):
    with pytest.raises(RefusedAddressError, match="localhost is a loopback address"):
        request_url(web.url("/a").replace("127.0.0.1", "localhost"))
    assert web.requests == []


def test_allow_private_fetches_and_keeps_host_header(web):
    web.pages["/a"] = Page("<html><body><p>hello</p></body></html>")
    page = request_url(web.url("/a").replace("127.0.0.1", "localhost"), OPEN)
    assert page.data.startswith(b"<html>") and page.content_type == "text/html"
    path, headers = web.requests[0]
    assert headers["host"].startswith("localhost:")  # connected by address, but asked for the name
    assert headers["user-agent"].startswith("briefing/")


def test_every_redirect_hop_is_checked_again(web):
    # 127.0.0.1 is trusted for this test, 127.0.0.2 is not: the hop to it must be refused.
    web.pages["/start"] = Page(status=302, headers={"Location": web.url("/next").replace("127.0.0.1", "127.0.0.2")})
    trusted = FetchPolicy(trusted=("127.0.0.1/32",))
    with pytest.raises(RefusedAddressError, match=r"redirected to http://127\.0\.0\.2.*loopback"):
        request_url(web.url("/start"), trusted)
    assert [p for p, _ in web.requests] == ["/start"]


def test_redirects_are_followed_and_limited(web):
    web.pages["/old"] = Page(status=301, headers={"Location": "/new"})
    web.pages["/new"] = Page("moved here", "text/plain")
    page = request_url(web.url("/old"), OPEN)
    assert page.final_url == web.url("/new") and page.data == b"moved here"
    web.pages["/loop"] = Page(status=302, headers={"Location": "/loop"})
    with pytest.raises(FetchError, match="more than 5 redirects"):
        request_url(web.url("/loop"), OPEN)


@pytest.mark.parametrize("location", ["file:///etc/passwd", "ftp://example.org/x", "gopher://x/"])
def test_redirect_to_another_scheme_is_refused(web, location):
    web.pages["/r"] = Page(status=302, headers={"Location": location})
    with pytest.raises(FetchError, match="only http and https"):
        request_url(web.url("/r"), OPEN)


def test_size_limit(web):
    web.pages["/big"] = Page(b"x" * 5000, "text/plain")
    with pytest.raises(FetchError, match="larger than"):
        request_url(web.url("/big"), FetchPolicy(allow_private=True, max_bytes=1000))


def test_size_limit_holds_without_content_length(web):
    web.pages["/chunked"] = Page(b"y" * 5000, "text/plain", headers={"X-Test": "1"})
    policy = FetchPolicy(allow_private=True, max_bytes=4999)
    with pytest.raises(FetchError, match="larger than"):
        request_url(web.url("/chunked"), policy)


def test_a_dripping_server_meets_the_deadline(web):
    web.pages["/slow"] = Page(b"z" * 64 * 40, "text/plain", drip=0.05)  # 2 s in all, each read quick
    with pytest.raises(FetchError, match="took longer than 0.5 s"):
        request_url(web.url("/slow"), FetchPolicy(allow_private=True, deadline=0.5))


def test_http_errors_and_unreachable_hosts_are_one_line(web):
    with pytest.raises(FetchError, match="HTTP 404"):
        request_url(web.url("/missing"), OPEN)
    with pytest.raises(FetchError, match="cannot connect"):
        request_url("http://127.0.0.1:9/x", OPEN)
    with pytest.raises(FetchError, match="cannot resolve"):
        request_url("http://no-such-host.invalid/x", OPEN)


def test_one_deadline_covers_dripping_headers(web):
    # Issue 14, item 3: headers dripped one byte at a time held a fetch for 156 s before the 30 s
    # deadline was noticed (it was only checked between body chunks).
    web.pages["/drip-head"] = Page(b"ok", "text/plain", header_drip=0.05, headers={"X-Pad": "p" * 200})
    started = time.monotonic()
    with pytest.raises(FetchError, match="took longer than 0.5 s"):
        request_url(web.url("/drip-head"), FetchPolicy(allow_private=True, deadline=0.5))
    assert time.monotonic() - started < 1.5


def test_the_size_limit_is_on_decoded_bytes(web):
    import gzip

    bomb = gzip.compress(b"a" * 50_000_000, 9)  # about 50 kB on the wire
    web.pages["/bomb"] = Page(bomb, "text/plain", headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchError, match="larger than 5 MB"):
        request_url(web.url("/bomb"), FetchPolicy(allow_private=True))
    web.pages["/small"] = Page(gzip.compress(b"hello " * 100), "text/plain", headers={"Content-Encoding": "gzip"})
    assert request_url(web.url("/small"), FetchPolicy(allow_private=True)).data == b"hello " * 100
