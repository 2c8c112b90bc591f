"""Reading the archive: recent items, full-text search, an item by its ref, the previous digest. [disk]

Items are named by refs: `b12` a briefing, `d3` a digest, `j7` a judgment, `s...` a story; the
CLI also takes them as `archive:d3` (what a digest's `compared_with` says).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from briefing.archive.db import Archive
from briefing.digest_records import Digest
from briefing.errors import ArchiveError, ArchiveQueryError
from briefing.records import BriefingResult

# Ranking weights per column of the index: kind, title, bluf, judgments, actors, article text.
_WEIGHTS = "0.0, 10.0, 5.0, 3.0, 3.0, 1.0"
_REF = re.compile(r"(?:archive:)?([bdj])(\d+)")


@dataclass(frozen=True)
class Item:
    """One archived briefing or digest, as `history` lists it."""

    ref: str
    kind: str
    date: str
    title: str
    detail: str
    snippet: str = ""


def parse_ref(ref: str, kinds: str = "bd") -> tuple[str, int]:
    """'b12', 'archive:d3' -> ('b', 12); ArchiveError for anything else."""
    match = _REF.fullmatch(ref.strip())
    if not match or match.group(1) not in kinds:
        names = {"b": "b12 (a briefing)", "d": "d3 (a digest)", "j": "j7 (a judgment)"}
        raise ArchiveError(
            f"{ref!r} is not an archive ref",
            hint="like " + " or ".join(names[k] for k in kinds) + "; see `briefing history`",
        )
    return match.group(1), int(match.group(2))


def load_item(archive: Archive, ref: str) -> BriefingResult | Digest:
    """The saved briefing or digest behind a ref, exactly as it was recorded."""
    kind, number = parse_ref(ref)
    table = "briefings" if kind == "b" else "digests"
    row = archive.conn.execute(f"SELECT json FROM {table} WHERE id = ?", (number,)).fetchone()
    if row is None:
        raise ArchiveError(f"no {'briefing' if kind == 'b' else 'digest'} {kind}{number} in {archive.path}")
    model = BriefingResult if kind == "b" else Digest
    return model.model_validate_json(row["json"])


def latest_digest(archive: Archive, title: str, *, before: str) -> tuple[str, Digest] | None:
    """The latest digest of `title` dated before `before` (YYYY-MM-DD), with its ref; None if there is none."""
    row = archive.conn.execute(
        "SELECT id, json FROM digests WHERE title = ? AND date < ? ORDER BY date DESC, recorded_at DESC LIMIT 1",
        (title, before),
    ).fetchone()
    return None if row is None else (f"d{row['id']}", Digest.model_validate_json(row["json"]))


def recent(archive: Archive, *, limit: int, kind: str | None = None) -> list[Item]:
    """The latest briefings and digests recorded, newest first (or only one `kind`: briefing, digest, story)."""
    rows = []
    if kind in (None, "digest"):
        rows += archive.conn.execute(
            "SELECT 'd' || d.id AS ref, 'digest' AS kind, d.date AS date, d.title || ': ' || d.headline AS title,"
            " (SELECT count(*) FROM digest_stories WHERE digest_id = d.id) || ' stories, ' || d.model AS detail,"
            " d.recorded_at AS at FROM digests d ORDER BY d.recorded_at DESC, d.id DESC LIMIT ?",
            (limit,),
        ).fetchall()
    if kind in (None, "briefing"):
        rows += archive.conn.execute(
            "SELECT 'b' || id AS ref, 'briefing' AS kind, made_on AS date, title, verified || ' of ' || total ||"
            " ' verified, ' || model AS detail, recorded_at AS at FROM briefings ORDER BY recorded_at DESC, id DESC"
            " LIMIT ?",
            (limit,),
        ).fetchall()
    if kind == "story":
        rows += archive.conn.execute(
            "SELECT s.id AS ref, 'story' AS kind, s.last_date AS date, s.title, 'since ' || s.first_date || ', ' ||"
            " (SELECT count(DISTINCT d.date) FROM digest_stories ds JOIN digests d ON d.id = ds.digest_id"
            " WHERE ds.story_id = s.id) || ' day(s)' AS detail, s.last_date AS at FROM stories s"
            " ORDER BY s.last_date DESC, s.id LIMIT ?",
            (limit,),
        ).fetchall()
    rows.sort(key=lambda r: (r["at"], r["ref"]), reverse=True)
    return [Item(r["ref"], r["kind"], r["date"], r["title"], r["detail"]) for r in rows[:limit]]


def search(
    archive: Archive, query: str, *, limit: int, offset: int = 0, marks: tuple[str, str] = ("**", "**")
) -> list[Item]:
    """Briefings and digests matching an FTS5 query, best first, each with a snippet of where it matched
    (the matched words between `marks`); `offset` skips that many results, for paging."""
    try:
        rows = archive.conn.execute(
            "SELECT rowid, kind, snippet(search, -1, ?, ?, '…', 14) AS snippet,"
            f" bm25(search, {_WEIGHTS}) AS score FROM search WHERE search MATCH ? ORDER BY score LIMIT ? OFFSET ?",
            (*marks, query, limit, offset),
        ).fetchall()
    except sqlite3.OperationalError as exc:
        raise ArchiveQueryError(
            f"{query!r} is not a valid search query ({exc})",
            hint='put phrases in double quotes: "talks collapsed"; AND, OR, NOT and NEAR are operators',
        ) from None
    items = []
    for r in rows:
        if r["rowid"] > 0:
            meta = archive.conn.execute(
                "SELECT made_on AS date, title, model FROM briefings WHERE id = ?", (r["rowid"],)
            ).fetchone()
            ref = f"b{r['rowid']}"
        else:
            meta = archive.conn.execute(
                "SELECT date, title || ': ' || headline AS title, model FROM digests WHERE id = ?", (-r["rowid"],)
            ).fetchone()
            ref = f"d{-r['rowid']}"
        if meta is not None:
            snippet = " ".join(r["snippet"].split())
            items.append(Item(ref, r["kind"], meta["date"], meta["title"], f"score {-r['score']:.3g}", snippet))
    return items
