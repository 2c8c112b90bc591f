"""record_briefing() and record_digest(): results into the archive, one transaction each. [disk]

A briefing is keyed by what it says and who said it (the article's text, the briefing, the model
and the prompt), so recording it again (a rerun served from the cache, the same article in
tomorrow's digest) finds the row it already has: a killed run's rerun records only what is missing,
once. A digest is keyed the same way (title, date, cover, and the briefings of its stories): a rerun
that makes the same digest records nothing new, and two different digests of one day both stay
(the latest is the one the next day compares with).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import UTC, date, datetime

from briefing.archive.db import Archive
from briefing.archive.horizon import horizon_days
from briefing.digest.dedupe import normalise_words, text_id
from briefing.digest_records import Digest
from briefing.records import Article, BriefingResult


def record_briefing(archive: Archive, result: BriefingResult, *, made_on: str) -> int:
    """Record one briefing (if new) as of the day `made_on` (YYYY-MM-DD); returns its id."""
    with archive.transaction() as conn:
        return insert_briefing(conn, result, made_on=made_on)


def record_digest(archive: Archive, digest: Digest) -> int:
    """Record a digest (if new) with its stories and their briefings; returns its id."""
    now = _now()
    key = digest_key(digest)
    with archive.transaction() as conn:
        old = conn.execute("SELECT id FROM digests WHERE key = ?", (key,)).fetchone()
        if old is not None:
            return old["id"]
        digest_id = conn.execute(
            "INSERT INTO digests (key, title, date, created_at, recorded_at, headline, bluf, model, prompt,"
            " compared_with, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                key,
                digest.title,
                digest.date,
                digest.created_at,
                now,
                digest.cover.headline,
                digest.cover.bluf,
                digest.model.name,
                digest.prompt.name,
                digest.changes.compared_with if digest.changes else "",
                digest.model_dump_json(),
            ),
        ).lastrowid
        assert digest_id is not None
        changes = digest.changes
        for story in digest.stories:
            briefing_id = insert_briefing(conn, story.result, made_on=digest.date)
            story_id = story.archive_id or new_story_id(story.result.article.text)
            conn.execute(
                "INSERT INTO stories (id, title, first_date, last_date) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE"
                " SET title = CASE WHEN excluded.last_date >= last_date THEN excluded.title ELSE title END,"
                " first_date = min(first_date, excluded.first_date), last_date = max(last_date, excluded.last_date)",
                (story_id, story.result.briefing.title, digest.date, digest.date),
            )
            status = "" if changes is None else "continuing" if story.number in changes.continuing else "new"
            conn.execute(
                "INSERT INTO digest_stories (digest_id, number, story_id, briefing_id, status, sources)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (digest_id, story.number, story_id, briefing_id, status, json.dumps([s.source for s in story.sources])),
            )
        conn.execute(
            "INSERT INTO search (rowid, kind, title, bluf, judgments, actors, text)"
            " VALUES (?, 'digest', ?, ?, '', '', '')",
            (-digest_id, f"{digest.title}: {digest.cover.headline}", digest.cover.bluf),
        )
        return digest_id


def new_story_id(text: str) -> str:
    """The id a story gets on its first day: from its text, so two runs that meet it at once agree."""
    return "s" + text_id(text)[:10]


def briefing_key(result: BriefingResult) -> str:
    """What makes a briefing the same one: its article's text, what it says, the model and the prompt."""
    material = {
        "article": article_hash(result.article.text),
        "briefing": result.briefing.model_dump(mode="json"),
        "model": result.model.name,
        "prompt": result.prompt.sha256 or result.prompt.name,
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def digest_key(digest: Digest) -> str:
    """What makes a digest the same one: its title, date, cover, and each story's briefing and id."""
    material = {
        "title": digest.title,
        "date": digest.date,
        "cover": digest.cover.model_dump(mode="json"),
        "stories": [(s.number, s.archive_id, briefing_key(s.result)) for s in digest.stories],
        "failures": [f.source for f in digest.failures],
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def article_hash(text: str) -> str:
    """SHA-256 of the article's words: spacing and punctuation changes are the same article."""
    return hashlib.sha256(" ".join(normalise_words(text)).encode()).hexdigest()


def insert_briefing(conn: sqlite3.Connection, result: BriefingResult, *, made_on: str) -> int:
    """Insert a briefing, its article, judgments, risks and search row, unless it is there; returns its id."""
    key = briefing_key(result)
    row = conn.execute("SELECT id FROM briefings WHERE key = ?", (key,)).fetchone()
    if row is not None:
        return row["id"]
    b = result.briefing
    briefing_id = conn.execute(
        "INSERT INTO briefings (key, article_id, made_on, created_at, recorded_at, title, bluf, summary, model,"
        " endpoint, prompt, prompt_sha256, verified, total, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            key,
            _article_id(conn, result.article),
            made_on,
            result.created_at,
            _now(),
            b.title,
            b.bluf,
            b.summary,
            result.model.name,
            result.model.endpoint,
            result.prompt.name,
            result.prompt.sha256,
            result.grounding.verified,
            result.grounding.total,
            result.model_dump_json(),
        ),
    ).lastrowid
    assert briefing_id is not None
    day = date.fromisoformat(made_on)
    for position, j in enumerate(b.key_judgments, 1):
        days = horizon_days(j.timeframe, day)
        conn.execute(
            "INSERT INTO judgments (briefing_id, position, statement, likelihood, confidence, timeframe,"
            " horizon_days, due, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, date(?, ?), ?)",
            (briefing_id, position, j.statement, j.likelihood, j.confidence, j.timeframe, days, made_on,
             f"+{days} days", json.dumps(j.evidence)),
        )  # fmt: skip
    for position, r in enumerate(b.risks, 1):
        conn.execute(
            "INSERT INTO risks (briefing_id, position, title, description, likelihood, impact, timeframe,"
            " indicators, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (briefing_id, position, r.title, r.description, r.likelihood, r.impact, r.timeframe,
             json.dumps(r.indicators), json.dumps(r.evidence)),
        )  # fmt: skip
    conn.execute(
        "INSERT INTO search (rowid, kind, title, bluf, judgments, actors, text) VALUES (?, 'briefing', ?, ?, ?, ?, ?)",
        (
            briefing_id,
            b.title,
            b.bluf,
            " ".join(j.statement for j in b.key_judgments),
            " ".join(a.name for a in b.key_actors),
            result.article.text,
        ),
    )
    return briefing_id


def _article_id(conn: sqlite3.Connection, article: Article) -> int:
    digest = article_hash(article.text)
    row = conn.execute("SELECT id FROM articles WHERE hash = ?", (digest,)).fetchone()
    if row is not None:
        return row["id"]
    url = article.source if article.source.startswith(("http://", "https://")) else None
    article_id = conn.execute(
        "INSERT INTO articles (hash, source, url, outlet, title, author, published, fetched_at, text)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (digest, article.source, url, article.outlet, article.title, article.author, article.published, _now(),
         article.text),
    ).lastrowid  # fmt: skip
    assert article_id is not None
    return article_id


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
