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
Attribution = Literal["confirmed", "corrected", "unconfirmed"]

# A saved briefing may hold an item whose every citation was dropped (an endpoint that does not
# enforce the schema can cite sentences that do not exist): it is kept, marked unverified, and must
# load again, so the record allows an empty list. The schema sent to the model asks for at least one
# (schema.py, EVIDENCE_MIN_ITEMS).
Evidence = Annotated[
    list[int],
    Field(
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
    flags: list[str] = Field(
        default_factory=list, description="Analytic checks the item still fails after its re-ask (verify/analytic.py)."
    )


class Quote(_Strict):
    text: str = Field(
        max_length=400,
        description="A quotation copied verbatim from the article, without the quotation marks.",
    )
    speaker: str = Field(max_length=80, description="Who said it, exactly as the article names them.")
    verified: SkipJsonSchema[bool] = False
    # verified means verbatim; whether the article's own wording names this speaker is separate:
    # confirmed (it does), corrected (it names another, who is now the speaker), unconfirmed (it names no one).
    attribution: SkipJsonSchema[Attribution | None] = None
    translation: SkipJsonSchema[str | None] = None
    check: SkipJsonSchema[Check | None] = None


class KeyJudgment(_Strict):
    statement: str = Field(
        max_length=300,
        description="An assessment of what the events mean, why they happened or what comes next; one sentence, "
        "no likelihood words.",
    )
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
    stance: str = Field(max_length=240, description="What they want or are doing in this story, in a phrase.")
    evidence: Evidence
    quotes: list[Quote] = Field(max_length=2, description="Their own words from the article, if any.")
    check: SkipJsonSchema[Check | None] = None


class Risk(_Strict):
    title: str = Field(max_length=80, description="The risk in a few words.")
    description: str = Field(
        max_length=300, description="What could happen from here and why, in one or two sentences."
    )
    likelihood: Likelihood = Field(description="How likely it is to materialise.")
    impact: Impact = Field(description="low, moderate, high or severe.")
    timeframe: str = Field(max_length=60, description="When, e.g. 'next weeks' or 'within a year'.")
    # The evidence before the indicators: asked for after them, the small model wrote the sentence
    # numbers it was about to cite as its indicators ("S10, S11, S12").
    evidence: Evidence
    indicators: list[Line] = Field(
        min_length=1,
        max_length=3,
        description="News that would show it materialising, each a phrase of a few words: who does what.",
    )
    check: SkipJsonSchema[Check | None] = None


class Scenario(_Strict):
    development: str = Field(
        max_length=300, description="A development to expect next, different from the judgments and risks."
    )
    likelihood: Likelihood = Field(description="How likely it is.")
    evidence: Evidence  # before the signposts, as in Risk
    signposts: list[Line] = Field(
        max_length=3,
        description="News that would show it happening, each a phrase of a few words: who does what.",
    )
    check: SkipJsonSchema[Check | None] = None


class Briefing(_Strict):
    """The structured policy briefing of one article."""

    title: str = Field(max_length=120, description="Your assessment in one line, not the headline.")
    bluf: str = Field(
        max_length=400,
        description="Bottom line up front: what a decision maker must know and why it matters, 1-2 sentences.",
    )
    summary: str = Field(
        max_length=900, description="What happened, compressed: who did what, when, the key number; 2-4 sentences."
    )
    key_judgments: list[KeyJudgment] = Field(min_length=1, max_length=4, description="The main analytic judgments.")
    key_actors: list[Actor] = Field(
        min_length=1, max_length=8, description="The people, states, organisations and groups that act in the story."
    )
    risks: list[Risk] = Field(min_length=1, max_length=4, description="What could go wrong.")
    outlook: list[Scenario] = Field(min_length=1, max_length=3, description="What to expect next.")
    gaps: list[Annotated[str, Field(max_length=200)]] = Field(
        max_length=4,
        description="What an analyst would want to know that is not yet known, each a specific, complete sentence "
        "about the events ('It is not known whether ...'), never about the text.",
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
    status: Literal["weak", "unverified", "repaired", "dropped", "flagged"]
    message: str
    check: str | None = Field(default=None, description="The analytic check a flagged text fails (verify/analytic.py).")


class SectionCount(_Strict):
    verified: int = 0
    weak: int = 0
    unverified: int = 0


class Grounding(_Strict):
    """What verify_briefing found, saved with the briefing and printed in every output."""

    sections: dict[str, SectionCount] = Field(default_factory=dict)
    issues: list[Issue] = Field(default_factory=list)
    analytic: dict[str, int] = Field(
        default_factory=dict, description="Texts still failing each analytic check after their re-ask, by check name."
    )

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
    def flagged(self) -> int:
        return sum(self.analytic.values())

    @property
    def line(self) -> str:
        """The grounding line every output carries."""
        parts = [f"{self.verified} of {self.total} items verified against the source"]
        if self.weak:
            parts.append(f"{self.weak} weakly supported")
        if self.unverified:
            parts.append(f"{self.unverified} unverified")
        if self.flagged:
            parts.append(f"{self.flagged} text(s) flagged by the analytic checks")
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
