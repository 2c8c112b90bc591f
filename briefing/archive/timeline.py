"""build_timeline() and render_timeline(): one story's days in the archive (`briefing history story ID`). [disk]

Each day the story ran (in the latest digest of each title that day): the digest, the story's bottom
line and judgments, and what had moved since the day before (the digest's own `changes`, as it was
recorded). Rendered as md or html by the templates timeline.md.j2 / timeline.html.j2 (sandboxed, on
the usual search path), or as json.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from briefing.archive.db import Archive
from briefing.change_records import RiskChange, StoryChange
from briefing.digest_records import Digest
from briefing.errors import ArchiveError
from briefing.output.environment import make_output_environment
from briefing.output.templating import render_template
from briefing.records import KeyJudgment
from briefing.settings import builtin_dir

TIMELINE_TEMPLATE = "timeline"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Day(_Strict):
    """The story on one day: where it ran and what it said and changed."""

    date: str
    digest: str = Field(description="The digest's ref, archive:dN.")
    digest_title: str
    number: int
    status: str = Field(description="new, continuing, or '' when that digest had nothing to compare with.")
    briefing: str = Field(description="The briefing's ref, archive:bN.")
    title: str
    bluf: str
    sources: list[str]
    judgments: list[KeyJudgment]
    risks_rose: list[RiskChange] = Field(default_factory=list)
    risks_fell: list[RiskChange] = Field(default_factory=list)
    change: StoryChange | None = None


class Timeline(_Strict):
    """A story across days, oldest first."""

    kind: str = "timeline"
    story: str
    title: str
    first_date: str
    last_date: str
    days: list[Day]


def build_timeline(archive: Archive, story_id: str) -> Timeline:
    """The timeline of story `story_id`; ArchiveError if the archive has no such story."""
    conn = archive.conn
    story = conn.execute("SELECT * FROM stories WHERE id = ?", (story_id,)).fetchone()
    if story is None:
        raise ArchiveError(
            f"no story {story_id!r} in {archive.path}", hint="`briefing history --kind story` lists them"
        )
    days = []
    rows = conn.execute(
        "SELECT d.id AS digest_id, d.date, d.title AS digest_title, d.json AS digest_json, ds.number, ds.status,"
        " ds.sources, b.id AS briefing_id, b.title, b.bluf, b.json FROM digest_stories ds"
        " JOIN digests d ON d.id = ds.digest_id JOIN briefings b ON b.id = ds.briefing_id"
        " WHERE ds.story_id = ? AND d.id = (SELECT id FROM digests WHERE title = d.title AND date = d.date"
        " ORDER BY recorded_at DESC, id DESC LIMIT 1) ORDER BY d.date, d.title",
        (story_id,),
    ).fetchall()
    for r in rows:
        changes = Digest.model_validate_json(r["digest_json"]).changes
        number = r["number"]
        days.append(
            Day(
                date=r["date"],
                digest=f"archive:d{r['digest_id']}",
                digest_title=r["digest_title"],
                number=number,
                status=r["status"],
                briefing=f"archive:b{r['briefing_id']}",
                title=r["title"],
                bluf=r["bluf"],
                sources=json.loads(r["sources"]),
                judgments=[KeyJudgment.model_validate(j) for j in json.loads(r["json"])["briefing"]["key_judgments"]],
                risks_rose=[c for c in changes.risks_rose if c.story == number] if changes else [],
                risks_fell=[c for c in changes.risks_fell if c.story == number] if changes else [],
                change=next((c for c in changes.stories if c.story == number), None) if changes else None,
            )
        )
    return Timeline(
        story=story_id,
        title=story["title"],
        first_date=story["first_date"],
        last_date=story["last_date"],
        days=days,
    )


def render_timeline(timeline: Timeline, fmt: str, *, dirs: list[Path] | None = None) -> str:
    """The timeline as md, html (templates timeline.FORMAT.j2) or json."""
    if fmt == "json":
        return timeline.model_dump_json(indent=2) + "\n"
    dirs = dirs or [builtin_dir("templates")]
    env = make_output_environment(fmt, dirs)
    return render_template(env, f"{TIMELINE_TEMPLATE}.{fmt}.j2", {"timeline": timeline, "days": timeline.days})
