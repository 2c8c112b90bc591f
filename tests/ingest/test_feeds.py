"""build_feed(), select_entries() and parse_since(): RSS and Atom, --since and --limit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from briefing.errors import InputError
from briefing.ingest.feeds import FeedEntry, build_feed, parse_since, select_entries

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>World Desk</title><link>https://news.example/</link>
<item><title>Older story</title><link>/2026/03/01/older</link><pubDate>Sun, 01 Mar 2026 08:00:00 GMT</pubDate></item>
<item><title>Newest story</title><link>https://news.example/2026/03/04/newest</link><pubDate>Wed, 04 Mar 2026 06:00:00 +0000</pubDate></item>
<item><title>No date</title><link>https://news.example/undated</link></item>
<item><title>Inline only</title><content:encoded><![CDATA[<p>Full text in the feed.</p>]]></content:encoded></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Desk</title>
<entry><title>Atom one</title><link href="https://atom.example/one"/><updated>2026-03-03T10:00:00Z</updated></entry>
</feed>"""

NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)


def test_rss_entries_with_links_resolved_against_the_feed():
    feed = build_feed(RSS, source="feed", base_url="https://news.example/feed.xml")
    assert feed.title == "World Desk"
    assert [e.title for e in feed.entries] == ["Older story", "Newest story", "No date", "Inline only"]
    assert feed.entries[0].link == "https://news.example/2026/03/01/older"
    assert feed.entries[1].published == datetime(2026, 3, 4, 6, 0, tzinfo=UTC)
    assert feed.entries[2].published is None
    assert feed.entries[3].link is None and "Full text in the feed" in feed.entries[3].content


def test_atom():
    feed = build_feed(ATOM, source="atom")
    assert feed.title == "Atom Desk"
    assert feed.entries[0].link == "https://atom.example/one"
    assert feed.entries[0].published == datetime(2026, 3, 3, 10, 0, tzinfo=UTC)


def test_not_a_feed():
    with pytest.raises(InputError, match="not a readable RSS or Atom feed"):
        build_feed(b"<rss><channel><item>", source="broken")


def _entry(title, hours_ago):
    return FeedEntry(
        link=f"https://x/{title}",
        title=title,
        content="",
        published=None if hours_ago is None else NOW - timedelta(hours=hours_ago),
    )


@pytest.mark.parametrize(
    "since_hours, limit, expected",
    [
        (None, None, ["new", "mid", "old", "undated"]),
        (None, 2, ["new", "mid"]),
        (24, None, ["new", "mid", "undated"]),
        (5, 1, ["new"]),
    ],
)
def test_select_entries_newest_first(since_hours, limit, expected):
    entries = [_entry("old", 48), _entry("undated", None), _entry("new", 1), _entry("mid", 10)]
    since = NOW - timedelta(hours=since_hours) if since_hours else None
    assert [e.title for e in select_entries(entries, since=since, limit=limit)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("24h", NOW - timedelta(hours=24)),
        ("2d", NOW - timedelta(days=2)),
        ("90m", NOW - timedelta(minutes=90)),
        ("1w", NOW - timedelta(weeks=1)),
        (" 3 H ", NOW - timedelta(hours=3)),
        ("2026-03-01T00:00:00+00:00", datetime(2026, 3, 1, tzinfo=UTC)),
        ("2026-03-01T06:00:00+02:00", datetime(2026, 3, 1, 4, tzinfo=UTC)),
    ],
)
def test_parse_since(text, expected):
    assert parse_since(text, now=NOW) == expected


def test_parse_since_bare_date_is_local_midnight():
    local = parse_since("2026-03-01", now=NOW).astimezone()
    assert (local.year, local.month, local.day, local.hour) == (2026, 3, 1, 0)


@pytest.mark.parametrize("text", ["yesterday", "24", "h", "2026-13-01", "-1d"])
def test_parse_since_rejects_with_a_clear_message(text):
    with pytest.raises(InputError, match="neither a duration"):
        parse_since(text, now=NOW)
