"""The [smtp] and [briefs.NAME] tables of config.toml, checked when the file is read. Pure.

    [smtp]
    host = "smtp.example.org"
    port = 587                        # default: 587 starttls, 465 ssl, 25 none
    security = "starttls"             # starttls (default), ssl, or none (only to this computer)
    user = "briefing@example.org"
    password_env = "BRIEFING_SMTP_PASSWORD"   # the password is read from this variable, never the file
    sender = "Briefing <briefing@example.org>"

    [briefs.morning]
    inputs = ["https://example.org/world.rss", "~/wires/today/"]
    since = "24h"
    limit = 20
    title = "Morning brief"
    formats = ["html", "pdf", "json"]
    output_dir = "~/briefs"
    recipients = ["desk@example.org"]
    webhooks = ["https://hooks.slack.com/services/T000/B000/XXXX"]

SMTP hosts and webhooks are the user's own configuration, so private addresses are allowed for them.
"""

from __future__ import annotations

import difflib
import ipaddress
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from briefing.errors import ConfigError

SECURITY = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
# key -> (type, default); a list type is a list of text.
_SMTP_KEYS: dict[str, tuple[type, object]] = {
    "host": (str, None),
    "port": (int, None),
    "security": (str, "starttls"),
    "user": (str, None),
    "password_env": (str, None),
    "sender": (str, None),
    "timeout": (float, 30.0),
}
_BRIEF_KEYS: dict[str, tuple[type, object]] = {
    "inputs": (list, []),
    "since": (str, None),
    "limit": (int, 20),
    "title": (str, None),
    "prompt": (str, None),
    "template": (str, None),
    "profile": (str, None),
    "formats": (list, ["md"]),
    "output_dir": (str, None),
    "recipients": (list, []),
    "webhooks": (list, []),
    "allow_private": (bool, False),
}


@dataclass(frozen=True)
class SmtpConfig:
    """Where e-mail goes out; the password is looked up in `password_env` when a mail is sent."""

    host: str
    port: int
    security: str = "starttls"
    user: str | None = None
    password_env: str | None = None
    sender: str | None = None
    timeout: float = 30.0


@dataclass(frozen=True)
class BriefConfig:
    """One [briefs.NAME] table: what `briefing run NAME` briefs, how, and where it goes."""

    name: str
    inputs: list[str]
    since: str | None = None
    limit: int = 20
    title: str | None = None
    prompt: str | None = None
    template: str | None = None
    profile: str | None = None
    formats: list[str] = field(default_factory=lambda: ["md"])
    output_dir: str | None = None
    recipients: list[str] = field(default_factory=list)
    webhooks: list[str] = field(default_factory=list)
    allow_private: bool = False


def check_delivery_tables(path: Path, config: dict) -> None:
    """Refuse [smtp] and [briefs.*] tables that cannot mean anything: unknown keys, wrong types, bad values."""
    if "smtp" in config:
        parse_smtp(path, config["smtp"])
    briefs = config.get("briefs", {})
    if not isinstance(briefs, dict):
        raise ConfigError(f"{path}: briefs must be tables, like [briefs.morning]")
    for name, table in briefs.items():
        parse_brief(path, name, table)


def parse_smtp(path: Path, table: object) -> SmtpConfig:
    """The [smtp] table as an SmtpConfig."""
    values = _typed(path, "[smtp]", table, _SMTP_KEYS)
    if not values["host"]:
        raise ConfigError(f"{path}: [smtp] needs host, the mail server to send through")
    if values["security"] not in SECURITY:
        known = ", ".join(SECURITY)
        raise ConfigError(f"{path}: security in [smtp] must be one of {known}, not {values['security']!r}")
    if values["security"] == "none" and values["user"] and not _is_loopback(str(values["host"])):
        raise ConfigError(
            f'{path}: [smtp] security = "none" would send the password in clear to {values["host"]}',
            hint='use security = "starttls" or "ssl" (none is only for a server on this computer)',
        )
    if values["user"] and not values["password_env"]:
        raise ConfigError(
            f"{path}: [smtp] has a user but no password_env",
            hint='name the environment variable that holds the password: password_env = "BRIEFING_SMTP_PASSWORD"',
        )
    if values["port"] is None:
        values["port"] = DEFAULT_PORTS[str(values["security"])]
    if not 0 < int(values["port"]) < 65536 or float(values["timeout"]) <= 0:
        raise ConfigError(f"{path}: port and timeout in [smtp] must be a port number and more than 0 seconds")
    if values["sender"]:
        check_address(str(values["sender"]), f"sender in [smtp] of {path}")
    return SmtpConfig(**values)


def parse_brief(path: Path, name: str, table: object) -> BriefConfig:
    """One [briefs.NAME] table as a BriefConfig."""
    where = f"[briefs.{name}]"
    values = _typed(path, where, table, _BRIEF_KEYS)
    if not values["inputs"]:
        raise ConfigError(f"{path}: {where} needs inputs: feeds, URLs, folders or files to brief")
    if int(values["limit"]) < 1:
        raise ConfigError(f"{path}: limit in {where} must be at least 1")
    for recipient in values["recipients"]:
        check_address(recipient, f"recipients in {where} of {path}")
    for url in values["webhooks"]:
        check_webhook_url(url, f"webhooks in {where} of {path}")
    return BriefConfig(name=name, **values)


def check_address(text: str, where: str) -> str:
    """An e-mail address (optionally 'Name <addr>'); anything else, or a line break, is a ConfigError."""
    _, address = parseaddr(text)
    if "\n" in text or "\r" in text or "@" not in address or " " in address:
        raise ConfigError(f"{where}: {text!r} is not an e-mail address")
    return text


def check_webhook_url(url: str, where: str) -> str:
    """An http(s) URL with a host; the error never shows the URL's path (it may be the secret)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            f"{where}: a webhook must be an http(s) URL", hint="e.g. https://hooks.slack.com/services/..."
        )
    return url


def _typed(path: Path, where: str, table: object, keys: dict[str, tuple[type, object]]) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: {where} must be a table of settings")
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in keys:
            close = difflib.get_close_matches(key, keys, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(keys)}"
            raise ConfigError(f"{path}: unknown setting {key!r} in {where}", hint=hint)
        kind = keys[key][0]
        ok = (all(isinstance(v, str) for v in value) if kind is list and isinstance(value, list) else False) or (
            kind is not list and isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        )
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value, ok = float(value), True
        if not ok:
            shape = 'a list of text, like ["a", "b"]' if kind is list else _KINDS[kind]
            raise ConfigError(f"{path}: {key} in {where} must be {shape}, not {value!r}")
        values[key] = value
    for key, (_, default) in keys.items():
        values.setdefault(key, list(default) if isinstance(default, list) else default)
    return values


_KINDS = {str: "text", int: "a whole number", float: "a number", bool: "true or false"}


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
