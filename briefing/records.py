"""The data of briefing: articles, the briefing the model writes, and what we save. Pure.

The `Briefing` models double as the JSON schema sent to the model: every field the model fills has a
description (the prompt's field guide is built from them) and a bound (`max_length`, `max_length` on
lists), because small models loop when a string or list is left unbounded. Fields the model must not
fill (`verified`, `check`) are hidden from the schema with `SkipJsonSchema` and set by verify.py.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema

from briefing.change_records import DroppedStory, RiskChange, StoryChange

SCHEMA_VERSION = 1

Likelihood = Literal[
    "almost no chance",
    "very unlikely",
    "unlikely",
    "roughly even chance",
    "likely",
    "very likely",
    "almost certain",
]
"""The seven likelihood terms of US analytic standards (ICD 203), in rising order."""

LIKELIHOODS: tuple[str, ...] = Likelihood.__args__  # type: ignore[attr-defined]
Confidence = Literal["low", "moderate", "high"]
Impact = Literal["low", "moderate", "high", "severe"]
IMPACTS: tuple[str, ...] = Impact.__args__  # type: ignore[attr-defined]
ActorKind = Literal["person", "state", "organisation", "group"]
CheckStatus = Literal["verified", "weak", "unverified"]

Evidence = Annotated[
    list[int],
    Field(
        min_length=1,
        max_length=4,
        description="Numbers N of the article sentences [SN] that support this item, most relevant first.",
    ),
]


Line = Annotated[str, Field(max_length=120)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Check(_Strict):
    """How one item fared against the article; set by verify_briefing, never by the model."""

    status: CheckStatus = "verified"
    notes: list[str] = Field(default_factory=list, description="Why the item is weak or unverified.")
    suggested: list[int] = Field(
        default_factory=list, description="Sentences that support the item better than the cited ones."
    )


class Quote(_Strict):
    text: str = Field(
        max_length=400,
        description="A quotation copied verbatim from the article, without the quotation marks.",
    )
    speaker: str = Field(max_length=80, description="Who said it, exactly as the article names them.")
    verified: SkipJsonSchema[bool] = False
    translation: SkipJsonSchema[str | None] = None
    check: SkipJsonSchema[Check | None] = None


class KeyJudgment(_Strict):
    statement: str = Field(max_length=300, description="An analytic judgment, one sentence, no likelihood words.")
    likelihood: Likelihood = Field(description="How likely the judgment is to be true.")
    confidence: Confidence = Field(description="Confidence in the sourcing and reasoning behind it.")
    evidence: Evidence
    timeframe: str | None = Field(
        default=None,
        max_length=40,
        description="By when it will be known true or false, e.g. 'within 2 weeks'; null if no time is implied.",
    )
    check: SkipJsonSchema[Check | None] = None


class Actor(_Strict):
    name: str = Field(max_length=80, description="A person or body named in the article, exactly as written there.")
    kind: ActorKind = Field(description="person, state, organisation or group.")
    role: str = Field(
        max_length=120,
        description="Their role or title as the article states it; for a state or body, its part in the story.",
    )
    stance: str = Field(max_length=240, description="Their position or interests in this story.")
    evidence: Evidence
    quotes: list[Quote] = Field(max_length=2, description="Their own words from the article, if any.")
    check: SkipJsonSchema[Check | None] = None


class Risk(_Strict):
    title: str = Field(max_length=80, description="The risk in a few words.")
    description: str = Field(max_length=300, description="What could happen and why.")
    likelihood: Likelihood = Field(description="How likely it is to materialise.")
    impact: Impact = Field(description="low, moderate, high or severe.")
    timeframe: str = Field(max_length=60, description="When, e.g. 'next weeks' or 'within a year'.")
    indicators: list[Line] = Field(
        min_length=1,
        max_length=3,
        description="Observable signs that it is materialising, in words (not sentence numbers).",
    )
    evidence: Evidence
    check: SkipJsonSchema[Check | None] = None


class Scenario(_Strict):
    development: str = Field(max_length=300, description="A development to expect next.")
    likelihood: Likelihood = Field(description="How likely it is.")
    signposts: list[Line] = Field(
        max_length=3,
        description="Signs that would show it is happening, in words (not sentence numbers).",
    )
    evidence: Evidence
    check: SkipJsonSchema[Check | None] = None


class Briefing(_Strict):
    """The structured policy briefing of one article."""

    title: str = Field(max_length=120, description="The assessment in one line (not the article's headline).")
    bluf: str = Field(
        max_length=400, description="Bottom line up front: the key point for a decision maker, 1-2 sentences."
    )
    summary: str = Field(max_length=900, description="What happened, in two to four sentences.")
    key_judgments: list[KeyJudgment] = Field(min_length=1, max_length=4, description="The main analytic judgments.")
    key_actors: list[Actor] = Field(min_length=1, max_length=6, description="The people and bodies that matter.")
    risks: list[Risk] = Field(min_length=1, max_length=4, description="What could go wrong.")
    outlook: list[Scenario] = Field(min_length=1, max_length=3, description="What to expect next.")
    gaps: list[Annotated[str, Field(max_length=200)]] = Field(
        max_length=4,
        description="What the article does not establish; open questions.",
    )


# Articles ----------------------------------------------------------------------------------------


class Mention(_Strict):
    """A person or body the article names, with what kind it seems to be and where it appears."""

    name: str
    kind: str = Field(description="person, state, organisation or group (a best guess)")
    sentences: list[int] = Field(default_factory=list, description="Sentences that name it.")


class Quotation(_Strict):
    """A quotation found in the article by the parser, with its attribution where the text makes it plain."""

    text: str
    sentences: list[int] = Field(description="The sentence numbers it spans.")
    speaker: str | None = None


class Article(_Strict):
    """One news article, as loaded: the text, its metadata and its numbered sentences."""

    source: str = Field(description="Where it came from: a path, '-' for stdin, or a URL.")
    title: str
    text: str
    outlet: str | None = None
    author: str | None = None
    published: str | None = None
    sentences: list[str] = Field(default_factory=list, description="Sentence [Si] is sentences[i-1].")
    names: list[Mention] = Field(default_factory=list, description="People and bodies the article names.")
    quotations: list[Quotation] = Field(default_factory=list)


# Results -----------------------------------------------------------------------------------------


class Issue(_Strict):
    """One finding of the verifier, addressed by a JSON-pointer-like path ('key_actors/0/quotes/1')."""

    path: str
    status: Literal["weak", "unverified", "repaired", "dropped"]
    message: str


class SectionCount(_Strict):
    verified: int = 0
    weak: int = 0
    unverified: int = 0


class Grounding(_Strict):
    """What verify_briefing found, saved with the briefing and printed in every output."""

    sections: dict[str, SectionCount] = Field(default_factory=dict)
    issues: list[Issue] = Field(default_factory=list)

    @property
    def verified(self) -> int:
        return sum(s.verified for s in self.sections.values())

    @property
    def weak(self) -> int:
        return sum(s.weak for s in self.sections.values())

    @property
    def unverified(self) -> int:
        return sum(s.unverified for s in self.sections.values())

    @property
    def total(self) -> int:
        return self.verified + self.weak + self.unverified

    @property
    def line(self) -> str:
        """The grounding line every output carries."""
        parts = [f"{self.verified} of {self.total} items verified against the source"]
        if self.weak:
            parts.append(f"{self.weak} weakly supported")
        if self.unverified:
            parts.append(f"{self.unverified} unverified")
        return "; ".join(parts)


class ModelInfo(_Strict):
    name: str
    endpoint: str = Field(description="The base URL (never with credentials), or 'embedded'.")
    embedded: bool = False
    note: str | None = Field(default=None, description="Shown in output footers, e.g. for the small offline model.")


class PromptInfo(_Strict):
    name: str
    files: list[str] = Field(default_factory=list, description="The template files used, with their origin.")
    sha256: str = ""
    structured_mode: str = Field(default="json_schema", description="json_schema, json_object or prompt.")
    variables: dict[str, str] = Field(default_factory=dict)


class Usage(_Strict):
    requests: int = 0
    reasks: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0


class BriefingResult(_Strict):
    """Everything `briefing render` needs: the article, the briefing, its grounding and provenance."""

    kind: Literal["briefing"] = "briefing"
    schema_version: int = SCHEMA_VERSION
    created_at: str = Field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    generator: str = ""
    article: Article
    briefing: Briefing
    grounding: Grounding = Field(default_factory=Grounding)
    model: ModelInfo
    prompt: PromptInfo
    usage: Usage = Field(default_factory=Usage)
    timings: dict[str, float] = Field(default_factory=dict, description="Seconds per pipeline stage.")


# Digests -----------------------------------------------------------------------------------------
# The Cover is what the one synthesis call writes; the rest of a Digest is assembled by code.

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
    stories: list[Story]
    failures: list[FailedInput] = Field(default_factory=list)
    changes: Changes | None = None
    model: ModelInfo
    prompt: PromptInfo
    usage: Usage = Field(default_factory=Usage)
    timings: dict[str, float] = Field(default_factory=dict, description="Seconds per digest stage.")
