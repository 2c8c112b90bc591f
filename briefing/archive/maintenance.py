"""prune() and export(): retention and a way out of the archive. [disk]

prune() removes digests dated before the cutoff and briefings made before it that no remaining
digest shows, then what only they held (articles, stories, search rows); judgments, risks and
outcomes go with their briefing. export() writes every row of every table as JSON lines, the saved
JSON of briefings and digests parsed, so nothing is locked in a database file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, timedelta

from briefing.archive.db import Archive
from briefing.errors import ArchiveError

TABLES = ("articles", "briefings", "judgments", "outcomes", "risks", "stories", "digests", "digest_stories")
_JSON_COLUMNS = {"json", "evidence", "indicators", "sources"}
_AGE = re.compile(r"(\d+)\s*([dwmy])")
_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}


def parse_age(text: str) -> int:
    """'180d', '26w', '6m', '1y' -> days; ArchiveError for anything else."""
    match = _AGE.fullmatch(text.strip().lower())
    if not match or int(match.group(1)) < 1:
        raise ArchiveError(f"{text!r} is not an age", hint="like 180d, 26w, 6m or 1y")
    return int(match.group(1)) * _DAYS[match.group(2)]


def prune(archive: Archive, *, older_than_days: int, today: date | None = None) -> dict[str, int]:
    """Delete what is older than the cutoff; returns {table: rows deleted}."""
    cutoff = ((today or date.today()) - timedelta(days=older_than_days)).isoformat()
    counts: dict[str, int] = {}
    with archive.transaction() as conn:
        old_digests = [r[0] for r in conn.execute("SELECT id FROM digests WHERE date < ?", (cutoff,))]
        conn.executemany("DELETE FROM search WHERE rowid = ?", [(-i,) for i in old_digests])
        counts["digests"] = conn.execute("DELETE FROM digests WHERE date < ?", (cutoff,)).rowcount
        old_briefings = [
            r[0]
            for r in conn.execute(
                "SELECT id FROM briefings WHERE made_on < ? AND id NOT IN (SELECT briefing_id FROM digest_stories)",
                (cutoff,),
            )
        ]
        conn.executemany("DELETE FROM search WHERE rowid = ?", [(i,) for i in old_briefings])
        conn.executemany("DELETE FROM briefings WHERE id = ?", [(i,) for i in old_briefings])
        counts["briefings"] = len(old_briefings)
        counts["articles"] = conn.execute(
            "DELETE FROM articles WHERE id NOT IN (SELECT article_id FROM briefings)"
        ).rowcount
        counts["stories"] = conn.execute(
            "DELETE FROM stories WHERE id NOT IN (SELECT story_id FROM digest_stories)"
        ).rowcount
    return counts


def export(archive: Archive) -> Iterator[str]:
    """Every row of every table as one JSON line: {"table": ..., "schema_version": n, ...columns}."""
    version = archive.conn.execute("SELECT max(version) FROM schema_version").fetchone()[0]
    for table in TABLES:
        for row in archive.conn.execute(f"SELECT * FROM {table} ORDER BY rowid"):
            record: dict[str, object] = {"table": table, "schema_version": version}
            for key in row.keys():
                value = row[key]
                record[key] = json.loads(value) if key in _JSON_COLUMNS and isinstance(value, str) else value
            yield json.dumps(record, ensure_ascii=False)
