"""request_url(): fetch a web page or feed within time and size limits, refusing private addresses. [net]

A digest fetches URLs handed to it by feeds and lists, so every URL is untrusted: it could point at
a cloud metadata service (169.254.169.254), a router's admin page or a service on localhost. Before
each connection the host is resolved and *every* address is checked; the connection then goes to
one of the checked addresses (the Host header and TLS name stay the real host's), so a DNS answer
that changes between check and connect cannot slip through. Each redirect hop is checked again.
`--allow-private` lifts the address check, nothing else. One deadline bounds the whole fetch,
connect, headers and body of every hop (exchange.BoundedTransport), and the decoded body is capped.

Environment proxies are ignored: a proxy would resolve the host itself and defeat the check.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

import httpx2

from briefing import __version__
from briefing.errors import FetchError, RefusedAddressError
from briefing.exchange import BoundedTransport
from briefing.redact import public_url

MAX_BYTES = 5_000_000
TIMEOUT = 15.0  # seconds for the connection and for each read
DEADLINE = 30.0  # seconds for the whole fetch (connect, headers and body), redirects included
MAX_REDIRECTS = 5
USER_AGENT = f"briefing/{__version__} (news digest; +https://pypi.org/project/briefing/)"
_ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5"
)
_REDIRECTS = (301, 302, 303, 307, 308)


@dataclass(frozen=True)
class FetchPolicy:
    """How far a fetch may go: addresses, time and size."""

    allow_private: bool = False
    timeout: float = TIMEOUT
    deadline: float = DEADLINE
    max_bytes: int = MAX_BYTES
    trusted: tuple[str, ...] = ()  # networks allowed even without allow_private (tests use this)


@dataclass(frozen=True)
class Page:
    """What a URL returned."""

    url: str
    final_url: str
    content_type: str
    data: bytes


def request_url(url: str, policy: FetchPolicy = FetchPolicy()) -> Page:
    """GET `url`, following at most MAX_REDIRECTS redirects, each hop's addresses checked first."""
    started = time.monotonic()
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        host, port = _split(current)
        addresses = resolve_host(host, port, current)
        for address in addresses:
            reason = address_refusal(address, policy)
            if reason:
                hop = "" if current == url else f" (redirected to {public_url(current)})"
                which = "" if address == host.strip("[]") else f" ({address})"
                raise RefusedAddressError(
                    f"{public_url(url)}{hop}: refused: {host} is {reason} address{which}",
                    hint="pass --allow-private to fetch from private networks and this computer",
                )
        status, location, content_type, data = _get(current, host, addresses, policy, started)
        if status in _REDIRECTS:
            if not location:
                raise FetchError(f"{public_url(url)}: HTTP {status} redirect without a Location")
            current = urljoin(current, location)
            continue
        if status >= 400:
            raise FetchError(f"{public_url(url)}: HTTP {status}")
        return Page(url=url, final_url=current, content_type=content_type, data=data)
    raise FetchError(f"{public_url(url)}: more than {MAX_REDIRECTS} redirects")


def resolve_host(host: str, port: int, url: str = "") -> list[str]:
    """Every address `host` resolves to, IPv4 and IPv6, in the resolver's order."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"{public_url(url) or host}: cannot resolve {host}: {exc}") from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def address_refusal(address: str, policy: FetchPolicy) -> str | None:
    """Why `address` may not be fetched from ('a loopback', 'a private'...), or None when it may."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    if policy.allow_private or any(ip in ipaddress.ip_network(n) for n in policy.trusted):
        return None
    for flag, what in (
        ("is_loopback", "a loopback"),
        ("is_link_local", "a link-local"),
        ("is_private", "a private"),
        ("is_multicast", "a multicast"),
        ("is_unspecified", "an unspecified"),
        ("is_reserved", "a reserved"),
    ):
        if getattr(ip, flag):
            return what
    return None if ip.is_global else "a non-public"


def _split(url: str) -> tuple[str, int]:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise FetchError(f"{public_url(url)}: not a valid URL") from None
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"{public_url(url)}: only http and https URLs are fetched, not {parts.scheme or 'no scheme'}")
    if not parts.hostname:
        raise FetchError(f"{public_url(url)}: the URL has no host")
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


def _get(url: str, host: str, addresses: list[str], policy: FetchPolicy, started: float):
    """One GET pinned to the first checked address that accepts a connection.

    The transport bounds the whole fetch: connect, headers and body end at the deadline (a server
    dripping its headers cannot hold a worker), and the body, decoded, at `max_bytes`."""
    target = httpx2.URL(url)
    headers = {"User-Agent": USER_AGENT, "Accept": _ACCEPT, "Host": target.netloc.decode("ascii")}
    ends_at = started + policy.deadline
    transport = BoundedTransport(
        policy.timeout,
        ends_at=ends_at,
        max_bytes=policy.max_bytes,
        refuse=lambda message: FetchError(f"{public_url(url)}: {message}"),
        verify=_ssl_context(),
    )
    last: Exception | None = None
    # A fresh client per hop: a pooled TLS connection must never serve another host name.
    with httpx2.Client(
        transport=transport, timeout=httpx2.Timeout(policy.timeout), follow_redirects=False, trust_env=False
    ) as client:
        for address in addresses:
            try:
                return _stream(client, target.copy_with(host=address), headers, host)
            except httpx2.ConnectError as exc:
                last = exc  # try the host's next checked address
            except httpx2.TimeoutException:
                if time.monotonic() >= ends_at - 0.05:
                    raise FetchError(f"{public_url(url)}: took longer than {policy.deadline:g} s") from None
                raise FetchError(f"{public_url(url)}: no answer within {policy.timeout:g} s") from None
            except httpx2.HTTPError as exc:
                raise FetchError(f"{public_url(url)}: {_first_line(exc)}") from None
    raise FetchError(f"{public_url(url)}: cannot connect: {_first_line(last)}")


def _stream(client: httpx2.Client, pinned: httpx2.URL, headers: dict, host: str):
    with client.stream("GET", pinned, headers=headers, extensions={"sni_hostname": host}) as response:
        status = response.status_code
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if status in _REDIRECTS or status >= 400:
            return status, response.headers.get("location"), content_type, b""
        return status, None, content_type, response.read()


@lru_cache(maxsize=1)
def _ssl_context():
    # Building one loads the CA bundle (tens of ms); a single shared context serves every fetch.
    return httpx2.create_ssl_context()


def _first_line(exc: object) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__
