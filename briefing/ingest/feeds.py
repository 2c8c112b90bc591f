"""build_feed(): RSS or Atom bytes -> the feed's entries; select_entries() applies --since and --limit. Pure.

feedparser reads every dialect of RSS (0.9x, 1.0, 2.0) and Atom, tolerates the malformed feeds the
web is full of, resolves relative links against the feed's address and sanitises embedded HTML.
It is always handed bytes in a stream: given a string, feedparser would fetch URLs or open files.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from briefing.errors import InputError

_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+xml")
_FEED_ROOT = re.compile(rb"<(rss|feed|rdf:RDF)\b", re.I)
_SINCE = re.compile(r"^\s*(\d+)\s*(m|min|h|d|w)\s*$", re.I)
_UNITS = {"m": "minutes", "min": "minutes", "h": "hours", "d": "days", "w": "weeks"}


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed: the page it links to and what the feed says about it."""

    link: str | None
    title: str
    published: datetime | None
    content: str  # the entry's own text (HTML), used when it links nowhere


@dataclass(frozen=True)
class Feed:
    title: str
    entries: list[FeedEntry]


def looks_like_feed(data: bytes, content_type: str = "") -> bool:
    """True for RSS/Atom: by media type, or an XML document whose root is a feed."""
    if content_type in _FEED_TYPES:
        return True
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    return (
        head.startswith(b"<")
        and not head[:200].lower().startswith((b"<!doctype html", b"<html"))
        and bool(_FEED_ROOT.search(head))
    )


def build_feed(data: bytes, *, source: str, base_url: str | None = None) -> Feed:
    """Parse a feed; a document with no entries and a parse error is not a feed."""
    import feedparser

    headers = {"content-location": base_url} if base_url else {}
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    # The tolerant parser turns a truncated <item> into an empty entry: only real entries count.
    real = [e for e in parsed.entries if e.get("link") or e.get("title") or e.get("content") or e.get("summary")]
    if not real and parsed.bozo:
        raise InputError(f"{source}: not a readable RSS or Atom feed ({_first_line(parsed.bozo_exception)})")
    entries = []
    for e in real:
        stamp = e.get("published_parsed") or e.get("updated_parsed")
        content = e.get("content") or []
        entries.append(
            FeedEntry(
                link=e.get("link") or None,
                title=" ".join(str(e.get("title") or "").split()) or "Untitled entry",
                published=datetime(*stamp[:6], tzinfo=UTC) if stamp else None,  # type: ignore[misc]
                content=(content[0].get("value") if content else None) or e.get("summary") or "",
            )
        )
    title = " ".join(str(parsed.feed.get("title") or "").split())
    return Feed(title=title or source, entries=entries)


def select_entries(
    entries: list[FeedEntry], *, since: datetime | None = None, limit: int | None = None
) -> list[FeedEntry]:
    """The newest `limit` entries published at or after `since`; undated entries count as new."""
    kept = [e for e in entries if since is None or e.published is None or e.published >= since]
    # Newest first; undated entries keep their place in the feed's own order after the dated ones.
    kept.sort(key=lambda e: e.published.timestamp() if e.published else float("-inf"), reverse=True)
    return kept[:limit] if limit is not None else kept


def parse_since(text: str, *, now: datetime | None = None) -> datetime:
    """'24h', '2d', '90m', '1w', a date (2026-03-04) or a date-time -> an aware UTC datetime."""
    now = now or datetime.now(UTC)
    m = _SINCE.match(text)
    if m:
        return now - timedelta(**{_UNITS[m.group(2).lower()]: int(m.group(1))})
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        try:
            day = date.fromisoformat(text.strip())
        except ValueError:
            raise InputError(
                f"--since {text!r} is neither a duration (24h, 2d, 90m, 1w) nor a date (2026-03-04)"
            ) from None
        when = datetime(day.year, day.month, day.day)
    if when.tzinfo is None:
        when = when.astimezone()  # a bare date or time means local time, like the user's clock
    return when.astimezone(UTC)


def _first_line(exc: object) -> str:
    return " ".join(str(exc).split())[:160]
