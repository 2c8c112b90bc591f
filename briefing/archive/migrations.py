"""The archive's schema, one migration per version, applied forward in order on open. [disk]

Each migration is a list of statements run inside the one transaction that also records its version
in `schema_version`, so a half-applied migration cannot exist: a process killed midway leaves the
previous version, and the next open applies it again. Never edit a released migration; add one.

Version 1: articles, briefings (the saved JSON and its main fields), judgments, risks, stories,
digests and which stories each digest had. Version 2: review outcomes and the full-text index
(FTS5; a briefing's rowid is its id, a digest's the negative of its id), filled from what version 1
holds.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from briefing.errors import ArchiveError

V1 = [
    """CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        hash TEXT NOT NULL UNIQUE,
        source TEXT NOT NULL,
        url TEXT,
        outlet TEXT,
        title TEXT NOT NULL,
        author TEXT,
        published TEXT,
        fetched_at TEXT NOT NULL,
        text TEXT NOT NULL
    )""",
    "CREATE INDEX articles_url ON articles (url)",
    """CREATE TABLE briefings (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        article_id INTEGER NOT NULL REFERENCES articles (id),
        made_on TEXT NOT NULL,
        created_at TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        title TEXT NOT NULL,
        bluf TEXT NOT NULL,
        summary TEXT NOT NULL,
        model TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        prompt TEXT NOT NULL,
        prompt_sha256 TEXT NOT NULL,
        verified INTEGER NOT NULL,
        total INTEGER NOT NULL,
        json TEXT NOT NULL
    )""",
    "CREATE INDEX briefings_article ON briefings (article_id)",
    """CREATE TABLE judgments (
        id INTEGER PRIMARY KEY,
        briefing_id INTEGER NOT NULL REFERENCES briefings (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        statement TEXT NOT NULL,
        likelihood TEXT NOT NULL,
        confidence TEXT NOT NULL,
        timeframe TEXT,
        horizon_days INTEGER NOT NULL,
        due TEXT NOT NULL,
        evidence TEXT NOT NULL,
        UNIQUE (briefing_id, position)
    )""",
    "CREATE INDEX judgments_due ON judgments (due)",
    """CREATE TABLE risks (
        id INTEGER PRIMARY KEY,
        briefing_id INTEGER NOT NULL REFERENCES briefings (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        title TEXT NOT NULL,
        description TEXT NOT NULL,
        likelihood TEXT NOT NULL,
        impact TEXT NOT NULL,
        timeframe TEXT NOT NULL,
        indicators TEXT NOT NULL,
        evidence TEXT NOT NULL,
        UNIQUE (briefing_id, position)
    )""",
    """CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        first_date TEXT NOT NULL,
        last_date TEXT NOT NULL
    )""",
    "CREATE INDEX stories_last_date ON stories (last_date)",
    """CREATE TABLE digests (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        date TEXT NOT NULL,
        created_at TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        headline TEXT NOT NULL,
        bluf TEXT NOT NULL,
        model TEXT NOT NULL,
        prompt TEXT NOT NULL,
        compared_with TEXT NOT NULL,
        json TEXT NOT NULL
    )""",
    "CREATE INDEX digests_title_date ON digests (title, date)",
    """CREATE TABLE digest_stories (
        digest_id INTEGER NOT NULL REFERENCES digests (id) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        story_id TEXT NOT NULL REFERENCES stories (id),
        briefing_id INTEGER NOT NULL REFERENCES briefings (id),
        status TEXT NOT NULL,
        sources TEXT NOT NULL,
        PRIMARY KEY (digest_id, number)
    )""",
    "CREATE INDEX digest_stories_story ON digest_stories (story_id)",
    "CREATE INDEX digest_stories_briefing ON digest_stories (briefing_id)",
]

V2 = [
    """CREATE TABLE outcomes (
        judgment_id INTEGER PRIMARY KEY REFERENCES judgments (id) ON DELETE CASCADE,
        outcome TEXT NOT NULL CHECK (outcome IN ('happened', 'did not happen', 'unclear')),
        note TEXT,
        recorded_at TEXT NOT NULL
    )""",
    """CREATE VIRTUAL TABLE search USING fts5 (
        kind UNINDEXED, title, bluf, judgments, actors, text, tokenize = 'unicode61 remove_diacritics 2'
    )""",
    """INSERT INTO search (rowid, kind, title, bluf, judgments, actors, text)
        SELECT b.id, 'briefing', b.title, b.bluf,
            (SELECT coalesce(group_concat(statement, ' '), '') FROM judgments WHERE briefing_id = b.id),
            (SELECT coalesce(group_concat(json_extract(value, '$.name'), ' '), '')
                FROM json_each(b.json, '$.briefing.key_actors')),
            a.text
        FROM briefings b JOIN articles a ON a.id = b.article_id""",
    """INSERT INTO search (rowid, kind, title, bluf, judgments, actors, text)
        SELECT -d.id, 'digest', d.title || ': ' || d.headline, d.bluf, '', '', '' FROM digests d""",
]

MIGRATIONS: list[list[str]] = [V1, V2]
LATEST = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection, path: object) -> int:
    """Bring the archive to LATEST (each version in its own transaction); returns the version found."""
    conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
    found = current_version(conn)
    if found > LATEST:
        raise ArchiveError(
            f"{path} was made by a newer briefing (archive schema version {found}; this one knows up to {LATEST})",
            hint="upgrade briefing, or run with --no-archive",
        )
    for version in range(found + 1, LATEST + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            if current_version(conn) >= version:  # another process applied it while this one waited
                conn.execute("ROLLBACK")
                continue
            for statement in MIGRATIONS[version - 1]:
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                (version, datetime.now(UTC).isoformat(timespec="seconds")),
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return found


def current_version(conn: sqlite3.Connection) -> int:
    """The highest version applied (0 for a new file)."""
    return conn.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]
