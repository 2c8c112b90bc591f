"""track_stories(): give each story of a digest its id in the archive, the same across days. [disk]

A story that continues one of the previous digest keeps that story's id. Any other is compared, by
the rules of digest/changes.py (shared URL, overlapping text, largely the same names), with the
stories the archive saw: those whose sources share a URL with it, at any age, and every story seen
within the window of days before the digest's date. Matched, it takes that id (a story that returns
after a quiet day); unmatched, it gets a new one from its text.
"""

from __future__ import annotations

import json

from briefing.archive.db import Archive
from briefing.archive.record import new_story_id
from briefing.digest.changes import Trace, build_trace, match_stories, trace_of
from briefing.digest_records import Digest


def track_stories(archive: Archive, digest: Digest, previous: Digest | None, *, window_days: int) -> None:
    """Set `archive_id` on every story of `digest`."""
    ids: dict[int, str] = {}
    if digest.changes is not None and previous is not None:
        before = {s.number: s.archive_id for s in previous.stories}
        for change in digest.changes.stories:
            if before.get(change.previous_story):
                ids[change.story] = str(before[change.previous_story])
    rest = [s for s in digest.stories if s.number not in ids]
    traces = [build_trace(s) for s in rest]
    taken = set(ids.values())
    candidates = [c for c in _candidates(archive, digest.date, traces, window_days) if c[0] not in taken]
    matched = match_stories(traces, [trace for _, trace in candidates])
    for i, story in enumerate(rest):
        ids[story.number] = candidates[matched[i]][0] if i in matched else _fresh(story.result.article.text, ids)
    for story in digest.stories:
        story.archive_id = ids[story.number]


def _fresh(text: str, ids: dict[int, str]) -> str:
    story_id, n = new_story_id(text), 1
    while story_id in ids.values():  # two stories of one text cannot happen after dedupe, but ids must stay unique
        n += 1
        story_id = f"{new_story_id(text)}-{n}"
    return story_id


def _candidates(archive: Archive, day: str, traces: list[Trace], window_days: int) -> list[tuple[str, Trace]]:
    """(story id, trace of its latest appearance up to `day`) for the stories worth comparing."""
    conn = archive.conn
    urls = sorted({u for t in traces for u in t.urls})
    found: list[str] = []
    if urls:
        marks = ", ".join("?" * len(urls))
        found += [
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT ds.story_id FROM digest_stories ds, json_each(ds.sources) j"
                f" WHERE j.value IN ({marks})",
                urls,
            )
        ]
    found += [
        r[0]
        for r in conn.execute(
            "SELECT id FROM stories WHERE last_date <= ? AND last_date >= date(?, ?) ORDER BY last_date DESC, id",
            (day, day, f"-{window_days} days"),
        )
    ]
    out = []
    for story_id in dict.fromkeys(found):
        row = conn.execute(
            "SELECT ds.sources, b.json FROM digest_stories ds JOIN digests d ON d.id = ds.digest_id"
            " JOIN briefings b ON b.id = ds.briefing_id WHERE ds.story_id = ? AND d.date <= ?"
            " ORDER BY d.date DESC, d.recorded_at DESC LIMIT 1",
            (story_id, day),
        ).fetchone()
        if row is None:
            continue
        article = json.loads(row["json"])["article"]
        names = [m["name"] for m in article.get("names", [])]
        out.append((story_id, trace_of(json.loads(row["sources"]), article["text"], names)))
    return out
