"""What the archive browser checks before it answers: loopback, the token, the form token, headers. Pure.

- Bound to loopback (127.0.0.0/8, ::1, localhost) the server answers only requests whose Host is
  a loopback name, so a web page elsewhere cannot reach it through DNS rebinding.
- Bound to any other address it needs a token, and every request must carry it: an
  `Authorization: Bearer` header, the `briefing_token` cookie, or `?token=` once (which sets the
  cookie and redirects to the same page without it, so the token does not stay in the address bar).
- The one form (recording an outcome) carries a CSRF token: random per server process, compared in
  constant time; a POST whose Origin is another site is refused too.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from urllib.parse import urlsplit

TOKEN_ENV = "BRIEFING_SERVE_TOKEN"
TOKEN_COOKIE = "briefing_token"
MIN_TOKEN_LENGTH = 16

# No script at all; styles inline (the handout's CSS); images only as data: URIs (none today).
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    # same-origin: links to sources send no referrer, and the review form keeps its real Origin
    # (under no-referrer a browser sends "Origin: null", which cannot be told from a sandboxed attacker).
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cache-Control": "no-store",
}
_LOOPBACK_NAMES = ("localhost", "localhost.", "ip6-localhost")


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and the name localhost."""
    host = host.strip().strip("[]").lower()
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def host_of(header: str) -> str:
    """The host part of a Host header ('127.0.0.1:8765' -> '127.0.0.1', '[::1]:80' -> '::1')."""
    return urlsplit(f"//{header.strip()}").hostname or ""


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def same(given: str | None, expected: str) -> bool:
    """Constant-time comparison of a presented token with the expected one."""
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def bearer(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer TOKEN` header."""
    if authorization and authorization[:7].lower() == "bearer ":
        return authorization[7:].strip()
    return None


def check_token(token: str | None) -> str | None:
    """Why a --token cannot be used (None if it can)."""
    if token is None:
        return None
    if len(token) < MIN_TOKEN_LENGTH:
        return f"the token must have at least {MIN_TOKEN_LENGTH} characters"
    if not token.isprintable() or any(c.isspace() for c in token):
        return "the token must be printable with no spaces"
    return None


def origin_allowed(origin: str | None, host: str) -> bool:
    """A form POST may come from this server's own pages only (no Origin header: a non-browser client)."""
    if origin is None:
        return True
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and parts.netloc.lower() == host.strip().lower()
