"""The data of a digest: the cover the synthesis call writes, the stories, failures and changes. Pure.

The Cover is what the one synthesis call writes; the rest of a Digest is assembled by code.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import Field

from briefing.change_records import DroppedStory, RiskChange, StoryChange
from briefing.records import (
    SCHEMA_VERSION,
    BriefingResult,
    Impact,
    Issue,
    Likelihood,
    ModelInfo,
    PromptInfo,
    Usage,
    _Strict,
)

StoryNumbers = Annotated[
    list[int],
    Field(min_length=1, max_length=6, description="Numbers N of the stories [N] this draws on, most relevant first."),
]


MAX_GROUPS = 8


class TopLine(_Strict):
    line: str = Field(
        max_length=240, description="One of the day's top lines: what a decision maker must know, one sentence."
    )
    stories: StoryNumbers


class CoverRisk(_Strict):
    title: str = Field(max_length=80, description="The risk in a few words.")
    description: str = Field(
        max_length=300, description="What could happen and why it matters, across the stories cited."
    )
    likelihood: Likelihood = Field(description="How likely it is to materialise.")
    impact: Impact = Field(description="low, moderate, high or severe.")
    stories: StoryNumbers


class WatchItem(_Strict):
    item: str = Field(max_length=240, description="An event, decision or signal to watch today, and why it matters.")
    stories: StoryNumbers


class StoryGroup(_Strict):
    name: str = Field(max_length=60, description="A region (e.g. 'East Asia') or a theme (e.g. 'Energy security').")
    stories: list[int] = Field(min_length=1, max_length=500, description="Numbers of the stories in this group.")


class Cover(_Strict):
    """The digest's cover: the day's top lines across all stories, from one synthesis call."""

    headline: str = Field(max_length=120, description="The day in one line: the assessment, not a news headline.")
    bluf: str = Field(
        max_length=600, description="Bottom line up front across all stories: 2-3 sentences for a decision maker."
    )
    top_lines: list[TopLine] = Field(
        min_length=1, max_length=5, description="The day's top lines, most important first."
    )
    top_risks: list[CoverRisk] = Field(
        min_length=1, max_length=5, description="The top risks across the stories, gravest first."
    )
    watch: list[WatchItem] = Field(min_length=1, max_length=5, description="What to watch today.")
    groups: list[StoryGroup] = Field(
        min_length=1,
        max_length=MAX_GROUPS,
        description="The stories grouped by region or theme; every story in exactly one group.",
    )


class Source(_Strict):
    """One input behind a story: where it came from and who published it."""

    source: str
    title: str
    outlet: str | None = None
    author: str | None = None
    published: str | None = None


class Story(_Strict):
    """One story of a digest: its sources (near-duplicates merged) and the briefing of the fullest one."""

    number: int
    id: str = Field(description="A stable id of the briefed text (for --previous and cache look-ups).")
    group: str = ""
    sources: list[Source]
    cached: bool = Field(default=False, description="True when the briefing came from the cache.")
    result: BriefingResult
    archive_id: str | None = Field(default=None, description="The story's id in the archive, the same every day.")


class FailedInput(_Strict):
    """An input that did not make it into the digest, and why."""

    source: str
    stage: Literal["input", "briefing", "output"]
    error: str
    duplicates: list[str] = Field(default_factory=list, description="Near-duplicates merged into the failed story.")


class Changes(_Strict):
    """What changed since the previous digest (--previous, or the archive's latest earlier one)."""

    previous_title: str
    previous_date: str
    compared_with: str = Field(default="", description="The --previous file, or archive:dN of the archive's digest.")
    new: list[int] = Field(default_factory=list, description="Numbers of stories that are new today.")
    continuing: list[int] = Field(default_factory=list, description="Numbers of stories the previous digest had.")
    dropped: list[DroppedStory] = Field(default_factory=list)
    risks_rose: list[RiskChange] = Field(default_factory=list)
    risks_fell: list[RiskChange] = Field(default_factory=list)
    stories: list[StoryChange] = Field(default_factory=list, description="Per continuing story, what else moved.")


class Digest(_Strict):
    """A daily brief: the cover, one section per story, the inputs that failed, and provenance."""

    kind: Literal["digest"] = "digest"
    schema_version: int = SCHEMA_VERSION
    created_at: str = Field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    generator: str = ""
    title: str
    date: str
    cover: Cover
    cover_note: str | None = Field(
        default=None, description="Set when the cover was assembled without the synthesis call."
    )
    cover_issues: list[Issue] = Field(
        default_factory=list, description="Cover texts still failing an analytic check after one re-ask (flagged)."
    )
    stories: list[Story]
    failures: list[FailedInput] = Field(default_factory=list)
    changes: Changes | None = None
    model: ModelInfo
    prompt: PromptInfo
    usage: Usage = Field(default_factory=Usage)
    timings: dict[str, float] = Field(default_factory=dict, description="Seconds per digest stage.")
