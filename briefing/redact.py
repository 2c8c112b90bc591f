"""public_url(), redact_url() and redact_text(): secrets out of everything shown, logged or saved. Pure.

Every log line and error line passes through redact_text (cli/common.py). An input URL (an article,
a feed, a feed's entry) is stored and shown as public_url(): the article's source, its url, progress
and `failed:` lines, every output and the cache see it without user:password and with secret query
values masked, while the fetch alone uses the URL as given, sending the credentials to that host
only. Endpoint URLs are shown through redact_url (no query at all).
"""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit, urlunsplit


def redact_url(url: str) -> str:
    """Drop user:password and the query string from a URL before it is shown or saved."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "<invalid URL>"
    host = parts.hostname or ""
    if port:
        host = f"{host}:{port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def public_url(url: str) -> str:
    """`url` as it may be shown and saved: no user:password, secret-looking query values masked, the
    rest (path, other query parameters, fragment) kept, so the source still names the page."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "<invalid URL>"
    if not parts.scheme or not parts.netloc:
        return url
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"  # IPv6
    if port:
        host = f"{host}:{port}"
    query = _URL_QUERY_SECRET.sub(r"\1***", f"?{parts.query}")[1:] if parts.query else ""
    return urlunsplit((parts.scheme, host, parts.path, query, parts.fragment))


_URL_PASSWORD = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^/\s:@]*):[^/\s@]*@")
_URL_QUERY_SECRET = re.compile(
    r"(?i)([?&](?:api[-_]?key|key|token|access[-_]?token|secret|password|sig|signature)=)[^&#\s\"']+"
)
_BEARER = re.compile(r"(?i)\b(bearer\s+)[A-Za-z0-9._~+/=-]{8,}")


_REGISTERED: set[str] = set()


def add_secret(secret: str) -> None:
    """Redact `secret` (an SMTP password, a webhook's path) from every later log line and error."""
    if secret and len(secret) >= 6:
        _REGISTERED.add(secret)


def redact_text(text: str, secrets: tuple[str | None, ...] = ()) -> str:
    """`text` without secrets: the API key of the environment, those registered with add_secret and any
    in `secrets`, passwords in URLs, secret-looking query parameters and bearer tokens. For log lines
    and error messages."""
    # Longest first: a secret that contains another is replaced whole.
    known = [s for s in {*secrets, *_REGISTERED, os.environ.get("OPENAI_API_KEY")} if s and len(s) >= 6]
    for secret in sorted(known, key=len, reverse=True):
        if secret:
            text = text.replace(secret, "***")
    text = _URL_PASSWORD.sub(r"\1:***@", text)
    text = _URL_QUERY_SECRET.sub(r"\1***", text)
    return _BEARER.sub(r"\1***", text)
