"""What changed since the previous digest: stories dropped, risks moved, and each continuing story's assessment. Pure.

Kept beside records.py (which holds Changes, where these appear) so the digest's records stay small:
build_story_change() in digest/assessment.py fills them; the templates show them in the cover and in
each story's section.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DroppedStory(_Strict):
    title: str
    bluf: str
    sources: list[str] = Field(default_factory=list)


class RiskChange(_Strict):
    """A risk of a continuing story whose likelihood or impact moved since the previous digest."""

    story: int = Field(description="The story's number in this digest.")
    risk: str
    before: str
    after: str


class JudgmentShift(_Strict):
    """A key judgment of a continuing story whose likelihood or confidence moved since the previous digest."""

    statement: str = Field(description="Today's wording of the judgment.")
    likelihood_before: str
    likelihood_after: str
    confidence_before: str
    confidence_after: str
    sentences: list[int] = Field(
        default_factory=list, description="Sentences it cites today that the previous article did not have."
    )


class IndicatorSeen(_Strict):
    """An indicator of one of yesterday's risks that today's article reports, in sentences it did not have."""

    risk: str
    indicator: str
    sentences: list[int]


class StoryChange(_Strict):
    """What changed in the assessment of one continuing story."""

    story: int = Field(description="The story's number in this digest.")
    previous_story: int = Field(description="Its number in the previous digest.")
    judgments_moved: list[JudgmentShift] = Field(default_factory=list)
    actors_new: list[str] = Field(default_factory=list)
    risks_appeared: list[str] = Field(default_factory=list)
    risks_gone: list[str] = Field(default_factory=list)
    indicators_seen: list[IndicatorSeen] = Field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (
            self.judgments_moved or self.actors_new or self.risks_appeared or self.risks_gone or self.indicators_seen
        )
