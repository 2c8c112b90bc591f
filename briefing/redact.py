"""redact_url() and redact_text(): secrets out of everything shown, logged or saved. Pure.

Every log line and error line passes through redact_text (cli/common.py); URLs are stored and shown
through redact_url.
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
